"""What shaped the scope of a result, in words: tailoring (shown first), the results
indicators against their benchmarks, and the profile answers that decided items and advice."""

from __future__ import annotations

from assess.questionnaire.definition import Questionnaire
from assess.scoring.result import Result
from assess.scoring.words import condition_text, join, option_label
from assess.translation import translator


def tailoring_lines(q: Questionnaire, result: Result, lang: str) -> list[str]:
    """Each tailoring claimed, first in the results and the report: what, why, and its review."""
    t = translator(lang)
    lines = []
    for outcome in result.tailoring:
        if not outcome.claimed:
            continue
        name = q.sub_domains[outcome.sub_domain].name.get(lang)
        if outcome.review == "rejected":
            line = t.gettext(
                "%(name)s: tailoring rejected by the reviewer (%(why)s); it is scored.",
                name=name,
                why=outcome.review_reason,
            )
        elif not outcome.eligible:
            line = t.gettext(
                "%(name)s: tailoring claimed, but the profile does not allow it (%(condition)s);"
                " it is scored.",
                name=name,
                condition=condition_text(
                    q, q.sub_domains[outcome.sub_domain].tailorable.when, lang
                ),
            )
        elif outcome.over_cap:
            line = t.gettext(
                "%(name)s: tailoring beyond the maximum of %(max)s; it is scored.",
                name=name,
                max=q.tailoring.max,
            )
        else:
            state = (
                t.gettext("accepted by the reviewer")
                if outcome.review == "accepted"
                else t.gettext("not yet reviewed")
            )
            line = t.gettext(
                "%(name)s: tailored out (%(reason)s); %(state)s.",
                name=name,
                reason=outcome.reason,
                state=state,
            )
        lines.append(line)
    return lines


def indicator_line(q: Questionnaire, result: Result, indicator_id: str, lang: str) -> str:
    """'Product defect rate: 1.2 % (benchmark 1.5 %: better)'."""
    t = translator(lang)
    indicator, outcome = q.indicators[indicator_id], result.indicators[indicator_id]
    name, unit = indicator.name.get(lang), indicator.unit.get(lang)
    if not outcome.applicable:
        return t.gettext("%(name)s: not applicable.", name=name)
    value = t.gettext("not entered") if outcome.value is None else f"{outcome.value:g} {unit}"
    if outcome.benchmark is None:
        return t.gettext("%(name)s: %(value)s (no benchmark set).", name=name, value=value)
    return t.gettext(
        "%(name)s: %(value)s (benchmark %(benchmark)s: %(verdict)s).",
        name=name,
        value=value,
        benchmark=f"{outcome.benchmark.value:g} {unit}",
        verdict=t.gettext("better")
        if outcome.better
        else t.gettext("not compared")
        if outcome.better is None
        else t.gettext("not better"),
    )


def profile_lines(q: Questionnaire, result: Result, lang: str, items=None) -> list[str]:
    """One line per profile answer that shaped the result (see assess.scoring.shaping)."""
    from assess.scoring.shaping import profile_effects

    t = translator(lang)
    lines = []
    for effect in profile_effects(q, result, items):
        answer = option_label(q, effect.question, effect.value, t)
        if isinstance(effect.value, tuple):
            answer = join(t, [option_label(q, effect.question, v, t) for v in effect.value])
        parts = []
        if effect.not_asked:
            parts.append(
                t.ngettext(
                    "%(num)s item or scenario not asked",
                    "%(num)s items or scenarios not asked",
                    len(effect.not_asked),
                )
            )
        if effect.asked:
            parts.append(
                t.ngettext(
                    "%(num)s item asked only for this answer",
                    "%(num)s items asked only for this answer",
                    len(effect.asked),
                )
            )
        if effect.tailorable:
            names = [q.sub_domains[s].name.get(lang) for s in effect.tailorable]
            parts.append(t.gettext("may tailor out %(names)s", names=join(t, names)))
        if effect.advice:
            parts.append(
                t.ngettext(
                    "%(num)s next step chosen for this answer",
                    "%(num)s next steps chosen for this answer",
                    len(effect.advice),
                )
            )
        if effect.rules:
            parts.append(
                t.ngettext(
                    "read by %(num)s level rule", "read by %(num)s level rules", len(effect.rules)
                )
            )
        lines.append(
            t.gettext(
                "%(question)s: %(answer)s — %(effects)s.",
                question=q.items[effect.question].text.get(lang),
                answer=answer,
                effects=("；" if lang == "zh" else "; ").join(parts),
            )
        )
    return lines
