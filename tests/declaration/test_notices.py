"""The enterprise is told by e-mail what each review step decided (a real SMTP server on
loopback: the `smtp` fixture)."""

from __future__ import annotations

from tests.programme import decide, declared
from tests.support import MailServer


def test_each_review_outcome_reaches_the_enterprise_with_its_reasons(app, world, evidence, smtp):
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    decide(world, "suzhou", declaration_id, "return", "请补充场景照片")
    arrived = [m for _, m in smtp.deliver(app) if m["X-Assess-Kind"] == "declaration_review"]
    assert len(arrived) == 2
    passed, returned = (MailServer.text(m) for m in arrived)
    assert "您的申报已通过一个审核环节" in passed
    assert "您的申报已退回修改" in returned and "审核意见：请补充场景照片" in returned
    assert f"/declarations/{declaration_id}" in returned
    assert all(m["To"] == "ent@example.com" for m in arrived)
