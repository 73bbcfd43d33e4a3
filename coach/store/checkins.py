"""Weekly check-ins: save several weeks at once, merge some figures into one week, read, delete."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, delete, select

from coach import clock
from coach.checkin import CheckIn, validate_checkin
from coach.records import ProfileRef
from coach.store.db import AUDIT_DETAIL
from coach.store.rows import CHECKIN_COLUMNS, Repository, checkin_from_row, checkin_values
from coach.store.schema import checkins_t
from coach.store.upsert import upsert


class CheckInRepository(Repository):
    def save_checkin(self, profile: ProfileRef, checkin: CheckIn, today: date | None = None) -> str:
        """Save one week's figures: "created", or "updated" when the week was already there."""
        return self.save_checkins(profile, [checkin], today=today)[checkin.week]

    def save_checkins(
        self, profile: ProfileRef, checkins: list[CheckIn], today: date | None = None
    ) -> dict[str, str]:
        """Save several weeks in one transaction: all are valid and saved, or none is.

        Returns week -> "created" | "updated". `today` (the profile's date by default)
        decides which weeks are in the future.
        """

        def write(conn: Connection) -> dict[str, str]:
            return self._save(conn, self._profile_row(conn, profile), checkins, today)

        return self._run(write)

    def merge_checkin(
        self, profile: ProfileRef, week: str, changes: dict[str, Any], today: date | None = None
    ) -> str:
        """Change some figures of one week, keeping the others: "created" or "updated".

        The read and the write happen in one transaction, so two people saving other
        figures of the same week at the same time both keep theirs.
        """

        def write(conn: Connection) -> dict[str, str]:
            row = self._profile_row(conn, profile)
            found = self._checkin(conn, int(row.id), week)
            base = CheckIn(week=week) if found is None else found
            return self._save(conn, row, [dataclasses.replace(base, **changes)], today)

        return self._run(write)[week]

    def _save(
        self, conn: Connection, row: Row[Any], checkins: list[CheckIn], today: date | None
    ) -> dict[str, str]:
        """Check every week against the profile's today (or `today`), then write them all."""
        day = today or clock.today_in(row.timezone)
        for checkin in checkins:
            validate_checkin(checkin, day)
        return self._upsert_checkins(conn, int(row.id), checkins)

    def _upsert_checkins(
        self, conn: Connection, pid: int, checkins: list[CheckIn]
    ) -> dict[str, str]:
        weeks = sorted({c.week for c in checkins})
        existing: set[str] = set()
        for start in range(0, len(weeks), 500):  # stay under SQL parameter limits
            query = select(checkins_t.c.week).where(
                checkins_t.c.profile_id == pid, checkins_t.c.week.in_(weeks[start : start + 500])
            )
            existing.update(conn.execute(query).scalars())
        outcome = {w: ("updated" if w in existing else "created") for w in weeks}
        conn.info.setdefault(AUDIT_DETAIL, {}).update(
            target=", ".join(weeks), created=sum(v == "created" for v in outcome.values())
        )
        latest = {c.week: c for c in checkins}  # the same week twice: the last one wins
        rows = [{"profile_id": pid, **checkin_values(c)} for c in latest.values()]
        upsert(conn, checkins_t, rows, keys=("profile_id", "week"))
        return outcome

    def save_checkins_rechecked(
        self,
        profile: ProfileRef,
        recheck: Callable[[list[CheckIn]], list[CheckIn]],
        today: date | None = None,
    ) -> dict[str, str]:
        """Save what `recheck(saved check-ins)` returns, reading and writing in one transaction.

        An import decides what it may write from the weeks saved *now*: a week typed
        by hand between its preview and this save is seen here, never overwritten.
        """

        def write(conn: Connection) -> dict[str, str]:
            row = self._profile_row(conn, profile)  # locked: nobody saves a week meanwhile
            checkins = recheck(self._checkins(conn, int(row.id)))
            return self._save(conn, row, checkins, today) if checkins else {}

        return self._run(write)

    def _checkins(self, conn: Connection, pid: int) -> list[CheckIn]:
        rows = self._owned_rows(conn, checkins_t, pid, checkins_t.c.week, columns=CHECKIN_COLUMNS)
        return [checkin_from_row(r) for r in rows]

    def _checkin(self, conn: Connection, pid: int, week: str) -> CheckIn | None:
        query = select(*CHECKIN_COLUMNS).where(
            checkins_t.c.profile_id == pid, checkins_t.c.week == week
        )
        row = conn.execute(query).first()
        return None if row is None else checkin_from_row(row)

    def get_checkin(self, profile: ProfileRef, week: str) -> CheckIn | None:
        """The check-in of `week`, or None."""
        return self._read(lambda c: self._checkin(c, self._profile_id(c, profile), week))

    def list_checkins(self, profile: ProfileRef) -> list[CheckIn]:
        """Every check-in of the profile, oldest week first."""
        return self._read(lambda c: self._checkins(c, self._profile_id(c, profile)))

    def delete_checkin(self, profile: ProfileRef, week: str) -> bool:
        """Remove one week's figures; True when there was one."""

        def write(conn: Connection) -> bool:
            pid = self._profile_id(conn, profile)
            query = delete(checkins_t).where(
                checkins_t.c.profile_id == pid, checkins_t.c.week == week
            )
            return bool(conn.execute(query).rowcount > 0)

        return self._run(write)
