"""Home / Accueil: where to start, this week's step, goals at a glance, the last check-in."""

from __future__ import annotations

import streamlit as st

from coach import service
from coach.checkin import parse_week, week_of
from coach.i18n import t
from coach.service import ProfileSnapshot
from coach.ui import components, state


def render() -> None:
    lang = state.lang()
    profile = state.profile()
    if profile is None:
        welcome(lang)
        return
    st.title(
        t("ui.home.hello", lang, name=components.md(components.display_name(profile.name, lang)))
    )
    snap = state.snapshot(profile, lang)
    if snap.stored is None:
        first_steps(snap, lang)
        return
    focus = service.step_focus(snap)
    components.diagnosis_line(snap.plan, lang)
    checkin_nudge(snap, lang)
    late_banner(focus, lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        where_to_start(snap, focus, lang)
    with right:
        this_week(snap, focus, lang)
    goals_at_a_glance(snap, lang)
    last_checkin(snap, lang)


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
        load_demo(lang)


def load_demo(lang: str) -> None:
    components.demo_button(lang, "home.demo")


def first_steps(snap: ProfileSnapshot, lang: str) -> None:
    """A profile without a plan: the self-assessment is the way in."""
    draft = snap.draft
    if draft:
        st.info(components.tp("ui.home.resume", lang, len(draft)), icon=":material/history:")
        components.next_action(
            "assessment", "ui.home.resume_link", lang, icon=":material/play_arrow:"
        )
    else:
        st.info(t("ui.home.no_plan", lang), icon=":material/checklist:")
        components.next_action(
            "assessment", "ui.home.start_link", lang, icon=":material/play_arrow:"
        )


# ---- a manager with a plan --------------------------------------------------------------------


def checkin_nudge(snap: ProfileSnapshot, lang: str) -> None:
    if snap.this_week_checkin is None:
        st.warning(
            t("ui.home.nudge", lang, week=components.week_label(snap.current_week, lang)),
            icon=":material/notifications:",
        )
        components.next_action("progress", "ui.home.nudge_link", lang, icon=":material/edit_note:")


def late_banner(focus: service.StepFocus, lang: str) -> None:
    """Late work is the first thing a busy manager should see."""
    if focus.late:
        titles = " · ".join(components.md(step.title) for step in focus.late[:3])
        st.warning(
            components.tp("ui.plan.late", lang, len(focus.late), steps=titles),
            icon=":material/schedule:",
        )


def where_to_start(snap: ProfileSnapshot, focus: service.StepFocus, lang: str) -> None:
    st.subheader(t("ui.home.where_to_start", lang))
    components.start_cards(snap, focus, lang, "home")
    components.link("plan", "ui.home.plan_link", lang, icon=":material/route:")


def this_week(snap: ProfileSnapshot, focus: service.StepFocus, lang: str) -> None:
    st.subheader(t("ui.home.this_week", lang))
    components.this_week_card(snap, focus, lang, "home")


def goals_at_a_glance(snap: ProfileSnapshot, lang: str) -> None:
    st.subheader(t("ui.home.goals", lang))
    if not snap.goals:
        st.info(t("ui.home.no_goals", lang))
        return
    components.goal_tiles(list(snap.goals), lang)


def last_checkin(snap: ProfileSnapshot, lang: str) -> None:
    st.subheader(t("ui.home.last_checkin", lang))
    last = snap.last_checkin
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
        st.caption(components.md(last.note))


if __name__ == "__main__":
    render()
