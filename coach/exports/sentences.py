"""The few sentences the board pack writes for the board, in the reader's language: the
bottom line, the asks, what changed over the last four weeks, and the risks.

They read a `BoardPack` holding the domain objects (see `coach.exports.pack.make_pack`)
and compute no domain figure themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from coach.checkin import parse_week
from coach.exports.formatting import fmt_delta, fmt_value
from coach.i18n import pick
from coach.model import Diagnosis
from coach.tracking import GoalStatus
from coach.typography import typeset

if TYPE_CHECKING:
    from coach.exports.pack import BoardPack

CHANGE_WINDOW_DAYS = 28  # "what changed": the last four weeks
MAX_RISKS = 4
DEFAULT_REPLY_HOURS = 24.0  # the response-time ask when the plan has no such goal


def _quoted(text: str, lang: str) -> str:
    return typeset(f"« {text} »", lang) if lang == "fr" else f"“{text}”"


def _lower_first(text: str) -> str:
    """An ask as the end of a sentence: 'Protéger…' -> 'protéger…' (not 'LinkedIn')."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _delta(now: float | None, before: float | None) -> float | None:
    """How much a figure moved; None when either side is unknown."""
    return None if now is None or before is None else now - before


# ---- the plan's central issue ---------------------------------------------------------------------


def diagnosis(pack: BoardPack) -> Diagnosis | None:
    """The plan's central issue (id, dimension, title, why) when the planner names one."""
    return pack.plan.diagnosis if pack.plan is not None else None


# ---- page 1 sentences -----------------------------------------------------------------------------


def bottom_line(pack: BoardPack, asks: Sequence[str]) -> tuple[str, ...]:
    """Three first-person sentences: where I stand, how it moved, what I ask the board."""
    if pack.latest is None:
        return ()
    result = pack.latest.result
    level = result.overall_level
    central = diagnosis(pack)
    if central is not None:
        stand = pack.text(
            "bottom.stand_diagnosis",
            level=level or "—",
            name=pack.level_name(level),
            diagnosis=pick(central.title, pack.lang),
        )
    elif result.gaps and (weak := result.score_of(result.gaps[0])) and weak.level:
        stand = pack.text(
            "bottom.stand",
            level=level or "—",
            name=pack.level_name(level),
            weakest=pack.dimension_title(weak.dimension),
            weak_level=weak.level,
        )
    else:
        stand = pack.text("bottom.stand_plain", level=level or "—", name=pack.level_name(level))
    return (stand, _trend_sentence(pack), _decision_sentence(pack, asks))


def _trend_sentence(pack: BoardPack) -> str:
    c = pack.completion
    if c is None:
        progress = pack.text("bottom.progress_none")
    else:
        progress = pack.plural("bottom.progress", c.steps_done, total=c.steps_total)
    if pack.previous is None:
        when = pack.date(pack.latest.taken_at, long=True)
        return pack.text("bottom.trend_first", date=when, progress=progress)
    new, old = pack.latest.result.overall_score, pack.previous.result.overall_score
    move = 0 if new is None or old is None else round(new - old)
    when = pack.date(pack.previous.taken_at, long=True)
    kind = "up" if move > 0 else "down" if move < 0 else "flat"
    points = pack.plural("points", abs(move))
    return pack.text(f"bottom.trend_{kind}", date=when, points=points, progress=progress)


def _decision_sentence(pack: BoardPack, asks: Sequence[str]) -> str:
    if not asks:
        return pack.text("bottom.decision_none")
    return pack.text("bottom.decision", ask=_lower_first(asks[0].rstrip(".")))


def _reply_hours(pack: BoardPack) -> str:
    """The response-time target as hours ('24 h'), never the response rate."""
    goal = next((g for g in pack.goals if g.metric == "median_response_hours"), None)
    hours = goal.target if goal else DEFAULT_REPLY_HOURS
    return fmt_value(hours, "h", pack.lang)


