"""Before you post / Avant de publier: review a draft against the playbook's rules.

The draft and the network stay in this browser session until the manager saves the draft
to their profile; nothing is sent anywhere. With a profile, the page also keeps its own
"never say" list (every review of the profile looks for it) and lists the saved drafts:
open one back into the editor, delete one. Everything goes through `coach.service`.
The draft is shown back as text only (HTML-escaped, no Markdown), so a pasted image link
or script fetches and runs nothing.
"""

from __future__ import annotations

import html
import itertools
import zoneinfo
from datetime import datetime

import streamlit as st

from coach import service
from coach.errors import CoachError
from coach.exports import markdown as md
from coach.i18n import t, tp
from coach.model import Playbook
from coach.playbook import default_playbook_path
from coach.profile import Profile
from coach.records import PostDraft
from coach.review import NETWORKS, Review, stats_words
from coach.review.engine import Finding
from coach.review.saved import first_words
from coach.typography import typeset
from coach.ui import components, state

PREFIX = "review."
DRAFT = PREFIX + "draft"
NETWORK = PREFIX + "network"
LAST = PREFIX + "last"  # (draft, network) of the last review asked for
OWNER = PREFIX + "owner"  # the profile these keys belong to
OPENED = PREFIX + "opened"  # the saved draft in the editor: PostDraft
ADD = PREFIX + "add_phrases"  # the never-say list's "add" box
PHRASE_ERROR = PREFIX + "phrase_error"  # a sentence beside the list's form
SAVE_ERROR = PREFIX + "save_error"  # a sentence beside the save buttons
OPENINGS = PREFIX + "openings"  # saved drafts opened so far: each opening scrolls up once
SCROLL = PREFIX + "scroll"  # set by an opening, for the next run
VERDICT_ICON = {"ok": "check_circle", "revise": "edit_note", "block": "block"}
VERDICT_LOOK = {
    "ok": (st.success, ":material/check_circle:"),
    "revise": (st.warning, ":material/edit_note:"),
    "block": (st.error, ":material/block:"),
}
SEVERITY_ICON = {"info": "lightbulb", "warn": "edit_note", "block": "block"}
# Highlight colours with a dark underline: the number beside each span is the other signal.
MARK_STYLE = {
    "info": "background:#dbeafe;border-bottom:2px solid #1d4ed8",
    "warn": "background:#fef3c7;border-bottom:2px solid #b45309",
    "block": "background:#fee2e2;border-bottom:2px solid #b91c1c",
}
RANK = {"info": 0, "warn": 1, "block": 2}


def render() -> None:
    lang = state.lang()
    profile = state.profile()
    _own_keys(profile.name if profile else None)
    if st.session_state.pop(SCROLL, False):  # a draft opened from the list, at the bottom
        components.scroll_to_top(f"review-open-{st.session_state.get(OPENINGS, 0)}")
    st.title(t("review.ui.title", lang))
    st.caption(t("review.ui.intro", lang))
    book = _playbook(profile, lang)
    if book is None:
        return
    if not book.reviews:
        st.info(t("review.ui.no_rules", lang), icon=":material/info:")
        return
    left, right = st.columns([3, 2], gap="large")
    with left:
        opened_banner(profile, lang)
        draft_form(lang)
    with right:
        if profile is None:
            st.caption(t("review.keep.no_profile", lang))
        else:
            never_say_panel(profile, lang)
    last = st.session_state.get(LAST)
    if last:
        text, network = last
        with components.guard(lang):
            result = service.review_post(state.store(), profile, text, network, lang, playbook=book)
            show, icon = VERDICT_LOOK[result.verdict]
            show(t(f"review.verdict.{result.verdict}", lang), icon=icon)
            if profile is not None:
                save_buttons(profile, book, lang)
            show_result(result, text, network, lang)
    if profile is not None:
        saved_list(profile, lang)


def _own_keys(owner: str | None) -> None:
    """Another profile was chosen: forget the previous draft and list."""
    if st.session_state.get(OWNER, owner) != owner:
        for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
            del st.session_state[key]
    st.session_state[OWNER] = owner


def _playbook(profile: Profile | None, lang: str) -> Playbook | None:
    """The profile's playbook (the default one without a profile), cached; None when it
    cannot load, with a sentence saying why."""
    try:
        if profile is not None:
            return state.playbook_for(profile)
        return state.load_playbook(default_playbook_path())
    except Exception as err:  # noqa: BLE001 - missing or broken: a sentence, never a traceback
        components.show_error(err, lang)
        return None


def draft_form(lang: str) -> None:
    with st.form(PREFIX + "form", border=False):
        st.text_area(t("review.ui.draft", lang), key=DRAFT, height=220, max_chars=100_000)
        st.radio(
            t("review.ui.network", lang),
            NETWORKS,
            format_func=lambda n: t(f"review.network.{n}", lang),
            key=NETWORK,
            horizontal=True,
        )
        if st.form_submit_button(
            t("review.ui.review", lang), type="primary", icon=":material/rate_review:"
        ):
            st.session_state[LAST] = (
                st.session_state.get(DRAFT) or "",
                st.session_state.get(NETWORK) or NETWORKS[0],
            )
            st.session_state.pop(SAVE_ERROR, None)


