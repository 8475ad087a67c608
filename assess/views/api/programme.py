"""The 梯度培育 programme on the API: an enterprise's declarations and recognitions; for an
authority, the declarations and recognised factories of its region (a CSV of them too) and the
regional figures, suppressed as the dashboard page is. Parse, call one use case, render."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.declaration import chain, listing, states
from assess.regional import figures as regional_figures
from assess.translation import today_in_china
from assess.web import api, questionnaires, read_log
from assess.web.access import allow
from assess.web.api import N_
from assess.web.database import get_db
from assess.web.downloads import respond
from assess.web.i18n import lang
from assess.web.login import current_authority

bp = api.blueprint(
    "programme",
    __name__,
    "The smart-factory programme (梯度培育): declarations and recognitions, an authority's"
    " region and its figures.",
)
READERS = ("enterprise", "consultant", "authority", "admin")  # as the web's dossier
PERIOD_MESSAGE = _l("Choose a period from the list: the end of one of the last eight quarters.")


class RoundRef(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    region_scope = ma.fields.String(
        required=True, metadata={"description": "the opening authority's region code prefix"}
    )
    deadline = ma.fields.String(required=True, metadata={"format": "date"})


class Recognition(ma.Schema):
    id = ma.fields.Integer(required=True)
    declaration_id = ma.fields.Integer(required=True)
    level = ma.fields.String(required=True, metadata={"enum": list(chain.levels())})
    level_name = ma.fields.String(required=True)
    kind = ma.fields.String(
        required=True,
        metadata={
            "enum": ["recognised", "recommended"],
            "description": "recognised (认定), or recommended to the ministry (推荐)",
        },
    )
    status_label = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    by = ma.fields.String(required=True, metadata={"description": "the recognising region"})
    recognised_at = ma.fields.String(required=True, metadata={"format": "date-time"})
    withdrawn_at = ma.fields.String(allow_none=True, metadata={"format": "date-time"})
    withdrawal_reason = ma.fields.String(allow_none=True)


class DeclarationState(ma.Schema):
    """What every declaration says of itself: its level, status, round and whose turn."""

    id = ma.fields.Integer(required=True)
    level = ma.fields.String(required=True, metadata={"enum": list(chain.levels())})
    level_name = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["draft", *listing.STATUSES]})
    status_label = ma.fields.String(required=True)
    round = ma.fields.Nested(RoundRef, required=True)
    submitted_at = ma.fields.String(allow_none=True, metadata={"format": "date-time"})
    resubmitted_at = ma.fields.String(allow_none=True, metadata={"format": "date-time"})
    decided_at = ma.fields.String(allow_none=True, metadata={"format": "date-time"})
    waiting_for = ma.fields.String(
        allow_none=True,
        metadata={
            "enum": ["park", "county", "city", "province", "country", None],
            "description": "the tier of authority the declaration waits for, while in review",
        },
    )
    waiting_for_label = ma.fields.String(allow_none=True)


class Declaration(DeclarationState):
    """A declaration of the enterprise, as it sees it."""

    assessment_id = ma.fields.Integer(required=True)
    created_at = ma.fields.String(required=True, metadata={"format": "date-time"})
    recognition = ma.fields.Nested(Recognition, allow_none=True)


class Enterprise(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    credit_code = ma.fields.String(required=True)
    identity = ma.fields.String(
        required=True,
        metadata={"enum": ["verified", "unverified"], "description": "who the enterprise is"},
    )
    region_code = ma.fields.String(required=True)
    region = ma.fields.String(required=True)
    park_id = ma.fields.Integer(allow_none=True)
    sector = ma.fields.String(required=True)
    sector_label = ma.fields.String(required=True)
    size = ma.fields.String(required=True)
    size_label = ma.fields.String(required=True)


class DeclaredResult(ma.Schema):
    """The declared assessment's result (a self-assessment or a consultant's diagnosis, not
    an official rating)."""

    id = ma.fields.Integer(required=True)
    mode = ma.fields.String(required=True, metadata={"enum": ["self", "consultant"]})
    verified_on_site = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "on site, enough of its rated answers verified (80 %) and every"
            " deciding answer (profile, basic requirements, which scenarios apply, results)"
            " verified: an on-site assessment short of that counts as a self-assessment"
        },
    )
    level = ma.fields.String(allow_none=True)
    level_name = ma.fields.String(required=True)
    cmmm_level = ma.fields.Integer(allow_none=True)
    cmmm_score = ma.fields.Float(allow_none=True)


class Contact(ma.Schema):
    name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)


class RegionDeclaration(DeclarationState):
    """A declaration made by an enterprise of the authority's region."""

    enterprise = ma.fields.Nested(Enterprise, required=True)
    assessment = ma.fields.Nested(DeclaredResult, required=True)
    contact = ma.fields.Nested(Contact, required=True)
    my_turn = ma.fields.Boolean(
        required=True, metadata={"description": "whether this authority decides its next step"}
    )


