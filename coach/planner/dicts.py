"""The plan as JSON-safe data and back (the CLI's `plan --format json`, and storage)."""

from __future__ import annotations

from datetime import date
from typing import Any

from coach.model import Diagnosis, Plan, PlanGoal, Step


def _step_dict(step: Step) -> dict[str, Any]:
    habit = {"recurrence": step.recurrence} if step.kind == "habit" else {}
    return {
        "kind": step.kind,
        **habit,
        "id": step.id,
        "title": step.title,
        "dimension": step.dimension,
        "level": step.level,
        "phase": step.phase,
        "start": step.start.isoformat(),
        "due": step.due.isoformat(),
        "effort_hours": step.effort_hours,
        "hours_per_week": step.hours_per_week,
        "depends_on": list(step.depends_on),
        "why": list(step.why),
        "how": list(step.how),
        "starter": step.starter,
        "quick_win": step.quick_win,
        "order": step.order,
        "duration_weeks": step.duration_weeks,
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-safe data (the CLI's `plan --format json`, and storage)."""
    this_week = plan.step(plan.this_week) if plan.this_week else None
    return {
        "playbook_id": plan.playbook_id,
        "playbook_version": plan.playbook_version,
        "lang": plan.lang,
        "start": plan.start.isoformat(),
        "hours_per_week": plan.hours_per_week,
        "where_to_start": list(plan.where_to_start),
        "this_week": {"id": this_week.id, "title": this_week.title, "starter": this_week.starter}
        if this_week
        else None,
        "steps": [_step_dict(s) for s in plan.steps],
        "diagnosis": {
            "id": plan.diagnosis.id,
            "dimension": plan.diagnosis.dimension,
            "title": plan.diagnosis.title,
            "why": list(plan.diagnosis.why),
        }
        if plan.diagnosis
        else None,
        "load": [{"week": week, "hours": hours} for week, hours in plan.load],
        "left_out": list(plan.left_out),
        "later": list(plan.later),
        "goals": [_goal_dict(g) for g in plan.goals],
        "facts": dict(plan.facts),
    }


def _goal_dict(g: PlanGoal) -> dict[str, Any]:
    doc = {
        "id": g.id,
        "title": g.title,
        "metric": g.metric,
        "target": g.target,
        "unit": g.unit,
        "direction": g.direction,
        "set_by": g.set_by,
        "starts": g.starts.isoformat() if g.starts else None,
        "baseline": g.baseline,
        "why": list(g.why),
    }
    if g.direction == "between":
        doc["low"], doc["high"] = g.low, g.high
    return doc


def plan_from_dict(doc: dict[str, Any]) -> Plan:
    this_week = doc.get("this_week")
    return Plan(
        playbook_id=doc["playbook_id"],
        playbook_version=doc["playbook_version"],
        lang=doc["lang"],
        start=date.fromisoformat(doc["start"]),
        hours_per_week=float(doc["hours_per_week"]),
        steps=tuple(
            Step(
                id=s["id"],
                title=s["title"],
                dimension=s["dimension"],
                level=int(s["level"]),
                phase=s["phase"],
                start=date.fromisoformat(s["start"]),
                due=date.fromisoformat(s["due"]),
                effort_hours=float(s["effort_hours"]),
                hours_per_week=float(s["hours_per_week"]),
                depends_on=tuple(s["depends_on"]),
                why=tuple(s["why"]),
                how=tuple(s["how"]),
                starter=s["starter"],
                quick_win=bool(s["quick_win"]),
                order=int(s["order"]),
                duration_weeks=int(s.get("duration_weeks", 1)),
                kind=s.get("kind", "once"),
                recurrence=s.get("recurrence"),
            )
            for s in doc["steps"]
        ),
        where_to_start=tuple(doc["where_to_start"]),
        this_week=this_week["id"] if isinstance(this_week, dict) else this_week,
        goals=tuple(
            PlanGoal(
                g["id"],
                g["title"],
                g["metric"],
                float(g["target"]),
                g["unit"],
                g["direction"],
                g.get("set_by"),
                date.fromisoformat(g["starts"]) if g.get("starts") else None,
                g.get("baseline"),
                g.get("low"),
                g.get("high"),
                tuple(g.get("why") or ()),
            )
            for g in doc["goals"]
        ),
        facts=dict(doc.get("facts") or {}),
        diagnosis=Diagnosis(
            diag["id"], diag["dimension"], diag["title"], tuple(diag.get("why") or ())
        )
        if isinstance(diag := doc.get("diagnosis"), dict)
        else None,
        load=tuple((x["week"], float(x["hours"])) for x in doc.get("load") or ()),
        left_out=tuple(doc.get("left_out") or ()),
        later=tuple(doc.get("later") or ()),
    )
