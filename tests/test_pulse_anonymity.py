"""Anonymity that holds: a manager cannot single out one answer through the summaries.

The attacks tried here: read a round below the threshold (open or closed early);
compare the results before and after one more answer; close a round right after
one answer; work a hidden item out from the score; match a comment to a score.
"""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import date, datetime

import pytest

from coach.errors import InvalidInput
from coach.playbook import default_playbook_path, load_playbook
from coach.pulse import (
    PulseAnswer,
    PulseRound,
    build_answer,
    comments,
    next_batch,
    open_round,
    pulse_trend,
    results_json,
    summarise_round,
)
from coach.pulse.results import summary_sentences
from coach.typography import plain_spaces

PULSE = load_playbook(default_playbook_path()).pulse
SCALES = [q.id for q in PULSE.scale_items]  # reach, relevance, trust, listening, recommend
TODAY = date(2026, 12, 1)
ROUND = PulseRound("r1", date(2026, 11, 23), date(2026, 12, 7))


def arrive(raws: list[dict]) -> list[PulseAnswer]:
    """Answers as a store would keep them: each joins the first batch not yet full."""
    answers: list[PulseAnswer] = []
    for raw in raws:
        counts: dict[int, int] = {}
        for a in answers:
            counts[a.batch] = counts.get(a.batch, 0) + 1
        answers.append(build_answer(PULSE, raw, TODAY, next_batch(counts, PULSE.threshold)))
    return answers


def random_raw(rng: random.Random, comment: str | None = None) -> dict:
    raw = {qid: rng.randint(1, 5) for qid in SCALES}
    if comment:
        raw["comment"] = comment
    return raw


def visible(summary) -> tuple:
    """Everything a page or export shows of a round, except the count of answers received."""
    return (summary.shown, summary.score, summary.items, summary.weakest, summary.counted)


def test_the_threshold_comes_from_the_playbook():
    assert PULSE.threshold == 5


def test_closing_early_with_four_answers_shows_nothing():
    rng = random.Random(4)
    answers = arrive([random_raw(rng, comment=f"idea {i}") for i in range(4)])
    closed = dataclasses.replace(ROUND, closed=date(2026, 11, 25))
    summary = summarise_round(PULSE, closed, answers, TODAY)
    assert summary.answers == 4 and not summary.shown
    assert summary.score is None and summary.weakest is None and summary.counted == 0
    assert all(i.mean is None and i.score is None and i.answers is None for i in summary.items)
    assert comments(ROUND, answers) == ()
    doc = results_json([summary])["rounds"][0]
    assert doc["shown"] is False and doc["score"] is None
    assert [i["mean"] for i in doc["items"]] == [None] * len(SCALES)
    assert summary.missing == 1
    assert plain_spaces(summary_sentences(summary, "fr")[0]).startswith("4 réponses reçues;")
    assert summary_sentences(summary, "en")[0].startswith("4 answers received; results show from 5")


def test_the_fifth_answer_reveals_the_results():
    rows = [
        {"reach": 5, "relevance": 4, "trust": 3, "listening": 2, "recommend": 5},
        {"reach": 5, "relevance": 4, "trust": 3, "listening": 2, "recommend": 4},
        {"reach": 4, "relevance": 4, "trust": 3, "listening": 1, "recommend": 4},
        {"reach": 4, "relevance": 3, "trust": 3, "listening": 1, "recommend": 4},
        {"reach": 2, "relevance": 5, "trust": 3, "listening": 1, "recommend": 3},
    ]
    summary = summarise_round(PULSE, ROUND, arrive(rows), TODAY)
    means = {i.id: i.mean for i in summary.items}
    assert means == {
        "reach": 4.0,
        "relevance": 4.0,
        "trust": 3.0,
        "listening": 1.4,
        "recommend": 4.0,
    }
    # items 75, 75, 50, 10, 75 -> 57
    assert summary.shown and summary.score == 57.0 and summary.weakest == "listening"
    assert summary_sentences(summary, "en") == ["Results count 5 of 5 answers."]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_more_answer_never_changes_what_the_manager_sees(seed):
    """Between any two moments, the counted answers differ by 0 or by a whole batch of 5."""
    rng = random.Random(seed)
    raws = [random_raw(rng, comment=f"comment {i}") for i in range(23)]
    views, counted = [], []
    for n in range(len(raws) + 1):
        summary = summarise_round(PULSE, ROUND, arrive(raws[:n]), TODAY)
        views.append(visible(summary))
        counted.append(summary.counted)
    for n in range(1, len(raws) + 1):
        if n % PULSE.threshold:
            assert views[n] == views[n - 1], f"answer {n} changed the results on its own"
    for a in range(len(counted)):
        for b in range(a + 1, len(counted)):
            assert counted[b] - counted[a] in (0,) or counted[b] - counted[a] >= PULSE.threshold


