"""The test PostgreSQL really works: SQLAlchemy and psycopg 3 (and its pool) round-trip a row.

In CI (.ci/run starts a throwaway cluster) these tests prove the database the
store tests use is there; the same round-trip runs on SQLite through the shared
fixture, so the fixture itself is exercised on both engines.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from tests import dbs

db_url = dbs.db_url
pg_schema_url = dbs.pg_schema_url
pg_schemas = dbs.pg_schemas

NOTE = "Café « Québec » — 20 h"


def test_a_row_written_is_read_back_on_each_engine(db_url):
    engine = sa.create_engine(db_url)
    notes = sa.Table(
        "notes",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    try:
        notes.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(notes.insert().values(id=1, text=NOTE))
        with engine.connect() as conn:
            assert conn.execute(sa.select(notes.c.text)).scalar_one() == NOTE
    finally:
        engine.dispose()


def test_postgresql_is_reached_through_psycopg_3(pg_schema_url):
    engine = sa.create_engine(pg_schema_url)
    try:
        with engine.connect() as conn:
            assert engine.dialect.name == "postgresql"
            assert engine.dialect.driver == "psycopg"
            server = conn.execute(sa.text("SHOW server_version_num")).scalar_one()
            assert int(server) >= 150000
            schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
            assert schema == pg_schema_url.rsplit("%3D", 1)[-1]
    finally:
        engine.dispose()


def test_upsert_with_on_conflict_keeps_one_row_per_key(pg_schema_url):
    """The statement the store will use for saves: concurrent writers, no lost row."""
    from sqlalchemy.dialects.postgresql import insert

    engine = sa.create_engine(pg_schema_url, pool_size=8, max_overflow=0)
    weeks = sa.Table(
        "weeks",
        sa.MetaData(),
        sa.Column("week", sa.Integer, primary_key=True),
        sa.Column("saves", sa.Integer, nullable=False),
    )
    try:
        weeks.metadata.create_all(engine)

        def save(week: int) -> None:
            statement = insert(weeks).values(week=week, saves=1)
            statement = statement.on_conflict_do_update(
                index_elements=[weeks.c.week], set_={"saves": weeks.c.saves + 1}
            )
            with engine.begin() as conn:
                conn.execute(statement)

        with ThreadPoolExecutor(max_workers=8) as workers:
            list(workers.map(save, [week % 5 for week in range(200)]))
        with engine.connect() as conn:
            rows = conn.execute(sa.select(weeks).order_by(weeks.c.week)).all()
        assert [tuple(row) for row in rows] == [(week, 40) for week in range(5)]
    finally:
        engine.dispose()


def test_psycopg_pool_hands_out_working_connections(pg_schema_url):
    from psycopg_pool import ConnectionPool

    plain = pg_schema_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with ConnectionPool(plain, min_size=1, max_size=4, open=True) as pool:
        with pool.connection() as conn:
            conn.execute("CREATE TABLE labels (id int PRIMARY KEY, text text NOT NULL)")
            conn.execute("INSERT INTO labels VALUES (1, %s)", (NOTE,))
        with pool.connection() as conn:
            assert conn.execute("SELECT text FROM labels").fetchone() == (NOTE,)
