"""Progress / Suivi: the weekly check-in, goals and their targets, charts, and imports."""

from __future__ import annotations

import streamlit as st

from coach.checkin import CheckIn, shift_week
from coach.i18n import fmt_number, t
from coach.ui import charts, components, importing, state

WEEKS_OFFERED = 26  # the week picker offers the current week and the 25 before it
OPTIONAL = ("followers", "mentions", "monitoring_sessions", "employee_touchpoints")
WINDOWS = (12, 26, 52, 0)  # weeks shown in charts; 0 = everything


def render() -> None:
    lang = state.lang()
    profile = components.require_profile(lang)
    st.title(t("ui.progress.title", lang))
    stored = state.store().get_plan(profile.name)
    overview = components.progress_overview(profile, stored, lang)
    checkin_section(profile, overview, lang)
    if stored is None:
        st.info(t("ui.progress.no_plan", lang), icon=":material/checklist:")
        components.link("assessment", "ui.home.start_link", lang, icon=":material/play_arrow:")
    else:
        goals_section(profile, overview, lang)
        charts_section(stored, overview, profile, lang)
    importing.import_section(profile, lang)


# ---- weekly check-in --------------------------------------------------------------------------

FIELDS = ("posts", "received", "replies", "median_response_hours", *OPTIONAL, "note")


def _fill(profile_name: str, week: str) -> None:
    """Put the week's saved figures (or empty ones) into the form's widgets."""
    saved = state.store().get_checkin(profile_name, week)
    for name in FIELDS:
        default = (
            "" if name == "note" else (0 if name in ("posts", "received", "replies") else None)
        )
        value = getattr(saved, name) if saved is not None else default
        st.session_state[f"checkin.{name}"] = value if value is not None or name != "note" else ""


@components.safe_callback
def _on_week(profile_name: str) -> None:
    _fill(profile_name, st.session_state["checkin.week"])


