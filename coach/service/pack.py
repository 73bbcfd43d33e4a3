"""The board pack: made from the snapshot, with its perception section read through
`pulse_results`."""

from __future__ import annotations

import dataclasses
import statistics
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from coach import clock, planner, tracking
from coach.i18n import pick
from coach.model import Playbook
from coach.profile import Profile
from coach.records import ProfileRef, Store
from coach.service.common import _pulse_reader
from coach.service.pulse import pulse_results
from coach.service.summary import ProfileSnapshot, snapshot

if TYPE_CHECKING:
    from coach.exports.pack import BoardPack


def build_pack(
    store: Store,
    profile: ProfileRef,
    lang: str | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
) -> BoardPack:
    """The board pack of one profile, made from its snapshot (the pack only formats it)."""
    from coach import exports

    snap = snapshot(store, profile, lang, today, playbook)
    pack = exports.make_pack(**pack_inputs(snap))
    return with_perception(store, snap.profile, pack)


def pack_inputs(snap: ProfileSnapshot) -> dict[str, Any]:
    """What the board pack shows, from the same snapshot as the app and `status`."""
    from coach.exports.pack import CHANGE_WINDOW_DAYS

    plan = snap.plan
    since = snap.today - timedelta(days=CHANGE_WINDOW_DAYS)
    goals_before = tracking.goal_statuses(
        snap.playbook,
        plan.goals if plan else (),
        snap.targets,
        list(snap.checkins),
        snap.lang,
        since,
    )
    asks: tuple[str, ...] | None = None
    latest = snap.latest
    if plan is not None and latest is not None and snap.playbook is not None:
        chosen = planner.board_asks(
            snap.playbook, plan, latest.result, snap.profile.facts, latest.answers
        )
        asks = tuple(pick(ask.text, snap.lang) for ask in chosen)
    return {
        "profile": snap.profile,
        "playbook": snap.playbook,
        "lang": snap.lang,
        "today": snap.today,
        "latest": latest,
        "previous": snap.previous,
        "plan": plan,
        "states": dict(snap.stored.states) if snap.stored else {},
        "checkins": snap.checkins,
        "goals": snap.goals,
        "goals_before": goals_before,
        "completion": snap.completion if snap.stored else None,
        "where_to_start": snap.where_to_start,
        "burnup": snap.burnup,
        "board_asks": asks,
    }


def with_perception(store: Store, profile: Profile, pack: BoardPack) -> BoardPack:
    """The pack with its perception section, read through `pulse_results` (never a comment).

    Only for a profile whose playbook has a pulse, or that has rounds or questions.
    """
    from coach.exports.perception import Perception
    from coach.pulse import MIN_THRESHOLD
    from coach.store.db import Database

    if not isinstance(getattr(store, "db", None), Database):
        return pack
    results = pulse_results(store, profile, pack.today)
    reader = _pulse_reader(store)
    if reader is None:
        return pack
    questions = reader.questions(profile)
    book_pulse = getattr(pack.playbook, "pulse", None)
    if book_pulse is None and not results.summaries:
        return pack  # nothing to say, and no threshold to state
    latest = results.latest_shown
    threshold = results.summaries[-1].threshold if results.summaries else MIN_THRESHOLD
    if not results.summaries and book_pulse is not None:
        threshold = int(book_pulse.threshold)
    weakest = None
    if latest is not None and latest.weakest:
        question = results.pulses[latest.round_id].question(latest.weakest)
        weakest = question.render(pack.lang, profile.name) if question else None
    trend = results.trend
    last_is_latest = latest is not None and trend.points and trend.points[-1][0] == latest.round_id
    since = pack.today - timedelta(days=28)
    zone = clock.zone(profile.timezone)
    recent = [q for q in questions if q.received.astimezone(zone).date() > since]
    hours = [
        (q.answered_at - q.received).total_seconds() / 3600
        for q in recent
        if q.answered_at is not None
    ]
    perception = Perception(
        threshold=threshold,
        rounds=len(results.summaries),
        score=latest.score if latest else None,
        shown_on=latest.opened if latest else None,
        direction=trend.direction if last_is_latest else "no_data",
        change=trend.change if last_is_latest else None,
        weakest=weakest,
        received=len(recent),
        answered=len(hours),
        median_hours=round(statistics.median(hours), 2) if hours else None,
        published=sum(1 for q in questions if q.state == "published"),
    )
    return dataclasses.replace(pack, perception=perception)
