"""A refused multipart body leaves no temporary file open (assess/web/closing_request.py)."""

from __future__ import annotations

import gc
import warnings


def test_a_multipart_body_cut_short_leaves_no_open_file(client):
    """An upload big enough to be spooled to disk (over 500 KB), then the body ends without its
    closing boundary: the request is refused, and the spooled file is closed, not left to the
    garbage collector (which would warn)."""
    body = (
        b'--X\r\nContent-Disposition: form-data; name="f"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + b"%PDF-" + b"0" * 700_000
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = client.post("/login", data=body, content_type="multipart/form-data; boundary=X")
        gc.collect()
    assert response.status_code < 500
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_a_part_whose_name_werkzeug_cannot_read_is_dropped(app):
    """A field named with a carriage return came back named None, and the declaration and team
    views, reading field names, answered 500 (found by the fuzzer)."""
    with app.test_request_context(
        "/x",
        method="POST",
        data={"\r": "lost", "a": "1", "description:s01": "说明"},
        content_type="multipart/form-data",
    ):
        from flask import request

        assert list(request.form.items(multi=True)) == [("a", "1"), ("description:s01", "说明")]
