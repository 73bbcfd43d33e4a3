"""The `reviews` section of a playbook: rules that review a draft before it is posted.

Each rule is data (see playbooks/README.md, "Review rules"): an id, a severity, what it looks
for, a message and a suggestion in both languages, a source when one exists. `parse` checks
the section and builds the rules; every problem comes back with its `file:line`, like the
rest of the playbook loader. Phrases are folded once here (case, accents, apostrophes) and
patterns are compiled once, after `patterns.compile_safe` has refused anything that could
take super-linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coach import conditions
from coach.model import Text
from coach.problems import LANGS, Problem, ProblemList, kind_word
from coach.review.patterns import UnsafePattern, compile_safe
from coach.review.text import LIMITS, NETWORKS, fold
from coach.yamlsafe import line_at, plain

SEVERITIES = ("info", "warn", "block")
CHECKS = (
    "length",
    "hashtags",
    "shouting",
    "link_first_line",
    "promotion_share",
    "french_typography",
    "never_say",
)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
PHRASE_LISTS = ("find", "expect", "against")
PATTERN_LISTS = ("patterns", "expect_patterns")
# key -> (kind, required)
FIELDS: dict[str, tuple[str, bool]] = {
    "id": ("id", True),
    "severity": ("severity", True),
    "message": ("text", True),
    "suggestion": ("text", True),
    "source": ("str", False),
    "when": ("condition", False),
    "lang": ("lang", False),
    "networks": ("networks", False),
    "find": ("phrases", False),
    "patterns": ("patterns", False),
    "expect": ("phrases", False),
    "expect_patterns": ("patterns", False),
    "against": ("phrases", False),
    "check": ("check", False),
    "max": ("number", False),
    "limits": ("limits", False),
}


@dataclass(frozen=True)
class ReviewRule:
    """One review rule, ready to run (phrases folded, patterns compiled)."""

    id: str
    severity: str
    message: Text
    suggestion: Text
    source: str = ""
    when: Any = None
    lang: str | None = None
    networks: tuple[str, ...] = NETWORKS
    find: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    expect: tuple[str, ...] = ()
    expect_patterns: tuple[re.Pattern[str], ...] = ()
    against: tuple[str, ...] = ()
    check: str | None = None
    max: float | None = None
    limits: dict[str, int] = field(default_factory=lambda: dict(LIMITS))
    line: int = 0


def parse(doc: Any, path: str) -> tuple[tuple[ReviewRule, ...], list[Problem]]:
    """(rules, problems) for the `reviews` section of a playbook document (absent: no rules)."""
    section = ProblemList(path)
    value = doc.get("reviews") if isinstance(doc, dict) else None
    if value is None:
        return (), []
    line = line_at(doc, "reviews", 1)
    if not isinstance(value, list):
        section.add(line, "expect_list", where="reviews", got=kind_word(value))
        return (), section.problems
    rules = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(value):
        entry_line = line_at(value, index, line)
        rule = _parse_rule(section, entry, entry_line, index)
        if rule is None:
            continue
        if rule.id in seen:
            section.add(
                line_at(entry, "id", entry_line),
                "duplicate_id",
                what="review",
                id=rule.id,
                first=seen[rule.id],
            )
            continue
        seen[rule.id] = line_at(entry, "id", entry_line)
        rules.append(rule)
    if section.problems:
        return (), section.problems
    return tuple(rules), []


def _parse_rule(section: ProblemList, entry: Any, line: int, index: int) -> ReviewRule | None:
    label = entry.get("id") if isinstance(entry, dict) else None
    where = f"reviews[{label if isinstance(label, str) else index + 1}]"
    if not isinstance(entry, dict):
        section.add(line, "not_mapping", where=where, got=kind_word(entry))
        return None
    line = getattr(entry, "line", 0) or line
    before = len(section.problems)
    section.add_unknown_keys(entry, FIELDS, line, where)
    section.add_missing_keys(
        entry, (k for k, (_, required) in FIELDS.items() if required), line, where
    )
    built: dict[str, Any] = {}
    for key, (kind, _required) in FIELDS.items():
        if key in entry:
            built[key] = _value(
                section, kind, entry[key], line_at(entry, key, line), f"{where}.{key}"
            )
    _check_shape(section, built, entry, line, where)
    if len(section.problems) > before:
        return None
    return ReviewRule(line=line, **{k: v for k, v in built.items() if v is not None})


def _value(section: ProblemList, kind: str, value: Any, line: int, where: str) -> Any:
    """The typed value of one field, or None after recording why it is wrong."""
    choices = _CHOICES.get(kind)
    if choices is not None:
        if value in choices:
            return value
        section.add(line, "bad_enum", where=where, value=value, allowed=", ".join(choices))
        return None
    parser = _PARSERS.get(kind)
    return parser(section, value, line, where) if parser else None


def _id(section: ProblemList, value: Any, line: int, where: str) -> str | None:
    if isinstance(value, str) and ID_PATTERN.match(value):
        return value
    section.add(line, "bad_id", where=where, value=value)
    return None


def _str(section: ProblemList, value: Any, line: int, where: str) -> str | None:
    if isinstance(value, str):
        return value
    section.add(line, "expect_str", where=where, got=kind_word(value))
    return None


def _number(section: ProblemList, value: Any, line: int, where: str) -> float | None:
    """A number from 0 up."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    section.add(line, "expect_number", where=where, got=kind_word(value))
    return None


def _condition(section: ProblemList, value: Any, line: int, _where: str) -> Any:
    """A condition on facts only (a review has no answers or scores at hand)."""
    refs: dict[str, Any] = {"questions": {}, "dimensions": set(), "scored_dimensions": set()}
    problems = conditions.check(value, refs, allow_scores=False, line=line)
    section.add_conditions(problems)
    return None if problems else plain(value)


