"""The JSON Schema of the playbook format, generated from `SPEC` for editors' completion.

`python -m coach schema` prints it; playbooks/playbook.schema.json is the committed copy.
"""

from __future__ import annotations

from typing import Any

from coach import conditions
from coach.playbook.sections import section_schema_defs
from coach.playbook.spec import ID_PATTERN, LANGS, SPEC


def _schema_for(kind: str) -> dict[str, Any]:
    if kind.startswith("list:"):
        return {"type": "array", "items": _schema_for(kind[5:])}
    if kind.startswith("enum:"):
        return {"enum": kind[5:].split("|")}
    if kind in SPEC:
        return {"$ref": f"#/$defs/{kind}"}
    schemas: dict[str, dict[str, Any]] = {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "str": {"type": ["string", "number"]},
        "int": {"type": "integer"},
        "number": {"type": "number"},
        "bool": {"type": "boolean"},
        "text": {"$ref": "#/$defs/text"},
        "condition": {"$ref": "#/$defs/condition"},
        "pulse": {"$ref": "#/$defs/pulse"},
        "reviews": {"type": "array", "items": {"$ref": "#/$defs/review"}},
        "languages": {
            "type": "array",
            "items": {"enum": list(LANGS)},
            "minItems": 2,
            "uniqueItems": True,
        },
        "number_map": {"type": "object", "additionalProperties": {"type": "number"}},
        "targets": {
            "type": "object",
            "properties": {str(n): {"type": "number", "minimum": 0} for n in range(1, 6)},
            "required": [str(n) for n in range(1, 6)],
            "additionalProperties": False,
        },
    }
    return schemas[kind]


def _object_schema(name: str) -> dict[str, Any]:
    spec = SPEC[name]
    return {
        "type": "object",
        "properties": {key: _schema_for(kind) for key, (kind, _) in spec.items()},
        "required": [key for key, (_, required) in spec.items() if required],
        "additionalProperties": False,
    }


def _condition_schema() -> dict[str, Any]:
    comparators: dict[str, dict[str, Any]] = {op: {} for op in conditions.COMPARATORS}
    comparators["in"] = {"type": "array"}
    comparators["answered"] = {"type": "boolean"}

    def leaf(subject: str, subject_schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {subject: subject_schema, **comparators},
            "required": [subject],
            "additionalProperties": False,
        }

    ref = {"$ref": "#/$defs/condition"}
    return {
        "oneOf": [
            {
                "type": "object",
                "properties": {"all": {"type": "array", "items": ref}},
                "required": ["all"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"any": {"type": "array", "items": ref}},
                "required": ["any"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"not": ref},
                "required": ["not"],
                "additionalProperties": False,
            },
            leaf("answer", {"type": "string"}),
            leaf("score", {"type": "string"}),
            leaf("level", {"type": "string"}),
            leaf("fact", {"enum": list(conditions.FACTS)}),
        ]
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of playbook format v1, generated from SPEC."""
    defs = {name: _object_schema(name) for name in SPEC if name != "playbook"}
    defs["text"] = {
        "type": "object",
        "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGS},
        "required": list(LANGS),
        "additionalProperties": False,
    }
    defs["condition"] = _condition_schema()
    defs.update(section_schema_defs())
    root = _object_schema("playbook")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/coach/playbook.schema.json",
        "title": "Digital-identity coach playbook (format v1)",
        "description": "A maturity self-assessment, actions and goals, in French and English. See playbooks/README.md.",
        **root,
        "$defs": defs,
    }
