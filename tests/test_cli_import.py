"""`python -m coach import FILE --profile NAME`: preview, write through the Store, never clobber."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coach.checkin import CheckIn
from coach.cli import main
from coach.store import Store
from coach.typography import typeset

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
LINKEDIN = FIXTURES / "linkedin"
ROOT = Path(__file__).parents[1]


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "x.db"
    with Store(path) as store:
        store.create_profile("Marie", language="fr", timezone="America/Toronto")
    return str(path)


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "Basic_LinkedInDataExport_01-27-2026.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("messages.csv", "Shares.csv", "Comments.csv"):
            archive.write(LINKEDIN / name, name)
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def checkins(db: str) -> dict[str, CheckIn]:
    with Store(db) as store:
        return {c.week: c for c in store.list_checkins("Marie")}


def test_import_prints_weekly_figures_and_saves_them(capsys, db, export):
    code, out, err = run(capsys, export, "--profile", "Marie", "--db", db, "--lang", "en")
    assert code == 0, err
    assert "Basic_LinkedInDataExport_01-27-2026.zip · LinkedIn · 3 weeks" in out
    assert "America/Toronto" in out and "read as UTC" in out  # Shares.csv dates have no zone
    assert "“Marie Tremblay”" in out and "--me" in out
    line = next(li for li in out.splitlines() if li.startswith("2026-W03"))
    assert line.split()[:8] == ["2026-W03", "new", "2", "2", "3", "2", "15", "67%"]
    assert "Weeks saved for Marie: 3." in out
    saved = checkins(db)
    assert sorted(saved) == ["2026-W03", "2026-W04", "2026-W05"]
    w04 = saved["2026-W04"]
    assert (w04.posts, w04.received, w04.replies, w04.median_response_hours) == (1, 2, 2, 17.0)
    assert w04.source == "import:linkedin"


def test_dry_run_writes_nothing(capsys, db, export):
    code, out, _ = run(
        capsys, export, "--profile", "Marie", "--db", db, "--dry-run", "--lang", "fr"
    )
    assert code == 0
    assert typeset("Essai à blanc : rien n’a été écrit.", "fr") in out
    assert "nouvelle" in out and "Semaine" in out
    assert checkins(db) == {}


def test_re_import_is_idempotent(capsys, db, export):
    run(capsys, export, "--profile", "Marie", "--db", db)
    before = checkins(db)
    code, out, _ = run(capsys, export, "--profile", "Marie", "--db", db, "--lang", "en")
    assert code == 0
    assert "New: 0 · updated: 0 · unchanged: 3 · conflicts: 0" in out
    assert "Nothing to write" in out
    assert checkins(db) == before


def test_typed_week_is_kept_then_replaced_only_with_consent(capsys, db, export):
    typed = CheckIn(week="2026-W03", posts=4, received=3, replies=3, followers=812, note="Salon RH")
    with Store(db) as store:
        store.save_checkin("Marie", typed)
    code, out, _ = run(capsys, export, "--profile", "Marie", "--db", db, "--lang", "en")
    assert code == 0
    assert "conflict, kept" in out and "posts 4 → 2" in out
    assert "--overwrite-typed" in out
    assert checkins(db)["2026-W03"] == typed
    assert checkins(db)["2026-W04"].source == "import:linkedin"

    code, out, _ = run(
        capsys, export, "--profile", "Marie", "--db", db, "--overwrite-typed", "--lang", "en"
    )
    assert code == 0 and "conflict, replaced" in out
    merged = checkins(db)["2026-W03"]
    assert (merged.posts, merged.replies, merged.median_response_hours) == (2, 2, 15.0)
    assert (merged.followers, merged.note) == (
        812,
        "Salon RH",
    )  # what the export does not know stays
    assert merged.source == "import:linkedin"


def test_a_week_typed_after_the_preview_is_still_kept(db, export):
    from coach.importers import apply_import, preview_import

    with Store(db) as store:
        preview = preview_import(store, "Marie", export)
        assert [w.status for w in preview.weeks] == ["new", "new", "new"]
        typed = CheckIn(week="2026-W04", posts=7, received=2, replies=1)
        store.save_checkin("Marie", typed)  # typed in another window before confirming
        written = apply_import(store, "Marie", preview)
        assert written == {"2026-W03": "created", "2026-W05": "created"}
        assert store.get_checkin("Marie", "2026-W04") == typed


def test_json_output_for_scripts(capsys, db, export):
    code, out, _ = run(
        capsys, export, "--profile", "Marie", "--db", db, "--format", "json", "--dry-run"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["platform"] == "linkedin" and doc["timezone"] == "America/Toronto"
    assert doc["zoneless_as_utc"] is True and doc["dry_run"] is True and doc["written"] == {}
    assert doc["summary"] == {"new": 3, "unchanged": 0, "update": 0, "conflict": 0}
    w03 = doc["weeks"][0]
    assert w03["week"] == "2026-W03" and w03["status"] == "new"
    assert w03["figures"]["response_rate"] == pytest.approx(66.67, abs=0.01)
    assert w03["after"]["replies"] == 2 and w03["after"]["source"] == "import:linkedin"


def test_me_option_changes_whose_messages_are_the_managers(capsys, db, export):
    code, out, _ = run(
        capsys,
        export,
        "--profile",
        "Marie",
        "--db",
        db,
        "--me",
        "Jean Dubois",
        "--format",
        "json",
        "--dry-run",
    )
    assert code == 0
    assert json.loads(out)["me"] == "Jean Dubois"


def test_x_archive_saves_posts_and_says_received_is_unknown(capsys, db):
    code, out, _ = run(
        capsys, FIXTURES / "x" / "tweets.js", "--profile", "Marie", "--db", db, "--lang", "en"
    )
    assert code == 0
    assert "X archives do not list what you received" in out
    w03 = checkins(db)["2026-W03"]
    assert (w03.posts, w03.received, w03.replies, w03.source) == (1, 0, 0, "import:x")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_INPUTS = {
    "letter.txt": (b"Dear board,\nthis is not an export.\n", "not a recognised export"),
    "messages.csv": (b"CONVERSATION ID,FROM\nc1,Ann\n", "line 1: the required column “DATE”"),
    "Shares.csv": (
        b"Date,ShareLink\n2026-01-13 13:30:00,u\nlast tuesday,u\n",
        "line 3: cannot read the date",
    ),
    "empty.csv": (b"", "the file is empty"),
    "tweets.js": (
        b'window.YTD.tweets.part0 = [ {"tweet": {"created_at": "Tue Jan 13',
        "line 1: the JSON is invalid",
    ),
    "bomb.zip": (_zip({"messages.csv": b"0" * (20 * 1024 * 1024)}), "bomb.zip › messages.csv"),
    "unsafe.zip": (_zip({"../../evil/messages.csv": b"x"}), "“../../evil/messages.csv”"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_a_sentence_naming_the_file_and_nothing_is_written(capsys, db, tmp_path, name):
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(capsys, path, "--profile", "Marie", "--db", db, "--lang", "en")
    assert code == 1
    assert name in err and expected in err
    assert "Traceback" not in err and out == ""
    assert checkins(db) == {}


def test_file_over_the_size_cap(capsys, db, tmp_path, monkeypatch):
    from coach.importers import files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1024)
    path = tmp_path / "messages.csv"
    path.write_bytes((LINKEDIN / "messages.csv").read_bytes())
    code, _, err = run(capsys, path, "--profile", "Marie", "--db", db, "--lang", "fr")
    assert code == 1
    assert err.startswith(typeset("messages.csv : le fichier fait", "fr"))
    assert "au-delà de la limite" in err and "Rien n’a été importé" in err
    assert checkins(db) == {}


def test_unknown_profile_and_bad_since(capsys, db, export):
    code, _, err = run(capsys, export, "--profile", "Nobody", "--db", db, "--lang", "en")
    assert code == 1 and "Nobody" in err
    code, _, err = run(
        capsys, export, "--profile", "Marie", "--db", db, "--since", "last week", "--lang", "en"
    )
    assert code == 1 and "“last week” is not a date" in err


def test_since_leaves_out_older_weeks(capsys, db, export):
    run(capsys, export, "--profile", "Marie", "--db", db, "--since", "2026-01-19")
    assert sorted(checkins(db)) == ["2026-W04", "2026-W05"]


def test_runs_as_a_module(db, export):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coach",
            "import",
            str(export),
            "--profile",
            "Marie",
            "--db",
            db,
            "--lang",
            "fr",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert typeset("Semaines enregistrées pour Marie : 3.", "fr") in done.stdout
