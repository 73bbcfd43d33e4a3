"""The perception pulse and the question box, the manager's side (docs/PULSE.md).

`pulse_results` is the only door to pulse answers: pages, the CLI and the board pack read
it, never the tables.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from coach import clock
from coach.errors import CoachError
from coach.inbox import InboxQuestion, InboxWeek
from coach.model import Playbook
from coach.profile import Profile
from coach.pulse import Pulse, PulseRound, PulseTrend, RoundSummary
from coach.pulse.forms import ImportedPulse
from coach.pulse.links import LinkKind
from coach.records import ProfileRef, Store
from coach.service import common
from coach.service.common import _pulse_reader, _pulse_repo, today_for

if TYPE_CHECKING:
    from coach.store.pulse import StoredRound


@dataclass(frozen=True)
class PulseOpened:
    round: PulseRound
    token: str  # shown once: only its digest is kept
    url: str


@dataclass(frozen=True)
class PulseResults:
    summaries: tuple[RoundSummary, ...]  # oldest first
    trend: PulseTrend
    comments: dict[str, tuple[str, ...]]  # round id -> shuffled comments (empty when hidden)
    pulses: dict[str, Pulse]  # round id -> the questions pinned when it opened
    open_round: RoundSummary | None  # the round still collecting answers, if any
    open_until: date | None = None  # its last day

    @property
    def latest_shown(self) -> RoundSummary | None:
        return next((s for s in reversed(self.summaries) if s.shown), None)


def share_url(base_url: str, param: str, token: str) -> str:
    """The link employees open: the app's address with `?pulse=` or `?ask=` and the token."""
    base = (base_url or "http://localhost:8501/").split("?", 1)[0]
    return f"{base}?{param}={token}"


def _link_expiry(last_day: date, tz: str) -> datetime:
    """A pulse link works until the end of its last day in the profile's zone."""
    return datetime.combine(last_day + timedelta(days=1), time(0), clock.zone(tz)).astimezone(UTC)


def _with_pulse(
    store: Store, profile: ProfileRef, playbook: Playbook | None
) -> tuple[Profile, Playbook, Pulse]:
    """The profile, its playbook (`playbook`, else its own) and the playbook's pulse section;
    CoachError "no pulse" when either is missing."""
    found = store.get_profile(profile)
    book = playbook or common.find_playbook(found)
    pulse = getattr(book, "pulse", None)
    if book is None or pulse is None:
        raise CoachError("pulse.error.no_pulse", playbook=found.playbook_id)
    return found, book, pulse


def _pinned(new_round: PulseRound, found: Profile, book: Playbook, pulse: Pulse) -> StoredRound:
    """The round as stored, with the playbook's pulse section pinned as it is today."""
    from coach.pulse.definition import pulse_to_dict
    from coach.store.pulse import StoredRound

    return StoredRound(new_round, found.id, None, book.id, book.version, pulse_to_dict(pulse))


def open_pulse(
    store: Store,
    profile: ProfileRef,
    days: int = 14,
    base_url: str = "",
    playbook: Playbook | None = None,
) -> PulseOpened:
    """Open a round answered through a new link for `days` days (one open round at a time)."""
    from coach.pulse import open_link, open_round
    from coach.store.pulse import new_id

    found, book, pulse = _with_pulse(store, profile, playbook)
    now, today = clock.now(), today_for(found)
    new_round = open_round(pulse, new_id(), today, days)
    token, link = open_link("pulse", now, days)
    link = dataclasses.replace(link, expires=_link_expiry(new_round.expires, found.timezone))
    kept = _pulse_repo(store).add_round(
        found, _pinned(new_round, found, book, pulse), link, today=today
    )
    return PulseOpened(kept.round, token, share_url(base_url, "pulse", token))


def close_pulse(store: Store, profile: ProfileRef) -> RoundSummary | None:
    """Close the open round now (its link stops working); None when no round was open."""
    found = store.get_profile(profile)
    closed = _pulse_repo(store).close_round(found, today_for(found), clock.now())
    if closed is None:
        return None
    return next(
        (s for s in pulse_results(store, found).summaries if s.round_id == closed.round.id), None
    )


def import_pulse(
    store: Store, profile: ProfileRef, data: bytes, playbook: Playbook | None = None
) -> ImportedPulse:
    """Read a Google Forms or Microsoft Forms CSV export; writes nothing (a preview)."""
    from coach.pulse import read_forms_csv
    from coach.store.pulse import new_id

    found, _book, pulse = _with_pulse(store, profile, playbook)
    return read_forms_csv(pulse, data, new_id(), today_for(found))


