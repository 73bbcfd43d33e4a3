"""What every part of the application layer looks up: a profile's playbook and day, the
employees' side of the database.

The other modules call `common.find_playbook` through this module, so a test replaces it
in one place (`coach.service.common.find_playbook`).
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

from coach import clock
from coach.errors import CoachError
from coach.model import Playbook
from coach.profile import Profile
from coach.records import Store

if TYPE_CHECKING:
    from coach.store.pulse import PulseRepository


def find_playbook(
    profile: Profile, folder: str | os.PathLike[str] | None = None
) -> Playbook | None:
    """The profile's playbook from `folder` (playbooks/ by default), or None when missing or broken."""
    from coach.playbook import find_playbook as locate
    from coach.playbook import load_playbook

    try:
        path = locate(profile.playbook_id, folder) if folder else locate(profile.playbook_id)
        return load_playbook(path) if path else None
    except (CoachError, OSError):
        return None


def today_for(profile: Profile) -> date:
    """Today in the profile's time zone, from the one clock."""
    return clock.today_in(profile.timezone)


def _pulse_repo(store: Store) -> PulseRepository:
    """The employees' side of `store`'s database, with `store`'s access checks."""
    from coach.store.pulse import PulseRepository
    from coach.store.rows import Repository

    if not isinstance(store, Repository):
        raise TypeError("the employees' side needs coach.store.Store")
    return PulseRepository.of(store)


def _pulse_reader(store: Store) -> PulseRepository | None:
    """The same, or None for a store that is not a database (a test double)."""
    from coach.store.rows import Repository

    return _pulse_repo(store) if isinstance(store, Repository) else None
