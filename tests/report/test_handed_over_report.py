"""A verified report after a hand-over between two consultants of one firm: the cover says
who recorded each visit and who verified how many answers, and the statement the new holder
signs does not claim their colleague's visit and checks as their own; the firm's
qualification is worded as the firm's."""

from __future__ import annotations

import html

from assess.store import users
from tests.support import VISIT_ZH, firm_of, verify_on_site


def test_the_signed_cover_attributes_each_visit_and_check_after_a_hand_over(
    app, accounts, on_site, db
):
    accounts.user("consultant", email="c2@example.com", name="李顾问")
    firm_of(db, "c@example.com", "c2@example.com")
    client = accounts.client
    first, rated = verify_on_site(app, db, client, on_site["id"], share=0.1)
    to = users.get_by_email(db, "c2@example.com")["id"]
    client.post(f"/consultant/clients/{on_site['org']}/hand-over", data={"to": to})
    accounts.logout()
    accounts.login("c2@example.com")
    verified, _ = verify_on_site(app, db, accounts.client, on_site["id"], share=1.0)
    assert verified == rated and 0 < first < rated
    response = accounts.client.post(
        f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = html.unescape(
        accounts.client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    )
    cover = page[
        page.index('class="cover"') : page.index("</section>", page.index('class="cover"'))
    ]
    assert f"{VISIT_ZH}（王顾问记录）、{VISIT_ZH}（李顾问记录）" in cover
    assert f"李顾问：{rated - first} 项、王顾问：{first} 项" in cover
    assert "机构资质" in cover
    # the signer signs; the checks are not all said to be theirs
    assert "李顾问对客户机械有限公司开展现场评估" not in cover
    assert f"{rated} 项评分答案中的 {rated} 项已由上列评估顾问对照现场所见证据核实" in cover


def test_a_cover_signed_by_the_consultant_who_did_everything_names_no_one_else(
    app, accounts, on_site, db
):
    firm_of(db, "c@example.com")
    verified, rated = verify_on_site(app, db, accounts.client, on_site["id"], share=1.0)
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    page = html.unescape(
        accounts.client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    )
    cover = page[
        page.index('class="cover"') : page.index("</section>", page.index('class="cover"'))
    ]
    assert "记录）" not in cover and "核实答案的评估顾问" not in cover
    assert "王顾问" in cover and f"核实了其 {rated} 项评分答案中的 {verified} 项" in cover
