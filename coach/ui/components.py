"""Small pieces every page uses: links, errors, status badges, step cards, the sidebar."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from coach import service
from coach.checkin import parse_week
from coach.i18n import LANGUAGES, fmt_number, t, tp, unit_for
from coach.model import Playbook, Step
from coach.playbook import DEFAULT_PLAYBOOK, PlaybookInvalid, problems_text
from coach.profile import DEFAULT_HOURS, MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK, Profile
from coach.records import StepStatus
from coach.tracking import GoalStatus
from coach.ui import state
from coach.ui.feedback import error_message, guard, safe_callback, show_error, show_flash

__all__ = ["error_message", "guard", "safe_callback", "show_error", "show_flash", "tp"]

UI_DIR = Path(__file__).resolve().parent

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

# Status words always come with a colour AND an icon: colour is never the only signal.
STATUS_LOOK = {
    "on_track": ("green", ":material/check_circle:"),
    "at_risk": ("orange", ":material/warning:"),
    "off_track": ("red", ":material/error:"),
    "no_data": ("gray", ":material/help:"),
}
STEP_LOOK = {
    "todo": ("gray", ":material/radio_button_unchecked:"),
    "doing": ("blue", ":material/pending:"),
    "done": ("green", ":material/check_circle:"),
    "skipped": ("violet", ":material/block:"),
}


def page_file(slug: str) -> Path:
    return UI_DIR / f"{slug}.py"


def go(slug: str) -> None:
    """Open another page (stops the current run)."""
    st.switch_page(page_file(slug))


def link(slug: str, label_key: str, lang: str, icon: str | None = None, **params: Any) -> None:
    st.page_link(page_file(slug), label=t(label_key, lang, **params), icon=icon)


# ---- badges and formatting --------------------------------------------------------------------


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
    """A date the way people write it: '9 févr. 2026' / 'Feb 9, 2026'."""
    if value is None:
        return "—"
    month = t(f"ui.month.{value.month}", lang)
    return t("ui.format.date", lang, day=value.day, month=month, year=value.year)


# ---- page guards ------------------------------------------------------------------------------


def require_profile(lang: str) -> Profile:
    """The selected profile; without one, point to the start and stop the page."""
    profile = state.profile()
    if profile is None:
        st.info(t("ui.common.no_profile", lang), icon=":material/person_add:")
        link("home", "ui.common.go_home", lang, icon=":material/home:")
        st.stop()
    return profile


def step_dates(step: Step, lang: str) -> dict[str, str]:
    return {
        "start": day(step.start, lang),
        "due": day(step.due, lang),
        "effort": hours(step.effort_hours, lang),
    }


def step_card(step: Step, status: StepStatus, lang: str, *, number: int | None = None) -> None:
    """One step in short: what, the first reason why, when and how much effort."""
    with st.container(border=True):
        title = f"{number}. {step.title}" if number else step.title
        st.markdown(f"**{title}**  {step_state_markdown(status.state, lang)}")
        if step.why:
            st.markdown(step.why[0])
        st.caption(t("ui.step.when", lang, **step_dates(step, lang)))


def start_cards(snap: service.ProfileSnapshot, lang: str) -> None:
    """Where to start, as of today (the same steps as `status` and the board pack)."""
    if not snap.where_to_start or snap.stored is None:
        st.success(t("ui.home.all_done", lang), icon=":material/celebration:")
        return
    for number, step in enumerate(snap.where_to_start, start=1):
        step_card(step, snap.stored.states[step.id], lang, number=number)


def demo_button(lang: str, key: str) -> None:
    """Load the demo profile (created or refreshed) and open it."""
    if not st.button(t("ui.home.demo_button", lang), key=key, icon=":material/play_circle:"):
        return
    with guard(lang), st.spinner(t("ui.home.demo_loading", lang)):
        demo = service.create_demo(state.store(), lang)
        state.select_profile(demo)
        state.flash(t("ui.home.demo_loaded", lang, name=demo.name))
        st.rerun()


def week_label(week: str, lang: str) -> str:
    """'week of Feb 9, 2026' for 2026-W07."""
    return t("ui.format.week", lang, monday=day(parse_week(week), lang), week=week)


TREND_ICON = {
    "improving": ":material/trending_up:",
    "flat": ":material/trending_flat:",
    "worsening": ":material/trending_down:",
    "no_data": ":material/remove:",
}


def goal_value(value: float | None, goal: GoalStatus, lang: str) -> str:
    if value is None:
        return "—"
    return f"{fmt_number(value, lang)} {unit_for(goal.unit, value, lang)}".strip()


def goal_tile(goal: GoalStatus, lang: str) -> None:
    """A goal at a glance: value against target, status in words and colour, trend, streak."""
    with st.container(border=True):
        st.markdown(f"**{goal.title}**")
        st.markdown(status_markdown(goal.status, lang))
        direction = t(f"ui.goal.{goal.direction}", lang, target=goal_value(goal.target, goal, lang))
        st.markdown(t("ui.goal.actual", lang, value=goal_value(goal.actual, goal, lang)))
        st.caption(direction)
        trend = f"{TREND_ICON.get(goal.trend, '')} {t(f'ui.trend.{goal.trend}', lang)}"
        # a streak of 0 says nothing the status does not already say
        streak = f" · {tp('ui.goal.streak', lang, goal.streak)}" if goal.streak else ""
        st.caption(trend + streak)


def goal_tiles(goals: list[GoalStatus], lang: str, per_row: int = 3) -> None:
    for first in range(0, len(goals), per_row):
        columns = st.columns(per_row)
        for column, goal in zip(columns, goals[first : first + per_row], strict=False):
            with column:
                goal_tile(goal, lang)


# ---- sidebar ----------------------------------------------------------------------------------


@safe_callback
def _on_profile_pick() -> None:
    name = st.session_state.get("sidebar.profile_pick")
    if name:
        state.select_profile(state.store().get_profile(name))


def apply_language(value: str | None) -> None:
    """Switch language (widget callback); a failed save still switches this session."""
    if not value:
        return
    try:
        state.set_lang(value)
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        st.session_state[state.LANG] = value
        state.flash(error_message(err, value), "error")


def _on_lang_pick() -> None:
    apply_language(st.session_state.get("sidebar.lang_pick"))


def sidebar_controls() -> None:
    """Profile switcher and language switch; both are views of session state."""
    lang = state.lang()
    names = [p.name for p in state.store().list_profiles()]
    chosen = state.profile()
    current = chosen.name if chosen else None
    if names and current in names:
        st.session_state["sidebar.profile_pick"] = current
        st.selectbox(
            t("ui.sidebar.profile", lang),
            names,
            key="sidebar.profile_pick",
            on_change=_on_profile_pick,
        )
    st.session_state["sidebar.lang_pick"] = lang
    st.segmented_control(
        t("ui.sidebar.language", lang),
        list(LANGUAGES),
        format_func=lambda code: LANGUAGE_NAMES.get(code, code),
        key="sidebar.lang_pick",
        on_change=_on_lang_pick,
        required=True,
    )
    if not state.user_key():  # signed in, the data is on the company's server
        st.caption(t("ui.sidebar.local_only", lang))


# Streamlit writes its file drop zone in English ("Upload", "200MB per file • JSON"): in
# French, the same places show our words instead (what the file should be is in each label).
_UPLOADER_CSS = """
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{limit}"; font-size: 0.875rem; }}
"""


def localise_file_drop(lang: str) -> None:
    """Say the file drop zone's words in the page's language (Streamlit only has English)."""
    if lang == "en":
        return
    limit = st.get_option("server.maxUploadSize")
    css = _UPLOADER_CSS.format(
        button=t("ui.upload.button", lang), limit=t("ui.upload.limit", lang, size=limit)
    )
    st.html(f"<style>{css}</style>")


# ---- profiles ---------------------------------------------------------------------------------


@st.cache_data(max_entries=1, show_spinner=False)
def timezones() -> list[str]:
    """IANA time zones, the usual ones for this product first."""
    first = ["America/Toronto", "America/Montreal", "America/Vancouver", "Europe/Paris", "UTC"]
    rest = sorted(z for z in zoneinfo.available_timezones() if "/" in z and z not in first)
    return first + rest


def browser_timezone() -> str:
    zone = st.context.timezone
    return zone if zone in timezones() else "America/Toronto"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "profile"


def profile_name_in(doc: Any) -> str | None:
    """The profile name an export document carries, for the import preview."""
    if not isinstance(doc, dict):
        return None
    inner = doc.get("profile")
    if isinstance(inner, dict) and isinstance(inner.get("name"), str):
        return str(inner["name"])
    return doc.get("name") if isinstance(doc.get("name"), str) else None


def export_counts(doc: Any) -> dict[str, int]:
    """How much a profile export holds, for the import preview."""

    def size(key: str) -> int:
        value = doc.get(key) if isinstance(doc, dict) else None
        return len(value) if isinstance(value, list) else 0

    return {"assessments": size("assessments"), "checkins": size("checkins")}


def default_playbook_id() -> str | None:
    """The default playbook when it is valid, else the first valid one."""
    valid = [entry.id for entry in state.playbook_files() if entry.valid]
    if DEFAULT_PLAYBOOK in valid:
        return DEFAULT_PLAYBOOK
    return valid[0] if valid else None


def profile_create_form(lang: str, key: str) -> None:
    """Create a profile: a name, the weekly hours, the sector; it opens the self-assessment."""
    with st.form(key):
        st.text_input(
            t("ui.profile.name", lang),
            key=f"{key}.name",
            max_chars=80,
            placeholder=t("ui.profile.name_placeholder", lang),
        )
        st.session_state.setdefault(f"{key}.hours", DEFAULT_HOURS)
        hours_input(lang, f"{key}.hours")
        st.checkbox(
            t("ui.settings.regulated", lang),
            key=f"{key}.regulated",
            help=t("ui.settings.regulated_help", lang),
        )
        submitted = st.form_submit_button(t("ui.profile.create_button", lang), type="primary")
    if not submitted:
        return
    name = (st.session_state.get(f"{key}.name") or "").strip()
    if not name:
        st.error(t("ui.profile.name_missing", lang))
        return
    book = default_playbook_id()
    with guard(lang):
        created = service.create_profile(
            state.store(),
            name,
            language=lang,
            timezone=browser_timezone(),
            hours_per_week=float(st.session_state[f"{key}.hours"]),
            regulated_sector=bool(st.session_state[f"{key}.regulated"]),
            **({"playbook_id": book} if book else {}),
        )
        state.select_profile(created)
        state.flash(t("ui.profile.created", lang, name=created.name))
        go("assessment")


def playbook_or_stop(profile: Profile, lang: str) -> Playbook:
    """The profile's playbook; a broken or missing one is explained, and the page stops."""
    try:
        return state.playbook_for(profile)
    except PlaybookInvalid as err:
        st.error(
            t("ui.error.playbook_invalid", lang, file=Path(err.path).name), icon=":material/error:"
        )
        with st.expander(t("ui.error.playbook_details", lang)):
            st.code(problems_text(err.problems, lang), language=None)
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        show_error(err, lang)
    link("settings", "ui.error.choose_playbook", lang, icon=":material/settings:")
    st.stop()


def hours_input(lang: str, key: str) -> None:
    """The weekly-hours field, the same in Settings and on the Plan page."""
    st.number_input(
        t("ui.settings.hours", lang),
        min_value=MIN_HOURS_PER_WEEK,
        max_value=MAX_HOURS_PER_WEEK,
        step=0.25,
        format="%g",  # 2, 1.5, 0.25: no trailing zeros
        key=key,
        help=t("ui.settings.hours_help", lang),
    )
