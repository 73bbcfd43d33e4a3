"""Triggered actions -> a diagnosed, ordered, paced, explained plan.

A coach names the central issue first: the first playbook `diagnoses` rule that
holds gives the plan's diagnosis, and its actions lead the plan in their order.
Order: dependencies and `sequence` rules first (listen before posting, the
"never say" list before the first post...); among the steps free to start, the
diagnosis's actions, then the weakest dimensions, the foundations (lower
levels) and the quick wins (as OWASP SAMM roadmaps do). The priority of the
other actions is

    dimension score + 25 x (action level - 1) - 15 if it is a quick win

(lower first; ties keep the playbook's order), so the plan is stable and
deterministic. Scheduling is week by week from the start date: a step's effort
is spread evenly over its weeks; a habit, once set up, keeps costing its
`habit_hours` every week; no week ever holds more hours than the manager gives
(new time on top of today's routine). The playbook's `pacing` spaces new
habits, caps the share of the hours habits may take, and limits how many new
things start in the first 30 days for a short budget.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.rrule import rrulestr

from coach import clock
from coach.checkin import week_of
from coach.conditions import Context, check_and_explain, evaluate
from coach.errors import InvalidInput
from coach.i18n import fmt_number, t, unit_for
from coach.model import (
    PHASES,
    Action,
    AssessmentResult,
    BoardAsk,
    Diagnosis,
    DiagnosisRule,
    Direction,
    Goal,
    Pacing,
    Plan,
    PlanGoal,
    Playbook,
    SequenceRule,
    Step,
)
from coach.profile import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK

EPSILON = 1e-9
# For each action, the actions a sequence rule puts first, with that rule.
Edges = dict[str, list[tuple[str, SequenceRule]]]
# Steps kept where they are (done): id -> (start, due, habit hours, hours in their first week).
Fixed = dict[str, tuple[date, date, float, float]]
PHASE_LIMITS = ((30, "days-30"), (60, "days-60"), (90, "days-90"))
WHERE_TO_START = 3
LOAD_WEEKS = 26
MIN_FREE_SHARE = 0.25  # the share of the weekly hours running habits always leave free


def triggered(playbook: Playbook, ctx: Context, lang: str = "en") -> dict[str, tuple[str, ...]]:
    """Actions whose `when` holds and whose `unless` does not (playbook order), with their reasons."""
    found: dict[str, tuple[str, ...]] = {}
    for action in playbook.actions:
        holds, reasons = check_and_explain(action.when, ctx, playbook, lang)
        if holds and not (action.unless and evaluate(action.unless, ctx)):
            found[action.id] = tuple(reasons)
    return found


def priority(action: Action, result: AssessmentResult, index: int) -> tuple[float, int]:
    dim = result.score_of(action.dimension)
    dim_score = dim.score if dim is not None and dim.score is not None else 50.0
    return (dim_score + 25 * (action.level - 1) - (15 if action.quick_win else 0), index)


@dataclass
class _Slot:
    week: int
    weeks: int
    per_week: float


class _Calendar:
    """Hours booked per week; finds the first run of weeks with room for a step.

    Weeks are grouped in blocks that remember their largest free room, so a
    search skips whole blocks that cannot take the step (1,000 steps stay fast).
    A running habit books its weekly cost on every week from its start on,
    including the weeks not yet looked at (`tail`: the room of any later week).
    """

    BLOCK = 32

    def __init__(self, hours: float) -> None:
        self.hours = hours
        self.tail = hours
        self.room: list[float] = []
        self.block_max: list[float] = []

    def _grow(self, size: int) -> None:
        while len(self.room) < size:
            self.room.extend([self.tail] * self.BLOCK)
            self.block_max.append(self.tail)

    def _refresh(self, first: int, last: int) -> None:
        for b in range(first // self.BLOCK, last // self.BLOCK + 1):
            self.block_max[b] = max(self.room[b * self.BLOCK : (b + 1) * self.BLOCK])

    def book(self, week: int, weeks: int, per_week: float) -> None:
        self._grow(week + weeks)
        room = self.room
        for w in range(week, week + weeks):
            room[w] -= per_week
        self._refresh(week, week + weeks - 1)

    def book_forever(self, week: int, per_week: float) -> None:
        """A habit's weekly cost from `week` on, with no end."""
        self._grow(week + 1)
        room = self.room
        for w in range(week, len(room)):
            room[w] -= per_week
        self.tail -= per_week
        self._refresh(week, len(room) - 1)

    def _first_fit(self, week: int, need: float) -> int:
        """The first week >= `week` with at least `need` hours free."""
        room, size = self.room, self.BLOCK
        while week < len(room):
            block = week // size
            if self.block_max[block] < need:
                week = (block + 1) * size
                continue
            end = (block + 1) * size
            while week < end and room[week] < need:
                week += 1
            if week < end:
                return week
        return week  # past the booked weeks: the tail's room

    def _span(self, effort: float, duration: int) -> tuple[int, float]:
        usable = max(min(self.hours, self.tail), EPSILON)
        weeks = max(duration, math.ceil(effort / usable - EPSILON))
        return weeks, effort / weeks

    def place(self, effort: float, duration: int, earliest: int, habit: float = 0.0) -> _Slot:
        """First slot from `earliest` for a step, booked; a habit also books every later week."""
        slot = self.find(effort, duration, earliest, habit)
        self.book(slot.week, slot.weeks, slot.per_week)
        if habit:
            self.book_forever(slot.week + slot.weeks, habit)
        return slot

    def find(self, effort: float, duration: int, earliest: int, habit: float = 0.0) -> _Slot:
        """First slot from `earliest` for a step, not booked; a habit needs every later week too."""
        weeks, per_week = self._span(effort, duration)
        need = per_week - EPSILON
        room = self.room
        week = earliest
        while True:
            week = self._first_fit(week, need)
            last = min(week + weeks, len(room))
            blocked = next((w for w in range(week, last) if room[w] < need), None)
            if blocked is None and habit:
                blocked = next(
                    (w for w in range(week + weeks, len(room)) if room[w] < habit - EPSILON), None
                )
            if blocked is None:
                return _Slot(week, weeks, per_week)
            week = blocked + 1


