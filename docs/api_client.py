#!/usr/bin/env python3
"""An example client of the assess API (/api/v1), with Python's standard library only.

Two jobs other systems do with the API:

- A consultancy's client system runs an on-site assessment for a client that granted the
  consultant access: it creates the assessment, uploads the answers collected on site from a
  JSON file ({"answers": {item id: value}}, as `flask score` reads, or {item id: {"value": "na",
  "reason": "…"}} where an answer needs its reason; and the evidence of each
  item checked on site: {"evidence": {item id: {"note": "…", "verified": true}}}, and the
  visits: {"visits": [{"visit_date": "2026-11-20", "site": "总装车间"}]}), submits it and
  downloads the verified report (PDF; the API renders it on its job queue and answers
  202 until it is ready).

      python3 docs/api_client.py --base https://assess.example.cn \\
          consultancy --client 42 --answers answers.json --out report.pdf

- A province's or a city's platform pulls the recognised smart factories of its region as CSV
  (the programme's summary table, 推荐汇总表):

      python3 docs/api_client.py --base https://assess.example.cn \\
          authority --out recognised.csv [--level basic] [--year 2026]

The personal access token comes from the environment (ASSESS_API_TOKEN), never the command
line, where other users of the machine could read it. Make one on your account page: the
`read` scope is enough for the authority's job, the consultancy's needs `write`.
Errors arrive as JSON with a stable `code` and a `message` (in the language of --lang).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode, urljoin


class ApiError(Exception):
    """A refusal of the API: its HTTP status, its stable code and its message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class Client:
    def __init__(self, base: str, token: str, lang: str = "zh", timeout: float = 30.0):
        self.base = base.rstrip("/") + "/"
        self.token = token
        self.lang = lang
        self.timeout = timeout

    def request(
        self, method: str, path: str, body: dict | None = None, accept: str = "application/json"
    ):
        """(status, headers, bytes) of a request; an ApiError for a 4xx or 5xx answer."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            urljoin(self.base, path.lstrip("/")), data=data, method=method
        )
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", accept)
        request.add_header("Accept-Language", self.lang)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                found = json.loads(raw)
                raise ApiError(
                    error.code, found.get("code", ""), found.get("message", "")
                ) from None
            except (ValueError, AttributeError):
                raise ApiError(error.code, "", raw[:200].decode("utf-8", "replace")) from None

    def json(self, method: str, path: str, body: dict | None = None) -> dict:
        return json.loads(self.request(method, path, body)[2] or b"{}")

    def items(self, path: str, **query) -> list[dict]:
        """Every item of a list, page after page (following `next`)."""
        found: list[dict] = []
        url = path + ("?" + urlencode(query) if query else "")
        while url:
            page = self.json("GET", url)
            found += page["items"]
            url = page.get("next")
        return found

    def download(self, path: str, accept: str, wait: float = 120.0) -> bytes:
        """A file the API may make first: while it answers 202, wait as it says and ask again;
        if making it failed (503), ask once more with retry=1."""
        deadline = time.monotonic() + wait
        retried = False
        while True:
            try:
                status, headers, body = self.request("GET", path, accept=accept)
            except ApiError as error:
                if error.status != 503 or retried:
                    raise
                retried = True
                path += ("&" if "?" in path else "?") + "retry=1"
                continue
            if status != 202:
                return body
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} was not ready after {wait:.0f} s")
            time.sleep(min(float(headers.get("Retry-After") or 1), 5.0))


BATCH = 200  # answers and evidence notes per request, at most


def consultancy(client: Client, organisation_id: int, sent: dict) -> bytes:
    """An on-site assessment of a client: create it, upload the answers (and the evidence
    notes with their verified marks), submit it; the verified report (PDF)."""
    created = client.json("POST", "api/v1/assessments", {"organisation_id": organisation_id})
    assessment_id = created["id"]
    for visit in sent.get("visits", []):  # submitting on site needs one at least
        client.json("POST", f"api/v1/assessments/{assessment_id}/visits", visit)
    answers = [
        {"item": item, **(value if isinstance(value, dict) else {"value": value})}
        for item, value in sent["answers"].items()
    ]
    evidence = [{"item": item, **note} for item, note in sent.get("evidence", {}).items()]
    for kind, entries in (("answers", answers), ("evidence", evidence)):
        for start in range(0, len(entries), BATCH):
            saved = client.json(
                "POST",
                f"api/v1/assessments/{assessment_id}/answers",
                {kind: entries[start : start + BATCH]},
            )
            refused = [r for r in saved["results"] if r["status"] == "invalid"]
            if refused:
                raise ApiError(
                    422, "invalid", "; ".join(f"{r['item']}: {r['message']}" for r in refused)
                )
    client.json("POST", f"api/v1/assessments/{assessment_id}/submit", {"confirm": True})
    return client.download(f"api/v1/assessments/{assessment_id}/report.pdf", "application/pdf")


def authority(client: Client, level: str | None = None, year: int | None = None) -> bytes:
    """The recognised factories of the token's region as CSV."""
    query = {key: value for key, value in (("level", level), ("year", year)) if value}
    path = "api/v1/region/recognitions.csv" + ("?" + urlencode(query) if query else "")
    return client.request("GET", path, accept="text/csv")[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base", required=True, help="where the service is, e.g. https://assess.example.cn"
    )
    parser.add_argument(
        "--lang", default="zh", choices=["zh", "en"], help="language of messages and labels"
    )
    jobs = parser.add_subparsers(dest="job", required=True)
    on_site = jobs.add_parser(
        "consultancy", help="assess a client on site and download the verified report"
    )
    on_site.add_argument("--client", type=int, required=True, help="the client organisation's id")
    on_site.add_argument(
        "--answers", required=True, help='a JSON file: {"answers": {item: value}, "evidence": {…}}'
    )
    on_site.add_argument("--out", required=True, help="where to write the report (PDF)")
    region = jobs.add_parser("authority", help="the recognised factories of your region as CSV")
    region.add_argument("--out", required=True, help="where to write the CSV")
    region.add_argument("--level", choices=["basic", "advanced", "excellent"])
    region.add_argument("--year", type=int)
    args = parser.parse_args(argv)
    token = os.environ.get("ASSESS_API_TOKEN")
    if not token:
        parser.error("set ASSESS_API_TOKEN to a personal access token (made on your account page)")
    client = Client(args.base, token, args.lang)
    try:
        if args.job == "consultancy":
            with open(args.answers, encoding="utf-8") as file:
                written = consultancy(client, args.client, json.load(file))
        else:
            written = authority(client, args.level, args.year)
    except ApiError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    with open(args.out, "wb") as file:
        file.write(written)
    print(f"{args.out}: {len(written)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
