"""The audit log in words: what each recorded action was, what its object is, and a change shown
as before → after. One home for these labels (tests/web/test_audit_words.py fails when the code
records an action that has none)."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from assess.web.i18n import listing

ACTIONS = {
    # signing in and accounts
    "login": _l("signed in"),
    "login_failed": _l("sign-in failed"),
    "login_throttled": _l("sign-in refused: too many attempts"),
    "logout": _l("signed out"),
    "password_changed": _l("changed the password"),
    "totp_enabled": _l("turned on two-step sign-in"),
    "totp_disabled": _l("turned off two-step sign-in"),
    "account_enabled": _l("enabled an account"),
    "account_disabled": _l("disabled an account"),
    "region_scope_changed": _l("changed an authority's region"),
    "role_changed": _l("changed an account's role"),
    "access_denied": _l("was refused a page"),
    "api_token_created": _l("made an API access token"),
    "api_token_revoked": _l("revoked an API access token"),
    "api_token_failed": _l("API access refused: a wrong, expired or revoked token"),
    "api_token_throttled": _l("API access refused: too many wrong tokens"),
    "register": _l("registered an enterprise"),
    "organisation_claimed": _l("took over an enterprise registered by its consultant"),
    "client_registered": _l("registered a client enterprise"),
    "claim_code_renewed": _l("made a new take-over code for a client"),
    "privacy_agreed": _l("agreed to the new privacy notice"),
    "organisation_exported": _l("downloaded the enterprise's data"),
    "organisation_closed": _l("closed the enterprise's account"),
    "listing_changed": _l("changed the candidate-list consent"),
    # consultants' access
    "grant_invited": _l("invited a consultant"),
    "grant_requested": _l("asked an enterprise for access"),
    "grant_accepted": _l("accepted access to an enterprise"),
    "grant_revoked": _l("revoked a consultant's access"),
    "grant_withdrawn": _l("withdrew an access request"),
    "grant_link_renewed": _l("renewed an invitation link"),
    "client_viewed": _l("opened a client's page"),
    # assessments
    "assessment_started": _l("started an assessment"),
    "answer_verified": _l("verified answers on site"),
    "answer_unverified": _l("took the verified mark off an answer"),
    "evidence_uploaded": _l("attached an evidence file"),
    "evidence_removed": _l("removed an evidence file"),
    "evidence_downloaded": _l("downloaded an evidence file"),
    "visit_deleted": _l("deleted a site visit"),
    "submit": _l("submitted an assessment"),
    "viewed": _l("opened an enterprise's results"),
    "report_download": _l("downloaded a report"),
    "signed_report_download": _l("downloaded the copy of a report they signed"),
    "annex_download": _l("downloaded a report's annex"),
    "export": _l("exported a table"),
    "benchmarks_set": _l("set sector benchmarks"),
    "backup_started": _l("started a backup"),
    "park_created": _l("created a park"),
    "park_changed": _l("moved an enterprise into or out of a park"),
    "backup_downloaded": _l("downloaded a backup"),
    "questionnaire_uploaded": _l("uploaded a questionnaire version as a draft"),
    "questionnaire_published": _l("published a questionnaire version"),
    "questionnaire_retired": _l("retired a questionnaire version"),
    # declarations
    "round_opened": _l("opened a declaration round"),
    "round_cancelled": _l("cancelled a declaration round"),
    "declaration_started": _l("started a declaration"),
    "declaration_saved": _l("saved a declaration"),
    "declaration_submitted": _l("submitted a declaration"),
    "declaration_resubmitted": _l("submitted a returned declaration again"),
    "declaration_withdrawn": _l("withdrew a declaration"),
    "declaration_file_added": _l("attached a file to a declaration"),
    "declaration_file_removed": _l("removed a file from a declaration"),
    "declaration_file_downloaded": _l("downloaded a declaration's file"),
    "dossier_download": _l("downloaded a declaration's dossier"),
    "declaration_check": _l("checked a declaration"),
    "declaration_review": _l("reviewed a declaration"),
    "declaration_recommend": _l("recommended a declaration"),
    "declaration_recognise": _l("recognised a factory"),
    "declaration_recommend_ministry": _l("recommended a factory to the ministry"),
    "declaration_return": _l("returned a declaration for changes"),
    "declaration_reject": _l("rejected a declaration"),
    "recheck_requested": _l("asked for an on-site re-check"),
    "recheck_attached": _l("attached an on-site re-check"),
    "recognition_withdrawn": _l("withdrew a recognition"),
    # e-mail, teams, identities, consultancies, on site, roadmap (issues 15, 16, 19)
    "confirmation_sent": _l("was sent an address confirmation"),
    "email_confirmed": _l("confirmed the e-mail address"),
    "password_reset_asked": _l("asked for a password reset"),
    "password_reset_throttled": _l("password reset refused: asked too often"),
    "password_reset": _l("reset the password by e-mail"),
    "mail_on": _l("turned notifications by e-mail on"),
    "mail_off": _l("turned notifications by e-mail off"),
    "team_invited": _l("invited a colleague"),
    "team_invitation_resent": _l("sent a colleague's invitation again"),
    "team_joined": _l("joined an enterprise's team"),
    "team_invitation_revoked": _l("revoked a colleague's invitation"),
    "team_role_changed": _l("changed a colleague's role"),
    "team_member_removed": _l("removed a colleague from the team"),
    "team_sections_assigned": _l("assigned sections to colleagues"),
    "team_ownership_transferred": _l("handed the enterprise's ownership over"),
    "organisation_profile_edited": _l("edited the company profile"),
    "identity_verified": _l("verified who an enterprise is"),
    "contest_registered": _l("registered to contest a taken credit code"),
    "contest_sent": _l("sent a business licence to contest a credit code"),
    "contest_licence_replaced": _l("sent a business licence again"),
    "contest_refused": _l("refused a contest of a credit code"),
    "organisation_handed_over": _l("handed an enterprise to a new owner"),
    "answer_sheet_applied": _l("applied an answer sheet"),
    "page_verified": _l("verified a page on site"),
    "client_handed_over": _l("handed a client over to a colleague"),
    "firm_created": _l("created a consultancy"),
    "firm_updated": _l("changed a consultancy"),
    "firm_consultant_placed": _l("placed a consultant in a consultancy"),
    "roadmap_saved": _l("saved the roadmap plan"),
    # administration (issue 20)
    "account_invited": _l("invited a person to an account"),
    "account_invitation_resent": _l("sent an account invitation again"),
    "account_invitation_revoked": _l("withdrew an account invitation"),
    "account_invitation_accepted": _l("accepted an account invitation"),
    "password_reset_sent": _l("sent an account a password reset"),
    "organisations_merged": _l("merged a duplicate enterprise into another"),
}

TARGETS = {
    "user": lazy_pgettext("audit object", "account"),
    "organisation": lazy_pgettext("audit object", "enterprise"),
    "assessment": lazy_pgettext("audit object", "assessment"),
    "evidence": lazy_pgettext("audit object", "evidence file"),
    "declaration": lazy_pgettext("audit object", "declaration"),
    "round": lazy_pgettext("audit object", "declaration round"),
    "recognition": lazy_pgettext("audit object", "recognition"),
    "benchmarks": lazy_pgettext("audit object", "benchmarks"),
    "grant": lazy_pgettext("audit object", "consultant access"),
    "visit": lazy_pgettext("audit object", "site visit"),
    "backup": lazy_pgettext("audit object", "backup"),
    "park": lazy_pgettext("audit object", "park"),
    "questionnaire": lazy_pgettext("audit object", "questionnaire version"),
    "invitation": lazy_pgettext("audit object", "account invitation"),
    "firm": lazy_pgettext("audit object", "consultancy"),
    "contest": lazy_pgettext("audit object", "contest of a credit code"),
    "api_token": lazy_pgettext("audit object", "API access token"),
}

# Keys of a change: {"before": {...}, "after": {...}} or {"field": {"before": x, "after": y}}
PAIRS = (("before", "after"), ("old", "new"), ("from", "to"))


def action(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label else _("other action (%(code)s)", code=code)


def target(code: str | None) -> str:
    if not code:
        return ""
    label = TARGETS.get(code)
    return str(label) if label else code


def changes(detail: str | None) -> list[str]:
    """The detail of an entry, one line per field: "field: before → after" for a change,
    "field: value" otherwise."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return [detail or ""]
    if not isinstance(data, dict):
        return [_value(data)]
    for old, new in PAIRS:
        if isinstance(data.get(old), dict) and isinstance(data.get(new), dict):
            fields = sorted(set(data[old]) | set(data[new]))
            rest = {k: v for k, v in data.items() if k not in (old, new)}
            return [
                f"{f}: {_value(data[old].get(f))} → {_value(data[new].get(f))}" for f in fields
            ] + changes(json.dumps(rest))
    lines = []
    for key, value in data.items():
        pair = _pair(value)
        lines.append(f"{key}: {pair[0]} → {pair[1]}" if pair else f"{key}: {_value(value)}")
    return lines


def _pair(value) -> tuple[str, str] | None:
    if isinstance(value, dict):
        for old, new in PAIRS:
            if set(value) == {old, new}:
                return _value(value[old]), _value(value[new])
    return None


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return listing([_value(v) for v in value]) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)
