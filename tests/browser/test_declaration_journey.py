"""The smart-factory programme in a browser, as its users go through it: Suzhou opens its 基础级
round; an enterprise in a park declares from its assessment (contact, platform result,
descriptions, files) and submits; the park checks and recommends; the city asks for an on-site
re-check, the enterprise grants the expert access, the expert verifies on site and attaches
the result, the city recognises; the factory is on the recognised list and in Jiangsu's count.
Another declaration is returned by the park, amended and resubmitted; a third comes after the
deadline and is refused. Zhejiang sees none of it, and no authority sees an enterprise that
did not declare by name."""

from __future__ import annotations

import re
from datetime import date, timedelta

from assess.store import evidence, parks, users
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from tests.programme import organisation, submitted
from tests.support import PDF, PNG

PASSWORD = "Browser-test-2026"
TODAY = date.today()
DECLARING = "甲智能装备有限公司"  # in the park: declares, is recognised
RETURNED = "乙精密机械有限公司"  # in the park too: returned, amended, resubmitted
LATE = "丙数控机床有限公司"  # comes after the deadline
SILENT = "丁重工机械有限公司"  # reached Basic, never declares


def world(app) -> None:
    """Four enterprises of Suzhou with a submitted Basic self-assessment, their owners, the
    park, Suzhou, Jiangsu and Zhejiang authorities, and an expert (a consultant account)."""
    db = connect(app.config["DATABASE"])
    with app.app_context():
        q = questionnaires.latest()
    with write_transaction(db):
        park = parks.create(db, "320505", "高新区智能制造园", "Smart park")
        for n, (name, region, in_park, email) in enumerate(
            (
                (DECLARING, "320505", True, "a@example.com"),
                (RETURNED, "320505", True, "b@example.com"),
                (LATE, "320505", True, "c@example.com"),
                (SILENT, "320505", True, "d@example.com"),
            )
        ):
            org = organisation(db, name, region, park if in_park else None)
            submitted(db, q, org, "basic", seed=n + 1)
            users.create(
                db,
                email=email,
                name=name[:2],
                password=PASSWORD,
                role="enterprise",
                organisation_id=org,
            )
        for email, scope in (
            ("park@example.com", "320505"),
            ("suzhou@example.com", "3205"),
            ("jiangsu@example.com", "32"),
            ("zhejiang@example.com", "33"),
        ):
            made = users.create(
                db, email=email, name=email, password=PASSWORD, role="authority", region_scope=scope
            )
            if email.startswith("park"):
                parks.assign_authority(db, made, park)
        users.create(
            db, email="expert@example.com", name="王专家", password=PASSWORD, role="consultant"
        )
    db.close()


