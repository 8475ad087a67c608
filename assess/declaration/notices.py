"""The enterprise is told by e-mail what became of its declaration at each review step (in the
step's transaction; accounts that turned notifications off get none). No Flask."""

from __future__ import annotations

from sqlite_utils import Database

from assess.organisation import mail


def reviewed(db: Database, row: dict, status: str, comments: str) -> list[int]:
    """A step decided the declaration `row`; `status` is its status after the step."""

    def write(t):
        what = {
            "returned": t.gettext(
                "Your declaration was returned for changes. Amend it and submit it again."
            ),
            "rejected": t.gettext("Your declaration was rejected."),
            "in_review": t.gettext(
                "Your declaration passed a review step and goes on to the next reviewer."
            ),
            "recognised": t.gettext("Your declaration was recognised."),
            "recommended": t.gettext("Your declaration was recommended to the ministry."),
        }[status]
        paragraphs = [what]
        if comments:
            paragraphs.append(t.gettext("The reviewer's comments: %(comments)s", comments=comments))
        paragraphs.append(mail.url(db, f"/declarations/{row['id']}"))
        return (t.gettext("The review of your declaration: a decision"), *paragraphs)

    return mail.to_organisation(db, row["organisation_id"], "declaration_review", write)
