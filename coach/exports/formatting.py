"""How every format of the board pack writes dates, figures, changes, targets and the
playbook's names, in the pack's language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from coach.checkin import parse_week
from coach.i18n import fmt_number, normalize_lang, pick, t, unit_for
from coach.model import Playbook
from coach.typography import typeset


def week_monday(week: str) -> date:
    """The Monday of an ISO week written 'YYYY-Www'."""
    return parse_week(week)


def fmt_date(day: date | datetime | None, lang: str, long: bool = False) -> str:
    """'1er décembre 2026' / 'December 1, 2026' (long) or '1er déc. 2026' / 'Dec 1, 2026'."""
    if day is None:
        return "—"
    if isinstance(day, datetime):
        day = day.date()
    month = t(f"exports.month{'' if long else '_short'}.{day.month}", lang)
    if normalize_lang(lang) == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first}\u00a0{month} {day.year}"
    return f"{month}\u00a0{day.day}, {day.year}"


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    number = fmt_number(round(value, 1), lang, 1)
    if unit == "%":
        return f"{number}\u00a0%" if normalize_lang(lang) == "fr" else f"{number}%"
    return typeset(f"{number} {unit_for(unit, round(value, 1), lang)}".strip(), lang)


def fmt_delta(delta: float | None, lang: str) -> str:
    if delta is None:
        return "—"
    rounded = round(delta)
    if rounded == 0:
        return "±0"
    sign = "+" if rounded > 0 else "−"
    return f"{sign}{fmt_number(abs(rounded), lang, 0)}"


def target_text(goal: Any, lang: str) -> str:
    """'≥ 2 publications', '≤ 24 h', or 'entre 1 et 3 publications' for a range goal."""
    low, high = getattr(goal, "low", None), getattr(goal, "high", None)
    if goal.direction == "between" and low is not None and high is not None:
        return t(
            "exports.between",
            lang,
            low=fmt_number(low, lang),
            high=fmt_value(high, goal.unit, lang),
        )
    sign = "≤" if goal.direction == "at_most" else "≥"
    return f"{sign}\u00a0{fmt_value(goal.target, goal.unit, lang)}"


def dimension_title(playbook: Playbook | None, dim_id: str, lang: str) -> str:
    found = next((d for d in (playbook.dimensions if playbook else ()) if d.id == dim_id), None)
    return pick(found.title, lang) if found else dim_id


def level_name(playbook: Playbook | None, level: int | None, lang: str) -> str:
    if level is None or playbook is None:
        return ""
    found = next((lv for lv in playbook.levels if lv.level == level), None)
    return pick(found.name, lang) if found else ""
