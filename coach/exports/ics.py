"""The plan as an iCalendar file (Outlook, Google Calendar, Apple Calendar).

One all-day event per plan step on its due date, with a UID that stays the same
from one export to the next (re-importing updates rather than duplicates), a
weekly posting reminder at the goal's cadence and a weekly check-in reminder,
both as RRULEs in the manager's time zone.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from coach.exports.pack import BoardPack

UID_DOMAIN = "digital-identity-coach.local"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Which weekdays carry a posting reminder, by posts per week (spread out, weekdays only).
POSTING_DAYS = {1: ("TU",), 2: ("TU", "TH"), 3: ("MO", "WE", "FR"), 4: ("MO", "TU", "TH", "FR")}
REMINDER_TIME = time(9, 0)
CHECKIN_DAY = "FR"
CHECKIN_TIME = time(15, 30)


def render_ics(pack: BoardPack) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Digital identity coach//Board pack//" + pack.lang.upper())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add(
        "x-wr-calname", pack.text("ics.calendar_name", name=" ".join(pack.profile_name.split()))
    )
    stamp = datetime.combine(pack.generated_on, time(12), UTC)
    for step in pack.steps:
        cal.add_component(_step_event(pack, step, stamp))
    tz = _zone(pack.timezone)
    first_day = max(pack.plan_start or pack.generated_on, pack.generated_on)
    until = _until(pack, first_day)
    if pack.posting_target:
        cal.add_component(_posting_reminder(pack, tz, first_day, until, stamp))
    cal.add_component(_checkin_reminder(pack, tz, first_day, until, stamp))
    if tz is not UTC:
        # The zone's rules for the reminders' span only: a shorter file, same meaning.
        cal.add_missing_timezones(
            first_date=first_day - timedelta(days=366), last_date=until.date() + timedelta(days=366)
        )
    return cal.to_ical()


def uid(pack: BoardPack, kind: str) -> str:
    """Stable across exports: the profile and what the event is about, nothing time-bound."""
    if pack.profile_id is not None:
        owner = f"profile-{pack.profile_id}"
    else:
        owner = "p" + hashlib.sha1(pack.profile_name.encode("utf-8")).hexdigest()[:12]
    return f"{kind}.{owner}.{pack.playbook_id}@{UID_DOMAIN}"


def _step_event(pack: BoardPack, step, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid(pack, f"step.{step.id}"))
    event.add("dtstamp", stamp)
    event.add("dtstart", step.due)
    event.add("dtend", step.due + timedelta(days=1))
    event.add("summary", pack.text("ics.step_summary", title=step.title))
    lines = [*step.why]
    if step.starter:
        lines.append(pack.text("labelled", label=pack.text("starter"), text=step.starter))
    state = pack.text(f"state.{pack.state(step)}")
    lines.append(pack.text("labelled", label=pack.text("ics.status"), text=state))
    if pack.note(step):
        lines.append(pack.text("labelled", label=pack.text("col.note"), text=pack.note(step)))
    event.add("description", "\n".join(lines))
    event.add("categories", [pack.text(f"phase.{step.phase}")])
    event.add("transp", "TRANSPARENT")  # a due date, not a meeting: does not block the agenda
    return event


def _posting_reminder(
    pack: BoardPack, tz, first_day: date, until: datetime, stamp: datetime
) -> Event:
    posts = max(1, round(pack.posting_target))
    days = POSTING_DAYS.get(posts, ("MO", "TU", "WE", "TH", "FR"))
    target = pack.num(pack.posting_target)
    event = _weekly(pack, "posting", tz, first_day, days, REMINDER_TIME, until, stamp)
    event.add("summary", pack.text("ics.posting_summary", target=target))
    event.add("description", pack.text("ics.posting_description", target=target))
    return event


def _checkin_reminder(
    pack: BoardPack, tz, first_day: date, until: datetime, stamp: datetime
) -> Event:
    event = _weekly(pack, "checkin", tz, first_day, (CHECKIN_DAY,), CHECKIN_TIME, until, stamp)
    event.add("summary", pack.text("ics.checkin_summary"))
    event.add("description", pack.text("ics.checkin_description"))
    return event


def _weekly(pack, kind, tz, first_day, days, at, until, stamp) -> Event:
    start_day = _next_weekday(first_day, days)
    event = Event()
    event.add("uid", uid(pack, kind))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(start_day, at, tz))
    event.add("duration", timedelta(minutes=15))
    event.add("rrule", {"freq": "weekly", "byday": list(days), "until": until})
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-10))
    alarm.add(
        "description",
        pack.text(
            "ics.posting_summary" if kind == "posting" else "ics.checkin_summary",
            target=pack.num(pack.posting_target),
        ),
    )
    event.add_component(alarm)
    return event


def _next_weekday(day: date, days: tuple[str, ...]) -> date:
    wanted = {WEEKDAYS.index(d) for d in days}
    while day.weekday() not in wanted:
        day += timedelta(days=1)
    return day


def _until(pack: BoardPack, first_day: date) -> datetime:
    """Reminders run to the end of the plan, and at least one quarter."""
    last = max((s.due for s in pack.steps), default=first_day)
    end = max(last, first_day + timedelta(weeks=13))
    return datetime.combine(end, time(23, 59, 59), UTC)


def _zone(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
