"""Hardening, round two (issue 11): what the first round left, as a user meets it.

Profile import reads bounded JSON and checks the document against its playbook; weeks
typed with spaces are stored normalised; unknown zones, huge numbers and dates out of
the window get a sentence and exit 1; look-alike names are one profile; --db and --lang
may come before the command.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
import time_machine

from coach import service
from coach.cli import main
from coach.errors import InvalidInput
from coach.profile import check_name, name_key, start_window
from coach.store import Store
from coach.store.transfer import MAX_ANSWERS, MAX_DOCUMENT_BYTES
from tests.service_kit import FROZEN_AT, FROZEN_DAY

UNEXPECTED = ("Something unexpected went wrong", "Une erreur inattendue")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(FROZEN_AT, tick=False):
        yield


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> str:
    monkeypatch.delenv("COACH_DB", raising=False)
    return str(tmp_path / "coach.db")


@pytest.fixture
def demo_doc(db: str) -> dict:
    """The demo profile's export document, renamed "Sophie Gagnon", the database left empty."""
    with Store(db) as store:
        profile = service.create_demo(store, "en", today=FROZEN_DAY)
        doc = service.export_profile(store, profile)
        service.delete_profile(store, profile)
    doc["profile"]["name"] = "Sophie Gagnon"
    return doc


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse refusing an option: exit 2, one sentence
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert not any(text in out + err for text in UNEXPECTED), err
    return code, out, err


def write(tmp_path: Path, doc: dict | str, name: str = "profile.json") -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def names(db: str) -> list[str]:
    with Store(db) as store:
        return [p.name for p in store.list_profiles()]


# ---- item 1: profile import reads bounded JSON --------------------------------------------------


def test_a_deeply_nested_profile_file_is_refused_with_a_sentence(capsys, db, tmp_path):
    path = write(tmp_path, '{"format": ' + "[" * 60_000 + "]" * 60_000 + "}")
    code, _, err = run(capsys, "profile", "import", path, "--db", db, "--lang", "en")
    assert code == 1
    assert "nests more than 64 levels deep" in err and "line 1" in err
    assert names(db) == []


def test_a_huge_number_in_a_profile_file_is_refused_with_a_sentence(capsys, db, tmp_path):
    path = write(tmp_path, '{"format": "coach-profile", "version": 1' + "9" * 400 + "}")
    code, _, err = run(capsys, "profile", "import", path, "--db", db, "--lang", "fr")
    assert code == 1
    assert "n’est pas un chiffre que le coach peut conserver" in err


def test_the_service_parses_the_text_an_upload_gives_it_safely(db):
    """The Settings page can hand the uploaded bytes to the service: no RecursionError."""
    with Store(db) as store, pytest.raises(InvalidInput) as caught:
        service.import_profile(store, b"[" * 60_000 + b"]" * 60_000, file="upload.json")
    assert caught.value.key == "importers.json.too_deep"
    assert "upload.json" in caught.value.message("en")


def test_the_service_imports_an_export_given_as_text(db, demo_doc):
    text = json.dumps(demo_doc).encode("utf-8")
    with Store(db) as store:
        imported = service.import_profile(store, b"\xef\xbb\xbf" + text, file="demo.json")
        assert imported.name == "Sophie Gagnon"
        assert len(store.list_checkins(imported)) == len(demo_doc["checkins"])


# ---- item 5: weeks typed with spaces ------------------------------------------------------------


@pytest.mark.parametrize("typed", [" 2026-W46", "2026-W46 ", "2026-w46"])
def test_a_week_typed_with_spaces_or_a_small_w_is_stored_normalised(capsys, db, typed):
    run(capsys, "profile", "create", "Marie", "--db", db, "--lang", "en")
    code, out, _ = run(
        capsys, "checkin", "--profile", "Marie", "--week", typed, "--posts", "2", "--db", db
    )
    assert code == 0 and "2026-W46" in out
    with Store(db) as store:
        assert [c.week for c in store.list_checkins("Marie")] == ["2026-W46"]


