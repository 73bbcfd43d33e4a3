"""Patterns a playbook author may write, checked so that none can take super-linear time.

A review pattern is a Python regular expression restricted to a small, safe subset:
- every repetition is bounded (`{m,n}`, `?`; n at most MAX_REPEAT): no `*`, `+`, `{m,}`;
- a repetition of more than one never holds another repetition (no nested quantifiers;
  an optional part `(...)?` may hold one);
- a repetition of more than one never holds an alternation (`(a|ab){1,9}` could backtrack
  exponentially);
- no backreference or conditional group; a lookaround holds no repetition.
With these rules the work at each position of the text is bounded by the pattern alone, so a
search costs time linear in the length of the text.
"""

from __future__ import annotations

import re
import re._constants as sre_c
import re._parser as sre_parse
from typing import Any

MAX_REPEAT = 100
MAX_LENGTH = 300
MAX_REPEATS = 12

_REPEATS = {sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)}
_FORBIDDEN = {sre_c.GROUPREF: "backreference", sre_c.GROUPREF_EXISTS: "conditional"}
_LOOKAROUNDS = {sre_c.ASSERT, sre_c.ASSERT_NOT}


class UnsafePattern(ValueError):
    """Why a pattern is refused: `reason` is a catalogue word (engine.problem.review.why.*)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def compile_safe(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or UnsafePattern saying what makes it unsafe or invalid."""
    if not isinstance(pattern, str) or not pattern:
        raise UnsafePattern("empty")
    if len(pattern) > MAX_LENGTH:
        raise UnsafePattern("too_long")
    try:
        tree = sre_parse.parse(pattern)
    except re.error:
        raise UnsafePattern("syntax") from None
    count = _walk(list(tree), inside_repeat=False)
    if count > MAX_REPEATS:
        raise UnsafePattern("too_many_repeats")
    return re.compile(pattern)


def _walk(items: list[tuple[Any, Any]], *, inside_repeat: bool) -> int:
    """Check a parsed sequence; return how many repetitions it holds."""
    count = 0
    for op, arg in items:
        if op in _FORBIDDEN:
            raise UnsafePattern(_FORBIDDEN[op])
        if op in _LOOKAROUNDS:
            # A lookaround is fine when it checks a fixed, short thing: no repetition inside.
            if _has_repeat(list(arg[1])):
                raise UnsafePattern("lookaround")
        elif op in _REPEATS:
            _low, high, body = arg
            if high is sre_c.MAXREPEAT or high > MAX_REPEAT:
                raise UnsafePattern("nested" if inside_repeat else "unbounded")
            if high <= 1:
                # Optional, not repeated: what it holds follows the same rules.
                count += 1 + _walk(list(body), inside_repeat=inside_repeat)
                continue
            if inside_repeat or _has_repeat(list(body)):
                raise UnsafePattern("nested")
            if _has_branch(list(body)):
                raise UnsafePattern("branch_in_repeat")
            count += 1
        elif op is sre_c.SUBPATTERN:
            count += _walk(list(arg[-1]), inside_repeat=inside_repeat)
        elif op is sre_c.BRANCH:
            for branch in arg[1]:
                count += _walk(list(branch), inside_repeat=inside_repeat)
        elif op is getattr(sre_c, "ATOMIC_GROUP", None):
            count += _walk(list(arg), inside_repeat=inside_repeat)
    return count


def _has_repeat(items: list[tuple[Any, Any]]) -> bool:
    try:
        return _walk(items, inside_repeat=True) > 0
    except UnsafePattern:
        return True


def _has_branch(items: list[tuple[Any, Any]]) -> bool:
    for op, arg in items:
        if op is sre_c.BRANCH:
            return True
        if op is sre_c.SUBPATTERN and _has_branch(list(arg[-1])):
            return True
    return False
