"""Helpers for tests that compare fronts: the demo in a known state, at a frozen date."""

from __future__ import annotations

from datetime import UTC, date, datetime

from coach import service
from coach.profile import Profile
from coach.store import Store

# A Wednesday afternoon in Toronto: no test depends on the machine's date or zone.
FROZEN_AT = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
FROZEN_DAY = date(2026, 11, 18)


def demo_with_four_steps_done(store: Store, lang: str = "en") -> Profile:
    """The demo after its first four open steps (by date) were marked done."""
    profile = service.create_demo(store, lang, today=FROZEN_DAY)
    stored = store.get_plan(profile)
    assert stored is not None
    first = sorted(
        (s for s in stored.plan.steps if stored.states[s.id].state in ("todo", "doing")),
        key=lambda s: (s.start, s.order),
    )[:4]
    for step in first:
        service.set_step_state(store, profile, step.id, "done", on=FROZEN_DAY)
    return profile


def where_to_start_ids(store: Store, profile: Profile, lang: str = "en") -> list[str]:
    """*Where to start* as the application layer gives it (what every front must show)."""
    snap = service.snapshot(
        store, profile, lang, FROZEN_DAY, playbook=service.find_playbook(profile)
    )
    return [s.id for s in snap.where_to_start]
