"""The 2025.1-era fields of a result, as plain data: what must re-score exactly as before.

Fields added to the result since (tailoring, indicators, rule states, ...) are left out, so a
2025.1 answer set scored today is compared with its frozen result field by field.
"""

from __future__ import annotations

from assess.scoring.result import Result


def _text(value):
    return {"zh": value.zh, "en": value.en} if hasattr(value, "zh") else value


def legacy_view(result: Result) -> dict:
    """Every number, level, rule outcome, skip and item score a 2025.1 result had."""
    cmmm = result.cmmm
    return {
        "questionnaire": [result.questionnaire_id, result.questionnaire_version],
        "gradient": [result.gradient_level, result.gradient_rank],
        "levels": [
            [
                level.id,
                level.rules_pass,
                level.reached,
                [
                    [o.rule_id, o.level_id, o.type, o.passed, o.actual, o.needed]
                    for o in level.rules
                ],
            ]
            for level in result.levels
        ],
        "cmmm": {
            "level_scores": {str(k): v for k, v in cmmm.level_scores.items()},
            "reached": {str(k): v for k, v in cmmm.reached.items()},
            "total_score": cmmm.total_score,
            "level": cmmm.level,
            "sub_domains": {
                k: [s.applicable, {str(lv): v for lv, v in s.level_scores.items()}, s.total]
                for k, s in cmmm.sub_domains.items()
            },
            "element_scores": {
                k: {str(lv): v for lv, v in e.items()} for k, e in cmmm.element_scores.items()
            },
        },
        "scenarios": {
            k: [
                s.applicable,
                s.applicability_answered,
                _text(s.not_applicable_reason),
                s.level,
                s.rank,
                s.step_values,
            ]
            for k, s in result.scenarios.items()
        },
        "items": {
            k: [i.status, i.value, list(i.option) if isinstance(i.option, tuple) else i.option]
            for k, i in result.items.items()
        },
        "skipped": {
            k: [s.kind, s.container, s.level, s.score, _text(s.reason)]
            for k, s in result.skipped.items()
        },
    }
