"""The app's request class: a body limit chosen per endpoint and user before anything reads the
body, url-encoded forms held to the form limits, and files spooled to disk closed even when
parsing fails.

The limit (assess/web/uploads.py) is a property Werkzeug reads when the body is first read,
whoever reads it: CSRF protection, the access check or a view. A body that does not say its
length (chunked) is refused unread (411) unless the view takes files from this user: browsers
always declare the length of a form or a fetch, and without one Werkzeug would read up to the
limit before it could refuse (half the attackers of bench/bench_body_flood.py send those).

Werkzeug closes the files of a parsed form when the request ends; a multipart body refused half
way (too many parts, too large, malformed) leaves the temporary file it was writing open until
the garbage collector finds it. Under a stream of such bodies that is a leak of file handles.
"""

from __future__ import annotations

from typing import IO
from urllib.parse import parse_qsl

from flask import Request as FlaskRequest
from flask import has_request_context
from werkzeug.exceptions import LengthRequired, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from werkzeug.utils import cached_property

from assess.web import uploads


class FormParser(FormDataParser):
    """Werkzeug's parser, with the form limits applied to url-encoded bodies as well: at most
    max_form_memory_size bytes and max_form_parts fields, both checked before parsing (4
    million fields of a 43 MB body held a worker for 9 s)."""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        limit = self.max_form_memory_size
        if limit is not None and content_length is not None and content_length > limit:
            raise RequestEntityTooLarge()
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestEntityTooLarge()
        if self.max_form_parts is not None and body.count(b"&") >= self.max_form_parts:
            raise RequestEntityTooLarge()
        items = parse_qsl(body.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
        return stream, self.cls(items), self.cls()

    def _parse_multipart(self, stream, mimetype, content_length, options):
        """A part whose name Werkzeug cannot read (a carriage return in it) comes back with the
        name None, which every view reading field names would trip on: such parts are dropped,
        as if they had not been sent."""
        stream, form, files = super()._parse_multipart(stream, mimetype, content_length, options)
        return stream, self._named(form), self._named(files)

    def _named(self, fields):
        if None not in fields:
            return fields
        return self.cls([(k, v) for k, v in fields.items(multi=True) if isinstance(k, str)])


class ClosingRequest(FlaskRequest):
    form_data_parser_class = FormParser

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        """Set explicitly, that; else the limit of this endpoint for this user."""
        if self._max_content_length is not None or not has_request_context():
            return self._max_content_length
        return uploads.body_limit()

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @cached_property
    def stream(self) -> IO[bytes]:
        """The body, refused before a byte is read when it does not say its length and the
        view takes no files from this user."""
        if (
            self.content_length is None
            and "chunked" in self.headers.get("Transfer-Encoding", "").lower()
            and has_request_context()
            and not uploads.may_upload()
        ):
            raise LengthRequired()
        return super().stream

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        stream = super()._get_file_stream(
            total_content_length, content_type, filename, content_length
        )
        self.__dict__.setdefault("_spooled", []).append(stream)
        return stream

    def close(self) -> None:
        """Close the parsed files and every file spooled for them, parsed or not."""
        super().close()
        for stream in self.__dict__.pop("_spooled", ()):
            stream.close()
