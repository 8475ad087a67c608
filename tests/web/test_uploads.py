"""How large a body may be (assess/web/uploads.py): small everywhere, large only where a view
takes files and only for a logged-in user of a role that uploads there; decided before any of
the body is read."""

from __future__ import annotations

import io

import pytest

from assess.web.access import access_roles
from assess.web.uploads import declared_upload
from tests.support import PASSWORD, PNG, post_with_files, start_assessment

MB = 1024 * 1024


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes of url-encoded fields that counts what the app reads."""

    def __init__(self, size: int, chunk: bytes = b"a=1&"):
        self.size, self.chunk, self.given = size, chunk, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.given)
        pattern = (self.chunk * (n // len(self.chunk) + 1))[:n]
        buffer[:n] = pattern
        self.given += n
        return n


def post_stream(client, url, size, content_type="application/x-www-form-urlencoded", **kw):
    stream = CountingStream(size)
    response = client.post(
        url,
        content_type=content_type,
        environ_overrides={"wsgi.input": stream, "CONTENT_LENGTH": str(size)},
        **kw,
    )
    return response, stream.given


def test_an_anonymous_large_form_is_refused_before_it_is_read(client):
    """Item 1: 40 MB of url-encoded fields to the login form: 413 with a page saying why, and
    not a byte of the body read (before, all of it was parsed before login or CSRF)."""
    response, read = post_stream(client, "/login", 40 * MB)
    assert response.status_code == 413
    assert "过大" in response.get_data(as_text=True)
    assert read == 0


def chunked_post(client, url, size, **kw):
    """A body of `size` bytes that does not say its length (Transfer-Encoding: chunked)."""
    stream = CountingStream(size)
    response = client.post(
        url,
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input": stream, "wsgi.input_terminated": True},
        **kw,
    )
    return response, stream.given


def test_a_body_without_a_length_is_refused_unread(client):
    """A chunked body (no Content-Length) to a view that takes no files: 411 with a page that
    says why, and not a byte read (before, up to the 2 MB limit was read, then refused)."""
    response, read = chunked_post(client, "/login", 40 * MB)
    assert response.status_code == 411
    assert "长度" in response.get_data(as_text=True)
    assert read == 0


def test_a_body_without_a_length_is_read_up_to_the_limit_where_files_are_taken(
    app, accounts, on_site
):
    """The consultant's on-site page takes files: a chunked body is read, but never past the
    upload limit."""
    page = f"/assessments/{on_site['id']}/pages/cmmm-personnel"
    response, read = chunked_post(accounts.client, page, 200 * MB)
    assert response.status_code == 413
    assert app.config["MAX_CONTENT_LENGTH"] < read <= 60 * MB + 64 * 1024


def test_a_form_of_too_many_fields_is_refused_even_when_small(client):
    """Item 1: 200,000 empty fields fit in 600 KB; their count is refused before parsing."""
    response = client.post(
        "/login", data=b"a&" * 200_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_a_logged_in_user_gets_the_small_limit_where_no_files_are_taken(enterprise):
    response, read = post_stream(enterprise["client"], "/account", 3 * MB)
    assert response.status_code == 413 and read == 0


def test_only_the_roles_that_upload_get_the_large_limit_on_a_page_that_takes_files(
    app, accounts, on_site
):
    """The on-site wizard page takes evidence files from its consultant: 5 MB of photos are
    received; the same body from anyone else (anonymous, the enterprise on its own draft) is
    refused unread."""
    big = PNG + b"\x00" * (5 * MB)
    response = post_with_files(
        accounts.client, on_site["id"], [("大照片.png", big)], **{"org_strategy-1": "most"}
    )
    assert response.status_code == 302
    page = f"/assessments/{on_site['id']}/pages/cmmm-personnel"
    response, read = post_stream(app.test_client(), page, 5 * MB, "multipart/form-data; boundary=X")
    assert response.status_code == 413 and read == 0
    assert "登录" in response.get_data(as_text=True)  # why: the session is gone
    owner = app.test_client()
    owner.post("/login", data={"email": on_site["email"], "password": PASSWORD})
    own_draft = f"/assessments/{start_assessment(owner)}/pages/cmmm-personnel"
    response, read = post_stream(owner, own_draft, 5 * MB, "multipart/form-data; boundary=X")
    assert response.status_code == 413 and read == 0


def test_every_upload_declaration_is_for_roles_the_view_admits(app):
    declared = {
        endpoint: (declared_upload(view), access_roles(view))
        for endpoint, view in app.view_functions.items()
        if declared_upload(view) is not None
    }
    assert "wizard.page" in declared
    for endpoint, (upload, roles) in declared.items():
        assert upload.roles <= roles, endpoint
        assert upload.max_bytes > app.config["MAX_CONTENT_LENGTH"], endpoint


@pytest.mark.parametrize("url", ["/login", "/register", "/lang"])
def test_ordinary_forms_still_work(client, url):
    assert client.post(url, data={"lang": "en", "email": "a@b.c"}).status_code < 500
