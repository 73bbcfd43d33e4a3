"""The store: profiles, assessments, plans and step states, goal targets, check-ins, export."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "store"))

from store_builders import TODAY, engine_plan, hand_plan, step

from coach import service
from coach.checkin import CheckIn
from coach.errors import CoachError, InvalidInput, NotFound
from coach.store import EXPORT_VERSION, Store, head_revisions
from coach.typography import typeset
from tests import dbs

START = date(2026, 9, 7)
db_url = dbs.db_url
another_db = dbs.another_db
pg_schemas = dbs.pg_schemas
pg_schema_url = dbs.pg_schema_url


@pytest.fixture
def store(db_url: str) -> Store:
    """A store on an empty database: one run on SQLite, one on PostgreSQL."""
    with Store(db_url) as s:
        yield s


@pytest.fixture
def ana(store: Store):
    """Profile "ana" with an assessment and the fixture playbook's plan."""
    store.create_profile("ana", language="en", hours_per_week=2, start_date=START)
    playbook, answers, _facts, result, plan = engine_plan(START)
    store.add_assessment("ana", playbook, answers, result)
    store.save_plan("ana", plan)
    return plan


def rows(where: Path | Store, table: str) -> int:
    """Rows in `table`, read past the store (a SQLite file, or a store's own engine)."""
    if isinstance(where, Store):
        with where.db.engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
    with sqlite3.connect(where) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# ---- the database file --------------------------------------------------------------------------


def test_database_is_created_on_first_use_with_wal_at_the_latest_revision(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "dir" / "coach.db"
    Store(db).close()
    assert db.exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")} == set(
            head_revisions()
        )


def test_opening_again_keeps_the_data_and_does_not_migrate_twice(db_url: str) -> None:
    with Store(db_url) as s:
        s.create_profile("ana")
        revision = s.revision()
    with Store(db_url) as s:
        assert [p.name for p in s.list_profiles()] == ["ana"]
        assert s.schema_revisions() == sorted(head_revisions())
        assert s.revision() == revision  # opening a current database writes nothing
        assert rows(s, "alembic_version") == len(head_revisions())


def test_coach_db_environment_variable_picks_the_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COACH_DB", str(tmp_path / "env.db"))
    with Store() as s:
        s.create_profile("ana")
    assert rows(tmp_path / "env.db", "profiles") == 1


def test_a_database_from_a_newer_coach_is_refused(db_url: str) -> None:
    with Store(db_url) as s, s.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(CoachError) as info:
        Store(db_url)
    assert "plus récente" in info.value.message("fr")