def test_full_width_digits_are_still_refused(capsys, db):
    run(capsys, "profile", "create", "Marie", "--db", db)
    code, _, err = run(
        capsys,
        "checkin",
        "--profile",
        "Marie",
        "--week",
        "２０２６-W４６",
        "--db",
        db,
        "--lang",
        "en",
    )
    assert code == 2 and "is not a valid week" in err


# ---- item 6: parts that break the profile -------------------------------------------------------


def broken(doc: dict, how: str) -> dict:
    doc = copy.deepcopy(doc)
    if how == "goal metric":
        doc["plan"]["plan"]["goals"][0]["metric"] = "note"
    elif how == "step phase":
        doc["plan"]["plan"]["steps"][0]["phase"] = "someday"
    elif how == "unknown question":
        doc["draft"] = {"answers": {"no.such.question": 3}, "updated_at": FROZEN_AT.isoformat()}
    elif how == "huge answer":
        doc["draft"] = {
            "answers": {"reach.touchpoints": 10**400},
            "updated_at": FROZEN_AT.isoformat(),
        }
    elif how == "many answers":
        answers = {f"q{i}": 1 for i in range(MAX_ANSWERS + 1)}
        doc["draft"] = {"answers": answers, "updated_at": FROZEN_AT.isoformat()}
    elif how == "unknown option":
        answers = {"identity.account-status": "sometimes-maybe"}
        doc["draft"] = {"answers": answers, "updated_at": FROZEN_AT.isoformat()}
    return doc


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("goal metric", "goals[0].metric"),
        ("step phase", "steps[0].phase"),
        ("unknown question", "“no.such.question” that the playbook “executive-presence”"),
        ("huge answer", "draft.answers.reach.touchpoints"),
        ("many answers", f"> {MAX_ANSWERS}"),
        ("unknown option", "does not accept"),
    ],
)
def test_an_import_that_would_break_the_profile_is_refused(db, demo_doc, how, said):
    with Store(db) as store:
        with pytest.raises(InvalidInput) as caught:
            service.import_profile(store, broken(demo_doc, how))
        assert said in caught.value.message("en")
        assert store.list_profiles() == []


def test_the_same_parts_are_refused_from_the_command_line(capsys, db, demo_doc, tmp_path):
    path = write(tmp_path, json.dumps(broken(demo_doc, "goal metric")))
    code, _, err = run(capsys, "profile", "import", path, "--db", db, "--lang", "en")
    assert code == 1 and "goals[0].metric" in err and "Nothing was imported" in err


def test_a_valid_draft_is_imported(db, demo_doc):
    doc = copy.deepcopy(demo_doc)
    answers = {"reach.touchpoints": 4, "identity.account-status": "occasional"}
    doc["draft"] = {"answers": answers, "updated_at": FROZEN_AT.isoformat()}
    with Store(db) as store:
        imported = service.import_profile(store, doc)
        assert store.get_draft(imported) == answers


