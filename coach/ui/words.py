"""What pages write: status and step badges, names, numbers, dates, weeks and hours, as people read them."""

from __future__ import annotations

from datetime import date

import streamlit as st

from coach.checkin import parse_week
from coach.i18n import fmt_number, normalize_lang, t, tp
from coach.model import Step
from coach.ui.feedback import escape_markdown

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

# Status words always come with a colour AND an icon: colour is never the only signal.
STATUS_LOOK = {
    "on_track": ("green", ":material/check_circle:"),
    "at_risk": ("orange", ":material/warning:"),
    "off_track": ("red", ":material/error:"),
    "no_data": ("gray", ":material/help:"),
    "not_started": ("gray", ":material/schedule:"),
}
STEP_LOOK = {
    "todo": ("gray", ":material/radio_button_unchecked:"),
    "doing": ("blue", ":material/pending:"),
    "done": ("green", ":material/check_circle:"),
    "skipped": ("violet", ":material/block:"),
}


# ---- badges ----------------------------------------------------------------------------------


def status_badge(status: str, lang: str) -> None:
    color, icon = STATUS_LOOK.get(status, STATUS_LOOK["no_data"])
    st.badge(t(f"ui.status.{status}", lang), color=color, icon=icon)  # type: ignore[arg-type]


def status_markdown(status: str, lang: str) -> str:
    """The same badge inside a Markdown string."""
    color, icon = STATUS_LOOK.get(status, STATUS_LOOK["no_data"])
    return f":{color}-badge[{icon} {t(f'ui.status.{status}', lang)}]"


def step_state_markdown(step_state: str, lang: str) -> str:
    color, icon = STEP_LOOK.get(step_state, STEP_LOOK["todo"])
    return f":{color}-badge[{icon} {t(f'ui.step_state.{step_state}', lang)}]"


def late_markdown(lang: str) -> str:
    """The "late" badge: red, with a clock, and the word."""
    return f":red-badge[:material/schedule: {t('ui.step.late', lang)}]"


def step_badges(step_state: str, late: bool, lang: str) -> str:
    badges = step_state_markdown(step_state, lang)
    return f"{badges} {late_markdown(lang)}" if late else badges


# ---- names, numbers, dates -------------------------------------------------------------------


def md(text: object) -> str:
    """Data made inert for Markdown (see feedback.escape_markdown)."""
    return escape_markdown(text)


def display_name(name: str, lang: str) -> str:
    """The name people see: the demo profile is a fictional manager, not « demo »."""
    from coach.demo import DEMO_PROFILE

    return t("ui.demo.display_name", lang) if name == DEMO_PROFILE else name


def number(value: float | None, lang: str) -> str:
    return fmt_number(value, lang)


def counted(kind: str, count: float, lang: str) -> str:
    """'1 publication', '3 publications', '0 question': a number with its noun agreed."""
    return tp(f"ui.count.{kind}", lang, count)


def capitalised(text: str) -> str:
    """The first letter in upper case, for a label that starts a line ('Semaine du …')."""
    return text[:1].upper() + text[1:]


def hours(value: float | None, lang: str) -> str:
    return t("ui.format.hours", lang, value=fmt_number(value, lang))


def day(value: date | None, lang: str) -> str:
    """A date the way people write it: '9 févr. 2026', '1er déc. 2026' / 'Feb 9, 2026'."""
    if value is None:
        return "—"
    month = t(f"ui.month.{value.month}", lang)
    first = value.day == 1 and normalize_lang(lang) == "fr"  # le 1er du mois, the OQLF way
    shown = "1er" if first else str(value.day)
    return t("ui.format.date", lang, day=shown, month=month, year=value.year)


def week_label(week: str, lang: str) -> str:
    """'week of Feb 9, 2026' for 2026-W07."""
    return t("ui.format.week", lang, monday=day(parse_week(week), lang), week=week)


def step_dates(step: Step, lang: str) -> dict[str, str]:
    return {
        "start": day(step.start, lang),
        "due": day(step.due, lang),
        "effort": hours(step.effort_hours, lang),
    }
