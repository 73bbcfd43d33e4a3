"""Engine figures: validate the default playbook; plan 1,000 actions x 300 questions.

Run by hand: `python -m bench.bench_engine`. Targets (issue 2): validate the
default playbook < 200 ms, plan for 1,000 actions < 50 ms, memory < 100 MB.
Timings are medians of repeated runs; memory is the peak traced by tracemalloc
plus the process's peak RSS.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

import yaml

from bench.generate import synthetic_answers, synthetic_playbook
from coach.planner import build_plan
from coach.playbook import default_playbook_path, load_playbook, validate_file
from coach.scoring import score


def median_ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def with_coaching(doc: dict) -> dict:
    """The synthetic playbook with what a real one has: habits, tags, diagnoses, sequence rules.

    Every tenth action is a weekly habit (a tenth of an hour a week), actions are tagged in
    turn "reacts", "posts" or "routine", two sequence rules order them and five diagnoses
    (the last one always holds) lead with ten actions each.
    """
    actions = doc["actions"]
    for i, action in enumerate(actions):
        action["tags"] = [("reacts", "posts", "routine")[i % 3]]
        if i % 10 == 5:
            action.update(kind="habit", recurrence="FREQ=WEEKLY;BYDAY=MO", habit_hours=0.1)
    why = {"fr": "raison.", "en": "reason."}
    doc["sequence"] = [
        {"id": "listen-first", "first": ["tag:reacts"], "then": [actions[-1]["id"]], "why": why},
        {"id": "habits-late", "first": [actions[0]["id"]], "then": ["tag:routine"], "why": why},
    ]
    dimension = doc["dimensions"][0]["id"]
    doc["diagnoses"] = [
        {
            "id": f"diagnosis-{n}",
            "dimension": dimension,
            "title": why,
            "why": why,
            "when": {"level": "overall", "gte": 6 - n} if n < 4 else {"level": "overall", "gte": 1},
            "actions": [a["id"] for a in actions[n * 10 : n * 10 + 10]],
        }
        for n in range(5)
    ]
    return doc


def main() -> int:
    default = default_playbook_path()
    validate_ms = median_ms(lambda: validate_file(default), 15)

    doc = with_coaching(synthetic_playbook(actions=1000, questions=300))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.yaml"
        path.write_text(yaml.safe_dump(json.loads(json.dumps(doc))), encoding="utf-8")
        load_big_ms = median_ms(lambda: load_playbook(path), 3)
        playbook = load_playbook(path)
    answers = synthetic_answers(doc)
    result = score(playbook, answers)
    score_ms = median_ms(lambda: score(playbook, answers), 15)

    def plan():
        return build_plan(playbook, answers, result, date(2026, 1, 5), 2.0, "en")

    built = plan()
    steps = len(built.steps)
    habits = sum(1 for s in built.steps if s.kind == "habit")
    plan_ms = median_ms(plan, 15)

    tracemalloc.start()
    plan()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"validate default playbook      {validate_ms:8.1f} ms   (target < 200 ms)")
    print(f"load 1,000-action playbook     {load_big_ms:8.1f} ms   (one-off, cached by the app)")
    print(f"score 300 questions            {score_ms:8.1f} ms")
    print(
        f"plan 1,000 actions ({steps} steps, {habits} habits, diagnosis "
        f"{built.diagnosis.id if built.diagnosis else None}) {plan_ms:8.1f} ms   (target < 50 ms)"
    )
    print(f"plan peak traced memory        {peak / 1e6:8.1f} MB")
    print(f"process peak RSS               {rss_mb:8.1f} MB   (target < 100 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
