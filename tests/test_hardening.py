"""Hostile files (issue 11): refused with a sentence, exit 1, never a crash of the process.

Deeply nested documents are run in a child process: before the fix they ended the
interpreter with a segmentation fault, which would take pytest down with them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coach import yamlsafe
from coach.yamlsafe import YamlProblem

ROOT = Path(__file__).resolve().parents[1]
UNEXPECTED = ("Something unexpected went wrong", "Une erreur inattendue")
DEEP = 60_000  # the issue's repro: 120 KB of brackets


def coach(*argv: str, env_lang: str = "en") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coach", *argv, "--lang", env_lang],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def deep_documents() -> dict[str, str]:
    block = "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 2000)) + " " * 2000 + "c: 1\n"
    return {
        "flow-sequence": "a: " + "[" * DEEP + "]" * DEEP + "\n",
        "flow-mapping": "a: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n",
        "block-mapping": block,
        "json": '{"a": ' + "[" * DEEP + "]" * DEEP + "}\n",
    }


# ---- YAML: depth, before composing --------------------------------------------------------------


@pytest.mark.parametrize("shape", list(deep_documents()))
def test_a_deeply_nested_document_is_refused_without_being_composed(shape):
    with pytest.raises(YamlProblem) as caught:
        yamlsafe.parse(deep_documents()[shape])
    assert caught.value.key == "yaml.too_deep"
    assert caught.value.params == {"max": yamlsafe.MAX_DEPTH}


def test_the_refusal_names_the_line_where_it_gets_too_deep():
    text = "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 100))
    with pytest.raises(YamlProblem) as caught:
        yamlsafe.parse(text)
    assert caught.value.line == yamlsafe.MAX_DEPTH + 1


def test_nesting_up_to_the_limit_still_reads():
    depth = yamlsafe.MAX_DEPTH
    value, problems = yamlsafe.parse("[" * depth + "1" + "]" * depth)
    for _ in range(depth):
        value = value[0]
    assert value == 1 and problems == []


def test_aliases_cannot_add_depth_past_the_limit():
    text = "a: &a " + "[" * 40 + "1" + "]" * 40 + "\nb: " + "[" * 40 + "*a" + "]" * 40 + "\n"
    with pytest.raises(YamlProblem) as caught:
        yamlsafe.parse(text)
    assert caught.value.key == "yaml.too_deep"


@pytest.mark.parametrize(
    ("command", "lang", "expected"),
    [
        (("validate",), "en", "nests more than 64 levels deep"),
        (("assess", "--answers"), "en", "nests more than 64 levels deep"),
        (("plan", "--answers"), "fr", "imbriqué sur plus de 64 niveaux"),
    ],
)
def test_the_issues_deep_file_is_a_sentence_and_exit_1(tmp_path, command, lang, expected):
    path = tmp_path / "deep.yaml"
    path.write_text(deep_documents()["flow-sequence"], encoding="utf-8")
    done = coach(*command, str(path), env_lang=lang)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert expected in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    assert not any(u in done.stderr for u in UNEXPECTED)


def test_a_deep_playbook_beside_a_good_one_is_listed_as_invalid_and_the_process_lives(tmp_path):
    """What Home and Settings do for every file in playbooks/ (coach.ui.state.playbook_files)."""
    (tmp_path / "deep.yaml").write_text(deep_documents()["flow-mapping"], encoding="utf-8")
    (tmp_path / "good.yaml").write_bytes(
        (ROOT / "playbooks" / "executive-presence.yaml").read_bytes()
    )
    script = (
        "import sys\n"
        "from coach.playbook import list_playbooks, validate_file\n"
        "for path in list_playbooks(sys.argv[1]):\n"
        "    print(path.name, [p.render('en') for p in validate_file(path)])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    deep, good = done.stdout.splitlines()
    assert deep.startswith("deep.yaml") and "nests more than 64 levels deep" in deep
    assert good == "good.yaml []"


# ---- YAML: numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "literal",
    ["9" * 400, "-" + "9" * 400, str(2**63), "0x" + "f" * 17, "1" + ":1" * 400, ".inf", ".nan"],
    ids=["400-digits", "negative", "2**63", "hex", "base-60", "inf", "nan"],
)
def test_numbers_nothing_can_hold_are_refused_at_load(literal):
    with pytest.raises(YamlProblem) as caught:
        yamlsafe.parse(f"x: 1\nreach.touchpoints: {literal}\n")
    assert caught.value.key == "yaml.bad_scalar"
    assert caught.value.line == 2
    assert len(caught.value.params["value"]) <= 40


def test_large_but_real_numbers_still_read():
    value, _ = yamlsafe.parse(f"a: {2**63 - 1}\nb: 1.5e+300\nc: -12\n")
    assert value == {"a": 2**63 - 1, "b": 1.5e300, "c": -12}


@pytest.mark.parametrize("command", ["assess", "plan"])
@pytest.mark.parametrize(("lang", "expected"), [("en", "cannot be read"), ("fr", "illisible")])
def test_a_400_digit_answer_is_a_sentence_and_exit_1(tmp_path, capsys, command, lang, expected):
    from coach.cli import main

    path = tmp_path / "answers.yaml"
    path.write_text(f"reach.touchpoints: {'9' * 400}\n", encoding="utf-8")
    code = main([command, "--answers", str(path), "--lang", lang])
    err = capsys.readouterr().err
    assert code == 1
    assert expected in err and "answers.yaml:1" in err
    assert not any(u in err for u in UNEXPECTED)


# ---- JSON: the bounded loader the importers and profile import share ----------------------------


def test_bounded_json_reads_what_json_reads():
    from coach import safejson

    text = '{"a": [1, -2, 3.5, 1e300, "[[{{", {"b": null, "c": true}], "d": "\\"]"}'
    assert safejson.loads(text, file="x.json") == __import__("json").loads(text)


@pytest.mark.parametrize("shape", ["[", '{"a":'])
def test_bounded_json_refuses_deep_nesting_with_the_line(shape):
    from coach import safejson

    closing = "]" if shape == "[" else "}"
    text = '{"ok": 1,\n"deep":\n' + shape * DEEP + "1" + closing * DEEP + "}"
    with pytest.raises(safejson.JsonProblem) as caught:
        safejson.loads(text, file="profile.json")
    assert caught.value.key == "importers.json.too_deep"
    assert caught.value.params["line"] == 3
    assert caught.value.message("en").startswith("profile.json, line 3:")
    assert "64 niveaux" in caught.value.message("fr")


def test_bounded_json_nesting_up_to_the_limit_still_reads():
    from coach import safejson

    depth = safejson.MAX_DEPTH
    value = safejson.loads("[" * depth + "]" * depth, file="x.json")
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


@pytest.mark.parametrize(
    "number", ["9" * 400, "-" + "9" * 5000, str(2**63), "1e400", "-1E400", "NaN", "Infinity"]
)
def test_bounded_json_refuses_numbers_no_figure_can_hold(number):
    from coach import safejson

    with pytest.raises(safejson.JsonProblem) as caught:
        safejson.loads('{"hours_per_week": ' + number + "}", file="profile.json")
    assert caught.value.key == "importers.json.bad_number"
    assert "profile.json" in caught.value.message("en")


def test_bounded_json_syntax_errors_stay_json_errors():
    import json

    from coach import safejson

    with pytest.raises(json.JSONDecodeError):
        safejson.loads('{"a": [1, 2', file="x.json")


# ---- imports: a stray date does not fill thousands of weeks -------------------------------------


def test_a_stray_1970_event_in_a_csv_is_set_aside_in_the_preview(tmp_path):
    from datetime import date

    from coach.importers import preview_import
    from coach.store import Store

    csv = (
        "timestamp,kind\n"
        "1970-01-01T00:00:00Z,post\n"
        "2026-11-02T10:00:00-05:00,post\n"
        "2026-11-16T10:00:00-05:00,post\n"
    )
    with Store(tmp_path / "coach.db") as store:
        store.create_profile("Marie", language="fr", timezone="America/Toronto")
        preview = preview_import(
            store, "Marie", csv.encode(), "activity.csv", today=date(2026, 11, 28)
        )
    assert [w.week for w in preview.weeks] == ["2026-W45", "2026-W46", "2026-W47"]
    said = " ".join(preview.messages("fr"))
    assert "mis de côté : 1" in said.replace("\u00a0", " ") and "1969-12-31" in said


# ---- weeks are written with ASCII digits only ---------------------------------------------------

OTHER_DIGITS = [
    "２０２６-W４７",
    "٢٠٢٦-W47",
    "2026-W٤٧",
    "𝟮𝟬𝟮𝟲-W47",
]  # full-width, Arabic-Indic, math


@pytest.mark.parametrize("week", [*OTHER_DIGITS, " 2026-W47", "2026-W47 ", "2026-W47\n"])
def test_a_week_in_other_digits_or_with_spaces_is_not_a_week(week):
    from coach.checkin import parse_week
    from coach.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        parse_week(week)
    assert caught.value.key == "tracking.error.week_malformed"
    assert week in caught.value.message("en")


def test_the_stored_form_still_reads():
    from datetime import date

    from coach.checkin import parse_week

    assert parse_week("2026-W47") == date(2026, 11, 16)


@pytest.mark.parametrize("week", OTHER_DIGITS[:1])
def test_checkin_with_full_width_digits_writes_no_second_row(tmp_path, capsys, week):
    from coach.cli import main
    from coach.store import Store

    db = tmp_path / "w.db"
    with Store(db) as store:
        store.create_profile("alice", language="en", timezone="America/Toronto")
    argv = ["checkin", "--profile", "alice", "--week", week, "--posts", "3", "--db", str(db)]
    try:
        code = main([*argv, "--lang", "en"])
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code not in (0, None)
    assert "is not a valid week" in err and not any(u in err for u in UNEXPECTED)
    with Store(db) as store:
        assert store.list_checkins("alice") == []


@pytest.mark.parametrize("week", [" 2026-W07", "２０２６-W０７"])
def test_a_profile_export_with_an_odd_week_is_refused_whole(tmp_path, capsys, week):
    import json

    from coach.cli import main
    from coach.store import Store

    db = tmp_path / "w.db"
    with Store(db) as store:
        store.create_profile("alice", language="en", timezone="America/Toronto")
        doc = store.export_profile("alice")
    doc["profile"]["name"] = "copy"
    doc["checkins"] = [{"week": week, "posts": 1, "received": 0, "replies": 0}]
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code = main(["profile", "import", str(path), "--db", str(db), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1 and not any(u in err for u in UNEXPECTED)
    with Store(db) as store:
        assert [p.name for p in store.list_profiles()] == ["alice"]


# ---- server settings and the README -------------------------------------------------------------


def test_the_server_never_shows_a_stack_trace_in_the_browser():
    """What Streamlit itself reads from .streamlit/config.toml, not the file's text."""
    done = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    settings = [line.strip() for line in done.stdout.splitlines()]
    assert 'showErrorDetails = "none"' in settings
    assert 'address = "localhost"' in settings


def test_the_readme_says_how_to_run_change_the_port_and_stop_the_server():
    import tomllib

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["requires-python"] == ">=3.11"
    assert "Python 3.11 or newer" in readme
    assert "--server.port 8600" in readme and "Ctrl+C" in readme
    assert "no login in local mode" in readme and "localhost" in readme


def test_the_ui_benchmark_skips_the_browser_figure_in_the_runtime_only_venv(tmp_path):
    """Without playwright and pytest (requirements.txt only), a sentence instead of a crash."""
    script = (
        "import sys\n"
        "sys.modules['playwright'] = None\n"  # as if not installed
        "sys.modules['pytest'] = None\n"
        "from pathlib import Path\n"
        "from bench.bench_ui import first_paint\n"
        "print(first_paint(Path(sys.argv[1])))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "ui.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "first paint: skipped (playwright is not installed: pip install -r requirements-dev.txt)",
        "True",
    ]
