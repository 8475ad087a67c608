"""Questionnaires for the domain tests: no app, no database."""

from __future__ import annotations

import pytest

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.loader import load_file
from tests.domain import REAL, TINY


@pytest.fixture(scope="session")
def tiny() -> Questionnaire:
    return load_file(TINY)


@pytest.fixture(scope="session")
def real() -> Questionnaire:
    return load_file(REAL)
