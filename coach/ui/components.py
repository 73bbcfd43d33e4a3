"""Small pieces every page uses: links, errors, status badges, step cards, the sidebar."""

from __future__ import annotations

import functools
import logging
import re
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from coach import planner, tracking
from coach.checkin import CheckIn, parse_week, week_of
from coach.errors import CoachError
from coach.i18n import LANGUAGES, fmt_number, is_one, t, tp, unit_for  # noqa: F401  (re-exported for pages)
from coach.playbook import DEFAULT_PLAYBOOK, PlaybookInvalid, problems_text
from coach.ui import state

UI_DIR = Path(__file__).resolve().parent
log = logging.getLogger("coach.ui")

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


def link(slug: str, label_key: str, lang: str, icon: str | None = None, **params) -> None:
    st.page_link(page_file(slug), label=t(label_key, lang, **params), icon=icon)


# ---- errors -----------------------------------------------------------------------------------


def error_message(err: BaseException, lang: str) -> str:
    """A sentence for the manager, in their language; details go to the server log."""
    if isinstance(err, CoachError):
        return err.message(lang)
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return t("ui.error.locked", lang)
    log.exception("unexpected error in the app", exc_info=err)
    return t("ui.error.unexpected", lang, error=type(err).__name__)


def show_error(err: BaseException, lang: str) -> None:
    st.error(error_message(err, lang), icon=":material/error:")


def safe_callback(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback whose failure becomes a sentence on the next screen, not a traceback."""

    @functools.wraps(callback)
    def run(*args, **kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as err:
            st.session_state["app.flash_error"] = error_message(err, state.lang())

    return run


@contextmanager
def guard(lang: str) -> Iterator[None]:
    """Run a user action; a failure becomes a message and the page goes on."""
    try:
        yield
    except Exception as err:
        show_error(err, lang)


# ---- badges and formatting --------------------------------------------------------------------


def status_badge(status: str, lang: str) -> None:
    color, icon = STATUS_LOOK.get(status, STATUS_LOOK["no_data"])
    st.badge(t(f"ui.status.{status}", lang), color=color, icon=icon)


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


def day(value, lang: str) -> str:
    """A date the way people write it: '9 févr. 2026' / 'Feb 9, 2026'."""
    if value is None:
        return "—"
    month = t(f"ui.month.{value.month}", lang)
    return t("ui.format.date", lang, day=value.day, month=month, year=value.year)


# ---- page guards ------------------------------------------------------------------------------


def require_profile(lang: str):
    """The selected profile; without one, point to the start and stop the page."""
    profile = state.profile()
    if profile is None:
        st.info(t("ui.common.no_profile", lang), icon=":material/person_add:")
        link("home", "ui.common.go_home", lang, icon=":material/home:")
        st.stop()
    return profile


def step_dates(step, lang: str) -> dict[str, str]:
    return {
        "start": day(step.start, lang),
        "due": day(step.due, lang),
        "effort": hours(step.effort_hours, lang),
    }


def step_card(step, status, lang: str, *, number: int | None = None) -> None:
    """One step in short: what, the first reason why, when and how much effort."""
    with st.container(border=True):
        title = f"{number}. {step.title}" if number else step.title
        st.markdown(f"**{title}**  {step_state_markdown(status.state, lang)}")
        if step.why:
            st.markdown(step.why[0])
        st.caption(t("ui.step.when", lang, **step_dates(step, lang)))


def this_week_step(stored):
    """The plan's step for this week; once it is done or skipped, the next open one."""
    plan = stored.plan
    step = plan.step(plan.this_week) if plan.this_week else None
    if step is not None and stored.states[step.id].state in ("todo", "doing"):
        return step
    remaining = planner.open_steps(plan, stored.states)
    return remaining[0] if remaining else None


def start_steps(stored) -> list:
    """Where to start, as of today: the three highest-priority steps not yet done or skipped."""
    return planner.open_steps(stored.plan, stored.states)[: planner.WHERE_TO_START]


def week_label(week: str, lang: str) -> str:
    """'week of Feb 9, 2026' for 2026-W07."""
    return t("ui.format.week", lang, monday=day(parse_week(week), lang), week=week)


TREND_ICON = {
    "improving": ":material/trending_up:",
    "flat": ":material/trending_flat:",
    "worsening": ":material/trending_down:",
    "no_data": ":material/remove:",
}


def goal_value(value: float | None, goal, lang: str) -> str:
    if value is None:
        return "—"
    return f"{fmt_number(value, lang)} {unit_for(goal.unit, value, lang)}".strip()


def goal_tile(goal, lang: str) -> None:
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


def goal_tiles(goals: list, lang: str, per_row: int = 3) -> None:
    for first in range(0, len(goals), per_row):
        columns = st.columns(per_row)
        for column, goal in zip(columns, goals[first : first + per_row], strict=False):
            with column:
                goal_tile(goal, lang)


@dataclass(frozen=True)
class Overview:
    """What Home and Progress show about a profile's weeks."""

    current_week: str
    this_week_checkin: CheckIn | None
    last_checkin: CheckIn | None
    checkins: list
    goals: list
    completion: object


def progress_overview(profile, stored, lang: str) -> Overview:
    """Check-ins and goal status; computed once per database state, day and language."""
    try:
        book = state.playbook_for(profile)
    except Exception:  # goals keep the titles saved in the plan
        book = None
    today = state.today_for(profile)
    stamp = state.data_stamp()
    if stamp is None:
        return _overview(profile.name, stored, book, lang, today)
    book_stamp = (book.path, Path(book.path).stat().st_mtime_ns) if book and book.path else None
    return _cached_overview(stamp, profile.name, lang, today, book_stamp, stored, book)


@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_overview(stamp, name, lang, today, book_stamp, _stored, _book) -> Overview:
    # Underscored arguments are left out of the cache key: the stamps stand for them.
    return _overview(name, _stored, _book, lang, today)


def _overview(name: str, stored, book, lang: str, today: date) -> Overview:
    store = state.store()
    checkins = store.list_checkins(name)
    goals = []
    if stored is not None:
        targets = store.goal_targets(name)
        goals = tracking.goal_statuses(book, stored.plan.goals, targets, checkins, lang, today)
    current = week_of(today)
    return Overview(
        current_week=current,
        this_week_checkin=next((c for c in reversed(checkins) if c.week == current), None),
        last_checkin=checkins[-1] if checkins else None,
        checkins=checkins,
        goals=goals,
        completion=tracking.plan_completion(stored, today),
    )


def create_demo(lang: str):
    """The demo profile, created (or refreshed) by coach.demo."""
    from coach import demo

    return demo.build_demo(state.store(), lang=lang)


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
    except Exception as err:
        st.session_state[state.LANG] = value
        st.session_state["app.flash_error"] = error_message(err, value)


def _on_lang_pick() -> None:
    apply_language(st.session_state.get("sidebar.lang_pick"))


def sidebar_controls() -> None:
    """Profile switcher and language switch; both are views of session state."""
    lang = state.lang()
    names = [p.name for p in state.store().list_profiles()]
    current = st.session_state.get(state.PROFILE)
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
        format_func=LANGUAGE_NAMES.get,
        key="sidebar.lang_pick",
        on_change=_on_lang_pick,
        required=True,
    )
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