def test_a_100_mb_profile_file_is_refused_before_it_is_read(capsys, db, tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: 100 MB on paper, nothing on the disk
        handle.truncate(100 * 1024 * 1024)
    code, _, err = run(capsys, "profile", "import", str(path), "--db", db, "--lang", "en")
    assert code == 1
    assert "is 100 MB" in err and f"up to {MAX_DOCUMENT_BYTES // 1024 // 1024} MB" in err


def test_huge_text_given_to_the_service_is_refused_before_parsing(db):
    with Store(db) as store, pytest.raises(InvalidInput) as caught:
        service.import_profile(store, "{" + " " * MAX_DOCUMENT_BYTES + "}")
    assert caught.value.key == "importers.profile.too_big"


# ---- item 8: unknown zones and huge numbers get a sentence --------------------------------------


@pytest.mark.parametrize("zone", ["America", "Europe", "a" * 300, "America/" + "x" * 5000])
def test_a_zone_folder_or_an_over_long_zone_is_an_unknown_time_zone(capsys, db, zone):
    code, _, err = run(capsys, "profile", "create", "Marie", "--timezone", zone, "--db", db)
    assert code == 1 and "Unknown time zone" in err
    run(capsys, "profile", "create", "Marie", "--db", db)
    code, _, err = run(capsys, "profile", "set", "Marie", "--timezone", zone, "--db", db)
    assert code == 1 and "Unknown time zone" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("checkin", "--profile", "Marie", "--week", "2026-W46", "--posts", "9" * 400),
        (
            "checkin",
            "--profile",
            "Marie",
            "--week",
            "2026-W46",
            "--median-response-hours",
            "9" * 400,
        ),
        ("profile", "set", "Marie", "--hours-per-week", "9" * 400),
        ("status", "--profile", "9" * 400),
    ],
)
def test_a_400_digit_number_on_the_command_line_gets_a_sentence(capsys, db, argv):
    run(capsys, "profile", "create", "Marie", "--db", db, "--lang", "en")
    code, _, err = run(capsys, *argv, "--db", db, "--lang", "en")
    assert code in (1, 2) and err.strip()
    with Store(db) as store:
        assert store.list_checkins("Marie") == []


# ---- item 9: start dates within a window --------------------------------------------------------


def test_the_window_runs_from_2000_to_two_years_from_today():
    assert start_window() == (date(2000, 1, 1), date(2028, 11, 18))
    assert start_window(date(2028, 2, 29)) == (date(2000, 1, 1), date(2030, 2, 28))


@pytest.mark.parametrize("start", ["1026-01-05", "9999-12-01", "1999-12-31", "2028-11-19"])
def test_a_start_date_outside_the_window_is_refused_saying_which(capsys, db, start):
    code, _, err = run(capsys, "profile", "create", "Marie", "--start", start, "--db", db)
    assert code == 1 and "from 2000-01-01 to 2028-11-18" in err and start in err
    assert names(db) == []
    run(capsys, "profile", "create", "Marie", "--db", db)
    code, _, err = run(capsys, "profile", "set", "Marie", "--start", start, "--db", db)
    assert code == 1 and "Check the year" in err
    with Store(db) as store:
        assert store.get_profile("Marie").start_date == FROZEN_DAY


@pytest.mark.parametrize("start", ["2000-01-01", "2028-11-18"])
def test_the_window_s_own_ends_are_accepted(capsys, db, start):
    code, _, _ = run(capsys, "profile", "create", "Marie", "--start", start, "--db", db)
    assert code == 0


def test_the_settings_form_path_refuses_it_too(db):
    """Settings changes the start date through service.change_profile."""
    with Store(db) as store:
        store.create_profile("Marie")
        with pytest.raises(InvalidInput) as caught:
            service.change_profile(store, "Marie", start_date=date(1026, 1, 5))
        assert "La date de début 1026-01-05" in caught.value.message("fr")
        assert store.get_profile("Marie").start_date == FROZEN_DAY


def test_an_import_with_a_start_date_out_of_the_window_is_refused(db, demo_doc):
    demo_doc["profile"]["start_date"] = "1026-01-05"
    with Store(db) as store, pytest.raises(InvalidInput) as caught:
        service.import_profile(store, demo_doc)
    assert caught.value.key == "cli.profile.start_window"


# ---- item 13: look-alike names ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["Mar\u200bie", "Ma\u00adrie", "\ufeffMarie", "Ｍａｒｉｅ", "  Marie ", "marie", "MARIE"],
)
def test_a_look_alike_name_is_the_same_profile(capsys, db, typed):
    run(capsys, "profile", "create", "Marie", "--db", db, "--lang", "en")
    code, _, err = run(capsys, "profile", "create", typed, "--db", db, "--lang", "en")
    assert code == 1 and "A profile called “Marie” already exists" in err
    assert names(db) == ["Marie"]
    code, out, _ = run(capsys, "status", "--profile", typed, "--db", db, "--lang", "en")
    assert code == 0 and "Marie" in out