def apply_pulse_import(
    store: Store, profile: ProfileRef, imported: ImportedPulse, playbook: Playbook | None = None
) -> RoundSummary:
    """Keep an imported round (one batch, same threshold) and return what the manager may see."""
    found, book, pulse = _with_pulse(store, profile, playbook)
    pinned = dataclasses.replace(imported.round, threshold=pulse.threshold)
    stored = _pinned(pinned, found, book, pulse)
    _pulse_repo(store).add_round(found, stored, None, imported.answers, today=today_for(found))
    summaries = pulse_results(store, found).summaries
    return next(s for s in summaries if s.round_id == pinned.id)


def pulse_results(store: Store, profile: ProfileRef, today: date | None = None) -> PulseResults:
    """Every round as a manager may see it: nothing below a round's threshold, comments apart."""
    from coach.pulse import comments, parse_pulse, pulse_trend, summarise_round

    found = store.get_profile(profile)
    day = today or today_for(found)
    summaries: list[RoundSummary] = []
    said: dict[str, tuple[str, ...]] = {}
    pulses: dict[str, Pulse] = {}
    still_open: RoundSummary | None = None
    until: date | None = None
    reader = _pulse_reader(store)
    for stored, answers in reader.rounds_with_answers(found) if reader else []:
        pulse = parse_pulse(stored.pulse)[0]
        if pulse is None:  # a pinned section always parses; a damaged row shows nothing
            continue
        summary = summarise_round(pulse, stored.round, answers, day)
        summaries.append(summary)
        said[summary.round_id] = comments(stored.round, answers)
        pulses[summary.round_id] = pulse
        if stored.round.is_open(day) and stored.round.source == "link":
            still_open, until = summary, stored.round.expires
    return PulseResults(tuple(summaries), pulse_trend(summaries), said, pulses, still_open, until)


def pulse_results_json(
    store: Store, profile: ProfileRef, today: date | None = None
) -> dict[str, Any]:
    """What `pulse results --format json` prints (null wherever the threshold is not met)."""
    from coach.pulse import results_json

    return results_json(pulse_results(store, profile, today).summaries)


def _link_open(store: Store, profile: ProfileRef, kind: LinkKind) -> bool:
    """True while the profile has an open link of this kind."""
    found = store.get_profile(profile)
    now = clock.now()
    reader = _pulse_reader(store)
    return reader is not None and any(
        s.link.state(now) == "open" for s in reader.links(found, kind)
    )


def pulse_link_open(store: Store, profile: ProfileRef) -> bool:
    """True while the profile has a round collecting answers through a link."""
    return _link_open(store, profile, "pulse")


# ---- the inbox, manager side ---------------------------------------------------------------------


def open_inbox_link(store: Store, profile: ProfileRef, base_url: str = "") -> PulseOpened:
    """A new question-box link (the token shown once); an older open link stops working."""
    from coach.pulse import open_link

    found = store.get_profile(profile)
    now = clock.now()
    token, link = open_link("inbox", now, None)
    _pulse_repo(store).add_link(found, link, replace_open=True)
    today = today_for(found)
    placeholder = PulseRound("inbox", today, today)
    return PulseOpened(placeholder, token, share_url(base_url, "ask", token))


def close_inbox_link(store: Store, profile: ProfileRef) -> bool:
    """Close the question box; True when it was open."""
    return _pulse_repo(store).close_links(store.get_profile(profile), "inbox", clock.now()) > 0


def inbox_link_open(store: Store, profile: ProfileRef) -> bool:
    """True while the question box has an open link."""
    return _link_open(store, profile, "inbox")


def inbox(store: Store, profile: ProfileRef) -> list[InboxQuestion]:
    """The profile's questions: new ones first, then the others, newest first in each."""
    reader = _pulse_reader(store)
    found = reader.questions(store.get_profile(profile)) if reader else []
    return sorted(found, key=lambda q: q.state != "new")


def answer_question(
    store: Store, profile: ProfileRef, question_id: str, channel: str
) -> InboxQuestion:
    """Mark a question answered privately, at a town hall or in a post."""
    from coach.inbox import mark_answered

    now = clock.now()
    return _pulse_repo(store).change_question(
        store.get_profile(profile), question_id, lambda q: mark_answered(q, channel, now), now
    )


def publish_answer(store: Store, profile: ProfileRef, question_id: str, text: str) -> InboxQuestion:
    """Publish (or edit) the answer every employee with the inbox link reads."""
    from coach.inbox import publish_answer as publish

    now = clock.now()
    return _pulse_repo(store).change_question(
        store.get_profile(profile), question_id, lambda q: publish(q, text, now), now
    )


def inbox_figures(store: Store, profile: ProfileRef, week: str) -> InboxWeek:
    """The inbox's received items, replies and median response time for `week`."""
    from coach.inbox import inbox_week

    found = store.get_profile(profile)
    reader = _pulse_reader(store)
    return inbox_week(reader.questions(found) if reader else [], week, found.timezone)