# ---- the never-say list (kept per profile) ------------------------------------------------------


def never_say_panel(profile: Profile, lang: str) -> None:
    phrases = service.never_say_list(state.store(), profile)
    with st.container(border=True):
        st.markdown(f"**{t('review.keep.never_say_title', lang)}**")
        st.caption(t("review.keep.never_say_intro", lang))
        if not phrases:
            st.caption(t("review.keep.never_say_none", lang))
        else:
            st.caption(tp("review.keep.never_say_count", lang, len(phrases)))
        for number, phrase in enumerate(phrases):
            words, button = st.columns([3, 2], vertical_alignment="center")
            words.markdown(inert(phrase, lang))
            button.button(
                t("review.keep.remove_short", lang),
                key=f"{PREFIX}remove.{number}",
                icon=":material/close:",
                help=t("review.keep.remove", lang, phrase=phrase),
                on_click=components.safe_callback(_remove_phrase),
                args=(profile.id, phrase),
            )
        with st.form(PREFIX + "never_say_form", border=False):
            st.text_area(t("review.keep.add_label", lang), key=ADD, height=80)
            st.form_submit_button(
                t("review.keep.add", lang),
                icon=":material/playlist_add:",
                on_click=components.safe_callback(_add_phrases),
                args=(profile.id, lang),
            )
        problem = st.session_state.get(PHRASE_ERROR)
        if problem:
            st.error(problem, icon=":material/error:")


def _add_phrases(profile_id: int, lang: str) -> None:
    """Add the box's lines to the list; a bad one: a sentence here, the box kept, nothing written."""
    typed = st.session_state.get(ADD) or ""
    lines = [line for line in typed.splitlines() if line.strip()] or [typed]
    try:
        added = service.add_never_say(state.store(), profile_id, lines)
    except CoachError as err:
        st.session_state[PHRASE_ERROR] = components.error_message(err, lang)
        return
    st.session_state.pop(PHRASE_ERROR, None)
    st.session_state[ADD] = ""
    if added:
        state.toast(tp("review.keep.added", lang, len(added)))
    else:
        state.toast(t("review.keep.already", lang))


def _remove_phrase(profile_id: int, phrase: str) -> None:
    service.remove_never_say(state.store(), profile_id, phrase)
    st.session_state.pop(PHRASE_ERROR, None)
    state.toast(t("review.keep.removed", state.lang(), phrase=phrase))


# ---- saving, listing, opening and deleting drafts ------------------------------------------------


def opened_banner(profile: Profile | None, lang: str) -> None:
    opened: PostDraft | None = st.session_state.get(OPENED)
    if profile is None or opened is None:
        return
    with st.container(border=True):
        st.markdown(t("review.keep.editing", lang, when=when(opened.saved_at, profile, lang)))
        st.button(
            t("review.keep.new_draft", lang),
            key=PREFIX + "new",
            icon=":material/note_add:",
            on_click=_new_draft,
        )


def _new_draft() -> None:
    st.session_state[DRAFT] = ""  # set, not dropped: the browser would send its text back
    for key in (LAST, OPENED, SAVE_ERROR):
        st.session_state.pop(key, None)


def save_buttons(profile: Profile, book: Playbook, lang: str) -> None:
    opened: PostDraft | None = st.session_state.get(OPENED)
    with st.container(horizontal=True):
        st.button(
            t("review.keep.save_changes" if opened else "review.keep.save", lang),
            key=PREFIX + "save",
            icon=":material/bookmark_add:",
            on_click=components.safe_callback(_save),
            args=(profile.id, book, lang, False),
        )
        if opened is not None:
            st.button(
                t("review.keep.save_as_new", lang),
                key=PREFIX + "save_new",
                icon=":material/library_add:",
                on_click=components.safe_callback(_save),
                args=(profile.id, book, lang, True),
            )
    problem = st.session_state.get(SAVE_ERROR)
    if problem:
        st.error(problem, icon=":material/error:")


def _save(profile_id: int, book: Playbook, lang: str, as_new: bool) -> None:
    """Save the draft last reviewed (what the verdict is about); a refusal: a sentence here."""
    text, network = st.session_state[LAST]
    opened: PostDraft | None = None if as_new else st.session_state.get(OPENED)
    try:
        saved = service.save_post_draft(
            state.store(), profile_id, text, network, opened, playbook=book
        )
    except CoachError as err:
        st.session_state[SAVE_ERROR] = components.error_message(err, lang)
        return
    st.session_state.pop(SAVE_ERROR, None)
    st.session_state[OPENED] = saved
    state.toast(t("review.keep.saved", lang))


