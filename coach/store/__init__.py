"""The database: profiles, assessments, plans and step states, goal targets, check-ins.

All SQL of the product lives in this package, written with SQLAlchemy Core 2.x
and dialect-neutral types:

- `schema.py`: the tables the queries use;
- `migrate.py` and `migrations/`: the schema's Alembic revisions, run on open;
- `db.py`: the engine (SQLite or PostgreSQL), one transaction per call, retries
  on busy and conflicts, the revision counter every write bumps;
- `rows.py`, `profiles.py`, `plans.py`, `checkins.py`: the repositories;
- `drafts.py`: Before you post's never-say list and saved drafts (tables and repository);
- `transfer.py`: the export/import document, on domain objects.

`Store` puts the repositories together behind plain methods; the domain and the
application layer type against the `coach.records.Store` protocol.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from coach.errors import InvalidInput
from coach.profile import LANGUAGES, STEP_STATES, Profile
from coach.records import ProfileData, ProfileRef, StepStatus, StoredAssessment, StoredPlan
from coach.store.bulk import read_bulk
from coach.store.checkins import CheckInRepository
from coach.store.db import BUSY_TIMEOUT_MS, DEFAULT_DB, PROJECT_ROOT, RETRY_SECONDS, Database
from coach.store.drafts import DraftRepository
from coach.store.migrate import head_revisions
from coach.store.people import PeopleRepository
from coach.store.plans import PlanRepository
from coach.store.profiles import ProfileRepository
from coach.store.rows import profile_from_row
from coach.store.schema import goal_targets_t, profiles_t, revision_t, step_states_t
from coach.store.transfer import EXPORT_FORMAT, EXPORT_VERSION, ProfileDocument, document, parse


class Store(
    ProfileRepository, PlanRepository, CheckInRepository, PeopleRepository, DraftRepository
):
    """Everything the app keeps, behind plain methods; see docs/ARCHITECTURE.md."""

    def __init__(
        self, target: str | os.PathLike[str] | None = None, *, db: Database | None = None
    ) -> None:
        """Open `target` (migrating it), or share the already open `db`."""
        self.db = db if db is not None else Database(target)
        self.url = self.db.url

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def revision(self) -> int:
        """Bumped by every write, from this process or another: what caches key on."""
        return self.db.revision()

    def schema_revisions(self) -> list[str]:
        """The Alembic revisions the database is at (usually one: the head)."""
        return self.db.schema_revisions()

    def upgrade(self) -> bool:
        """Migrate to the latest revision; False when the database already was."""
        return self.db.upgrade()

    def integrity_check(self) -> str:
        return self.db.integrity_check()

    # ---- whole profile --------------------------------------------------------------------------

    def export_profile(self, profile: ProfileRef) -> dict[str, Any]:
        """Everything about one profile as one JSON-safe, versioned document."""

        def read(conn: Connection) -> dict[str, Any]:
            row = self._profile_row(conn, profile)
            pid = int(row.id)
            return document(
                self.get_profile_in(conn, pid),
                self._draft(conn, pid),
                self._assessments(conn, pid),
                self._load_plan(conn, pid),
                self._targets(conn, pid),
                self._checkins(conn, pid),
                self._never_say(conn, pid),
                self._post_drafts(conn, pid),
            )

        result: dict[str, Any] = self._read(read)
        return result

    def _delete_owned(self, conn: Connection, pid: int) -> None:
        super()._delete_owned(conn, pid)
        self._delete_post_parts(conn, pid)

    def _replacing(self, conn: Connection, pid: int) -> None:
        """An import is about to replace profile `pid` (ScopedStore checks it may)."""

    def profile_data(self, profiles: Sequence[ProfileRef]) -> list[ProfileData]:
        """Everything about these profiles, in their order, read in one transaction.

        One query per table over all of them (a portfolio of 500 profiles is 8
        queries, not 4,000); NotFound (or Forbidden, scoped) for any one refused.
        """

        def read(conn: Connection) -> list[ProfileData]:
            rows = [self._profile_row(conn, ref, authorize=False) for ref in profiles]
            self._authorize_rows(conn, rows)
            ids = sorted({int(r.id) for r in rows})
            revision = int(conn.execute(select(revision_t.c.counter)).scalar_one_or_none() or 0)
            parts = read_bulk(conn, ids)
            return [
                ProfileData(
                    profile=profile_from_row(row),
                    revision=revision,
                    assessments=tuple(parts.assessments.get(int(row.id), ())),
                    stored=parts.plans.get(int(row.id)),
                    checkins=tuple(parts.checkins.get(int(row.id), ())),
                    targets=parts.targets.get(int(row.id), {}),
                    draft=parts.drafts.get(int(row.id), {}),
                )
                for row in rows
            ]

        result: list[ProfileData] = self._read(read)
        return result

    def get_profile_in(self, conn: Connection, pid: int) -> Profile:
        from coach.store.rows import profile_from_row

        return profile_from_row(self._profile_row(conn, pid))

    def import_profile(self, doc: dict[str, Any], *, replace: bool = False) -> Profile:
        """Create a profile from an `export_profile` document, whole or not at all.

        A wrong format or version, or any broken part, raises InvalidInput and writes
        nothing. An existing profile of the same name is an error unless `replace`.
        """
        parsed = parse(doc)

        def write(conn: Connection) -> Profile:
            name = parsed.profile["name"]
            old = self._name_taken(conn, name)
            if old is not None:
                if not replace:
                    raise InvalidInput("tracking.error.profile_exists", name=name)
                self._replacing(conn, old)
                self._delete_owned(conn, old)
                conn.execute(delete(profiles_t).where(profiles_t.c.id == old))
            pid = self._insert_profile(conn, parsed.profile)
            self._write_document(conn, pid, parsed)
            return self.get_profile_in(conn, pid)

        result: Profile = self._run(write)
        return result

    def _write_document(self, conn: Connection, pid: int, parsed: ProfileDocument) -> None:
        from coach.store.schema import drafts_t

        if parsed.draft is not None:
            conn.execute(
                insert(drafts_t).values(
                    profile_id=pid,
                    answers=parsed.draft.answers,
                    updated_at=parsed.draft.updated_at,
                )
            )
        for a in parsed.assessments:
            self._insert_assessment(
                conn,
                pid,
                self._assessment_values(None, a.answers, a.result, a.taken_at)
                | {"playbook_id": a.playbook_id, "playbook_version": a.playbook_version},
            )
        if parsed.plan is not None:
            self._replace_plan(conn, pid, parsed.plan, parsed.plan_created_at)
        for step_id, s in parsed.step_states.items():
            conn.execute(
                insert(step_states_t).values(
                    profile_id=pid,
                    step_id=step_id,
                    state=s.state,
                    changed_on=s.changed_on,
                    note=s.note,
                )
            )
        for g in parsed.goal_targets:
            conn.execute(
                insert(goal_targets_t).values(
                    profile_id=pid, goal_id=g.goal_id, target=g.target, set_on=g.set_on
                )
            )
        if parsed.checkins:
            self._upsert_checkins(conn, pid, parsed.checkins)
        self._write_post_parts(conn, pid, parsed.never_say, parsed.post_drafts)


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open (and create or migrate when needed) the database at `target`."""
    return Store(target)


__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_DB",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "LANGUAGES",
    "PROJECT_ROOT",
    "RETRY_SECONDS",
    "STEP_STATES",
    "Database",
    "Profile",
    "StepStatus",
    "Store",
    "StoredAssessment",
    "StoredPlan",
    "head_revisions",
    "open_store",
]
