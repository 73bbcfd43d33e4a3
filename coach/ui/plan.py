"""Plan: where to start, the timeline, and every step by phase with its state."""

from __future__ import annotations

from datetime import date

import streamlit as st

from coach import service
from coach.i18n import fmt_number, t
from coach.model import PHASES, Playbook, Step
from coach.planner import quote_titles
from coach.profile import STEP_STATES, Profile
from coach.records import StepStatus, StoredPlan
from coach.service import ProfileSnapshot
from coach.ui import charts, components, state


def render() -> None:
    lang = state.lang()
    st.title(t("ui.plan.title", lang))  # the title first, even without a profile
    profile = components.require_profile(lang)
    snap = state.snapshot(profile, lang)
    stored = snap.stored
    if stored is None:
        st.info(t("ui.plan.none", lang), icon=":material/checklist:")
        components.next_action(
            "assessment", "ui.home.start_link", lang, icon=":material/play_arrow:"
        )
        return
    today = snap.today
    components.diagnosis_line(stored.plan, lang)
    summary(snap, lang)
    hours_form(snap, lang)
    start_here(snap, lang)
    if stored.plan.steps:
        st.subheader(t("ui.plan.timeline", lang))
        with st.container(key="wide-timeline"):  # a wide screen: the timeline chart
            charts.draw(
                charts.plan_timeline,
                charts.timeline_data(stored),
                today,
                lang,
                alt_text=t("ui.plan.timeline_alt", lang),
            )
        with st.container(key="narrow-timeline"):  # a phone: the same steps, month by month
            by_month(snap, lang)
    steps_by_phase(stored, profile, today, lang, snap.playbook)
    set_aside(snap, lang)


def set_aside(snap: ProfileSnapshot, lang: str) -> None:
    """What the plan leaves for later and why: a coach says what waits, not only what is on."""
    waiting = service.deferred(snap)
    if not (waiting.left_out or waiting.later):
        return
    st.subheader(t("ui.plan.set_aside", lang))
    for key, titles in (("left_out", waiting.left_out), ("later", waiting.later)):
        if titles:
            steps = quote_titles([components.md(title) for title in titles], lang)
            st.caption(t(f"engine.md.{key}", lang, steps=steps, weeks=waiting.horizon_weeks))


MONTH_NAMES = "ui.month_long"


def by_month(snap: ProfileSnapshot, lang: str) -> None:
    """The plan as a list by month of each step's start: what, when, its state, late or not."""
    stored = snap.stored
    if stored is None:
        return
    focus = service.step_focus(snap)
    steps = sorted(stored.plan.steps, key=lambda s: (s.start, s.order))
    month = None
    for step in steps:
        if (step.start.year, step.start.month) != month:
            month = (step.start.year, step.start.month)
            st.markdown(f"**{t(f'{MONTH_NAMES}.{step.start.month}', lang)} {step.start.year}**")
        status = stored.states[step.id].state
        badges = components.step_badges(status, focus.is_late(step), lang)
        dates = f"{components.day(step.start, lang)} → {components.day(step.due, lang)}"
        st.markdown(f"- {components.md(step.title)}  {badges}  \n  {dates}")


def summary(snap: ProfileSnapshot, lang: str) -> None:
    stored = snap.stored
    if stored is None:
        return
    done = snap.completion
    st.caption(
        t(
            "ui.plan.summary",
            lang,
            start=components.day(stored.plan.start, lang),
            hours=fmt_number(stored.plan.hours_per_week, lang),
            steps=components.counted("steps", len(stored.plan.steps), lang),
            done=components.counted("steps_done", done.steps_done, lang),
            percent=fmt_number(done.effort_percent, lang),
        )
    )
    if done.late:
        late = [stored.plan.step(s) for s in done.late[:3]]
        titles = [components.md(step.title) for step in late if step is not None]
        st.warning(components.tp("ui.plan.late", lang, len(done.late), steps=" · ".join(titles)))


def hours_form(snap: ProfileSnapshot, lang: str) -> None:
    """Changing the weekly hours reschedules what is left (done steps keep their dates).

    The field shows the profile's hours, the one figure the plan is scheduled with.
    """
    profile = snap.profile
    st.session_state.setdefault("plan.hours", float(profile.hours_per_week))
    with st.form("plan.hours_form"):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        with left:
            components.hours_input(lang, "plan.hours")
        with right:
            submitted = st.form_submit_button(t("ui.plan.reschedule", lang))
    if submitted:
        wanted = float(st.session_state["plan.hours"])
        if wanted == float(profile.hours_per_week):
            st.info(t("ui.settings.nothing_changed", lang))
            return
        with components.guard(lang):
            service.change_profile(state.store(), profile, hours_per_week=wanted)
            state.flash(t("ui.plan.rescheduled", lang, hours=fmt_number(wanted, lang)))
            st.rerun()


