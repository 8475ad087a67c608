"""Questionnaires for the domain tests: the tiny fixture and the real files, loaded once."""

from __future__ import annotations

import pytest

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.loader import load_file
from tests.domain import NEW, REAL, TINY


@pytest.fixture(scope="session")
def tiny() -> Questionnaire:
    return load_file(TINY)


@pytest.fixture(scope="session")
def real() -> Questionnaire:
    return load_file(REAL)


@pytest.fixture(scope="session")
def new() -> Questionnaire:
    """machinery-smart-factory 2026.1."""
    return load_file(NEW)
