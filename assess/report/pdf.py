"""The PDF of a document: HTML rendered by WeasyPrint with a URL fetcher that reads only the
app's own static files, and a cache by content hash. No Flask, no database: render workers run
this (assess/report/rendering.py)."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

# Bump when the report's content or layout changes, so that cached PDFs are made again.
REPORT_VERSION = "1"
PACKAGE_DIR = Path(str(files("assess")))
TEMPLATE_DIR = PACKAGE_DIR / "templates" / "report"
STATIC_DIR = PACKAGE_DIR / "static"
log = logging.getLogger(__name__)


def cache_key(parts: dict) -> str:
    """A hash of everything the report depends on (assess/report/document.py: cache_parts),
    with the code, templates and translations that lay it out."""
    parts = {**parts, "report_version": REPORT_VERSION, "templates": _template_digest()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


_TEMPLATE_DIGEST: str | None = None


def release() -> str:
    """What a render worker must run to render a job: the same templates, stylesheet, code and
    translations as the app that queued it (a worker of another release leaves the job)."""
    return _template_digest()


def _template_digest() -> str:
    """A hash of what makes the report look as it does besides its data.

    The templates and stylesheet, the code that lays out charts and tables, and the
    translations: after an upgrade changes any of them, a cached PDF is made again.
    """
    global _TEMPLATE_DIGEST
    if _TEMPLATE_DIGEST is None:
        digest = hashlib.sha256()
        for path in report_inputs():
            digest.update(str(path.relative_to(PACKAGE_DIR.parent)).encode())
            digest.update(path.read_bytes())
        _TEMPLATE_DIGEST = digest.hexdigest()[:16]
    return _TEMPLATE_DIGEST


def report_inputs() -> list[Path]:
    return sorted(
        [
            *TEMPLATE_DIR.glob("*.html"),
            STATIC_DIR / "report.css",
            *PACKAGE_DIR.rglob("*.py"),
            *PACKAGE_DIR.glob("translations/*/LC_MESSAGES/*.mo"),
        ]
    )


def _fetcher():
    """A URL fetcher that reads only data: URLs and the app's static files."""
    from weasyprint.urls import URLFetcher

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:///static/"):
                name = url.removeprefix("file:///static/").split("?")[0]
                path = (STATIC_DIR / name).resolve()
                if path.is_file() and STATIC_DIR in path.parents:
                    from weasyprint.urls import URLFetcherResponse

                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path)})
            raise ValueError(f"blocked: the report fetches only its own static files ({url[:80]})")

    return StaticOnly(allowed_protocols={"data", "file"}, timeout=1)


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(
        path.suffix, "application/octet-stream"
    )


def html_to_pdf(html: str) -> bytes:
    """Render the report HTML to a tagged PDF."""
    from weasyprint import HTML

    with collector_paused():
        document = HTML(string=html, base_url="file:///", url_fetcher=_fetcher())
        # pdf_tags: a tagged PDF (headings, tables, figures with their alt text) for screen
        # readers.
        return document.write_pdf(pdf_tags=True)


_PAUSED = 0
_PAUSED_LOCK = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while WeasyPrint lays out and draws a document.

    The largest report makes some 140,000 objects in reference cycles (boxes that point to their
    parents), and the collector walks the growing heap again and again while they are made:
    0.3 s of a 1.9 s render (bench/bench_report.py). Paused, they wait for one collection, which
    a render worker runs once the PDF is in the cache (`collect_garbage`), so no reader waits for
    it; elsewhere the collector's next turn takes them. The collector's first turn after a
    resume walks all that the pause let grow (0.16 s after the largest report), so a render
    worker holds the pause until the PDF is delivered (assess/report/rendering.py). The pause is
    the whole process's, so it is counted: two renders in threads, or a render inside a worker's
    own pause, resume it only when all are done."""
    global _PAUSED
    with _PAUSED_LOCK:
        _PAUSED += 1
        gc.disable()
    try:
        yield
    finally:
        with _PAUSED_LOCK:
            _PAUSED -= 1
            if _PAUSED == 0:
                gc.enable()


def collect_garbage() -> None:
    """Free what the last render left in reference cycles, after its PDF is delivered."""
    gc.collect()


def write_cache(cache_file: Path, body: bytes) -> None:
    """Write a finished PDF into the cache whole or not at all (a reader never sees half)."""
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    partial = cache_file.with_name(f"{cache_file.name}.{os.getpid()}.{threading.get_ident()}.part")
    partial.write_bytes(body)
    partial.replace(cache_file)
