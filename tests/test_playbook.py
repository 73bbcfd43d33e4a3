"""The playbook validator: every problem at once, each with its line, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.playbook import PlaybookInvalid, load_playbook, validate_file
from tests.conftest import FIXTURES, ROOT

MINI = FIXTURES / "engine" / "mini.yaml"
INVALID = sorted((FIXTURES / "engine" / "invalid").glob("*.yaml"))


def expectation(path: Path) -> tuple[str, int]:
    match = re.match(
        r"# expect: (\S+) at line (\d+)", path.read_text(encoding="utf-8").splitlines()[0]
    )
    assert match, f"{path.name} must start with '# expect: KEY at line N'"
    return match.group(1), int(match.group(2))


def test_the_mini_playbook_is_valid_and_typed():
    assert validate_file(MINI) == []
    playbook = load_playbook(MINI)
    assert [d.id for d in playbook.dimensions] == ["presence", "responsiveness"]
    assert playbook.question("presence.posts").option("never").reason.en == "you never post"
    assert (
        playbook.level_for(0) == 1
        and playbook.level_for(59.9) == 3
        and playbook.level_for(100) == 5
    )


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_each_error_kind_is_reported_at_its_line(path):
    key, line = expectation(path)
    problems = validate_file(path)
    assert (key, line) in [(p.key, p.line) for p in problems], [p.render("en") for p in problems]
    with pytest.raises(PlaybookInvalid):
        load_playbook(path)


def test_every_problem_is_listed_at_once(tmp_path):
    text = MINI.read_text(encoding="utf-8")
    text = text.replace(
        "    dimension: presence\n    type: scale", "    dimension: presense\n    type: scale"
    )
    text = text.replace("depends_on: [presence.create-profile]", "depends_on: [nowhere]")
    text = text.replace(
        'title: {fr: "Animer une série", en: "Run a series"}', 'title: {fr: "Animer une série"}'
    )
    broken = tmp_path / "three.yaml"
    broken.write_text(text, encoding="utf-8")
    keys = sorted(p.key for p in validate_file(broken))
    assert keys == ["missing_translation", "unknown_action", "unknown_dimension"]


def test_messages_exist_in_both_languages():
    problem = validate_file(FIXTURES / "engine" / "invalid" / "cycle.yaml")[0]
    assert "dependency cycle: presence.create-profile -> presence.first-post" in problem.render(
        "en"
    )
    assert "cycle de dépendances" in problem.render("fr")


@pytest.mark.parametrize(
    "content, key",
    [
        (b"", "yaml.empty"),
        (b"   \n# only a comment\n", "yaml.empty"),
        (b"- a\n- b\n", "not_mapping"),
        (b"just a sentence", "not_mapping"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "yaml.binary"),
        (b"id: x\ntitle: caf\xe9\n", "yaml.not_utf8"),
        (b"a: !!python/object/apply:os.system ['echo hacked']\n", "yaml.tag"),
        (b"a: [1, 2\n", "yaml.syntax"),
        (b"---\na: 1\n---\nb: 2\n", "yaml.syntax"),
    ],
)
def test_hostile_or_odd_files_get_a_clear_message(tmp_path, content, key):
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    problems = validate_file(path)
    assert problems and problems[0].key == key
    assert problems[0].render("fr").startswith(f"{path}:")


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    problems = validate_file(path)
    assert problems[0].key == "yaml.too_many_nodes"
    assert time.perf_counter() - started < 10  # generous: the point is "does not hang"


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert validate_file(path)[0].key == "yaml.too_big"


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    assert validate_file(tmp_path / "nope.yaml")[0].key == "yaml.not_found"


def test_cli_validate_exit_codes_and_format():
    ok = subprocess.run(
        [sys.executable, "-m", "coach", "validate", str(MINI), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ok.returncode == 0 and "valid" in ok.stdout
    bad = FIXTURES / "engine" / "invalid" / "unknown-goal.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "coach", "validate", str(bad), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1
    assert re.match(rf"{re.escape(str(bad))}:\d+: ", run.stdout)
    assert "Traceback" not in run.stdout + run.stderr


def test_a_folder_is_a_problem_not_a_crash(tmp_path):
    assert validate_file(tmp_path)[0].key == "yaml.is_folder"


# ---- coaching judgement: habits, diagnoses, sequence rules, pacing, board asks -----------------

COACHING = """
diagnoses:
  - id: silent
    dimension: presence
    title: {fr: "Silencieux", en: "Silent"}
    why: {fr: "Vous ne publiez pas.", en: "You don't post."}
    when: {answer: presence.posts, in: [never]}
    actions: [presence.first-post]
sequence:
  - id: profile-first
    first: ["tag:foundation"]
    then: [presence.first-post]
    why: {fr: "le profil d’abord.", en: "profile first."}
pacing:
  habit_gap_weeks: 3
  habit_share: 0.5
