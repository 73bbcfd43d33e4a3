"""Progress / Suivi: the weekly check-in, goals and their targets, charts, and imports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st

from coach import service
from coach.checkin import parse_week, shift_week
from coach.i18n import fmt_number, t
from coach.service import ProfileSnapshot
from coach.tracking import GoalStatus
from coach.ui import charts, components, importing, state

WEEKS_OFFERED = 26  # the week picker offers the current week and the 25 before it
OPTIONAL = ("followers", "mentions", "monitoring_sessions", "employee_touchpoints")
PERCEPTION = ("pulse_score", "positive_mentions_pct", "outcomes")  # optional, rarer figures
PERCENT = ("pulse_score", "positive_mentions_pct")
DECIMALS = ("median_response_hours", *PERCENT)  # typed as text: « 2,5 » in French
WINDOWS = (12, 26, 52, 0)  # weeks shown in charts; 0 = everything


def render() -> None:
    lang = state.lang()
    st.title(t("ui.progress.title", lang))  # the title first, even without a profile
    profile = components.require_profile(lang)
    snap = state.snapshot(profile, lang)
    checkin_section(snap, lang)
    if snap.stored is None:
        st.info(t("ui.progress.no_plan", lang), icon=":material/checklist:")
        components.next_action(
            "assessment", "ui.home.start_link", lang, icon=":material/play_arrow:"
        )
    else:
        goals_section(snap, lang)
        charts_section(snap, lang)
    importing.import_section(profile, lang)


# ---- weekly check-in --------------------------------------------------------------------------

FIELDS = ("posts", "received", "replies", "median_response_hours", *OPTIONAL, *PERCEPTION, "note")


LOADED = "checkin.loaded"  # (week, the figures the form was filled with)


def _fill(profile_id: int, week: str) -> None:
    """Put the week's saved figures (or empty ones) into the form's widgets."""
    saved = state.store().get_checkin(profile_id, week)
    values = {}
    for name in FIELDS:
        default = (
            "" if name == "note" else (0 if name in ("posts", "received", "replies") else None)
        )
        value = getattr(saved, name) if saved is not None else default
        values[name] = value if value is not None or name != "note" else ""
        shown = (
            components.decimal_text(float(value) if value is not None else None, state.lang())
            if name in DECIMALS
            else values[name]
        )
        st.session_state[f"checkin.{name}"] = shown
    st.session_state[LOADED] = (week, values)


@components.safe_callback
def _on_week(profile_id: int) -> None:
    _fill(profile_id, st.session_state["checkin.week"])


def checkin_section(snap: ProfileSnapshot, lang: str) -> None:
    st.subheader(t("ui.progress.checkin", lang))
    profile = snap.profile
    current = snap.current_week
    weeks = [shift_week(current, -i) for i in range(WEEKS_OFFERED)]
    saved = {c.week for c in snap.checkins}
    if st.session_state.get("checkin.week") not in weeks:
        st.session_state["checkin.week"] = current
    if st.session_state.get(LOADED, (None,))[0] != st.session_state["checkin.week"]:
        _fill(profile.id, st.session_state["checkin.week"])

    def week_name(week: str) -> str:
        mark = t("ui.progress.week_saved", lang) if week in saved else ""
        return f"{components.capitalised(components.week_label(week, lang))}{mark}"

    picker, _ = st.columns([1, 1])
    picker.selectbox(
        t("ui.progress.week", lang),
        weeks,
        format_func=week_name,
        key="checkin.week",
        on_change=_on_week,
        args=(profile.id,),
        help=t("ui.progress.week_help", lang, timezone=profile.timezone),
    )
    week = st.session_state["checkin.week"]
    if week in saved:
        st.caption(t("ui.progress.editing", lang))
    with st.form("checkin.form"):
        *counts, d = st.columns(4)
        for column, name in zip(counts, ("posts", "received", "replies"), strict=True):
            column.number_input(
                t(f"ui.progress.{name}", lang),
                min_value=0,
                step=1,
                key=f"checkin.{name}",
                help=t("ui.progress.received_help", lang) if name == "received" else None,
            )
        with d:
            components.decimal_input(
                t("ui.progress.median", lang),
                "checkin.median_response_hours",
                help=t("ui.progress.median_help", lang),
                placeholder=t("ui.progress.optional", lang),
            )
        with st.expander(t("ui.progress.more", lang)):
            columns = st.columns(len(OPTIONAL))
            for column, name in zip(columns, OPTIONAL, strict=True):
                column.number_input(
                    t(f"ui.progress.{name}", lang),
                    min_value=0,
                    step=1,
                    key=f"checkin.{name}",
                    placeholder=t("ui.progress.optional", lang),
                )
        with st.expander(t("ui.progress.perception", lang)):
            st.caption(t("ui.progress.perception_help", lang))
            columns = st.columns(len(PERCEPTION))
            for column, name in zip(columns, PERCEPTION, strict=True):
                hint = t(f"ui.progress.{name}_help", lang)
                optional = t("ui.progress.optional", lang)
                with column:
                    if name in PERCENT:
                        components.decimal_input(
                            t(f"ui.progress.{name}", lang),
                            f"checkin.{name}",
                            help=hint,
                            placeholder=optional,
                        )
                    else:
                        st.number_input(
                            t(f"ui.progress.{name}", lang),
                            min_value=0,
                            step=1,
                            key=f"checkin.{name}",
                            help=hint,
                            placeholder=optional,
                        )
        st.text_area(t("ui.progress.note", lang), key="checkin.note", max_chars=4000, height=80)
        submitted = st.form_submit_button(t("ui.progress.save", lang), type="primary")
    if submitted:
        save_checkin(snap, week, lang)


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def _form_values(lang: str) -> dict[str, Any]:
    """The form's figures; a decimal field that is not a number raises InvalidInput."""
    values = st.session_state
    out: dict[str, Any] = {
        "posts": _whole(values["checkin.posts"]) or 0,
        "received": _whole(values["checkin.received"]) or 0,
        "replies": _whole(values["checkin.replies"]) or 0,
        "note": (values["checkin.note"] or "").strip(),
    }
    out.update({name: _whole(values[f"checkin.{name}"]) for name in OPTIONAL})
    out["outcomes"] = _whole(values["checkin.outcomes"])
    labels = {"median_response_hours": t("ui.progress.median", lang)}
    labels.update({name: t(f"ui.progress.{name}", lang) for name in PERCENT})
    for name in DECIMALS:
        out[name] = components.parse_decimal(values[f"checkin.{name}"], labels[name])
    return out


