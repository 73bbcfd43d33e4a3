"""The published JSON Schema matches the validator and accepts the shipped playbooks."""

from __future__ import annotations

import json

import jsonschema
import yaml

from coach.playbook import json_schema, list_playbooks
from tests.conftest import FIXTURES, ROOT

SCHEMA_FILE = ROOT / "playbooks" / "playbook.schema.json"


def as_json(path):
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_committed_schema_is_the_generated_one():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate it: python -m coach schema > playbooks/playbook.schema.json"
    )


def test_schema_is_valid_and_accepts_valid_playbooks():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    shipped = list_playbooks()
    assert shipped, "the default playbook must ship in playbooks/"
    for path in [FIXTURES / "engine" / "mini.yaml", *shipped]:
        errors = [e.message for e in validator.iter_errors(as_json(path))]
        assert errors == [], (path, errors[:3])


def test_schema_flags_what_an_editor_should_flag():
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    doc = as_json(FIXTURES / "engine" / "mini.yaml")
    doc["actions"][0]["effrot_hours"] = 1
    doc["dimensions"][0]["title"] = {"fr": "Présence"}
    messages = " ".join(e.message for e in validator.iter_errors(doc))
    assert "effrot_hours" in messages and "'en' is a required property" in messages


def test_authoring_guide_documents_every_key():
    guide = (ROOT / "playbooks" / "README.md").read_text(encoding="utf-8")
    from coach.playbook import SPEC

    missing = sorted(
        {
            key
            for fields in SPEC.values()
            for key in fields
            if f"`{key}`" not in guide and f"{key}:" not in guide
        }
    )
    assert missing == []
    assert "# yaml-language-server: $schema=" in guide
