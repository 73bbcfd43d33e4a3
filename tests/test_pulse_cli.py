"""`python -m coach pulse ...`: each forms export imported through the command, results and JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import time_machine

from coach.cli import main
from coach.store import Store
from tests.conftest import FIXTURES

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
DIR = FIXTURES / "pulse"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    with time_machine.travel(NOW, tick=False):
        with Store(path) as store:
            store.create_profile("Marie", language="en", start_date=date(2026, 11, 1))
        yield str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    with time_machine.travel(NOW, tick=False):
        code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    ("name", "fmt", "identity"),
    [
        ("google-forms-en.csv", "google-forms", "@example.com"),
        ("google-forms-fr.csv", "google-forms", "@example.com"),
        ("microsoft-forms-en.csv", "microsoft-forms", "@example.com"),
        ("microsoft-forms-fr.csv", "microsoft-forms", "@example.com"),
    ],
)
def test_each_forms_export_imports_through_the_command(capsys, db, name, fmt, identity):
    code, out, err = run(
        capsys, "pulse", "import", str(DIR / name), "--profile", "Marie", "--db", db, "--lang", "en"
    )
    assert (code, err) == (0, "")
    assert f"6 answers imported from a {fmt} export." in out
    assert "Pulse score: 65 / 100" in out
    assert "Weakest statement: When we raise a question, Marie follows up on it." in out
    assert identity not in out
    code, out, _ = run(
        capsys, "pulse", "results", "--profile", "Marie", "--db", db, "--format", "json"
    )
    rounds = json.loads(out)["rounds"]
    assert code == 0 and len(rounds) == 1
    assert rounds[0]["shown"] is True and rounds[0]["score"] == 65.0 and rounds[0]["answers"] == 6
    assert {i["id"]: i["mean"] for i in rounds[0]["items"]}["listening"] == 1.5


def test_four_answers_import_but_show_nothing(capsys, db):
    code, out, _ = run(
        capsys,
        "pulse",
        "import",
        str(DIR / "google-forms-four.csv"),
        "--profile",
        "Marie",
        "--db",
        db,
        "--lang",
        "fr",
    )
    assert code == 0 and "4 réponses reçues" in out and "Indice" not in out
    _, out, _ = run(
        capsys, "pulse", "results", "--profile", "Marie", "--db", db, "--format", "json"
    )
    (only,) = json.loads(out)["rounds"]
    assert only["shown"] is False and only["score"] is None
    assert all(item["mean"] is None for item in only["items"])


def test_open_close_and_a_bad_file(capsys, db, tmp_path):
    code, out, _ = run(
        capsys,
        "pulse",
        "open",
        "--profile",
        "Marie",
        "--db",
        db,
        "--days",
        "7",
        "--url",
        "https://intra.example/coach/",
        "--lang",
        "en",
    )
    assert code == 0 and "Round open until 2026-12-08." in out
    assert "https://intra.example/coach/?pulse=" in out
    code, _, err = run(capsys, "pulse", "open", "--profile", "Marie", "--db", db, "--lang", "en")
    assert code == 1 and "already open" in err
    code, out, _ = run(capsys, "pulse", "close", "--profile", "Marie", "--db", db, "--lang", "en")
    assert code == 0 and "0 answers received; results show from 5 answers" in out
    code, out, _ = run(capsys, "pulse", "close", "--profile", "Marie", "--db", db, "--lang", "en")
    assert code == 1 and "No round is open." in out
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run(
        capsys, "pulse", "import", str(bad), "--profile", "Marie", "--db", db, "--lang", "en"
    )
    assert code == 1 and "Nothing was imported." in err and "Traceback" not in err
    code, _, err = run(
        capsys,
        "pulse",
        "import",
        str(tmp_path / "missing.csv"),
        "--profile",
        "Marie",
        "--db",
        db,
        "--lang",
        "en",
    )
    assert code == 1 and "cannot be read" in err
