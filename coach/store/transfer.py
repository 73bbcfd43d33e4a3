"""The profile export/import document: one versioned JSON file with everything about a profile.

Pure functions on domain objects: `document(...)` writes one from what the
repositories read, `parse(doc)` checks one whole and gives domain objects back
for the repositories to write. Nothing here touches the database.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from coach import clock
from coach.checkin import (
    MAX_NOTE_CHARS,
    CheckIn,
    checkin_from_dict,
    checkin_to_dict,
    validate_checkin,
)
from coach.errors import InvalidInput
from coach.model import METRICS, PHASES, Plan, Playbook
from coach.planner import plan_from_dict, plan_to_dict
from coach.profile import (
    LANGUAGES,
    MAX_HOURS_PER_WEEK,
    MIN_HOURS_PER_WEEK,
    STEP_STATES,
    Profile,
    check_fields,
)
from coach.records import Draft, GoalTarget, PostDraft, StepStatus, StoredAssessment, StoredPlan
from coach.review.saved import (
    MAX_PHRASES,
    MAX_SAVED_DRAFTS,
    check_phrase,
    check_phrases,
    check_saved,
)
from coach.scoring import answer_problem, result_from_dict, result_to_dict

T = TypeVar("T")
EXPORT_FORMAT = "coach-profile"
EXPORT_VERSION = 1

# Bounds on an import, far above any real profile (a year of check-ins, a full plan and
# a dozen assessments export to well under 1 MB): a 100 MB draft is refused before it is
# parsed, a million answers before they are looked at one by one.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_ANSWERS = 1_000  # answers in one draft or one assessment
MAX_ANSWER_ID_CHARS = 200
MAX_ANSWER_TEXT_CHARS = 10_000
MAX_ANSWER_ITEMS = 200  # options ticked in one multiple-choice answer
MAX_ANSWER_NUMBER = 10**12  # a number of hours, followers, posts...: far below what a float holds
MAX_ASSESSMENTS = 1_000
MAX_CHECKINS = 5_000  # about a century of weeks


@dataclass(frozen=True)
class ProfileDocument:
    """A checked export document, as domain objects (ids are those of the new database)."""

    profile: dict[str, Any]  # the profile's fields, checked
    draft: Draft | None = None
    assessments: list[StoredAssessment] = field(default_factory=list)
    plan: Plan | None = None
    plan_created_at: datetime | None = None
    step_states: dict[str, StepStatus] = field(default_factory=dict)
    goal_targets: list[GoalTarget] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    never_say: list[str] = field(default_factory=list)  # in the order added
    post_drafts: list[PostDraft] = field(default_factory=list)  # latest saved first


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def document(
    profile: Profile,
    draft: Draft | None,
    assessments: list[StoredAssessment],
    stored: StoredPlan | None,
    targets: list[GoalTarget],
    checkins: list[CheckIn],
    never_say: list[str],
    post_drafts: list[PostDraft],
) -> dict[str, Any]:
    """Everything about one profile as one JSON-safe, versioned document."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": clock.now().isoformat(),
        "profile": {
            "name": profile.name,
            "language": profile.language,
            "timezone": profile.timezone,
            "hours_per_week": float(profile.hours_per_week),
            "start_date": profile.start_date.isoformat(),
            "playbook_id": profile.playbook_id,
            "regulated_sector": bool(profile.regulated_sector),
            "created_at": profile.created_at.isoformat(),
        },
        "draft": None
        if draft is None
        else {"answers": draft.answers, "updated_at": draft.updated_at.isoformat()},
        "assessments": [
            {
                "taken_at": a.taken_at.isoformat(),
                "playbook_id": a.playbook_id,
                "playbook_version": a.playbook_version,
                "answers": a.answers,
                "result": result_to_dict(a.result),
            }
            for a in assessments
        ],
        "plan": None
        if stored is None
        else {
            "created_at": stored.created_at.isoformat(),
            "plan": plan_to_dict(stored.plan),
            "step_states": [
                {"step_id": sid, "state": s.state, "changed_on": _iso(s.changed_on), "note": s.note}
                for sid, s in sorted(stored.states.items())
                if s.changed_on is not None or s.state != "todo" or s.note
            ],
        },
        "goal_targets": [
            {"goal_id": g.goal_id, "target": float(g.target), "set_on": g.set_on.isoformat()}
            for g in targets
        ],
        "checkins": [checkin_to_dict(c) for c in checkins],
        "never_say": list(never_say),
        "post_drafts": [
            {"text": d.text, "network": d.network, "verdict": d.verdict}
            | {"saved_at": d.saved_at.isoformat()}
            for d in post_drafts
        ],
    }


