"""Schema migrations with Alembic, on SQLite and PostgreSQL alike.

The scripts are in `coach/store/migrations/versions/`, one file per revision,
configured here in code (no alembic.ini). Adding a table is one new revision file
whose `down_revision` is the revision it builds on (see docs/DEPLOY.md). Two
revisions written in parallel on the same parent are two heads: the store
upgrades to *all* heads, so they both run, in either order.

States a database can be in:
- empty: every revision runs;
- made by the home-made runner of earlier versions (`schema_version` table, no
  `alembic_version`): that runner brings it to its version 2, the baseline
  revision is stamped, then the later revisions run;
- at some revisions: the missing ones run; a revision this code does not know
  means the database comes from a newer coach, and it is refused;
- anything else with tables: someone else's database, never touched.

On PostgreSQL the upgrade runs under a transaction-scoped advisory lock, so two
app servers starting together cannot both migrate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, func, insert, inspect, select, text

from coach import clock
from coach.errors import CoachError
from coach.store.schema import LEGACY_MIGRATIONS, LEGACY_SCHEMA_VERSION, schema_version_t

SCRIPTS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"
ADVISORY_LOCK_KEY = 0x636F616368  # "coach": one lock for every migrator of a database

EMPTY, LEGACY, CURRENT, BEHIND, NEWER, FOREIGN = (
    "empty",
    "legacy",
    "current",
    "behind",
    "newer",
    "foreign",
)


def config(connection: Connection | None = None, url: URL | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    if url is not None:
        rendered = url.render_as_string(hide_password=True)
        cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


_SCRIPT: ScriptDirectory | None = None


def scripts() -> ScriptDirectory:
    global _SCRIPT
    if _SCRIPT is None:
        _SCRIPT = ScriptDirectory.from_config(config())
    return _SCRIPT


def head_revisions() -> frozenset[str]:
    """The revisions a database made by this code is at (usually one)."""
    return frozenset(scripts().get_heads())


def known_revisions() -> frozenset[str]:
    return frozenset(r.revision for r in scripts().walk_revisions())


def current_revisions(conn: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(conn).get_current_heads())


def state(conn: Connection) -> tuple[str, frozenset[str]]:
    """Where the database stands, and the revisions it is at."""
    names = set(inspect(conn).get_table_names())
    if "alembic_version" in names:
        current = current_revisions(conn)
        if current - known_revisions():
            return NEWER, current
        return (CURRENT if current == head_revisions() else BEHIND), current
    if "schema_version" in names:
        return LEGACY, frozenset()
    if names:
        return FOREIGN, frozenset()
    return EMPTY, frozenset()


def lock(conn: Connection) -> None:
    """Serialise migrators of one PostgreSQL database (released at commit)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


def upgrade(conn: Connection, where: str) -> bool:
    """Bring the database to the heads, inside the caller's transaction; False when it was."""
    lock(conn)
    found, current = state(conn)  # again, under the lock
    if found == FOREIGN:
        raise CoachError("tracking.error.db_foreign", path=where)
    if found == NEWER:
        raise CoachError(
            "tracking.error.db_newer",
            version=", ".join(sorted(current)),
            supported=", ".join(sorted(head_revisions())),
        )
    if found == CURRENT:
        return False
    if found == LEGACY:
        _finish_legacy(conn)
        command.stamp(config(conn), BASELINE)
    command.upgrade(config(conn), "heads")
    return True


def _finish_legacy(conn: Connection) -> None:
    """The home-made runner's last steps, up to the version the baseline reproduces."""
    version = int(conn.execute(select(func.max(schema_version_t.c.version))).scalar() or 0)
    if version > LEGACY_SCHEMA_VERSION:
        raise CoachError(
            "tracking.error.db_newer", version=version, supported=LEGACY_SCHEMA_VERSION
        )
    for target in range(version + 1, LEGACY_SCHEMA_VERSION + 1):
        LEGACY_MIGRATIONS[target](conn)
        conn.execute(insert(schema_version_t).values(version=target, applied_at=clock.now()))
    # An older coach opening this file again is told to update, not left to miss the new tables.
    conn.execute(
        insert(schema_version_t).values(version=LEGACY_SCHEMA_VERSION + 1, applied_at=clock.now())
    )


def offline_sql(url: URL, out: Any) -> None:
    """Print the SQL of a full upgrade for `url`'s dialect (for a DBA to review).

    PostgreSQL only: SQLite's table rebuilds need the live table to read.
    """
    if url.get_backend_name() != "postgresql":
        raise CoachError("cli.db.sql_postgresql")
    cfg = config(url=url)
    cfg.output_buffer = out
    command.upgrade(cfg, "heads", sql=True)
