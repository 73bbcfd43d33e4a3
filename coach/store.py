"""The database: profiles, assessments, plans and step states, goal targets, check-ins.

All SQL of the product lives here, written with SQLAlchemy Core 2.x. Why Core:
the queries stay plain and visible (no ORM session to reason about), the schema
is declared once as `Table` objects, and the same code can run on PostgreSQL
later by passing a URL: only `_configure_sqlite` is SQLite-specific.

SQLite is the embedded default (data/coach.db, or $COACH_DB). Each connection
runs in WAL mode with `synchronous=FULL` (a commit that returned survives a
crash of the process or of the machine), foreign keys on, and a busy timeout.
Every write runs in one `BEGIN IMMEDIATE` transaction (the write lock is taken
up front, so two writers queue instead of failing halfway) and is retried,
with a bound, when the database is busy: "database is locked" never reaches a
user; after `RETRY_SECONDS` they get a sentence in their language instead.

Porting to PostgreSQL: pass a `postgresql://` URL; callers do not change. Two
places assume SQLite and would need a look: `_configure_sqlite` (pragmas and
BEGIN IMMEDIATE; PostgreSQL would run writes at SERIALIZABLE and retry on
serialization failures in `_run`) and `integrity_check`. Check-in upserts read
then write inside the write transaction, which is race-free here because the
transaction holds SQLite's single write lock.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from coach.checkin import (
    CHECKIN_FIELDS,
    MAX_NOTE_CHARS,
    CheckIn,
    checkin_from_dict,
    checkin_to_dict,
    today_in,
    validate_checkin,
)
from coach.errors import CoachError, InvalidInput, NotFound
from coach.model import AssessmentResult, Plan
from coach.planner import plan_from_dict, plan_to_dict, reschedule
from coach.scoring import result_from_dict, result_to_dict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "coach.db"
SCHEMA_VERSION = 1
EXPORT_FORMAT = "coach-profile"
EXPORT_VERSION = 1
STEP_STATES = ("todo", "doing", "done", "skipped")
LANGUAGES = ("fr", "en")
MAX_NAME_CHARS = 60
MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 0.25, 80.0  # the planner's bounds
BUSY_TIMEOUT_MS = 5000  # SQLite waits this long for a lock before reporting "busy"
RETRY_SECONDS = 30.0  # then our own loop retries, with backoff, for at most this long

T = TypeVar("T")


# ---- values returned to callers -----------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    language: str  # "fr" | "en"
    timezone: str  # IANA, e.g. "America/Toronto"
    hours_per_week: float
    start_date: date
    playbook_id: str
    regulated_sector: bool
    created_at: datetime

    @property
    def facts(self) -> dict:
        """The profile facts playbook conditions may use."""
        return {"hours_per_week": self.hours_per_week, "regulated_sector": self.regulated_sector}


@dataclass(frozen=True)
class StoredAssessment:
    id: int
    taken_at: datetime
    playbook_id: str
    playbook_version: str
    answers: dict
    result: AssessmentResult


@dataclass(frozen=True)
class StepStatus:
    state: str  # todo | doing | done | skipped
    changed_on: date | None
    note: str


TODO = StepStatus("todo", None, "")


@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    states: dict[str, StepStatus]  # every step id present, default todo
    created_at: datetime


# ---- schema -------------------------------------------------------------------------------------


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, whatever the backend keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _v1_tables(md: MetaData) -> dict[str, Table]:
    """Schema version 1. Never edit once released: later changes are new migrations."""
    cascade = {"ondelete": "CASCADE"}
    tables = [
        Table(
            "schema_version",
            md,
            Column("version", Integer, primary_key=True, autoincrement=False),
            Column("applied_at", UTCDateTime, nullable=False),
        ),
        Table(
            "profiles",
            md,
            Column("id", Integer, primary_key=True),
            Column("name", String(MAX_NAME_CHARS), nullable=False, unique=True),
            Column("language", String(5), nullable=False),
            Column("timezone", String(64), nullable=False),
            Column("hours_per_week", Float, nullable=False),
            Column("start_date", Date, nullable=False),
            Column("playbook_id", String(100), nullable=False),
            Column("regulated_sector", Boolean, nullable=False),
            Column("created_at", UTCDateTime, nullable=False),
        ),
        Table(
            "drafts",
            md,
            Column("profile_id", ForeignKey("profiles.id", **cascade), primary_key=True),
            Column("answers", JSON, nullable=False),
            Column("updated_at", UTCDateTime, nullable=False),
        ),
        Table(
            "assessments",
            md,
            Column("id", Integer, primary_key=True),
            Column("profile_id", ForeignKey("profiles.id", **cascade), nullable=False),
            Column("taken_at", UTCDateTime, nullable=False),
            Column("playbook_id", String(100), nullable=False),
            Column("playbook_version", String(40), nullable=False),
            Column("answers", JSON, nullable=False),
            Column("result", JSON, nullable=False),
            Index("ix_assessments_profile", "profile_id", "taken_at"),
        ),
        Table(
            "plans",
            md,
            Column("profile_id", ForeignKey("profiles.id", **cascade), primary_key=True),
            Column("plan", JSON, nullable=False),
            Column("created_at", UTCDateTime, nullable=False),
        ),
        Table(
            "step_states",
            md,
            Column("profile_id", ForeignKey("profiles.id", **cascade), primary_key=True),
            Column("step_id", String(200), primary_key=True),
            Column("state", String(8), nullable=False),
            Column("changed_on", Date),
            Column("note", Text, nullable=False, default=""),
        ),
        Table(
            "goal_targets",
            md,
            Column("id", Integer, primary_key=True),
            Column("profile_id", ForeignKey("profiles.id", **cascade), nullable=False),
            Column("goal_id", String(200), nullable=False),
            Column("target", Float, nullable=False),
            Column("set_on", Date, nullable=False),
            Index("ix_goal_targets_profile", "profile_id", "goal_id", "id"),
        ),
        Table(
            "checkins",
            md,
            Column("profile_id", ForeignKey("profiles.id", **cascade), primary_key=True),
            Column("week", String(8), primary_key=True),
            Column("posts", Integer, nullable=False),
            Column("received", Integer, nullable=False),
            Column("replies", Integer, nullable=False),
            Column("median_response_hours", Float),
            Column("followers", Integer),
            Column("mentions", Integer),
            Column("monitoring_sessions", Integer),
            Column("employee_touchpoints", Integer),
            Column("note", Text, nullable=False),
            Column("source", String(60), nullable=False),
        ),
    ]
    return {table.name: table for table in tables}


def _migrate_to_1(conn: Connection) -> None:
    md = MetaData()
    _v1_tables(md)
    md.create_all(conn)


# version reached -> function that brings the previous version to it
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_to_1}

# The current schema (version SCHEMA_VERSION), used by the queries below.
METADATA = MetaData()
_T = _v1_tables(METADATA)
schema_version_t = _T["schema_version"]
profiles_t = _T["profiles"]
drafts_t = _T["drafts"]
assessments_t = _T["assessments"]
plans_t = _T["plans"]
step_states_t = _T["step_states"]
goal_targets_t = _T["goal_targets"]
checkins_t = _T["checkins"]
_CHECKIN_COLUMNS = [checkins_t.c[name] for name in CHECKIN_FIELDS]
OWNED_TABLES = (drafts_t, assessments_t, plans_t, step_states_t, goal_targets_t, checkins_t)


# ---- connection set-up --------------------------------------------------------------------------


def resolve_target(target: str | os.PathLike | None) -> str:
    """The SQLAlchemy URL for `target`: a URL, a file path, $COACH_DB, else data/coach.db."""
    if target is None or str(target) == "":
        target = os.environ.get("COACH_DB") or DEFAULT_DB
    text = str(target)
    if "://" in text:
        return text
    if text == ":memory:":
        return "sqlite://"
    path = Path(text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _configure_sqlite(engine: Engine) -> None:
    """WAL, durable commits, foreign keys, busy timeout; BEGIN IMMEDIATE for writes."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The driver must not open transactions by itself: we emit BEGIN below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("coach_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _is_busy(err: BaseException) -> bool:
    text = str(getattr(err, "orig", err)).lower()
    return "locked" in text or "busy" in text