def _text(section: ProblemList, value: Any, line: int, where: str) -> Text | None:
    if not section.check_text(value, line, where):
        return None
    return Text(fr=value["fr"], en=value["en"])


def _networks(section: ProblemList, value: Any, line: int, where: str) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        section.add(line, "expect_list", where=where, got=kind_word(value))
        return None
    for index, item in enumerate(value):
        if item not in NETWORKS:
            section.add(
                line_at(value, index, line),
                "bad_enum",
                where=where,
                value=item,
                allowed=", ".join(NETWORKS),
            )
            return None
    return tuple(value)


def _phrases(section: ProblemList, value: Any, line: int, where: str) -> tuple[str, ...] | None:
    """Phrases per language ({fr: [...], en: [...]}), folded; both lists are searched."""
    if not isinstance(value, dict):
        section.add(line, "review.phrases_shape", where=where)
        return None
    out: list[str] = []
    for lang, items in value.items():
        item_line = line_at(value, lang, line)
        if lang not in LANGS:
            section.add(item_line, "unknown_language", where=where, key=lang)
            continue
        if not isinstance(items, list) or not items:
            section.add(item_line, "expect_list", where=f"{where}.{lang}", got=kind_word(items))
            continue
        for index, item in enumerate(items):
            folded = fold(item) if isinstance(item, str) else ""
            if not folded.rstrip("*").strip():
                section.add(line_at(items, index, item_line), "review.empty_phrase", where=where)
            elif folded not in out:
                out.append(folded)
    return tuple(out)


def _patterns(
    section: ProblemList, value: Any, line: int, where: str
) -> tuple[re.Pattern[str], ...] | None:
    if not isinstance(value, list) or not value:
        section.add(line, "expect_list", where=where, got=kind_word(value))
        return None
    out = []
    for index, item in enumerate(value):
        try:
            out.append(compile_safe(item))
        except UnsafePattern as err:
            section.add(
                line_at(value, index, line),
                "review.unsafe_pattern",
                where=where,
                pattern=str(item)[:80],
                why=f"@problem.review.why.{err.reason}",
            )
    return tuple(out)


def _limits(section: ProblemList, value: Any, line: int, where: str) -> dict[str, int] | None:
    if not isinstance(value, dict):
        section.add(line, "review.limits_shape", where=where, networks=", ".join(NETWORKS))
        return None
    limits = dict(LIMITS)
    for key, number in value.items():
        key_line = line_at(value, key, line)
        if key not in NETWORKS:
            section.add(key_line, "bad_enum", where=where, value=key, allowed=", ".join(NETWORKS))
        elif not isinstance(number, int) or isinstance(number, bool) or number < 1:
            section.add(key_line, "review.limits_shape", where=where, networks=", ".join(NETWORKS))
        else:
            limits[key] = number
    return limits


# Field kinds (FIELDS): those with a fixed set of values, and those read by a function.
_CHOICES: dict[str, tuple[str, ...]] = {"severity": SEVERITIES, "check": CHECKS, "lang": LANGS}
_PARSERS: dict[str, Callable[[ProblemList, Any, int, str], Any]] = {
    "id": _id,
    "text": _text,
    "str": _str,
    "number": _number,
    "networks": _networks,
    "phrases": _phrases,
    "patterns": _patterns,
    "limits": _limits,
    "condition": _condition,
}


def _check_shape(
    section: ProblemList, built: dict[str, Any], entry: dict[str, Any], line: int, where: str
) -> None:
    """What a rule needs to look for, given its kind."""
    looks = any(k in entry for k in ("find", "patterns", "expect", "expect_patterns", "check"))
    if not looks:
        section.add(line, "review.nothing_to_find", where=where)
    check = built.get("check")
    if check in ("hashtags", "shouting", "promotion_share") and "max" not in entry:
        section.add(line, "review.needs", where=where, check=check, key="max")
    if check == "promotion_share":
        for key in ("find", "against"):
            if key not in entry:
                section.add(line, "review.needs", where=where, check=check, key=key)
    if check == "promotion_share" and isinstance(built.get("max"), float) and built["max"] > 1:
        section.add(line_at(entry, "max", line), "review.share_range", where=where)


def schema_defs() -> dict[str, Any]:
    """JSON Schema definitions for the `reviews` section (merged into the playbook schema)."""
    phrases = {
        "type": "object",
        "properties": {
            lang: {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
            for lang in LANGS
        },
        "additionalProperties": False,
    }
    patterns = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
    return {
        "review": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": ID_PATTERN.pattern},
                "severity": {"enum": list(SEVERITIES)},
                "message": {"$ref": "#/$defs/text"},
                "suggestion": {"$ref": "#/$defs/text"},
                "source": {"type": "string"},
                "when": {"$ref": "#/$defs/condition"},
                "lang": {"enum": list(LANGS)},
                "networks": {"type": "array", "items": {"enum": list(NETWORKS)}, "minItems": 1},
                "find": phrases,
                "patterns": patterns,
                "expect": phrases,
                "expect_patterns": patterns,
                "against": phrases,
                "check": {"enum": list(CHECKS)},
                "max": {"type": "number", "minimum": 0},
                "limits": {
                    "type": "object",
                    "properties": {n: {"type": "integer", "minimum": 1} for n in NETWORKS},
                    "additionalProperties": False,
                },
            },
            "required": [k for k, (_, required) in FIELDS.items() if required],
            "additionalProperties": False,
        }
    }
