"""Small pieces every page uses: links, errors, status badges, step cards, the sidebar."""

from __future__ import annotations

import math
import re
import zoneinfo
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from coach import service
from coach.checkin import parse_week
from coach.errors import InvalidInput
from coach.i18n import LANGUAGES, fmt_number, t, tp, unit_for
from coach.model import Playbook, Step
from coach.playbook import DEFAULT_PLAYBOOK, PlaybookInvalid, problems_text
from coach.profile import DEFAULT_HOURS, MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK, Profile
from coach.tracking import WINDOW_WEEKS, GoalStatus
from coach.ui import state
from coach.ui.feedback import (
    error_message,
    escape_markdown,
    guard,
    safe_callback,
    show_error,
    show_flash,
)

__all__ = ["error_message", "guard", "safe_callback", "show_error", "show_flash", "tp"]

UI_DIR = Path(__file__).resolve().parent

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


def page_file(slug: str) -> Path:
    return UI_DIR / f"{slug}.py"


def go(slug: str) -> None:
    """Open another page (stops the current run)."""
    st.switch_page(page_file(slug))


def link(slug: str, label_key: str, lang: str, icon: str | None = None, **params: Any) -> None:
    st.page_link(page_file(slug), label=t(label_key, lang, **params), icon=icon)


def next_action(
    slug: str, label_key: str, lang: str, icon: str | None = None, **params: Any
) -> None:
    """The page's next action: a primary button near the top that opens page `slug`."""
    if st.button(
        t(label_key, lang, **params), key=f"next.{slug}.{label_key}", type="primary", icon=icon
    ):
        go(slug)


def run_script(name: str, script: str) -> None:
    """Run a few lines of JavaScript in the page (written here, nothing is fetched); the
    hidden container takes no room on the page."""
    with st.container(key=f"js-{name}"):
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


# Readable captions (15 px, 7:1 contrast), a focus ring you can see, no invisible "link to
# heading" anchors in the tab order, and the wide or narrow variant of a block by screen size.
PAGE_CSS = """
[class*="st-key-js-"] { display: none; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"] {
  font-size: 0.95rem; color: #3d4852; opacity: 1; }
:focus-visible { outline: 3px solid #1f4e79 !important; outline-offset: 2px !important; }
[data-testid="stHeaderActionElements"] { display: none !important; }
@media (max-width: 700px) { [class*="st-key-wide-"] { display: none; } }
@media (min-width: 701px) { [class*="st-key-narrow-"] { display: none; } }
"""


def page_frame(lang: str) -> None:
    """Styles every page shares, and `<html lang>` in the interface language (screen readers
    pick their voice from it)."""
    st.html(f"<style>{PAGE_CSS}</style>")
    run_script("lang", f"document.documentElement.lang = {lang!r};" + _NAME_TOASTS)


# Streamlit's toasts are alert dialogs without a name: screen readers announce "dialog".
# Name each one by its own words, as it appears.
_NAME_TOASTS = """
if (!window.coachToasts) {
  window.coachToasts = new MutationObserver(() => {
    for (const el of document.querySelectorAll('.stToast:not([aria-label])')) {
      el.setAttribute('aria-label', el.textContent.trim() || 'notification');
    }
  });
  window.coachToasts.observe(document.body, {childList: true, subtree: true});
}
"""


def scroll_to_top(marker: str) -> None:
    """Show the page from its top (a new section opens at its title); `marker` changes each
    time the page should scroll again."""
    run_script(
        "scroll",
        f"/* {marker} */ for (const el of [document.querySelector('[data-testid=stMain]'),"
        " document.scrollingElement]) { if (el) el.scrollTo({top: 0}); }",
    )


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
    """A date the way people write it: '9 févr. 2026' / 'Feb 9, 2026'."""
    if value is None:
        return "—"
    month = t(f"ui.month.{value.month}", lang)
    return t("ui.format.date", lang, day=value.day, month=month, year=value.year)


# ---- page guards ------------------------------------------------------------------------------


