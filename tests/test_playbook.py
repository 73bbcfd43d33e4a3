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