# ---- reading an export document -----------------------------------------------------------------


class _Broken(Exception):
    """A part of an export document is missing or has the wrong type."""


def _need(
    data: Any, key: str, kind: type | tuple[type, ...], where: str, optional: bool = False
) -> Any:
    if not isinstance(data, dict) or (key not in data and not optional):
        raise _Broken(f"{where}.{key}")
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise _Broken(f"{where}.{key}")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _parse_datetime(text: str, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise _Broken(where) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise _Broken(where) from None


# ---- what the planner and the exports rely on, checked on the document as written ----------------

_LAST_YEAR = 2200  # a plan on two hours a week ends long before; later dates overflow date maths


def _finite(value: Any, low: float, high: float) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):  # compared as it is: a 400-digit int overflows a float
        return bool(low <= value <= high)
    return math.isfinite(value) and low <= value <= high


def _level_ok(value: Any) -> bool:
    return value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    )


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_result(result: dict[str, Any], where: str) -> None:
    """Scores 0-100, levels 1-5, coverage 0-1: what results and the board pack compute with."""
    if result.get("overall_score") is not None and not _finite(result["overall_score"], 0, 100):
        raise _Broken(f"{where}.overall_score")
    if not _level_ok(result.get("overall_level")):
        raise _Broken(f"{where}.overall_level")
    if not _finite(result.get("coverage"), 0, 1):
        raise _Broken(f"{where}.coverage")
    if not _texts(result.get("strengths")) or not _texts(result.get("gaps")):
        raise _Broken(f"{where}.strengths")
    if not isinstance(result.get("dimensions"), list):
        raise _Broken(f"{where}.dimensions")
    for i, d in enumerate(result["dimensions"]):
        ok = isinstance(d, dict) and isinstance(d.get("id"), str)
        ok = (
            ok
            and (d.get("score") is None or _finite(d["score"], 0, 100))
            and _level_ok(d.get("level"))
        )
        ok = ok and _finite(d.get("answered"), 0, 10**6) and _finite(d.get("visible"), 0, 10**6)
        if not ok:
            raise _Broken(f"{where}.dimensions[{i}]")


def _check_plan(plan: dict[str, Any]) -> None:
    """Hours, efforts, targets finite; dates in order and within reach; texts that are texts."""
    if not _finite(plan.get("hours_per_week"), MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK):
        raise _Broken("plan.plan.hours_per_week")
    if plan.get("lang") not in LANGUAGES:
        raise _Broken("plan.plan.lang")
    if not isinstance(plan.get("steps"), list) or not _texts(plan.get("where_to_start")):
        raise _Broken("plan.plan.steps")
    ids = [s.get("id") for s in plan["steps"]]
    if len(set(ids)) != len(ids):
        raise _Broken("plan.plan.steps")
    for i, step in enumerate(plan["steps"]):
        where = f"plan.plan.steps[{i}]"
        start, due = date.fromisoformat(step["start"]), date.fromisoformat(step["due"])
        ok = start <= due and due.year <= _LAST_YEAR and _level_ok(step.get("level"))
        ok = ok and _finite(step.get("effort_hours"), 0, 10_000)
        ok = ok and _finite(step.get("hours_per_week"), 0, MAX_HOURS_PER_WEEK)
        ok = ok and all(isinstance(step.get(k), str) for k in ("title", "dimension", "starter"))
        ok = ok and all(_texts(step.get(k)) for k in ("why", "how", "depends_on"))
        if not ok:
            raise _Broken(where)
        if step.get("phase") not in PHASES:  # the Plan page groups steps by phase
            raise _Broken(f"{where}.phase")
    for i, goal in enumerate(plan.get("goals") or []):
        ok = isinstance(goal, dict) and _finite(goal.get("target"), 0, 10**9)
        ok = ok and goal.get("direction") in ("at_least", "at_most")
        if not ok or not all(isinstance(goal.get(k), str) for k in ("id", "title", "unit")):
            raise _Broken(f"plan.plan.goals[{i}]")
        if goal.get("metric") not in METRICS:  # status and the exports read this figure
            raise _Broken(f"plan.plan.goals[{i}].metric")


def parse(doc: Any) -> ProfileDocument:
    """Check a whole export document and turn it into rows; InvalidInput when anything is off."""
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise InvalidInput("tracking.error.import_format")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version != EXPORT_VERSION:
        raise InvalidInput(
            "tracking.error.import_version", version=json.dumps(version), supported=EXPORT_VERSION
        )
    try:
        return _parse_parts(doc)
    except _Broken as err:
        raise InvalidInput("tracking.error.import_broken", detail=str(err)) from None


