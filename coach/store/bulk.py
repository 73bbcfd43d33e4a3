"""Several profiles' records in one query per table (`Store.profile_data`).

The per-profile readers of plans.py and checkins.py answer one profile; a
portfolio or a snapshot reads everything at once, inside one transaction, with
`profile_id IN (…)` in chunks (under every engine's parameter limit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select

from coach.checkin import CheckIn
from coach.planner import plan_from_dict
from coach.records import TODO, StepStatus, StoredAssessment, StoredPlan
from coach.store.rows import CHECKIN_COLUMNS, assessment_from_row, checkin_from_row
from coach.store.schema import (
    assessments_t,
    checkins_t,
    drafts_t,
    goal_targets_t,
    plans_t,
    step_states_t,
)

CHUNK = 500


@dataclass
class Bulk:
    assessments: dict[int, list[StoredAssessment]] = field(
        default_factory=lambda: defaultdict(list)
    )
    plans: dict[int, StoredPlan] = field(default_factory=dict)
    checkins: dict[int, list[CheckIn]] = field(default_factory=lambda: defaultdict(list))
    targets: dict[int, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    drafts: dict[int, dict[str, Any]] = field(default_factory=dict)


def _rows(
    conn: Connection, table: Table, ids: Sequence[int], *columns: Any, order: Sequence[Any] = ()
) -> Iterator[Any]:
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        query = select(*(columns or (table,))).where(table.c.profile_id.in_(chunk)).order_by(*order)
        yield from conn.execute(query).all()


def read_bulk(conn: Connection, ids: Sequence[int]) -> Bulk:
    """Assessments (oldest first), plans with step states, check-ins (oldest week first),
    latest goal targets and drafts of the profiles `ids`."""
    out = Bulk()
    if not ids:
        return out
    by_date = (assessments_t.c.profile_id, assessments_t.c.taken_at, assessments_t.c.id)
    for r in _rows(conn, assessments_t, ids, order=by_date):
        out.assessments[int(r.profile_id)].append(assessment_from_row(r))
    states: dict[int, dict[str, StepStatus]] = defaultdict(dict)
    for r in _rows(conn, step_states_t, ids):
        states[int(r.profile_id)][r.step_id] = StepStatus(r.state, r.changed_on, r.note)
    for r in _rows(conn, plans_t, ids):
        plan = plan_from_dict(r.plan)
        saved = states.get(int(r.profile_id), {})
        out.plans[int(r.profile_id)] = StoredPlan(
            plan=plan,
            states={s.id: saved.get(s.id, TODO) for s in plan.steps},
            created_at=r.created_at,
        )
    pid = checkins_t.c.profile_id
    for r in _rows(conn, checkins_t, ids, pid, *CHECKIN_COLUMNS, order=(pid, checkins_t.c.week)):
        out.checkins[int(r[0])].append(checkin_from_row(r[1:]))
    for r in _rows(
        conn, goal_targets_t, ids, order=(goal_targets_t.c.profile_id, goal_targets_t.c.id)
    ):
        out.targets[int(r.profile_id)][r.goal_id] = float(r.target)  # the latest wins
    for r in _rows(conn, drafts_t, ids):
        out.drafts[int(r.profile_id)] = dict(r.answers or {})
    return out
