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


# Loaded playbooks by file and version: a snapshot reads its profile's playbook every time,
# and parsing it costs far more than the rest of a status. A changed file (another mtime or
# size) is read again; the Playbook itself is immutable, so sharing it is safe.
_LOADED: dict[tuple[str, int, int], Playbook] = {}
_LOADED_MAX = 16


def load_cached(path: str | os.PathLike[str]) -> Playbook:
    """The playbook at `path`, parsed once per version of the file (PlaybookInvalid as usual)."""
    from coach.playbook import load_playbook

    try:
        stat = os.stat(path)
    except OSError:
        return load_playbook(path)  # says what is wrong with the path, as a playbook problem
    key = (os.path.realpath(path), stat.st_mtime_ns, stat.st_size)
    found = _LOADED.get(key)
    if found is None:
        found = load_playbook(path)
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = found
    return found


def find_playbook(
    profile: Profile, folder: str | os.PathLike[str] | None = None
) -> Playbook | None:
    """The profile's playbook from `folder` (playbooks/ by default), or None when missing or broken."""
    from coach.playbook import find_playbook as locate

    try:
        path = locate(profile.playbook_id, folder) if folder else locate(profile.playbook_id)
        return load_cached(path) if path else None
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
