"""A result as plain data (the JSON twin of the results page and `score --json`)."""

from __future__ import annotations

from dataclasses import asdict

from assess.questionnaire.definition import Questionnaire
from assess.scoring import explain
from assess.scoring.gaps import GapAnalysis
from assess.scoring.result import Result
from assess.scoring.words import score_text

LANGS = ("zh", "en")


def result_document(q: Questionnaire, result: Result, analysis: GapAnalysis) -> dict:
    """Scores, levels, the trace with its explanation, and the roadmap, in both languages;
    tailoring, results and the profile answers that shaped the result where there are any."""
    data = result.to_dict()
    data["confirmed_level"] = result.confirmed_level
    data["subject_to_results"] = result.subject_to_results
    data["total_score_shown"] = score_text(result.cmmm.total_score)  # S as pages and PDFs show it
    data["summary"] = {lang: explain.summary(q, result, lang) for lang in LANGS}
    data["tailoring_text"] = {lang: explain.tailoring_lines(q, result, lang) for lang in LANGS}
    items = [item.item_id for item in analysis.items]
    data["profile_text"] = {lang: explain.profile_lines(q, result, lang, items) for lang in LANGS}
    for level, level_data in zip(result.levels, data["levels"], strict=True):
        for outcome, rule_data in zip(level.rules, level_data["rules"], strict=True):
            rule_data["text"] = {lang: explain.rule_text(q, outcome, lang) for lang in LANGS}
            rule_data["detail"] = {lang: explain.rule_detail(q, outcome, lang) for lang in LANGS}
            rule_data["basis"] = q.rules[outcome.rule_id].basis
    data["roadmap"] = {
        "target_level": analysis.target_level,
        "target_cmmm": analysis.target_cmmm,
        "rule_gaps": [
            {"rule_id": gap.outcome.rule_id, "items": list(gap.items)} for gap in analysis.rule_gaps
        ],
        "items": [
            {**asdict(item), "next_step": asdict(item.advice or q.items[item.item_id].next_step)}
            for item in analysis.items
        ],
    }
    return data