def phase_of(offset_days: int) -> str:
    for limit, name in PHASE_LIMITS:
        if offset_days < limit:
            return name
    return PHASES[-1]


def week_start(start: date, week: int) -> date:
    return start + timedelta(days=7 * week)


def check_hours(hours_per_week: Any) -> float:
    """Hours per week within the profile's bounds (coach.profile), as a float."""
    if isinstance(hours_per_week, bool) or not isinstance(hours_per_week, int | float):
        raise InvalidInput("engine.plan.hours_number", value=hours_per_week)
    if not MIN_HOURS_PER_WEEK <= hours_per_week <= MAX_HOURS_PER_WEEK:
        raise InvalidInput(
            "engine.plan.hours_range",
            value=hours_per_week,
            min=MIN_HOURS_PER_WEEK,
            max=MAX_HOURS_PER_WEEK,
        )
    return float(hours_per_week)


# ---- diagnosis and sequence ---------------------------------------------------------------------


def diagnose(
    playbook: Playbook, ctx: Context, lang: str
) -> tuple[DiagnosisRule | None, Diagnosis | None]:
    """The first diagnosis rule (playbook order) that holds: the manager's central issue."""
    for rule in playbook.diagnoses:
        holds, reasons = check_and_explain(rule.when, ctx, playbook, lang)
        if holds:
            why = (*merge_reasons(reasons, lang), rule.why.get(lang))
            return rule, Diagnosis(rule.id, rule.dimension, rule.title.get(lang), why)
    return None, None


def sequence_edges(playbook: Playbook, present: set[str], ctx: Context | None = None) -> Edges:
    """For each present action, the present actions that must come first, with the rule.

    A rule with a `when` applies only to the managers it holds for (`ctx`).
    """
    edges: Edges = {}
    for rule in playbook.sequence:
        if rule.when is not None and (ctx is None or not evaluate(rule.when, ctx)):
            continue
        firsts = [a for a in rule.first if a in present]
        if not firsts:
            continue
        for then in rule.then:
            if then in present:
                edges.setdefault(then, []).extend((f, rule) for f in firsts if f != then)
    return edges


def _must_follow(action: Action, present: set[str], edges: Edges) -> list[str]:
    deps = [d for d in action.depends_on if d in present]
    deps += [f for f, _ in edges.get(action.id, ()) if f not in deps]
    return deps


