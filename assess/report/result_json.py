"""A submitted assessment's result as one JSON document: the results page's JSON twin and the
API's result (scores, levels, rules and their explanation, tailoring, the roadmap, the peer
benchmarks and the phased roadmap as the page shows them). No Flask."""

from __future__ import annotations

from dataclasses import asdict

from sqlite_utils import Database

from assess.questionnaire.versions import Versions
from assess.report import peer_benchmarks, roadmap
from assess.report.results import scored
from assess.scoring.export import result_document

ASSESSMENT_FIELDS = (
    "id",
    "organisation_id",
    "questionnaire_id",
    "questionnaire_version",
    "mode",
    "created_at",
    "submitted_at",
)


def document_of(db: Database, versions: Versions, row: dict, lang: str) -> dict:
    """The result document of a submitted assessment (row), its texts of one language where
    the page shows one."""
    found = scored(db, versions, row)
    document = result_document(found.q, found.result, found.analysis)
    benchmarks = peer_benchmarks.of_assessment(db, found.q, row, found.result, lang)
    document["benchmarks"] = asdict(benchmarks) if benchmarks else None
    # the phased roadmap toward the chosen target, as the page shows it (with owners and dates)
    document["roadmap_phases"] = asdict(roadmap.of_assessment(db, versions, row, found, lang))
    document["assessment"] = {key: row[key] for key in ASSESSMENT_FIELDS}
    return document
