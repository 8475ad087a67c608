"""The cycle collector is paused while a document renders, and always resumed after."""

from __future__ import annotations

import gc
import threading

import pytest

from assess.report import pdf


def test_a_render_runs_with_the_collector_paused_and_resumes_it(monkeypatch):
    import weasyprint

    seen, write = [], weasyprint.HTML.write_pdf

    def watching(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", watching)
    body = pdf.html_to_pdf("<html><body><p>一页</p></body></html>")
    assert body.startswith(b"%PDF") and seen == [False]
    assert gc.isenabled()


def test_the_collector_resumes_after_an_error():
    with pytest.raises(RuntimeError), pdf.collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a render failed")
    assert gc.isenabled()


def test_two_renders_in_threads_resume_it_only_when_both_are_done():
    first_in, second_done, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    states = {}

    def first():
        with pdf.collector_paused():
            first_in.set()
            first_may_leave.wait(5)
        states["after both"] = gc.isenabled()

    def second():
        first_in.wait(5)
        with pdf.collector_paused():
            pass
        states["after the second, the first still rendering"] = gc.isenabled()
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_done.wait(5)
    first_may_leave.set()
    for thread in threads:
        thread.join(5)
    assert states == {"after the second, the first still rendering": False, "after both": True}
