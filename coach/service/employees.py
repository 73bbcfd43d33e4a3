"""The employees' side of the pulse and the question box, by token only (docs/PULSE.md).

Employee functions take a token, never a profile, and return only the manager's display
name and the pulse or inbox texts. Check-ins see the employee side through
`with_employee_side` (called by `snapshot`): figures are added when read, never written, so
the check-in form keeps showing what was typed and nothing is counted twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from coach import clock
from coach.checkin import CheckIn, week_of
from coach.errors import InvalidInput
from coach.i18n import normalize_lang
from coach.inbox import InboxQuestion, InboxWeek
from coach.profile import Profile
from coach.pulse import PulseAnswer, RoundSummary
from coach.pulse.links import LinkKind, LinkRefused, RateLimited
from coach.records import Store
from coach.service.common import _pulse_reader, _pulse_repo, today_for

if TYPE_CHECKING:
    from coach.store.pulse import StoredLink, Submission


@dataclass(frozen=True)
class EmployeePulsePage:
    """What an employee reads through a pulse link: the manager's name, the questions."""

    manager: str
    lang: str
    intro: str
    questions: tuple[tuple[str, str, str], ...]  # (id, "scale" | "text", text)
    labels: tuple[str, ...]  # the five scale labels, 1 to 5
    threshold: int
    max_comment: int


@dataclass(frozen=True)
class EmployeeInboxPage:
    """What an employee reads through the question-box link."""

    manager: str
    published: tuple[PublishedAnswer, ...]  # newest first; never who asked
    max_question: int
    max_name: int


# ---- the employee side (by token only) -----------------------------------------------------------


def _by_token(store: Store, token: object, kind: LinkKind) -> tuple[StoredLink, str, Any]:
    from coach.pulse.links import check_link, token_digest, well_formed

    if not well_formed(token):
        raise LinkRefused(f"pulse.link.unknown_{kind}")
    reader = _pulse_reader(store)
    found = reader.by_token(token_digest(token)) if reader else None
    if found is None:
        raise LinkRefused(f"pulse.link.unknown_{kind}")
    link, manager, stored_round = found
    check_link(link.link, token, clock.now(), kind)
    return link, manager, stored_round


def pulse_page(store: Store, token: object, lang: str) -> EmployeePulsePage:
    """What an employee reads through a pulse link; LinkRefused (a polite sentence) otherwise."""
    from coach.pulse import parse_pulse
    from coach.pulse.results import MAX_TEXT_CHARS

    _, manager, stored_round = _by_token(store, token, "pulse")
    pulse = parse_pulse(stored_round.pulse)[0] if stored_round is not None else None
    if pulse is None:
        raise LinkRefused("pulse.link.unknown_pulse")
    lang = normalize_lang(lang)
    return EmployeePulsePage(
        manager=manager,
        lang=lang,
        intro=pulse.intro_text(lang, manager),
        questions=tuple((q.id, q.type, q.render(lang, manager)) for q in pulse.questions),
        labels=tuple(label.get(lang) for label in pulse.scale_labels),
        threshold=stored_round.round.min_answers,
        max_comment=MAX_TEXT_CHARS,
    )


def _checked_submission(
    kind: LinkKind, token: str, now: datetime
) -> Callable[[Submission | None], Submission]:
    from coach.pulse.links import RATE_RULES, check_link, rate_decision

    def decide(seen: Submission | None) -> Submission:
        if seen is None:
            raise LinkRefused(f"pulse.link.unknown_{kind}")
        check_link(seen.link.link, token, now, kind)
        wait = rate_decision(seen.hits, now, RATE_RULES[kind])
        if not wait.allowed:
            raise RateLimited("pulse.link.slow_down", seconds=wait.retry_after_seconds)
        return seen

    return decide


