"""Benchmark: summarising a pulse round of 2,000 answers (goal: <= 200 ms).

    python bench/bench_pulse.py [--answers 2000] [--repeat 20]

Builds the answers as a store would hand them over (validated, in batches of
the threshold, one comment in three), then times what a results page or the
`pulse results` command does for one round: the summary, the shuffled
comments and the results JSON. Reports the median and the worst of the runs,
plus the same for reading a 2,000-row Google Forms export.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coach.playbook import default_playbook_path, load_playbook  # noqa: E402
from coach.pulse import (  # noqa: E402
    build_answer,
    comments,
    open_round,
    read_forms_csv,
    results_json,
    summarise_round,
)

TODAY = date(2026, 12, 1)


def answers_for(pulse, count: int, rng: random.Random) -> list:
    rows = []
    for i in range(count):
        raw = {q.id: rng.randint(1, 5) for q in pulse.scale_items}
        if i % 3 == 0:
            raw["comment"] = f"Comment number {i}: " + "more time with the team " * 3
        rows.append(build_answer(pulse, raw, TODAY, 1 + i // pulse.threshold))
    return rows


def export_for(pulse, count: int, rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(
        ["Timestamp", "Email Address", *(q.render("en", "Marie Tremblay") for q in pulse.questions)]
    )
    for i in range(count):
        scores = [str(rng.randint(1, 5)) for _ in pulse.scale_items]
        writer.writerow([f"2026/11/24 9:{i % 60:02d}:00 AM EST", f"e{i}@example.com", *scores, ""])
    return out.getvalue().encode()


def timed(function, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    pulse = load_playbook(default_playbook_path()).pulse
    rng = random.Random(2026)
    answers = answers_for(pulse, args.answers, rng)
    pulse_round = open_round(pulse, "bench", date(2026, 11, 23), days=14)

    def summarise() -> None:
        summary = summarise_round(pulse, pulse_round, answers, TODAY)
        comments(pulse_round, answers)
        results_json([summary])

    median, worst = timed(summarise, args.repeat)
    print(
        f"summary + comments + JSON, {args.answers} answers: median {median:.1f} ms, worst {worst:.1f} ms (goal <= 200 ms)"
    )
    data = export_for(pulse, args.answers, rng)
    median, worst = timed(
        lambda: read_forms_csv(pulse, data, "bench", TODAY), max(3, args.repeat // 4)
    )
    print(
        f"Google Forms CSV import, {args.answers} rows ({len(data) // 1024} KB): median {median:.1f} ms, worst {worst:.1f} ms"
    )


if __name__ == "__main__":
    main()
