"""The store under stress: concurrent writers, a writer killed mid-write, export round trips."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "store"))

from store_builders import (
    acknowledging_writer,
    concurrent_writer,
    goal,
    hand_plan,
    step,
)

from coach.checkin import CheckIn, week_of
from coach.errors import CoachError, InvalidInput
from coach.profile import check_name
from coach.store import Store

SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter: no connection shared by fork


def old_weeks(n: int, first: date = date(2012, 1, 2)) -> list[str]:
    return [week_of(first + timedelta(weeks=i)) for i in range(n)]


def test_two_processes_writing_checkins_for_one_profile_lose_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "coach.db")
    with Store(db) as store:
        store.create_profile("ana")
    weeks = old_weeks(120)
    shared = weeks[50:70]  # both write these: one row each, whoever wins
    plans = {1: weeks[:50] + shared, 2: shared + weeks[70:]}
    errors = tmp_path / "errors.txt"
    barrier = SPAWN.Barrier(2)
    workers = [
        SPAWN.Process(target=concurrent_writer, args=(db, n, plans[n], str(errors), barrier))
        for n in plans
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert not errors.exists(), errors.read_text()
    assert [w.exitcode for w in workers] == [0, 0]
    with Store(db) as store:
        saved = store.list_checkins("ana")
        assert store.integrity_check() == "ok"
    assert [c.week for c in saved] == sorted(weeks)  # every week once, none lost, no duplicate
    by_week = {c.week: c.posts for c in saved}
    assert all(by_week[w] == 1 for w in weeks[:50])
    assert all(by_week[w] == 2 for w in weeks[70:])
    assert all(by_week[w] in (1, 2) for w in shared)


def test_a_writer_killed_mid_loop_leaves_a_sound_database_with_every_acknowledged_write(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "coach.db")
    acks = tmp_path / "acks.txt"
    with Store(db) as store:
        store.create_profile("ana")
    weeks = old_weeks(600)
    child = SPAWN.Process(target=acknowledging_writer, args=(db, weeks, str(acks)))
    child.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # let it commit a good number of writes first
        if acks.exists() and len(acks.read_text().split()) >= 40:
            break
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.join(10)
    assert child.exitcode == -signal.SIGKILL
    acknowledged = acks.read_text().split()
    assert 40 <= len(acknowledged) < len(weeks), "the child must be killed mid-loop"

    with sqlite3.connect(db) as conn:  # what any SQLite reader sees, WAL included
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(db) as store:
        saved = {c.week: c for c in store.list_checkins("ana")}
    missing = [w for w in acknowledged if w not in saved]
    assert missing == []
    # At most the write in flight when the kill came is there without its acknowledgement.
    assert len(saved) - len(acknowledged) in (0, 1)
    for i, week in enumerate(acknowledged):
        assert saved[week] == CheckIn(
            week, posts=i % 7, received=10, replies=i % 10, note="x" * (i % 50)
        )


def test_a_long_lock_is_waited_out_then_reported_as_a_sentence(tmp_path: Path, monkeypatch) -> None:
    import threading

    import coach.store.db

    monkeypatch.setattr(coach.store.db, "BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr(coach.store.db, "RETRY_SECONDS", 2.0)
    db = tmp_path / "coach.db"
    store = Store(db)
    store.create_profile("ana")

    def hold(seconds: float, ready: threading.Event) -> None:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program takes the write lock
        ready.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    # Held longer than SQLite's own busy timeout: our retry loop waits it out.
    ready = threading.Event()
    holder = threading.Thread(target=hold, args=(0.3, ready))
    holder.start()
    ready.wait()
    assert store.save_checkin("ana", CheckIn("2012-W01", posts=1)) == "created"
    holder.join()

    # Held longer than the retry bound: a sentence in the user's language, nothing written.
    monkeypatch.setattr(coach.store.db, "RETRY_SECONDS", 0.3)
    ready = threading.Event()
    holder = threading.Thread(target=hold, args=(1.0, ready))
    holder.start()
    ready.wait()
    with pytest.raises(CoachError) as info:
        store.save_checkin("ana", CheckIn("2012-W02", posts=1))
    holder.join()
    assert "locked" not in info.value.message("en")
    assert "occupée" in info.value.message("fr") and "Rien n’a été modifié" in info.value.message(
        "fr"
    )
    assert [c.week for c in store.list_checkins("ana")] == ["2012-W01"]
    store.close()


# ---- property-based export / import round trip --------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
SMALL = st.integers(min_value=0, max_value=10_000)
DATES = st.dates(date(2000, 1, 1), date(2030, 12, 31))
GOALS = [goal("g1", "posts", 2), goal("g2", "median_response_hours", 24, "at_most")]


@st.composite
def checkins(draw) -> list[CheckIn]:
    weeks = draw(st.lists(st.integers(0, 800), unique=True, max_size=12))
    out = []
    for offset in weeks:
        received = draw(SMALL)
        out.append(
            CheckIn(
                week=week_of(date(2010, 1, 4) + timedelta(weeks=offset)),
                posts=draw(SMALL),
                received=received,
                replies=draw(st.integers(0, received)),
                median_response_hours=draw(
                    st.none() | st.floats(0, 720, allow_nan=False, allow_infinity=False)
                ),
                followers=draw(st.none() | SMALL),
                mentions=draw(st.none() | SMALL),
                monitoring_sessions=draw(st.none() | SMALL),
                employee_touchpoints=draw(st.none() | SMALL),
                note=draw(TEXT),
                source=draw(
                    st.sampled_from(["typed", "import:linkedin", "import:x", "import:csv"])
                ),
            )
        )
    return out


# The shapes an answer takes (text, yes/no, scale or number, ticked option ids): what the
# import accepts back (a nested mapping is no answer, and is refused on import).
ANSWER = (
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(-1e6, 1e6)
    | TEXT
    | st.lists(TEXT, max_size=3)
)
ANSWERS = st.dictionaries(TEXT, ANSWER, max_size=5)


def _name_or_none(text: str) -> str | None:
    try:
        return check_name(text)
    except InvalidInput:
        return None


@st.composite
def profiles(draw) -> dict:
    start = draw(st.dates(date(2015, 1, 1), date(2026, 1, 1)))
    n_steps = draw(st.integers(0, 4))
    steps = [
        step(f"s{i}", start + timedelta(weeks=i), start + timedelta(weeks=i, days=6), order=i)
        for i in range(n_steps)
    ]
    states = {
        s.id: (
            draw(st.sampled_from(["todo", "doing", "done", "skipped"])),
            draw(st.none() | DATES),
            draw(TEXT),
        )
        for s in steps
        if draw(st.booleans())
    }
    return {
        # Names as the store keeps them (normalised: NFKC, nothing invisible).
        "name": draw(TEXT.map(_name_or_none).filter(bool)),
        "language": draw(st.sampled_from(["fr", "en"])),
        "timezone": draw(
            st.sampled_from(["America/Toronto", "Europe/Paris", "UTC", "Asia/Kolkata"])
        ),
        "hours": draw(st.floats(0.25, 80)),
        "start": start,
        "regulated": draw(st.booleans()),
        "draft": draw(st.none() | ANSWERS),
        "plan": hand_plan(steps, GOALS) if steps or draw(st.booleans()) else None,
        "states": states,
        "targets": draw(
            st.lists(st.tuples(st.sampled_from(["g1", "g2"]), st.floats(0, 1e4), DATES), max_size=4)
        ),
        "checkins": draw(checkins()),
        "assessments": draw(
            st.lists(
                st.tuples(
                    ANSWERS,
                    st.datetimes(
                        # hypothesis takes naive bounds and adds the zone itself
                        datetime(2000, 1, 1),  # noqa: DTZ001
                        datetime(2030, 1, 1),  # noqa: DTZ001
                        timezones=st.just(UTC),
                    ),
                ),
                max_size=2,
            )
        ),
    }


def fill(store: Store, p: dict) -> None:
    from coach.model import AssessmentResult, DimensionScore

    store.create_profile(
        p["name"],
        language=p["language"],
        timezone=p["timezone"],
        hours_per_week=p["hours"],
        start_date=p["start"],
        regulated_sector=p["regulated"],
    )
    if p["draft"] is not None:
        store.save_draft(p["name"], p["draft"])
    for answers, taken_at in p["assessments"]:
        result = AssessmentResult(
            "pb",
            "1.0",
            (DimensionScore("presence", 42.5, 3, 2, 2),),
            42.5,
            3,
            0.5,
            ("presence",),
            (),
            ("q",),
        )
        store.add_assessment(p["name"], None, answers, result, taken_at=taken_at)
    if p["plan"] is not None:
        store.save_plan(p["name"], p["plan"])
        for sid, (state, on, note) in p["states"].items():
            store.set_step_state(p["name"], sid, state, note=note, on=on)
    for goal_id, target, on in p["targets"]:
        store.set_goal_target(p["name"], goal_id, target, on=on)
    store.save_checkins(p["name"], p["checkins"])


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(p=profiles())
def test_export_then_import_gives_an_identical_profile(tmp_path_factory, p: dict) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    with Store(folder / "a.db") as a, Store(folder / "b.db") as b:
        fill(a, p)
        doc = a.export_profile(p["name"])
        b.import_profile(json.loads(json.dumps(doc)))  # through real JSON text
        again = b.export_profile(p["name"])
        assert b.get_profile(p["name"]).created_at == a.get_profile(p["name"]).created_at
        assert b.list_checkins(p["name"]) == a.list_checkins(p["name"])
        assert b.get_plan(p["name"]) == a.get_plan(p["name"])
        assert b.goal_target_history(p["name"], "g1") == a.goal_target_history(p["name"], "g1")
        # and once more, over the existing profile
        b.import_profile(again, replace=True)
        third = b.export_profile(p["name"])
    for d in (doc, again, third):
        d.pop("exported_at")
    assert again == doc
    assert third == doc


def test_exported_at_is_a_timestamp(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.create_profile("ana")
        doc = store.export_profile("ana")
    assert datetime.fromisoformat(doc["exported_at"]).tzinfo is not None


@pytest.mark.parametrize("count", [3])
def test_many_stores_on_one_file_in_one_process(tmp_path: Path, count: int) -> None:
    db = tmp_path / "coach.db"
    stores = [Store(db) for _ in range(count)]
    stores[0].create_profile("ana")
    for i, week in enumerate(old_weeks(30)):
        stores[i % count].save_checkin("ana", CheckIn(week, posts=i))
    assert len(stores[-1].list_checkins("ana")) == 30
    for s in stores:
        s.close()
