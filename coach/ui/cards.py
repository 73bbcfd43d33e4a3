"""The plan and its goals as cards: the diagnosis line, step cards (where to start, this
week) with "mark as done", and goal tiles."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from coach import service
from coach.i18n import fmt_number, t, tp, unit_for
from coach.model import Step
from coach.tracking import WINDOW_WEEKS, GoalStatus
from coach.ui import state
from coach.ui.feedback import safe_callback
from coach.ui.words import day, md, status_markdown, step_badges, step_dates


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


# ---- steps -----------------------------------------------------------------------------------


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
    number: int,
    reason: str,
) -> None:
    """One step in short: its number, what, why (its own reason), when, late or not, and
    "mark as done"."""
    if snap.stored is None:
        return
    status = snap.stored.states[step.id]
    with st.container(border=True):
        badges = step_badges(status.state, focus.is_late(step), lang)
        st.markdown(f"**{number}. {md(step.title)}**  {badges}")
        if reason:
            st.markdown(md(reason))
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


# ---- goals -----------------------------------------------------------------------------------

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