class RegionRecognition(Recognition):
    enterprise = ma.fields.Nested(Enterprise, required=True)
    assessment = ma.fields.Nested(DeclaredResult, required=True)


class RegionDeclarationArgs(api.PageArgs):
    round = ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**53))
    status = ma.fields.String(validate=ma.validate.OneOf(listing.STATUSES))


class RecognitionFilter(ma.Schema):
    level = ma.fields.String(validate=ma.validate.OneOf(chain.levels()))
    year = ma.fields.Integer(
        validate=ma.validate.Range(min=states.FIRST_YEAR, max=states.LAST_YEAR)
    )


class RegionRecognitionArgs(api.PageArgs, RecognitionFilter):
    withdrawn = ma.fields.Boolean(
        load_default=False, metadata={"description": "also those withdrawn"}
    )


class FigureArgs(ma.Schema):
    region = ma.fields.String(
        validate=ma.validate.Regexp(r"^\d{6}$"),
        metadata={"description": "a region inside your own (GB/T 2260 code); default your own"},
    )
    park = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=2**53),
        metadata={"description": "a park inside your region"},
    )
    as_of = ma.fields.String(
        metadata={"description": "the end of one of the last eight quarters (YYYY-MM-DD)"}
    )


class RegionalFigures(ma.Schema):
    """The dashboard of the scope: every count is a number or "×" (not published: small, or
    one that would give a small one away), every share or mean a number or "—"."""

    scope = ma.fields.Dict(required=True)
    enterprises = ma.fields.Raw(required=True)
    self_assessed = ma.fields.Raw(required=True)
    verified = ma.fields.Raw(required=True)
    levels = ma.fields.List(ma.fields.Dict(), required=True)
    levels_merged = ma.fields.List(ma.fields.Dict(), required=True)
    cmmm_levels = ma.fields.List(ma.fields.Dict(), required=True)
    cmmm_merged = ma.fields.List(ma.fields.Dict(), required=True)
    cmmm_2_plus_share = ma.fields.Raw(required=True)
    targets = ma.fields.Dict(required=True)
    excellent_targets = ma.fields.Dict(
        required=True,
        metadata={"description": "the plan's Excellent factories nationally, by year"},
    )
    excellent_recognised = ma.fields.Integer(
        required=True,
        metadata={
            "description": "factories recognised at Excellent or above, or recommended to the"
            " ministry (exact): what the plan's targets count"
        },
    )
    excellent_plus = ma.fields.Raw(
        required=True,
        metadata={
            "description": "enterprises assessed at Excellent or above (self-assessed or"
            ' verified on site; a number or "×"): results, not recognitions'
        },
    )
    mean_score = ma.fields.Raw(required=True)
    level_names = ma.fields.List(ma.fields.String(), required=True)
    headline_always = ma.fields.Boolean(required=True)
    funnel = ma.fields.List(ma.fields.Dict(), required=True)
    trend = ma.fields.List(ma.fields.Dict(), required=True)
    outlook = ma.fields.List(ma.fields.Dict(), required=True)
    programme = ma.fields.Dict(required=True)
    breakdowns = ma.fields.Dict(required=True)
    scenarios = ma.fields.List(ma.fields.Dict(), required=True)
    weakest = ma.fields.List(ma.fields.Dict(), required=True)
    gaps = ma.fields.List(ma.fields.Dict(), required=True)
    one_step = ma.fields.Raw(required=True)
    progress = ma.fields.List(ma.fields.Dict(), required=True)
    candidates = ma.fields.List(ma.fields.Dict(), required=True)


# --- an enterprise's own ------------------------------------------------------------------