def test_a_legacy_file_newer_than_the_baseline_is_refused(tmp_path: Path) -> None:
    db = version_1_database(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_version VALUES (3, '2030-01-01')")
    with pytest.raises(CoachError) as info:
        Store(db)
    assert "plus récente" in info.value.message("fr")
    with sqlite3.connect(db) as conn:  # and left as it was
        assert (
            conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()[0]
            == 0
        )


def test_a_file_that_is_not_a_database_gives_a_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database " * 200)
    with pytest.raises(CoachError) as info:
        Store(bad)
    assert "notes.db" in info.value.message("en")


def test_someone_elses_database_is_not_touched(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(CoachError):
        Store(db)
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"invoices"}


# ---- profiles -----------------------------------------------------------------------------------


def test_profiles_are_created_listed_and_read_back(store: Store) -> None:
    made = store.create_profile(
        "Claire Tremblay",
        language="fr",
        timezone="America/Montreal",
        hours_per_week=1.5,
        start_date=START,
        regulated_sector=True,
    )
    store.create_profile("Bob", language="en")
    got = store.get_profile("Claire Tremblay")
    assert got == made
    assert got.facts == {"hours_per_week": 1.5, "regulated_sector": True}
    assert got.created_at.tzinfo is not None
    assert [p.name for p in store.list_profiles()] == ["Bob", "Claire Tremblay"]


def test_a_taken_name_and_bad_fields_are_refused(store: Store) -> None:
    store.create_profile("ana")
    with pytest.raises(InvalidInput) as info:
        store.create_profile("ana")
    assert "ana" in info.value.message("fr")
    for bad in (
        {"language": "de"},
        {"timezone": "Mars/Olympus"},
        {"hours_per_week": 0},
        {"hours_per_week": -1},
        {"hours_per_week": float("nan")},
        {"start_date": "2026-01-01"},
    ):
        with pytest.raises(InvalidInput):
            store.create_profile("new", **bad)
    with pytest.raises(InvalidInput):
        store.create_profile("   ")
    assert [p.name for p in store.list_profiles()] == ["ana"]


def test_unknown_profile_is_not_found_everywhere(store: Store) -> None:
    for call in (
        lambda: store.get_profile("ghost"),
        lambda: store.list_checkins("ghost"),
        lambda: store.save_checkin("ghost", CheckIn("2026-W40")),
        lambda: store.delete_profile("ghost"),
        lambda: store.export_profile("ghost"),
        lambda: store.update_profile("ghost", language="en"),
    ):
        with pytest.raises(NotFound) as info:
            call()
        assert typeset("« ghost »", "fr") in info.value.message("fr")


def test_rename_and_change_fields(store: Store) -> None:
    store.create_profile("ana")
    store.save_checkin("ana", CheckIn("2026-W40", posts=1), today=TODAY)
    renamed = store.update_profile("ana", new_name="Ana B.", language="en", regulated_sector=True)
    assert (renamed.name, renamed.language, renamed.regulated_sector) == ("Ana B.", "en", True)
    assert store.list_checkins("Ana B.")[0].posts == 1
    store.create_profile("bob")
    with pytest.raises(InvalidInput):
        store.update_profile("bob", new_name="Ana B.")


def test_delete_takes_everything_that_belongs_to_the_profile(store: Store, ana) -> None:
    store.create_profile("bob")
    store.save_checkin("bob", CheckIn("2026-W40", posts=4), today=TODAY)
    store.save_draft("ana", {"q": 1})
    store.set_step_state("ana", ana.steps[0].id, "done")
    store.set_goal_target("ana", "posts-per-week", 3)
    store.save_checkin("ana", CheckIn("2026-W40", posts=1), today=TODAY)
    store.delete_profile("ana")
    for table in ("drafts", "assessments", "plans", "step_states", "goal_targets"):
        assert rows(store, table) == 0, table
    assert rows(store, "checkins") == 1  # bob's
    assert [p.name for p in store.list_profiles()] == ["bob"]


# ---- drafts and assessments ---------------------------------------------------------------------


def test_draft_is_saved_replaced_and_cleared(store: Store) -> None:
    store.create_profile("ana")
    assert store.get_draft("ana") == {}
    store.save_draft("ana", {"presence.account": True})
    store.save_draft("ana", {"presence.account": True, "presence.posts": "never", "x": [1, 2]})
    assert store.get_draft("ana") == {
        "presence.account": True,
        "presence.posts": "never",
        "x": [1, 2],
    }
    store.clear_draft("ana")
    assert store.get_draft("ana") == {}


def test_assessments_are_kept_oldest_first_with_their_scores(store: Store) -> None:
    store.create_profile("ana")
    playbook, answers, _facts, result, _plan = engine_plan(START)
    later = store.add_assessment(
        "ana", playbook, answers, result, taken_at=datetime(2026, 10, 1, tzinfo=UTC)
    )
    first = store.add_assessment(
        "ana", playbook, answers, result, taken_at=datetime(2026, 9, 1, tzinfo=UTC)
    )
    history = store.list_assessments("ana")
    assert [a.id for a in history] == [first.id, later.id]
    assert history[0].playbook_id == "store-mini" and history[0].playbook_version == "1.0"
    assert history[0].answers == answers
    assert history[0].result.dimensions == result.dimensions
    assert history[0].result.overall_score == result.overall_score


# ---- plan and steps -----------------------------------------------------------------------------


def test_plan_comes_back_with_every_step_todo(store: Store, ana) -> None:
    stored = store.get_plan("ana")
    assert stored.plan == ana
    assert {sid: s.state for sid, s in stored.states.items()} == {s.id: "todo" for s in ana.steps}


def test_step_states_are_dated_and_noted(store: Store, ana) -> None:
    first = ana.steps[0].id
    store.set_step_state("ana", first, "doing", on=date(2026, 9, 8))
    store.set_step_state("ana", first, "done", note="Fait avec l’équipe", on=date(2026, 9, 20))
    status = store.get_plan("ana").states[first]
    assert (status.state, status.changed_on, status.note) == (
        "done",
        date(2026, 9, 20),
        "Fait avec l’équipe",
    )
    with pytest.raises(InvalidInput):
        store.set_step_state("ana", first, "finished")
    with pytest.raises(NotFound):
        store.set_step_state("ana", "no.such-step", "done")


def test_a_new_plan_keeps_the_states_of_the_same_steps(store: Store, ana) -> None:
    kept, dropped = ana.steps[0], ana.steps[1]
    store.set_step_state("ana", kept.id, "done", on=date(2026, 9, 20))
    store.set_step_state("ana", dropped.id, "skipped")
    new_plan = hand_plan(
        [step(kept.id, START, START + timedelta(days=6)), step("new.step", START, START)]
    )
    store.save_plan("ana", new_plan)
    states = store.get_plan("ana").states
    assert set(states) == {kept.id, "new.step"}
    assert states[kept.id].state == "done" and states[kept.id].changed_on == date(2026, 9, 20)
    assert states["new.step"].state == "todo"


def test_changing_hours_reschedules_remaining_steps_and_keeps_done_dates(store: Store, ana) -> None:
    done = ana.steps[0]
    store.set_step_state("ana", done.id, "done", on=done.due)
    assert service.change_profile(store, "ana", today=TODAY, hours_per_week=0.5).rescheduled
    stored = store.get_plan("ana")
    assert stored.plan.hours_per_week == 0.5
    again = stored.plan.step(done.id)
    assert (again.start, again.due) == (done.start, done.due)
    for s in stored.plan.steps:
        if s.id != done.id:
            assert s.hours_per_week <= 0.5 + 1e-9
            assert s.start >= TODAY - timedelta(days=7)  # never scheduled in the past
    assert stored.states[done.id].state == "done"


def test_changing_the_start_date_reschedules(store: Store, ana) -> None:
    later = TODAY + timedelta(days=30)
    service.change_profile(store, "ana", today=TODAY, start_date=later)
    stored = store.get_plan("ana")
    assert stored.plan.start == later
    assert min(s.start for s in stored.plan.steps) >= later


def test_changing_the_language_leaves_the_plan_alone(store: Store, ana) -> None:
    assert not service.change_profile(store, "ana", language="fr").rescheduled
    assert store.get_plan("ana").plan == ana


# ---- goal targets -------------------------------------------------------------------------------


def test_goal_targets_are_editable_with_history(store: Store, ana) -> None:
    assert store.goal_targets("ana") == {}
    store.set_goal_target("ana", "posts-per-week", 2, on=date(2026, 10, 1))
    store.set_goal_target("ana", "posts-per-week", 3, on=date(2026, 11, 1))
    store.set_goal_target("ana", "response-time", 12, on=date(2026, 11, 1))
    assert store.goal_targets("ana") == {"posts-per-week": 3.0, "response-time": 12.0}
    assert store.goal_target_history("ana", "posts-per-week") == [
        (date(2026, 10, 1), 2.0),
        (date(2026, 11, 1), 3.0),
    ]
    with pytest.raises(NotFound):
        store.set_goal_target("ana", "followers-galore", 10)
    with pytest.raises(InvalidInput):
        store.set_goal_target("ana", "posts-per-week", -1)


def test_a_step_or_goal_change_based_on_an_old_view_is_refused(store: Store, ana) -> None:
    first = ana.steps[0].id
    seen = store.profile_revision("ana")
    store.set_step_state("ana", first, "doing", note="started", seen_revision=seen)
    with pytest.raises(CoachError):
        store.set_step_state("ana", first, "done", seen_revision=seen)
    with pytest.raises(CoachError):
        store.set_goal_target("ana", "posts-per-week", 4, seen_revision=seen)
    fresh = store.profile_revision("ana")
    store.set_goal_target("ana", "posts-per-week", 4, on=date(2026, 10, 2), seen_revision=fresh)
    kept = store.get_plan("ana").states[first]
    assert (kept.state, kept.note) == ("doing", "started")
    assert store.goal_target_history("ana", "posts-per-week") == [(date(2026, 10, 2), 4.0)]


# ---- organisations, roles, coach assignments ----------------------------------------------------


def test_a_role_or_a_coach_given_twice_is_kept_once(store: Store) -> None:
    org = store.ensure_organisation("acme", "Acme")
    alice = store.upsert_user("https://id.example", "alice", "alice@example.com", "Alice")
    bruno = store.upsert_user("https://id.example", "bruno", "bruno@example.com", "Bruno")
    assert store.set_role(org, bruno, "coach", True, alice) is True
    assert store.set_role(org, bruno, "coach", True, alice) is False
    assert store.set_role(org, bruno, "manager", False, alice) is False
    assert store.user_memberships(bruno) == (False, [(org, "acme", "Acme", "coach")])
    assert store.set_role(org, bruno, "coach", False, alice) is True
    assert store.user_memberships(bruno) == (False, [])
    logged = [(e.action, e.actor, e.target) for e in store.audit_entries(org)]
    assert logged == [
        ("role.revoke", "alice@example.com", "https://id.example#bruno"),
        ("role.grant", "alice@example.com", "https://id.example#bruno"),
    ]

    ana = store.create_profile("ana")
    local = store.organisation_id
    for _ in range(2):
        store.set_assignment(ana.id, bruno, True, alice)
    assert store.assignments(local) == [(ana.id, bruno)]
    for _ in range(2):
        store.set_assignment(ana.id, bruno, False, alice)
    assert store.assignments(local) == []
    entry = store.audit_entries(local, profile_id=ana.id)[0]
    assert (entry.action, entry.profile_label, entry.target) == (
        "assignment.remove",
        "ana",
        "https://id.example#bruno",
    )


# ---- check-ins ----------------------------------------------------------------------------------


def test_saving_a_week_again_updates_it_and_never_duplicates(store: Store) -> None:
    store.create_profile("ana")
    first = CheckIn("2026-W40", posts=1, received=4, replies=2, median_response_hours=30.0)
    assert store.save_checkin("ana", first, today=TODAY) == "created"
    second = CheckIn(
        "2026-W40",
        posts=3,
        received=4,
        replies=4,
        followers=120,
        note="mieux",
        source="import:linkedin",
    )
    assert store.save_checkin("ana", second, today=TODAY) == "updated"
    assert store.list_checkins("ana") == [second]
    assert store.get_checkin("ana", "2026-W40") == second
    assert store.get_checkin("ana", "2026-W41") is None
    assert rows(store, "checkins") == 1


def test_checkins_come_back_oldest_first_across_years(store: Store) -> None:
    store.create_profile("ana")
    for week in ("2026-W02", "2025-W52", "2026-W01", "2025-W09"):
        store.save_checkin("ana", CheckIn(week, posts=1), today=TODAY)
    assert [c.week for c in store.list_checkins("ana")] == [
        "2025-W09",
        "2025-W52",
        "2026-W01",
        "2026-W02",
    ]


def test_a_bad_checkin_writes_nothing(store: Store) -> None:
    store.create_profile("ana")
    store.save_checkin("ana", CheckIn("2026-W40", posts=2), today=TODAY)
    for bad in (
        CheckIn("2026-W40", posts=-1),
        CheckIn("2026-W40", received=2, replies=3),
        CheckIn("2026-W40", median_response_hours=721),
        CheckIn("2026-W54", posts=1),
        CheckIn("2026-W49", posts=1),  # next week
    ):
        with pytest.raises(InvalidInput):
            store.save_checkin("ana", bad, today=TODAY)
    assert store.list_checkins("ana") == [CheckIn("2026-W40", posts=2)]


def test_a_batch_is_all_or_nothing(store: Store) -> None:
    store.create_profile("ana")
    good = [CheckIn(f"2026-W{n:02d}", posts=n) for n in range(30, 40)]
    with pytest.raises(InvalidInput):
        store.save_checkins("ana", [*good, CheckIn("2026-W41", received=1, replies=2)], today=TODAY)
    assert store.list_checkins("ana") == []
    store.save_checkin("ana", CheckIn("2026-W30", posts=9), today=TODAY)
    outcome = store.save_checkins("ana", good, today=TODAY)
    assert outcome["2026-W30"] == "updated" and outcome["2026-W31"] == "created"
    assert [c.posts for c in store.list_checkins("ana")] == list(range(30, 40))


def test_the_future_is_judged_in_the_profiles_time_zone(store: Store) -> None:
    store.create_profile("ana", timezone="Pacific/Kiritimati")
    store.create_profile("bob", timezone="Pacific/Pago_Pago")
    from coach.checkin import current_week

    assert store.save_checkin("ana", CheckIn(current_week("Pacific/Kiritimati"))) == "created"
    with pytest.raises(InvalidInput):
        from coach.checkin import shift_week

        store.save_checkin("bob", CheckIn(shift_week(current_week("Pacific/Pago_Pago"), 1)))


def test_delete_one_checkin(store: Store) -> None:
    store.create_profile("ana")
    store.save_checkin("ana", CheckIn("2026-W40", posts=2), today=TODAY)
    assert store.delete_checkin("ana", "2026-W40") is True
    assert store.delete_checkin("ana", "2026-W40") is False


# ---- export and import --------------------------------------------------------------------------


def full_profile(store: Store, plan) -> None:
    store.save_draft("ana", {"presence.account": False})
    store.set_step_state("ana", plan.steps[0].id, "done", note="ok", on=date(2026, 9, 12))
    store.set_goal_target("ana", "posts-per-week", 2, on=date(2026, 10, 1))
    store.set_goal_target("ana", "posts-per-week", 2.5, on=date(2026, 10, 8))
    store.save_checkins(
        "ana",
        [
            CheckIn(
                "2026-W40",
                posts=2,
                received=5,
                replies=4,
                median_response_hours=6.25,
                note="« bien »",
            ),
            CheckIn("2026-W41", posts=0, followers=310, mentions=2, source="import:x"),
        ],
        today=TODAY,
    )


def test_export_import_round_trip_is_identical(store: Store, ana, another_db) -> None:
    full_profile(store, ana)
    doc = store.export_profile("ana")
    assert doc["format"] == "coach-profile" and doc["version"] == EXPORT_VERSION
    text = json.dumps(doc, ensure_ascii=False)  # the document is plain JSON
    with Store(another_db()) as other:
        imported = other.import_profile(json.loads(text))
        assert imported.name == "ana"
        again = other.export_profile("ana")
        assert other.get_plan("ana") == store.get_plan("ana")
        assert other.get_profile("ana").created_at == store.get_profile("ana").created_at
        assert other.list_assessments("ana")[0].result == store.list_assessments("ana")[0].result
    doc.pop("exported_at"), again.pop("exported_at")
    assert again == doc


def test_import_refuses_an_existing_name_unless_replacing(store: Store, ana) -> None:
    full_profile(store, ana)
    doc = store.export_profile("ana")
    with pytest.raises(InvalidInput):
        store.import_profile(doc)
    store.save_checkin("ana", CheckIn("2026-W45", posts=7), today=TODAY)
    store.import_profile(doc, replace=True)
    assert [c.week for c in store.list_checkins("ana")] == ["2026-W40", "2026-W41"]


@pytest.mark.parametrize(
    ("damage", "key"),
    [
        (lambda d: d.update(version=99), "tracking.error.import_version"),
        (lambda d: d.update(format="something"), "tracking.error.import_format"),
        (lambda d: d["profile"].pop("timezone"), "tracking.error.import_broken"),
        (lambda d: d["checkins"].append({"week": "2026-W54"}), "tracking.error.import_broken"),
        (lambda d: d["checkins"][0].update(replies=50), "tracking.error.import_broken"),
        (lambda d: d["checkins"].append(dict(d["checkins"][0])), "tracking.error.import_broken"),
        (
            lambda d: d["plan"]["step_states"][0].update(state="finished"),
            "tracking.error.import_broken",
        ),
        (lambda d: d["plan"]["plan"].pop("steps"), "tracking.error.import_broken"),
        (lambda d: d["assessments"][0].update(result={"x": 1}), "tracking.error.import_broken"),
        (lambda d: d["goal_targets"][0].update(target="lots"), "tracking.error.import_broken"),
        (lambda d: d["profile"].update(created_at="yesterday"), "tracking.error.import_broken"),
        (lambda d: d.update(checkins="none"), "tracking.error.import_broken"),
    ],
)
def test_a_broken_import_is_rejected_whole(store: Store, ana, another_db, damage, key: str) -> None:
    full_profile(store, ana)
    doc = store.export_profile("ana")
    damage(doc)
    with Store(another_db()) as other:
        with pytest.raises(InvalidInput) as info:
            other.import_profile(doc)
        assert info.value.key == key
        assert (
            "Rien n’a été importé" in info.value.message("fr")
            or key == "tracking.error.import_format"
        )
        assert other.list_profiles() == []
        for table in ("checkins", "assessments", "plans", "goal_targets"):
            assert rows(other, table) == 0


# ---- migrations ---------------------------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "store"


def version_1_database(tmp_path: Path) -> Path:
    db = tmp_path / "v1.db"
    with sqlite3.connect(db) as conn:
        conn.executescript((FIXTURES / "schema-v1.sql").read_text(encoding="utf-8"))
    return db


def columns(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"PRAGMA table_info({t})").fetchall() for t in sorted(tables)}