def changed_fields(week: str, lang: str) -> dict[str, Any]:
    """The figures changed on screen since the form was filled (a new week starts empty).

    A figure saved elsewhere (the CLI, another tab, an import) after the form was
    filled is kept unless the manager changed that very figure here.
    """
    values = _form_values(lang)
    loaded_week, loaded = st.session_state.get(LOADED, (None, {}))
    if loaded_week != week:
        return values
    before = {**loaded, "note": (loaded.get("note") or "").strip()}
    return {k: v for k, v in values.items() if v != before.get(k)}


def save_checkin(snap: ProfileSnapshot, week: str, lang: str) -> None:
    """Save the form; a refused check-in says why and keeps every figure on screen."""
    with components.guard(lang):
        changes = changed_fields(week, lang)
        outcome = service.save_week(
            state.store(), snap.profile, week, {**changes, "source": "typed"}, today=snap.today
        )
        st.session_state.pop(LOADED, None)  # filled again from what is saved now
        key = "ui.progress.updated" if outcome == "updated" else "ui.progress.created"
        state.flash(t(key, lang, week=components.week_label(week, lang)))
        st.rerun()


# ---- goals ------------------------------------------------------------------------------------


def goals_section(snap: ProfileSnapshot, lang: str) -> None:
    st.subheader(t("ui.progress.goals", lang))
    st.caption(t("ui.progress.goals_help", lang))
    if not snap.goals:
        st.info(t("ui.home.no_goals", lang))
        return
    components.goal_tiles(list(snap.goals), lang)
    with st.expander(t("ui.progress.targets", lang), icon=":material/tune:"):
        targets_form(snap, lang)


