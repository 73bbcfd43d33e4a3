"""Team questions / Questions d'équipe: the "ask me anything" inbox of the selected profile.

New questions first; each can be marked answered privately, at a town hall or in
a post, and given a published answer every employee with the link can read.
The week's figures at the top are the ones the check-in counts (no typing).
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from coach import clock, service
from coach.checkin import week_of
from coach.i18n import fmt_number, t
from coach.inbox import InboxQuestion
from coach.profile import Profile
from coach.ui import components, state
from coach.ui.employee import inert

LINK = "inbox.link"  # (profile id, url) of the link just made: shown once
CHANNELS = ("private", "town_hall", "post")
CHANNEL_ICONS = {
    "private": ":material/mail:",
    "town_hall": ":material/groups:",
    "post": ":material/campaign:",
}


def render() -> None:
    lang = state.lang()
    profile = components.require_profile(lang)
    st.title(t("pulse.inbox_page.title", lang))
    st.caption(t("pulse.inbox_page.intro", lang))
    store = state.store()
    link_section(profile, lang)
    figures = service.inbox_figures(store, profile, week_of(state.today_for(profile)))
    median = (
        components.hours(figures.median_response_hours, lang)
        if figures.median_response_hours is not None
        else "—"
    )
    st.markdown(
        t(
            "pulse.inbox_page.week",
            lang,
            received=fmt_number(figures.received, lang),
            replies=fmt_number(figures.replies, lang),
            median=median,
        )
    )
    questions = service.inbox(store, profile)
    if not questions:
        st.caption(t("pulse.inbox_page.none", lang))
        return
    new = [q for q in questions if q.state == "new"]
    done = [q for q in questions if q.state != "new"]
    if new:
        st.subheader(t("pulse.inbox_page.new", lang))
        for question in new:
            question_card(profile, question, lang)
    if done:
        st.subheader(t("pulse.inbox_page.answered", lang))
        for question in done:
            question_card(profile, question, lang)


def _base_url() -> str:
    url = getattr(st.context, "url", None)
    return str(url) if url else ""


def link_section(profile: Profile, lang: str) -> None:
    store = state.store()
    shown = st.session_state.get(LINK)
    if shown and shown[0] == profile.id:
        st.success(t("pulse.inbox_page.link_made", lang))
        st.code(shown[1], language=None, wrap_lines=True)
    is_open = service.inbox_link_open(store, profile)
    st.caption(t("pulse.inbox_page.link_open" if is_open else "pulse.inbox_page.link_closed", lang))
    make, close = st.columns(2)
    if make.button(
        t("pulse.inbox_page.new_link", lang),
        help=t("pulse.inbox_page.new_link_help", lang) if is_open else None,
        key="inbox.new_link",
        icon=":material/link:",
    ):
        with components.guard(lang):
            opened = service.open_inbox_link(store, profile, _base_url())
            st.session_state[LINK] = (profile.id, opened.url)
            st.rerun()
    if is_open and close.button(
        t("pulse.inbox_page.close_link", lang), key="inbox.close_link", icon=":material/link_off:"
    ):
        with components.guard(lang):
            service.close_inbox_link(store, profile)
            st.session_state.pop(LINK, None)
            st.rerun()


def _when(moment: datetime, profile: Profile, lang: str) -> str:
    local = moment.astimezone(clock.zone(profile.timezone))
    return f"{components.day(local.date(), lang)} {local:%H:%M}"


def question_card(profile: Profile, question: InboxQuestion, lang: str) -> None:
    with st.container(border=True):
        st.markdown(inert(question.text))
        who = (
            t("pulse.inbox_page.anonymous", lang)
            if question.signed_by is None
            else t("pulse.inbox_page.signed", lang, name=inert(question.signed_by))
        )
        received = t(
            "pulse.inbox_page.received", lang, when=_when(question.received, profile, lang)
        )
        state_word = (
            f" · {t(f'pulse.inbox_page.state.{question.state}', lang)}"
            if question.state != "new"
            else ""
        )
        st.caption(f"{who} · {received}{state_word}")
        if question.state != "published":
            columns = st.columns(len(CHANNELS))
            for column, channel in zip(columns, CHANNELS, strict=True):
                if column.button(
                    t(f"pulse.inbox_page.{channel}", lang),
                    key=f"inbox.{channel}.{question.id}",
                    icon=CHANNEL_ICONS[channel],
                    use_container_width=True,
                ):
                    with components.guard(lang):
                        service.answer_question(state.store(), profile, question.id, channel)
                        state.flash(t("pulse.inbox_page.marked", lang))
                        st.rerun()
        else:
            st.markdown(f"> {inert(question.answer or '')}")
        with st.expander(t("pulse.inbox_page.publish", lang), icon=":material/public:"):
            key = f"inbox.answer.{question.id}"
            if key not in st.session_state:
                st.session_state[key] = question.answer or ""
            st.text_area(t("pulse.inbox_page.answer_field", lang), key=key, max_chars=5000)
            if st.button(
                t("pulse.inbox_page.publish_button", lang), key=f"inbox.publish.{question.id}"
            ):
                with components.guard(lang):
                    service.publish_answer(
                        state.store(), profile, question.id, st.session_state[key]
                    )
                    state.flash(t("pulse.inbox_page.published_ok", lang))
                    st.rerun()


if __name__ == "__main__":
    render()