def require_profile(lang: str) -> Profile:
    """The selected profile; without one, the next step (create one, or the demo) and stop."""
    profile = state.profile()
    if profile is None:
        st.info(t("ui.common.no_profile", lang), icon=":material/person_add:")
        left, right = st.columns(2, vertical_alignment="center")
        with left:
            new_profile_button(lang, "common.new", primary=True)
        with right:
            demo_button(lang, "common.demo")
        st.stop()
    return profile


def step_dates(step: Step, lang: str) -> dict[str, str]:
    return {
        "start": day(step.start, lang),
        "due": day(step.due, lang),
        "effort": hours(step.effort_hours, lang),
    }


def diagnosis_line(plan: Any, lang: str) -> None:
    """The plan's central issue in one plain sentence, when the plan names one."""
    found = getattr(plan, "diagnosis", None) if plan is not None else None
    if found is None:
        return
    why = found.why[0] if found.why else ""
    st.info(
        t("ui.diagnosis.line", lang, title=md(found.title), why=md(why)).strip(),
        icon=":material/center_focus_strong:",
    )


def late_markdown(lang: str) -> str:
    """The "late" badge: red, with a clock, and the word."""
    return f":red-badge[:material/schedule: {t('ui.step.late', lang)}]"


def step_badges(step_state: str, late: bool, lang: str) -> str:
    badges = step_state_markdown(step_state, lang)
    return f"{badges} {late_markdown(lang)}" if late else badges


@safe_callback
def _mark_done(profile_id: int, step_id: str, title: str, today: date, lang: str) -> None:
    service.set_step_state(state.store(), profile_id, step_id, "done", on=today)
    state.toast(t("ui.step.marked_done", lang, step=md(title)))


def mark_done_button(snap: service.ProfileSnapshot, step: Step, lang: str, where: str) -> None:
    """One click: the step is done (through the service), and a toast says so."""
    if snap.stored is None or snap.stored.states[step.id].state not in ("todo", "doing"):
        return
    st.button(
        t("ui.step.mark_done", lang),
        key=f"{where}.done.{step.id}",
        icon=":material/check:",
        on_click=_mark_done,
        args=(snap.profile.id, step.id, step.title, snap.today, lang),
    )


def step_card(
    snap: service.ProfileSnapshot,
    focus: service.StepFocus,
    step: Step,
    lang: str,
    where: str,
    *,
    number: int | None = None,
    reason: str | None = None,
) -> None:
    """One step in short: what, why (its own reason), when, late or not, and "mark as done"."""
    if snap.stored is None:
        return
    status = snap.stored.states[step.id]
    with st.container(border=True):
        title = f"{number}. {md(step.title)}" if number else md(step.title)
        badges = step_badges(status.state, focus.is_late(step), lang)
        st.markdown(f"**{title}**  {badges}")
        why = reason if reason is not None else (step.why[0] if step.why else "")
        if why:
            st.markdown(md(why))
        st.caption(t("ui.step.when", lang, **step_dates(step, lang)))
        mark_done_button(snap, step, lang, where)


def start_cards(
    snap: service.ProfileSnapshot, focus: service.StepFocus, lang: str, where: str
) -> None:
    """Where to start, as of today (the same steps as `status` and the board pack), numbered
    in date order, each with its own reason."""
    if not focus.where_to_start or snap.stored is None:
        st.success(t("ui.home.all_done", lang), icon=":material/celebration:")
        return
    for number, (step, reason) in enumerate(
        zip(focus.where_to_start, focus.reasons, strict=True), start=1
    ):
        step_card(snap, focus, step, lang, f"{where}.start", number=number, reason=reason)


def this_week_card(
    snap: service.ProfileSnapshot, focus: service.StepFocus, lang: str, where: str
) -> None:
    """The step to work on now (covering today, else the most overdue), its 15-minute starter."""
    step = focus.this_week
    if step is None or snap.stored is None:
        st.info(t("ui.home.this_week_none", lang))
        return
    status = snap.stored.states[step.id]
    with st.container(border=True):
        st.markdown(f"**{md(step.title)}**  {step_badges(status.state, focus.is_late(step), lang)}")
        st.caption(t("ui.step.when", lang, **step_dates(step, lang)))
        st.markdown(t("ui.home.starter", lang))
        st.success(md(step.starter), icon=":material/timer:")
        mark_done_button(snap, step, lang, f"{where}.week")


