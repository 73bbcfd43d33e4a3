"""Administration (users, roles, coach assignments, the audit log), many snapshots at once
(the portfolio), and the operators' commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from coach import access
from coach.errors import CoachError
from coach.i18n import normalize_lang
from coach.profile import Profile
from coach.records import ProfileRef, Store
from coach.service import common
from coach.service.common import today_for
from coach.service.summary import ProfileSnapshot, snapshot_of

# ---- administration (users, roles, coach assignments, the audit log) -----------------------------


def _admin(store: Any) -> tuple[access.User, int]:
    user = getattr(store, "user", access.LOCAL_USER)
    if not access.may_manage_organisation(user, user.organisation):
        raise access.Forbidden("access.error.not_admin")
    return user, int(store.organisation_id)


def _user_id(store: Any, identity: str | access.Identity) -> int:
    if isinstance(identity, str):
        issuer, _, subject = identity.rpartition("#")
        identity = access.Identity(issuer, subject)
    found = store.find_user(identity.issuer, identity.subject)
    if found is None:
        raise CoachError("access.error.unknown_user", user=str(identity))
    return int(found)


def list_members(store: Any) -> list[Any]:
    """Everybody with a role in the admin's organisation (coach.store.people.UserRecord)."""
    _user, org = _admin(store)
    return list(store.organisation_users(org))


def set_role(store: Any, identity: str | access.Identity, role: str, granted: bool = True) -> bool:
    """Grant (or revoke) a role in the admin's organisation; audited. True when it changed."""
    _user, org = _admin(store)
    (parsed,) = access.parse_roles([role])
    return bool(
        store.set_role(org, _user_id(store, identity), parsed.value, granted, store.user_id)
    )


def set_disabled(store: Any, identity: str | access.Identity, disabled: bool = True) -> None:
    """Turn a user's access off (or on again); audited."""
    _user, org = _admin(store)
    store.set_disabled(org, _user_id(store, identity), disabled, store.user_id)


def assign_coach(
    store: Any, profile: ProfileRef, coach: str | access.Identity, assigned: bool = True
) -> None:
    """Give (or take back) a profile to a coach of the organisation; audited."""
    _user, org = _admin(store)
    coach_id = _user_id(store, coach)
    roles = {r.roles for r in store.organisation_users(org) if r.id == coach_id}
    if not any(access.Role.COACH.value in r for r in roles):
        raise CoachError("access.error.not_coach", user=str(coach))
    target = next((p for p in store.assignable_profiles() if _same(p, profile)), None)
    if target is None:
        raise access.Forbidden("access.error.forbidden")
    store.set_assignment(target.id, coach_id, assigned, store.user_id)


def _same(found: Profile, profile: ProfileRef) -> bool:
    if isinstance(profile, Profile):
        return found.id == profile.id
    if isinstance(profile, int):
        return found.id == profile
    return found.name == profile


def coach_assignments(store: Any) -> list[tuple[int, int]]:
    """(profile id, coach user id) pairs of the admin's organisation."""
    _user, org = _admin(store)
    return list(store.assignments(org))


def audit_log(store: Any, profile: ProfileRef | None = None, limit: int = 200) -> list[Any]:
    """Who changed what: the organisation's log for its admins, a profile's for its owner."""
    user = getattr(store, "user", access.LOCAL_USER)
    if profile is None:
        _user, org = _admin(store)
        return list(store.audit_entries(org, None, limit))
    found = store.get_profile(profile)  # checks the user may read it
    mine = store.profile_owner(found.id) == getattr(store, "user_id", None)
    if not (mine or access.may_manage_organisation(user, user.organisation)):
        raise access.Forbidden("access.error.forbidden")
    return list(store.audit_entries(int(store.organisation_id), found.id, limit))


# ---- many snapshots at once (the portfolio), cached per profile revision ------------------------


