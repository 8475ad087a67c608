"""What a report is, said on its cover, banner, footer and title: a self-assessment, an
on-site assessment verified by a consultant, or one only partially verified; and, on a
verified one, who signs it (consultant, firm, qualification, visits, coverage). No Flask.

Coverage is the share of the rated answers (requirements and steps answered, "not applicable"
included: assess/scoring/result.py rated_items) that the consultant marked verified. Below the
programme's bar (assess/scoring/verification.py MIN_COVERAGE, 0.8, the same for the report,
the regional figures, the review queue and the dossier; no setting changes it), or with any
deciding answer (the profile, the basic requirements, which scenarios apply, the results) not
verified, the report is "partially verified" wherever it is named. What "verified" means, and
why 0.8, is said once, in assess/scoring/verification.py;
4 of 94, as the issue found, is a self-assessment with a consultant's name on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import zip_longest

from sqlite_utils import Database

from assess.organisation.logos import data_url
from assess.report.results import Verification
from assess.scoring import verification as on_site
from assess.store import firms, signers, users
from assess.translation import translator

SELF, VERIFIED, PARTIAL = "self", "verified", "partial"


def coverage(verification: Verification) -> float:
    """Share of the rated answers verified (0 when none was rated)."""
    return on_site.coverage(verification.verified, verification.rated)


def unverified_deciding(verification: Verification) -> int:
    """How many deciding answers (profile, basic requirements, which scenarios apply, results)
    were not verified."""
    return verification.deciding - verification.deciding_verified


def kind_of(verification: Verification | None) -> str:
    """self (no verification), verified, or partial (coverage below the programme's bar, or a deciding
    answer not verified)."""
    if verification is None:
        return SELF
    return (
        VERIFIED
        if on_site.checked(
            verification.verified,
            verification.rated,
            unverified_deciding(verification),
        )
        else PARTIAL
    )


def verified_on_site(mode: str, verification: Verification) -> bool:
    """Whether an assessment with this verification counts as verified on site, at the
    programme's bar (assess/scoring/verification.py)."""
    return on_site.verified_on_site(
        mode,
        verification.verified,
        verification.rated,
        unverified_deciding=unverified_deciding(verification),
    )


@dataclass(frozen=True)
class Identity:
    """How a report names itself, in one language."""

    kind: str  # self | verified | partial
    title: str  # cover kicker, running header, document title
    notice: str  # the cover's banner and every page's footer
    result_title: str  # the results page's heading
    download: str  # the results page's download button


def identity(kind: str, lang: str) -> Identity:
    t = translator(lang)
    if kind == SELF:
        return Identity(
            SELF,
            t.gettext("Smart-factory maturity gap report"),
            t.gettext("Self-assessment / diagnosis result, not an official rating."),
            t.gettext("Result"),
            t.gettext("Download the PDF report"),
        )
    if kind == VERIFIED:
        return Identity(
            VERIFIED,
            t.gettext("On-site assessment report"),
            t.gettext("On-site assessment verified by a consultant, not an official rating."),
            t.gettext("On-site assessment result"),
            t.gettext("Download the on-site assessment report"),
        )
    return Identity(
        PARTIAL,
        t.gettext("On-site assessment report (partially verified)"),
        t.gettext(
            "On-site assessment, partially verified by a consultant, not an official rating."
        ),
        t.gettext("On-site assessment result (partially verified)"),
        t.gettext("Download the on-site assessment report (partially verified)"),
    )


def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


@dataclass(frozen=True)
class SignOff:
    """The cover of a verified report: who verified, for which firm, on which days, how much,
    and the statement the consultant signs by submitting."""

    consultant: str
    firm: str
    qualification: str
    logo: str  # data: URL, or ""
    visits: str
    coverage: str  # "57 of 94 rated answers verified (61 %)"
    evidence: str  # "12 of them with evidence recorded (a note or a file)"
    minimum: str  # "minimum for a verified report: 80 %"
    statement: str
    # "all 27 deciding answers (profile, basic requirements, which scenarios apply, results)
    # verified"
    deciding: str = ""
    # after a hand-over, who verified how many answers ("王咨询：1 项、李咨询：119 项"); "" when
    # the consultant who signs did it all (the visits then also name who recorded each)
    verified_by: str = ""


