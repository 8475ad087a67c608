"""An enterprise's data as one archive (个人信息保护法 第四十五条: a copy of one's data): its organisation
and accounts, its assessments with their answers, evidence notes, visits and evidence files, its
reports, its roadmap plan, its consultants' access and the audit entries about it. JSON for everything, CSV beside
the tables one opens in a spreadsheet. No Flask: the web layer hands over the reports.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import IO

from sqlite_utils import Database

from assess.assessment import evidence_files
from assess.declaration import attachments
from assess.organisation.permissions import may_see
from assess.report.exports import safe
from assess.store import audit, organisations
from assess.store import personal_data as store
from assess.store.audit import Actor
from assess.store.database import read_snapshot, write_transaction

README = """assess: the data of {name}, exported {when}
assess：{name} 的全部数据，导出于 {when}

organisation.json   the enterprise and its accounts, with each account's API tokens (name,
                    scope, prefix, made, expires, last used, revoked; never the token) /
                    企业信息及其账号，含各账号的 API 令牌（名称、权限、前缀、创建、到期、
                    最近使用和撤销时间，不含令牌本身）
assessments.json    every assessment you can see, with answers, evidence notes, visits /
                    可查看的全部评估，含答案、证据说明、现场走访记录
answers.csv         the answers as a table / 答案表格
evidence/           the evidence files, by assessment / 证据文件（按评估分目录）
reports/            the reports (PDF when one was made, else the HTML page) /
                    评估报告（已生成 PDF 的为 PDF，否则为 HTML 网页）
declarations.json   declarations, their scenarios, files, review steps, re-checks and
                    recognitions / 申报及其场景说明、附件、审核记录、现场复核和认定
declarations/       the declarations' attachments, by declaration / 申报附件（按申报分目录）
roadmap.json        the roadmap's target and each action's owner and due date /
                    路线图的目标，以及每项行动的负责人和完成日期
access.json         consultants' access and invitations / 评估顾问的访问授权和邀请
audit.json, audit.csv  the audit entries about your enterprise / 与贵企业有关的审计日志
"""
# one report of an assessment: (file name, bytes), or None when there is none to give
Reports = Callable[[dict], Iterable[tuple[str, bytes]]]


def write_archive(
    db: Database,
    user,
    folder: Path,
    reports: Reports,
    out: IO[bytes],
    when: str,
    by: Actor,
) -> None:
    """Write the ZIP of the user's organisation to `out` (the assessments it may see, as in the
    app) and record the export in the audit log."""
    with read_snapshot(db):
        organisation = organisations.get(db, user.organisation_id)
        found = store.scope(db, organisation["id"])
        rows = [
            row
            for row in db.query(
                "SELECT * FROM assessments WHERE organisation_id = ? ORDER BY id",
                [organisation["id"]],
            )
            if may_see(db, user, row)
        ]
        visible = store.Scope(
            found.organisation_id,
            found.user_ids,
            found.emails,
            tuple(r["id"] for r in rows),
            found.grant_ids,
            found.declaration_ids,
        )
        details = {
            table: store.rows_of(db, table, visible)
            for table in ("answers", "answer_comments", "site_visits", "evidence_files")
        }
        entries = store.audit_entries(db, found)
        accounts = store.accounts(db, found)
        tokens = store.api_tokens(db, found)
        access = store.grants(db, found)
        declared = store.declarations(db, found)
        roadmap = store.roadmap(db, found)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(name=organisation["name"], when=when))
        _json(
            archive,
            "organisation.json",
            {
                "organisation": {
                    k: v for k, v in organisation.items() if k not in ("claim_code_hash",)
                },
                "accounts": [
                    {**a, "api_tokens": [t for t in tokens if t["user_id"] == a["id"]]}
                    for a in accounts
                ],
            },
        )
        _json(
            archive,
            "assessments.json",
            [{**row, **_by_assessment(details, row["id"])} for row in rows],
        )
        _csv(archive, "answers.csv", details["answers"])
        _evidence(archive, folder, details["evidence_files"])
        for row in rows:
            if row["status"] == "submitted":
                for name, data in reports(row):
                    archive.writestr(f"reports/{name}", data)
        _json(archive, "declarations.json", declared)
        _attachments(archive, folder, declared["declaration_files"])
        _json(archive, "roadmap.json", roadmap)
        _json(archive, "access.json", access)
        own = set(found.user_ids)
        shown = [
            {**e, "ip": e["ip"] if e["user_id"] in own else None, "detail": json.loads(e["detail"])}
            for e in entries
        ]
        _json(archive, "audit.json", shown)
        _csv(archive, "audit.csv", [{**e, "detail": json.dumps(e["detail"])} for e in shown])
    with write_transaction(db):
        audit.record_by(
            db,
            by,
            "organisation_exported",
            target_type="organisation",
            target_id=organisation["id"],
        )


def _by_assessment(details: dict, assessment_id: int) -> dict:
    return {
        table: [r for r in rows if r["assessment_id"] == assessment_id]
        for table, rows in details.items()
    }


def _evidence(archive: zipfile.ZipFile, folder: Path, files: list[dict]) -> None:
    for row in files:
        name = evidence_files.download_name(row["original_name"], row["mime_type"])
        with suppress(evidence_files.EvidenceError, OSError):  # a file gone: the row says so
            data = evidence_files.path_of(folder, row["stored_name"]).read_bytes()
            archive.writestr(f"evidence/{row['assessment_id']}/{row['id']}-{name}", data)


def _attachments(archive: zipfile.ZipFile, folder: Path, files: list[dict]) -> None:
    for row in files:
        path = attachments.path(folder, row)
        if path is not None:  # a file gone: the row says so
            name = evidence_files.download_name(row["original_name"], row["mime_type"])
            archive.writestr(
                f"declarations/{row['declaration_id']}/{row['id']}-{name}", path.read_bytes()
            )


def _json(archive: zipfile.ZipFile, name: str, value) -> None:
    archive.writestr(name, json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _csv(archive: zipfile.ZipFile, name: str, rows: list[dict]) -> None:
    text = io.StringIO()
    if rows:
        writer = csv.DictWriter(text, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: safe(v) for k, v in row.items()} for row in rows)
    archive.writestr(name, "\ufeff" + text.getvalue())  # a BOM: Excel reads it as UTF-8
