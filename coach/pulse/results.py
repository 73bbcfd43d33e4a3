"""Pulse answers -> round summaries that never reveal one person's answer.

Rules (docs/PULSE.md explains why):
- An answer holds scores (1-5 per scale item), free texts, the day at most and
  its release batch. No identity, IP or time of day exists in this model.
- Results move in steps: answers are grouped in batches of `threshold` in the
  order they arrive, and a summary only counts complete batches. Two views of
  one round, at any two moments, therefore differ by a whole batch (at least
  `threshold` answers) or not at all, so subtracting them never isolates one
  answer. Closing a round changes nothing: an incomplete last batch stays
  withheld, and a round closed with fewer answers than the threshold shows
  nothing at all.
- Each breakdown (an item) is shown only when at least `threshold` of the
  counted answers rated it; the round score averages the shown items only, so
  a hidden item cannot be worked out from the score.
- Free-text comments come from counted answers only, in random order, and
  never next to the scores (`comments()` is a separate call with no scores).

Scores: an item's mean m on the 1-5 scale becomes (m - 1) / 4 * 100; the round
score is the mean of its shown items' scores, rounded to a whole number.
Trend: the last two shown rounds; a change under FLAT_BAND points is "flat".
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from coach.errors import InvalidInput
from coach.i18n import fmt_number, t, tp
from coach.pulse.definition import MIN_THRESHOLD, SCALE_POINTS, Pulse

MAX_TEXT_CHARS = 1000  # one free-text answer
FLAT_BAND = 3.0  # score points: a smaller change between two rounds is "flat"


@dataclass(frozen=True)
class PulseAnswer:
    """One employee's answer: no identity, no address, no time of day."""

    day: date
    batch: int  # release batch (see module docstring), from 1
    scores: Mapping[str, int] = field(default_factory=dict)  # scale item id -> 1..5
    texts: Mapping[str, str] = field(default_factory=dict)  # text item id -> free text


@dataclass(frozen=True)
class PulseRound:
    """A round the manager opened: a link that expires, or an imported export."""

    id: str
    opened: date
    expires: date
    closed: date | None = None
    source: str = "link"  # "link" | "import:google-forms" | "import:microsoft-forms"
    threshold: int = (
        MIN_THRESHOLD  # pinned when the round opens: a later playbook edit cannot change it
    )

    @property
    def min_answers(self) -> int:
        return max(self.threshold, MIN_THRESHOLD)

    def is_open(self, today: date) -> bool:
        return self.closed is None and today <= self.expires

    def closed_on(self, today: date) -> date | None:
        """The day answers stopped: closed by hand, or the expiry date once passed."""
        if self.closed is not None:
            return self.closed
        return self.expires if today > self.expires else None


def open_round(pulse: Pulse, round_id: str, today: date, days: int) -> PulseRound:
    """A new round answered through a link for `days` days, with the playbook's threshold pinned."""
    if not 1 <= days <= 90:
        raise InvalidInput("pulse.error.bad_days", min=1, max=90)
    return PulseRound(round_id, today, today + timedelta(days=days), threshold=pulse.threshold)


@dataclass(frozen=True)
class ItemResult:
    id: str
    answers: int | None  # None when hidden
    mean: float | None  # 1..5, two decimals; None when hidden
    score: float | None  # 0..100, one decimal; None when hidden


@dataclass(frozen=True)
class RoundSummary:
    """What a manager may see of a round."""

    round_id: str
    opened: date
    closed: date | None
    answers: int  # answers received (a count reveals when, never what)
    counted: int  # answers the results are computed from (complete batches), 0 when hidden
    threshold: int
    shown: bool
    score: float | None
    items: tuple[ItemResult, ...]
    weakest: str | None  # the shown item with the lowest mean

    @property
    def withheld(self) -> int:
        """Answers received that are not (or not yet) in the results."""
        return self.answers - self.counted

    @property
    def missing(self) -> int:
        """Answers still needed before anything shows (0 once shown)."""
        return 0 if self.shown else max(0, self.threshold - self.answers)


@dataclass(frozen=True)
class PulseTrend:
    points: tuple[tuple[str, float], ...]  # (round id, score) of shown rounds, oldest first
    direction: str  # "improving" | "flat" | "worsening" | "no_data"
    change: float | None  # last shown score minus the one before


# ---- answers ------------------------------------------------------------------------------------


def next_batch(batch_counts: Mapping[int, int], threshold: int) -> int:
    """The batch a new answer joins: the first one not yet full.

    The store calls it inside the transaction that inserts the answer, so that
    no batch ever holds more than `threshold` answers.
    """
    batch = 1
    while batch_counts.get(batch, 0) >= threshold:
        batch += 1
    return batch


def _score_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= SCALE_POINTS else None
    if isinstance(value, str) and value.strip().isdigit():
        return _score_value(int(value.strip()))
    return None


def clean_text(value: str) -> str:
    """Free text without control characters (newlines kept), trimmed."""
    kept = "".join(ch for ch in value if ch in "\n\t" or ch.isprintable())
    return kept.strip()


