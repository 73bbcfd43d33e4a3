"""The `demo` profile: a completed assessment, a plan under way, 16 weeks of check-ins.

The weekly figures come from data/demo/checkins.csv, a seeded pattern whose weeks
are offsets (-15 .. 0) from the last completed week, so the demo looks current
on any date. `python -m coach.demo` writes the pattern again (it is deterministic;
a test checks the file matches).
"""

from __future__ import annotations

import csv
import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from coach import clock
from coach.checkin import CheckIn, checkin_to_dict, parse_week, week_of
from coach.errors import InvalidInput
from coach.planner import build_plan, plan_to_dict
from coach.playbook import default_playbook_path, load_playbook
from coach.profile import Profile
from coach.records import Store
from coach.scoring import check_answers, result_to_dict, score
from coach.store.db import PROJECT_ROOT
from coach.store.transfer import EXPORT_FORMAT, EXPORT_VERSION

DEMO_DIR = PROJECT_ROOT / "data" / "demo"
PATTERN_CSV = DEMO_DIR / "checkins.csv"
ANSWERS_FILE = DEMO_DIR / "answers.yaml"
# The same manager six months earlier, so the demo shows the change since a previous assessment.
EARLIER_ANSWERS_FILE = DEMO_DIR / "answers-earlier.yaml"
EARLIER_BY = timedelta(weeks=26)
DEMO_PROFILE = "demo"
DEMO_TIMEZONE = "America/Toronto"
SEED = 2026
WEEKS = 16
COLUMNS = (
    "week_offset",
    "posts",
    "received",
    "replies",
    "median_response_hours",
    "followers",
    "mentions",
    "monitoring_sessions",
    "employee_touchpoints",
    "note_fr",
    "note_en",
)
# (week index, French note, English note): what a manager jots down on a few weeks.
NOTES = {
    0: ("Premier billet : présentation de l’équipe.", "First post: introducing the team."),
    3: ("Réponses groupées le vendredi, trop tard.", "Replied in one batch on Friday, too late."),
    6: (
        "10 minutes de réponses chaque matin : ça marche.",
        "10 minutes of replies every morning: it works.",
    ),
    9: ("Vacances : rien publié.", "Vacation: nothing posted."),
    12: (
        "Un employé a partagé mon billet sur la sécurité.",
        "An employee shared my post on safety.",
    ),
    15: ("Trois sujets prêts pour la semaine prochaine.", "Three topics ready for next week."),
}
VACATION = 9


def generate_pattern(weeks: int = WEEKS, seed: int = SEED) -> list[dict[str, Any]]:
    """A manager's first `weeks` weeks: posting and replies grow, response time falls."""
    rng = random.Random(seed)
    rows = []
    followers = 480
    for i in range(weeks):
        progress = i / max(weeks - 1, 1)
        received = 3 + round(11 * progress) + rng.randint(0, 3)
        rate = min(0.55 + 0.4 * progress + rng.uniform(-0.05, 0.05), 1.0)
        row: dict[str, Any] = {
            "week_offset": i - (weeks - 1),
            "posts": max(0, round(0.6 + 2.2 * progress + rng.uniform(-0.6, 0.6))),
            "received": received,
            "replies": min(received, round(received * rate)),
            "median_response_hours": round(38 * (1 - progress) + 8 + rng.uniform(-3, 3), 1),
            "mentions": max(0, round(3 * progress + rng.uniform(-1, 1.2))),
            "monitoring_sessions": 1 + round(2 * progress + rng.uniform(-0.5, 0.5)),
            "employee_touchpoints": max(0, round(0.3 + 2.5 * progress + rng.uniform(-0.7, 0.7))),
        }
        if i == VACATION:
            row.update(posts=0, received=2, replies=1, median_response_hours=52.0, mentions=0)
            row.update(monitoring_sessions=0, employee_touchpoints=0)
        followers += 0 if i == VACATION else 2 + round(14 * progress) + rng.randint(0, 4)
        row["followers"] = followers
        row["note_fr"], row["note_en"] = NOTES.get(i, ("", ""))
        rows.append({key: row[key] for key in COLUMNS})
    return rows


def write_pattern(path: Path = PATTERN_CSV) -> None:
    """Write the seeded pattern as CSV (UTF-8, one row per week)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(generate_pattern())


def read_pattern(path: Path = PATTERN_CSV) -> list[dict[str, Any]]:
    """The pattern rows, with numbers as numbers."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for row in rows:
        parsed: dict[str, Any] = {
            k: int(row[k]) for k in COLUMNS[:9] if k != "median_response_hours"
        }
        parsed["median_response_hours"] = float(row["median_response_hours"])
        parsed["note_fr"], parsed["note_en"] = row["note_fr"], row["note_en"]
        out.append(parsed)
    return out


