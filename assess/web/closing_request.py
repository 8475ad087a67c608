"""The app's request class: files an upload spooled to disk are closed even when parsing fails.

Werkzeug closes the files of a parsed form when the request ends; a multipart body refused half
way (too many parts, too large, malformed) leaves the temporary file it was writing open until
the garbage collector finds it. Under a stream of such bodies that is a leak of file handles.
"""

from __future__ import annotations

from typing import IO

from flask import Request as FlaskRequest


class ClosingRequest(FlaskRequest):
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
