"""Safe YAML reading that remembers line numbers.

Only PyYAML's SafeLoader is used. The document is composed into nodes, then
turned into plain Python values: mappings become `Map` (a dict that knows the
line of each key) and sequences become `Seq` (a list that knows the line of
each item). Size, depth and alias expansion are capped so that a hostile file
(a 50 MB blob, a "billion laughs" alias bomb) is refused quickly.
"""

from __future__ import annotations

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
            try:
                return self.scalars.construct_object(node, deep=True)
            except (ConstructorError, ValueError):
                raise YamlProblem(line, "yaml.bad_scalar", {"value": node.value[:40]}) from None
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
