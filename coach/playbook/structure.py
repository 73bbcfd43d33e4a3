"""The structural checks `SPEC` drives, and the helpers every later check shares.

`Checker` walks a document against SPEC (keys, kinds, texts in both languages, targets)
and collects problems like every other section (coach/problems.py). The semantic checks
(coach/playbook/questions.py, actions.py, coaching.py) read the document through the
helpers below, which pass over what the structural checks have already reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeGuard

from coach import conditions
from coach.playbook.spec import ID_PATTERN, LANGS, SPEC
from coach.problems import ProblemList, kind_word
from coach.yamlsafe import Map, Seq


def is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and re.match(ID_PATTERN, value) is not None


def _is_str(value: Any) -> bool:
    """Text, or a number written where text is expected (YAML reads 2026 as a number)."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_languages(value: Any) -> bool:
    return isinstance(value, list) and sorted(map(str, value)) == sorted(LANGS)


def _is_whole(value: Any) -> bool:
    """A whole number for the limits below (true and false count as 1 and 0 there)."""
    return isinstance(value, int)


# Scalar kinds: (does the value fit?, the problem when not, what the problem names:
# "value" the value itself, "got" the kind found, "" nothing).
_SCALARS: dict[str, tuple[Callable[[Any], bool], str, str]] = {
    "id": (_is_id, "bad_id", "value"),
    "str": (_is_str, "expect_str", "got"),
    "int": (_is_int, "expect_int", "got"),
    "number": (is_number, "expect_number", "got"),
    "bool": (lambda v: isinstance(v, bool), "expect_bool", "got"),
    "languages": (_is_languages, "bad_languages", ""),
}

# What a number must also be, once it is one: (the values tested, what they must satisfy,
# the problem when they do not). "positive" names the key it is about.
LIMITS: dict[str, tuple[Callable[[Any], bool], Callable[[Any], bool], str]] = {
    "positive": (is_number, lambda v: v > 0, "positive"),
    "score": (is_number, lambda v: 0 <= v <= 1, "score_range"),
    "share": (is_number, lambda v: 0 < v <= 1, "share_range"),
    "level": (_is_whole, lambda v: 1 <= v <= 5, "level_range"),
    "weeks": (_is_whole, lambda v: v >= 1, "positive"),
    "count": (_is_whole, lambda v: v >= 0, "positive"),
}


def level_key(key: Any) -> int | None:
    """Target keys are levels 1..5, written 1 or "1"."""
    if isinstance(key, str) and key.isdigit():
        key = int(key)
    return key if isinstance(key, int) and not isinstance(key, bool) and 1 <= key <= 5 else None