def _parse_profile(doc: dict[str, Any]) -> dict[str, Any]:
    number = (int, float)
    p = _need(doc, "profile", dict, "doc")
    return check_fields(
        {
            "name": _need(p, "name", str, "profile"),
            "language": _need(p, "language", str, "profile"),
            "timezone": _need(p, "timezone", str, "profile"),
            "hours_per_week": _need(p, "hours_per_week", number, "profile"),
            "start_date": _parse_date(_need(p, "start_date", str, "profile"), "profile.start_date"),
            "playbook_id": _need(p, "playbook_id", str, "profile"),
            "regulated_sector": _need(p, "regulated_sector", bool, "profile"),
            "created_at": _parse_datetime(
                _need(p, "created_at", str, "profile"), "profile.created_at"
            ),
        }
    )


def _answer_ok(value: Any) -> bool:
    """The shapes an answer takes (text, yes/no, number, list of option ids), bounded."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        return len(value) <= MAX_ANSWER_TEXT_CHARS
    if isinstance(value, int | float):
        return _finite(value, -MAX_ANSWER_NUMBER, MAX_ANSWER_NUMBER)
    if isinstance(value, list):
        short = len(value) <= MAX_ANSWER_ITEMS
        return short and all(isinstance(v, str) and len(v) <= MAX_ANSWER_ID_CHARS for v in value)
    return False


def _answers(data: Any, where: str) -> dict[str, Any]:
    """A mapping of answers of bounded size, each of a shape an answer takes."""
    answers: dict[str, Any] = _need(data, "answers", dict, where)
    if len(answers) > MAX_ANSWERS:
        raise _Broken(f"{where}.answers ({len(answers)} > {MAX_ANSWERS})")
    for qid, value in answers.items():
        if len(qid) > MAX_ANSWER_ID_CHARS or not _answer_ok(value):
            raise _Broken(f"{where}.answers.{qid[:40]}")
    return answers


def _parse_draft(doc: dict[str, Any]) -> Draft | None:
    draft = _need(doc, "draft", dict, "doc", optional=True)
    if draft is None:
        return None
    return Draft(
        answers=_answers(draft, "draft"),
        updated_at=_parse_datetime(_need(draft, "updated_at", str, "draft"), "draft.updated_at"),
    )


def _parse_assessments(doc: dict[str, Any]) -> list[StoredAssessment]:
    out = []
    items = _need(doc, "assessments", list, "doc")
    if len(items) > MAX_ASSESSMENTS:
        raise _Broken("assessments")
    for i, a in enumerate(items):
        where = f"assessments[{i}]"
        raw = _need(a, "result", dict, where)
        try:
            result = result_from_dict(raw)
        except (KeyError, TypeError, ValueError):
            raise _Broken(f"{where}.result") from None
        _check_result(raw, f"{where}.result")
        out.append(
            StoredAssessment(
                id=0,
                taken_at=_parse_datetime(_need(a, "taken_at", str, where), f"{where}.taken_at"),
                playbook_id=_need(a, "playbook_id", str, where),
                playbook_version=_need(a, "playbook_version", str, where),
                answers=_answers(a, where),
                result=result,
            )
        )
    return out


def _parse_step_state(s: Any, where: str, step_ids: set[str]) -> tuple[str, StepStatus]:
    step_id = _need(s, "step_id", str, where)
    state = _need(s, "state", str, where)
    changed_on = _need(s, "changed_on", str, where, optional=True)
    note = _need(s, "note", str, where)
    if state not in STEP_STATES or step_id not in step_ids:
        raise _Broken(where)
    if len(note) > MAX_NOTE_CHARS:
        raise _Broken(f"{where}.note")
    day = None if changed_on is None else _parse_date(changed_on, f"{where}.changed_on")
    return step_id, StepStatus(state, day, note)


def _parse_plan(doc: dict[str, Any]) -> tuple[Plan | None, datetime | None, dict[str, StepStatus]]:
    plan_doc = _need(doc, "plan", dict, "doc", optional=True)
    if plan_doc is None:
        return None, None, {}
    plan_data = _need(plan_doc, "plan", dict, "plan")
    try:
        plan = plan_from_dict(plan_data)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _Broken("plan.plan") from None
    _check_plan(plan_data)
    created = _parse_datetime(_need(plan_doc, "created_at", str, "plan"), "plan.created_at")
    step_ids = {s.id for s in plan.steps}
    states = [
        _parse_step_state(s, f"plan.step_states[{i}]", step_ids)
        for i, s in enumerate(_need(plan_doc, "step_states", list, "plan"))
    ]
    if len({sid for sid, _ in states}) != len(states):
        raise _Broken("plan.step_states")
    return plan, created, dict(states)


def _parse_targets(doc: dict[str, Any]) -> list[GoalTarget]:
    out = []
    for i, g in enumerate(_need(doc, "goal_targets", list, "doc")):
        where = f"goal_targets[{i}]"
        target = _need(g, "target", (int, float), where)
        if not math.isfinite(target) or target < 0:
            raise _Broken(f"{where}.target")
        out.append(
            GoalTarget(
                goal_id=_need(g, "goal_id", str, where),
                target=float(target),
                set_on=_parse_date(_need(g, "set_on", str, where), f"{where}.set_on"),
            )
        )
    return out


def _parse_checkins(doc: dict[str, Any], timezone: str) -> list[CheckIn]:
    checkins = []
    # An export made in a time zone that is already in next week stays importable.
    tomorrow = clock.today_in(timezone) + timedelta(days=1)
    items = _need(doc, "checkins", list, "doc")
    if len(items) > MAX_CHECKINS:
        raise _Broken("checkins")
    for i, c in enumerate(items):
        if not isinstance(c, dict):
            raise _Broken(f"checkins[{i}]")
        checkin = _valid(checkin_from_dict, f"checkins[{i}]", c)
        _valid(validate_checkin, f"checkins[{i}] ({checkin.week})", checkin, tomorrow)
        checkins.append(checkin)
    if len({c.week for c in checkins}) != len(checkins):
        raise _Broken("checkins")
    return checkins


def _parse_parts(doc: dict[str, Any]) -> ProfileDocument:
    profile = _parse_profile(doc)
    plan, created, states = _parse_plan(doc)
    return ProfileDocument(
        profile=profile,
        draft=_parse_draft(doc),
        assessments=_parse_assessments(doc),
        plan=plan,
        plan_created_at=created,
        step_states=states,
        goal_targets=_parse_targets(doc),
        checkins=_parse_checkins(doc, profile["timezone"]),
        never_say=_parse_never_say(doc),
        post_drafts=_parse_post_drafts(doc),
    )


def _parse_never_say(doc: dict[str, Any]) -> list[str]:
    """The never-say list: phrases as the page takes them, within the list's cap."""
    items = _capped(doc, "never_say", MAX_PHRASES)
    return check_phrases(_valid(check_phrase, f"never_say[{i}]", p) for i, p in enumerate(items))


