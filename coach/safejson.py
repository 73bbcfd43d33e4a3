"""Bounded JSON: nesting checked before parsing, numbers checked while parsing.

Python's json module recurses once per nested bracket, so 60,000 brackets end in
RecursionError (or worse, in a thread with a small stack). `check_depth` measures
the nesting with two regular-expression passes and a running sum, all in C, and
refuses the text before the parser sees it. While parsing, numbers must fit a
64-bit integer or be a finite float: nothing in the product counts further, and
a 400-digit integer overflows as soon as it is read as a float.

Drop-in use: `loads(text, file=...)` instead of `json.loads(text)`; syntax errors
are still `json.JSONDecodeError`; the two refusals are `JsonProblem`, an
InvalidInput whose message names the file (catalogue: importers.json.*).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from coach.errors import InvalidInput

__all__ = ["MAX_DEPTH", "JsonProblem", "check_depth", "decoder", "loads"]

MAX_DEPTH = 64
MAX_INT = 2**63 - 1  # what a database integer holds
MAX_NUMBER_CHARS = 100  # longer is hostile; also keeps int() away from its 4,300-digit error

# Everything but brackets outside strings: runs of other characters, and whole strings
# (escapes included; an unrolled loop, so long strings do not backtrack).
_NOT_BRACKET = re.compile(r'[^"\[\]{}]+|"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_STEPS = [_STEP.get(byte, 0) for byte in range(256)]


class JsonProblem(InvalidInput):
    """A JSON document refused before or while parsing: too deep, or a number nothing can hold."""


def check_depth(text: str, *, file: str, max_depth: int = MAX_DEPTH) -> None:
    """JsonProblem `importers.json.too_deep` when brackets nest deeper than `max_depth`.

    One regular-expression pass keeps the brackets outside strings (brackets inside text
    do not count); a running sum in C gives the deepest level. About 1 s per 100 MB,
    less than parsing; the line is looked for only when the text is refused.
    """
    brackets = _NOT_BRACKET.sub("", text)
    if len(brackets) <= max_depth:
        return
    deepest = max(accumulate(map(_STEPS.__getitem__, brackets.encode("ascii"))))
    if deepest > max_depth:
        raise JsonProblem(
            "importers.json.too_deep",
            file=file,
            line=_line_too_deep(text, max_depth),
            max=max_depth,
        )


def _line_too_deep(text: str, max_depth: int) -> int:
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                return text.count("\n", 0, match.start()) + 1
        elif token in ("]", "}"):
            depth -= 1
    return 1  # pragma: no cover - check_depth found the same brackets


def _refuse(file: str, literal: str) -> JsonProblem:
    shown = literal if len(literal) <= 40 else literal[:39] + "…"
    return JsonProblem("importers.json.bad_number", file=file, value=shown)


def _integer(file: str) -> Callable[[str], int]:
    def parse(literal: str) -> int:
        if len(literal) > MAX_NUMBER_CHARS:
            raise _refuse(file, literal)
        value = int(literal)
        if not -MAX_INT <= value <= MAX_INT:
            raise _refuse(file, literal)
        return value

    return parse


def _real(file: str) -> Callable[[str], float]:
    def parse(literal: str) -> float:
        if len(literal) > MAX_NUMBER_CHARS:
            raise _refuse(file, literal)
        value = float(literal)
        if not math.isfinite(value):  # 1e400
            raise _refuse(file, literal)
        return value

    return parse


def _constant(file: str) -> Callable[[str], float]:
    def parse(literal: str) -> float:  # NaN, Infinity, -Infinity: not JSON, json accepts them
        raise _refuse(file, literal)

    return parse


def decoder(file: str) -> json.JSONDecoder:
    """A decoder whose numbers are bounded (JsonProblem naming `file`); depth is not checked here."""
    return json.JSONDecoder(
        parse_int=_integer(file), parse_float=_real(file), parse_constant=_constant(file)
    )


def loads(text: str, *, file: str, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads` with depth and numbers bounded: JsonProblem, or json.JSONDecodeError as usual."""
    check_depth(text, file=file, max_depth=max_depth)
    return decoder(file).decode(text)