def demo_button(lang: str, key: str) -> None:
    """Load the demo profile (created or refreshed) and open it."""
    if not st.button(t("ui.home.demo_button", lang), key=key, icon=":material/play_circle:"):
        return
    with guard(lang), st.spinner(t("ui.home.demo_loading", lang)):
        demo = service.create_demo(state.store(), lang)
        state.select_profile(demo)
        state.flash(t("ui.home.demo_loaded", lang, name=md(display_name(demo.name, lang))))
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


# Goals whose figure is a count per week (their value is a weekly average over the window).
WEEKLY_COUNTS = frozenset(
    {"posts", "received", "replies", "monitoring_sessions", "employee_touchpoints", "mentions"}
)
# How each goal's figure is made from the last weeks (coach/tracking.py, rolling_value).
CONTEXT = {
    "response_rate": "rate",
    "median_response_hours": "median",
    "followers": "latest",
    "outcomes": "total",
}


def goal_value(value: float | None, goal: GoalStatus, lang: str) -> str:
    """A goal's figure with its unit, "per week" for weekly counts: « 2,5 publications/semaine »."""
    if value is None:
        return "—"
    text = f"{fmt_number(value, lang)} {unit_for(goal.unit, value, lang)}".strip()
    return t("ui.goal.per_week", lang, value=text) if goal.metric in WEEKLY_COUNTS else text


def goal_actual(goal: GoalStatus, lang: str) -> str:
    """« **2,5 publications/semaine** (moyenne sur 4 semaines) »: the figure and how it is made."""
    kind = CONTEXT.get(goal.metric, "average")
    context = t(f"ui.goal.context.{kind}", lang, weeks=WINDOW_WEEKS)
    return t("ui.goal.actual", lang, value=goal_value(goal.actual, goal, lang), context=context)


def goal_tile(goal: GoalStatus, lang: str) -> None:
    """A goal at a glance: value against target, status in words and colour, trend, streak."""
    with st.container(border=True):
        st.markdown(f"**{md(goal.title)}**")
        st.markdown(status_markdown(goal.status, lang))
        if goal.status == "not_started" and goal.starts is not None:
            st.caption(t("ui.goal.starts", lang, date=day(goal.starts, lang)))
        direction = t(
            f"ui.goal.{goal.direction}",
            lang,
            target=goal_value(goal.target, goal, lang),
            low=fmt_number(goal.low if goal.low is not None else 0, lang),
        )
        st.markdown(goal_actual(goal, lang))
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


def new_profile_button(lang: str, key: str, *, primary: bool = False) -> None:
    """« + Nouveau profil »: one click opens the short creation form."""
    if st.button(
        t("ui.profile.new", lang),
        key=key,
        icon=":material/person_add:",
        type="primary" if primary else "secondary",
        width="stretch" if not primary else "content",
    ):
        _new_profile_dialog(lang)


def _new_profile_dialog(lang: str) -> None:
    @st.dialog(t("ui.profile.new_title", lang))
    def dialog() -> None:
        profile_create_form(lang, "dialog.new")

    dialog()


def sidebar_controls() -> None:
    """Profile switcher, « + Nouveau profil » and the language switch."""
    lang = state.lang()
    names = [p.name for p in state.store().list_profiles()]
    chosen = state.profile()
    current = chosen.name if chosen else None
    if names and current in names:
        st.session_state["sidebar.profile_pick"] = current
        st.selectbox(
            t("ui.sidebar.profile", lang),
            names,
            format_func=lambda name: display_name(name, lang),
            key="sidebar.profile_pick",
            on_change=_on_profile_pick,
        )
    if names:  # without a profile, the start page itself is the creation form
        new_profile_button(lang, "sidebar.new")
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
