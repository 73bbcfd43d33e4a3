"""What is wrong in a playbook file, and where: `file:line: what is wrong`.

Every section of a playbook is checked by code that collects its problems the same way:
the loader's structural and semantic checks (coach/playbook/), the `pulse` section
(coach/pulse/definition.py) and the `reviews` section (coach/review/rules.py). A problem
is a catalogue key under `engine.problem.` with its params; a param written `@kind.text`
is a catalogue word, shown in the reader's language.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from coach.i18n import t
from coach.yamlsafe import line_at

LANGS = ("fr", "en")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a playbook file, at a line."""

    path: str
    line: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        params = {k: _localise(v, lang) for k, v in self.params.items()}
        return f"{self.path}:{self.line}: {t('engine.problem.' + self.key, lang, **params)}"


def _localise(value: Any, lang: str) -> Any:
    """Values such as '@kind.text' are catalogue words, shown in the reader's language."""
    if isinstance(value, str) and value.startswith("@"):
        return t("engine." + value[1:], lang)
    return value


def problems_text(problems: Iterable[Problem], lang: str) -> str:
    return "\n".join(p.render(lang) for p in problems)


def kind_word(value: Any) -> str:
    """What a value is, as a catalogue word (rendered in the reader's language)."""
    if value is None:
        return "@kind.null"
    if isinstance(value, bool):
        return "@kind.bool"
    if isinstance(value, (int, float)):
        return "@kind.number"
    if isinstance(value, str):
        return "@kind.text"
    return "@kind.list" if isinstance(value, list) else "@kind.mapping"


class Found(Protocol):
    """A problem found by another checker (conditions): a line, a key and params."""

    @property
    def line(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def params(self) -> dict[str, Any]: ...


class ProblemList:
    """Collects the problems of one playbook file, each at a line (never under 1)."""

    def __init__(self, path: str = "") -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, key: str, /, **params: Any) -> None:
        self.problems.append(Problem(self.path, max(1, line), key, params))

    def add_unknown_keys(
        self, entry: Mapping[Any, Any], known: Collection[str], line: int, where: str
    ) -> None:
        """Keys `entry` may not have: the closest known key as a hint, else the known ones."""
        for key in entry:
            if key not in known:
                close = difflib.get_close_matches(str(key), list(known), n=1)
                extra = {"hint": close[0]} if close else {"allowed": ", ".join(known)}
                problem = "unknown_key_hint" if close else "unknown_key"
                self.add(line_at(entry, key, line), problem, key=key, where=where, **extra)

    def add_missing_keys(
        self, entry: Mapping[Any, Any], required: Iterable[str], line: int, where: str
    ) -> None:
        for key in required:
            if key not in entry:
                self.add(line, "missing_key", key=key, where=where)

    def add_conditions(self, problems: Iterable[Found]) -> None:
        """The problems `conditions.check` found (their keys are already "cond.*")."""
        for p in problems:
            self.add(p.line, p.key, **p.params)

    def check_text(self, value: Any, line: int, where: str) -> bool:
        """Whether `value` is a text in both languages and no other; why not, when not."""
        if not isinstance(value, dict):
            self.add(line, "expect_text", where=where, got=kind_word(value))
            return False
        before = len(self.problems)
        line = getattr(value, "line", 0) or line
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(line, "missing_translation", where=where, lang=lang)
        for key in value:
            if key not in LANGS:
                self.add(line_at(value, key, line), "unknown_language", where=where, key=key)
        return len(self.problems) == before
