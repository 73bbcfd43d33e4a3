"""The schema on both engines: `python -m coach db`, checking instead of migrating, --db paths."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coach.cli import main
from coach.errors import CoachError
from coach.store import Store, head_revisions
from coach.store.db import resolve_target
from tests import dbs

db_url = dbs.db_url
pg_schemas = dbs.pg_schemas
pg_schema_url = dbs.pg_schema_url
LATEST = ", ".join(sorted(head_revisions()))


def test_db_upgrade_migrates_an_empty_database_then_has_nothing_to_do(db_url, capsys) -> None:
    assert main(["db", "status", "--db", db_url, "--lang", "en"]) == 1
    assert f"at - (latest: {LATEST})" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", db_url, "--lang", "en"]) == 0
    assert f"upgraded, now at {LATEST}" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", db_url, "--lang", "fr"]) == 0
    assert f"déjà à {LATEST}, rien à faire" in capsys.readouterr().out
    assert main(["db", "status", "--db", db_url, "--lang", "en"]) == 0
    with Store(db_url) as store:
        store.create_profile("ana")  # a usable database


def test_the_printed_url_never_shows_the_password(pg_schema_url, capsys) -> None:
    password = pg_schema_url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert main(["db", "upgrade", "--db", pg_schema_url, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "***" in out and password not in out


def test_app_servers_told_not_to_migrate_refuse_a_database_behind(pg_schema_url, monkeypatch):
    monkeypatch.setenv("COACH_DB_AUTO_UPGRADE", "0")
    with pytest.raises(CoachError) as info:
        Store(pg_schema_url)
    assert "python -m coach db upgrade" in info.value.message("en")
    assert main(["db", "upgrade", "--db", pg_schema_url]) == 0
    with Store(pg_schema_url) as store:  # now current: opens without migrating
        assert store.schema_revisions() == sorted(head_revisions())


def test_db_upgrade_sql_prints_the_ddl_and_touches_nothing(tmp_path: Path, capsys) -> None:
    assert main(["db", "upgrade", "--sql", "--db", "postgresql://app:secret@db.invalid/coach"]) == 0
    out = capsys.readouterr().out
    assert "CREATE TABLE profiles" in out and "SERIAL" in out and "secret" not in out
    db = tmp_path / "untouched.db"
    assert main(["db", "upgrade", "--sql", "--db", str(db), "--lang", "en"]) == 1
    assert "PostgreSQL only" in capsys.readouterr().err
    assert (
        not db.exists()
        or sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    )


@pytest.mark.parametrize("name", ["what?.db", "100%41.db", "a#b.db", "semaine 40 %20.db"])
def test_db_paths_with_url_characters_are_paths(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with Store(path) as store:
        store.create_profile("ana")
    assert path.exists()
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert resolve_target(str(path)).database == str(path)


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("sqlite:///x.db", "sqlite"),
        ("postgresql://u:p@h/d", "postgresql+psycopg"),
        ("postgresql+psycopg://u:p@h/d", "postgresql+psycopg"),
    ],
)
def test_only_sqlite_and_postgresql_forms_are_urls(given: str, driver: str) -> None:
    assert resolve_target(given).drivername == driver


def test_a_url_of_another_kind_is_a_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Store("mysql://u:p@h/d") as store:  # a (strange) relative file name
        store.create_profile("ana")
    assert (tmp_path / "mysql:" / "u:p@h" / "d").exists()