board_asks:
  - id: time
    diagnoses: [silent]
    text: {fr: "Protéger une heure.", en: "Protect an hour."}
    why: {fr: "Pour tenir.", en: "To keep it up."}
"""


def _with(tmp_path, old: str, new: str, extra: str = COACHING) -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "coaching.yaml"
    path.write_text(text.replace(old, new) + extra, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_coaching_sections_load_into_typed_objects(tmp_path):
    path = _with(
        tmp_path,
        "    quick_win: true\n    when: {answer: presence.account, equals: false}",
        "    quick_win: true\n    tags: [foundation]\n    when: {answer: presence.account, equals: false}",
    )
    assert validate_file(path) == []
    playbook = load_playbook(path)
    assert playbook.diagnoses[0].actions == ("presence.first-post",)
    assert playbook.sequence[0].first == ("presence.create-profile",)
    assert playbook.pacing.habit_gap_weeks == 3 and playbook.pacing.habit_share == 0.5
    assert playbook.board_asks[0].diagnoses == ("silent",)


@pytest.mark.parametrize(
    ("old", "new", "key", "needle"),
    [
        (
            "    effort_hours: 6\n",
            "    effort_hours: 6\n    kind: habit\n    recurrence: FREQ=HOURLY\n    habit_hours: 1\n",
            "bad_rrule",
            "recurrence: FREQ=HOURLY",
        ),
        (
            "    effort_hours: 6\n",
            "    effort_hours: 6\n    kind: habit\n",
            "habit_needs",
            "- id: responsiveness.reply-within-a-day",
        ),
        (
            "    effort_hours: 6\n",
            "    effort_hours: 6\n    recurrence: FREQ=WEEKLY\n",
            "once_no_habit_field",
            "recurrence: FREQ=WEEKLY",
        ),
        (
            "    actions: [presence.first-post]",
            "    actions: [presence.last-post]",
            "unknown_action",
            "actions: [presence.last-post]",
        ),
        (
            '    first: ["tag:foundation"]',
            '    first: ["tag:nothing"]',
            "unknown_sequence_entry",
            'first: ["tag:nothing"]',
        ),
        (
            "    diagnoses: [silent]",
            "    diagnoses: [loud]",
            "unknown_diagnosis",
            "diagnoses: [loud]",
        ),
        ("  habit_share: 0.5", "  habit_share: 1.5", "share_range", "habit_share: 1.5"),
        (
            "    effort_hours: 6\n",
            "    effort_hours: 6\n    replaces: [presence.first-post]\n",
            "replaces_needs_habit",
            "replaces: [presence.first-post]",
        ),
        (
            "    effort_hours: 6\n",
            "    effort_hours: 6\n    kind: habit\n    recurrence: FREQ=WEEKLY\n"
            "    habit_hours: 1\n    replaces: [presence.first-post]\n",
            "replaces_habit_only",
            "replaces: [presence.first-post]",
        ),
        (
            '    first: ["tag:foundation"]',
            '    when: {answer: presence.nothing, equals: never}\n    first: ["tag:foundation"]',
            "cond.unknown_question",
            "when: {answer: presence.nothing",
        ),
        (
            "  habit_share: 0.5",
            "  habit_share: 0.5\n  max_plan_weeks: 0",
            "positive",
            "max_plan_weeks",
        ),
    ],
)
def test_coaching_mistakes_are_reported_at_their_line(tmp_path, old, new, key, needle):
    text = MINI.read_text(encoding="utf-8") + COACHING
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = validate_file(path)
    assert (key, _line_of(path, needle)) in [(p.key, p.line) for p in problems], [
        p.render("en") for p in problems
    ]
    assert all(p.render("fr") and p.render("en") for p in problems)


def test_a_sequence_rule_that_makes_a_cycle_is_refused(tmp_path):
    # first-post depends on create-profile; a rule putting first-post first closes a loop.
    rule = """
sequence:
  - id: backwards
    first: [presence.first-post]
    then: [presence.create-profile]
    why: {fr: "à l’envers.", en: "backwards."}