def show_flash() -> None:
    """A message left by the previous run (after a rerun or a page switch)."""
    message = st.session_state.pop("app.flash", None)
    if message:
        st.success(message, icon=":material/check:")
    problem = st.session_state.pop("app.flash_error", None)
    if problem:
        st.error(problem, icon=":material/error:")


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


def profile_name_in(doc) -> str | None:
    """The profile name an export document carries, for the import preview."""
    if not isinstance(doc, dict):
        return None
    inner = doc.get("profile")
    if isinstance(inner, dict) and isinstance(inner.get("name"), str):
        return inner["name"]
    return doc.get("name") if isinstance(doc.get("name"), str) else None


def export_counts(doc) -> dict[str, int]:
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
        st.number_input(
            t("ui.settings.hours", lang),
            min_value=0.5,
            max_value=40.0,
            value=2.0,
            step=0.5,
            format="%.1f",
            key=f"{key}.hours",
            help=t("ui.settings.hours_help", lang),
        )
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
        created = state.store().create_profile(
            name,
            language=lang,
            timezone=browser_timezone(),
            hours_per_week=float(st.session_state[f"{key}.hours"]),
            regulated_sector=bool(st.session_state[f"{key}.regulated"]),
            **({"playbook_id": book} if book else {}),
        )
        state.select_profile(created)
        st.session_state["app.flash"] = t("ui.profile.created", lang, name=created.name)
        go("assessment")


def plan_start(profile) -> date:
    """A new plan starts on the profile's start date, or today when that date is past."""
    return max(profile.start_date, state.today_for(profile))


def playbook_or_stop(profile, lang: str):
    """The profile's playbook; a broken or missing one is explained, and the page stops."""
    try:
        return state.playbook_for(profile)
    except PlaybookInvalid as err:
        st.error(
            t("ui.error.playbook_invalid", lang, file=Path(err.path).name), icon=":material/error:"
        )
        with st.expander(t("ui.error.playbook_details", lang)):
            st.code(problems_text(err.problems, lang), language=None)
    except Exception as err:
        show_error(err, lang)
    link("settings", "ui.error.choose_playbook", lang, icon=":material/settings:")
    st.stop()


def hours_input(lang: str, key: str) -> None:
    """The weekly-hours field, the same in Settings and on the Plan page."""
    st.number_input(
        t("ui.settings.hours", lang),
        min_value=0.5,
        max_value=40.0,
        step=0.5,
        format="%.1f",
        key=key,
        help=t("ui.settings.hours_help", lang),
    )
