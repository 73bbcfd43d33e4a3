"""Rows to domain objects and back, and the base every repository shares.

Check-in rows map onto `CheckIn` over the dataclass's own fields: a column the
dataclass does not have (yet) is skipped, a field without a column keeps its default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Column, Connection, CursorResult, Row, Table, select

from coach.checkin import CheckIn, checkin_to_dict
from coach.errors import CoachError, NotFound
from coach.profile import Profile, normalize_name
from coach.records import ProfileRef, StoredAssessment, StoredPlan
from coach.scoring import result_from_dict
from coach.store.db import TOUCHED, Database
from coach.store.schema import LOCAL_ORG_ID, LOCAL_USER_ID, checkins_t, profiles_t

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

CHECKIN_COLUMN_NAMES = tuple(f.name for f in dataclasses.fields(CheckIn) if f.name in checkins_t.c)
CHECKIN_COLUMNS: list[Column[Any]] = [checkins_t.c[name] for name in CHECKIN_COLUMN_NAMES]
T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")


def from_row(
    cls: type[D], row: Row[Any], renamed: Mapping[str, str] | None = None, /, **given: Any
) -> D:
    """A dataclass from the row's columns named like its fields (`renamed`: field -> column);
    the fields in `given` are taken as given (converted values)."""
    mapping, names = row._mapping, renamed or {}
    taken = {
        f.name: mapping[names.get(f.name, f.name)]
        for f in dataclasses.fields(cls)
        if f.name not in given
    }
    return cls(**taken, **given)


def row_values(obj: DataclassInstance, renamed: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The column values of a dataclass's fields, the inverse of `from_row`."""
    names = renamed or {}
    return {names.get(f.name, f.name): getattr(obj, f.name) for f in dataclasses.fields(obj)}


def profile_from_row(row: Row[Any]) -> Profile:
    return from_row(
        Profile,
        row,
        hours_per_week=float(row.hours_per_week),
        regulated_sector=bool(row.regulated_sector),
    )


def assessment_from_row(row: Row[Any]) -> StoredAssessment:
    return from_row(
        StoredAssessment, row, answers=dict(row.answers), result=result_from_dict(row.result)
    )


# The columns are the dataclass's leading fields, in order: rows map by position (fast).
_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(CheckIn))
_POSITIONAL = _FIELD_NAMES[: len(CHECKIN_COLUMN_NAMES)] == CHECKIN_COLUMN_NAMES


def checkin_from_row(row: Sequence[Any]) -> CheckIn:
    """A check-in from a row selected with `CHECKIN_COLUMNS`."""
    if _POSITIONAL:
        return CheckIn(*row)
    return CheckIn(**dict(zip(CHECKIN_COLUMN_NAMES, row, strict=True)))


def checkin_values(checkin: CheckIn) -> dict[str, Any]:
    """The row values of a check-in: its fields that have a column."""
    values = {k: v for k, v in checkin_to_dict(checkin).items() if k in checkins_t.c}
    for name, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            column_type = checkins_t.c[name].type
            if column_type.python_type is float:
                values[name] = float(value)
    return values


def check_revision(row: Row[Any], seen: int | None) -> None:
    """Refuse a change based on an older view of the profile (someone saved meanwhile)."""
    if seen is not None and int(row.revision) != seen:
        raise CoachError("tracking.error.changed_meanwhile", name=row.name)


def is_write(conn: Connection) -> bool:
    return bool(conn.get_execution_options().get("coach_write", False))


class Repository:
    """What every repository needs: the database, whose profiles, finding a profile's row.

    `organisation_id` and `user_id` say in whose name the store works: names are
    looked up in that organisation and new profiles belong to that user. A plain
    `Store` works for the local organisation and user (local mode, the CLI); a
    `ScopedStore` (coach/store/scoped.py) for a signed-in user, and checks access.
    """

    db: Database
    organisation_id: int = LOCAL_ORG_ID
    user_id: int = LOCAL_USER_ID

    def _run(self, fn: Callable[[Connection], T], write: bool = True) -> T:
        return self.db.run(fn, write)

    def _read(self, fn: Callable[[Connection], T]) -> T:
        return self.db.read(fn)

    @staticmethod
    def _owned_rows(
        conn: Connection, table: Table, pid: int, *order: Any, columns: Sequence[Any] = ()
    ) -> CursorResult[Any]:
        """The rows of `table` that belong to profile `pid` (all columns, or `columns`), in `order`."""
        query = select(*(columns or (table,))).where(table.c.profile_id == pid).order_by(*order)
        return conn.execute(query)

    def _profile_row(
        self, conn: Connection, profile: ProfileRef, *, authorize: bool = True
    ) -> Row[Any]:
        """The profile's row; in a write transaction it is locked until commit and its
        revision is bumped at commit, so two writers of one profile queue."""
        if isinstance(profile, Profile):
            query = select(profiles_t).where(profiles_t.c.id == profile.id)
            label: Any = profile.name
        elif isinstance(profile, int) and not isinstance(profile, bool):
            query = select(profiles_t).where(profiles_t.c.id == profile)
            label = profile
        else:
            label = normalize_name(profile) if isinstance(profile, str) else profile
            query = select(profiles_t).where(
                profiles_t.c.name == label, profiles_t.c.organisation_id == self.organisation_id
            )
        write = is_write(conn)
        if write:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise NotFound("tracking.error.unknown_profile", name=label)
        if authorize:
            self._authorize(conn, row)
        if write:
            conn.info.setdefault(TOUCHED, set()).add(int(row.id))
        return row

    def _authorize(self, conn: Connection, row: Row[Any]) -> None:
        """May this store's user do what it is doing to `row`'s profile? (ScopedStore)"""

    def _authorize_rows(self, conn: Connection, rows: list[Row[Any]]) -> None:
        """`_authorize` for several profiles at once (ScopedStore does it in one query)."""
        for row in rows:
            self._authorize(conn, row)

    def _load_plan(self, conn: Connection, pid: int) -> StoredPlan | None:
        raise NotImplementedError  # the plan repository's; declared here for the others

    def _profile_id(self, conn: Connection, profile: ProfileRef) -> int:
        return int(self._profile_row(conn, profile).id)
