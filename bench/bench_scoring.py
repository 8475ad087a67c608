"""Full assessments scored per second on one core (target: >= 2,000/s).

    .venv/bin/python bench/bench_scoring.py [--n 3000]

Scores N synthetic enterprises (realistic spread, the same seed every run) under the real
questionnaire: the staircase, CMMM, scenarios and gradient rules (score), then the same with
the gap analysis and roadmap (score + analyse). Prints the best of 5 rounds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from assess.demo.synthetic import draw_maturity, synthetic_answers
from assess.questionnaire.loader import load_dir
from assess.scoring import score
from assess.scoring.gaps import analyse

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    q = max(load_dir(ROOT / "assess" / "questionnaires").values(), key=lambda q: q.version)
    rng = random.Random(2025)
    population = [synthetic_answers(q, rng, draw_maturity(rng)) for _ in range(args.n)]
    answered = statistics.mean(len(a) for a in population)
    print(
        f"questionnaire {q.id} {q.version}: {len(q.items)} items; {args.n} enterprises, "
        f"{answered:.0f} answers each on average"
    )
    for label, work in (
        ("score", lambda a: score(q, a)),
        ("score + analyse", lambda a: analyse(q, score(q, a))),
    ):
        rounds = []
        for _ in range(5):
            start = time.perf_counter()
            for answers in population:
                work(answers)
            rounds.append(time.perf_counter() - start)
        best = min(rounds)
        print(
            f"{label:<16} {args.n / best:8.0f} assessments/s  ({best / args.n * 1e3:.3f} ms each,"
            f" best of 5; median round {statistics.median(rounds):.2f} s)"
        )


if __name__ == "__main__":
    main()