# ---- conversions --------------------------------------------------------------------------------


def _profile_from_row(row: Any) -> Profile:
    return Profile(
        id=row.id,
        name=row.name,
        language=row.language,
        timezone=row.timezone,
        hours_per_week=float(row.hours_per_week),
        start_date=row.start_date,
        playbook_id=row.playbook_id,
        regulated_sector=bool(row.regulated_sector),
        created_at=row.created_at,
    )


def _checkin_from_row(row: Any) -> CheckIn:
    """A check-in from a row selected with `_CHECKIN_COLUMNS` (same order as the fields)."""
    return CheckIn(*row)


def _checkin_values(checkin: CheckIn) -> dict:
    values = checkin_to_dict(checkin)
    if values["median_response_hours"] is not None:
        values["median_response_hours"] = float(values["median_response_hours"])
    return values


# ---- checks on profile fields -------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or _CONTROL.search(name):
        raise InvalidInput("tracking.error.profile_name", name=name)
    # One spelling per name: « Zoë » typed with a combining accent is the same profile.
    name = unicodedata.normalize("NFC", name.strip())
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput("tracking.error.profile_name_long", max=MAX_NAME_CHARS)
    return name


def _check_fields(values: dict) -> dict:
    """Validate the profile fields present in `values`; returns them normalised."""
    out = dict(values)
    if "name" in out:
        out["name"] = _check_name(out["name"])
    if "language" in out and out["language"] not in LANGUAGES:
        raise InvalidInput("tracking.error.language", language=out["language"])
    if "timezone" in out:
        try:
            ZoneInfo(str(out["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput("tracking.error.timezone", timezone=out["timezone"]) from None
    if "hours_per_week" in out:
        hours = out["hours_per_week"]
        if (
            isinstance(hours, bool)
            or not isinstance(hours, int | float)
            or not math.isfinite(hours)
            or not MIN_HOURS_PER_WEEK <= hours <= MAX_HOURS_PER_WEEK
        ):
            raise InvalidInput(
                "tracking.error.hours_per_week",
                value=hours,
                min=MIN_HOURS_PER_WEEK,
                max=int(MAX_HOURS_PER_WEEK),
            )
        out["hours_per_week"] = float(hours)
    if "start_date" in out and (
        not isinstance(out["start_date"], date) or isinstance(out["start_date"], datetime)
    ):
        raise InvalidInput("tracking.error.start_date", value=out["start_date"])
    if "playbook_id" in out and (not isinstance(out["playbook_id"], str) or not out["playbook_id"]):
        raise InvalidInput("tracking.error.playbook_id", value=out["playbook_id"])
    if "regulated_sector" in out and not isinstance(out["regulated_sector"], bool):
        raise InvalidInput("tracking.error.regulated_sector", value=out["regulated_sector"])
    return out


def _profile_name(profile: str | Profile) -> str:
    if isinstance(profile, Profile):
        return profile.name
    return unicodedata.normalize("NFC", profile.strip()) if isinstance(profile, str) else profile


# ---- the store ----------------------------------------------------------------------------------


class Store:
    """Everything the app keeps, behind plain methods; see docs/ARCHITECTURE.md."""

    def __init__(self, target: str | os.PathLike | None = None) -> None:
        try:
            url = resolve_target(target)
        except OSError:  # its folder cannot be created: a file is in the way, no permission
            raise CoachError("tracking.error.db_unreadable", path=str(target)) from None
        self.url = url
        if url.startswith("sqlite"):
            memory = url in ("sqlite://", "sqlite:///:memory:")
            self.engine = create_engine(
                url,
                poolclass=StaticPool if memory else None,
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            )
            _configure_sqlite(self.engine)
        else:  # pragma: no cover - other backends are not supported yet
            self.engine = create_engine(url)
        try:
            self._migrate()
        except DatabaseError as err:
            self.engine.dispose()
            if isinstance(err, OperationalError) and _is_busy(err):
                raise CoachError("tracking.error.busy") from None
            raise CoachError("tracking.error.db_unreadable", path=str(target or url)) from None

    def close(self) -> None:
        self.engine.dispose()

    def _path(self) -> str:
        """The database file as the user named it (or the URL when it is not a file)."""
        prefix = "sqlite:///"
        return self.url[len(prefix) :] if self.url.startswith(prefix) else self.url

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions ---------------------------------------------------------------------------

    @contextmanager
    def _connection(self, write: bool) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(coach_write=True)
            with conn.begin():
                yield conn

    def _run(self, fn: Callable[[Connection], T], write: bool = True) -> T:
        """Run `fn` in one transaction, retrying while the database is busy (bounded)."""
        deadline = time.monotonic() + RETRY_SECONDS
        delay = 0.005
        while True:
            try:
                with self._connection(write) as conn:
                    return fn(conn)
            except DatabaseError as err:
                if not (isinstance(err, OperationalError) and _is_busy(err)):
                    raise CoachError("tracking.error.db_unreadable", path=self._path()) from None
                if time.monotonic() + delay > deadline:
                    raise CoachError("tracking.error.busy") from None
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 0.25)

    def _read(self, fn: Callable[[Connection], T]) -> T:
        return self._run(fn, write=False)

    # ---- schema ---------------------------------------------------------------------------------

    def _migrate(self) -> None:
        def current(conn: Connection) -> int:
            if not inspect(conn).has_table("schema_version"):
                if inspect(conn).get_table_names():
                    raise CoachError("tracking.error.db_foreign", path=self._path())
                return 0
            return conn.execute(select(func.max(schema_version_t.c.version))).scalar() or 0

        if self._read(current) == SCHEMA_VERSION:
            return  # the common case: one read, no write lock

        def upgrade(conn: Connection) -> None:
            version = current(conn)  # again, under the write lock: another process may have done it
            if version > SCHEMA_VERSION:
                raise CoachError(
                    "tracking.error.db_newer", version=version, supported=SCHEMA_VERSION
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](conn)
                conn.execute(insert(schema_version_t).values(version=target, applied_at=_now()))

        self._run(upgrade)

    def schema_version(self) -> int:
        """The schema version this database is at."""
        return self._read(
            lambda c: c.execute(select(func.max(schema_version_t.c.version))).scalar()
        )

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` ("ok" when the file is sound)."""
        rows = self._read(lambda c: c.exec_driver_sql("PRAGMA integrity_check").fetchall())
        return "\n".join(str(r[0]) for r in rows)

    # ---- profiles -------------------------------------------------------------------------------

    def _profile_row(self, conn: Connection, profile: str | Profile) -> Any:
        name = _profile_name(profile)
        row = conn.execute(select(profiles_t).where(profiles_t.c.name == name)).first()
        if row is None:
            raise NotFound("tracking.error.unknown_profile", name=name)
        return row

    def _profile_id(self, conn: Connection, profile: str | Profile) -> int:
        return self._profile_row(conn, profile).id

    def create_profile(
        self,
        name: str,
        *,
        language: str = "fr",
        timezone: str = "America/Toronto",
        hours_per_week: float = 2.0,
        start_date: date | None = None,
        playbook_id: str = "executive-presence",
        regulated_sector: bool = False,
    ) -> Profile:
        """A new profile; InvalidInput when the name is taken or a field is wrong."""
        values = _check_fields(
            {
                "name": name,
                "language": language,
                "timezone": timezone,
                "hours_per_week": hours_per_week,
                "start_date": start_date or today_in(timezone),
                "playbook_id": playbook_id,
                "regulated_sector": regulated_sector,
            }
        )
        values["created_at"] = _now()

        def write(conn: Connection) -> Profile:
            self._insert_profile(conn, values)
            return _profile_from_row(self._profile_row(conn, values["name"]))

        return self._run(write)

    def _insert_profile(self, conn: Connection, values: dict) -> int:
        taken = conn.execute(
            select(profiles_t.c.id).where(profiles_t.c.name == values["name"])
        ).first()
        if taken:
            raise InvalidInput("tracking.error.profile_exists", name=values["name"])
        return conn.execute(insert(profiles_t).values(**values)).inserted_primary_key[0]

    def get_profile(self, name: str) -> Profile:
        """The profile called `name`; NotFound otherwise."""
        return self._read(lambda c: _profile_from_row(self._profile_row(c, name)))

    def list_profiles(self) -> list[Profile]:
        """Every profile, by name."""
        rows = self._read(lambda c: c.execute(select(profiles_t).order_by(profiles_t.c.name)).all())
        return [_profile_from_row(r) for r in rows]

    def update_profile(self, name: str, **changes: Any) -> Profile:
        """Change profile fields (`new_name` renames).

        When `hours_per_week` or `start_date` change, the remaining steps of the plan
        are rescheduled in the same transaction; done and skipped steps keep their dates.
        """
        allowed = {"new_name", "language", "timezone", "hours_per_week", "start_date"}
        allowed |= {"playbook_id", "regulated_sector"}
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"update_profile: unknown fields {sorted(unknown)}")
        if "new_name" in changes:
            changes["name"] = changes.pop("new_name")
        values = _check_fields(changes)

        def write(conn: Connection) -> Profile:
            row = self._profile_row(conn, name)
            if "name" in values and values["name"] != row.name:
                taken = conn.execute(
                    select(profiles_t.c.id).where(profiles_t.c.name == values["name"])
                ).first()
                if taken:
                    raise InvalidInput("tracking.error.profile_exists", name=values["name"])
            if values:
                conn.execute(update(profiles_t).where(profiles_t.c.id == row.id).values(**values))
            new = _profile_from_row(self._profile_row(conn, values.get("name", row.name)))
            if (new.hours_per_week, new.start_date) != (row.hours_per_week, row.start_date):
                self._reschedule(conn, new)
            return new

        return self._run(write)

    def _reschedule(self, conn: Connection, profile: Profile) -> None:
        stored = self._load_plan(conn, profile.id)
        if stored is None:
            return
        fixed = {
            step.id: (step.start, step.due)
            for step in stored.plan.steps
            if stored.states[step.id].state in ("done", "skipped")
        }
        plan = reschedule(
            stored.plan,
            fixed,
            profile.start_date,
            profile.hours_per_week,
            today=today_in(profile.timezone),
        )
        conn.execute(
            update(plans_t)
            .where(plans_t.c.profile_id == profile.id)
            .values(plan=plan_to_dict(plan))
        )

    def delete_profile(self, name: str) -> None:
        """Delete the profile and everything that belongs to it; NotFound when unknown."""

        def write(conn: Connection) -> None:
            pid = self._profile_id(conn, name)
            self._delete_owned(conn, pid)
            conn.execute(delete(profiles_t).where(profiles_t.c.id == pid))

        self._run(write)

    def _delete_owned(self, conn: Connection, pid: int) -> None:
        # Explicit rather than relying on ON DELETE CASCADE alone, which SQLite
        # only honours when a connection enabled foreign keys.
        for table in OWNED_TABLES:
            conn.execute(delete(table).where(table.c.profile_id == pid))

    # ---- draft assessment -----------------------------------------------------------------------

    def save_draft(self, profile: str | Profile, answers: dict) -> None:
        """Keep the answers of an assessment in progress (replaces the previous draft)."""
        answers = dict(answers)

        def write(conn: Connection) -> None:
            pid = self._profile_id(conn, profile)
            conn.execute(delete(drafts_t).where(drafts_t.c.profile_id == pid))
            conn.execute(
                insert(drafts_t).values(profile_id=pid, answers=answers, updated_at=_now())
            )

        self._run(write)

    def get_draft(self, profile: str | Profile) -> dict:
        """The answers of the assessment in progress ({} when none)."""

        def read(conn: Connection) -> dict:
            pid = self._profile_id(conn, profile)
            value = conn.execute(
                select(drafts_t.c.answers).where(drafts_t.c.profile_id == pid)
            ).scalar()
            return dict(value or {})

        return self._read(read)

    def clear_draft(self, profile: str | Profile) -> None:
        def write(conn: Connection) -> None:
            pid = self._profile_id(conn, profile)
            conn.execute(delete(drafts_t).where(drafts_t.c.profile_id == pid))

        self._run(write)

    # ---- assessments ----------------------------------------------------------------------------

    def add_assessment(
        self,
        profile: str | Profile,
        playbook: Any,
        answers: dict,
        result: AssessmentResult,
        taken_at: datetime | None = None,
    ) -> StoredAssessment:
        """Record a completed assessment (`playbook` may be None: the result's ids are used)."""
        playbook_id = getattr(playbook, "id", None) or result.playbook_id
        version = getattr(playbook, "version", None) or result.playbook_version
        taken_at = taken_at or _now()
        if taken_at.tzinfo is None:
            taken_at = taken_at.replace(tzinfo=UTC)
        values = {
            "taken_at": taken_at,
            "playbook_id": playbook_id,
            "playbook_version": str(version),
            "answers": dict(answers),
            "result": result_to_dict(result),
        }

        def write(conn: Connection) -> int:
            pid = self._profile_id(conn, profile)
            return conn.execute(
                insert(assessments_t).values(profile_id=pid, **values)
            ).inserted_primary_key[0]

        new_id = self._run(write)
        return StoredAssessment(
            id=new_id,
            taken_at=taken_at.astimezone(UTC),
            playbook_id=playbook_id,
            playbook_version=str(version),
            answers=dict(answers),
            result=result_from_dict(values["result"]),  # as stored: what list_assessments gives
        )

    def list_assessments(self, profile: str | Profile) -> list[StoredAssessment]:
        """Every assessment of the profile, oldest first."""

        def read(conn: Connection) -> list[Any]:
            pid = self._profile_id(conn, profile)
            query = (
                select(assessments_t)
                .where(assessments_t.c.profile_id == pid)
                .order_by(assessments_t.c.taken_at, assessments_t.c.id)
            )
            return conn.execute(query).all()

        return [
            StoredAssessment(
                id=r.id,
                taken_at=r.taken_at,
                playbook_id=r.playbook_id,
                playbook_version=r.playbook_version,
                answers=dict(r.answers),
                result=result_from_dict(r.result),
            )
            for r in self._read(read)
        ]

    # ---- plan -----------------------------------------------------------------------------------

    def save_plan(self, profile: str | Profile, plan: Plan) -> None:
        """Make `plan` the current plan; steps with the same id keep their state."""
        data = plan_to_dict(plan)
        step_ids = {s.id for s in plan.steps}

        def write(conn: Connection) -> None:
            pid = self._profile_id(conn, profile)
            conn.execute(delete(plans_t).where(plans_t.c.profile_id == pid))
            conn.execute(insert(plans_t).values(profile_id=pid, plan=data, created_at=_now()))
            known = conn.execute(
                select(step_states_t.c.step_id).where(step_states_t.c.profile_id == pid)
            ).scalars()
            gone = [sid for sid in known if sid not in step_ids]
            if gone:
                conn.execute(
                    delete(step_states_t).where(
                        step_states_t.c.profile_id == pid, step_states_t.c.step_id.in_(gone)
                    )
                )

        self._run(write)

    def _load_plan(self, conn: Connection, pid: int) -> StoredPlan | None:
        row = conn.execute(select(plans_t).where(plans_t.c.profile_id == pid)).first()
        if row is None:
            return None
        plan = plan_from_dict(row.plan)
        states = {s.id: TODO for s in plan.steps}
        query = select(step_states_t).where(step_states_t.c.profile_id == pid)
        for r in conn.execute(query):
            if r.step_id in states:
                states[r.step_id] = StepStatus(r.state, r.changed_on, r.note)
        return StoredPlan(plan=plan, states=states, created_at=row.created_at)

    def get_plan(self, profile: str | Profile) -> StoredPlan | None:
        """The current plan with the state of every step, or None."""
        return self._read(lambda c: self._load_plan(c, self._profile_id(c, profile)))

    def set_step_state(
        self,
        profile: str | Profile,
        step_id: str,
        state: str,
        note: str = "",
        on: date | None = None,
    ) -> None:
        """Mark a step todo / doing / done / skipped, dated `on` (today by default)."""
        if state not in STEP_STATES:
            raise InvalidInput(
                "tracking.error.step_state", state=state, states=", ".join(STEP_STATES)
            )
        if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
            raise InvalidInput("tracking.error.note_too_long", max=MAX_NOTE_CHARS)

        def write(conn: Connection) -> None:
            row = self._profile_row(conn, profile)
            plan_row = conn.execute(
                select(plans_t.c.plan).where(plans_t.c.profile_id == row.id)
            ).first()
            if plan_row is None:
                raise NotFound("tracking.error.no_plan", name=row.name)
            if step_id not in {s["id"] for s in plan_row.plan.get("steps", [])}:
                raise NotFound("tracking.error.unknown_step", step=step_id)
            day = on or today_in(row.timezone)
            where = (step_states_t.c.profile_id == row.id, step_states_t.c.step_id == step_id)
            conn.execute(delete(step_states_t).where(*where))
            conn.execute(
                insert(step_states_t).values(
                    profile_id=row.id, step_id=step_id, state=state, changed_on=day, note=note
                )
            )

        self._run(write)

    # ---- goal targets ---------------------------------------------------------------------------

    def goal_targets(self, profile: str | Profile) -> dict[str, float]:
        """The targets the manager set (goal id -> latest target); plan defaults are not included."""

        def read(conn: Connection) -> dict[str, float]:
            pid = self._profile_id(conn, profile)
            query = (
                select(goal_targets_t.c.goal_id, goal_targets_t.c.target)
                .where(goal_targets_t.c.profile_id == pid)
                .order_by(goal_targets_t.c.id)
            )
            return {goal: float(target) for goal, target in conn.execute(query)}

        return self._read(read)

    def set_goal_target(
        self, profile: str | Profile, goal_id: str, target: float, on: date | None = None
    ) -> None:
        """Set a new target for a goal; the previous ones stay in the history."""
        if (
            isinstance(target, bool)
            or not isinstance(target, int | float)
            or not math.isfinite(target)
            or target < 0
        ):
            raise InvalidInput("tracking.error.goal_target", value=target)

        def write(conn: Connection) -> None:
            row = self._profile_row(conn, profile)
            plan_row = conn.execute(
                select(plans_t.c.plan).where(plans_t.c.profile_id == row.id)
            ).first()
            if plan_row is not None:
                goals = {g["id"] for g in plan_row.plan.get("goals", [])}
                if goal_id not in goals:
                    raise NotFound("tracking.error.unknown_goal", goal=goal_id)
            conn.execute(
                insert(goal_targets_t).values(
                    profile_id=row.id,
                    goal_id=goal_id,
                    target=float(target),
                    set_on=on or today_in(row.timezone),
                )
            )

        self._run(write)

    def goal_target_history(self, profile: str | Profile, goal_id: str) -> list[tuple[date, float]]:
        """Every target set for the goal, oldest first, as (date, target)."""

        def read(conn: Connection) -> list[tuple[date, float]]:
            pid = self._profile_id(conn, profile)
            query = (
                select(goal_targets_t.c.set_on, goal_targets_t.c.target)
                .where(goal_targets_t.c.profile_id == pid, goal_targets_t.c.goal_id == goal_id)
                .order_by(goal_targets_t.c.id)
            )
            return [(day, float(target)) for day, target in conn.execute(query)]

        return self._read(read)

    # ---- check-ins ------------------------------------------------------------------------------

    def save_checkin(
        self, profile: str | Profile, checkin: CheckIn, today: date | None = None
    ) -> str:
        """Save one week's figures: "created", or "updated" when the week was already there."""
        return self.save_checkins(profile, [checkin], today=today)[checkin.week]

    def save_checkins(
        self, profile: str | Profile, checkins: list[CheckIn], today: date | None = None
    ) -> dict[str, str]:
        """Save several weeks in one transaction: all are valid and saved, or none is.

        Returns week -> "created" | "updated". `today` (the profile's date by default)
        decides which weeks are in the future.
        """

        def write(conn: Connection) -> dict[str, str]:
            row = self._profile_row(conn, profile)
            day = today or today_in(row.timezone)
            for checkin in checkins:
                validate_checkin(checkin, day)
            return self._upsert_checkins(conn, row.id, checkins)

        return self._run(write)

    def merge_checkin(
        self,
        profile: str | Profile,
        week: str,
        changes: dict[str, Any],
        today: date | None = None,
    ) -> str:
        """Change some figures of one week, keeping the others: "created" or "updated".

        The read and the write happen in one transaction, so two people saving other
        figures of the same week at the same time both keep theirs.
        """

        def write(conn: Connection) -> dict[str, str]:
            row = self._profile_row(conn, profile)
            query = select(*_CHECKIN_COLUMNS).where(
                checkins_t.c.profile_id == row.id, checkins_t.c.week == week
            )
            found = conn.execute(query).first()
            base = CheckIn(week=week) if found is None else _checkin_from_row(found)
            checkin = dataclasses.replace(base, **changes)
            validate_checkin(checkin, today or today_in(row.timezone))
            return self._upsert_checkins(conn, row.id, [checkin])

        return self._run(write)[week]

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
        latest = {c.week: c for c in checkins}  # the same week twice: the last one wins
        new_rows = [
            {"profile_id": pid, **_checkin_values(c)}
            for w, c in latest.items()
            if w not in existing
        ]
        if new_rows:
            conn.execute(insert(checkins_t), new_rows)
        for week, checkin in latest.items():
            if week in existing:
                values = _checkin_values(checkin)
                del values["week"]
                conn.execute(
                    update(checkins_t)
                    .where(checkins_t.c.profile_id == pid, checkins_t.c.week == week)
                    .values(**values)
                )
        return outcome

    def get_checkin(self, profile: str | Profile, week: str) -> CheckIn | None:
        """The check-in of `week`, or None."""

        def read(conn: Connection) -> CheckIn | None:
            pid = self._profile_id(conn, profile)
            query = select(*_CHECKIN_COLUMNS).where(
                checkins_t.c.profile_id == pid, checkins_t.c.week == week
            )
            row = conn.execute(query).first()
            return None if row is None else _checkin_from_row(row)

        return self._read(read)

    def list_checkins(self, profile: str | Profile) -> list[CheckIn]:
        """Every check-in of the profile, oldest week first."""

        def read(conn: Connection) -> list[CheckIn]:
            pid = self._profile_id(conn, profile)
            query = (
                select(*_CHECKIN_COLUMNS)
                .where(checkins_t.c.profile_id == pid)
                .order_by(checkins_t.c.week)
            )
            return [_checkin_from_row(r) for r in conn.execute(query)]

        return self._read(read)

    def delete_checkin(self, profile: str | Profile, week: str) -> bool:
        """Remove one week's figures; True when there was one."""

        def write(conn: Connection) -> bool:
            pid = self._profile_id(conn, profile)
            query = delete(checkins_t).where(
                checkins_t.c.profile_id == pid, checkins_t.c.week == week
            )
            return conn.execute(query).rowcount > 0

        return self._run(write)

    # ---- whole profile --------------------------------------------------------------------------

    def export_profile(self, name: str) -> dict:
        """Everything about one profile as one JSON-safe, versioned document."""
        return self._read(lambda conn: self._export(conn, name))

    def _export(self, conn: Connection, name: str) -> dict:
        row = self._profile_row(conn, name)
        pid = row.id
        draft = conn.execute(select(drafts_t).where(drafts_t.c.profile_id == pid)).first()
        plan = conn.execute(select(plans_t).where(plans_t.c.profile_id == pid)).first()
        states = conn.execute(
            select(step_states_t)
            .where(step_states_t.c.profile_id == pid)
            .order_by(step_states_t.c.step_id)
        ).all()
        assessments = conn.execute(
            select(assessments_t)
            .where(assessments_t.c.profile_id == pid)
            .order_by(assessments_t.c.taken_at, assessments_t.c.id)
        ).all()
        targets = conn.execute(
            select(goal_targets_t)
            .where(goal_targets_t.c.profile_id == pid)
            .order_by(goal_targets_t.c.id)
        ).all()
        checkins = conn.execute(
            select(*_CHECKIN_COLUMNS)
            .where(checkins_t.c.profile_id == pid)
            .order_by(checkins_t.c.week)
        ).all()
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _now().isoformat(),
            "profile": {
                "name": row.name,
                "language": row.language,
                "timezone": row.timezone,
                "hours_per_week": float(row.hours_per_week),
                "start_date": row.start_date.isoformat(),
                "playbook_id": row.playbook_id,
                "regulated_sector": bool(row.regulated_sector),
                "created_at": row.created_at.isoformat(),
            },
            "draft": None
            if draft is None
            else {"answers": draft.answers, "updated_at": draft.updated_at.isoformat()},
            "assessments": [
                {
                    "taken_at": a.taken_at.isoformat(),
                    "playbook_id": a.playbook_id,
                    "playbook_version": a.playbook_version,
                    "answers": a.answers,
                    "result": a.result,
                }
                for a in assessments
            ],
            "plan": None
            if plan is None
            else {
                "created_at": plan.created_at.isoformat(),
                "plan": plan.plan,
                "step_states": [
                    {
                        "step_id": s.step_id,
                        "state": s.state,
                        "changed_on": s.changed_on.isoformat() if s.changed_on else None,
                        "note": s.note,
                    }
                    for s in states
                ],
            },
            "goal_targets": [
                {"goal_id": g.goal_id, "target": float(g.target), "set_on": g.set_on.isoformat()}
                for g in targets
            ],
            "checkins": [checkin_to_dict(_checkin_from_row(c)) for c in checkins],
        }

    def import_profile(self, doc: dict, *, replace: bool = False) -> Profile:
        """Create a profile from an `export_profile` document, whole or not at all.

        A wrong format or version, or any broken part, raises InvalidInput and writes
        nothing. An existing profile of the same name is an error unless `replace`.
        """
        parsed = _parse_export(doc)

        def write(conn: Connection) -> Profile:
            name = parsed["profile"]["name"]
            old = conn.execute(select(profiles_t.c.id).where(profiles_t.c.name == name)).first()
            if old is not None:
                if not replace:
                    raise InvalidInput("tracking.error.profile_exists", name=name)
                self._delete_owned(conn, old.id)
                conn.execute(delete(profiles_t).where(profiles_t.c.id == old.id))
            pid = self._insert_profile(conn, parsed["profile"])
            if parsed["draft"] is not None:
                conn.execute(insert(drafts_t).values(profile_id=pid, **parsed["draft"]))
            for values in parsed["assessments"]:
                conn.execute(insert(assessments_t).values(profile_id=pid, **values))
            if parsed["plan"] is not None:
                conn.execute(insert(plans_t).values(profile_id=pid, **parsed["plan"]))
            for values in parsed["step_states"]:
                conn.execute(insert(step_states_t).values(profile_id=pid, **values))
            for values in parsed["goal_targets"]:
                conn.execute(insert(goal_targets_t).values(profile_id=pid, **values))
            if parsed["checkins"]:
                self._upsert_checkins(conn, pid, parsed["checkins"])
            return _profile_from_row(self._profile_row(conn, name))

        return self._run(write)


# ---- reading an export document -----------------------------------------------------------------


class _Broken(Exception):
    """A part of an export document is missing or has the wrong type."""


def _need(
    data: Any, key: str, kind: type | tuple[type, ...], where: str, optional: bool = False
) -> Any:
    if not isinstance(data, dict) or (key not in data and not optional):
        raise _Broken(f"{where}.{key}")
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise _Broken(f"{where}.{key}")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _parse_datetime(text: str, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise _Broken(where) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise _Broken(where) from None


# ---- what the planner and the exports rely on, checked on the document as written ----------------

_LAST_YEAR = 2200  # a plan on two hours a week ends long before; later dates overflow date maths


def _finite(value: Any, low: float, high: float) -> bool:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return ok and math.isfinite(value) and low <= value <= high


def _level_ok(value: Any) -> bool:
    return value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    )


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_result(result: dict, where: str) -> None:
    """Scores 0-100, levels 1-5, coverage 0-1: what results and the board pack compute with."""
    if result.get("overall_score") is not None and not _finite(result["overall_score"], 0, 100):
        raise _Broken(f"{where}.overall_score")
    if not _level_ok(result.get("overall_level")):
        raise _Broken(f"{where}.overall_level")
    if not _finite(result.get("coverage"), 0, 1):
        raise _Broken(f"{where}.coverage")
    if not _texts(result.get("strengths")) or not _texts(result.get("gaps")):
        raise _Broken(f"{where}.strengths")
    if not isinstance(result.get("dimensions"), list):
        raise _Broken(f"{where}.dimensions")
    for i, d in enumerate(result["dimensions"]):
        ok = isinstance(d, dict) and isinstance(d.get("id"), str)
        ok = (
            ok
            and (d.get("score") is None or _finite(d["score"], 0, 100))
            and _level_ok(d.get("level"))
        )
        ok = ok and _finite(d.get("answered"), 0, 10**6) and _finite(d.get("visible"), 0, 10**6)
        if not ok:
            raise _Broken(f"{where}.dimensions[{i}]")


def _check_plan(plan: dict) -> None:
    """Hours, efforts, targets finite; dates in order and within reach; texts that are texts."""
    if not _finite(plan.get("hours_per_week"), MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK):
        raise _Broken("plan.plan.hours_per_week")
    if plan.get("lang") not in LANGUAGES:
        raise _Broken("plan.plan.lang")
    if not isinstance(plan.get("steps"), list) or not _texts(plan.get("where_to_start")):
        raise _Broken("plan.plan.steps")
    ids = [s.get("id") for s in plan["steps"]]
    if len(set(ids)) != len(ids):
        raise _Broken("plan.plan.steps")
    for i, step in enumerate(plan["steps"]):
        where = f"plan.plan.steps[{i}]"
        start, due = date.fromisoformat(step["start"]), date.fromisoformat(step["due"])
        ok = start <= due and due.year <= _LAST_YEAR and _level_ok(step.get("level"))
        ok = ok and _finite(step.get("effort_hours"), 0, 10_000)
        ok = ok and _finite(step.get("hours_per_week"), 0, MAX_HOURS_PER_WEEK)
        ok = ok and all(isinstance(step.get(k), str) for k in ("title", "dimension", "starter"))
        ok = ok and all(_texts(step.get(k)) for k in ("why", "how", "depends_on"))
        if not ok:
            raise _Broken(where)
    for i, goal in enumerate(plan.get("goals") or []):
        ok = isinstance(goal, dict) and _finite(goal.get("target"), 0, 10**9)
        ok = ok and goal.get("direction") in ("at_least", "at_most")
        if not ok or not all(isinstance(goal.get(k), str) for k in ("id", "title", "unit")):
            raise _Broken(f"plan.plan.goals[{i}]")


def _parse_export(doc: Any) -> dict:
    """Check a whole export document and turn it into rows; InvalidInput when anything is off."""
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise InvalidInput("tracking.error.import_format")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version != EXPORT_VERSION:
        raise InvalidInput(
            "tracking.error.import_version", version=json.dumps(version), supported=EXPORT_VERSION
        )
    try:
        return _parse_parts(doc)
    except _Broken as err:
        raise InvalidInput("tracking.error.import_broken", detail=str(err)) from None


def _parse_parts(doc: dict) -> dict:
    number = (int, float)
    p = _need(doc, "profile", dict, "doc")
    profile = {
        "name": _need(p, "name", str, "profile"),
        "language": _need(p, "language", str, "profile"),
        "timezone": _need(p, "timezone", str, "profile"),
        "hours_per_week": _need(p, "hours_per_week", number, "profile"),
        "start_date": _parse_date(_need(p, "start_date", str, "profile"), "profile.start_date"),
        "playbook_id": _need(p, "playbook_id", str, "profile"),
        "regulated_sector": _need(p, "regulated_sector", bool, "profile"),
        "created_at": _parse_datetime(_need(p, "created_at", str, "profile"), "profile.created_at"),
    }
    profile = _check_fields(profile)

    draft = _need(doc, "draft", dict, "doc", optional=True)
    if draft is not None:
        draft = {
            "answers": _need(draft, "answers", dict, "draft"),
            "updated_at": _parse_datetime(
                _need(draft, "updated_at", str, "draft"), "draft.updated_at"
            ),
        }

    assessments = []
    for i, a in enumerate(_need(doc, "assessments", list, "doc")):
        where = f"assessments[{i}]"
        result = _need(a, "result", dict, where)
        try:
            result_from_dict(result)
        except (KeyError, TypeError, ValueError):
            raise _Broken(f"{where}.result") from None
        _check_result(result, f"{where}.result")
        assessments.append(
            {
                "taken_at": _parse_datetime(_need(a, "taken_at", str, where), f"{where}.taken_at"),
                "playbook_id": _need(a, "playbook_id", str, where),
                "playbook_version": _need(a, "playbook_version", str, where),
                "answers": _need(a, "answers", dict, where),
                "result": result,
            }
        )

    plan = None
    step_states: list[dict] = []
    plan_doc = _need(doc, "plan", dict, "doc", optional=True)
    if plan_doc is not None:
        plan_data = _need(plan_doc, "plan", dict, "plan")
        try:
            step_ids = {s.id for s in plan_from_dict(plan_data).steps}
        except (KeyError, TypeError, ValueError, AttributeError):
            raise _Broken("plan.plan") from None
        _check_plan(plan_data)
        plan = {
            "plan": plan_data,
            "created_at": _parse_datetime(
                _need(plan_doc, "created_at", str, "plan"), "plan.created_at"
            ),
        }
        for i, s in enumerate(_need(plan_doc, "step_states", list, "plan")):
            where = f"plan.step_states[{i}]"
            state = {
                "step_id": _need(s, "step_id", str, where),
                "state": _need(s, "state", str, where),
                "changed_on": _need(s, "changed_on", str, where, optional=True),
                "note": _need(s, "note", str, where),
            }
            if state["state"] not in STEP_STATES or state["step_id"] not in step_ids:
                raise _Broken(where)
            if len(state["note"]) > MAX_NOTE_CHARS:
                raise _Broken(f"{where}.note")
            if state["changed_on"] is not None:
                state["changed_on"] = _parse_date(state["changed_on"], f"{where}.changed_on")
            step_states.append(state)
        if len({s["step_id"] for s in step_states}) != len(step_states):
            raise _Broken("plan.step_states")

    goal_targets = []
    for i, g in enumerate(_need(doc, "goal_targets", list, "doc")):
        where = f"goal_targets[{i}]"
        target = _need(g, "target", number, where)
        if not math.isfinite(target) or target < 0:
            raise _Broken(f"{where}.target")
        goal_targets.append(
            {
                "goal_id": _need(g, "goal_id", str, where),
                "target": float(target),
                "set_on": _parse_date(_need(g, "set_on", str, where), f"{where}.set_on"),
            }
        )

    checkins = []
    # An export made in a time zone that is already in next week stays importable.
    tomorrow = today_in(profile["timezone"]) + timedelta(days=1)
    for i, c in enumerate(_need(doc, "checkins", list, "doc")):
        if not isinstance(c, dict):
            raise _Broken(f"checkins[{i}]")
        try:
            checkin = checkin_from_dict(c)
        except (InvalidInput, TypeError):
            raise _Broken(f"checkins[{i}]") from None
        try:
            validate_checkin(checkin, tomorrow)
        except InvalidInput:
            raise _Broken(f"checkins[{i}] ({checkin.week})") from None
        checkins.append(checkin)
    if len({c.week for c in checkins}) != len(checkins):
        raise _Broken("checkins")

    return {
        "profile": profile,
        "draft": draft,
        "assessments": assessments,
        "plan": plan,
        "step_states": step_states,
        "goal_targets": goal_targets,
        "checkins": checkins,
    }


def _now() -> datetime:
    return datetime.now(UTC)


def open_store(target: str | os.PathLike | None = None) -> Store:
    """Open (and create or migrate when needed) the database at `target`."""
    return Store(target)


__all__ = [
    "Profile",
    "StoredAssessment",
    "StepStatus",
    "StoredPlan",
    "Store",
    "open_store",
]