"""
    path = tmp_path / "cycle.yaml"
    path.write_text(MINI.read_text(encoding="utf-8") + rule, encoding="utf-8")
    assert "cycle" in [p.key for p in validate_file(path)]


def test_goal_baselines_and_ceilings_are_checked(tmp_path):
    old = "    targets: {1: 48, 2: 24, 3: 12, 4: 8, 5: 4}"
    new = old + (
        "\n    baseline: {question: presence.posts, values: {sometimes: 3}}"
        "\n    ceiling: {above: 1, low: 3, high: 2, why: {fr: \u0022x\u0022, en: \u0022x\u0022}}"
    )
    path = _with(tmp_path, old, new, "")
    keys = {p.key for p in validate_file(path)}
    assert {"cond.unknown_option", "ceiling_at_least", "low_above_high"} <= keys


def test_the_default_playbook_has_coaching_judgement_as_data():
    from coach.playbook import default_playbook_path

    playbook = load_playbook(default_playbook_path())
    assert len(playbook.diagnoses) >= 4 and len(playbook.board_asks) >= 6
    habits = [a for a in playbook.actions if a.kind == "habit"]
    assert habits and all(a.recurrence and a.habit_hours > 0 for a in habits)
    assert all(s.url.startswith("https://") and s.measured for s in playbook.sources)
    titles = {s.id: s.title for s in playbook.sources}
    assert titles["weber-shandwick-2015"] == "Socializing Your CEO III: From Marginal to Mainstream"
    q = playbook.question("responsiveness.employee-messages")
    assert q.option("never-write") is not None
    assert not playbook.question("context.role").scored


def test_french_playbook_texts_follow_the_oqlf_spacing_once_loaded():
    from coach.playbook import default_playbook_path

    playbook = load_playbook(default_playbook_path())
    texts = [a.why.fr for a in playbook.actions] + [h.fr for a in playbook.actions for h in a.how]
    texts += [a.title.fr for a in playbook.actions] + [g.description.fr for g in playbook.goals]
    texts += [r.why.fr for r in playbook.sequence] + [d.why.fr for d in playbook.diagnoses]
    for text in texts:
        assert " :" not in text and "« " not in text and " »" not in text, text
        assert not any(f" {mark}" in text for mark in "?!;"), text
    # English is left as written.
    assert any(": " in a.why.en for a in playbook.actions)


def test_new_coaching_keys_load(tmp_path):
    extra = COACHING.replace(
        "  habit_share: 0.5", "  habit_share: 0.5\n  quick_win_hours: 0.5\n  max_plan_weeks: 26"
    )
    path = _with(
        tmp_path,
        "    quick_win: true\n    when: {answer: presence.account, equals: false}",
        "    quick_win: true\n    tags: [foundation]\n    when: {answer: presence.account, equals: false}",
        extra,
    )
    playbook = load_playbook(path)
    assert playbook.pacing.quick_win_hours == 0.5 and playbook.pacing.max_plan_weeks == 26
    from coach.playbook import default_playbook_path

    default = load_playbook(default_playbook_path())
    half_day = default.action("responsiveness.reply-same-half-day")
    assert half_day.replaces == ("responsiveness.reply-within-a-day",)
    rule = next(r for r in default.sequence if r.id == "never-say-before-posting")
    assert rule.when is not None
    pulse = next(g for g in default.goals if g.id == "employee-pulse")
    assert pulse.tracked_when is not None


def test_pulse_and_review_texts_are_typeset_too():
    import dataclasses

    from coach.model import Text
    from coach.playbook import default_playbook_path

    playbook = load_playbook(default_playbook_path())
    found: list[Text] = []

    def walk(value):
        if isinstance(value, Text):
            found.append(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)

    walk(playbook.pulse)
    walk(playbook.reviews)
    assert len(found) > 20
    for text in found:
        assert " :" not in text.fr and "« " not in text.fr and " »" not in text.fr, text.fr


def test_an_id_written_as_a_mapping_is_a_problem_not_a_crash(tmp_path):
    """Board asks and choice baselines look ids up in sets: a mapping there raised TypeError."""
    text = MINI.read_text(encoding="utf-8").replace(
        "      - {id: never,", "      - {id: {never: 1},"
    )
    text = text.replace(
        "    targets: {1: 1, 2: 1, 3: 2, 4: 3, 5: 3}",
        "    targets: {1: 1, 2: 1, 3: 2, 4: 3, 5: 3}\n"
        "    baseline: {question: presence.posts, values: {sometimes: 3}}",
    )
    path = tmp_path / "odd-ids.yaml"
    path.write_text(text + COACHING.replace("  - id: silent\n", "  - id: {silent: 1}\n"))
    problems = [(p.key, p.line) for p in validate_file(path)]
    assert ("bad_id", _line_of(path, "- id: {silent: 1}")) in problems
    assert ("bad_id", _line_of(path, "- {id: {never: 1},")) in problems
    with pytest.raises(PlaybookInvalid):
        load_playbook(path)


def test_a_step_opens_only_a_page_the_app_has(tmp_path):
    """`opens` names the app page where a step is done; any other word gets file:line."""
    from coach.playbook import default_playbook_path, validate_file

    text = default_playbook_path().read_text(encoding="utf-8")
    assert "    opens: review\n" in text
    broken = tmp_path / "book.yaml"
    broken.write_text(text.replace("    opens: review\n", "    opens: twitter\n", 1), "utf-8")
    line = broken.read_text(encoding="utf-8").splitlines().index("    opens: twitter") + 1
    problems = validate_file(broken)
    assert [(p.line, p.key) for p in problems] == [(line, "bad_enum")]
    shown = problems[0].render("en")
    assert shown.startswith(f"{broken}:{line}: ") and "twitter" in shown and "review" in shown
