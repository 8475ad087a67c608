"""Question types: each builds its form field from the questionnaire data and is rendered by
templates/questions/_<type>.html. A registry, so a new type is one entry, not an if/elif."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from assess.assessment import answering
from assess.assessment import comments as answer_comments
from assess.assessment.answering import (
    MAX_NOTE,
    NOT_ASSIGNED,
    REVIEWER_ONLY,
    Proposed,
    evidence_shown,
    note_unchanged,
)
from assess.assessment.evidence_quality import QUALITIES, quality_name
from assess.questionnaire.definition import (
    NOT_APPLICABLE,
    Indicator,
    Question,
    Questionnaire,
    Requirement,
)
from assess.questionnaire.pages import Page
from assess.scoring.answers import YEARS, clean_text, needs_reason, number_text
from assess.store import evidence as evidence_store
from assess.store.assessments import StoredAnswer
from assess.web.forms import Form
from assess.web.i18n import lang

REASON, REVISION = "--reason", "--rev"
NOTE, QUALITY, VERIFIED, FILES = "--note", "--quality", "--verified", "--file"
COMMENT = "--comment"  # the enterprise's comment, named once typed in (static/comments.js)
WAS = "--was"  # the evidence as the page showed it: what this form changed, and what it did not
FILE_ERRORS = {
    "too_large": _l("The file is larger than 10 MB."),
    "empty": _l("The file is empty."),
    "type": _l(
        "Only PDF, photos (JPEG, PNG, WebP), Word (.docx) and Excel (.xlsx) files are accepted,"
        " checked by content, not by name."
    ),
    "too_many": _l("At most %(n)s files per question; remove one to add another."),
    "assessment_full": _l(
        "This assessment already holds close to %(mb)s MB of evidence; remove files to add more."
    ),
    "zip_bomb": _l(
        "The document would unpack to far more than its size (a zip bomb?); it was not opened."
    ),
    "macros": _l(
        "Documents with macros (.docm, .xlsm, or a macro inside) are not accepted, whatever"
        " their name: save it as .docx or .xlsx without macros, or as PDF."
    ),
    "legacy_office": _l(
        "Old Word and Excel files (.doc, .xls) and password-protected documents are not"
        " accepted: save it as .docx, .xlsx or PDF."
    ),
    "heic": _l(
        "HEIC photos are not accepted: send the photo as JPEG (on an iPhone: Settings › Camera ›"
        " Formats › Most Compatible, or share it as JPEG)."
    ),
    "damaged": _l("The image could not be read: it is damaged, or too large in pixels."),
}
ERRORS = {
    "invalid_value": _l("Choose one of the options."),
    "reason_required": _l("Say why it does not apply."),
    "reason_too_long": _l("Keep the reason under 2,000 characters."),
    "unknown_item": _l("This question is not part of the questionnaire."),
    "revision": _l("This answer was not saved: the page was out of step. Save it again."),
    "out_of_range": _l("The number is outside the range this question allows."),
    REVIEWER_ONLY: _l("Only a consultant reviewing on site answers this."),
    NOT_ASSIGNED: _l(
        "Not saved: this question is in a section assigned to a colleague (or kept by the"
        " owner). The answer shown is the one saved; ask your enterprise's owner to assign"
        " the section to you."
    ),
}
# The reason box of each answer that needs a reason (assess.scoring.answers.needs_reason).
REASON_LABELS = {
    NOT_APPLICABLE: _l("Why does it not apply? (required for “Not applicable”)"),
    "no": _l("Why does it not apply? (required when “No”)"),
    "yes": _l("Why is it tailored out? (required when “Yes”; the suggested reason is filled in)"),
    "rejected": _l("Why is the tailoring rejected? (required when “Rejected”)"),
}
REASON_REQUIRED = {
    "yes": _l("Say why this sub-domain is tailored out."),
    "rejected": _l("Say why the tailoring is rejected."),
}


def error_text(q: Questionnaire, item_id: str, code: str) -> str:
    """The message for an answer refused with `code`, in the words of its item's type."""
    item = q.items.get(item_id)
    kind = getattr(item, "type", "")
    if code == "out_of_range" and isinstance(item, Indicator):
        if item.maximum is None:
            return _("Enter a number of at least %(low)s.", low=number_text(item.minimum))
        return _(
            "Enter a number from %(low)s to %(high)s.",
            low=number_text(item.minimum),
            high=number_text(item.maximum),
        )
    if code in ("out_of_range", "invalid_value") and kind == "year":
        return _("Enter a four-digit year from %(low)s to %(high)s.", low=YEARS[0], high=YEARS[1])
    if code == "invalid_value" and kind == "number":
        return _("Enter a number, for example 12.5 (digits and a decimal point).")
    if code == "reason_required" and item is not None:
        when = reason_when(q, item)
        if when in REASON_REQUIRED:
            return str(REASON_REQUIRED[when])
    return str(ERRORS[code])


