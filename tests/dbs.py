"""Database URLs for store tests: the same test runs on SQLite and on PostgreSQL.

Use it from a test module with `db_url = dbs.db_url` (re-exporting the fixture),
then take `db_url` as an argument: the test runs once per engine, each run on an
empty database of its own. `another_db` (re-export it too) makes more empty
databases on the same engine, for tests that copy from one database to another.

- SQLite: a file in the test's temporary folder.
- PostgreSQL: the server named by COACH_TEST_PG_URL (`.ci/postgres.sh` starts a
  throwaway one and prints it), with a fresh schema per test, dropped afterwards.
  The URL carries `options=-csearch_path=<schema>`, so every connection made from
  it, by SQLAlchemy, psycopg or a pool, sees only that test's tables.
  Without the variable the PostgreSQL runs are skipped on a developer's machine,
  and fail when CI=true: a database test that did not run must not look green.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

PG_URL_ENV = "COACH_TEST_PG_URL"
ENGINES = ("sqlite", "postgresql")


def pg_url() -> str | None:
    """The test PostgreSQL's URL, or None when none is configured."""
    return os.environ.get(PG_URL_ENV) or None


def pg_unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where a skipped database test would hide a broken store."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL test cannot run in CI: {reason}")
    pytest.skip(reason)


def require_pg_url() -> str:
    url = pg_url()
    if url is None:
        pg_unavailable(f'{PG_URL_ENV} is not set (run: eval "$(.ci/postgres.sh)")')
    return url


def with_search_path(url: str, schema: str) -> str:
    """The same URL, with every connection's search_path set to `schema`."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _admin_connect(url: str):
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    return psycopg.connect(plain, autocommit=True)


@pytest.fixture
def pg_schemas() -> Iterator[Callable[[], str]]:
    """Makes PostgreSQL URLs, each on an empty schema of its own; all dropped afterwards."""
    url = require_pg_url()
    made: list[str] = []

    def make() -> str:
        schema = f"t_{uuid.uuid4().hex[:16]}"
        with _admin_connect(url) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
        made.append(schema)
        return with_search_path(url, schema)

    try:
        yield make
    finally:
        if made:
            with _admin_connect(url) as admin:
                for schema in made:
                    admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def pg_schema_url(pg_schemas: Callable[[], str]) -> str:
    """A PostgreSQL URL on an empty schema of this test's own, dropped afterwards."""
    return pg_schemas()


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'coach-test.db'}"


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path) -> str:
    """One URL per engine; the test runs on each, on an empty database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def another_db(request, db_url: str, tmp_path: Path) -> Callable[[], str]:
    """Makes more empty databases on `db_url`'s engine (a file, or a schema)."""
    if db_url.startswith("sqlite"):
        count = iter(range(1, 1000))
        return lambda: f"sqlite:///{tmp_path / f'other-{next(count)}.db'}"
    factory: Callable[[], str] = request.getfixturevalue("pg_schemas")
    return factory