def test_the_legacy_runner_goes_one_version_at_a_time_up_to_the_baseline() -> None:
    from coach.store.schema import LEGACY_MIGRATIONS, LEGACY_SCHEMA_VERSION

    assert sorted(LEGACY_MIGRATIONS) == list(range(1, LEGACY_SCHEMA_VERSION + 1))


def test_the_revisions_form_one_chain_from_the_baseline() -> None:
    from coach.store import migrate

    bases = migrate.scripts().get_bases()
    assert bases == [migrate.BASELINE]
    assert len(head_revisions()) == 1, "two heads: give one revision the other as down_revision"


def test_an_empty_database_upgraded_has_exactly_the_tables_the_queries_use(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from coach.store.schema import METADATA

    with Store(db_url) as s, s.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), METADATA)
    assert diff == []


def test_two_stores_opening_an_empty_database_together_migrate_it_once(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _i: Store(db_url), range(4)))
    try:
        stores[0].create_profile("ana")
        assert [p.name for s in stores for p in s.list_profiles()] == ["ana"] * 4
        assert rows(stores[0], "alembic_version") == 1
    finally:
        for s in stores:
            s.close()


def test_a_version_1_database_is_read_and_written_by_this_version(tmp_path: Path) -> None:
    db = version_1_database(tmp_path)
    with Store(db) as store:
        assert store.schema_revisions() == sorted(head_revisions())
        assert store.get_profile("Claire").start_date == date(2026, 9, 7)
        assert store.list_checkins("Claire")[0] == CheckIn(
            "2026-W40", posts=2, received=5, replies=4, median_response_hours=6.5, note="« Bien »"
        )
        stored = store.get_plan("Claire")
        first = stored.plan.steps[0].id
        assert (stored.states[first].state, stored.states[first].note) == ("done", "Fait")
        assert store.goal_target_history("Claire", "posts-per-week") == [(date(2026, 10, 1), 2.0)]
        assert store.get_draft("Claire") == {"presence.account": True}
        assert store.list_assessments("Claire")[0].taken_at == datetime(2026, 9, 7, 13, tzinfo=UTC)
        assert store.save_checkin("Claire", CheckIn("2026-W42", posts=3), today=TODAY) == "created"
        assert store.integrity_check() == "ok"


