"""An assessment's result as the results page and the report read it: scored from its stored
answers, who verified what on site, and the verified result against the self-assessment it
checked. No Flask."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from assess.assessment import comments as answer_comments
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.versions import Versions
from assess.regional import benchmarks
from assess.report.content import answer_label
from assess.scoring import explain, score
from assess.scoring.comparison import Comparison, compare
from assess.scoring.gaps import GapAnalysis, analyse
from assess.scoring.result import Result, rated_items
from assess.scoring.roadmap import target_choices
from assess.scoring.verification import deciding_items
from assess.store import assessments, organisations, roadmap_plans, users
from assess.store import evidence as evidence_store
from assess.translation import translator


@dataclass(frozen=True)
class Scored:
    q: Questionnaire
    result: Result
    analysis: GapAnalysis
    answers: dict


def stored_answers(db: Database, q: Questionnaire, assessment_id: int) -> dict:
    """The answers of an assessment that its questionnaire version knows."""
    stored = assessments.answers(db, assessment_id)
    return {item: s.answer for item, s in stored.items() if item in q.items}


def scored(db: Database, versions: Versions, row: dict) -> Scored:
    """The questionnaire, result and gap analysis of an assessment, from its answers and the
    benchmarks of its organisation's sector and province."""
    q = versions.of(row)
    organisation = organisations.get(db, row["organisation_id"])
    answers = stored_answers(db, q, row["id"])
    result = score(q, answers, benchmarks.for_organisation(db, q, organisation))
    return Scored(q, result, analyse(q, result, *_chosen_target(db, q, row, result)), answers)


def _chosen_target(db: Database, q: Questionnaire, row: dict, result: Result) -> tuple:
    """The target the enterprise chose for its roadmap, where it is still ahead of this result
    (else the default: the next levels), so that the gaps and the roadmap agree."""
    level, cmmm = roadmap_plans.target(db, row["organisation_id"])
    levels, cmmm_levels = target_choices(q, result)
    return (level if level in levels else None, cmmm if cmmm in cmmm_levels else None)


@dataclass(frozen=True)
class Verification:
    """How much of an on-site assessment a consultant verified, who, and when on site."""

    verified: int  # rated answers verified
    rated: int  # rated answers asked (requirements and steps, not applicable included)
    consultant: str
    visits: tuple[str, ...]  # visit dates
    with_evidence: int = 0  # verified answers with evidence recorded (a note or a file)
    # the deciding answers (profile, basic requirements, which scenarios apply, results:
    # assess/scoring/verification.py) and how many of them were verified
    deciding: int = 0
    deciding_verified: int = 0
    # who did the work, when a hand-over put more than one consultant on it: who recorded each
    # visit (beside `visits`), and how many of the rated answers verified each one verified,
    # as (user id, name) and (user id, name, count)
    recorders: tuple[tuple[int | None, str], ...] = ()
    verifiers: tuple[tuple[int | None, str, int], ...] = ()

    def text(self, lang: str, format_date) -> str:
        t = translator(lang)
        if not self.consultant or not self.visits:  # imported or synthetic data: say so
            return t.gettext(
                "On-site assessment without a consultant or a visit on record: %(verified)s of"
                " %(rated)s rated answers marked verified.",
                verified=self.verified,
                rated=self.rated,
            )
        return t.gettext(
            "Verified on site by %(name)s: %(verified)s of %(rated)s rated answers checked"
            " (visits: %(dates)s).",
            name=self.consultant,
            verified=self.verified,
            rated=self.rated,
            dates=t.listing(format_date(d) for d in self.visits),
        )


def verification_of(
    db: Database, q: Questionnaire, row: dict, result: Result
) -> Verification | None:
    """The verification of an on-site assessment (None for a self-assessment)."""
    if row["mode"] != "consultant":
        return None
    asked = rated_items(result)
    consultant = users.get(db, row["consultant_id"]) if row["consultant_id"] else None
    verifiers = evidence_store.verifiers(db, row["id"])
    by_item = {k: v for k, v in verifiers.items() if k in asked}
    deciding = deciding_items(q, evidence_store.answered_items(db, row["id"]), result)
    visits = evidence_store.visits(db, row["id"])
    return Verification(
        verified=len(by_item),
        rated=len(asked),
        consultant=consultant["name"] if consultant else "",
        visits=tuple(v["visit_date"] for v in visits),
        with_evidence=len(set(by_item) & evidence_store.items_with_evidence(db, row["id"])),
        deciding=len(deciding),
        deciding_verified=len(deciding & set(verifiers)),
        recorders=tuple((v["created_by"], v["recorder"]) for v in visits),
        verifiers=tuple(
            (who, name, n)
            for (who, name), n in sorted(
                Counter(by_item.values()).items(), key=lambda p: (-p[1], p[0][1])
            )
        ),
    )