@bp.get("/declarations")
@allow("enterprise")
@bp.doc(summary=N_("Your enterprise's declarations, drafts included, newest first"))
@bp.arguments(api.PageArgs, location="query")
@bp.response(200, api.page_schema(Declaration, "DeclarationPage"))
def own_declarations(args: dict):
    q = questionnaires.latest()
    rows = states.own_declarations(get_db(), q, current_user.organisation_id, lang())
    return api.listing(rows, args, Declaration())


@bp.get("/declarations/<int:declaration_id>")
@allow(*READERS)
@bp.doc(summary=N_("A declaration's state: its round, status, whose turn, its recognition"))
@bp.response(200, Declaration)
@bp.alt_response(404, description=N_("no such declaration, or not one you may read"))
def declaration(declaration_id: int):
    row = api.declaration_to_read(declaration_id)
    read_log.record(get_db(), "viewed", row["organisation_id"], declaration=row["id"], page="api")
    return states.own_declaration(get_db(), questionnaires.latest(), row, lang())


@bp.get("/recognitions")
@allow("enterprise")
@bp.doc(summary=N_("Your enterprise's recognitions, withdrawn ones marked, newest first"))
@bp.arguments(api.PageArgs, location="query")
@bp.response(200, api.page_schema(Recognition, "RecognitionPage"))
def own_recognitions(args: dict):
    q = questionnaires.latest()
    rows = states.own_recognitions(get_db(), q, current_user.organisation_id, lang())
    return api.listing(rows, args, Recognition())


# --- an authority's region ----------------------------------------------------------------


@bp.get("/region/declarations")
@allow("authority")
@bp.doc(
    summary=N_("The declarations of your region (submitted ones only), with whose turn it is"),
)
@bp.arguments(RegionDeclarationArgs, location="query")
@bp.response(200, api.page_schema(RegionDeclaration, "RegionDeclarationPage"))
def region_declarations(args: dict):
    rows = states.region_declarations(
        get_db(),
        questionnaires.latest(),
        current_authority(),
        lang(),
        round_id=args.get("round"),
        status=args.get("status"),
    )
    return api.listing(rows, args, RegionDeclaration())


@bp.get("/region/recognitions")
@allow("authority")
@bp.doc(summary=N_("The recognised factories of your region, newest year first"))
@bp.arguments(RegionRecognitionArgs, location="query")
@bp.response(200, api.page_schema(RegionRecognition, "RegionRecognitionPage"))
def region_recognitions(args: dict):
    rows = states.region_recognitions(
        get_db(),
        questionnaires.latest(),
        current_authority(),
        lang(),
        level=args.get("level"),
        year=args.get("year"),
        withdrawn=args["withdrawn"],
    )
    return api.listing(rows, args, RegionRecognition())


@bp.get("/region/recognitions.csv")
@allow("authority")
@bp.doc(
    summary=N_(
        "The recognised factories of your region as CSV: the programme's summary table"
        " (推荐汇总表), as the Excel export"
    ),
)
@bp.arguments(RecognitionFilter, location="query")
@bp.response(200, description=N_("a CSV file (UTF-8), one factory a row"))
def region_recognitions_csv(args: dict):
    authority = current_authority()
    headers, rows = states.recognised_table(
        get_db(), questionnaires.versions(), authority, lang(), args.get("level"), args.get("year")
    )
    read_log.record_export(
        get_db(),
        "declarations",
        {
            "list": "recognised",
            "format": "csv",
            "scope": authority["region_scope"],
            "rows": len(rows),
        },
    )
    stem = f"recognised-{authority['region_scope'] or 'cn'}-{today_in_china().isoformat()}"
    return respond("csv", stem, "recognised", headers, rows)


@bp.get("/region/figures")
@allow("authority")
@bp.doc(
    summary=N_(
        "The figures of your region (or a region or park in it, now or at a quarter end),"
        " small cells suppressed exactly as on the dashboard"
    ),
)
@bp.arguments(FigureArgs, location="query")
@bp.response(200, RegionalFigures)
@bp.alt_response(404, description=N_("a region or park outside yours"))
def region_figures(args: dict):
    found = regional_figures.figures(
        get_db(),
        questionnaires.latest(),
        current_authority(),
        lang(),
        args.get("region"),
        args.get("park"),
        args.get("as_of"),
    )
    if found == regional_figures.Refused("period"):
        api.refuse(
            422,
            "invalid",
            errors={"as_of": [str(PERIOD_MESSAGE)]},
        )
    if isinstance(found, regional_figures.Refused):
        api.refuse(404, "not_found")
    return api.tagged(found)
