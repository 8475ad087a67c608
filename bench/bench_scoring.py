"""Full assessments scored per second on one core (target: >= 2,000/s for every version).

    .venv/bin/python bench/bench_scoring.py [--n 3000] [--version 2026.1]

Scores N synthetic enterprises (realistic spread, the same seed every run) under each
installed version of the questionnaire (or the one given): the staircase, CMMM, scenarios and
gradient rules (score), then the same with the gap analysis and roadmap (score + analyse).
A version with results indicators is scored with example benchmarks, so that its results
rules are compared rather than left not assessed. Prints the best of 5 rounds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from assess.demo.synthetic import draw_maturity, example_benchmarks, synthetic_answers
from assess.questionnaire.loader import load_dir
from assess.scoring import score
from assess.scoring.gaps import analyse

ROOT = Path(__file__).resolve().parent.parent


def bench(q, n: int) -> None:
    rng = random.Random(2025)
    population = [synthetic_answers(q, rng, draw_maturity(rng)) for _ in range(n)]
    benchmarks = example_benchmarks(q) or None
    answered = statistics.mean(len(a) for a in population)
    print(
        f"questionnaire {q.id} {q.version}: {len(q.items)} items; {n} enterprises, "
        f"{answered:.0f} answers each on average"
        + (f"; {len(benchmarks)} benchmarks" if benchmarks else "")
    )
    for label, work in (
        ("score", lambda a: score(q, a, benchmarks)),
        ("score + analyse", lambda a: analyse(q, score(q, a, benchmarks))),
    ):
        rounds = []
        for _ in range(5):
            start = time.perf_counter()
            for answers in population:
                work(answers)
            rounds.append(time.perf_counter() - start)
        best = min(rounds)
        print(
            f"{label:<16} {n / best:8.0f} assessments/s  ({best / n * 1e3:.3f} ms each,"
            f" best of 5; median round {statistics.median(rounds):.2f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--version", help="only this version (default: every installed one)")
    args = parser.parse_args()
    loaded = load_dir(ROOT / "assess" / "questionnaires").values()
    for q in sorted(loaded, key=lambda q: q.version):
        if args.version in (None, q.version):
            bench(q, args.n)


if __name__ == "__main__":
    main()
