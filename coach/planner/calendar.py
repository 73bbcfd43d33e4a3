"""Plan weeks and the calendar of booked hours: where a step fits, week by week.

A week never holds more hours than the manager gives; a running habit keeps
costing its hours every week from its start on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from coach.model import PHASES

EPSILON = 1e-9
PHASE_LIMITS = ((30, "days-30"), (60, "days-60"), (90, "days-90"))


@dataclass
class Slot:
    week: int
    weeks: int
    per_week: float


class Calendar:
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

    def place(self, effort: float, duration: int, earliest: int, habit: float = 0.0) -> Slot:
        """First slot from `earliest` for a step, booked; a habit also books every later week."""
        slot = self.find(effort, duration, earliest, habit)
        self.book(slot.week, slot.weeks, slot.per_week)
        if habit:
            self.book_forever(slot.week + slot.weeks, habit)
        return slot

    def find(self, effort: float, duration: int, earliest: int, habit: float = 0.0) -> Slot:
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
                return Slot(week, weeks, per_week)
            week = blocked + 1


def phase_of(offset_days: int) -> str:
    for limit, name in PHASE_LIMITS:
        if offset_days < limit:
            return name
    return PHASES[-1]


def week_start(start: date, week: int) -> date:
    return start + timedelta(days=7 * week)


def week_index(start: date, day: date) -> int:
    """The plan week (0 from `start`) holding `day`; 0 for any day before the start."""
    return max(0, (day - start).days // 7)


def end_week(start: date, due: date) -> int:
    """The first plan week after the one holding `due`."""
    return max(0, math.ceil(((due - start).days + 1) / 7))