def start_here(snap: ProfileSnapshot, lang: str) -> None:
    focus = service.step_focus(snap)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(t("ui.home.where_to_start", lang))
        components.start_cards(snap, focus, lang, "plan")
    with right:
        st.subheader(t("ui.home.this_week", lang))
        components.this_week_card(snap, focus, lang, "plan")


def _default_phase(stored: StoredPlan) -> str:
    for step in sorted(stored.plan.steps, key=lambda s: (s.start, s.order)):
        if stored.states[step.id].state in ("todo", "doing"):
            return step.phase
    return stored.plan.steps[0].phase if stored.plan.steps else PHASES[0]


def steps_by_phase(
    stored: StoredPlan, profile: Profile, today: date, lang: str, book: Playbook | None
) -> None:
    st.subheader(t("ui.plan.steps", lang))
    phases = [p for p in PHASES if any(s.phase == p for s in stored.plan.steps)]
    if not phases:
        st.info(t("engine.md.no_steps", lang))
        return
    if st.session_state.get("plan.phase") not in phases:
        st.session_state["plan.phase"] = _default_phase(stored)
    phase = st.segmented_control(
        t("ui.plan.phase", lang),
        phases,
        format_func=lambda p: t(f"engine.phase.{p}", lang),
        key="plan.phase",
        required=True,
    )
    steps = sorted(
        (s for s in stored.plan.steps if s.phase == phase), key=lambda s: (s.start, s.order)
    )
    for step in steps:
        step_detail(step, stored, profile, today, lang, book)


def step_detail(
    step: Step, stored: StoredPlan, profile: Profile, today: date, lang: str, book: Playbook | None
) -> None:
    status = stored.states[step.id]
    label = f"{components.md(step.title)} · {t(f'ui.step_state.{status.state}', lang)}"
    icon = components.STEP_LOOK.get(status.state, components.STEP_LOOK["todo"])[1]
    with st.expander(label, icon=icon, expanded=status.state == "doing"):
        st.caption(t("ui.step.when", lang, **components.step_dates(step, lang)))
        action = book.action(step.id) if book is not None else None
        if action is not None and action.opens:  # the page where this step is done
            page = t(f"ui.nav.{action.opens}", lang)
            components.link(
                action.opens, "ui.plan.opens", lang, icon=":material/open_in_new:", page=page
            )
        st.markdown(f"**{t('ui.plan.why', lang)}**")
        for reason in step.why:
            st.markdown(f"- {components.md(reason)}")
        if step.how:
            st.markdown(f"**{t('ui.plan.how', lang)}**")
            st.markdown(
                "\n".join(f"{i}. {components.md(line)}" for i, line in enumerate(step.how, start=1))
            )
        st.markdown(f"**{t('ui.home.starter', lang)}** {components.md(step.starter)}")
        if step.depends_on:
            before = [stored.plan.step(d) for d in step.depends_on]
            after = [components.md(s.title) for s in before if s is not None]
            st.caption(t("ui.plan.after", lang, steps=" · ".join(after)))
        state_form(step, status, profile, today, lang)


def state_form(step: Step, status: StepStatus, profile: Profile, today: date, lang: str) -> None:
    """The step's state and note; saving sends only what the manager changed here."""
    key = f"plan.state.{step.id}"
    loaded = st.session_state.setdefault(f"{key}.loaded", (status.state, status.note or ""))
    st.session_state.setdefault(f"{key}.value", loaded[0])
    st.session_state.setdefault(f"{key}.note", loaded[1])
    with st.form(key):
        st.radio(
            t("ui.plan.col_state", lang),
            STEP_STATES,
            format_func=lambda s: t(f"ui.step_state.{s}", lang),
            horizontal=True,
            key=f"{key}.value",
        )
        st.text_input(t("ui.plan.note", lang), key=f"{key}.note", max_chars=500)
        submitted = st.form_submit_button(t("ui.plan.save_state", lang))
    if submitted:
        new_state = st.session_state[f"{key}.value"]
        new_note = st.session_state[f"{key}.note"].strip()
        with components.guard(lang):
            service.set_step_state(
                state.store(),
                profile,
                step.id,
                new_state if new_state != loaded[0] else None,
                note=new_note if new_note != loaded[1].strip() else None,
                on=today if new_state != loaded[0] else None,
            )
            for suffix in ("loaded", "value", "note"):
                st.session_state.pop(f"{key}.{suffix}", None)
            state.flash(
                t(
                    "ui.plan.state_saved",
                    lang,
                    step=components.md(step.title),
                    state=t(f"ui.step_state.{new_state}", lang),
                )
            )
            st.rerun()


if __name__ == "__main__":
    render()
