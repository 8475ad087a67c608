"""The fuzzer's fixtures: the world built once per module, a fresh copy of it for each test."""

from __future__ import annotations

import pytest

from assess.web import questionnaires
from tests.fuzz.cases import Context
from tests.fuzz.world import build_template, copy_into, fast_hashes


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The world, built once; each test starts from a copy of its database."""
    folder = tmp_path_factory.mktemp("fuzz-world")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build_template(folder, monkeypatch)


@pytest.fixture
def world(app, db, template, monkeypatch):
    path, ids = template
    fast_hashes(monkeypatch)
    copy_into(db, path)
    return ids


@pytest.fixture
def ctx(app, db, accounts, world, monkeypatch):
    with app.app_context():
        q = questionnaires.latest()
        versions = questionnaires.versions()
    world = {
        **world,
        "drafts": [world["self_draft"], world["self_done"], world["on_site"]],
        "assessment_ids": [world["self_done"], world["self_draft"], world["on_site"]],
    }
    return Context(app, db, accounts, world, q, versions, monkeypatch)
