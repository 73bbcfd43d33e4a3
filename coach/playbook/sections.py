"""The sections of a playbook that other packages own: `pulse` and `reviews`.

The loader hands each its part of the document: coach/pulse/definition.py checks and
builds the pulse, coach/review/rules.py the review rules, and each gives its JSON Schema
definitions. Their problems join the playbook's, with the file and line.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from coach.model import Text
from coach.problems import ProblemList
from coach.pulse.definition import parse_pulse, pulse_schema_defs
from coach.review import rules as review_rules
from coach.typography import typeset
from coach.yamlsafe import Map

_T = TypeVar("_T")


def check_sections(checker: ProblemList, doc: Map, path: str) -> None:
    for p in parse_pulse(doc.get("pulse"), doc.line_of("pulse"))[1]:
        checker.add(p.line, p.key, **p.params)
    checker.problems.extend(review_rules.parse(doc, path)[1])


def build_sections(doc: Map, path: str) -> dict[str, Any]:
    """The typed sections of a document that passed the checks, French typeset."""
    return {
        "pulse": typeset_texts(parse_pulse(doc.get("pulse"))[0]),
        "reviews": typeset_texts(review_rules.parse(doc, path)[0]),
    }


def section_schema_defs() -> dict[str, Any]:
    return {**pulse_schema_defs(), **review_rules.schema_defs()}


def typeset_texts(value: _T) -> _T:
    """`value` with every French text in it typeset (the pulse and review rules build their own)."""
    if isinstance(value, Text):
        return Text(fr=typeset(value.fr, "fr"), en=value.en)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: typeset_texts(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(typeset_texts(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [typeset_texts(v) for v in value]  # type: ignore[return-value]
    return value
