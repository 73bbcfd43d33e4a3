"""The playbook's `pulse` section: parsed into typed objects, every mistake reported at its line."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from coach.playbook import default_playbook_path, load_playbook, validate_file
from coach.pulse import MIN_THRESHOLD, parse_pulse
from coach.typography import plain_spaces
from coach.yamlsafe import load_file
from tests.conftest import FIXTURES, ROOT

MINI = FIXTURES / "engine" / "mini.yaml"
SECTION = (FIXTURES / "pulse" / "pulse-section.yaml").read_text(encoding="utf-8")
SECTION_START = MINI.read_text(encoding="utf-8").count("\n") + 2  # line of "pulse:"


def playbook_with(tmp_path, section: str):
    path = tmp_path / "with-pulse.yaml"
    path.write_text(MINI.read_text(encoding="utf-8") + "\n" + section, encoding="utf-8")
    return path


def line_of(section: str, needle: str, occurrence: int = 0) -> int:
    """The file line of the section line holding `needle` (the first, or a later one)."""
    found = [i for i, text in enumerate(section.splitlines()) if needle in text]
    return SECTION_START + found[occurrence]


def test_the_default_playbook_ships_a_valid_pulse_that_states_its_threshold():
    playbook = load_playbook(default_playbook_path())
    pulse = playbook.pulse
    assert pulse is not None and pulse.threshold == MIN_THRESHOLD
    assert 5 <= len(pulse.questions) <= 8
    assert [q.id for q in pulse.text_items] == ["comment"]
    for lang in ("fr", "en"):
        intro = plain_spaces(pulse.intro_text(lang, "Marie Tremblay"))
        assert "5" in intro and "Marie Tremblay" in intro and "{" not in intro
    reach = pulse.question("reach")
    assert (
        reach.render("en", "Marie Tremblay")
        == "I know how to reach Marie Tremblay with a question."
    )
    assert "courriel" in pulse.intro.fr  # Québec French


def test_a_manager_name_with_braces_is_shown_as_written():
    pulse = load_playbook(default_playbook_path()).pulse
    assert "{threshold}" in pulse.question("trust").render("en", "{threshold}")


def test_a_playbook_without_pulse_still_loads():
    assert load_playbook(MINI).pulse is None


def test_the_section_appended_to_a_playbook_is_typed(tmp_path):
    playbook = load_playbook(playbook_with(tmp_path, SECTION))
    assert [q.id for q in playbook.pulse.scale_items] == [
        "reach",
        "relevance",
        "trust",
        "recommend",
    ]
    assert playbook.pulse.scale_labels[0].en == "Strongly disagree"
    assert playbook.pulse.question("reach").line == line_of(SECTION, "- id: reach")


BROKEN = [
    ("threshold: 5", "threshold: 3", "pulse.threshold_low", "threshold: 3"),
    ("threshold: 5", "threshold: many", "expect_int", "threshold: many"),
    (
        'en: "Anonymous. {manager} sees results from {threshold} answers."',
        'en: "Anonymous. {manager} sees results."',
        "pulse.intro_threshold",
        "intro:",
    ),
    (
        'en: "I trust what {manager} says publicly."',
        'en: "I trust what {boss} says publicly."',
        "pulse.placeholder",
        "I trust what {boss}",
    ),
    # the second "reach" is the one reported
    ("    - id: relevance", "    - id: reach", "duplicate_id", "- id: reach#1"),
    ("      type: text", "      type: essay", "bad_enum", "type: essay"),
    ("  scale_labels:", "  scale_lables:", "unknown_key_hint", "scale_lables:"),
    (
        '    - {fr: "Tout à fait d’accord", en: "Strongly agree"}\n',
        "",
        "five_scale_labels",
        "scale_labels:",
    ),
    (
        'text: {fr: "Je fais confiance à ce que {manager} dit publiquement.", en: "I trust what {manager} says publicly."}',
        'text: {fr: "Je fais confiance à ce que {manager} dit publiquement."}',
        "missing_translation",
        "Je fais confiance",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "at"), BROKEN, ids=[b[2] for b in BROKEN])
def test_each_mistake_is_reported_at_its_line(tmp_path, old, new, key, at):
    assert old in SECTION
    section = SECTION.replace(old, new, 1)
    problems = validate_file(playbook_with(tmp_path, section))
    needle, _, occurrence = at.partition("#")
    expected_line = line_of(section, needle, int(occurrence or 0))
    found = [(p.key, p.line) for p in problems]
    assert (key, expected_line) in found, [p.render("en") for p in problems]
    for lang in ("fr", "en"):
        for p in problems:
            text = p.render(lang)
            assert text.startswith(f"{p.path}:{p.line}: ") and "engine.problem" not in text


def test_too_few_questions_and_too_few_scales_are_both_reported(tmp_path):
    section = SECTION.split("    - id: relevance")[0]  # keeps one question
    problems = validate_file(playbook_with(tmp_path, section))
    keys = {p.key for p in problems}
    assert {"pulse.question_count", "pulse.scale_count"} <= keys
    message = next(p for p in problems if p.key == "pulse.question_count").render("en")
    assert "1 questions; a pulse has 5 to 8" in message


def test_a_pulse_that_is_not_a_mapping(tmp_path):
    problems = validate_file(playbook_with(tmp_path, "pulse: [1, 2]\n"))
    assert [(p.key, p.line) for p in problems] == [("not_mapping", SECTION_START)]


def test_parse_pulse_returns_nothing_when_anything_is_wrong(tmp_path):
    path = tmp_path / "section.yaml"
    path.write_text(SECTION.replace("threshold: 5", "threshold: 2"), encoding="utf-8")
    doc, _ = load_file(path)
    pulse, problems = parse_pulse(doc["pulse"])
    assert pulse is None and [p.key for p in problems] == ["pulse.threshold_low"]
    assert problems[0].line == 2


def test_the_schema_completes_and_flags_the_pulse():
    schema = json.loads((ROOT / "playbooks" / "playbook.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    doc = yaml.safe_load(default_playbook_path().read_text(encoding="utf-8"))
    doc = json.loads(json.dumps(doc, default=str))
    assert list(validator.iter_errors(doc)) == []
    doc["pulse"]["threshold"] = 2
    doc["pulse"]["questions"][0]["txet"] = "x"
    messages = " ".join(e.message for e in validator.iter_errors(doc))
    assert "2 is less than the minimum of 5" in messages and "txet" in messages


def test_the_employee_domain_stands_alone():
    """Pure domain: no Streamlit, no pages, no store, no service below it."""
    import subprocess
    import sys

    code = (
        "import sys, coach.pulse, coach.inbox;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'"
        " or m.startswith(('coach.ui', 'coach.store', 'coach.service', 'coach.exports')));"
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"