def demo_checkins(today: date, lang: str, path: Path = PATTERN_CSV) -> list[CheckIn]:
    """The pattern laid on the weeks ending with the last completed week before `today`."""
    last_monday = parse_week(week_of(today)) - timedelta(days=7)
    checkins = []
    rows = read_pattern(path)
    for index, row in enumerate(rows):
        week = week_of(last_monday + timedelta(weeks=row["week_offset"]))
        progress = index / max(len(rows) - 1, 1)
        checkins.append(
            CheckIn(
                week=week,
                posts=row["posts"],
                received=row["received"],
                replies=row["replies"],
                median_response_hours=row["median_response_hours"],
                followers=row["followers"],
                mentions=row["mentions"],
                monitoring_sessions=row["monitoring_sessions"],
                employee_touchpoints=row["employee_touchpoints"],
                # Perception and outcomes: a pulse every fourth week, the share of positive
                # mentions when there were mentions, and results tied to the purpose.
                pulse_score=round(52 + 18 * progress, 1) if index % 4 == 3 else None,
                positive_mentions_pct=(round(55 + 25 * progress, 1) if row["mentions"] else None),
                outcomes=round(2 * progress) if index != VACATION else 0,
                note=row["note_fr"] if lang == "fr" else row["note_en"],
                source="typed",
            )
        )
    return checkins


def _read_answers(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    if not path.exists():
        raise InvalidInput("tracking.demo.missing", path=str(path))
    with path.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle) or {}
    if isinstance(doc, dict) and isinstance(doc.get("answers"), dict):
        return doc["answers"], dict(doc.get("facts") or {})
    if not isinstance(doc, dict):
        raise InvalidInput("tracking.demo.missing", path=str(path))
    return doc, {}


def _step_states(plan: Any, today: date) -> list[dict[str, Any]]:
    """Done when due more than a week ago (one left in progress, late); doing when under way."""
    states = []
    past = [s for s in sorted(plan.steps, key=lambda s: s.due) if s.due < today - timedelta(days=7)]
    late = past[-1].id if len(past) > 2 else None
    for step in plan.steps:
        if step.id in {s.id for s in past} and step.id != late:
            states.append(
                {
                    "step_id": step.id,
                    "state": "done",
                    "changed_on": step.due.isoformat(),
                    "note": "",
                }
            )
        elif step.id == late or step.start <= today:
            states.append(
                {
                    "step_id": step.id,
                    "state": "doing",
                    "changed_on": step.start.isoformat(),
                    "note": "",
                }
            )
    return sorted(states, key=lambda s: s["step_id"])


def demo_document(
    today: date | None = None,
    lang: str = "fr",
    playbook_path: Path | None = None,
    answers_path: Path | None = None,
    pattern_path: Path = PATTERN_CSV,
) -> dict[str, Any]:
    """The demo profile as an export document (see Store.export_profile)."""
    today = today or clock.today_in(DEMO_TIMEZONE)
    playbook_path = Path(playbook_path or default_playbook_path())
    if not playbook_path.exists():
        raise InvalidInput("tracking.demo.missing", path=str(playbook_path))
    playbook = load_playbook(playbook_path)
    answers, facts = _read_answers(Path(answers_path or ANSWERS_FILE))
    hours = float(facts.get("hours_per_week", 2.0))
    facts = {
        "regulated_sector": bool(facts.get("regulated_sector", False)),
        "hours_per_week": hours,
    }
    checkins = demo_checkins(today, lang, pattern_path)
    start = parse_week(checkins[0].week)
    result = score(playbook, answers, facts)
    plan = build_plan(
        playbook, answers, result, start=start, hours_per_week=hours, lang=lang, facts=facts
    )
    plan = replace(plan, facts=dict(plan.facts))
    zone = ZoneInfo(DEMO_TIMEZONE)
    taken_at = datetime.combine(start, time(9, 0), zone)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": clock.now().astimezone(zone).isoformat(),
        "profile": {
            "name": DEMO_PROFILE,
            "language": lang,
            "timezone": DEMO_TIMEZONE,
            "hours_per_week": hours,
            "start_date": start.isoformat(),
            "playbook_id": playbook.id,
            "regulated_sector": facts["regulated_sector"],
            "created_at": taken_at.isoformat(),
        },
        "draft": None,
        "assessments": [
            *_earlier_assessment(playbook, facts, taken_at, answers_path),
            {
                "taken_at": taken_at.isoformat(),
                "playbook_id": playbook.id,
                "playbook_version": playbook.version,
                "answers": answers,
                "result": result_to_dict(result),
            },
        ],
        "plan": {
            "created_at": taken_at.isoformat(),
            "plan": plan_to_dict(plan),
            "step_states": _step_states(plan, today),
        },
        "goal_targets": [],
        "checkins": [checkin_to_dict(c) for c in checkins],
    }


def _earlier_assessment(
    playbook: Any, facts: dict[str, Any], taken_at: datetime, answers_path: Any
) -> list[dict[str, Any]]:
    """The previous assessment, when the demo uses its own answers (not a caller's file)."""
    if answers_path is not None or not EARLIER_ANSWERS_FILE.exists():
        return []
    answers, _ = _read_answers(EARLIER_ANSWERS_FILE)
    if check_answers(playbook, answers):  # written for the default playbook only
        return []
    result = score(playbook, answers, facts)
    return [
        {
            "taken_at": (taken_at - EARLIER_BY).isoformat(),
            "playbook_id": playbook.id,
            "playbook_version": playbook.version,
            "answers": answers,
            "result": result_to_dict(result),
        }
    ]


def build_demo(store: Store, today: date | None = None, lang: str = "fr", **paths: Any) -> Profile:
    """Create or refresh the `demo` profile, in one transaction."""
    return store.import_profile(demo_document(today, lang, **paths), replace=True)


if __name__ == "__main__":
    write_pattern()
    print(f"wrote {PATTERN_CSV}")
