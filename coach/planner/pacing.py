"""The pacer: steps placed in order, habits spaced and capped, few new things in a short first month.

The playbook's `pacing` spaces new habits, caps the share of the hours habits may
take, and limits how many new things start in the first 30 days for a short budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coach.model import Pacing
from coach.planner.calendar import EPSILON, Calendar, Slot

MIN_FREE_SHARE = 0.25  # the share of the weekly hours running habits always leave free


@dataclass
class Item:
    """What the scheduler needs of a step (an action, or a saved step when rescheduling)."""

    id: str
    effort: float
    duration: int
    kind: str
    habit_hours: float
    after: list[str]
    quick_win: bool = False


class Pacer:
    """Places steps in order: habits spaced and capped, few new things in a short first month."""

    def __init__(self, playbook_pacing: Pacing, hours: float, first_week: int = 0) -> None:
        self.pacing = playbook_pacing
        self.hours = hours
        self.calendar = Calendar(hours)
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

    def _counts(self, item: Item) -> bool:
        """A short quick win is not a new thing to carry: it never counts in the first month."""
        short = item.effort <= self.pacing.quick_win_hours + EPSILON
        return not (item.quick_win and short)

    def place(self, item: Item) -> tuple[Slot | None, set[str]]:
        """(slot, pacing reasons used), or (None, reasons) when the step is not placed.

        None with "later": it would start beyond the plan's horizon (`max_plan_weeks`);
        None alone: a habit that finds no room in the hours.
        """
        used: set[str] = set()
        habit = item.habit_hours if item.kind == "habit" else 0.0
        if habit and not self._room_for_habit(habit):
            return None, used
        return self._book(item, habit, used), used

    def place_once(self, item: Item) -> Slot:
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

    def _book(self, item: Item, habit: float, used: set[str]) -> Slot | None:
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
