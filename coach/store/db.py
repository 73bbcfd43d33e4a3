"""The engine, transactions and retries, and schema upgrades on open.

SQLite is the embedded default (data/coach.db, or $COACH_DB). Each connection
runs in WAL mode with `synchronous=FULL` (a commit that returned survives a
crash of the process or of the machine), foreign keys on, and a busy timeout.
Every write runs in one `BEGIN IMMEDIATE` transaction (the write lock is taken
up front, so two writers queue instead of failing halfway), bumps the revision
counter, and is retried with a bound while the database is busy: "database is
locked" never reaches a user; after `RETRY_SECONDS` they get a sentence instead.
Busy is recognised by SQLite's error codes (SQLITE_BUSY, SQLITE_LOCKED and their
extended codes), never by message text.

Porting to PostgreSQL: pass a `postgresql://` URL. `_configure_sqlite` and
`integrity_check` are SQLite-specific; PostgreSQL would run writes at
SERIALIZABLE and retry on serialization failures in `Database.run`.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, inspect, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from coach import clock
from coach.errors import CoachError
from coach.store.schema import MIGRATIONS, SCHEMA_VERSION, revision_t, schema_version_t

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = PROJECT_ROOT / "data" / "coach.db"
BUSY_TIMEOUT_MS = 5000  # SQLite waits this long for a lock before reporting "busy"
RETRY_SECONDS = 30.0  # then our own loop retries, with backoff, for at most this long
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}

T = TypeVar("T")


def resolve_target(target: str | os.PathLike[str] | None) -> str:
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
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("coach_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_busy(err: BaseException) -> bool:
    """True when SQLite reported the database busy or locked (by error code)."""
    orig = getattr(err, "orig", err)
    code = getattr(orig, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) in _BUSY_CODES


class Database:
    """One engine, one transaction per call, retries while busy, the schema kept current."""

    def __init__(self, target: str | os.PathLike[str] | None = None) -> None:
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
            if isinstance(err, OperationalError) and is_busy(err):
                raise CoachError("tracking.error.busy") from None
            raise CoachError("tracking.error.db_unreadable", path=str(target or url)) from None

    def close(self) -> None:
        self.engine.dispose()

    def path(self) -> str:
        """The database file as the user named it (or the URL when it is not a file)."""
        prefix = "sqlite:///"
        return self.url[len(prefix) :] if self.url.startswith(prefix) else self.url

    @contextmanager
    def _connection(self, write: bool) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(coach_write=True)
            with conn.begin():
                yield conn

    def run(self, fn: Callable[[Connection], T], write: bool = True) -> T:
        """Run `fn` in one transaction, retrying while the database is busy (bounded)."""
        deadline = time.monotonic() + RETRY_SECONDS
        delay = 0.005
        while True:
            try:
                with self._connection(write) as conn:
                    result = fn(conn)
                    if write:
                        _bump(conn)
                    return result
            except DatabaseError as err:
                if not (isinstance(err, OperationalError) and is_busy(err)):
                    raise CoachError("tracking.error.db_unreadable", path=self.path()) from None
                if time.monotonic() + delay > deadline:
                    raise CoachError("tracking.error.busy") from None
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 0.25)

    def read(self, fn: Callable[[Connection], T]) -> T:
        return self.run(fn, write=False)

    def revision(self) -> int:
        """A counter every write transaction bumps, from any process: a cache key."""
        return int(
            self.read(lambda c: c.execute(select(revision_t.c.counter)).scalar_one_or_none() or 0)
        )

    # ---- schema ---------------------------------------------------------------------------------

    def _current(self, conn: Connection) -> int:
        if not inspect(conn).has_table("schema_version"):
            if inspect(conn).get_table_names():
                raise CoachError("tracking.error.db_foreign", path=self.path())
            return 0
        return int(conn.execute(select(func.max(schema_version_t.c.version))).scalar() or 0)

    def _migrate(self) -> None:
        if self.read(self._current) == SCHEMA_VERSION:
            return  # the common case: one read, no write lock

        def upgrade(conn: Connection) -> None:
            version = self._current(conn)  # again, under the write lock
            if version > SCHEMA_VERSION:
                raise CoachError(
                    "tracking.error.db_newer", version=version, supported=SCHEMA_VERSION
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](conn)
                conn.execute(
                    insert(schema_version_t).values(version=target, applied_at=clock.now())
                )

        self.run(upgrade)

    def schema_version(self) -> int:
        """The schema version this database is at."""
        return self.read(self._current)

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` ("ok" when the file is sound)."""
        rows = self.read(lambda c: c.exec_driver_sql("PRAGMA integrity_check").fetchall())
        return "\n".join(str(r[0]) for r in rows)


def _bump(conn: Connection) -> None:
    conn.execute(sql_update(revision_t).values(counter=revision_t.c.counter + 1))
