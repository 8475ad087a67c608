"""The administrator's journey in a browser, at 1366 and at 390 px: invite an authority account
for a city (it exists once its invitation is accepted from the mailbox), send a consultant a
password reset (used from the mailbox), create a park and move two enterprises into it, make a
backup and download it, upload questionnaire version 2027.1 and publish it (a new assessment
starts on it, a draft started before still opens on 2026.1); the audit log shows each in words. Screenshots are kept in SHOTS for a
person to look at."""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

import pytest

from assess.organisation import credit_code
from assess.store import users
from assess.store.database import connect, write_transaction
from tests.domain import next_version_source
from tests.support import PASSWORD, MailServer, png, start_assessment_under

SHOTS = Path("/tmp/admin-shots")
NEW = "Browser-new-2026!"
COUNTY = "320505"


def _world(app) -> None:
    """The administrator, a consultant, and three enterprises of one county (none in a park)."""
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        for n, name in enumerate(
            ["虎丘精密机床有限公司", "狮山数控装备有限公司", "枫桥齿轮有限公司"]
        ):
            body = f"91{COUNTY}{n + 1:09d}"
            db["organisations"].insert(
                {
                    "name": name,
                    "credit_code": body + credit_code.check_character(body),
                    "region_code": COUNTY,
                    "sector": "machine_tools",
                    "size": "medium",
                }
            )
        users.create(
            db, email="admin@example.com", name="系统管理员", password=PASSWORD, role="admin"
        )
        users.create(
            db, email="li@example.com", name="李顾问", password=PASSWORD, role="consultant"
        )
        for email, organisation_id in (("fq@example.com", 3), ("ss@example.com", 2)):
            users.create(
                db,
                email=email,
                name="厂长",
                password=PASSWORD,
                role="enterprise",
                organisation_id=organisation_id,
            )
    db.close()
    # 枫桥's draft was started on 2026.1, before 2027.1 is published
    db = connect(app.config["DATABASE"])
    start_assessment_under(app, db, 3, "2026.1")
    db.close()