def checkin_section(profile, overview, lang: str) -> None:
    st.subheader(t("ui.progress.checkin", lang))
    current = overview.current_week
    weeks = [shift_week(current, -i) for i in range(WEEKS_OFFERED)]
    saved = {c.week for c in overview.checkins}
    if st.session_state.get("checkin.week") not in weeks:
        st.session_state["checkin.week"] = current
        _fill(profile.name, current)

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
        args=(profile.name,),
        help=t("ui.progress.week_help", lang, timezone=profile.timezone),
    )
    week = st.session_state["checkin.week"]
    if week in saved:
        st.caption(t("ui.progress.editing", lang))
    with st.form("checkin.form"):
        a, b, c, d = st.columns(4)
        a.number_input(t("ui.progress.posts", lang), min_value=0, step=1, key="checkin.posts")
        b.number_input(
            t("ui.progress.received", lang),
            min_value=0,
            step=1,
            key="checkin.received",
            help=t("ui.progress.received_help", lang),
        )
        c.number_input(t("ui.progress.replies", lang), min_value=0, step=1, key="checkin.replies")
        d.number_input(
            t("ui.progress.median", lang),
            min_value=0.0,
            step=0.5,
            format="%.1f",
            key="checkin.median_response_hours",
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
        st.text_area(t("ui.progress.note", lang), key="checkin.note", max_chars=4000, height=80)
        submitted = st.form_submit_button(t("ui.progress.save", lang), type="primary")
    if submitted:
        save_checkin(profile, week, lang)


def _whole(value) -> int | None:
    return None if value is None else int(value)


def save_checkin(profile, week: str, lang: str) -> None:
    """Save the form; a refused check-in says why and keeps every figure on screen."""
    values = st.session_state
    checkin = CheckIn(
        week=week,
        posts=_whole(values["checkin.posts"]) or 0,
        received=_whole(values["checkin.received"]) or 0,
        replies=_whole(values["checkin.replies"]) or 0,
        median_response_hours=values["checkin.median_response_hours"],
        note=(values["checkin.note"] or "").strip(),
        **{name: _whole(values[f"checkin.{name}"]) for name in OPTIONAL},
    )
    with components.guard(lang):
        outcome = state.store().save_checkin(profile.name, checkin, today=state.today_for(profile))
        key = "ui.progress.updated" if outcome == "updated" else "ui.progress.created"
        st.session_state["app.flash"] = t(key, lang, week=components.week_label(week, lang))
        st.rerun()


# ---- goals ------------------------------------------------------------------------------------


def goals_section(profile, overview, lang: str) -> None:
    st.subheader(t("ui.progress.goals", lang))
    st.caption(t("ui.progress.goals_help", lang))
    if not overview.goals:
        st.info(t("ui.home.no_goals", lang))
        return
    components.goal_tiles(overview.goals, lang)
    with st.expander(t("ui.progress.targets", lang), icon=":material/tune:"):
        targets_form(profile, overview.goals, lang)


def targets_form(profile, goals, lang: str) -> None:
    for goal in goals:
        st.session_state.setdefault(f"targets.{goal.id}", float(goal.target))
    with st.form("targets.form"):
        for goal in goals:
            st.number_input(
                t(f"ui.goal.target_{goal.direction}", lang, goal=goal.title, unit=goal.unit),
                min_value=0.0,
                step=0.5,
                format="%.1f",
                key=f"targets.{goal.id}",
            )
        submitted = st.form_submit_button(t("ui.progress.save_targets", lang))
    if not submitted:
        return
    changed = [g for g in goals if float(st.session_state[f"targets.{g.id}"]) != float(g.target)]
    if not changed:
        st.info(t("ui.settings.nothing_changed", lang))
        return
    with components.guard(lang):
        for goal in changed:
            state.store().set_goal_target(
                profile.name,
                goal.id,
                float(st.session_state[f"targets.{goal.id}"]),
                on=state.today_for(profile),
            )
        st.session_state["app.flash"] = components.tp(
            "ui.progress.targets_saved", lang, len(changed)
        )
        st.rerun()


# ---- charts -----------------------------------------------------------------------------------


def charts_section(stored, overview, profile, lang: str) -> None:
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
    by_metric = {g.metric: g for g in overview.goals}
    today = state.today_for(profile)
    left, right = st.columns(2, gap="large")
    with left:
        _goal_chart(by_metric.get("posts"), weeks, lang, "bar")
    with right:
        _goal_chart(by_metric.get("median_response_hours"), weeks, lang, "line")
    left, right = st.columns(2, gap="large")
    with left:
        _goal_chart(by_metric.get("response_rate"), weeks, lang, "line")
    with right:
        st.markdown(f"**{t('ui.progress.calendar', lang)}**")
        posts = _posts_by_week(overview)
        posts = posts[-weeks:] if weeks else posts
        if posts:
            charts.draw(
                charts.posting_calendar,
                tuple(posts),
                lang,
                alt_text=t("ui.progress.calendar", lang),
            )
        else:
            st.caption(t("ui.progress.no_data_chart", lang))
    # full width, one under the other: the goal names need the room
    st.markdown(f"**{t('ui.progress.burnup', lang)}**")
    steps = charts.burnup_data(stored)
    if steps:
        charts.draw(charts.burnup, steps, today, lang, alt_text=t("ui.progress.burnup", lang))
    st.caption(
        t(
            "ui.progress.burnup_help",
            lang,
            done=fmt_number(overview.completion.effort_done_hours, lang),
            total=fmt_number(overview.completion.effort_total_hours, lang),
        )
    )
    st.markdown(f"**{t('ui.progress.habit', lang)}**")
    if overview.goals:
        charts.draw(
            charts.habit_strength,
            charts.habit_data(overview.goals),
            lang,
            alt_text=t("ui.progress.habit", lang),
        )
    st.caption(t("ui.progress.habit_help", lang))


def _posts_by_week(overview) -> list[tuple[str, float | None]]:
    goal = next((g for g in overview.goals if g.metric == "posts"), None)
    if goal is not None:
        return goal.weekly
    return [(c.week, c.posts) for c in overview.checkins]


def _goal_chart(goal, weeks: int, lang: str, kind: str) -> None:
    if goal is None:
        return
    st.markdown(f"**{goal.title}**  {components.status_markdown(goal.status, lang)}")
    if not any(value is not None for _, value in goal.weekly):
        st.caption(t("ui.progress.no_data_chart", lang))
        return
    charts.draw(
        charts.weekly_goal,
        *charts.goal_data(goal, weeks or None),
        lang,
        kind,
        alt_text=t("ui.progress.chart_alt", lang, goal=goal.title),
    )


if __name__ == "__main__":
    render()