def saved_list(profile: Profile, lang: str) -> None:
    drafts = service.post_drafts(state.store(), profile)
    st.subheader(t("review.keep.list_title", lang))
    if not drafts:
        st.caption(t("review.keep.list_none", lang))
        return
    for draft in drafts:
        with st.container(border=True):
            line = t(
                "review.keep.line",
                lang,
                when=components.capitalised(when(draft.saved_at, profile, lang)),
                network=t(f"review.network.{draft.network}", lang),
                verdict=t(f"review.keep.verdict.{draft.verdict}", lang),
            )
            # the icon outside t(): French spacing would split its ":name:" apart
            st.caption(f":material/{VERDICT_ICON[draft.verdict]}: {line}")
            st.markdown(inert(first_words(draft.text), lang))
            with st.container(horizontal=True):
                st.button(
                    t("review.keep.open", lang),
                    key=f"{PREFIX}open.{draft.id}",
                    icon=":material/edit:",
                    on_click=components.safe_callback(_open),
                    args=(profile.id, draft.id),
                )
                st.button(
                    t("review.keep.delete", lang),
                    key=f"{PREFIX}delete.{draft.id}",
                    icon=":material/delete:",
                    on_click=components.safe_callback(_delete),
                    args=(profile.id, draft),
                )


def _open(profile_id: int, draft_id: int) -> None:
    draft = service.open_post_draft(state.store(), profile_id, draft_id)
    st.session_state[DRAFT] = draft.text
    st.session_state[NETWORK] = draft.network
    st.session_state[LAST] = (draft.text, draft.network)
    st.session_state[OPENED] = draft
    st.session_state.pop(SAVE_ERROR, None)
    st.session_state[OPENINGS] = st.session_state.get(OPENINGS, 0) + 1
    st.session_state[SCROLL] = True
    state.toast(t("review.keep.opened", state.lang()))


def _delete(profile_id: int, draft: PostDraft) -> None:
    service.delete_post_draft(state.store(), profile_id, draft)
    opened: PostDraft | None = st.session_state.get(OPENED)
    if opened is not None and opened.id == draft.id:
        st.session_state.pop(OPENED, None)
    state.toast(t("review.keep.deleted", state.lang()))


def when(saved_at: datetime, profile: Profile, lang: str) -> str:
    """When a draft was saved, in the profile's time zone: 'on Dec 1, 2026 at 9:05'."""
    local = saved_at.astimezone(zoneinfo.ZoneInfo(profile.timezone))
    clock_time = (
        f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
        if lang == "fr"
        else f"{local.hour}:{local.minute:02d}"
    )
    return t("review.keep.when", lang, day=components.day(local.date(), lang), time=clock_time)


def show_result(result: Review, text: str, network: str, lang: str) -> None:
    st.caption(t("review.ui.stats", lang, **stats_words(result, network, lang)))
    left, right = st.columns([3, 2], gap="large")
    with left, st.container(border=True):
        st.html(highlighted(text, result))
    with right:
        st.subheader(t("review.ui.findings", lang))
        if not result.findings:
            st.markdown(t("review.ui.none", lang))
        for number, finding in enumerate(result.findings, start=1):
            finding_card(number, finding, text, lang)


def inert(text: str, lang: str) -> str:
    """Text as inert Markdown, keeping the French non-breaking spaces the escape folds away."""
    return typeset(md.escape(text), lang)


def finding_card(number: int, finding: Finding, text: str, lang: str) -> None:
    with st.container(border=True):
        label = t(f"review.severity.{finding.severity}", lang)
        icon = SEVERITY_ICON[finding.severity]
        st.markdown(f"**{number}.** :material/{icon}: **{label}**")
        if finding.end > finding.start:
            # The draft's words as HTML text: no Markdown, so no link or image is made of them.
            words = html.escape(text[finding.start : finding.end][:200])
            quoted = f"«\u00a0{words}\u00a0»" if lang == "fr" else f"“{words}”"
            st.html(f'<div style="overflow-wrap:anywhere">{quoted}</div>')
        else:
            st.caption(t("review.ui.whole_post", lang))
        st.markdown(inert(finding.message, lang))
        st.markdown(f"*{t('review.ui.suggestion', lang)}* · {inert(finding.suggestion, lang)}")
        if finding.source:
            st.caption(f"{t('review.ui.source', lang)} · {md.escape(finding.source)}")


def highlighted(text: str, result: Review) -> str:
    """The draft as escaped HTML, each finding's words marked and numbered like the list."""
    spans = [
        (f.start, f.end, f.severity, n)
        for n, f in enumerate(result.findings, start=1)
        if f.end > f.start
    ]
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    parts = []
    for start, end in itertools.pairwise(cuts):
        piece = html.escape(text[start:end])
        covering = [s for s in spans if s[0] <= start and end <= s[1]]
        if covering:
            worst = max(covering, key=lambda s: RANK[s[2]])[2]
            piece = f'<mark style="{MARK_STYLE[worst]};color:inherit;padding:0 1px">{piece}</mark>'
        parts.append(piece)
        ending = [str(n) for s, e, _, n in spans if e == end]
        if ending:
            parts.append(f"<sup><b>{','.join(ending)}</b></sup>")
    body = "".join(parts)
    return (
        '<div style="white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.7;'
        f'font-size:1rem">{body}</div>'
    )


if __name__ == "__main__":
    render()