def _parse_post_drafts(doc: dict[str, Any]) -> list[PostDraft]:
    """Saved drafts as the page saves them (text, network, verdict), capped; latest first."""
    out = []
    for i, d in enumerate(_capped(doc, "post_drafts", MAX_SAVED_DRAFTS)):
        where = f"post_drafts[{i}]"
        text, network, verdict = (_need(d, k, str, where) for k in ("text", "network", "verdict"))
        _valid(check_saved, where, text, network, verdict)
        saved_at = _parse_datetime(_need(d, "saved_at", str, where), f"{where}.saved_at")
        out.append(PostDraft(text, network, verdict, saved_at))
    return sorted(out, key=lambda d: d.saved_at, reverse=True)


def _capped(doc: dict[str, Any], key: str, cap: int) -> list[Any]:
    """A list of at most `cap` items; missing in a document older than it, hence optional."""
    items: list[Any] = _need(doc, key, list, "doc", optional=True) or []
    if len(items) > cap:
        raise _Broken(f"{key} ({len(items)} > {cap})")
    return items


def _valid(check: Callable[..., T], where: str, *args: Any) -> T:
    """`check(*args)`; its refusal (InvalidInput, or TypeError on a wrong shape) is a broken
    part at `where`."""
    try:
        return check(*args)
    except (InvalidInput, TypeError):
        raise _Broken(where) from None


# ---- against the profile's playbook -------------------------------------------------------------


def check_against(parsed: ProfileDocument, playbook: Playbook) -> None:
    """The draft answers the profile's playbook asks, each valid for its question.

    The draft is what the Assessment page opens: an unknown question id, an option the
    question does not offer or a number beyond its bounds would break it. Assessments
    already taken keep their answers (an older playbook version may have asked others).
    """
    if parsed.draft is None:
        return
    for qid, value in parsed.draft.answers.items():
        question = playbook.question(qid)
        if question is None:
            raise InvalidInput(
                "importers.profile.unknown_question", question=qid[:40], playbook=playbook.id
            )
        problem = answer_problem(question, value)
        if problem is not None:
            raise InvalidInput("importers.profile.bad_answer", question=qid, playbook=playbook.id)