def sign_off(
    db: Database,
    row: dict,
    verification: Verification,
    organisation_name: str,
    lang: str,
    format_date,
) -> SignOff:
    t = translator(lang)
    consultant, firm = signer(db, row)
    name = consultant or t.gettext("not on record")
    firm_name = firm["name"] if firm else ""
    shared = others_worked_on(verification, row["consultant_id"])

    def who(user: int | None, current: str) -> str:  # the signer as signed, others as now
        return name if user == row["consultant_id"] else current or "—"

    visits = t.listing(format_date(d) for d in verification.visits) or t.gettext(
        "no visit on record"
    )
    share = coverage(verification)
    values = {
        "consultant": name,
        "firm": firm_name,
        "organisation": organisation_name,
        "dates": visits,
        "verified": verification.verified,
        "rated": verification.rated,
        "date": format_date(row["submitted_at"], "long"),
        "share": percent(share),
        "evidenced": verification.with_evidence,
    }
    # after a hand-over the signer signs and the work is attributed on the cover; otherwise
    # the consultant says what they did, and signs
    done = (
        _handed_over_statement(t, values)
        if shared
        else t.gettext(
            "%(firm)s's consultant %(consultant)s assessed %(organisation)s on site (%(dates)s)"
            " and verified %(verified)s of its %(rated)s rated answers (%(share)s) against the"
            " evidence seen.",
            **values,
        )
        if firm_name
        else t.gettext(
            "%(consultant)s assessed %(organisation)s on site (%(dates)s) and verified"
            " %(verified)s of its %(rated)s rated answers (%(share)s) against the evidence seen.",
            **values,
        )
    )
    statement = t.sentences(
        done,
        t.gettext(
            "Evidence (a note or a file) is recorded for %(evidenced)s of the %(verified)s"
            " answers verified.",
            **values,
        ),
        levels_basis(verification, lang),
        *(
            ()
            if shared
            else (
                t.gettext("Signed off by submitting the on-site assessment on %(date)s.", **values),
            )
        ),
    )
    return SignOff(
        verified_by=t.listing(
            t.ngettext("%(name)s: %(num)s answer", "%(name)s: %(num)s answers", n, name=who(u, v))
            for u, v, n in verification.verifiers
        )
        if shared
        else "",
        consultant=name,
        firm=firm_name or "—",
        qualification=(firm["qualification"] if firm else "") or "—",
        logo=data_url(firm),
        visits=t.listing(
            t.gettext("%(date)s (recorded by %(name)s)", date=format_date(d), name=who(*by))
            for d, by in zip_longest(verification.visits, verification.recorders, fillvalue=(0, ""))
        )
        if shared and verification.visits
        else visits,
        coverage=t.gettext(
            "%(verified)s of %(rated)s rated answers verified (%(share)s)",
            verified=verification.verified,
            rated=verification.rated,
            share=percent(share),
        ),
        evidence=t.gettext(
            "%(evidenced)s of them with evidence recorded (a note or a file)",
            evidenced=verification.with_evidence,
        ),
        minimum=t.gettext(
            "a report is called verified from %(minimum)s of its rated answers verified and"
            " with every deciding answer verified",
            minimum=percent(on_site.MIN_COVERAGE),
        ),
        deciding=deciding_line(verification, lang),
        statement=statement,
    )


def deciding_line(verification: Verification, lang: str) -> str:
    """How many of the deciding answers (profile, basic requirements, which scenarios apply,
    results) were verified."""
    t = translator(lang)
    if verification.deciding and verification.deciding_verified == verification.deciding:
        return t.ngettext(
            "the %(num)s deciding answer (profile, basic requirements, which scenarios apply,"
            " results) verified",
            "all %(num)s deciding answers (profile, basic requirements, which scenarios apply,"
            " results) verified",
            verification.deciding,
        )
    return t.gettext(
        "%(verified)s of %(deciding)s deciding answers (profile, basic requirements, which"
        " scenarios apply, results) verified: the report is not verified until all are",
        verified=verification.deciding_verified,
        deciding=verification.deciding,
    )


def levels_basis(verification: Verification, lang: str) -> str:
    """What the levels rest on: the verified answers only when every rated and every deciding
    answer was verified; else all the answers, saying how many were not verified."""
    t = translator(lang)
    rated = verification.rated - verification.verified
    deciding = unverified_deciding(verification)
    if verification.rated and not rated and not deciding:
        return t.gettext("The levels in this report follow from the answers as verified.")
    if deciding:
        return t.gettext(
            "The levels in this report follow from all its answers: %(rated)s of its rated"
            " answers and %(deciding)s of its deciding answers were not verified.",
            rated=rated,
            deciding=deciding,
        )
    return t.gettext(
        "The levels in this report follow from all its answers, %(unverified)s of which were"
        " not verified.",
        unverified=rated,
    )


def others_worked_on(verification: Verification, signer_id: int | None) -> bool:
    """Whether someone other than the consultant who signs (by user id) recorded a visit or
    verified an answer (a hand-over): the cover then says who did what, not the signer alone."""
    ids = {u for u, _ in verification.recorders} | {u for u, _, _ in verification.verifiers}
    return bool(ids - {signer_id})


def _handed_over_statement(t, values: dict) -> str:
    """The signed statement when the work was shared: the signer signs; the visits and the
    verified answers are attributed on the cover."""
    if values["firm"]:
        return t.gettext(
            "%(consultant)s of %(firm)s signed off the on-site assessment of %(organisation)s"
            " by submitting it on %(date)s. %(verified)s of its %(rated)s rated answers were"
            " verified against the evidence seen, by the consultants named above, who also"
            " recorded the visits (%(dates)s).",
            **values,
        )
    return t.gettext(
        "%(consultant)s signed off the on-site assessment of %(organisation)s by submitting it"
        " on %(date)s. %(verified)s of its %(rated)s rated answers were verified against the"
        " evidence seen, by the consultants named above, who also recorded the visits"
        " (%(dates)s).",
        **values,
    )


def signer(db: Database, row: dict) -> tuple[str | None, dict | None]:
    """The consultant's name and firm (name, qualification, logo) a verified report prints:
    as kept when it was submitted (assess/store/signers.py), so that a firm renamed later, a
    new logo or a consultant gone to another firm does not change an issued report; a draft's
    (a preview) as they are now."""
    kept = signers.get(db, row["id"]) if row["status"] == "submitted" else None
    if kept is not None:
        return kept["consultant_name"], kept["firm"]
    consultant = users.get(db, row["consultant_id"]) if row["consultant_id"] else None
    firm = firms.of_user(db, consultant["id"]) if consultant else None
    return (consultant["name"] if consultant else None), firm


def signer_digest(db: Database, row: dict) -> dict | None:
    """What of the signer a verified report prints (for its cache key)."""
    if row["mode"] != "consultant":
        return None
    consultant, firm = signer(db, row)
    return {
        "consultant": consultant,
        "firm": (
            firm["name"],
            firm["qualification"],
            hashlib.sha256(firm["logo"] or b"").hexdigest(),
        )
        if firm
        else None,
    }