def test_invisible_characters_are_removed_from_a_new_name(capsys, db):
    run(capsys, "profile", "create", "So\u200bphie\u00ad  Gagnon", "--db", db)
    assert names(db) == ["Sophie Gagnon"]


@pytest.mark.parametrize("typed", ["\u202eeiraM", "Marie\u200f", "\u2067Marie\u2069"])
def test_a_name_with_direction_controls_is_refused(capsys, db, typed):
    code, _, err = run(capsys, "profile", "create", typed, "--db", db, "--lang", "en")
    assert code == 1 and "changes the direction of the text" in err
    assert names(db) == []


def test_names_compare_without_regard_to_case():
    assert name_key("sophie gagnon") == name_key("Sophie Gagnon") == name_key("SOPHIE  GAGNON")
    assert name_key("Straße") == name_key("STRASSE")
    assert check_name("Zoe\u0308") == "Zoë"
    with pytest.raises(InvalidInput):
        check_name("\u200b\u00ad")


def test_sophie_gagnon_finds_sophie_gagnon(capsys, db):
    run(capsys, "profile", "create", "Sophie Gagnon", "--db", db, "--lang", "en")
    argv = ("checkin", "--profile", "sophie gagnon", "--week", "2026-W46", "--posts", "3")
    code, _, _ = run(capsys, *argv, "--db", db, "--lang", "en")
    assert code == 0
    with Store(db) as store:
        assert [c.posts for c in store.list_checkins("Sophie Gagnon")] == [3]
    code, _, _ = run(capsys, "profile", "set", "SOPHIE GAGNON", "--hours-per-week", "3", "--db", db)
    assert code == 0
    with Store(db) as store:
        assert store.get_profile("Sophie Gagnon").hours_per_week == 3


def test_a_rename_may_change_the_case_of_its_own_name_not_take_another(capsys, db):
    run(capsys, "profile", "create", "Marie", "--db", db, "--lang", "en")
    run(capsys, "profile", "create", "Paul", "--db", db, "--lang", "en")
    code, _, err = run(capsys, "profile", "set", "Paul", "--rename", "marie", "--db", db)
    assert code == 1 and "“Marie” already exists" in err
    code, _, _ = run(capsys, "profile", "set", "Marie", "--rename", "MARIE", "--db", db)
    assert code == 0 and names(db) == ["MARIE", "Paul"]


def test_an_import_under_another_case_clashes_or_replaces_keeping_one_profile(db, demo_doc):
    with Store(db) as store:
        store.create_profile("sophie gagnon")
        with pytest.raises(InvalidInput) as caught:
            service.import_profile(store, demo_doc)
        assert "“sophie gagnon” already exists" in caught.value.message("en")
        imported = service.import_profile(store, demo_doc, replace=True)
        assert [p.name for p in store.list_profiles()] == ["sophie gagnon"]
        assert len(store.list_checkins(imported)) == len(demo_doc["checkins"])


# ---- item 14: global options before the command -------------------------------------------------


def test_lang_and_db_may_come_before_the_command(capsys, db):
    code, _, _ = run(capsys, "--db", db, "profile", "create", "Marie")
    assert code == 0 and names(db) == ["Marie"]
    code, out, _ = run(capsys, "--lang", "fr", "status", "--profile", "Marie", "--db", db)
    assert code == 0 and out.startswith("# Suivi de Marie")
    code, out, _ = run(capsys, "--lang", "fr", "--db", db, "status", "--profile", "Marie")
    assert code == 0 and out.startswith("# Suivi de Marie")
    # After the command still works, and wins over the one before.
    code, out, _ = run(
        capsys, "--lang", "fr", "status", "--profile", "Marie", "--db", db, "--lang", "en"
    )
    assert code == 0 and out.startswith("# Progress for Marie")


def test_the_top_level_help_mentions_the_global_options(capsys):
    with pytest.raises(SystemExit):
        main(["--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert "--db DB" in out and "--lang {fr,en}" in out
    assert "before or after the command name" in out
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "--help"])
    assert "avant ou après le nom de la commande" in capsys.readouterr().out