def answered_by(
    db: Database, q: Questionnaire, row: dict, result: Result, lang: str, format_date
) -> str:
    """Who gave the answers: the enterprise, or the consultant who verified them."""
    verification = verification_of(db, q, row, result)
    if verification is not None:
        return verification.text(lang, format_date)
    return translator(lang).gettext("Self-assessment: answers declared by the enterprise.")


def comparison_of(
    db: Database, versions: Versions, row: dict
) -> tuple[dict | None, Comparison | None]:
    """The verified assessment compared with the self-assessment it checked: the one it started
    from, else the last one submitted before it (a later self-assessment changes nothing)."""
    own = assessments.self_assessment_checked_by(db, row)
    if own is None:
        return None, None
    mine, theirs = scored(db, versions, own), scored(db, versions, row)
    if mine.q is not theirs.q:
        return own, None  # different questionnaire versions: items do not line up
    q = theirs.q
    found = compare(
        q,
        stored_answers(db, q, own["id"]),
        mine.result,
        stored_answers(db, q, row["id"]),
        theirs.result,
    )
    return own, found


def comparison_helpers(q: Questionnaire, lang: str, checked: set[str] = frozenset()) -> dict:
    """Names by rank and level, item and answer labels, and the items the consultant marked
    verified (`checked`), for templates/_comparison.html."""
    return {
        "checked": checked,
        "gradient_by_rank": lambda rank: explain.gradient_name(
            q, q.gradient.levels[rank - 1].id if rank else None, lang
        ),
        "cmmm_by_level": lambda level: explain.cmmm_name(q, level, lang),
        "item_label": lambda item_id: explain.item_label(q, item_id, lang),
        "option_label": lambda *args: compared_answer(q, lang, *args),
    }


def compared_answer(
    q: Questionnaire, lang: str, item_id: str, option: str | None, status: str = "answered"
) -> str:
    """An answer as the comparison shows it; an item not asked says so, not its old answer."""
    if status == "skipped":
        return translator(lang).gettext("not asked (counts as not met)")
    if option is None:
        return "—"
    return answer_label(q, q.items[item_id], option, lang)


def evidence_notes(db: Database, row: dict, lang: str, quality_label, format_date) -> dict:
    """Per item of an on-site assessment: verified or not (by whom, when), the evidence
    quality and note, and the files."""
    t = translator(lang)
    notes = {}
    files: dict[str, list[str]] = {}
    for file in evidence_store.files(db, row["id"]):
        files.setdefault(file["item_id"], []).append(file["original_name"])
    found = evidence_store.for_assessment(db, row["id"])
    for item_id in set(found) | set(files):
        evidence = found.get(item_id, {})
        parts = []
        if evidence.get("verified_by"):
            parts.append(
                t.gettext(
                    "verified by %(name)s on %(date)s",
                    name=evidence["verifier"],
                    date=format_date(evidence["verified_at"]),
                )
            )
        else:
            parts.append(t.gettext("not verified"))
        if evidence.get("evidence_quality"):
            parts.append(quality_label(evidence["evidence_quality"]))
        if evidence.get("note"):
            parts.append(evidence["note"])
        if item_id in files:
            parts.append(t.gettext("files: %(names)s", names=", ".join(files[item_id])))
        notes[item_id] = " · ".join(parts)
    return notes


def comment_rows(db: Database, q: Questionnaire, row: dict, lang: str) -> list[tuple[str, str]]:
    """The enterprise's comments on its answers: (item as labelled, comment), in
    questionnaire order."""
    found = answer_comments.of_assessment(db, row["id"])
    return [(explain.item_label(q, i, lang), found[i]) for i in q.items if i in found]
