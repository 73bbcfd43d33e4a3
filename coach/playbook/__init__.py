"""Load and validate a playbook YAML into typed objects.

`validate_file` lists every problem in a file at once, each with its line;
`load_playbook` returns a `Playbook` or raises `PlaybookInvalid`. The shape of a
playbook is written once, in `SPEC` (spec.py), and serves both the structural checks
(structure.py) and the JSON Schema editors use for completion (schema.py). The
semantic checks follow (questions.py, actions.py, coaching.py, run by document.py),
then the sections other packages own (sections.py: pulse, reviews); build.py makes
the typed `Playbook`, files.py finds, reads and loads the files.
"""

from coach.playbook.build import build
from coach.playbook.document import check_document
from coach.playbook.files import (
    DEFAULT_PLAYBOOK,
    PLAYBOOKS_DIR,
    PlaybookInvalid,
    default_playbook_path,
    find_playbook,
    list_playbooks,
    load_playbook,
    validate_file,
)
from coach.playbook.schema import json_schema
from coach.playbook.sections import typeset_texts
from coach.playbook.spec import DIRECTIONS, ID_PATTERN, LANGS, QUESTION_TYPES, SPEC
from coach.problems import Problem, problems_text

__all__ = [
    "DEFAULT_PLAYBOOK",
    "DIRECTIONS",
    "ID_PATTERN",
    "LANGS",
    "PLAYBOOKS_DIR",
    "QUESTION_TYPES",
    "SPEC",
    "PlaybookInvalid",
    "Problem",
    "build",
    "check_document",
    "default_playbook_path",
    "find_playbook",
    "json_schema",
    "list_playbooks",
    "load_playbook",
    "problems_text",
    "typeset_texts",
    "validate_file",
]