def reason_when(q: Questionnaire, item) -> str | None:
    """The answer of an item that needs a reason (its reason box shows then), or None."""
    if isinstance(item, Requirement):
        return NOT_APPLICABLE if item.not_applicable_allowed else None
    if isinstance(item, Question) and item.type in ("choice", "yes_no"):
        return next((o.id for o in q.options_of(item) if needs_reason(item, o.id)), None)
    return None


def field_name(item_id: str) -> str:
    """Form field name of an item (ids are letters, digits, _ and .)."""
    return item_id.replace(".", "-")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(q: Questionnaire, item, lang: str) -> list[SelectChoice]:
    if isinstance(item, Question):
        return [SelectChoice(o.id, o.label.get(lang)) for o in q.options_of(item)]
    scale = q.cmmm.scale if isinstance(item, Requirement) else q.scenarios.scale
    choices = [SelectChoice(o.id, o.label.get(lang)) for o in q.scales[scale].options]
    if isinstance(item, Requirement) and item.not_applicable_allowed:
        choices.append(SelectChoice(NOT_APPLICABLE, str(_l("Not applicable"))))
    return choices


def _radio(q, item, lang) -> Field:
    return RadioField(
        item.text.get(lang),
        choices=_choices(q, item, lang),
        validators=[Optional()],
        validate_choice=False,
    )


def _checkboxes(q, item, lang) -> Field:
    return MultiCheckboxField(
        item.text.get(lang), choices=_choices(q, item, lang), validate_choice=False
    )


def _figure(q, item, lang) -> Field:
    """A number or a year, typed: checked by the saving path (assess.scoring.answers)."""
    return StringField(item.text.get(lang), validators=[Optional()])


@dataclass(frozen=True)
class QuestionType:
    build: Callable
    template: str


TYPES: dict[str, QuestionType] = {
    "choice": QuestionType(_radio, "questions/_choice.html"),
    "multi_choice": QuestionType(_checkboxes, "questions/_multi_choice.html"),
    "yes_no": QuestionType(_radio, "questions/_yes_no.html"),
    "rating": QuestionType(_radio, "questions/_rating.html"),
    "number": QuestionType(_figure, "questions/_number.html"),
    "year": QuestionType(_figure, "questions/_year.html"),
}


def page_form(
    q: Questionnaire,
    page: Page,
    lang: str,
    stored: dict[str, StoredAnswer],
    formdata=None,
    evidence: dict[str, dict] | None = None,
):
    """A form for one wizard page: per item its field, a reason and the revision it proposes.

    With `evidence` (an on-site assessment), each item also has an evidence note, an evidence
    quality, a verified mark and evidence files.
    """

    class PageForm(Form):
        owner = HiddenField()

    data = {}
    quality_choices = [SelectChoice("", "—")] + [
        SelectChoice(key, quality_name(key, lang)) for key in QUALITIES
    ]
    for item_id in page.item_ids:
        item = q.items[item_id]
        name = field_name(item_id)
        setattr(PageForm, name, TYPES[item.type].build(q, item, lang))
        setattr(PageForm, name + REASON, TextAreaField(_l("Reason")))
        setattr(PageForm, name + REVISION, HiddenField())
        current = stored.get(item_id)
        if current is not None:
            value = current.answer.value
            data[name] = list(value) if isinstance(value, tuple) else value
            data[name + REASON] = current.answer.reason
        if not data.get(name + REASON) and reason_when(q, item) == "yes":
            # tailoring: the questionnaire's suggested reason, to keep or to change
            sub = q.sub_domains[q.sub_domain_of_tailoring[item_id]]
            data[name + REASON] = sub.tailorable.reason.get(lang)
        data[name + REVISION] = (current.revision if current else 0) + 1
        if evidence is not None:
            quality = SelectField(
                _l("Evidence quality"), choices=quality_choices, validate_choice=False
            )
            setattr(PageForm, name + NOTE, TextAreaField(_l("Evidence note")))
            setattr(PageForm, name + QUALITY, quality)
            setattr(PageForm, name + VERIFIED, BooleanField(_l("Verified")))
            setattr(PageForm, name + FILES, MultipleFileField(_l("Evidence files")))
            setattr(PageForm, name + WAS, HiddenField())
            found = evidence.get(item_id) or {}
            data[name + NOTE] = found.get("note", "")
            data[name + QUALITY] = found.get("evidence_quality") or ""
            data[name + VERIFIED] = bool(found.get("verified_by"))
            data[name + WAS] = evidence_shown(
                found.get("note", ""), found.get("evidence_quality"), bool(found.get("verified_by"))
            )
    return PageForm(formdata=formdata, data=data)