@pytest.mark.parametrize("n", [6, 7, 8, 9, 11, 14])
def test_the_latest_answer_can_be_anything_without_a_trace(n):
    """Knowing who answered last (the manager saw them do it) reveals nothing of what they said."""
    rng = random.Random(n)
    first = [random_raw(rng, comment=f"c{i}") for i in range(n - 1)]
    low = {qid: 1 for qid in SCALES} | {"comment": "I am the last one and unhappy"}
    high = {qid: 5 for qid in SCALES}
    with_low = arrive([*first, low])
    with_high = arrive([*first, high])
    closed = dataclasses.replace(ROUND, closed=TODAY)
    for pulse_round in (ROUND, closed):  # closing right after does not release it either
        s_low = summarise_round(PULSE, pulse_round, with_low, TODAY)
        s_high = summarise_round(PULSE, pulse_round, with_high, TODAY)
        assert visible(s_low) == visible(s_high)
        assert json.dumps(results_json([s_low])) == json.dumps(results_json([s_high]))
    assert "I am the last one and unhappy" not in comments(ROUND, with_low)


def test_closing_with_twelve_counts_ten_and_says_why():
    rng = random.Random(12)
    answers = arrive([random_raw(rng) for _ in range(12)])
    summary = summarise_round(PULSE, dataclasses.replace(ROUND, closed=TODAY), answers, TODAY)
    assert summary.shown and summary.counted == 10 and summary.withheld == 2
    sentences = summary_sentences(summary, "en")
    assert sentences[0] == "Results count 10 of 12 answers."
    assert sentences[1].startswith("2 answers are not counted yet")


def imported(rows: list[dict]) -> list[PulseAnswer]:
    """An export read at once: one batch, cells may be blank."""
    return [build_answer(PULSE, r, TODAY, batch=1, require_all=False) for r in rows]


def test_a_hidden_item_cannot_be_worked_out_from_the_score():
    base = [{qid: 4 for qid in SCALES} for _ in range(6)]
    for row in base[:2]:
        del row["trust"]  # only 4 people rated trust
    variants = []
    for trust in (1, 5):
        rows = [dict(r) for r in base]
        for row in rows[2:]:
            row["trust"] = trust
        variants.append(summarise_round(PULSE, ROUND, imported(rows), TODAY))
    low, high = variants
    assert low.shown and visible(low) == visible(high)
    trust = next(i for i in low.items if i.id == "trust")
    assert trust.mean is None and trust.answers is None
    assert low.score == 75.0  # the four other items only


def test_comments_are_shuffled_and_never_beside_scores():
    rng = random.Random(7)
    texts = [f"suggestion number {i}" for i in range(10)]
    answers = arrive([random_raw(rng, comment=t) for t in texts])
    orders = {comments(ROUND, answers, random.Random(seed)) for seed in range(6)}
    assert len(orders) > 1 and all(sorted(o) == sorted(texts) for o in orders)
    summary = summarise_round(PULSE, ROUND, answers, TODAY)
    shown = repr(summary) + json.dumps(results_json([summary]))
    assert not any(t in shown for t in texts)
    assert all(isinstance(c, str) for c in comments(ROUND, answers))


def test_comments_of_uncounted_answers_wait_with_them():
    rng = random.Random(8)
    answers = arrive([random_raw(rng) for _ in range(5)] + [random_raw(rng, comment="late")])
    assert comments(ROUND, answers) == ()


