"""The `pulse results --format json` contract, built from domain objects."""

from __future__ import annotations

import json
import random
from datetime import date

from coach.playbook import default_playbook_path, load_playbook
from coach.pulse import PulseRound, build_answer, results_json, summarise_round

PULSE = load_playbook(default_playbook_path()).pulse
SCALES = [q.id for q in PULSE.scale_items]
TODAY = date(2026, 12, 1)


def round_with(round_id: str, opened: date, closed: date | None, count: int, seed: int):
    rng = random.Random(seed)
    answers = [
        build_answer(PULSE, {q: rng.randint(1, 5) for q in SCALES}, opened, 1 + i // 5)
        for i in range(count)
    ]
    pulse_round = PulseRound(round_id, opened, date(2026, 12, 20), closed)
    return summarise_round(PULSE, pulse_round, answers, TODAY)


def test_the_document_has_the_agreed_shape_and_nulls_below_the_threshold():
    shown = round_with("2026-10", date(2026, 10, 5), date(2026, 10, 19), 7, 1)
    hidden = round_with("2026-11", date(2026, 11, 23), date(2026, 11, 25), 4, 2)
    still_open = round_with("2026-12", date(2026, 12, 1), None, 2, 3)
    doc = json.loads(json.dumps(results_json([shown, hidden, still_open])))
    assert list(doc) == ["rounds"]
    first, second, third = doc["rounds"]
    assert list(first) == ["id", "opened", "closed", "answers", "shown", "score", "items"]
    assert first["id"] == "2026-10" and first["opened"] == "2026-10-05"
    assert first["closed"] == "2026-10-19" and first["answers"] == 7 and first["shown"] is True
    assert isinstance(first["score"], float) and 0 <= first["score"] <= 100
    assert [i["id"] for i in first["items"]] == SCALES
    assert all(1 <= i["mean"] <= 5 and list(i) == ["id", "mean"] for i in first["items"])
    assert second == {
        "id": "2026-11",
        "opened": "2026-11-23",
        "closed": "2026-11-25",
        "answers": 4,
        "shown": False,
        "score": None,
        "items": [{"id": q, "mean": None} for q in SCALES],
    }
    assert third["closed"] is None and third["shown"] is False


def test_the_means_are_those_of_the_counted_answers():
    summary = round_with("r", date(2026, 11, 2), date(2026, 11, 16), 7, 1)
    rng = random.Random(1)
    rows = [{q: rng.randint(1, 5) for q in SCALES} for _ in range(7)][:5]  # batch 2 incomplete
    expected = {q: round(sum(r[q] for r in rows) / 5, 2) for q in SCALES}
    doc = results_json([summary])["rounds"][0]
    assert {i["id"]: i["mean"] for i in doc["items"]} == expected