def default_asks(pack: BoardPack) -> tuple[str, ...]:
    """What a board can grant: time, budget, a mandate, risk appetite, a sponsor, an approval
    path (when the playbook chose none)."""
    if pack.latest is None:
        return ()
    asks = []
    if pack.plan is not None:
        asks.append(pack.text("ask.time", hours=pack.num(pack.hours_per_week)))
    if pack.profile.regulated_sector:
        asks.append(pack.text("ask.approval"))
    replies = next((g for g in pack.goals if g.metric == "median_response_hours"), None)
    rate = next((g for g in pack.goals if g.metric == "response_rate"), None)
    struggling = [g for g in (replies, rate) if g and g.status in ("off_track", "at_risk")]
    if struggling:
        asks.append(pack.text("ask.backup", hours=_reply_hours(pack)))
    level = pack.latest.result.overall_level or 1
    asks.append(pack.text("ask.risk" if level <= 2 else "ask.mandate"))
    asks.append(pack.text("ask.sponsor"))
    return tuple(asks)


# ---- what changed, risks --------------------------------------------------------------------------


def changes(pack: BoardPack, goals_before: Sequence[GoalStatus]) -> tuple[str, ...]:
    """Steps done, the assessment's move, goals whose status changed, check-ins: the last four weeks."""
    since = pack.today - timedelta(days=CHANGE_WINDOW_DAYS)
    when = pack.date(since, long=True)
    out = []
    if pack.plan is not None:
        done = [
            s
            for s in pack.steps
            if pack.state(s) == "done" and (pack.changed_on(s) or date.min) >= since
        ]
        if done:
            titles = ", ".join(_quoted(s.title, pack.lang) for s in done)
            out.append(pack.plural("changes.steps_done", len(done), since=when, titles=titles))
        else:
            out.append(pack.text("changes.steps_done_none", since=when))
    if pack.previous is not None:
        out.append(_assessment_change(pack))
    elif pack.latest is not None:
        out.append(
            pack.text("changes.assessment_first", date=pack.date(pack.latest.taken_at, True))
        )
    then = {g.id: g for g in goals_before}
    for goal in pack.goals:
        old = then.get(goal.id)
        if old is None or old.status == goal.status or _delta(goal.actual, old.actual) is None:
            continue
        out.append(
            pack.text(
                "changes.goal",
                goal=goal.title,
                before=pack.value(old.actual, goal.unit),
                now=pack.value(goal.actual, goal.unit),
                status=pack.text(f"status.{goal.status}").lower(),
            )
        )
    if pack.checkins:
        recent = [c for c in pack.checkins if parse_week(c.week) >= since - timedelta(days=6)]
        out.append(pack.plural("changes.checkins", len(recent)))
    return tuple(out)


def _assessment_change(pack: BoardPack) -> str:
    old, new = pack.previous.result, pack.latest.result
    moves = []
    for dim in new.dimensions:
        before = old.score_of(dim.dimension)
        moved = _delta(dim.score, before.score if before is not None else None)
        if moved is not None and round(moved):
            moves.append((dim.dimension, moved))
    # The three biggest moves say it; the table on page 1 has every dimension.
    moves.sort(key=lambda d: -abs(d[1]))
    details = ", ".join(
        f"{pack.dimension_title(dim)} {fmt_delta(delta, pack.lang)}" for dim, delta in moves[:3]
    )
    return pack.text(
        "changes.assessment",
        previous=pack.date(pack.previous.taken_at, long=True),
        overall=fmt_delta(_delta(new.overall_score, old.overall_score), pack.lang),
        details=details or "—",
    )


def risks(pack: BoardPack) -> tuple[str, ...]:
    """Goals off track then at risk, late steps, silent weeks, a weak dimension: four at most."""
    out = []
    for status in ("off_track", "at_risk"):
        for g in pack.goals:
            if g.status == status:
                out.append(
                    pack.text(
                        f"risk.{status}",
                        goal=g.title,
                        actual=pack.value(g.actual, g.unit),
                        target=pack.target(g),
                    )
                )
    late = [s for s in pack.steps if pack.late(s)]
    if late:
        out.append(pack.plural("risk.late", len(late), title=late[0].title))
    if pack.checkins:
        silent = (pack.today - parse_week(pack.checkins[-1].week)).days // 7 - 1
        if silent >= 2:
            out.append(pack.plural("risk.no_checkin", silent))
    result = pack.latest.result if pack.latest else None
    if result is not None and result.gaps:
        weakest = result.score_of(result.gaps[0])
        if weakest and weakest.level is not None and weakest.level <= 2:
            out.append(
                pack.text(
                    "risk.gap",
                    dimension=pack.dimension_title(weakest.dimension),
                    level=weakest.level,
                )
            )
    return tuple(out[:MAX_RISKS]) or (pack.text("risk.none"),)