class Checker(ProblemList):
    """The structural checks SPEC drives; problems collect as for every section."""

    def check_object(self, value: Any, name: str, line: int, where: str) -> bool:
        if not isinstance(value, Map):
            self.add(
                getattr(value, "line", 0) or line, "not_mapping", where=where, got=kind_word(value)
            )
            return False
        spec = SPEC[name]
        self.add_unknown_keys(value, spec, value.line, where)
        for key, (kind, required) in spec.items():
            if key not in value:
                if required:
                    self.add(value.line, "missing_key", key=key, where=where)
                continue
            self.check_value(value[key], kind, value.line_of(key), f"{where}.{key}")
        return True

    def check_value(self, value: Any, kind: str, line: int, where: str) -> None:
        if kind.startswith("list:"):
            if not isinstance(value, Seq):
                self.add(line, "expect_list", where=where, got=kind_word(value))
                return
            for index, item in enumerate(value):
                item_line = value.line_of(index) if hasattr(value, "line_of") else line
                label = (
                    item.get("id")
                    if isinstance(item, Map) and isinstance(item.get("id"), str)
                    else index + 1
                )
                self.check_value(item, kind[5:], item_line, f"{where}[{label}]")
        elif kind in SPEC:
            self.check_object(value, kind, line, where)
        elif kind.startswith("enum:"):
            choices = kind[5:].split("|")
            if value not in choices:
                self.add(line, "bad_enum", where=where, value=value, allowed=", ".join(choices))
        else:
            self.check_scalar(value, kind, line, where)

    def check_scalar(self, value: Any, kind: str, line: int, where: str) -> None:
        if kind == "text":
            self.check_text(value, line, where)
        elif kind == "targets":
            self.check_targets(value, line, where)
        elif kind == "number_map":
            self.check_number_map(value, line, where)
        elif kind in _SCALARS:
            holds, problem, names = _SCALARS[kind]
            if not holds(value):
                params = {"value": value} if names == "value" else {"got": kind_word(value)}
                self.add(line, problem, where=where, **(params if names else {}))
        # "condition" is checked later, with the references at hand

    def check_number_map(self, value: Any, line: int, where: str) -> None:
        if not isinstance(value, Map):
            self.add(line, "expect_number_map", where=where)
            return
        for key in value:
            if not is_number(value[key]):
                self.add(
                    value.line_of(key),
                    "expect_number",
                    where=f"{where}.{key}",
                    got=kind_word(value[key]),
                )

    def check_targets(self, value: Any, line: int, where: str) -> None:
        if not isinstance(value, Map):
            self.add(line, "expect_targets", where=where)
            return
        for key in value:
            level = level_key(key)
            if level is None:
                self.add(value.line_of(key), "bad_target_level", where=where, key=key)
            elif not is_number(value[key]) or value[key] < 0:
                self.add(value.line_of(key), "bad_target", where=where, key=key)
        present = {level_key(k) for k in value}
        missing = [str(n) for n in range(1, 6) if n not in present]
        if missing:
            self.add(value.line, "missing_targets", where=where, levels=", ".join(missing))

    # ---- used by the semantic checks ----

    def check_limit(self, entry: Map, key: str, limit: str) -> None:
        """The problem LIMITS names when `entry[key]` is a number outside `limit`."""
        tested, holds, problem = LIMITS[limit]
        value = entry.get(key)
        if tested(value) and not holds(value):
            self.add(entry.line_of(key), problem, **({"key": key} if problem == "positive" else {}))

    def check_condition(self, entry: Map, key: str, refs: dict[str, Any], **options: Any) -> None:
        """The condition under `key`, when there is one (scores allowed unless told)."""
        if key in entry:
            options.setdefault("allow_scores", True)
            self.add_conditions(
                conditions.check(entry[key], refs, line=entry.line_of(key), **options)
            )

    def check_known(self, entry: Map, key: str, known: Any, problem: str) -> None:
        """Each id listed under `key` must be one of `known`."""
        listed = as_seq(entry.get(key))
        for index, name in enumerate(listed):
            if isinstance(name, str) and name not in known:
                self.add(listed.line_of(index), problem, id=name)

    def check_ids(self, entries: list[tuple[int, Map]], what: str) -> dict[str, Map]:
        """The entries by id; a second entry with the same id is a problem."""
        seen: dict[str, Map] = {}
        for _line, entry in entries:
            eid = entry.get("id")
            if not isinstance(eid, str):
                continue
            if eid in seen:
                self.add(
                    entry.line_of("id"),
                    "duplicate_id",
                    what=what,
                    id=eid,
                    first=seen[eid].line_of("id"),
                )
            else:
                seen[eid] = entry
        return seen

    def check_dimension(self, entry: Map, dims: dict[str, Map]) -> None:
        if isinstance(entry.get("dimension"), str) and entry["dimension"] not in dims:
            self.add(entry.line_of("dimension"), "unknown_dimension", id=entry["dimension"])


def items(doc: Map, key: str) -> list[tuple[int, Map]]:
    """(line, mapping) for the well-formed entries of a top-level list."""
    value = doc.get(key)
    if not isinstance(value, Seq):
        return []
    return [(value.line_of(i), item) for i, item in enumerate(value) if isinstance(item, Map)]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_seq(value: Any) -> Seq:
    """`value` when it is a list read from the file, else an empty one."""
    return value if isinstance(value, Seq) else Seq()


def as_map(value: Any) -> Map:
    """`value` when it is a mapping read from the file, else an empty one."""
    return value if isinstance(value, Map) else Map()
