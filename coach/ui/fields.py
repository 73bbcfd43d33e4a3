"""Form fields written the way the interface language writes them: decimals (« 2,5 »), the
weekly hours in quarter hours, the time zones."""

from __future__ import annotations

import math
import re
import zoneinfo
from typing import Any

import streamlit as st

from coach.errors import InvalidInput
from coach.i18n import fmt_number, t
from coach.profile import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK

# ---- decimals --------------------------------------------------------------------------------


def decimal_text(value: float | None, lang: str) -> str:
    """A number for a text field, as people type it: « 2,5 » in French, "2.5" in English."""
    if value is None:
        return ""
    text = fmt_number(value, lang, digits=2)
    if "," in text or "." in text:
        text = text.rstrip("0").rstrip(",.")
    return text.replace("\u202f", "")


def parse_decimal(text: object, label: str) -> float | None:
    """What was typed in a number field: « 2,5 », "2.5", "2 500"; None when empty;
    InvalidInput naming the field otherwise."""
    if text is None or isinstance(text, int | float):
        return None if text is None else float(text)
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text)).replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput("ui.format.not_a_number", field=label, value=str(text)) from None
    if not math.isfinite(value) or value < 0:
        raise InvalidInput("ui.format.not_a_number", field=label, value=str(text))
    return value


def decimal_input(label: str, key: str, **options: Any) -> None:
    """A number field that writes decimals the way the interface language does (« 2,5 »):
    Streamlit's number fields only know "2.5". Its value is text; `parse_decimal` reads it."""
    st.text_input(label, key=key, **options)


# ---- weekly hours ----------------------------------------------------------------------------

HOURS_CHOICES = tuple(
    q / 4 for q in range(int(MIN_HOURS_PER_WEEK * 4), int(MAX_HOURS_PER_WEEK * 4) + 1)
)


def _quarter(value: float, lang: str) -> str:
    """0,25 · 0,5 · 0,75 · 1: up to two decimals, never a trailing zero."""
    text = fmt_number(value, lang, digits=2)
    return text.rstrip("0").rstrip(",.") if ("," in text or "." in text) else text


def _as_hours(value: object) -> float | None:
    """The field's value as a number: after a language switch the browser may send back the
    label it showed (« 2,5 h », "2.5 h") instead of the number."""
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    text = re.sub(r"[\s\u00a0\u202fh]", "", value).replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def hours_input(lang: str, key: str) -> None:
    """The weekly-hours field, the same in Settings, on the Plan page and at profile creation:
    quarter hours from 0,25 to 80 h, written as people write them (« 2,5 h » in French)."""
    current = _as_hours(st.session_state.get(key))
    if current is not None:  # the nearest quarter hour, as a number again
        st.session_state[key] = min(HOURS_CHOICES, key=lambda h: abs(h - current))
    st.selectbox(
        t("ui.settings.hours", lang),
        HOURS_CHOICES,
        format_func=lambda value: t("ui.format.hours", lang, value=_quarter(value, lang)),
        key=key,
        help=t("ui.settings.hours_help", lang),
    )


# ---- time zones ------------------------------------------------------------------------------


@st.cache_data(max_entries=1, show_spinner=False)
def timezones() -> list[str]:
    """IANA time zones, the usual ones for this product first."""
    first = ["America/Toronto", "America/Montreal", "America/Vancouver", "Europe/Paris", "UTC"]
    rest = sorted(z for z in zoneinfo.available_timezones() if "/" in z and z not in first)
    return first + rest


def browser_timezone() -> str:
    zone = st.context.timezone
    return zone if zone in timezones() else "America/Toronto"