def _request_size(*parts: object) -> int:
    import json

    return len(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8"))


def submit_pulse(store: Store, token: object, raw: dict[str, Any]) -> int:
    """Keep one anonymous answer (the day only); returns the round's threshold.

    The token, the size caps, the rate limit and the batch are checked inside the
    transaction that writes; anything refused writes nothing.
    """
    from coach.pulse import build_answer, next_batch, parse_pulse
    from coach.pulse.links import (
        MAX_ANSWERS_PER_ROUND,
        MAX_REQUEST_BYTES,
        token_digest,
        well_formed,
    )

    if not well_formed(token):
        raise LinkRefused("pulse.link.unknown_pulse")
    if _request_size(raw) > MAX_REQUEST_BYTES:
        raise InvalidInput("pulse.error.too_big", max_kb=MAX_REQUEST_BYTES // 1000)
    now = clock.now()
    repo = _pulse_repo(store)
    check = _checked_submission("pulse", token, now)

    def decide(seen: Submission | None) -> tuple[PulseAnswer, str, int]:
        ok = check(seen)
        if ok.round is None:
            raise LinkRefused("pulse.link.unknown_pulse")
        pulse = parse_pulse(ok.round.pulse)[0]
        if pulse is None:
            raise LinkRefused("pulse.link.unknown_pulse")
        if sum(ok.batch_counts.values()) >= MAX_ANSWERS_PER_ROUND:
            raise InvalidInput("pulse.error.round_full", max=MAX_ANSWERS_PER_ROUND)
        threshold = ok.round.round.min_answers
        day = now.astimezone(clock.zone(ok.timezone)).date()
        answer = build_answer(pulse, raw, day, next_batch(ok.batch_counts, threshold))
        return answer, ok.round.round.id, threshold

    def keep(conn: Any, _seen: Submission, decision: tuple[PulseAnswer, str, int]) -> None:
        repo.insert_answer(conn, decision[1], decision[0])

    return repo.submit(token_digest(token), now, decide, keep)[2]


def _zone_of(store: Store, profile_id: int) -> str:
    return store.get_profile(profile_id).timezone


@dataclass(frozen=True)
class PublishedAnswer:  # a question and the answer the manager published; never who asked
    question: str
    answer: str
    answered_on: date


def inbox_page(store: Store, token: object) -> EmployeeInboxPage:
    """What an employee reads through the question-box link: published answers, never who asked."""
    from coach.inbox import published
    from coach.pulse.links import MAX_NAME_CHARS, MAX_QUESTION_CHARS

    link, manager, _ = _by_token(store, token, "inbox")
    zone = clock.zone(_zone_of(store, link.profile_id))
    shown = tuple(
        PublishedAnswer(
            q.text, q.answer or "", (q.answered_at or q.received).astimezone(zone).date()
        )
        for q in published(_pulse_repo(store).questions(link.profile_id))  # exists: a link was read
    )
    return EmployeeInboxPage(manager, shown, MAX_QUESTION_CHARS, MAX_NAME_CHARS)


def ask_question(store: Store, token: object, text: str, signed_by: str | None = None) -> None:
    """Send the manager a question, anonymous unless the employee gives a name."""
    from coach.inbox import new_question
    from coach.pulse.links import MAX_REQUEST_BYTES, token_digest, well_formed
    from coach.store.pulse import new_id

    if not well_formed(token):
        raise LinkRefused("pulse.link.unknown_inbox")
    if _request_size(text, signed_by) > MAX_REQUEST_BYTES:
        raise InvalidInput("pulse.error.too_big", max_kb=MAX_REQUEST_BYTES // 1000)
    now = clock.now()
    repo = _pulse_repo(store)
    check = _checked_submission("inbox", token, now)

    def decide(seen: Submission | None) -> InboxQuestion:
        check(seen)
        return new_question(new_id(), text, now, signed_by)

    def keep(conn: Any, seen: Submission, question: InboxQuestion) -> None:
        repo.insert_question(conn, seen.link.profile_id, question)

    repo.submit(token_digest(token), now, decide, keep)


# ---- feeding the check-in (read-time, never written) ---------------------------------------------


def _reveal_week(summary: RoundSummary, answers: Sequence[PulseAnswer]) -> str | None:
    """The ISO week the round's shown results were complete (its latest counted answer)."""
    from coach.pulse import counted_answers

    counted = counted_answers(answers, summary.threshold)
    return week_of(max(a.day for a in counted)) if summary.shown and counted else None


def with_employee_side(
    store: Store, profile: Profile, checkins: tuple[CheckIn, ...], today: date | None = None
) -> tuple[CheckIn, ...]:
    """Check-ins with the employee side added, for goals, charts, status and the board pack.

    - `pulse_score`: each shown round's score goes to the check-in of the week its
      results were complete, when that week has a check-in whose `pulse_score` was
      not typed (a typed value always wins); hidden rounds add nothing.
    - the inbox: the week's questions are added to `received`, those answered to
      `replies`, and the median response time becomes the reply-weighted mean of the
      typed median and the inbox's (an approximation of the combined median).
    Nothing is written: the check-in form keeps showing what was typed, so nothing
    is counted twice. Weeks without a check-in get nothing until the manager checks in.
    """
    from coach.inbox import inbox_week
    from coach.pulse import parse_pulse, summarise_round

    repo = _pulse_reader(store) if checkins else None
    if repo is None:
        return checkins  # nothing to add to, or nothing of the employees' side yet
    questions = repo.questions(profile)
    scores: dict[str, float] = {}
    day = today or today_for(profile)
    for stored, answers in repo.rounds_with_answers(profile):
        pulse = parse_pulse(stored.pulse)[0]
        if pulse is None:
            continue
        summary = summarise_round(pulse, stored.round, answers, day)
        week = _reveal_week(summary, answers)
        if week is not None and summary.score is not None:
            scores[week] = summary.score
    if not questions and not scores:
        return checkins
    out = []
    for checkin in checkins:
        changes: dict[str, Any] = {}
        if checkin.week in scores and checkin.pulse_score is None:
            changes["pulse_score"] = scores[checkin.week]
        box = inbox_week(questions, checkin.week, profile.timezone) if questions else None
        if box is not None and box.received:
            changes["received"] = checkin.received + box.received
            changes["replies"] = checkin.replies + box.replies
            changes["median_response_hours"] = _combined_median(checkin, box)
        out.append(dataclasses.replace(checkin, **changes) if changes else checkin)
    return tuple(out)


def _combined_median(checkin: CheckIn, box: InboxWeek) -> float | None:
    typed, mine = checkin.median_response_hours, box.median_response_hours
    if mine is None:
        return typed
    if typed is None or not checkin.replies:
        return mine
    weight = checkin.replies + box.replies
    return round((typed * checkin.replies + mine * box.replies) / weight, 2)
