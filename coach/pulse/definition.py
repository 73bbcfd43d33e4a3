"""The playbook's `pulse` section: the perception questions employees answer.

`parse_pulse(node)` reads the section (a line-aware mapping from coach.yamlsafe)
and returns `(Pulse | None, problems)`. Problems carry a line and a key under
`engine.problem.` so that the playbook validator shows them as `file:line: ...`
like every other playbook problem. The anonymity threshold is data, but never
below MIN_THRESHOLD: a playbook can make anonymity stronger, not weaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from coach.model import Text
from coach.problems import LANGS, ProblemList, kind_word
from coach.typography import typeset
from coach.yamlsafe import line_at, line_of

QUESTION_TYPES = ("scale", "text")
MIN_THRESHOLD = 5  # the floor a playbook cannot go under
MAX_THRESHOLD = 50
MIN_QUESTIONS, MAX_QUESTIONS = 5, 8
MIN_SCALE_QUESTIONS = 3
MAX_QUESTION_CHARS = 200  # "short questions": one line on a phone
SCALE_POINTS = 5
PLACEHOLDERS = ("manager",)  # what a question may name; filled in when shown
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
KEYS = {"threshold": True, "intro": True, "scale_labels": True, "questions": True}
QUESTION_KEYS = {"id": True, "type": True, "text": True}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class PulseQuestion:
    """One pulse item: a 1-5 agreement scale, or an optional free text."""

    id: str
    type: Literal["scale", "text"]  # QUESTION_TYPES
    text: Text
    line: int = 0

    def render(self, lang: str, manager: str) -> str:
        """The question in `lang`, naming the manager (plain text; the page escapes it)."""
        return typeset(_fill(self.text.get(lang), manager=manager), lang)


@dataclass(frozen=True)
class Pulse:
    """The perception pulse of a playbook."""

    threshold: int  # results show only from this many answers, per round and per breakdown
    intro: Text  # shown before the questions; states the threshold
    scale_labels: tuple[Text, ...]  # five labels, 1 (strongly disagree) to 5 (strongly agree)
    questions: tuple[PulseQuestion, ...]
    line: int = 0

    @property
    def scale_items(self) -> tuple[PulseQuestion, ...]:
        return tuple(q for q in self.questions if q.type == "scale")

    @property
    def text_items(self) -> tuple[PulseQuestion, ...]:
        return tuple(q for q in self.questions if q.type == "text")

    def question(self, qid: str) -> PulseQuestion | None:
        return next((q for q in self.questions if q.id == qid), None)

    def intro_text(self, lang: str, manager: str) -> str:
        """What employees read before answering (it states the threshold)."""
        text = _fill(self.intro.get(lang), manager=manager, threshold=str(self.threshold))
        return typeset(text, lang)


def _fill(text: str, **values: str) -> str:
    # str.replace, not str.format: a manager's name may hold braces.
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


@dataclass(frozen=True)
class PulseProblem:
    """One thing wrong in the pulse section; `key` is under `engine.problem.`."""

    line: int
    key: str
    params: dict[str, Any]


def _found(out: ProblemList) -> list[PulseProblem]:
    return [PulseProblem(p.line, p.key, p.params) for p in out.problems]


def _check_keys(
    node: dict[str, Any], allowed: dict[str, bool], where: str, out: ProblemList
) -> None:
    line = line_of(node)
    out.add_unknown_keys(node, allowed, line, where)
    out.add_missing_keys(node, (k for k, required in allowed.items() if required), line, where)


def _text(
    value: Any, line: int, where: str, out: ProblemList, allowed: tuple[str, ...]
) -> Text | None:
    if not isinstance(value, dict):
        out.add(line, "expect_text", where=where, got=kind_word(value))
        return None
    line = line_of(value, line)
    ok = True
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            out.add(line, "missing_translation", where=where, lang=lang)
            ok = False
            continue
        for name in _PLACEHOLDER.findall(text):
            if name not in allowed:
                shown = ", ".join("{" + a + "}" for a in allowed) or "—"
                out.add(line, "pulse.placeholder", where=where, name=name, allowed=shown)
    for key in value:
        if key not in LANGS:
            out.add(line_at(value, key), "unknown_language", where=where, key=key)
    return Text(fr=value["fr"], en=value["en"]) if ok else None


def _threshold(node: dict[str, Any], out: ProblemList) -> int:
    value = node.get("threshold")
    line = line_at(node, "threshold")
    if "threshold" not in node:
        return MIN_THRESHOLD
    if not isinstance(value, int) or isinstance(value, bool):
        out.add(line, "expect_int", where="pulse.threshold", got=kind_word(value))
        return MIN_THRESHOLD
    if value < MIN_THRESHOLD:
        out.add(line, "pulse.threshold_low", value=value, min=MIN_THRESHOLD)
    elif value > MAX_THRESHOLD:
        out.add(line, "pulse.threshold_high", value=value, max=MAX_THRESHOLD)
    return value


def _question(
    item: Any, line: int, index: int, seen: dict[str, int], out: ProblemList
) -> PulseQuestion | None:
    where = f"pulse.questions[{index + 1}]"
    if not isinstance(item, dict):
        out.add(line, "not_mapping", where=where, got=kind_word(item))
        return None
    line = line_of(item, line)
    if isinstance(item.get("id"), str):
        where = f"pulse.questions[{item['id']}]"
    _check_keys(item, QUESTION_KEYS, where, out)
    qid, qtype, ok = item.get("id"), item.get("type"), True
    if "id" in item and (not isinstance(qid, str) or not re.match(ID_PATTERN, qid)):
        out.add(line_at(item, "id"), "bad_id", where=f"{where}.id", value=qid)
        ok = False
    elif isinstance(qid, str) and qid in seen:
        out.add(line_at(item, "id"), "duplicate_id", what="pulse", id=qid, first=seen[qid])
    elif isinstance(qid, str):
        seen[qid] = line_at(item, "id")
    if "type" in item and qtype not in QUESTION_TYPES:
        out.add(
            line_at(item, "type"),
            "bad_enum",
            where=f"{where}.type",
            value=qtype,
            allowed=", ".join(QUESTION_TYPES),
        )
        ok = False
    text = None
    if "text" in item:
        text = _text(item["text"], line_at(item, "text"), f"{where}.text", out, PLACEHOLDERS)
        for lang in LANGS:
            if text is not None and len(text.get(lang)) > MAX_QUESTION_CHARS:
                out.add(
                    line_at(item, "text"),
                    "pulse.too_long",
                    where=where,
                    lang=lang,
                    max=MAX_QUESTION_CHARS,
                )
    if not ok or text is None or not all(k in item for k in QUESTION_KEYS):
        return None
    if not isinstance(qid, str) or qtype not in ("scale", "text"):
        return None
    return PulseQuestion(id=qid, type=qtype, text=text, line=line)


def _list(node: dict[str, Any], key: str, out: ProblemList) -> tuple[list[Any] | None, int]:
    """The list under `key` (None when absent or not a list, which is a problem) and its line."""
    value, line = node.get(key), line_at(node, key)
    if key in node and not isinstance(value, list):
        out.add(line, "expect_list", where=f"pulse.{key}", got=kind_word(value))
    return (value if isinstance(value, list) else None), line


def _questions(node: dict[str, Any], out: ProblemList) -> tuple[PulseQuestion, ...]:
    value, line = _list(node, "questions", out)
    if value is None:
        return ()
    seen: dict[str, int] = {}
    built = [_question(item, line_at(value, i, line), i, seen, out) for i, item in enumerate(value)]
    if not MIN_QUESTIONS <= len(value) <= MAX_QUESTIONS:
        out.add(
            line, "pulse.question_count", count=len(value), min=MIN_QUESTIONS, max=MAX_QUESTIONS
        )
    scale = [i for i in value if isinstance(i, dict) and i.get("type") == "scale"]
    if len(scale) < MIN_SCALE_QUESTIONS:
        out.add(line, "pulse.scale_count", count=len(scale), min=MIN_SCALE_QUESTIONS)
    return tuple(q for q in built if q is not None)


def _scale_labels(node: dict[str, Any], out: ProblemList) -> tuple[Text, ...]:
    value, line = _list(node, "scale_labels", out)
    if value is None:
        return ()
    if len(value) != SCALE_POINTS:
        out.add(line, "five_scale_labels")
    labels = [
        _text(v, line_at(value, i, line), f"pulse.scale_labels[{i + 1}]", out, ())
        for i, v in enumerate(value)
    ]
    return tuple(t for t in labels if t is not None)


def parse_pulse(node: Any, line: int = 1) -> tuple[Pulse | None, list[PulseProblem]]:
    """The pulse of a playbook (None when the section is absent) and every problem in it.

    A Pulse is returned only when there is no problem.
    """
    out = ProblemList()
    if node is None:
        return None, []
    if not isinstance(node, dict):
        out.add(line, "not_mapping", where="pulse", got=kind_word(node))
        return None, _found(out)
    line = line_of(node, line)
    _check_keys(node, KEYS, "pulse", out)
    threshold = _threshold(node, out)
    intro = None
    if "intro" in node:
        intro = _text(
            node["intro"], line_at(node, "intro"), "pulse.intro", out, ("manager", "threshold")
        )
        for lang in LANGS:
            if intro is not None and "{threshold}" not in intro.get(lang):
                out.add(line_at(node, "intro"), "pulse.intro_threshold", lang=lang)
    labels = _scale_labels(node, out)
    questions = _questions(node, out)
    if out.problems or intro is None:
        return None, _found(out)
    return Pulse(threshold, intro, labels, questions, line), []


def pulse_schema_defs() -> dict[str, dict[str, Any]]:
    """JSON Schema definitions of the section, for editors (added to the playbook schema)."""
    text = {"$ref": "#/$defs/text"}
    return {
        "pulse": {
            "type": "object",
            "properties": {
                "threshold": {
                    "type": "integer",
                    "minimum": MIN_THRESHOLD,
                    "maximum": MAX_THRESHOLD,
                },
                "intro": text,
                "scale_labels": {
                    "type": "array",
                    "items": text,
                    "minItems": SCALE_POINTS,
                    "maxItems": SCALE_POINTS,
                },
                "questions": {
                    "type": "array",
                    "items": {"$ref": "#/$defs/pulse_question"},
                    "minItems": MIN_QUESTIONS,
                    "maxItems": MAX_QUESTIONS,
                },
            },
            "required": [k for k, required in KEYS.items() if required],
            "additionalProperties": False,
        },
        "pulse_question": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": ID_PATTERN},
                "type": {"enum": list(QUESTION_TYPES)},
                "text": text,
            },
            "required": list(QUESTION_KEYS),
            "additionalProperties": False,
        },
    }


def pulse_to_dict(pulse: Pulse) -> dict[str, Any]:
    """The section as plain data: a round pins it when it opens, and `parse_pulse` reads it back."""
    return {
        "threshold": pulse.threshold,
        "intro": pulse.intro.as_dict(),
        "scale_labels": [label.as_dict() for label in pulse.scale_labels],
        "questions": [
            {"id": q.id, "type": q.type, "text": q.text.as_dict()} for q in pulse.questions
        ],
    }