def targets_form(snap: ProfileSnapshot, lang: str) -> None:
    """Each goal's target, typed the way the interface language writes decimals."""
    goals = snap.goals
    labels = {
        goal.id: t(
            f"ui.goal.target_{goal.direction}",
            lang,
            goal=components.md(goal.title),
            unit=components.md(goal.unit),
        )
        for goal in goals
    }
    for goal in goals:
        st.session_state.setdefault(
            f"targets.{goal.id}", components.decimal_text(goal.target, lang)
        )
    with st.form("targets.form"):
        for goal in goals:
            components.decimal_input(labels[goal.id], f"targets.{goal.id}")
        submitted = st.form_submit_button(t("ui.progress.save_targets", lang))
    if not submitted:
        return
    with components.guard(lang):
        wanted = {
            g.id: components.parse_decimal(st.session_state[f"targets.{g.id}"], labels[g.id])
            for g in goals
        }
        changed = [g for g in goals if wanted[g.id] is not None and wanted[g.id] != g.target]
        if not changed:
            st.info(t("ui.settings.nothing_changed", lang))
            return
        for goal in changed:
            service.set_goal_target(
                state.store(), snap.profile, goal.id, float(wanted[goal.id] or 0), on=snap.today
            )
        state.flash(components.tp("ui.progress.targets_saved", lang, len(changed)))
        st.rerun()


# ---- charts -----------------------------------------------------------------------------------


def charts_section(snap: ProfileSnapshot, lang: str) -> None:
    st.subheader(t("ui.progress.charts", lang))
    st.session_state.setdefault("progress.window", 26)
    weeks = st.segmented_control(
        t("ui.progress.window", lang),
        WINDOWS,
        format_func=lambda n: (
            t("ui.progress.window_weeks", lang, n=n) if n else t("ui.progress.window_all", lang)
        ),
        key="progress.window",
        required=True,
    )
    by_metric = {g.metric: g for g in snap.goals}
    today = snap.today
    earliest = _earliest(snap)
    if len(snap.checkins) < CHARTS_FROM:
        charts_soon(snap, lang)
    else:
        left, right = st.columns(2, gap="large")
        with left:
            _goal_chart(by_metric.get("posts"), weeks, earliest, lang, "bar")
        with right:
            _goal_chart(by_metric.get("median_response_hours"), weeks, earliest, lang, "line")
        left, right = st.columns(2, gap="large")
        with left:
            _goal_chart(by_metric.get("response_rate"), weeks, earliest, lang, "line")
        with right:
            _goal_chart(by_metric.get("employee_touchpoints"), weeks, earliest, lang, "bar")
    # full width, one under the other: the goal names need the room
    st.markdown(f"**{t('ui.progress.burnup', lang)}**")
    if snap.burnup:
        charts.draw(
            charts.burnup,
            charts.burnup_data(snap.burnup),
            today,
            lang,
            alt_text=t("ui.progress.burnup", lang),
        )
    st.caption(
        t(
            "ui.progress.burnup_help",
            lang,
            done=fmt_number(snap.completion.effort_done_hours, lang),
            total=fmt_number(snap.completion.effort_total_hours, lang),
        )
    )
    st.markdown(f"**{t('ui.progress.habit', lang)}**")
    if snap.goals:
        charts.draw(
            charts.habit_strength,
            charts.habit_data(list(snap.goals)),
            lang,
            alt_text=t("ui.progress.habit", lang),
        )
    st.caption(t("ui.progress.habit_help", lang))


CHARTS_FROM = 3  # weekly charts say something from the third check-in on


def _earliest(snap: ProfileSnapshot) -> date | None:
    """Where the weekly charts start: the plan's start, or the first check-in when older."""
    starts = [snap.plan.start] if snap.plan is not None else []
    if snap.checkins:
        starts.append(parse_week(snap.checkins[0].week))
    return min(starts) if starts else None


def charts_soon(snap: ProfileSnapshot, lang: str) -> None:
    """Before three check-ins, a chart is a dot: say when the charts will appear instead."""
    missing = CHARTS_FROM - len(snap.checkins)
    ready = parse_week(snap.current_week) + timedelta(weeks=missing - 1)
    st.info(
        components.tp(
            "ui.progress.charts_soon",
            lang,
            missing,
            date=components.day(ready + timedelta(days=6), lang),
        ),
        icon=":material/insights:",
    )


def _goal_chart(
    goal: GoalStatus | None, weeks: int | None, earliest: date | None, lang: str, kind: str
) -> None:
    if goal is None:
        return
    st.markdown(f"**{components.md(goal.title)}**  {components.status_markdown(goal.status, lang)}")
    if not any(value is not None for _, value in goal.weekly):
        st.caption(t("ui.progress.no_data_chart", lang))
        return
    charts.draw(
        charts.weekly_goal,
        *charts.goal_data(goal, weeks or None, earliest),
        lang,
        kind,
        goal.low,
        alt_text=t("ui.progress.chart_alt", lang, goal=goal.title),
    )


if __name__ == "__main__":
    render()