def _shot(page, width: int, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-{width}-{name}.png"), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{name} is {wide} px wide at {width} px"


def _log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_administrators_journey(live_app, browser, console, smtp, width, tmp_path):
    from tests.browser.conftest import new_tab

    base = live_app.config["LIVE_URL"]
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    _world(live_app)
    page = new_tab(browser, console, **({"is_mobile": True} if width == 390 else {}))
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, base, "admin@example.com")

    # an authority account for a city, by invitation
    page.goto(base + "/admin")
    page.click("text=新建账户")
    page.fill("#email", "city@example.com")
    page.fill("#name", "苏州市工业和信息化局")
    page.select_option("#role", "authority")
    page.fill("#region", "320500")
    _shot(page, width, "invite")
    page.click("text=发送邀请")
    page.wait_for_selector("text=邀请已发送至 city@example.com")
    assert "苏州市" in page.inner_text("table")
    _shot(page, width, "invited")

    # a password reset for the consultant
    page.goto(base + "/admin")
    page.click("text=li@example.com")
    page.click("text=发送密码重置链接")
    page.wait_for_selector("text=设置新密码的链接已发送到该账户的电子邮箱")
    _shot(page, width, "account")

    # a consultancy with its logo, and the consultant placed in it
    page.goto(base + "/admin/firms")
    page.fill("#name", "江南智造咨询有限公司")
    page.fill("#qualification", "CMMM 评估机构 No. 2026-0417")
    page.set_input_files(
        "#logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": png(64, 32)}]
    )
    page.click("text=创建咨询机构")
    page.wait_for_selector("text=咨询机构已创建")
    page.fill("#email", "li@example.com")
    page.click("text=加入本咨询机构")
    page.wait_for_selector("text=li@example.com 现为本咨询机构的评估顾问")
    assert page.locator("img.firm-logo").count() == 1
    _shot(page, width, "firm")

    # a park, and two enterprises moved into it
    page.goto(base + "/admin/parks")
    page.fill("#county", COUNTY)
    page.fill("#name_zh", "虎丘高新技术产业园")
    page.click("text=创建园区")
    page.wait_for_selector("text=虎丘精密机床有限公司")
    page.check("label:has-text('虎丘精密机床有限公司') input")
    page.check("label:has-text('狮山数控装备有限公司') input")
    page.click("button:has-text('移入园区')")
    page.wait_for_selector("table.audit")
    members = page.inner_text("table.audit")
    assert "虎丘精密机床有限公司" in members and "狮山数控装备有限公司" in members
    assert "枫桥齿轮有限公司" not in members
    _shot(page, width, "park")

    # a backup, made and downloaded
    page.goto(base + "/admin/backups")
    page.click("button:has-text('立即备份')")
    for _ in range(60):
        if page.locator("a:has-text('下载')").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    _shot(page, width, "backups")
    with page.expect_download() as downloaded:
        page.click("a:has-text('下载')")
    archive = Path(downloaded.value.path())
    with tarfile.open(archive) as tar:
        assert any(name.endswith(".sqlite") for name in tar.getnames())

    # a questionnaire version: 2027.1 uploaded as a draft, read, published
    page.goto(base + "/admin/questionnaires")
    assert "新评估使用此版本" in page.inner_text("table")
    upload = tmp_path / "machinery-smart-factory-2027.1.yaml"
    upload.write_text(next_version_source(), encoding="utf-8")
    page.set_input_files("#file", str(upload))
    page.click("text=上传并检查")
    page.wait_for_selector("text=版本 2027.1 已保存为草稿")
    assert "basic.operations_2027" in page.inner_text("main")
    _shot(page, width, "questionnaire-draft")
    page.click("text=发布版本 2027.1")
    page.wait_for_selector("text=新评估从 2027.1 开始")
    _shot(page, width, "questionnaire-published")
    page.goto(base + "/admin/questionnaires")
    rows = page.inner_text("table")
    assert "2027.1" in rows.split("新评估使用此版本")[0]
    _shot(page, width, "questionnaires")

    # the audit log says each in words
    page.goto(base + "/admin/audit")
    log = page.inner_text("main")
    for words in (
        "邀请开通账户",
        "向账户发送了密码重置链接",
        "创建了园区",
        "开始了备份",
        "下载了备份",
        "上传了问卷版本草稿",
        "发布了问卷版本",
    ):
        assert words in log, words
    assert "其他操作" not in log
    _shot(page, width, "audit")

    # from the mailboxes: the authority accepts its invitation, the consultant resets
    page.context.clear_cookies()
    mail = {tuple(rcpt): m for rcpt, m in smtp.deliver(live_app)}
    invitation = mail[("city@example.com",)]
    assert invitation["Subject"] == "您在智能工厂评估服务的账户"
    page.goto(base + MailServer.link(invitation, "/accounts/join/"))
    _shot(page, width, "join")
    page.fill("#password", NEW)
    page.fill("#confirm", NEW)
    page.check("#consent")
    page.click("text=创建账户")
    page.wait_for_url(re.compile(r".*/authority.*|.*/$"))
    page.goto(base + "/authority")
    assert "苏州市" in page.inner_text("main")
    page.context.clear_cookies()

    reset = mail[("li@example.com",)]
    page.goto(base + MailServer.link(reset, "/password/reset/"))
    page.fill("#password", NEW)
    page.fill("#confirm", NEW)
    page.click("text=保存新密码")
    page.wait_for_selector("text=密码已更改，请使用新密码登录")
    _log_in(page, base, "li@example.com", NEW)
    assert "/login" not in page.url
    page.context.clear_cookies()

    # a new assessment starts on 2027.1; 枫桥's draft still opens on 2026.1
    for email, button, version, name in (
        ("ss@example.com", "开始首次评估", "2027.1", "new-on-2027"),
        ("fq@example.com", "从上次中断处继续", "2026.1", "old-on-2026"),
    ):
        _log_in(page, base, email)
        page.goto(base + "/assessments")
        page.click(f"text={button}")
        page.wait_for_selector(f"text=· {version}")  # the wizard's heading: title · version
        _shot(page, width, name)
        page.context.clear_cookies()
    page.context.close()