def test_an_answer_holds_no_identity_and_the_day_at_most():
    names = {f.name for f in dataclasses.fields(PulseAnswer)}
    assert names == {"day", "batch", "scores", "texts"}
    answer = build_answer(PULSE, {qid: 3 for qid in SCALES}, TODAY, 1)
    assert type(answer.day) is date and not isinstance(answer.day, datetime)
    with pytest.raises(InvalidInput) as err:
        build_answer(PULSE, {qid: 3 for qid in SCALES} | {"email": "a@b.c"}, TODAY, 1)
    assert err.value.key == "pulse.error.unknown_question"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"trust": None}, "pulse.error.missing_score"),
        ({"trust": 6}, "pulse.error.bad_score"),
        ({"trust": True}, "pulse.error.bad_score"),
        ({"comment": "x" * 1001}, "pulse.error.text_too_long"),
        ({"comment": 12}, "pulse.error.bad_text"),
        ({"boss": 1}, "pulse.error.unknown_question"),
        ({"boss": 1, "comment": "ok"}, "pulse.error.too_many_fields"),
    ],
)
def test_bad_answers_are_refused_with_a_sentence(change, key):
    raw = {qid: 3 for qid in SCALES} | change
    if change.get("trust", 0) is None:
        del raw["trust"]
    with pytest.raises(InvalidInput) as err:
        build_answer(PULSE, raw, TODAY, 1)
    assert err.value.key == key
    for lang in ("fr", "en"):
        assert not err.value.message(lang).startswith("pulse.")


def test_comment_text_is_cleaned():
    raw = {qid: 3 for qid in SCALES} | {"comment": "  hello\x00\x1b[31m world \n"}
    assert build_answer(PULSE, raw, TODAY, 1).texts["comment"] == "hello[31m world"


def test_no_batch_ever_holds_more_than_the_threshold():
    rng = random.Random(37)
    answers = arrive([random_raw(rng) for _ in range(37)])
    sizes: dict[int, int] = {}
    for a in answers:
        sizes[a.batch] = sizes.get(a.batch, 0) + 1
    assert sizes == {1: 5, 2: 5, 3: 5, 4: 5, 5: 5, 6: 5, 7: 5, 8: 2}


def summary_with(round_id: str, opened: date, value: int, count: int = 5):
    rows = [{qid: value for qid in SCALES} for _ in range(count)]
    return summarise_round(PULSE, PulseRound(round_id, opened, opened), arrive(rows), TODAY)


def test_trend_uses_shown_rounds_only():
    first = summary_with("a", date(2026, 9, 1), 3)  # 50
    hidden = summary_with("b", date(2026, 10, 1), 1, count=4)
    last = summary_with("c", date(2026, 11, 1), 4)  # 75
    trend = pulse_trend([last, hidden, first])
    assert trend.points == (("a", 50.0), ("c", 75.0))
    assert trend.direction == "improving" and trend.change == 25.0
    assert pulse_trend([first, hidden]).direction == "no_data"
    same = summary_with("d", date(2026, 12, 1), 4)
    assert pulse_trend([last, same]).direction == "flat"
    assert pulse_trend([last, summary_with("e", date(2026, 12, 1), 3)]).direction == "worsening"


def test_the_round_closes_by_itself_at_expiry():
    assert ROUND.is_open(date(2026, 12, 7)) and not ROUND.is_open(date(2026, 12, 8))
    assert ROUND.closed_on(date(2026, 12, 8)) == date(2026, 12, 7)
    assert ROUND.closed_on(date(2026, 12, 1)) is None


def test_a_round_keeps_the_threshold_it_opened_with():
    stricter = dataclasses.replace(PULSE, threshold=8)
    pulse_round = open_round(stricter, "r8", TODAY, days=14)
    assert pulse_round.threshold == 8 and pulse_round.expires == date(2026, 12, 15)
    rng = random.Random(8)
    answers = [build_answer(PULSE, random_raw(rng), TODAY, 1 + i // 8) for i in range(7)]
    # The playbook went back to 5 after the round opened: the round still needs 8.
    assert not summarise_round(PULSE, pulse_round, answers, TODAY).shown
    assert summarise_round(PULSE, pulse_round, answers + answers[:1], TODAY).shown


def test_a_round_can_never_ask_for_fewer_than_five():
    lax = dataclasses.replace(ROUND, threshold=2)
    rng = random.Random(2)
    answers = [build_answer(PULSE, random_raw(rng), TODAY, 1) for _ in range(4)]
    assert not summarise_round(PULSE, lax, answers, TODAY).shown
    assert comments(lax, answers) == ()


@pytest.mark.parametrize("days", [0, 91])
def test_a_round_lasts_one_to_ninety_days(days):
    with pytest.raises(InvalidInput):
        open_round(PULSE, "r", TODAY, days=days)
