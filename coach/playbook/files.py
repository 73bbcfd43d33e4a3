"""Playbook files: find them, read them, check them, load them.

`validate_file` lists every problem in a file at once, each with its line;
`load_playbook` returns a `Playbook` or raises `PlaybookInvalid`. Reading is bounded
(size, depth, aliases: coach/yamlsafe.py); a file that cannot be read is one problem.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.model import Playbook
from coach.playbook.build import build
from coach.playbook.document import check_document
from coach.problems import Problem, problems_text
from coach.yamlsafe import YamlProblem, load_file

PLAYBOOKS_DIR = Path(__file__).resolve().parents[2] / "playbooks"
DEFAULT_PLAYBOOK = "executive-presence"


class PlaybookInvalid(CoachError):
    """A playbook that cannot be loaded; `.problems` lists every reason."""

    def __init__(self, path: str, problems: list[Problem], /) -> None:
        super().__init__("engine.playbook.invalid", path=path, count=len(problems))
        self.path = path
        self.problems = problems

    def message(self, lang: str) -> str:
        return problems_text(self.problems, lang)


def _read(path: str | os.PathLike[str]) -> tuple[bool, Any, list[Problem]]:
    """(readable, document, problems found while reading)."""
    shown = str(path)
    try:
        doc, soft = load_file(path)
    except YamlProblem as err:
        return False, None, [Problem(shown, err.line, err.key, err.params)]
    return True, doc, [Problem(shown, p.line, p.key, p.params) for p in soft]


def validate_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in a playbook file (empty list: valid)."""
    readable, doc, problems = _read(path)
    if not readable:
        return problems
    return sorted(problems + check_document(doc, str(path)), key=lambda p: p.line)


def load_playbook(path: str | os.PathLike[str]) -> Playbook:
    """The playbook at `path`, or PlaybookInvalid listing every problem."""
    readable, doc, problems = _read(path)
    if readable:
        problems = sorted(problems + check_document(doc, str(path)), key=lambda p: p.line)
    if problems:
        raise PlaybookInvalid(str(path), problems)
    return build(doc, str(path))


def default_playbook_path() -> Path:
    return PLAYBOOKS_DIR / f"{DEFAULT_PLAYBOOK}.yaml"


def list_playbooks(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """The YAML files in the playbooks folder, sorted."""
    base = Path(folder) if folder else PLAYBOOKS_DIR
    return sorted(p for p in base.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def find_playbook(playbook_id: str, folder: str | os.PathLike[str] | None = None) -> Path | None:
    """The file whose `id:` is playbook_id (file name first, then content)."""
    candidates = list_playbooks(folder)
    for path in candidates:
        if path.stem == playbook_id:
            return path
    pattern = re.compile(rf"^id:\s*['\"]?{re.escape(playbook_id)}['\"]?\s*$", re.M)
    for path in candidates:
        try:
            if pattern.search(path.read_text(encoding="utf-8", errors="replace")[:4000]):
                return path
        except OSError:
            continue
    return None
