"""The application layer: one snapshot for every front, use cases that write once."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
import time_machine

from coach import service
from coach.checkin import CheckIn
from coach.cli import main
from coach.errors import CoachError, InvalidInput
from coach.store import Store
from tests.service_kit import FROZEN_AT, FROZEN_DAY, demo_with_four_steps_done, where_to_start_ids
from tests.ui_kit import MINI, make_profile, no_traceback, open_app


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN_AT, tick=False):
        yield


@pytest.fixture
def store(tmp_path) -> Store:
    with Store(tmp_path / "coach.db") as opened:
        yield opened


def test_where_to_start_is_the_same_on_home_in_status_and_in_the_pack(
    frozen, monkeypatch, tmp_path, capsys
):
    db = tmp_path / "app.db"
    monkeypatch.setenv("COACH_DB", str(db))
    with Store(db) as store:
        profile = demo_with_four_steps_done(store)
        expected = where_to_start_ids(store, profile)
        titles = {s.id: s.title for s in service.snapshot(store, profile, "en").plan.steps}
        pack = service.build_pack(store, profile, "en")
    assert len(expected) == 3
    assert [s.id for s in pack.where_to_start] == expected

    assert main(["status", "--profile", "demo", "--format", "json", "--lang", "en"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["where_to_start"] == expected

    at = open_app("home", profile="demo")
    no_traceback(at)
    cards = [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value[:6]]
    shown = [next(sid for sid, title in titles.items() if f". {title}**" in c) for c in cards]
    assert shown == expected


def test_the_snapshot_holds_the_plan_in_the_readers_language(store, frozen):
    profile = service.create_demo(store, "fr", today=FROZEN_DAY)
    book = service.find_playbook(profile)
    fr = service.snapshot(store, profile, "fr", playbook=book)
    en = service.snapshot(store, profile, "en", playbook=book)
    assert [s.id for s in fr.plan.steps] == [s.id for s in en.plan.steps]
    assert fr.plan.steps[0].title != en.plan.steps[0].title
    assert en.plan.lang == "en" and fr.today == FROZEN_DAY
    assert [s.id for s in fr.where_to_start] == [s.id for s in en.where_to_start]
    assert en.burnup and en.burnup[0].week <= en.current_week
    assert en.latest is not None and en.previous is not None


def test_save_week_keeps_the_figures_it_is_not_given(store):
    make_profile(store, "Ana", plan=False)
    service.save_week(store, "Ana", "2026-W40", {"posts": 3, "received": 4, "replies": 2})
    assert service.save_week(store, "Ana", "2026-W40", {"followers": 120}) == "updated"
    saved = store.get_checkin("Ana", "2026-W40")
    assert (saved.posts, saved.received, saved.replies, saved.followers) == (3, 4, 2, 120)


def test_a_step_note_alone_keeps_the_state_and_its_date(store):
    make_profile(store, "Ana")
    step = store.get_plan("Ana").plan.steps[0]
    service.set_step_state(store, "Ana", step.id, "done", on=date(2026, 10, 1))
    service.set_step_state(store, "Ana", step.id, note="went well")
    status = store.get_plan("Ana").states[step.id]
    assert (status.state, status.changed_on, status.note) == (
        "done",
        date(2026, 10, 1),
        "went well",
    )
    with pytest.raises(InvalidInput):
        service.set_step_state(store, "Ana", step.id, "finished")


def test_completing_an_assessment_is_one_transaction(store, monkeypatch):
    from coach.playbook import load_playbook
    from tests.ui_kit import ANSWERS

    make_profile(store, "Ana", plan=False)
    store.save_draft("Ana", {"presence.account": True})
    book = load_playbook(MINI)

    def broken(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    from coach.store import plans

    monkeypatch.setattr(plans, "plan_to_dict", broken)
    with pytest.raises(sqlite3.OperationalError):
        service.complete_assessment(store, "Ana", book, ANSWERS, "en", today=FROZEN_DAY)
    # nothing half-written: no assessment without its plan, the draft still there
    assert store.list_assessments("Ana") == [] and store.get_plan("Ana") is None
    assert store.get_draft("Ana") == {"presence.account": True}

    monkeypatch.undo()
    stored, plan = service.complete_assessment(store, "Ana", book, ANSWERS, "en", FROZEN_DAY)
    assert store.list_assessments("Ana")[-1].id == stored.id
    assert store.get_plan("Ana").plan == plan and store.get_draft("Ana") == {}


def test_draft_answers_merge(store):
    make_profile(store, "Ana", plan=False)
    service.save_answers(store, "Ana", {"presence.account": True})
    service.save_answers(store, "Ana", {"presence.posts": "never"})
    assert store.get_draft("Ana") == {"presence.account": True, "presence.posts": "never"}
    service.save_answers(store, "Ana", {"presence.account": None})
    assert store.get_draft("Ana") == {"presence.posts": "never"}


def test_changing_the_name_keeps_everything_keyed_by_id(store):
    make_profile(store, "Ana")
    before = store.get_profile("Ana")
    renamed = service.change_profile(store, before, new_name="Ana B.").profile
    assert renamed.id == before.id and store.get_plan(before.id) is not None
    with pytest.raises(CoachError):
        store.get_profile("Ana")


def test_cli_marks_a_step_in_both_languages(store, capsys, tmp_path):
    make_profile(store, "Ana")
    step = store.get_plan("Ana").plan.steps[0]
    db = str(tmp_path / "coach.db")
    args = ["step", "done", step.id, "--profile", "Ana", "--db", db, "--note", "fait"]
    assert main([*args, "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "faite" in out and "Ana" in out
    assert store.get_plan("Ana").states[step.id].state == "done"
    assert store.get_plan("Ana").states[step.id].note == "fait"
    assert main(["step", "doing", step.id, "--profile", "Ana", "--db", db, "--lang", "en"]) == 0
    assert "in progress" in capsys.readouterr().out
    assert store.get_plan("Ana").states[step.id].note == "fait"  # no --note: kept
    assert main(["step", "done", "no.such.step", "--profile", "Ana", "--db", db]) == 1
    with pytest.raises(SystemExit) as refused:
        main(["step", "finished", step.id, "--profile", "Ana", "--db", db, "--lang", "en"])
    assert refused.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_revision_moves_with_every_write_from_any_connection(store, tmp_path):
    first = store.revision()
    make_profile(store, "Ana", plan=False)
    assert store.revision() > first
    with Store(tmp_path / "coach.db") as other:  # another process, another server
        seen = store.revision()
        other.save_checkin("Ana", CheckIn("2026-W40", posts=1), today=FROZEN_DAY)
    assert store.revision() == seen + 1


def test_a_new_sector_builds_the_plan_again_and_keeps_done_steps(store):
    from coach.playbook import load_playbook

    make_profile(store, "Ana")  # regulated: the mini playbook adds a compliance step
    book = load_playbook(MINI)
    plan = store.get_plan("Ana").plan
    assert "governance.compliance" in {s.id for s in plan.steps}
    done = next(s for s in plan.steps if s.id != "governance.compliance")
    service.set_step_state(store, "Ana", done.id, "done", on=done.due)
    service.set_step_state(store, "Ana", "governance.compliance", "doing", note="booked")

    change = service.change_profile(store, "Ana", playbook=book, regulated_sector=False)
    assert change.rescheduled and change.profile.regulated_sector is False
    stored = store.get_plan("Ana")
    assert "governance.compliance" not in {s.id for s in stored.plan.steps}
    assert "governance.compliance" not in stored.states
    assert stored.plan.facts["regulated_sector"] is False
    kept = stored.plan.step(done.id)
    assert (kept.start, kept.due) == (done.start, done.due)
    assert stored.states[done.id].state == "done"
    exported = store.export_profile("Ana")  # still a document that imports
    store.delete_profile("Ana")
    assert store.import_profile(exported).name == "Ana"


def test_more_hours_build_the_plan_again_from_the_last_assessment(store, frozen):
    """Issue 9, replan: a plan raised from 1 h to 6 h is no longer paced for 1 h."""
    import yaml

    from coach.playbook import default_playbook_path, load_playbook
    from tests.conftest import ROOT

    book = load_playbook(default_playbook_path())
    doc = yaml.safe_load((ROOT / "tests/fixtures/personas/never-posted.yaml").read_text())
    answers = doc.get("answers", doc)
    service.create_profile(store, "Lea", language="en", hours_per_week=1.0)
    service.complete_assessment(store, "Lea", book, answers, "en", today=FROZEN_DAY)
    before = store.get_plan("Lea").plan
    # Paced for one hour: no week asks more (the first-month limit never binds at 1 h).
    assert max(hours for _, hours in before.load) <= 1.0 + 1e-6
    first = before.steps[0]
    service.set_step_state(store, "Lea", first.id, "done", on=first.due)

    change = service.change_profile(store, "Lea", playbook=book, hours_per_week=6.0)

    after = store.get_plan("Lea")
    reasons = " ".join(r for s in after.plan.steps for r in s.why)
    assert change.rescheduled and after.plan.hours_per_week == 6.0
    assert max(hours for _, hours in after.plan.load) > 1.0 and "1 hour" not in reasons
    kept = after.plan.step(first.id)
    assert (kept.start, kept.due) == (first.start, first.due)
    assert after.states[first.id].state == "done"
    assert len(after.plan.steps) >= len(before.steps)  # more time: nothing dropped


def test_names_that_differ_only_in_case_are_one_name_in_the_app_too(store):
    """Issue 11, item 13: the app's create and rename refuse "marie" next to "Marie"."""
    service.create_profile(store, "Marie")
    with pytest.raises(InvalidInput):
        service.create_profile(store, "marie")
    other = service.create_profile(store, "Sophie")
    with pytest.raises(InvalidInput):
        service.change_profile(store, other, new_name="MARIE")
    renamed = service.change_profile(store, "Marie", new_name="MARIE").profile
    assert renamed.name == "MARIE"  # changing only the case of its own name is allowed
    assert sorted(p.name for p in store.list_profiles()) == ["MARIE", "Sophie"]


def test_a_playbook_is_parsed_once_but_an_edited_file_is_read_again(tmp_path):
    """Snapshots share the parsed playbook; a playbook author's edit shows at once."""
    import os
    import shutil

    from coach.playbook import default_playbook_path
    from coach.service.common import load_cached

    path = tmp_path / "book.yaml"
    shutil.copy(default_playbook_path(), path)
    first = load_cached(path)
    assert load_cached(path) is first
    text = path.read_text(encoding="utf-8")
    edited = text.replace(first.title.en, "Edited title", 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = load_cached(path)
    assert again is not first
    assert again.title.en == "Edited title"