def proposed_evidence(page: Page, form) -> list[tuple]:
    """(item, note, quality, verified, shown) for every item of a posted on-site page; shown:
    the evidence as the page showed it (evidence_shown), None when the form does not say."""
    rows = []
    for item_id in page.item_ids:
        name = field_name(item_id)
        if name + NOTE not in form:
            return []
        if not (form[name + NOTE].raw_data or form[name + QUALITY].raw_data):
            continue  # not on the form that was sent: nothing to change
        quality = form[name + QUALITY].data or None
        note, shown = clean_text(form[name + NOTE].data or ""), form[name + WAS].data or None
        if not note_unchanged(note, shown):
            note = note[:MAX_NOTE]  # a note written here; one sent back unchanged stays whole
        rows.append(
            (
                item_id,
                note,
                quality if quality in QUALITIES else None,
                bool(form[name + VERIFIED].data),
                shown,
            )
        )
    return rows


def proposed_answers(page: Page, form) -> list[Proposed]:
    """The answers a posted page form carries (items left empty are left out)."""
    proposed = []
    for item_id in page.item_ids:
        name = field_name(item_id)
        value = form[name].data
        if value in (None, "", [], "None"):
            continue
        try:
            revision = int(form[name + REVISION].data or 1)
        except ValueError:
            revision = None  # not a number: refused for its item (answering.save)
        reason = form[name + REASON].data or ""
        proposed.append(Proposed(item_id, value, reason, revision))
    return proposed


def save_posted_page(
    db,
    q: Questionnaire,
    row: dict,
    page: Page,
    formdata,
    user_id: int,
    allowed: frozenset[str] | None = None,
):
    """Parse a posted wizard page (on site, with its evidence fields; in a self-assessment,
    with the comments typed on it) and save it through the one saving path; (the parsed form,
    the outcomes, the notes refused). Locked once submitted.
    `allowed`: the items the user may answer (None: all). A note refused: changed elsewhere
    meanwhile too and both together too long to keep (answering.note_refused); per item, the
    note stored, which stays."""
    on_site = row["mode"] == "consultant"
    known = evidence_store.for_assessment(db, row["id"]) if on_site else None
    form = page_form(q, page, lang(), {}, formdata=formdata, evidence=known)
    evidence_rows = proposed_evidence(page, form) if on_site else ()
    outcomes = answering.save_page(
        db, q, row, user_id, proposed_answers(page, form), evidence_rows, allowed
    )
    if not on_site:
        typed = [
            (item_id, formdata.get(field_name(item_id) + COMMENT))
            for item_id in page.item_ids
            if allowed is None or item_id in allowed
        ]
        comments = [(item_id, text) for item_id, text in typed if isinstance(text, str)]
        if comments:
            answer_comments.save(db, q, row["id"], user_id, comments)
    stored = evidence_store.for_assessment(db, row["id"]) if evidence_rows else {}
    refused = {}
    for item_id, note, _quality, _verified, shown in evidence_rows:
        kept = (stored.get(item_id) or {}).get("note", "")
        if answering.note_refused(note, shown, kept):
            refused[item_id] = kept
    return form, outcomes, refused


NOTE_REFUSED = _l(
    "This evidence note was also changed elsewhere meanwhile, and both together are longer than"
    " a note may be: yours was not saved and is kept in the box above; the note saved elsewhere"
    " is shown below. Combine them into one note and save again."
)  # a page's evidence note refused (save_posted_page); questions/_item.html shows the other