def order_actions(
    actions: list[Action],
    result: AssessmentResult,
    edges: Edges | None = None,
    first: tuple[str, ...] = (),
) -> list[Action]:
    """Topological order (dependencies and sequence rules first), best priority among the ready.

    The diagnosis's actions (`first`, in their order) come before everything else.
    """
    present = {a.id for a in actions}
    edges = edges or {}
    waiting = {a.id: set(_must_follow(a, present, edges)) for a in actions}
    by_id = {a.id: a for a in actions}
    dependants: dict[str, list[str]] = {a.id: [] for a in actions}
    for aid, deps in waiting.items():
        for dep in deps:
            dependants[dep].append(aid)
    keys: dict[str, tuple[float, ...]] = {
        a.id: (1, *priority(a, result, i), 0) for i, a in enumerate(actions)
    }
    # The diagnosis's actions lead, in their order; what must come before one of them
    # (a dependency, a sequence rule) leads with it, just ahead.
    ranked: set[str] = set()
    for rank, aid in enumerate(a for a in first if a in present):
        stack, depth = [(aid, 0)], dict[str, int]()
        while stack:
            node, level = stack.pop()
            if node in ranked or depth.get(node, -1) >= level:
                continue
            depth[node] = level
            stack.extend((d, level + 1) for d in waiting.get(node, ()))
        for node, level in depth.items():
            keys[node] = (0, rank, -level, 0.0, 0, 0)
        ranked.update(depth)
    ready = [(keys[aid], aid) for aid, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[Action] = []
    while ready:
        _, aid = heapq.heappop(ready)
        ordered.append(by_id[aid])
        for nxt in dependants[aid]:
            waiting[nxt].discard(aid)
            if not waiting[nxt]:
                heapq.heappush(ready, (keys[nxt], nxt))
    # A cycle cannot pass the validator; keep any leftover in playbook order rather than lose it.
    done = {a.id for a in ordered}
    ordered.extend(a for a in actions if a.id not in done)
    return ordered


# ---- scheduling ---------------------------------------------------------------------------------


@dataclass
class _Item:
    """What the scheduler needs of a step (an action, or a saved step when rescheduling)."""

    id: str
    effort: float
    duration: int
    kind: str
    habit_hours: float
    after: list[str]
    quick_win: bool = False


class _Pacer:
    """Places steps in order: habits spaced and capped, few new things in a short first month."""

    def __init__(self, playbook_pacing: Pacing, hours: float, first_week: int = 0) -> None:
        self.pacing = playbook_pacing
        self.hours = hours
        self.calendar = _Calendar(hours)
        self.first_week = first_week
        self.finish: dict[str, int] = {}
        self.habit_load = 0.0
        self.last_habit: int | None = None
        self.first_month = 0
        self.month_weeks = math.ceil(30 / 7)

    def fix(
        self,
        step_id: str,
        start_week: int,
        end_week: int,
        habit_hours: float,
        per_week: float = 0.0,
    ) -> None:
        """A step kept where it is (done): it still finishes there and a habit keeps costing.

        Its own weeks from the first open week on stay booked, so the load never
        exceeds the hours even where a kept step and new ones overlap.
        """
        self.finish[step_id] = end_week
        first = max(start_week, self.first_week)
        if per_week and end_week > first:
            self.calendar.book(first, end_week - first, per_week)
        if habit_hours:
            self.habit_load += habit_hours
            self.calendar.book_forever(max(end_week, self.first_week), habit_hours)
            self.last_habit = max(self.last_habit or 0, start_week)

    def _first_month_limit(self) -> int | None:
        """How many new things a short budget starts in the first month (None: no limit)."""
        limit = self.pacing.first_month_limit
        if limit is None or self.hours > self.pacing.first_month_hours + EPSILON:
            return None
        return limit

    def _counts(self, item: _Item) -> bool:
        """A short quick win is not a new thing to carry: it never counts in the first month."""
        short = item.effort <= self.pacing.quick_win_hours + EPSILON
        return not (item.quick_win and short)

    def place(self, item: _Item) -> tuple[_Slot | None, set[str]]:
        """(slot, pacing reasons used), or (None, reasons) when the step is not placed.

        None with "later": it would start beyond the plan's horizon (`max_plan_weeks`);
        None alone: a habit that finds no room in the hours.
        """
        used: set[str] = set()
        habit = item.habit_hours if item.kind == "habit" else 0.0
        if habit and not self._room_for_habit(habit):
            return None, used
        return self._book(item, habit, used), used

    def place_once(self, item: _Item) -> _Slot:
        """A one-off step: it always finds a slot, if need be after everything else."""
        slot = self._book(item, 0.0, set())
        if slot is None:  # beyond the horizon: rescheduling keeps every step all the same
            slot = self.calendar.place(item.effort, item.duration, self.first_week)
            self.finish[item.id] = slot.week + slot.weeks
        return slot

    def _room_for_habit(self, habit: float) -> bool:
        if self.habit_load + habit > self.pacing.habit_share * self.hours + EPSILON:
            return False
        # Whatever the playbook allows, habits never take the whole week: one-off
        # steps must always find some room, or they could never be placed.
        return self.calendar.tail - habit >= MIN_FREE_SHARE * self.hours - EPSILON

    def _book(self, item: _Item, habit: float, used: set[str]) -> _Slot | None:
        """Book the first slot the pacing allows; `used` gets the pacing reasons that applied."""
        earliest = max([self.first_week, *(self.finish.get(d, 0) for d in item.after)])
        if habit and self.last_habit is not None:
            spaced = self.last_habit + self.pacing.habit_gap_weeks
            if spaced > earliest:
                earliest = spaced
                used.add("gap")
        limit = self._first_month_limit()
        counts = self._counts(item)
        if limit is not None and counts and earliest < self.month_weeks:
            if self.first_month >= limit:
                # Pushed to the second month, and said so only if it would have started
                # in the first month without the limit.
                natural = self.calendar.find(item.effort, item.duration, earliest, habit)
                earliest = self.month_weeks
                if natural.week < self.month_weeks:
                    used.add("first_month")
            else:
                # The new things of a short first month are spread over its weeks, so no
                # week of the first month stays empty.
                earliest = max(earliest, self.first_month * self.month_weeks // limit)
        slot = self.calendar.find(item.effort, item.duration, earliest, habit)
        if slot.week * 7 > 60:
            # It lands beyond the second month for other reasons (the hours are full):
            # the first-month limit is not why it waits, so the plan does not say so.
            used.discard("first_month")
        horizon = self.pacing.max_plan_weeks
        if horizon is not None and slot.week >= horizon:
            used.add("later")
            return None
        self.calendar.book(slot.week, slot.weeks, slot.per_week)
        if habit:
            self.calendar.book_forever(slot.week + slot.weeks, habit)
        self.finish[item.id] = slot.week + slot.weeks
        if slot.week < self.month_weeks and counts:
            self.first_month += 1
        if habit:
            self.habit_load += habit
            self.last_habit = slot.week
        return slot


# ---- building the plan --------------------------------------------------------------------------


def _context(answers: dict[str, Any], result: AssessmentResult, facts: dict[str, Any]) -> Context:
    visible = set(result.visible_questions)
    return Context(
        answers={k: v for k, v in answers.items() if k in visible}, facts=facts, result=result
    )


def build_plan(
    playbook: Playbook,
    answers: dict[str, Any],
    result: AssessmentResult,
    start: date,
    hours_per_week: float,
    lang: str = "fr",
    facts: dict[str, Any] | None = None,
) -> Plan:
    """The manager's plan: a diagnosis, then triggered actions, ordered, paced and explained."""
    hours = check_hours(hours_per_week)
    facts = {"regulated_sector": False, **(facts or {}), "hours_per_week": hours}
    ctx = _context(answers, result, facts)
    reasons = triggered(playbook, ctx, lang)
    diagnosis, edges, actions = _diagnosed_order(playbook, ctx, result, lang, reasons)
    steps, left_out, later = _schedule(playbook, actions, reasons, edges, lang, start, hours)
    plan = _assemble(playbook, result, ctx, lang, start, hours, steps, facts, diagnosis, left_out)
    return replace(plan, later=later)


def _diagnosed_order(
    playbook: Playbook,
    ctx: Context,
    result: AssessmentResult,
    lang: str,
    reasons: dict[str, tuple[str, ...]],
) -> tuple[Diagnosis | None, Edges, list[Action]]:
    """The diagnosis, the sequence rules' edges and the triggered actions in plan order."""
    rule, diagnosis = diagnose(playbook, ctx, lang)
    edges = sequence_edges(playbook, set(reasons), ctx)
    triggered_actions = [a for aid in reasons if (a := playbook.action(aid)) is not None]
    actions = order_actions(triggered_actions, result, edges, rule.actions if rule else ())
    return diagnosis, edges, actions


def _week_index(start: date, day: date) -> int:
    """The plan week (0 from `start`) holding `day`; 0 for any day before the start."""
    return max(0, (day - start).days // 7)


def _end_week(start: date, due: date) -> int:
    """The first plan week after the one holding `due`."""
    return max(0, math.ceil(((due - start).days + 1) / 7))


def _schedule(
    playbook: Playbook,
    actions: list[Action],
    reasons: dict[str, tuple[str, ...]],
    edges: Edges,
    lang: str,
    start: date,
    hours: float,
    fixed: Fixed | None = None,
    first_week: int = 0,
) -> tuple[tuple[Step, ...], tuple[str, ...], tuple[str, ...]]:
    """(steps, left out, later): steps placed in order by the pacer.

    Habits that find no room are left out; steps that would start beyond the plan's
    horizon wait for the next plan (`later`). A habit that `replaces` another of the
    plan costs only what it adds to the one it takes over.
    """
    pacer = _Pacer(playbook.pacing, hours, first_week)
    fixed = fixed or {}
    for step_id, (s_start, s_due, habit_hours, per_week) in fixed.items():
        pacer.fix(
            step_id,
            _week_index(start, s_start),
            _end_week(start, s_due),
            habit_hours,
            per_week,
        )
    present = {a.id for a in actions}
    titles = {a.id: a.title.get(lang) for a in actions}
    steps: list[Step] = []
    left_out: list[str] = []
    later: list[str] = []
    dropped: set[str] = set()
    cost: dict[str, float] = {}  # habits placed: their weekly cost
    for order, action in enumerate(actions):
        after = _must_follow(action, present, edges)
        slot: _Slot | None
        used: set[str] = set()
        taken = [r for r in action.replaces if r in cost]
        habit_hours = max(0.0, action.habit_hours - sum(cost[r] for r in taken))
        if action.id in fixed:
            s_start, s_due, *_ = fixed[action.id]
            slot = _Slot(
                _week_index(start, s_start), max(1, ((s_due - s_start).days + 1) // 7), 0.0
            )
        else:
            item = _Item(
                action.id,
                action.effort_hours,
                action.duration_weeks,
                action.kind,
                habit_hours,
                [d for d in after if d not in dropped],
                action.quick_win,
            )
            slot, used = pacer.place(item)
            if slot is None:
                (later if "later" in used else left_out).append(action.id)
                dropped.add(action.id)
                continue
        why = _why(action, reasons[action.id], edges, present, titles, used, playbook, lang)
        if taken:
            why += (_replaces_reason(taken, titles, habit_hours, lang),)
        deps = tuple(d for d in action.depends_on if d in present and d not in dropped)
        step = _step(action, why, lang, start, slot, order, deps)
        if action.kind == "habit":
            cost[action.id] = habit_hours if action.id not in fixed else action.habit_hours
            step = replace(step, hours_per_week=habit_hours)
        if action.id in fixed:
            s_start, s_due, *_ = fixed[action.id]
            step = replace(step, start=s_start, due=s_due, phase=phase_of((s_start - start).days))
        steps.append(step)
    steps.sort(key=lambda s: (s.start, s.order))
    return tuple(steps), tuple(left_out), tuple(later)


@functools.lru_cache(maxsize=64)
def _template(key: str, lang: str, *names: str) -> tuple[str, ...]:
    """A message's fixed parts around its placeholders `names` (in that order)."""
    marks = {name: f"\x00{name}\x00" for name in names}
    return tuple(re.split("\x00[a-z]+\x00", t(key, lang, **marks)))


def _between(text: str, head: str, tail: str) -> str | None:
    """What `text` holds between `head` and `tail`, or None when it is not of that form."""
    if len(text) > len(head) + len(tail) and text.startswith(head) and text.endswith(tail):
        return text[len(head) : len(text) - len(tail)]
    return None


def merge_reasons(reasons: tuple[str, ...] | list[str], lang: str) -> list[str]:
    """One "Because you answered that …" per step, the answers joined ("…, and that …").

    Two quotes of the same question ("Because you answered “A” to “Q”") become one
    with both answers. Other reasons (scores, facts) stay as they are, in order.
    """
    if len(reasons) < 2:
        return list(reasons)
    forms = [
        _template(f"engine.reason.{key}", lang, "reason")
        for key in ("answered_that", "answered_that_elided")
    ]
    head, middle, tail = _template("engine.reason.quoted", lang, "answer", "question")
    out: list[str] = []
    that: list[tuple[int, str]] = []  # (form, reason) of each "answered that"
    that_at: int | None = None
    quotes: dict[str, list[str]] = {}  # question -> answers given
    quote_at: dict[str, int] = {}
    for reason in reasons:
        found = next(
            (
                (i, inner)
                for i, (h, tl) in enumerate(forms)
                if (inner := _between(reason, h, tl)) is not None
            ),
            None,
        )
        if found is not None:
            if that_at is None:
                that_at = len(out)
                out.append(reason)
            that.append(found)
            continue
        inner = _between(reason, head, tail)
        if inner is not None and middle in inner:
            answer, question = inner.split(middle, 1)
            if question in quotes:
                quotes[question].append(answer)
                continue
            quotes[question], quote_at[question] = [answer], len(out)
        out.append(reason)
    if len(that) > 1 and that_at is not None:
        form, first = that[0]
        more = "".join(
            t("engine.reason.and_that_elided" if i else "engine.reason.and_that", lang, reason=r)
            for i, r in that[1:]
        )
        out[that_at] = forms[form][0] + first + more + forms[form][1]
    for question, given in quotes.items():
        if len(given) > 1:
            out[quote_at[question]] = t(
                "engine.reason.quoted_answers",
                lang,
                answers=quote_titles(given, lang),
                question=question,
            )
    return out


def quote_titles(names: list[str], lang: str) -> str:
    """Step titles quoted and joined ("A" and "B"); quotes inside a title become inner quotes."""
    if lang == "fr":
        inner = [n.replace("«\u00a0", "“").replace("\u00a0»", "”") for n in names]
        inner = [n.replace("« ", "“").replace(" »", "”") for n in inner]
        quoted = [f"«\u00a0{n}\u00a0»" for n in inner]
    else:
        quoted = ["“" + n.replace("“", "‘").replace("”", "’") + "”" for n in names]
    if len(quoted) < 2:
        return "".join(quoted)
    return t("engine.reason.and_join", lang, first=", ".join(quoted[:-1]), last=quoted[-1])


def _replaces_reason(taken: list[str], titles: dict[str, str], hours: float, lang: str) -> str:
    return t(
        "engine.reason.replaces",
        lang,
        steps=quote_titles([titles[r] for r in taken if r in titles], lang),
        hours=fmt_number(hours, lang, digits=2),
    )


def _why(
    action: Action,
    reasons: tuple[str, ...],
    edges: Edges,
    present: set[str],
    titles: dict[str, str],
    used: set[str],
    playbook: Playbook,
    lang: str,
) -> tuple[str, ...]:
    """Reasons from the answers, the action's why, then why it comes where it does."""
    why = [*merge_reasons(reasons, lang), action.why.get(lang)]
    seen: set[str] = set()
    for first, rule in edges.get(action.id, ()):
        if rule.id in seen or first not in present:
            continue
        seen.add(rule.id)
        names = [titles[f] for f, r in edges[action.id] if r.id == rule.id and f in titles][:2]
        why.append(
            t(
                "engine.reason.after",
                lang,
                steps=quote_titles(names, lang),
                because=rule.why.get(lang),
            )
        )
    pacing = playbook.pacing
    if "gap" in used and pacing.why_gap:
        why.append(pacing.why_gap.get(lang))
    if "first_month" in used and pacing.why_first_month:
        why.append(pacing.why_first_month.get(lang))
    return tuple(why)


def _step(
    action: Action,
    why: tuple[str, ...],
    lang: str,
    start: date,
    slot: _Slot,
    order: int,
    deps: tuple[str, ...],
) -> Step:
    first = week_start(start, slot.week)
    habit = action.kind == "habit"
    return Step(
        id=action.id,
        title=action.title.get(lang),
        dimension=action.dimension,
        level=action.level,
        phase=phase_of((first - start).days),
        start=first,
        due=week_start(start, slot.week + slot.weeks) - timedelta(days=1),
        effort_hours=action.effort_hours,
        hours_per_week=action.habit_hours if habit else slot.per_week,
        depends_on=deps,
        why=why,
        how=tuple(h.get(lang) for h in action.how),
        starter=action.starter.get(lang),
        quick_win=action.quick_win,
        order=order,
        duration_weeks=action.duration_weeks,
        kind=action.kind,
        recurrence=action.recurrence,
    )


def occurrences(step: Step, until: date) -> list[date]:
    """The dates a habit recurs on, from its start to `until` (python-dateutil's rrule)."""
    if step.kind != "habit" or not step.recurrence:
        return []
    rule = rrulestr(step.recurrence, dtstart=datetime.combine(step.start, datetime.min.time()))
    end = datetime.combine(until, datetime.min.time())
    return [d.date() for d in rule.between(rule._dtstart - timedelta(days=1), end, inc=True)]


def weekly_load(
    plan_steps: tuple[Step, ...], start: date, weeks: int = LOAD_WEEKS
) -> tuple[tuple[str, float], ...]:
    """(ISO week, hours) for each of the plan's first `weeks` weeks: one-off work plus habits.

    One pass over the steps: a step adds its weekly cost to the weeks it covers (a
    habit, its setting-up cost, then its recurring cost to the end of the window).
    """
    hours = [0.0] * weeks
    for step in plan_steps:
        first = max(0, (step.start - start).days // 7)
        if first >= weeks:
            continue
        end = min(weeks, first + step.setup_weeks) if step.due >= step.start else first
        setup = (
            step.effort_hours / step.setup_weeks if step.kind == "habit" else step.hours_per_week
        )
        for w in range(first, end):
            hours[w] += setup
        if step.kind == "habit":
            for w in range(end, weeks):
                hours[w] += step.hours_per_week
    return tuple((week_of(week_start(start, w)), round(h, 2)) for w, h in enumerate(hours))


# ---- goals --------------------------------------------------------------------------------------


def baseline_of(goal: Goal, answers: dict[str, Any]) -> float | None:
    """The manager's current value for a goal, read from the answers (None: unknown)."""
    if goal.baseline is None:
        return None
    value = answers.get(goal.baseline.question)
    if goal.baseline.values:
        if isinstance(value, list):
            known = [goal.baseline.values[v] for v in value if v in goal.baseline.values]
            return max(known) if known else None
        return goal.baseline.values.get(value) if isinstance(value, str) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def goal_targets(
    playbook: Playbook,
    result: AssessmentResult,
    ordered: list[Action],
    lang: str,
    steps: tuple[Step, ...] = (),
    answers: dict[str, Any] | None = None,
    hours: float | None = None,
    start: date | None = None,
    ctx: Context | None = None,
) -> tuple[PlanGoal, ...]:
    """Each goal's target, personal: from the manager's baseline, level, time and steps.

    The default is the target for the manager's level; a step of the plan can set
    its own (the first step of the plan wins: the near-term target). From a known
    baseline the target moves by at most `max_change`; a short weekly budget caps
    how tight it gets (`hours_limits`); a baseline above the `ceiling` turns an
    at-least goal into a range. A goal counts from the week its setting step starts
    (or `delay_weeks` later, or from its end). An `only_with_step` goal no step sets
    keeps today's value, unless `tracked_when` holds (the manager measures it already).
    """
    answers = answers or {}
    set_by: dict[str, tuple[float, str]] = {}
    for action in ordered:
        for setting in action.sets_goals:
            if setting.target is not None and setting.goal not in set_by:
                set_by[setting.goal] = (setting.target, action.id)
    by_id = {s.id: s for s in steps}
    starts: dict[str, date] = {}
    for action in ordered:
        step = by_id.get(action.id)
        if step is None:
            continue
        for setting in action.sets_goals:
            counts = (step.due + timedelta(days=1) if setting.from_end else step.start) + timedelta(
                weeks=setting.delay_weeks
            )
            if setting.goal not in starts or counts < starts[setting.goal]:
                starts[setting.goal] = counts
    goals = []
    for goal in playbook.goals:
        baseline = baseline_of(goal, answers)
        tracked = (
            goal.tracked_when is not None and ctx is not None and evaluate(goal.tracked_when, ctx)
        )
        held = goal.only_with_step and goal.id not in starts and not tracked
        if held and (baseline is None or (goal.direction != "at_most" and baseline <= 0)):
            continue
        dim = result.score_of(goal.dimension) if goal.dimension else None
        # One answer is thin evidence: below two answered questions, the overall level decides.
        trusted = dim.level if dim is not None and dim.answered >= 2 else None
        level = trusted or result.overall_level or 1
        target, source = set_by.get(goal.id, (goal.targets[level], None))
        if held and baseline is not None:
            target = baseline
        target, direction, low, high, why = _personal(goal, float(target), baseline, hours, lang)
        if held:
            why.append(t("engine.goal.kept_without_step", lang))
        elif tracked and goal.id not in starts:
            why.append(t("engine.goal.tracked", lang))
        if (
            goal.quotes
            and isinstance(answers.get(goal.quotes), str)
            and answers[goal.quotes].strip()
        ):
            purpose = answers[goal.quotes].strip().rstrip(".")
            why.append(t("engine.goal.purpose", lang, purpose=purpose))
        goals.append(
            PlanGoal(
                goal.id,
                goal.title.get(lang),
                goal.metric,
                target,
                goal.unit.get(lang),
                direction,
                source,
                starts.get(goal.id, start),
                baseline,
                low,
                high,
                tuple(why),
            )
        )
    return tuple(goals)


def _personal(
    goal: Goal, target: float, baseline: float | None, hours: float | None, lang: str
) -> tuple[float, Direction, float | None, float | None, list[str]]:
    """The goal's target for this manager: (target, direction, low, high, why)."""
    why: list[str] = []
    at_most = goal.direction == "at_most"
    if baseline is not None:
        # Never ask for less than today, and move from today by at most `max_change`.
        wanted = target
        if at_most:
            target = min(target, baseline)
            if goal.max_change is not None:
                target = max(target, baseline - goal.max_change)
        else:
            target = max(target, baseline)
            if goal.max_change is not None:
                target = min(target, baseline + goal.max_change)
        if at_most:
            held_back = target > min(wanted, baseline) + EPSILON
        else:
            held_back = target < max(wanted, baseline) - EPSILON
        if held_back and goal.max_change_why is not None:
            why.append(goal.max_change_why.get(lang))
    for limit in goal.hours_limits:
        if hours is not None and hours < limit.hours_below:
            # What the manager already manages in today's time stays the target.
            honest = limit.target
            if baseline is not None:
                honest = min(honest, baseline) if at_most else max(honest, baseline)
            loosened = max(target, honest) if at_most else min(target, honest)
            if loosened != target:
                target = loosened
                why.append(limit.why.get(lang))
            break
    ceiling = goal.ceiling
    if baseline is not None:
        # "The target keeps that level" only when it does; otherwise the target speaks.
        kept = abs(target - baseline) < EPSILON and not (ceiling and baseline > ceiling.above)
        why.insert(
            0,
            t(
                "engine.goal.baseline_kept" if kept else "engine.goal.baseline",
                lang,
                value=fmt_number(baseline, lang),
                unit=unit_for(goal.unit.get(lang), baseline, lang),
            ),
        )
    if ceiling is not None and baseline is not None and baseline > ceiling.above:
        why.append(ceiling.why.get(lang))
        return ceiling.high, "between", ceiling.low, ceiling.high, why
    return round(target, 2), goal.direction, None, None, why


def _assemble(
    playbook: Playbook,
    result: AssessmentResult,
    ctx: Context,
    lang: str,
    start: date,
    hours: float,
    steps: tuple[Step, ...],
    facts: dict[str, Any],
    diagnosis: Diagnosis | None,
    left_out: tuple[str, ...],
) -> Plan:
    # Where to start: the highest-priority steps (the diagnosis's first), not whatever fits week one.
    first = sorted(steps, key=lambda s: s.order)[:WHERE_TO_START]
    ordered = [
        a for s in sorted(steps, key=lambda s: s.order) if (a := playbook.action(s.id)) is not None
    ]
    return Plan(
        playbook_id=playbook.id,
        playbook_version=playbook.version,
        lang=lang,
        start=start,
        hours_per_week=hours,
        steps=steps,
        where_to_start=tuple(s.id for s in first),
        this_week=first[0].id if first else None,
        goals=goal_targets(playbook, result, ordered, lang, steps, ctx.answers, hours, start, ctx),
        facts=dict(facts),
        diagnosis=diagnosis,
        load=weekly_load(steps, start),
        left_out=left_out,
    )


def reschedule(
    plan: Plan,
    fixed: dict[str, tuple[date, date]],
    start: date,
    hours_per_week: float,
    today: date | None = None,
) -> Plan:
    """The same steps scheduled again inside a new budget or from a new start date.

    Steps in `fixed` (done ones) keep their dates; the others are placed from the
    current week on (never in the past), in the plan's order, dependencies first.
    A habit keeps costing every week; the playbook's pacing is not at hand here
    (`replan` rebuilds with it), so only the hours and the free-share floor apply.
    """
    hours = check_hours(hours_per_week)
    today = today or clock.today_in(None)
    pacer = _Pacer(Pacing(), hours, _week_index(start, today))
    by_id = {s.id: s for s in plan.steps}
    for step_id, (s_start, s_due) in fixed.items():
        step = by_id.get(step_id)
        habit = step.hours_per_week if step is not None and step.kind == "habit" else 0.0
        per_week = 0.0
        if step is not None:
            per_week = step.hours_in_week(s_start) if s_start >= start else 0.0
        pacer.fix(step_id, _week_index(start, s_start), _end_week(start, s_due), habit, per_week)
    new_steps: list[Step] = []
    for step in sorted(plan.steps, key=lambda s: s.order):
        if step.id in fixed:
            s_start, s_due = fixed[step.id]
            new_steps.append(
                replace(step, start=s_start, due=s_due, phase=phase_of((s_start - start).days))
            )
            continue
        habit = step.kind == "habit"
        item = _Item(
            step.id,
            step.effort_hours,
            step.duration_weeks,
            step.kind,
            step.hours_per_week if habit else 0.0,
            list(step.depends_on),
        )
        slot, _ = pacer.place(item)
        if slot is None:  # no room left for this habit in the new hours: it waits its turn
            item.kind, item.habit_hours = "once", 0.0
            slot = pacer.place_once(item)
        first = week_start(start, slot.week)
        new_steps.append(
            replace(
                step,
                start=first,
                due=week_start(start, slot.week + slot.weeks) - timedelta(days=1),
                phase=phase_of((first - start).days),
                hours_per_week=step.hours_per_week if habit else slot.per_week,
            )
        )
    new_steps.sort(key=lambda s: (s.start, s.order))
    open_steps = sorted((s for s in new_steps if s.id not in fixed), key=lambda s: s.order)
    steps = tuple(new_steps)
    return replace(
        plan,
        start=start,
        hours_per_week=hours,
        steps=steps,
        where_to_start=tuple(s.id for s in open_steps[:WHERE_TO_START]),
        this_week=open_steps[0].id if open_steps else None,
        facts={**plan.facts, "hours_per_week": hours},
        load=weekly_load(steps, start),
    )


def replan(
    playbook: Playbook,
    answers: dict[str, Any],
    result: AssessmentResult,
    previous: Plan,
    states: dict[str, Any],
    hours_per_week: float,
    lang: str | None = None,
    facts: dict[str, Any] | None = None,
    today: date | None = None,
) -> Plan:
    """A plan rebuilt from the last assessment after hours, sector, role or answers change.

    Actions trigger again (reasons say the new hours); done steps keep their state's
    dates, and if the new answers no longer trigger them they stay in the plan as
    history; open steps are placed again from the current week, never in the past.
    `states` maps step id -> a state ("done", ...) or an object with `.state`.
    """
    lang = lang or previous.lang
    hours = check_hours(hours_per_week)
    today = today or clock.today_in(None)
    start = previous.start
    facts = {**previous.facts, **(facts or {}), "hours_per_week": hours}
    ctx = _context(answers, result, facts)
    reasons = triggered(playbook, ctx, lang)
    done = {
        s.id: s
        for s in previous.steps
        if (getattr(states.get(s.id), "state", states.get(s.id)) or "todo") == "done"
    }
    for step_id in done:
        if step_id not in reasons and playbook.action(step_id) is not None:
            reasons[step_id] = ()
    diagnosis, edges, actions = _diagnosed_order(playbook, ctx, result, lang, reasons)
    fixed: Fixed = {
        sid: (
            s.start,
            s.due,
            s.hours_per_week if s.kind == "habit" else 0.0,
            s.hours_in_week(s.start) if s.start >= start else 0.0,
        )
        for sid, s in done.items()
    }
    steps, left_out, later = _schedule(
        playbook, actions, reasons, edges, lang, start, hours, fixed, _week_index(start, today)
    )
    kept = {s.id for s in steps}
    extra = tuple(s for sid, s in done.items() if sid not in kept)  # actions gone from the playbook
    steps = tuple(sorted(steps + extra, key=lambda s: (s.start, s.order)))
    plan = _assemble(playbook, result, ctx, lang, start, hours, steps, facts, diagnosis, left_out)
    open_steps = [s for s in sorted(steps, key=lambda s: s.order) if s.id not in done]
    return replace(
        plan,
        where_to_start=tuple(s.id for s in open_steps[:WHERE_TO_START]),
        this_week=open_steps[0].id if open_steps else None,
        later=later,
    )


# ---- JSON-safe form -----------------------------------------------------------------------------


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


# ---- a saved plan, read later ---------------------------------------------------------------------


def reword(
    plan: Plan,
    playbook: Playbook,
    answers: dict[str, Any],
    result: AssessmentResult,
    lang: str,
) -> Plan:
    """The same plan (steps, dates, targets) with its words in `lang`.

    A plan keeps the language it was built in; a manager who switches language
    reads titles, reasons, how-tos, starters and goal names in the new one.
    """
    if plan.lang == lang:
        return plan
    ctx = _context(answers, result, plan.facts)
    reasons = triggered(playbook, ctx, lang)
    present = {s.id for s in plan.steps}
    edges = sequence_edges(playbook, present, ctx)
    titles = {a.id: a.title.get(lang) for a in playbook.actions if a.id in present}
    _rule, diagnosis = diagnose(playbook, ctx, lang)
    if plan.diagnosis is not None and (diagnosis is None or diagnosis.id != plan.diagnosis.id):
        rule = next((d for d in playbook.diagnoses if d.id == plan.diagnosis.id), None)
        diagnosis = (
            Diagnosis(rule.id, rule.dimension, rule.title.get(lang), (rule.why.get(lang),))
            if rule
            else plan.diagnosis
        )
    old_goals = {g.id: g for g in plan.goals}
    fresh = {
        g.id: g
        for g in goal_targets(
            playbook,
            result,
            [a for a in (playbook.action(s.id) for s in plan.steps) if a],
            lang,
            plan.steps,
            ctx.answers,
            plan.hours_per_week,
            plan.start,
            ctx,
        )
    }
    steps = []
    for step in plan.steps:
        action = playbook.action(step.id)
        if action is None:  # the playbook changed since: keep the saved words
            steps.append(step)
            continue
        why = _why(action, reasons.get(step.id, ()), edges, present, titles, set(), playbook, lang)
        steps.append(
            replace(
                step,
                title=action.title.get(lang),
                why=why,
                how=tuple(h.get(lang) for h in action.how),
                starter=action.starter.get(lang),
            )
        )
    goals = []
    for goal in plan.goals:
        source = playbook.goal(goal.id)
        again = fresh.get(goal.id)
        goals.append(
            replace(
                goal,
                title=source.title.get(lang),
                unit=source.unit.get(lang),
                why=again.why if again and old_goals[goal.id].why else goal.why,
            )
            if source
            else goal
        )
    return replace(
        plan,
        lang=lang,
        steps=tuple(steps),
        goals=tuple(goals),
        diagnosis=diagnosis or plan.diagnosis,
    )


# ---- what to ask the board ----------------------------------------------------------------------


def board_asks(
    playbook: Playbook,
    plan: Plan,
    result: AssessmentResult,
    facts: dict[str, Any] | None = None,
    answers: dict[str, Any] | None = None,
) -> tuple[BoardAsk, ...]:
    """Two or three things to ask the board for, chosen by diagnosis and level.

    Among the asks whose `when` holds: those tied to the plan's diagnosis first,
    then those written for a situation (a `when`, no diagnosis), then the general
    ones (neither), each group in playbook order. Asks tied only to other
    diagnoses are left out. A manager at level 1–2 gets two (a short list gets a
    yes); from level 3 on, three.
    """
    facts = {**plan.facts, **(facts or {})}
    ctx = _context(answers or {}, result, facts)
    diag = plan.diagnosis.id if plan.diagnosis else None
    fitting = [a for a in playbook.board_asks if evaluate(a.when, ctx)]
    first = [a for a in fitting if diag and diag in a.diagnoses]
    situational = [a for a in fitting if not a.diagnoses and a.when is not None]
    general = [a for a in fitting if not a.diagnoses and a.when is None]
    count = 2 if (result.overall_level or 1) <= 2 else 3
    chosen = first + situational + general
    return tuple(chosen[:count])


def open_steps(plan: Plan, states: dict[str, Any]) -> list[Step]:
    """Steps still to do (todo or doing), highest priority first: 'where to start' as of today."""

    def state_of(step: Step) -> str:
        status = states.get(step.id)
        return getattr(status, "state", status) or "todo"

    return sorted(
        (s for s in plan.steps if state_of(s) in ("todo", "doing")), key=lambda s: s.order
    )
