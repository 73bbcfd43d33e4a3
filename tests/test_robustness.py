"""Bad input on the command line: a sentence in the user's language, a non-zero exit, nothing written.

Each test feeds one kind of hostile or careless input to `python -m coach ...` and checks
what a manager would notice: the message (no traceback, no SQL, no usage dump, the right
language) and that the database is exactly as it was.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.checkin import MAX_NOTE_CHARS, current_week, shift_week
from coach.cli import main
from coach.store import Store

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "tests" / "fixtures" / "personas" / "advanced.yaml"
LAST_WEEK = shift_week(current_week("America/Toronto"), -1)
UNEXPECTED = ("Something unexpected went wrong", "Une erreur inattendue")


# ---- helpers ------------------------------------------------------------------------------------


def snapshot(db: str | Path) -> list[str]:
    """Every row of the database as SQL, to compare before and after a command."""
    if not Path(db).exists():
        return []
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as stop:  # argparse ends with SystemExit
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, db: str | Path, *argv: str, lang: str | None = "en") -> str:
    """Run a command that must fail cleanly; the message it printed."""
    before = snapshot(db)
    extra = ["--db", str(db)] + (["--lang", lang] if lang else [])
    code, out, err = run(capsys, *argv, *extra)
    assert code not in (0, None), out
    assert err.strip(), "a refusal must say why"
    assert "Traceback" not in err and "usage:" not in err, err
    assert not any(u in err for u in UNEXPECTED), err
    assert "SELECT" not in err and "sqlalche" not in err, err
    assert snapshot(db) == before, "the database changed"
    return err.strip()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert main(["demo", "--db", str(path), "--lang", "en"]) == 0
    with Store(path) as store:
        store.create_profile("alice", language="en", timezone="America/Toronto")
    return path


@pytest.fixture
def db(demo_template, tmp_path) -> Path:
    """A database with the demo profile and an empty profile called alice."""
    path = tmp_path / "rev.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def demo_export(db, tmp_path, capsys) -> dict:
    target = tmp_path / "demo.json"
    assert main(["profile", "export", "demo", "-o", str(target), "--db", str(db)]) == 0
    capsys.readouterr()
    doc = json.loads(target.read_text(encoding="utf-8"))
    doc["profile"]["name"] = "copy"
    return doc


# ---- check-ins ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "cannot be more than"), ("fr", "ne peut pas dépasser")]
)
def test_a_count_too_large_for_the_database_is_a_sentence(capsys, db, lang, expected):
    huge = str(10**23)
    message = refused(
        capsys, db, "checkin", "--profile", "alice", "--week", LAST_WEEK, "--posts", huge, lang=lang
    )
    assert expected in message


def test_followers_too_large_are_refused_too(capsys, db):
    message = refused(
        capsys, db, "checkin", "--profile", "alice", "--week", LAST_WEEK, "--followers", str(2**63)
    )
    assert "followers" in message


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_text_that_is_not_valid_utf8_is_a_sentence(capsys, db, lang):
    # What Python hands over when the terminal sends bytes that are not UTF-8.
    bad = "caf\udce9"
    refused(
        capsys, db, "checkin", "--profile", "alice", "--week", LAST_WEEK, "--note", bad, lang=lang
    )
    refused(capsys, db, "profile", "create", bad, lang=lang)
    refused(capsys, db, "status", "--profile", bad, lang=lang)


def test_concurrent_check_ins_of_one_week_keep_every_figure(db):
    """Three people save different figures of the same week at once: none is lost."""
    week = LAST_WEEK
    base = [sys.executable, "-m", "coach", "checkin", "--profile", "alice", "--week", week]
    options = [["--posts", "3"], ["--mentions", "7"], ["--employee-touchpoints", "5"]]
    for _ in range(8):
        assert (
            subprocess.run([*base, "--db", str(db)], cwd=ROOT, capture_output=True).returncode == 0
        )
        procs = [
            subprocess.Popen([*base, *o, "--db", str(db)], cwd=ROOT, stderr=subprocess.PIPE)
            for o in options
        ]
        assert all(p.wait() == 0 for p in procs)
        with Store(db) as store:
            saved = store.get_checkin("alice", week)
        assert (saved.posts, saved.mentions, saved.employee_touchpoints) == (3, 7, 5)
        with Store(db) as store:  # start the next round from an empty week
            store.save_checkin("alice", type(saved)(week=week))


# ---- answers files (assess, plan) ---------------------------------------------------------------


@pytest.mark.parametrize("content", ["answers: null\n", "answers: [1, 2]\n", "answers: 3\n"])
def test_answers_that_are_not_a_mapping_say_so(capsys, db, tmp_path, content):
    path = tmp_path / "answers.yaml"
    path.write_text(content, encoding="utf-8")
    message = refused(capsys, db, "assess", "--answers", path)
    assert "mapping" in message and "is not a question" not in message


def test_an_empty_answers_file_does_not_talk_about_playbooks(capsys, db, tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("", encoding="utf-8")
    message = refused(capsys, db, "plan", "--answers", path)
    assert "answers" in message and "playbook" not in message


@pytest.mark.parametrize(
    "facts",
    [
        {"hours_per_week": 3, "regulated_sector": "no"},
        {"hours_per_week": 3, "regulated": True},
    ],
    ids=["regulated-as-text", "unknown-fact"],
)
def test_facts_that_would_be_misread_are_refused(capsys, db, tmp_path, facts):
    path = tmp_path / "answers.yaml"
    doc = {"answers": {"identity.account-status": "active"}, "facts": facts}
    path.write_text(json.dumps(doc), encoding="utf-8")
    for command in ("assess", "plan"):
        message = refused(capsys, db, command, "--answers", path)
        assert "regulated" in message


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_folder_instead_of_a_file_is_a_sentence(capsys, db, tmp_path, lang):
    for argv in (
        ("validate", tmp_path),
        ("assess", "--answers", tmp_path),
        ("plan", "--answers", PERSONA, "--playbook", tmp_path),
    ):
        message = refused(capsys, db, *argv, lang=lang)
        assert str(tmp_path) in message


# ---- options parsed before the command runs: the user's language, no usage dump ------------------


@pytest.mark.parametrize(
    ("argv", "lang", "expected"),
    [
        (("plan", "--answers", PERSONA, "--start", "2026-02-30"), "fr", "n’est pas une date"),
        (("plan", "--answers", PERSONA, "--start", "2026-02-30"), "en", "is not a date"),
        (("plan", "--answers", PERSONA, "--hours-per-week", "abc"), "en", "is not a number"),
        (("checkin", "--profile", "alice"), "fr", "--week"),
        (("export", "--profile", "demo", "--format", "docx"), "fr", "docx"),
        (("checkin", "--profile", "alice", "--week", LAST_WEEK, "--bogus", "3"), "fr", "--bogus"),
    ],
    ids=["date-fr", "date-en", "hours-en", "required-fr", "choice-fr", "unknown-option-fr"],
)
def test_option_errors_speak_the_chosen_language(capsys, db, argv, lang, expected):
    message = refused(capsys, db, *argv, lang=lang)
    assert expected in message
    english = ("the following arguments", "invalid choice", "unrecognized arguments", "error:")
    if lang == "fr":
        assert not any(e in message for e in english), message
        assert "Aide" in message
    else:
        assert "n’est pas" not in message


def test_option_errors_follow_lang_from_the_environment(capsys, db, monkeypatch):
    monkeypatch.delenv("COACH_LANG", raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    message = refused(capsys, db, "plan", "--answers", PERSONA, "--start", "2026-02-30", lang=None)
    assert "n’est pas une date" in message
    message = refused(capsys, db, "plan", "--answers", PERSONA, "--start", "2026-02-30", lang="en")
    assert "is not a date" in message


# ---- the database file --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_damaged_coach_database_is_a_sentence_without_sql(capsys, db, lang):
    con = sqlite3.connect(db)
    con.execute("DROP TABLE checkins")
    con.commit()
    con.close()
    refused(capsys, db, "status", "--profile", "demo", lang=lang)
    refused(capsys, db, "checkin", "--profile", "alice", "--week", LAST_WEEK, lang=lang)


def test_a_database_from_another_program_names_the_file_not_a_url(capsys, tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE foo (x)")
    con.commit()
    con.close()
    message = refused(capsys, other, "profile", "list")
    assert str(other) in message and "sqlite:" not in message


# ---- profile import of a tampered document ------------------------------------------------------


def _set(doc: dict, path: str, value) -> dict:
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("version", "1"),
        ("version", True),
        ("checkins.0.posts", 10**30),
        ("checkins.0.followers", 2**63),
        ("assessments.0.result.overall_score", "abc"),
        ("assessments.0.result.dimensions.0.score", float("nan")),
        ("plan.plan.steps.0.due", "9999-12-31"),
        ("plan.plan.steps.0.effort_hours", float("nan")),
        ("plan.plan.goals.0.target", float("nan")),
        ("plan.plan.hours_per_week", float("inf")),
        ("plan.step_states.0.note", "x" * (MAX_NOTE_CHARS + 1)),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else type(v).__name__,
)
def test_a_tampered_profile_export_is_refused_whole(capsys, db, tmp_path, demo_export, path, value):
    target = tmp_path / "tampered.json"
    target.write_text(json.dumps(_set(demo_export, path, value)), encoding="utf-8")
    message = refused(capsys, db, "profile", "import", target)
    assert "Nothing was imported" in message


def test_the_untampered_export_still_imports(capsys, db, tmp_path, demo_export):
    target = tmp_path / "copy.json"
    target.write_text(json.dumps(demo_export), encoding="utf-8")
    code, _, err = run(capsys, "profile", "import", target, "--db", db)
    assert code == 0, err
    for fmt in ("md", "pdf", "ics"):
        code, _, err = run(
            capsys,
            "export",
            "--profile",
            "copy",
            "--format",
            fmt,
            "-o",
            tmp_path / f"c.{fmt}",
            "--db",
            db,
        )
        assert code == 0, err


# ---- board pack ---------------------------------------------------------------------------------


def test_the_longest_notes_a_manager_may_type_still_export_to_pdf(capsys, db, tmp_path):
    note = ("Une semaine chargée, l’équipe a répondu vite. " * 200)[:MAX_NOTE_CHARS]
    code, _, err = run(
        capsys, "checkin", "--profile", "demo", "--week", LAST_WEEK, "--note", note, "--db", db
    )
    assert code == 0, err
    with Store(db) as store:
        step = store.get_plan("demo").plan.steps[0].id
        store.set_step_state("demo", step, "doing", note=note)
    target = tmp_path / "pack.pdf"
    code, _, err = run(
        capsys, "export", "--profile", "demo", "--format", "pdf", "-o", target, "--db", db
    )
    assert code == 0, err
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Une semaine chargée" in text


def test_a_step_note_longer_than_a_check_in_note_is_refused(db):
    from coach.errors import InvalidInput

    with Store(db) as store:
        step = store.get_plan("demo").plan.steps[0].id
        with pytest.raises(InvalidInput):
            store.set_step_state("demo", step, "doing", note="x" * (MAX_NOTE_CHARS + 1))


# ---- platform imports ---------------------------------------------------------------------------


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59-12:00"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_dates_outside_any_calendar_name_the_line(capsys, db, tmp_path, stamp, lang):
    path = tmp_path / "activity.csv"
    path.write_text(f"timestamp,kind\n2026-01-05T10:00:00Z,post\n{stamp},post\n", encoding="utf-8")
    message = refused(capsys, db, "import", path, "--profile", "alice", lang=lang)
    assert "activity.csv" in message and "3" in message


def test_a_folder_given_as_a_platform_export_says_it_is_a_folder(capsys, db, tmp_path):
    message = refused(capsys, db, "import", tmp_path, "--profile", "alice", lang="fr")
    assert "dossier" in message and "introuvable" not in message


# ---- files that cannot be written or read: the reason in the user's language -------------------


@pytest.mark.parametrize(
    ("lang", "expected", "english"),
    [("fr", "dossier n’existe pas", "No such file"), ("en", "does not exist", "No such file")],
)
def test_why_a_file_cannot_be_written_is_said_in_the_users_language(
    capsys, db, tmp_path, lang, expected, english
):
    missing = tmp_path / "missing-folder" / "pack.md"
    for argv in (
        ("export", "--profile", "demo", "--format", "md", "-o", missing),
        ("profile", "export", "demo", "-o", missing),
        ("profile", "import", missing),
    ):
        message = refused(capsys, db, *argv, lang=lang)
        assert expected in message and english not in message, message
