"""Home / Accueil: where to start, this week's step, goals at a glance, the last check-in."""

from __future__ import annotations

import streamlit as st

from coach.checkin import parse_week, week_of
from coach.i18n import t
from coach.ui import components, state


def render() -> None:
    lang = state.lang()
    profile = state.profile()
    if profile is None:
        welcome(lang)
        return
    st.title(t("ui.home.hello", lang, name=profile.name))
    store = state.store()
    stored = state.plan_in(profile, store.get_plan(profile.name), lang)
    if stored is None:
        first_steps(profile, lang)
        return
    overview = components.progress_overview(profile, stored, lang)
    checkin_nudge(overview, lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        where_to_start(stored, lang)
    with right:
        this_week(stored, lang)
    goals_at_a_glance(overview, lang)
    last_checkin(overview, lang)


# ---- a new user -------------------------------------------------------------------------------


def welcome(lang: str) -> None:
    st.title(t("ui.home.welcome_title", lang))
    st.markdown(t("ui.home.welcome_intro", lang))
    for index in (1, 2, 3):
        st.markdown(f"{index}. {t(f'ui.home.welcome_step{index}', lang)}")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("ui.home.create_title", lang))
        components.profile_create_form(lang, "home.new")
    with right:
        st.subheader(t("ui.home.demo_title", lang))
        st.markdown(t("ui.home.demo_text", lang))
        if st.button(
            t("ui.home.demo_button", lang), key="home.demo", icon=":material/play_circle:"
        ):
            load_demo(lang)


def load_demo(lang: str) -> None:
    with components.guard(lang), st.spinner(t("ui.home.demo_loading", lang)):
        profile = components.create_demo(lang)
        state.select_profile(profile)
        st.session_state["app.flash"] = t("ui.home.demo_loaded", lang, name=profile.name)
        st.rerun()


def first_steps(profile, lang: str) -> None:
    """A profile without a plan: the self-assessment is the way in."""
    draft = state.store().get_draft(profile.name)
    if draft:
        st.info(components.tp("ui.home.resume", lang, len(draft)), icon=":material/history:")
        components.link("assessment", "ui.home.resume_link", lang, icon=":material/play_arrow:")
    else:
        st.info(t("ui.home.no_plan", lang), icon=":material/checklist:")
        components.link("assessment", "ui.home.start_link", lang, icon=":material/play_arrow:")


# ---- a manager with a plan --------------------------------------------------------------------


def checkin_nudge(overview, lang: str) -> None:
    if overview.this_week_checkin is None:
        st.warning(
            t("ui.home.nudge", lang, week=components.week_label(overview.current_week, lang)),
            icon=":material/notifications:",
        )
        components.link("progress", "ui.home.nudge_link", lang, icon=":material/edit_note:")


def where_to_start(stored, lang: str) -> None:
    st.subheader(t("ui.home.where_to_start", lang))
    steps = components.start_steps(stored)
    if not steps:
        st.success(t("ui.home.all_done", lang), icon=":material/celebration:")
    for number, step in enumerate(steps, start=1):
        components.step_card(step, stored.states[step.id], lang, number=number)
    components.link("plan", "ui.home.plan_link", lang, icon=":material/route:")


def this_week(stored, lang: str) -> None:
    st.subheader(t("ui.home.this_week", lang))
    step = components.this_week_step(stored)
    if step is None:
        st.info(t("ui.home.this_week_none", lang))
        return
    with st.container(border=True):
        st.markdown(
            f"**{step.title}**  {components.step_state_markdown(stored.states[step.id].state, lang)}"
        )
        st.markdown(t("ui.home.starter", lang))
        st.success(step.starter, icon=":material/timer:")
        st.caption(t("ui.step.when", lang, **components.step_dates(step, lang)))


def goals_at_a_glance(overview, lang: str) -> None:
    st.subheader(t("ui.home.goals", lang))
    if not overview.goals:
        st.info(t("ui.home.no_goals", lang))
        return
    components.goal_tiles(overview.goals, lang)


def last_checkin(overview, lang: str) -> None:
    st.subheader(t("ui.home.last_checkin", lang))
    last = overview.last_checkin
    if last is None:
        st.info(t("ui.home.no_checkin", lang))
        return
    monday = parse_week(last.week)
    st.markdown(
        t(
            "ui.home.last_checkin_line",
            lang,
            week=components.capitalised(components.week_label(week_of(monday), lang)),
            posts=components.counted("posts", last.posts, lang),
            received=components.counted("received", last.received, lang),
            replies=components.counted("replies", last.replies, lang),
            median=components.number(last.median_response_hours, lang),
        )
    )
    if last.note:
        st.caption(last.note)


if __name__ == "__main__":
    render()
