"""The employees' pages, reached by a link only: the perception pulse and the question box.

`route()` runs first in `coach.ui.app.run()`: with `?pulse=TOKEN` or `?ask=TOKEN` in
the address it draws one of these pages and the app draws nothing else (no
sidebar, no navigation, no profile). Every run checks the token through the
service; a refused link shows its polite sentence and nothing more. The pages
show the manager's display name and the pulse or inbox texts, nothing else.
Designed for a phone (390 px) first.
"""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from coach import service
from coach.errors import CoachError
from coach.i18n import LANGUAGES, normalize_lang, t
from coach.pulse.links import LinkRefused
from coach.typography import typeset
from coach.ui import components, state

LANG_KEY = "employee.lang"
SENT = "employee.sent"  # the pulse was sent from this browser tab
ASKED = "employee.asked"  # a question was sent (the text area starts empty again)
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
# What Markdown (and Streamlit's :directives[...] and :shortcodes:) would act on; plain
# punctuation stays as it is, so labels also read well to screen readers (aria-label).
_ACTIVE = re.compile(r"[\\`*_\[\]<>~$|&]|:(?=\S)")
_LINE_START = re.compile(r"^(\s*\d*)([#>+=-]|(?<=\d)[.)])", re.MULTILINE)

# Bigger tap targets for the radio answers on a phone (44 px, as WCAG's target size advises).
PHONE_CSS = """
<style>
div[role="radiogroup"] label { min-height: 44px; align-items: center; }
div[data-testid="stForm"] { padding: 0.75rem; }
</style>
"""


def inert(text: str, lang: str | None = None) -> str:
    """Text as plain words in Markdown: nothing in it becomes a link, an image or a format.

    With `lang`, our own sentences get that language's typography first; what people
    wrote (questions, answers, comments) is shown as written.
    """
    text = typeset(text, lang) if lang else text
    text = _ACTIVE.sub(lambda m: "\\" + m.group(0), text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def route() -> bool:
    """Draw an employee page when the address asks for one; True when it did."""
    params = st.query_params
    if "pulse" in params:
        _page_config("pulse")
        pulse_page(params.get("pulse", ""))
        return True
    if "ask" in params:
        _page_config("ask")
        ask_page(params.get("ask", ""))
        return True
    return False


def _page_config(kind: str) -> None:
    title = t("pulse.manage.title" if kind == "pulse" else "pulse.inbox_page.title", _lang())
    st.set_page_config(
        page_title=title,
        page_icon=f"{__file__.removesuffix('employee.py')}static/icon.svg",
        layout="centered",
        initial_sidebar_state="collapsed",
    )
    st.markdown(PHONE_CSS, unsafe_allow_html=True)


def _lang() -> str:
    chosen = st.session_state.get(LANG_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    return normalize_lang(st.context.locale)


def _language_switch() -> str:
    if st.session_state.get(LANG_KEY) not in LANGUAGES:
        st.session_state[LANG_KEY] = normalize_lang(st.context.locale)
    st.segmented_control(
        "Langue / Language",
        list(LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=LANG_KEY,
        label_visibility="collapsed",
    )
    return _lang()


def _refused(err: CoachError, lang: str) -> None:
    st.info(err.message(lang), icon=":material/link_off:")


# ---- the pulse ----------------------------------------------------------------------------------


def pulse_page(token: str) -> None:
    lang = _language_switch()
    store = state.base_store()  # employees never sign in: the plain store, by token only
    try:
        page = service.pulse_page(store, token, lang)
    except LinkRefused as err:
        _refused(err, lang)
        return
    manager = page.manager
    st.header(inert(t("pulse.page.title", lang, manager=manager), lang))
    st.markdown(inert(page.intro, lang))
    if st.session_state.get(SENT) == token:
        st.success(
            inert(t("pulse.page.thanks", lang, manager=manager, threshold=page.threshold), lang),
            icon=":material/check_circle:",
        )
        if st.button(t("pulse.page.again", lang)):
            st.session_state.pop(SENT, None)
            st.rerun()
        return
    with st.form("employee.pulse", border=False):
        for qid, kind, text in page.questions:
            if kind == "scale":
                st.radio(
                    inert(text, lang),
                    options=[1, 2, 3, 4, 5],
                    format_func=lambda v: page.labels[v - 1],
                    index=None,
                    key=f"employee.q.{qid}",
                )
            else:
                st.text_area(
                    inert(text, lang),
                    max_chars=page.max_comment,
                    key=f"employee.q.{qid}",
                    help=t("pulse.page.comment_help", lang, threshold=page.threshold),
                )
        sent = st.form_submit_button(
            t("pulse.page.send", lang), type="primary", use_container_width=True
        )
    if sent:
        _send_pulse(token, page, lang)


def _send_pulse(token: str, page: service.EmployeePulsePage, lang: str) -> None:
    missing = [
        text
        for qid, kind, text in page.questions
        if kind == "scale" and st.session_state.get(f"employee.q.{qid}") is None
    ]
    if missing:
        st.error(inert(t("pulse.page.missing", lang, question=missing[0]), lang))
        return
    raw: dict[str, object] = {}
    for qid, kind, _ in page.questions:
        value = st.session_state.get(f"employee.q.{qid}")
        if kind == "scale" or (isinstance(value, str) and value.strip()):
            raw[qid] = value
    try:
        service.submit_pulse(state.base_store(), token, raw)
    except CoachError as err:
        st.error(err.message(lang), icon=":material/error:")
        return
    for qid, _, _ in page.questions:
        st.session_state.pop(f"employee.q.{qid}", None)
    st.session_state[SENT] = token
    st.rerun()


# ---- the question box ---------------------------------------------------------------------------


def ask_page(token: str) -> None:
    lang = _language_switch()
    store = state.base_store()  # employees never sign in: the plain store, by token only
    try:
        page = service.inbox_page(store, token)
    except LinkRefused as err:
        _refused(err, lang)
        return
    manager = page.manager
    st.header(inert(t("pulse.ask.title", lang, manager=manager), lang))
    st.markdown(inert(t("pulse.ask.intro", lang, manager=manager), lang))
    if st.session_state.pop(ASKED, False):
        st.session_state["employee.question"] = ""
        st.success(
            inert(t("pulse.ask.sent", lang, manager=manager), lang), icon=":material/check_circle:"
        )
    st.text_area(
        t("pulse.ask.question", lang), max_chars=page.max_question, key="employee.question"
    )
    signed = st.checkbox(t("pulse.ask.sign", lang), key="employee.sign")
    if signed:
        st.text_input(
            inert(t("pulse.ask.name", lang, manager=manager), lang),
            max_chars=page.max_name,
            key="employee.name",
        )
    if st.button(t("pulse.ask.send", lang), type="primary", use_container_width=True):
        name = st.session_state.get("employee.name") if signed else None
        try:
            service.ask_question(store, token, st.session_state.get("employee.question", ""), name)
        except CoachError as err:
            st.error(err.message(lang), icon=":material/error:")
        else:
            st.session_state[ASKED] = True
            st.rerun()
    st.subheader(inert(t("pulse.ask.published", lang, manager=manager), lang))
    if not page.published:
        st.caption(t("pulse.ask.none_published", lang))
    for item in page.published:
        with st.container(border=True):
            st.markdown(f"**{inert(item.question)}**")
            st.markdown(inert(item.answer))
            st.caption(t("pulse.ask.answered_on", lang, day=_day(item.answered_on, lang)))


def _day(value: date, lang: str) -> str:
    return components.day(value, lang)
