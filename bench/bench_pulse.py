"""Benchmark: summarising a pulse round of 2,000 answers (goal: <= 200 ms).

    python bench/bench_pulse.py [--answers 2000] [--repeat 20]

Builds the answers as a store would hand them over (validated, in batches of
the threshold, one comment in three), then times what a results page or the
`pulse results` command does for one round: the summary, the shuffled
comments and the results JSON. Reports the median and the worst of the runs,
plus the same for reading a 2,000-row Google Forms export, and, through the
application layer on a real SQLite store, `pulse_results` for a round of 2,000
stored answers (read, summarised, comments shuffled) and one employee answer
submitted (token, rate limit and batch checked in the writing transaction).
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
    through_the_service(args.answers, args.repeat)


def through_the_service(count: int, repeat: int) -> None:
    """The same round stored, then read and answered through coach.service."""
    import tempfile

    import time_machine

    from coach import service
    from coach.store import Store
    from coach.store.pulse import PulseRepository

    with (
        tempfile.TemporaryDirectory() as folder,
        Store(Path(folder) / "bench.db") as store,
        time_machine.travel("2026-12-01 15:00Z", tick=True),
    ):
        store.create_profile("Bench", language="en", start_date=TODAY)
        opened = service.open_pulse(store, "Bench", 14)
        pulse = load_playbook(default_playbook_path()).pulse
        answers = answers_for(pulse, count, random.Random(7))
        repo = PulseRepository(store.db)
        round_id = _round_id(store)

        def insert(conn) -> None:
            repo._insert_answers(conn, round_id, answers)

        store.db.run(insert)
        median, worst = timed(lambda: service.pulse_results(store, "Bench"), repeat)
        print(
            f"service.pulse_results, {count} stored answers (SQLite): median {median:.1f} ms, worst {worst:.1f} ms (goal <= 200 ms)"
        )
        raw = {q.id: 4 for q in pulse.scale_items}
        median, worst = timed(
            lambda: service.submit_pulse(store, opened.token, raw), min(repeat, 50)
        )
        print(
            f"service.submit_pulse, one answer (SQLite, durable commit): median {median:.1f} ms, worst {worst:.1f} ms"
        )


def _round_id(store) -> str:
    from coach import service

    return service.pulse_results(store, "Bench").summaries[-1].round_id


if __name__ == "__main__":
    main()
