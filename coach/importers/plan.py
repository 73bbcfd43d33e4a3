"""Weekly figures meet the check-ins already saved: what an import would change.

Per week: "new" (no check-in yet), "unchanged" (the figures the export measures
are already there), "update" (the week came from an earlier import of the same
platform: replaced), "conflict" (the week was typed by hand, or imported from
another platform, and differs: kept unless `overwrite_typed`). Only the fields
the export measures change; followers, notes and the rest are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from coach.checkin import CheckIn
from coach.importers.common import (
    IMPORT_FIELDS,
    ImportResult,
    Note,
    WeekFigures,
    iso_week,
    week_monday,
)

Status = Literal["new", "unchanged", "update", "conflict"]
STATUSES = ("new", "unchanged", "update", "conflict")


@dataclass(frozen=True)
class WeekPlan:
    week: str
    status: Status
    figures: WeekFigures
    before: CheckIn | None  # the saved check-in, if any
    after: CheckIn | None  # what would be saved; None: this week is not written
    changes: tuple[str, ...] = ()  # check-in fields that differ between before and the export

    @property
    def write(self) -> bool:
        return self.after is not None


@dataclass(frozen=True)
class ImportPreview:
    """What confirming the import would do; `to_save()` goes to Store.save_checkins."""

    source: str
    fields: frozenset[str]
    weeks: tuple[WeekPlan, ...]
    overwrite_typed: bool = False
    notes: tuple[Note, ...] = ()
    result: ImportResult | None = None  # the parsed export, when built by preview_import

    def messages(self, lang: str) -> list[str]:
        return [note.message(lang) for note in self.notes]

    def to_save(self) -> list[CheckIn]:
        return [w.after for w in self.weeks if w.after is not None]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(w.status for w in self.weeks)
        return {status: found[status] for status in STATUSES}

    @property
    def conflicts(self) -> tuple[WeekPlan, ...]:
        return tuple(w for w in self.weeks if w.status == "conflict")


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 0.005
    return a == b


def plan_import(
    existing: Iterable[CheckIn],
    figures: Sequence[WeekFigures],
    *,
    source: str,
    fields: Iterable[str] = IMPORT_FIELDS,
    overwrite_typed: bool = False,
    since: date | None = None,
    today: date | None = None,
) -> ImportPreview:
    """Compare `figures` with the saved check-ins; nothing is written here.

    `today` is the date in the profile's time zone: weeks after its week are left out
    (a check-in cannot be in the future); `since` leaves out the weeks ending before it.
    """
    known = [f for f in IMPORT_FIELDS if f in set(fields)]
    saved = {c.week: c for c in existing}
    current = iso_week(today or date.today())
    plans: list[WeekPlan] = []
    future = 0
    for week in figures:
        if week.week > current:
            future += 1
            continue
        if since and week_monday(week.week) + timedelta(days=6) < since:
            continue
        values = {k: v for k, v in week.checkin_values().items() if k in known}
        plans.append(_plan_week(week, values, saved.get(week.week), source, overwrite_typed))
    notes = (Note("importers.note.future", {"count": future}),) if future else ()
    return ImportPreview(source, frozenset(known), tuple(plans), overwrite_typed, notes)


def _plan_week(
    figures: WeekFigures, values: dict, before: CheckIn | None, source: str, overwrite: bool
) -> WeekPlan:
    if before is None:
        return WeekPlan(
            figures.week, "new", figures, None, CheckIn(week=figures.week, source=source, **values)
        )
    changes = tuple(k for k, v in values.items() if not _same(getattr(before, k), v))
    if not changes:
        return WeekPlan(figures.week, "unchanged", figures, before, None)
    after = replace(before, **values, source=source)
    if before.source == source:
        return WeekPlan(figures.week, "update", figures, before, after, changes)
    return WeekPlan(
        figures.week, "conflict", figures, before, after if overwrite else None, changes
    )