def login(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")


def start_declaration(page, base) -> int:
    page.goto(base + "/declarations")
    page.click("text=开始申报")
    page.wait_for_url(re.compile(r".*/declarations/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def fill_and_submit(page, tmp_path) -> None:
    """What the product does not know: a contact, the platform's result, a description per
    scenario, the required files and a photo; then submit."""
    page.fill("#contact_name", "李工")
    page.fill("#contact_phone", "0512-87654321")
    page.fill("#contact_email", "li@example.com")
    page.select_option("#platform_level", "2")
    page.fill("#platform_score", "2.31")
    page.fill("#platform_date", "2026-04-10")
    descriptions = page.locator(".declaration-form textarea")
    assert descriptions.count() >= 1
    for i in range(descriptions.count()):
        descriptions.nth(i).fill(
            "部署MES系统，关键工序数据实时采集，计划调整时间由一天缩短到两小时。"
        )
    with page.expect_navigation():  # the post answered before the next step reads the page
        page.click(".declaration-form button[type=submit]")
    pdf, png = tmp_path / "材料.pdf", tmp_path / "车间.png"
    pdf.write_bytes(PDF)
    png.write_bytes(PNG)
    for kind in ("licence", "financials", "commitment", "platform_report"):
        form = page.locator(f"#files form:has(input[name=kind][value={kind}])")
        form.locator("input[type=file]").set_input_files(str(pdf))
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    form = page.locator("#files form:has(input[name=kind][value=photo])")
    form.locator("input[type=file]").set_input_files(str(png))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "本批次要求的材料均已齐全" in page.inner_text("#missing")
    with page.expect_navigation():
        page.click("#missing button[type=submit]")


def decide(page, base, declaration_id: int, outcome: str, comments: str = "") -> str:
    page.goto(f"{base}/review/declarations/{declaration_id}")
    form = page.locator("#decide")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    form.locator("label.option", has_text=outcome).locator("input").check()
    form.locator("#comments").fill(comments)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    return page.inner_text("main")


def verify_every_answer(app, assessment_id: int, email: str) -> None:
    """The expert ticks 已核实 on every answer (the boxes themselves are tested with the
    on-site wizard): only an assessment verified on site can be attached to a re-check."""
    db = connect(app.config["DATABASE"])
    expert = users.get_by_email(db, email)["id"]
    with write_transaction(db):
        for (item,) in db.execute(
            "SELECT item_id FROM answers WHERE assessment_id = ?", [assessment_id]
        ).fetchall():
            evidence.save(
                db, assessment_id, item, note="", quality=None, verified=True, user_id=expert
            )
    db.close()


def test_declare_review_recheck_recognise_return_amend_and_a_late_one(
    live_app, page, console, tmp_path
):
    base = live_app.config["LIVE_URL"]
    world(live_app)
    # Suzhou opens its round
    login(page, base, "suzhou@example.com")
    page.goto(base + "/review")
    page.fill("input[name=opens_on]", (TODAY - timedelta(days=30)).isoformat())
    page.fill("input[name=deadline]", (TODAY + timedelta(days=20)).isoformat())
    page.click("text=开启批次")
    assert "已开启申报批次" in page.inner_text("main")

    # the enterprise in the park declares
    login(page, base, "a@example.com")
    page.goto(base + "/declarations")
    assert "苏州市" in page.inner_text("main") and "基础级" in page.inner_text("main")
    declared = start_declaration(page, base)
    # until it is submitted, no authority sees it
    login(page, base, "park@example.com")
    page.goto(base + "/review")
    assert DECLARING not in page.inner_text("main")
    login(page, base, "a@example.com")
    page.goto(f"{base}/declarations/{declared}")
    fill_and_submit(page, tmp_path)
    assert "已提交申报" in page.inner_text("main")

    # Zhejiang sees neither the declaration nor the enterprise
    login(page, base, "zhejiang@example.com")
    page.goto(base + "/review")
    assert DECLARING not in page.inner_text("main")
    console.expect(rf"404 .*/review/declarations/{declared}\)$")  # asked for below, on purpose
    assert page.goto(f"{base}/review/declarations/{declared}").status == 404

    # the park checks the material and recommends; the city could not decide before
    login(page, base, "park@example.com")
    page.goto(base + "/review")
    row = page.locator("tr", has_text=DECLARING)
    assert "您" in row.inner_text()
    row.get_by_role("link", name="审核").click()
    page.wait_for_url(re.compile(rf".*/review/declarations/{declared}$"))
    assert "已记录：已推荐" in decide(page, base, declared, "推荐至下一环节", "材料齐全，情况属实")

    # the city asks for an on-site re-check by the expert
    login(page, base, "suzhou@example.com")
    page.goto(f"{base}/review/declarations/{declared}")
    page.fill("#recheck input[name=email]", "expert@example.com")
    page.fill("#recheck input[name=note]", "请核查MES部署情况")
    page.click("text=请求现场复核")
    assert "已请求现场复核" in page.inner_text("main")

    # the enterprise grants the expert access through its consultants page
    login(page, base, "a@example.com")
    page.goto(base + "/consultants")
    with page.expect_navigation():
        page.locator("tr", has_text="王专家").get_by_role("button", name="授权访问").click()

    # the expert verifies on site, submits and attaches the verified assessment
    login(page, base, "expert@example.com")
    page.goto(base + "/rechecks")
    assert DECLARING in page.inner_text("main") and "请核查MES部署情况" in page.inner_text("main")
    page.click("text=打开客户")
    page.click("text=从企业自评估开始")
    page.wait_for_url(re.compile(r".*/assessments/\d+/(pages/.*|submit)$"))
    on_site = re.search(r"/assessments/(\d+)/", page.url).group(1)
    verify_every_answer(live_app, int(on_site), "expert@example.com")
    page.goto(f"{base}/assessments/{on_site}/submit")
    page.fill("input[name=visit_date]", (TODAY - timedelta(days=1)).isoformat())
    page.fill("input[name=site]", "总装车间")
    page.fill("input[name=participants]", "王专家、李工")
    page.click("text=记录走访")
    assert "需要作答" not in page.inner_text("main")
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    page.goto(base + "/rechecks")
    with page.expect_navigation():
        page.get_by_role("button", name="附上").click()
    assert "已将核实的评估附于申报" in page.inner_text("main")

    # the city sees the verified result and recognises
    login(page, base, "suzhou@example.com")
    page.goto(f"{base}/review/declarations/{declared}")
    assert "核实结果" in page.inner_text("main")
    assert "已记录：已认定" in decide(page, base, declared, "认定", "同意认定")

    # on the recognised list and in the province's count; the enterprise sees it
    login(page, base, "jiangsu@example.com")
    page.goto(base + "/review/recognised")
    assert DECLARING in page.inner_text("main")
    page.goto(base + "/authority")
    funnel = page.locator("ol.funnel li")
    stages = dict(
        zip(
            funnel.locator(".label").all_inner_texts(),
            funnel.locator("strong").all_inner_texts(),
            strict=True,
        )
    )
    assert stages["已认定"] == "1" and stages["已申报"] == "1"
    assert stages["已提交评估"] == "4"  # the headline figures of a province are always shown
    assert DECLARING in page.locator("section.programme").inner_text()
    assert SILENT not in page.inner_text("main")  # never declared: in the figures only
    login(page, base, "a@example.com")
    page.goto(f"{base}/declarations/{declared}")
    assert "已认定" in page.inner_text("main") and "同意认定" in page.inner_text("main")

    # another declaration is returned by the park, amended and resubmitted
    login(page, base, "b@example.com")
    returned = start_declaration(page, base)
    fill_and_submit(page, tmp_path)
    login(page, base, "park@example.com")
    console.expect(rf"400 .*/review/declarations/{returned}/decide\)$")  # refused, on purpose
    main = decide(page, base, returned, "退回修改")
    assert "退回或不予通过时请说明理由" in main  # a return says why
    # what the reviewer ticked and chose comes back with the message
    assert page.locator("#decide input[name='check:licence']").is_checked()
    assert page.locator("#decide input[name=outcome][value=return]").is_checked()
    main = decide(page, base, returned, "退回修改", "营业执照不清晰，请重新上传")
    assert "已记录：已退回修改" in main
    login(page, base, "b@example.com")
    page.goto(f"{base}/declarations/{returned}")
    main = page.inner_text("main")
    assert "营业执照不清晰" in main and "退回修改" in main
    with page.expect_navigation():
        page.locator("#files .attachment").first.get_by_role("button", name="删除").click()
    assert "营业执照" in page.inner_text("#missing")
    scan = tmp_path / "执照.png"
    scan.write_bytes(PNG)
    licence = page.locator("#files form:has(input[name=kind][value=licence])")
    licence.locator("input[type=file]").set_input_files(str(scan))
    with page.expect_navigation():
        licence.locator("button[type=submit]").click()
    with page.expect_navigation():
        page.click("text=提交修改后的申报")
    assert "修改后的申报已重新提交审核" in page.inner_text("main")
    login(page, base, "park@example.com")
    assert "已记录：已推荐" in decide(page, base, returned, "推荐至下一环节")

    # a declaration after the deadline is refused, with the date
    login(page, base, "c@example.com")
    page.goto(base + "/declarations")  # the page was opened before the deadline passed
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    late = connect(live_app.config["DATABASE"])
    with write_transaction(late):
        late.execute("UPDATE declaration_rounds SET deadline = ?", [yesterday])
    late.close()
    with page.expect_navigation():
        page.click("text=开始申报")
    assert f"本批次申报截止日期为{yesterday}，已不再受理申报。" in page.inner_text("main")
    login(page, base, "jiangsu@example.com")
    page.goto(base + "/review")
    main = page.inner_text("main")
    assert LATE not in main and SILENT not in main and RETURNED in main