def test_a_migrated_database_has_the_schema_of_a_new_one(tmp_path: Path) -> None:
    migrated = version_1_database(tmp_path)
    Store(migrated).close()
    fresh = tmp_path / "fresh.db"
    Store(fresh).close()
    old = columns(migrated)
    # the legacy runner's table stays, marked past its last version so older coaches refuse
    assert old.pop("schema_version")
    assert old == columns(fresh)
    with sqlite3.connect(migrated) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 3


def test_a_name_typed_with_a_combining_accent_is_the_same_profile(tmp_path):
    from coach.store import Store

    with Store(tmp_path / "names.db") as store:
        store.create_profile("Zo\u00eb")
        assert store.get_profile("Zoe\u0308").name == "Zo\u00eb"
        assert store.get_profile(" Zo\u00eb ").name == "Zo\u00eb"
        assert len(store.list_profiles()) == 1


# ---- schema version 2, revision, busy codes ------------------------------------------------------


def test_a_version_1_database_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from coach.store.schema import LEGACY_MIGRATIONS as STEPS

    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        STEPS[1](conn)
    engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_version VALUES (1, '2026-01-01 00:00:00')")
        conn.execute(
            "INSERT INTO profiles (id, name, language, timezone, hours_per_week, start_date,"
            " playbook_id, regulated_sector, created_at) VALUES"
            " (1, 'ana', 'fr', 'America/Toronto', 2.0, '2026-01-05', 'x', 0, '2026-01-01 00:00:00')"
        )
        conn.execute(
            "INSERT INTO checkins (profile_id, week, posts, received, replies, note, source)"
            " VALUES (1, '2026-W02', 3, 4, 2, 'kept', 'typed')"
        )
    with Store(db) as store:
        assert store.schema_revisions() == sorted(head_revisions())
        assert store.get_checkin("ana", "2026-W02").note == "kept"
        store.save_checkin("ana", CheckIn("2026-W03", posts=1), today=TODAY)
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(checkins)")}
        assert {"pulse_score", "positive_mentions_pct", "outcomes"} <= columns
        columns = {row[1] for row in conn.execute("PRAGMA table_info(profiles)")}
        assert {"organisation_id", "owner_user_id", "revision"} <= columns
        assert conn.execute("SELECT counter FROM revision").fetchone()[0] >= 1


def test_columns_the_checkin_record_does_not_have_yet_are_skipped(store: Store) -> None:
    store.create_profile("ana")
    store.save_checkin("ana", CheckIn("2026-W40", posts=2), today=TODAY)
    with store.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE checkins SET pulse_score = 71.5, outcomes = 3")
    assert store.get_checkin("ana", "2026-W40").posts == 2
    assert [c.week for c in store.list_checkins("ana")] == ["2026-W40"]


def test_busy_is_told_by_sqlite_error_codes_not_message_text(tmp_path: Path) -> None:
    from coach.store.db import is_busy

    db = tmp_path / "locked.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as locked:
        other.execute("BEGIN IMMEDIATE")
    holder.execute("ROLLBACK")
    holder.close()
    other.close()
    assert is_busy(locked.value)
    assert not is_busy(sqlite3.OperationalError("database is locked"))  # words alone say nothing
    assert not is_busy(ValueError("busy"))
