"""The engine, transactions and retries, and schema upgrades on open; SQLite or PostgreSQL.

SQLite is the embedded default (data/coach.db, or $COACH_DB). Each connection
runs in WAL mode with `synchronous=FULL` (a commit that returned survives a
crash of the process or of the machine), foreign keys on, and a busy timeout.
Every write runs in one `BEGIN IMMEDIATE` transaction (the write lock is taken
up front, so two writers queue instead of failing halfway).

PostgreSQL (`postgresql+psycopg://…`, or `postgresql://…`, which means the same
driver) runs through psycopg 3 with SQLAlchemy's connection pool (pre-ping,
recycle). Transactions are READ COMMITTED; a write transaction locks the row of
the profile it changes (`SELECT … FOR UPDATE`, see `rows.Repository`) so two
writers of one profile queue while writers of different profiles run side by
side, and saves are single `INSERT … ON CONFLICT` statements (`upsert.py`).

On both engines every write bumps the revision counter and is retried, with a
bound, on the errors a retry cures: SQLite busy or locked (by error code, never
message text), PostgreSQL serialization failure (40001), deadlock (40P01) and a
unique violation caused by a concurrent insert (23505, whose retry then sees the
other row). "database is locked" never reaches a user; after `RETRY_SECONDS`
they get a sentence instead.

Opening the store brings the schema to the latest Alembic revision
(`migrate.py`); on PostgreSQL with `COACH_DB_AUTO_UPGRADE=0` it only checks, and
`python -m coach db upgrade` migrates.
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

from sqlalchemy import URL, Connection, Engine, create_engine, event, insert, make_url, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.pool import StaticPool

from coach.errors import CoachError
from coach.store import migrate as migrations
from coach.store.schema import audit_log_t, profiles_t, revision_t

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = PROJECT_ROOT / "data" / "coach.db"
BUSY_TIMEOUT_MS = 5000  # SQLite waits this long for a lock before reporting "busy"
RETRY_SECONDS = 30.0  # then our own loop retries, with backoff, for at most this long
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
# serialization failure, deadlock, unique violation (a concurrent insert won: retry sees it)
_PG_RETRY_STATES = {"40001", "40P01", "23505"}
URL_PREFIXES = ("sqlite://", "postgresql://", "postgresql+psycopg://")
AUTO_UPGRADE_ENV = "COACH_DB_AUTO_UPGRADE"
TOUCHED = "coach_touched"  # conn.info: ids of the profiles this write transaction changed
AUDIT = "coach_audit"  # conn.info: audit rows to insert before it commits
AUDIT_DETAIL = "coach_audit_detail"  # conn.info: what a change was (target, before, after)
POOL = {"pool_size": 10, "max_overflow": 10, "pool_pre_ping": True, "pool_recycle": 1800}

T = TypeVar("T")


def resolve_target(target: str | os.PathLike[str] | None) -> URL:
    """The SQLAlchemy URL for `target`: a URL, a file path, $COACH_DB, else data/coach.db.

    Only `sqlite://…` and `postgresql://…` (with or without `+psycopg`) are URLs;
    anything else is a file path, even with `?`, `#` or `%41` in it.
    """
    if target is None or str(target) == "":
        target = os.environ.get("COACH_DB") or DEFAULT_DB
    text = str(target)
    if text.startswith(URL_PREFIXES):
        url = make_url(text)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url
    if text == ":memory:":
        return URL.create("sqlite")
    path = Path(text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return URL.create("sqlite", database=str(path))


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


def is_retryable(err: BaseException) -> bool:
    """True for the errors a new attempt cures: SQLite busy, PostgreSQL conflicts."""
    if is_busy(err):
        return True
    state = getattr(getattr(err, "orig", err), "sqlstate", None)
    return state in _PG_RETRY_STATES


def auto_upgrade() -> bool:
    return os.environ.get(AUTO_UPGRADE_ENV, "1").strip().lower() not in ("0", "no", "false")


class Database:
    """One engine, one transaction per call, retries on conflicts, the schema kept current."""

    def __init__(self, target: str | os.PathLike[str] | None = None, migrate: bool = True) -> None:
        """Open `target`; with `migrate=False` the schema is left as it is (`db status`)."""
        try:
            url = resolve_target(target)
        except OSError:  # its folder cannot be created: a file is in the way, no permission
            raise CoachError("tracking.error.db_unreadable", path=str(target)) from None
        except ArgumentError:
            raise CoachError("tracking.error.db_unreadable", path=str(target)) from None
        self.sa_url = url
        self.url = url.render_as_string(hide_password=True)
        self.dialect = url.get_backend_name()
        if self.dialect == "sqlite":
            memory = url.database in (None, "", ":memory:")
            self.engine = create_engine(
                url,
                poolclass=StaticPool if memory else None,
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            )
            _configure_sqlite(self.engine)
        elif self.dialect == "postgresql":
            self.engine = create_engine(url, **POOL)
        else:
            raise CoachError("tracking.error.db_unreadable", path=self.url)
        try:
            if migrate:
                self._migrate()
        except DatabaseError as err:
            self.engine.dispose()
            if is_retryable(err):
                raise CoachError("tracking.error.busy") from None
            raise CoachError("tracking.error.db_unreadable", path=str(target or self.url)) from None
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def path(self) -> str:
        """The database file as the user named it (or the URL, without password)."""
        if self.sqlite:
            return self.sa_url.database or ":memory:"
        return self.url

    @contextmanager
    def _connection(self, write: bool, migrating: bool = False) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection if migrating and self.sqlite else None
            if raw is not None:
                # Alembic rebuilds SQLite tables (batch mode): with foreign keys on,
                # dropping the old copy would cascade. Only settable outside a transaction.
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                if write:
                    conn.execution_options(coach_write=True)
                with conn.begin():
                    yield conn
                    if raw is not None and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise CoachError("tracking.error.db_unreadable", path=self.path())
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys = ON")

    def run(self, fn: Callable[[Connection], T], write: bool = True, migrating: bool = False) -> T:
        """Run `fn` in one transaction, retrying on busy and conflicts (bounded)."""
        deadline = time.monotonic() + RETRY_SECONDS
        delay = 0.005
        while True:
            try:
                with self._connection(write, migrating) as conn:
                    conn.info[TOUCHED] = set()
                    conn.info[AUDIT] = []
                    try:
                        result = fn(conn)
                        if write:
                            _finish_write(conn)
                    finally:
                        for key in (TOUCHED, AUDIT, AUDIT_DETAIL, "coach_audited"):
                            conn.info.pop(key, None)
                    return result
            except DatabaseError as err:
                if not is_retryable(err):
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

    def _migrate(self) -> None:
        found, _current = self.read(migrations.state)
        if found == migrations.CURRENT:
            return  # the common case: one read, no write lock
        if (
            found in (migrations.EMPTY, migrations.BEHIND, migrations.LEGACY)
            and not self.sqlite
            and not auto_upgrade()
        ):
            raise CoachError("tracking.error.db_behind", path=self.path())
        self.upgrade()

    def upgrade(self) -> bool:
        """Migrate to the latest revision now; False when the database already was."""
        where = self.path()
        try:
            changed: bool = self.run(lambda c: migrations.upgrade(c, where), migrating=True)
        except DatabaseError:  # DDL failed: not a database this coach can use
            raise CoachError("tracking.error.db_unreadable", path=where) from None
        return changed

    def schema_revisions(self) -> list[str]:
        """The Alembic revisions this database is at (usually one)."""
        return sorted(self.read(migrations.current_revisions))

    def integrity_check(self) -> str:
        """SQLite's `PRAGMA integrity_check` ("ok" when the file is sound); "ok" on PostgreSQL."""
        if not self.sqlite:
            return "ok"
        rows = self.read(lambda c: c.exec_driver_sql("PRAGMA integrity_check").fetchall())
        return "\n".join(str(r[0]) for r in rows)


def _bump(conn: Connection) -> None:
    conn.execute(sql_update(revision_t).values(counter=revision_t.c.counter + 1))


def _finish_write(conn: Connection) -> None:
    """End of a write transaction: the audit rows, the profiles' and the global revisions."""
    entries = conn.info.get(AUDIT) or []
    if entries:
        detail = dict(conn.info.get(AUDIT_DETAIL) or {})
        target = str(detail.pop("target", ""))
        for entry in entries:  # what the change was, as the repository told it
            entry["target"] = entry["target"] or target[:400]
            entry["detail"] = {**detail, **entry["detail"]}
        conn.execute(insert(audit_log_t), entries)
    touched = sorted(conn.info.get(TOUCHED) or ())
    if touched:
        conn.execute(
            sql_update(profiles_t)
            .where(profiles_t.c.id.in_(touched))
            .values(revision=profiles_t.c.revision + 1)
        )
    _bump(conn)
