"""Local mode: pulse results from Google Forms and Microsoft Forms CSV exports, identity dropped."""

from __future__ import annotations

from datetime import date

import pytest

from coach.errors import InvalidInput
from coach.playbook import default_playbook_path, load_playbook
from coach.pulse import comments, read_forms_csv, summarise_round
from coach.pulse.forms import day_of
from tests.conftest import FIXTURES

PULSE = load_playbook(default_playbook_path()).pulse
TODAY = date(2026, 12, 1)
DIR = FIXTURES / "pulse"
MEANS = {"reach": 4.0, "relevance": 4.0, "trust": 4.0, "listening": 1.5, "recommend": 4.5}
IDENTITIES = ("@example.com", "Employé Numéro", "anonymous", "AM EST", "9:12", "10:03")


def read(name: str, round_id: str = "import-1"):
    return read_forms_csv(PULSE, (DIR / name).read_bytes(), round_id, TODAY)


@pytest.mark.parametrize(
    ("name", "fmt", "dropped"),
    [
        ("google-forms-en.csv", "google-forms", ("Timestamp", "Email Address")),
        ("google-forms-fr.csv", "google-forms", ("Horodateur", "Adresse e-mail")),
        (
            "microsoft-forms-en.csv",
            "microsoft-forms",
            ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time"),
        ),
        (
            "microsoft-forms-fr.csv",
            "microsoft-forms",
            ("ID", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom"),
        ),
    ],
)
def test_each_export_gives_the_same_results_with_identity_dropped(name, fmt, dropped):
    imported = read(name)
    assert imported.format == fmt and imported.round.source == f"import:{fmt}"
    assert imported.questions == (
        "reach",
        "relevance",
        "trust",
        "listening",
        "recommend",
        "comment",
    )
    assert imported.dropped_columns == dropped
    assert len(imported.answers) == 6
    kept = repr(imported.answers)
    assert not any(identity in kept for identity in IDENTITIES)
    assert imported.round.opened == date(2026, 11, 24) and imported.round.closed == date(
        2026, 11, 25
    )
    summary = summarise_round(PULSE, imported.round, imported.answers, TODAY)
    assert summary.shown and {i.id: i.mean for i in summary.items} == MEANS
    assert summary.weakest == "listening" and summary.counted == 6
    assert sorted(comments(imported.round, imported.answers)) == [
        "Answer the questions in the team channel.",
        "More town halls, please.",
        "Tell us why decisions are made.",
    ]


def test_an_export_with_four_answers_shows_nothing():
    imported = read("google-forms-four.csv")
    summary = summarise_round(PULSE, imported.round, imported.answers, TODAY)
    assert len(imported.answers) == 4 and not summary.shown and summary.score is None
    assert comments(imported.round, imported.answers) == ()


def test_a_blank_column_leaves_that_item_hidden(tmp_path):
    text = (DIR / "google-forms-en.csv").read_text(encoding="utf-8").splitlines()
    rows = [text[0]]
    for i, line in enumerate(text[1:]):
        cells = line.split('","')
        if i < 2:
            cells[4] = ""  # trust left blank by two people: four ratings remain
        rows.append('","'.join(cells))
    imported = read_forms_csv(PULSE, "\n".join(rows).encode(), "r", TODAY)
    summary = summarise_round(PULSE, imported.round, imported.answers, TODAY)
    trust = next(i for i in summary.items if i.id == "trust")
    assert summary.shown and trust.mean is None


def test_a_bad_cell_stops_the_import_with_its_row_and_column():
    data = (DIR / "google-forms-en.csv").read_bytes().replace(b'"3","4","5"', b'"3","maybe","5"')
    with pytest.raises(InvalidInput) as err:
        read_forms_csv(PULSE, data, "r", TODAY)
    assert err.value.key == "pulse.import.bad_value"
    message = err.value.message("en")
    assert "Row 4" in message and "Marie Tremblay shares things" in message and "maybe" in message
    assert "Ligne 4" in err.value.message("fr")


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "pulse.import.empty"),
        (b"\x00\x01binary", "pulse.import.not_csv"),
        (b"Date,Posts\n2026-11-24,3\n", "pulse.import.unknown_format"),
        (
            b'"Timestamp","Favourite colour"\n"2026/11/24 9:00:00 AM EST","blue"\n',
            "pulse.import.no_questions",
        ),
        (b'"Timestamp","I trust what Marie says publicly."\n', "pulse.import.no_answers"),
        (b"x" * (5 * 1024 * 1024 + 1), "pulse.import.too_big"),
    ],
    ids=[
        "empty",
        "binary",
        "other-csv",
        "no-question",
        "no-row",
        "too-big",
    ],
)
def test_files_that_are_not_a_pulse_export_get_a_sentence(data, key):
    with pytest.raises(InvalidInput) as err:
        read_forms_csv(PULSE, data, "r", TODAY)
    assert err.value.key == key
    assert not err.value.message("fr").startswith("pulse.")


def test_an_oversized_comment_is_refused_with_its_row():
    data = (
        (DIR / "google-forms-en.csv").read_bytes().replace(b"More town halls, please.", b"x" * 1200)
    )
    with pytest.raises(InvalidInput) as err:
        read_forms_csv(PULSE, data, "r", TODAY)
    assert err.value.key == "pulse.import.text_too_long" and err.value.params["row"] == 2


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2026/11/24 9:12:45 AM EST", date(2026, 11, 24)),
        ("11/24/2026 9:12:45", date(2026, 11, 24)),
        ("11/24/26 9:12", date(2026, 11, 24)),
        ("24/11/2026 09:12", date(2026, 11, 24)),
        ("2026-11-24 09:12:45", date(2026, 11, 24)),
        ("soon", None),
        ("2026/13/45", None),
    ],
)
def test_only_the_day_is_read_from_a_timestamp(cell, day):
    assert day_of(cell) == day
