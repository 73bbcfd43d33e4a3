"""Parser pieces the commands share (coach/commands/arguments.py), as a person at the terminal meets them."""

from __future__ import annotations

from datetime import date

import pytest

from coach.cli import main
from coach.i18n import t
from coach.store import Store
from coach.typography import typeset


def run_exit(capsys, *argv: str) -> tuple[int, str, str]:
    """argparse's own answers (help, mistakes) end in SystemExit."""
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    return info.value.code, out, err


def test_the_import_command_describes_its_file_and_profile_in_french(capsys):
    code, out, _ = run_exit(capsys, "import", "--help", "--lang", "fr")
    flat = " ".join(out.split())  # argparse wraps the help at the terminal's width
    assert code == 0
    for key in ("file", "profile", "dry_run"):
        assert " ".join(t(f"importers.cli.{key}", "fr").split()) in flat
    assert "FILE" in out and "--profile NAME" in out


def test_the_import_command_asks_for_its_profile_in_one_sentence(capsys, tmp_path):
    code, _, err = run_exit(capsys, "import", str(tmp_path / "x.csv"), "--lang", "fr")
    assert code == 2 and "usage:" not in err
    assert err.splitlines() == [
        t("engine.cli.args.required", "fr", names="--profile"),
        t("tracking.cli.see_help", "fr", command="python -m coach import"),
    ]


def test_a_wrong_start_date_for_plan_is_the_engine_sentence(capsys, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("{}\n", encoding="utf-8")
    code, _, err = run_exit(
        capsys, "plan", "--answers", str(answers), "--start", "demain", "--lang", "fr"
    )
    assert code == 2 and "usage:" not in err
    assert typeset("« demain » n’est pas une date", "fr") in err


def test_a_pasted_date_with_spaces_is_read_and_an_impossible_one_quoted(capsys, tmp_path):
    db = str(tmp_path / "coach.db")
    assert main(["profile", "create", "X", "--start", " 2026-01-12 ", "--db", db]) == 0
    with Store(db) as store:
        assert store.get_profile("X").start_date == date(2026, 1, 12)
    code, _, err = run_exit(
        capsys, "profile", "set", "X", "--start", "2026-13-01", "--db", db, "--lang", "en"
    )
    assert code == 2 and "“2026-13-01” is not a date; write it as YYYY-MM-DD" in err
