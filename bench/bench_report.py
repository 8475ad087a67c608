"""Report rendering: full report vs WeasyPrint alone, and a cached download.

    .venv/bin/python bench/bench_report.py [--rounds 7]

Builds the demo database in a temporary folder, picks the largest demo report (most HTML),
and prints the median warm time of: the full report (scoring, peers, history, template and
WeasyPrint), WeasyPrint alone on the same HTML, and a cached download through the app; then
the same for its annex (the method and every answer: a PDF and a render job of its own). Then
where WeasyPrint's time goes (CPU time of each stage: parsing, style and layout, drawing and
writing the PDF with its font subsets) for each, and the pages of each chapter.
Each PDF is timed as a render worker makes it: with the cycle collector paused until the PDF is
delivered, and the collection the worker runs after delivering it timed apart.
Targets: full report <= 1.5 s median, our overhead <= 10 % over WeasyPrint alone, cached
download <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import ready_app  # noqa: E402

from assess.report import document  # noqa: E402
from assess.report import pdf as report  # noqa: E402
from assess.web.database import get_db  # noqa: E402
from assess.web.reports import render_report_html  # noqa: E402

COLLECTIONS: list[float] = []


def timed(work, rounds: int) -> list[float]:
    """Seconds of each run. After each, untimed, the collection a render worker runs once the
    PDF is in the cache (assess/report/rendering.py): what it takes is kept in COLLECTIONS and
    printed apart, because no reader waits for it."""
    times = []
    for _ in range(rounds):
        with report.collector_paused():  # held until the PDF is delivered, as a worker holds it
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
        report.collect_garbage()  # with the collector's first turn after the pause
        COLLECTIONS.append(time.perf_counter() - start)
    return times


def side_by_side(works, rounds: int) -> list[list[float]]:
    """Each work timed in turn, round after round: a machine that slows down or speeds up
    meanwhile (other processes, the CPU's clock) weighs on all of them alike."""
    found = [[] for _ in works]
    for _ in range(rounds):
        for times, work in zip(found, works, strict=True):
            times += timed(work, 1)
    return found


def stages(html: str, rounds: int) -> dict[str, float]:
    """Median CPU seconds of WeasyPrint's stages for one HTML, and its pages."""
    from weasyprint import HTML

    found = []
    for _ in range(rounds):
        report.collect_garbage()
        with report.collector_paused():  # as html_to_pdf renders
            t0 = time.process_time()
            document = HTML(string=html, base_url="file:///", url_fetcher=report._fetcher())
            t1 = time.process_time()
            rendered = document.render(pdf_tags=True)
            t2 = time.process_time()
            rendered.write_pdf()
            t3 = time.process_time()
        found.append((t1 - t0, t2 - t1, t3 - t2, len(rendered.pages)))
    return dict(
        zip(
            ("parse", "layout", "pdf", "pages"),
            map(statistics.median, zip(*found, strict=True)),
            strict=True,
        )
    )


CHAPTERS = (
    "summary",
    "determination",
    "results",
    "profile",
    "gaps",
    "benchmarks",
    "peers",
    "history",
    "comparison",
    "method",
    "appendix",
)


def chapters(html: str) -> dict[str, int]:
    """The pages each chapter of the report starts on."""
    from weasyprint import HTML

    rendered = HTML(string=html, base_url="file:///", url_fetcher=report._fetcher()).render()
    starts: dict[str, int] = {}
    for number, page in enumerate(rendered.pages, start=1):
        for anchor in page.anchors:  # a chapter's anchor is on every page it spans
            if anchor in CHAPTERS:
                starts.setdefault(anchor, number)
    return starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} before the run (2 shared cores: say so)")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ASSESS_INSTANCE_PATH"] = tmp
        app = ready_app(
            {
                "SECRET_KEY": "bench",
                "DATABASE": os.path.join(tmp, "b.sqlite"),
                "WTF_CSRF_ENABLED": False,
                "REPORT_CACHE_DIR": os.path.join(tmp, "reports"),
                # render in the request: this bench times rendering itself, not the queue
                "REPORT_QUEUE": "immediate",
            }
        )
        app.test_cli_runner().invoke(args=["demo"])
        client = app.test_client()
        client.post("/login", data={"email": "admin@example.com", "password": "Admin-demo-2026"})
        with app.test_request_context():
            rows = list(get_db().query("SELECT * FROM assessments WHERE status = 'submitted'"))
            sizes = {row["id"]: len(render_report_html(row, "zh", document.ALL)) for row in rows}
            largest = next(row for row in rows if row["id"] == max(sizes, key=sizes.get))
            html = render_report_html(largest, "zh", document.REPORT)
            annex = render_report_html(largest, "zh", document.ANNEX)
            report.html_to_pdf(html)  # warm up: fonts, imports
            full, alone, annex_full, ours = side_by_side(
                (
                    lambda: report.html_to_pdf(render_report_html(largest, "zh", document.REPORT)),
                    lambda: report.html_to_pdf(html),
                    lambda: report.html_to_pdf(render_report_html(largest, "zh", document.ANNEX)),
                    lambda: render_report_html(largest, "zh", document.REPORT),
                ),
                args.rounds,
            )
        url = f"/assessments/{largest['id']}/report.pdf"
        client.get(url)  # fills the cache
        cached = timed(lambda: client.get(url), args.rounds * 3)
    full_m, alone_m = statistics.median(full), statistics.median(alone)
    print(
        f"largest demo report: assessment {largest['id']}, {sizes[largest['id']] / 1024:.0f} KB of"
        " HTML for the report and its annex together"
    )
    print(
        f"  full report (ours + WeasyPrint)  median {full_m:.3f} s  (min {min(full):.3f}, max {max(full):.3f})"
    )
    print(
        f"  WeasyPrint alone, same HTML      median {alone_m:.3f} s  (min {min(alone):.3f}, max {max(alone):.3f})"
    )
    print(f"  our overhead                     {100 * (full_m - alone_m) / alone_m:+.1f} %")
    print(
        f"  our HTML alone (data, template)  median {statistics.median(ours) * 1000:.0f} ms"
        f" = {100 * statistics.median(ours) / alone_m:.1f} % of WeasyPrint's time"
    )
    print(
        f"  cached download                  median {statistics.median(cached) * 1000:.1f} ms"
        f"  (max {max(cached) * 1000:.1f} ms)"
    )
    print(
        f"  the worker's collection after each PDF is delivered: median"
        f" {statistics.median(COLLECTIONS) * 1000:.0f} ms (not in the reader's wait)"
    )
    print(
        f"  its annex (ours + WeasyPrint)    median {statistics.median(annex_full):.3f} s"
        f"  (min {min(annex_full):.3f}, max {max(annex_full):.3f}): a job of its own, in parallel"
    )
    print("where WeasyPrint's time goes (CPU seconds, median):")
    for label, variant in (("the report", html), ("its annex", annex)):
        found = stages(variant, args.rounds)
        total = found["parse"] + found["layout"] + found["pdf"]
        print(
            f"  {label:<22} parse {found['parse']:.3f}  style+layout {found['layout']:.3f}"
            f"  draw+PDF {found['pdf']:.3f}  = {total:.3f} s, {found['pages']:.0f} pages"
        )
    print(f"  the report's chapters start on pages: {chapters(html)}")
    print(f"  the annex's chapters start on pages: {chapters(annex)}")


if __name__ == "__main__":
    main()