def build_answer(
    pulse: Pulse, raw: Mapping[str, Any], day: date, batch: int, *, require_all: bool = True
) -> PulseAnswer:
    """A validated answer from a form's fields; InvalidInput (nothing kept) when wrong.

    Every scale item must be rated when `require_all` (the answer page); imported
    exports may leave cells blank, and each item then stands or falls on its own count.
    """
    if not isinstance(raw, Mapping) or len(raw) > len(pulse.questions):
        raise InvalidInput("pulse.error.too_many_fields")
    for key in raw:
        if pulse.question(key) is None:
            raise InvalidInput("pulse.error.unknown_question", question=str(key)[:40])
    scores: dict[str, int] = {}
    texts: dict[str, str] = {}
    for item in pulse.scale_items:
        value = raw.get(item.id)
        if value is None or value == "":
            if require_all:
                raise InvalidInput("pulse.error.missing_score", question=item.id)
            continue
        score = _score_value(value)
        if score is None:
            raise InvalidInput(
                "pulse.error.bad_score", question=item.id, value=str(value)[:20], max=SCALE_POINTS
            )
        scores[item.id] = score
    for item in pulse.text_items:
        value = raw.get(item.id)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInput("pulse.error.bad_text", question=item.id)
        text = clean_text(value)
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInput("pulse.error.text_too_long", count=len(text), max=MAX_TEXT_CHARS)
        if text:
            texts[item.id] = text
    return PulseAnswer(day, batch, scores, texts)


# ---- summaries ----------------------------------------------------------------------------------


def counted_answers(answers: Iterable[PulseAnswer], threshold: int) -> list[PulseAnswer]:
    """The answers results may use: those in complete batches."""
    answers = list(answers)
    sizes = Counter(a.batch for a in answers)
    return [a for a in answers if sizes[a.batch] >= threshold]


def _item_result(item_id: str, values: list[int], threshold: int) -> ItemResult:
    if len(values) < threshold:
        return ItemResult(item_id, None, None, None)
    mean = fmean(values)
    return ItemResult(
        item_id, len(values), round(mean, 2), round((mean - 1) / (SCALE_POINTS - 1) * 100, 1)
    )


def summarise_round(
    pulse: Pulse, pulse_round: PulseRound, answers: Sequence[PulseAnswer], today: date
) -> RoundSummary:
    """The round as a manager may see it: nothing below the round's threshold."""
    threshold = pulse_round.min_answers
    counted = counted_answers(answers, threshold)
    shown = len(counted) >= threshold
    values: dict[str, list[int]] = {q.id: [] for q in pulse.scale_items}
    if shown:
        for answer in counted:
            for item_id, value in answer.scores.items():
                if item_id in values:
                    values[item_id].append(value)
    items = tuple(_item_result(i, v, threshold) for i, v in values.items())
    visible = [i for i in items if i.score is not None and i.mean is not None]
    shown = shown and bool(visible)
    weakest = min(visible, key=lambda i: i.mean or 0.0).id if shown else None
    return RoundSummary(
        round_id=pulse_round.id,
        opened=pulse_round.opened,
        closed=pulse_round.closed_on(today),
        answers=len(answers),
        counted=len(counted) if shown else 0,
        threshold=threshold,
        shown=shown,
        score=float(round(fmean(i.score or 0.0 for i in visible))) if shown else None,
        items=items if shown else tuple(ItemResult(i.id, None, None, None) for i in items),
        weakest=weakest,
    )


def comments(
    pulse_round: PulseRound, answers: Sequence[PulseAnswer], rng: random.Random | None = None
) -> tuple[str, ...]:
    """Free-text comments of the counted answers, shuffled, with nothing beside them.

    Empty while the round shows nothing. `rng` is for tests; by default the order
    comes from the operating system's randomness and differs at every call.
    """
    counted = counted_answers(answers, pulse_round.min_answers)
    if len(counted) < pulse_round.min_answers:
        return ()
    texts = [text for a in counted for text in a.texts.values()]
    (rng or secrets.SystemRandom()).shuffle(texts)
    return tuple(texts)


def pulse_trend(summaries: Sequence[RoundSummary]) -> PulseTrend:
    """Scores of the shown rounds, oldest first, and the direction of the last change."""
    points = tuple(
        (s.round_id, s.score)
        for s in sorted(summaries, key=lambda s: (s.opened, s.round_id))
        if s.shown and s.score is not None
    )
    if len(points) < 2:
        return PulseTrend(points, "no_data", None)
    change = round(points[-1][1] - points[-2][1], 1)
    direction = "flat" if abs(change) < FLAT_BAND else "improving" if change > 0 else "worsening"
    return PulseTrend(points, direction, change)


def summary_sentences(summary: RoundSummary, lang: str) -> list[str]:
    """What the manager reads above a round's results: why nothing shows, or what is counted."""
    count, threshold = summary.answers, fmt_number(summary.threshold, lang)
    if not summary.shown:
        return [tp("pulse.results.waiting", lang, count, threshold=threshold)]
    out = [
        t(
            "pulse.results.counted",
            lang,
            counted=fmt_number(summary.counted, lang),
            count=fmt_number(count, lang),
        )
    ]
    if summary.withheld:
        out.append(tp("pulse.results.withheld", lang, summary.withheld, threshold=threshold))
    return out


def results_json(summaries: Sequence[RoundSummary]) -> dict[str, Any]:
    """The `pulse results --format json` document; null wherever the threshold is not met."""
    return {
        "rounds": [
            {
                "id": s.round_id,
                "opened": s.opened.isoformat(),
                "closed": s.closed.isoformat() if s.closed else None,
                "answers": s.answers,
                "shown": s.shown,
                "score": s.score if s.shown else None,
                "items": [{"id": i.id, "mean": i.mean if s.shown else None} for i in s.items],
            }
            for s in summaries
        ]
    }
