"""Safe YAML reading that remembers line numbers.

Only PyYAML's SafeLoader is used. The document is composed into nodes, then
turned into plain Python values: mappings become `Map` (a dict that knows the
line of each key) and sequences become `Seq` (a list that knows the line of
each item). Size, depth and alias expansion are capped so that a hostile file
(a 50 MB blob, a "billion laughs" alias bomb) is refused quickly.

Depth is checked twice: on libyaml's event stream before anything is composed
(its composer recurses in C, so 60,000 nested brackets would crash the whole
process, app server included), then while converting, where aliases can add
depth. Numbers must fit a 64-bit integer or be a finite float: nothing in the
product counts further, and a 400-digit integer would overflow when read as a
float.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml's parser when present (same safe rules, several times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_INT = 2**63 - 1  # what a database integer holds
MAX_NUMBER_CHARS = 100  # a longer number is hostile; also bounds base-60 integer arithmetic
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


class Map(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class Seq(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a file could not be read as YAML: a catalogue key, its params and a line."""

    line: int
    key: str
    params: dict


def line_of(value: Any, default: int = 1) -> int:
    return getattr(value, "line", 0) or default


def line_at(container: Any, key: Any, default: int = 1) -> int:
    """The line of `key` (or index) in a mapping or list read from a file; else `default`."""
    getter = getattr(container, "line_of", None)
    return (getter(key) or default) if getter else default


def plain(value: Any) -> Any:
    """`value` without the line bookkeeping: plain dicts and lists, same shape."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def read_text(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> str:
    """The file as UTF-8 text, or YamlProblem (too big, binary, not UTF-8, missing)."""
    if os.path.isdir(path):
        raise YamlProblem(1, "yaml.is_folder", {})
    try:
        size = os.path.getsize(path)
    except OSError:
        raise YamlProblem(1, "yaml.not_found", {}) from None
    if size > max_bytes:
        raise YamlProblem(
            1, "yaml.too_big", {"size_mb": round(size / 1e6, 1), "max_mb": max_bytes // 1_000_000}
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        raise YamlProblem(1, "yaml.unreadable", {}) from None
    if b"\x00" in raw:
        raise YamlProblem(1, "yaml.binary", {})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlProblem(line, "yaml.not_utf8", {}) from None
    return text


def parse(text: str) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document into Map/Seq/scalars.

    Returns the value and the problems that did not stop reading (duplicate
    keys); raises YamlProblem when the file cannot be read at all.
    """
    if not text.strip():
        raise YamlProblem(1, "yaml.empty", {})
    try:
        check_depth(text)
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problem = str(err.problem or err.context or "")
        bad_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if (
            "\t" in problem
            or "\\t" in problem
            or "\t" in bad_line[: (mark.column + 1) if mark else None]
        ):
            raise YamlProblem(line, "yaml.tabs", {}) from None
        raise YamlProblem(line, "yaml.syntax", {"detail": problem}) from None
    except yaml.YAMLError as err:
        raise YamlProblem(1, "yaml.syntax", {"detail": str(err).splitlines()[0]}) from None
    if node is None:
        raise YamlProblem(1, "yaml.empty", {})
    converter = _Converter()
    value = converter.convert(node, 0)
    return value, converter.problems


def check_depth(text: str, max_depth: int = MAX_DEPTH) -> None:
    """YamlProblem `yaml.too_deep` when collections nest deeper than `max_depth`.

    Reads libyaml's event stream (flat, no recursion) and stops at the first level too
    many, so a 120 KB file of 60,000 brackets is refused in about a millisecond.
    Syntax errors met on the way are raised as yaml.MarkedYAMLError, as compose would.
    """
    depth = 0
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise YamlProblem(event.start_mark.line + 1, "yaml.too_deep", {"max": max_depth})
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _number(value: Any) -> bool:
    """False for numbers nothing in the product can hold: past 64-bit integers, inf, NaN."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -MAX_INT <= value <= MAX_INT
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


class _Converter:
    def __init__(self) -> None:
        self.count = 0
        self.scalars = SafeConstructor()
        self.problems: list[YamlProblem] = []

    def convert(self, node: Node, depth: int) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise YamlProblem(line, "yaml.too_many_nodes", {"max": MAX_NODES})
        if depth > MAX_DEPTH:
            raise YamlProblem(line, "yaml.too_deep", {"max": MAX_DEPTH})
        if node.tag not in PLAIN_TAGS:
            # Language-specific tags (!!python/object...) are never constructed: refuse them.
            raise YamlProblem(line, "yaml.tag", {"tag": node.tag})
        if isinstance(node, ScalarNode):
            if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
                raise YamlProblem(line, "yaml.bad_scalar", {"value": _shown(node.value)})
            try:
                value = self.scalars.construct_object(node, deep=True)
            except (ConstructorError, ValueError, OverflowError):
                raise YamlProblem(line, "yaml.bad_scalar", {"value": _shown(node.value)}) from None
            if not _number(value):
                raise YamlProblem(line, "yaml.bad_scalar", {"value": _shown(node.value)})
            return value
        if isinstance(node, SequenceNode):
            seq = Seq()
            seq.line = line
            for item in node.value:
                seq.append(self.convert(item, depth + 1))
                seq.lines.append(item.start_mark.line + 1)
            return seq
        if isinstance(node, MappingNode):
            mapping = Map()
            mapping.line = line
            for key_node, value_node in node.value:
                key = self.convert(key_node, depth + 1)
                key_line = key_node.start_mark.line + 1
                if isinstance(key, (dict, list)):
                    raise YamlProblem(key_line, "yaml.complex_key", {})
                if key in mapping:
                    self.problems.append(YamlProblem(key_line, "yaml.duplicate_key", {"key": key}))
                    continue
                mapping[key] = self.convert(value_node, depth + 1)
                mapping.lines[key] = key_line
            return mapping
        raise YamlProblem(line, "yaml.syntax", {"detail": "unknown node"})


def load_file(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> tuple[Any, list[YamlProblem]]:
    """Read and parse a YAML (or JSON) file safely; YamlProblem when unreadable."""
    return parse(read_text(path, max_bytes))