def snapshots(
    store: Store,
    profiles: Sequence[ProfileRef],
    lang: str | None = None,
    today: date | None = None,
    playbook: Any = None,
) -> list[ProfileSnapshot]:
    """The snapshots of many profiles (a portfolio), read in one transaction, one query per
    table. `playbook`: a function from a profile to its playbook (`find_playbook` by default);
    `today`: one date for all (each profile's own day by default)."""
    find = playbook or common.find_playbook
    books: dict[str, Any] = {}
    out = []
    for data in store.profile_data(list(profiles)):
        key = data.profile.playbook_id
        if key not in books:
            books[key] = find(data.profile)
        out.append(snapshot_of(data, lang, today, books[key]))
    return out


class SnapshotCache:
    """Snapshots kept per (user, profile, profile revision, language, day, playbook).

    A profile's revision moves with every change to it, so after one manager saves a
    week only their snapshot is read again: a portfolio of 500 stays quick to rerun
    while the company works. Bounded; safe to share between the sessions of one server
    (the user is part of the key, so one user's snapshot never serves another).
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: dict[tuple[Any, ...], ProfileSnapshot] = {}
        import threading

        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> ProfileSnapshot | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple[Any, ...], snap: ProfileSnapshot) -> None:
        with self._lock:
            if len(self._items) >= self.size:
                for old in list(self._items)[: self.size // 4]:  # the oldest quarter goes
                    del self._items[old]
            self._items[key] = snap


def portfolio_snapshots(
    store: Store,
    lang: str | None = None,
    today: date | None = None,
    playbook: Any = None,
    cache: SnapshotCache | None = None,
) -> list[ProfileSnapshot]:
    """The snapshot of every profile the store lists (a coach's: the assigned ones), by name;
    with `cache`, only profiles changed since their cached snapshot are read again."""
    profiles = store.list_profiles()
    if cache is None:
        return snapshots(store, profiles, lang, today, playbook)
    user = str(getattr(getattr(store, "user", None), "identity", ""))
    revisions = store.profile_revisions([p.id for p in profiles])

    def key(p: Profile) -> tuple[Any, ...]:
        day = today or today_for(p)
        return (user, p.id, revisions.get(p.id), normalize_lang(lang or p.language), day)

    found = {p.id: cache.get(key(p)) for p in profiles}
    missing = [p for p in profiles if found[p.id] is None]
    for snap in snapshots(store, missing, lang, today, playbook):
        found[snap.profile.id] = snap
        cache.put(key(snap.profile), snap)
    return [s for s in (found[p.id] for p in profiles) if s is not None]


# ---- operators' commands (`python -m coach db grant|assign`): before any admin exists -------------


def operator_store(target: str | None, organisation: str, name: str | None = None) -> Any:
    """The database at `target`, as the operator of `organisation` (created when missing).

    Whoever can run commands on the server can already read the database: these commands
    bootstrap the first administrator, and are audited with no actor (the system).
    """
    from coach.store import Store

    store = Store(target)
    store.organisation_id = store.ensure_organisation(organisation, name)
    return store


def grant_role_as_operator(
    store: Any, identity: str, role: str, granted: bool = True, email: str = ""
) -> bool:
    """Grant (or revoke) a role to `issuer#subject`; the user row is made when they never
    signed in yet (their e-mail and name come at their first sign-in)."""
    issuer, _, subject = identity.rpartition("#")
    who = access.Identity(issuer, subject)
    (parsed,) = access.parse_roles([role])
    user_id = store.find_user(who.issuer, who.subject)
    if user_id is None:
        user_id = store.upsert_user(who.issuer, who.subject, email.strip().lower(), "")
    return bool(store.set_role(store.organisation_id, user_id, parsed.value, granted, None))


def assign_as_operator(store: Any, profile: str, coach: str, assigned: bool = True) -> None:
    """Give (or take back) the organisation's profile `profile` to the coach `issuer#subject`."""
    coach_id = _user_id(store, coach)
    found = store.get_profile(profile)
    store.set_assignment(found.id, coach_id, assigned, None)
