"""The privacy notice: a page of its own, in both languages, linked from every page."""

from __future__ import annotations

import pytest

from assess.privacy import NOTICE_VERSION


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            [
                "隐私政策",
                "我们收集的信息",
                "谁能看到",
                "保存期限",
                "注销账号的后果",
                "support@example.com",
            ],
        ),
        (
            "en",
            [
                "Privacy notice",
                "What we collect",
                "Who sees it",
                "How long it is kept",
                "What closing an account does",
            ],
        ),
    ],
)
def test_the_notice_says_what_is_collected_who_sees_it_and_what_closing_does(client, lang, words):
    client.post("/lang", data={"lang": lang})
    page = client.get("/privacy").get_data(as_text=True)
    assert [w for w in words if w not in page] == []
    assert 'id="closing"' in page


def test_every_page_links_the_notice(client):
    for url in ("/", "/login", "/register"):
        assert 'href="/privacy"' in client.get(url).get_data(as_text=True), url


def test_the_notice_version_is_a_date():
    from datetime import date

    assert date.fromisoformat(NOTICE_VERSION) <= date.today()
