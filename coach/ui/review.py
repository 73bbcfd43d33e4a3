"""Before you post / Avant de publier: review a draft against the playbook's rules.

The draft and the network stay in this browser session until the manager saves the draft
to their profile; nothing is sent anywhere. With a profile, the page also keeps its own
"never say" list (every review of the profile looks for it) and lists the saved drafts:
open one back into the editor, delete one (after a second click). Everything goes through
`coach.service`. The draft is shown back as text only (HTML-escaped, no Markdown), so a
pasted image link or script fetches and runs nothing; the manager's own words elsewhere
(a saved draft's first words, a never-say phrase) are escaped Markdown, never typeset.
The page runs top to bottom as a phone shows it: the editor and its buttons, the verdict,
the findings (what blocks first), then the saved drafts and the never-say list.
"""

from __future__ import annotations

import html
import re
import zoneinfo
from collections.abc import Callable
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
from coach.review import NETWORKS, Review, by_severity, stats_words
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
CONFIRM = PREFIX + "confirm_delete"  # PostDraft as listed at the 1st delete click, awaiting the 2nd
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
# The number beside marked words: a small bracketed pill, not a superscript digit that would
# read as one more digit of a phone number.
BADGE_STYLE = (
    "display:inline-block;margin:0 2px;padding:0 5px;border-radius:8px;font-size:0.75em;"
    "font-weight:600;line-height:1.4;vertical-align:1px;background:#334155;color:#fff"
)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$&])")
_LINE_START = re.compile(r"^(\s*)(-|=|\d{1,9}[.)])")
_BARE_LINK = re.compile(r"(?i)(://|www\.)")
_SHORTCODE = re.compile(r"([:@])(?=[\w+/-])")


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
    # One column first, as a phone reads it: the verdict and findings right under the button.
    opened_banner(profile, lang)
    draft_form(profile, book, lang)
    problem = st.session_state.get(SAVE_ERROR)
    if problem:
        st.error(problem, icon=":material/error:")
    last = st.session_state.get(LAST)
    if last:
        text, network = last
        with components.guard(lang):
            result = service.review_post(state.store(), profile, text, network, lang, playbook=book)
            show, icon = VERDICT_LOOK[result.verdict]
            show(t(f"review.verdict.{result.verdict}", lang), icon=icon)
            show_result(result, text, network, lang)
    if profile is None:
        st.caption(t("review.keep.no_profile", lang))
        return
    drafts, phrases = st.columns([3, 2], gap="large")
    with drafts:
        saved_list(profile, lang)
    with phrases:
        never_say_panel(profile, lang)


def _own_keys(owner: str | None) -> None:
    """Another profile was chosen (here, or in the sidebar that clears this page's keys):
    forget the previous draft and list, and empty the editor. The editor's key is set to ""
    rather than dropped: a dropped key lets the browser show, and send back, the text it
    still holds, a confidential draft under another executive's name."""
    if st.session_state.get(OWNER, owner) != owner:
        for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
            del st.session_state[key]
    st.session_state[OWNER] = owner
    if DRAFT not in st.session_state:
        st.session_state[DRAFT] = ""


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


def draft_form(profile: Profile | None, book: Playbook, lang: str) -> None:
    """The editor, the network, and the buttons that act on what the editor holds now: the
    save buttons are part of the form, so a save takes the text as it is at the click."""
    with st.form(PREFIX + "form", border=False):
        st.text_area(t("review.ui.draft", lang), key=DRAFT, height=220, max_chars=100_000)
        st.radio(
            t("review.ui.network", lang),
            NETWORKS,
            format_func=lambda n: t(f"review.network.{n}", lang),
            key=NETWORK,
            horizontal=True,
        )
        with st.container(horizontal=True):
            st.form_submit_button(
                t("review.ui.review", lang),
                type="primary",
                icon=":material/rate_review:",
                on_click=_review_editor,
            )
            if profile is not None:
                save_buttons(profile, book, lang)


def _review_editor() -> None:
    """Review what the editor holds now."""
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
            words.markdown(verbatim(phrase))
            button.button(
                t("review.keep.remove_short", lang),
                key=f"{PREFIX}remove.{number}",
                icon=":material/close:",
                help=with_words("review.keep.remove", lang, phrase),
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
    state.toast(with_words("review.keep.removed", state.lang(), phrase))


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
    """Submit buttons of the editor's form: each saves the text in the editor at the click."""
    opened: PostDraft | None = st.session_state.get(OPENED)
    st.form_submit_button(
        t("review.keep.save_changes" if opened else "review.keep.save", lang),
        key=PREFIX + "save",
        icon=":material/bookmark_add:",
        on_click=components.safe_callback(_save),
        args=(profile.id, book, lang, False),
    )
    if opened is not None:
        st.form_submit_button(
            t("review.keep.save_as_new", lang),
            key=PREFIX + "save_new",
            icon=":material/library_add:",
            on_click=components.safe_callback(_save),
            args=(profile.id, book, lang, True),
        )


def _save(profile_id: int, book: Playbook, lang: str, as_new: bool) -> None:
    """Review and save the text in the editor now (the verdict shown is about that text);
    a refusal: a sentence under the form, the editor kept as it is."""
    _review_editor()
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
    opened: PostDraft | None = st.session_state.get(OPENED)
    for draft in drafts:
        with st.container(border=True):
            if opened is not None and opened.id == draft.id:
                st.markdown(f":blue-badge[:material/edit: {t('review.keep.in_editor', lang)}]")
            line = t(
                "review.keep.line",
                lang,
                when=components.capitalised(when(draft.saved_at, profile, lang)),
                network=t(f"review.network.{draft.network}", lang),
                verdict=t(f"review.keep.verdict.{draft.verdict}", lang),
            )
            # the icon outside t(): French spacing would split its ":name:" apart
            st.caption(f":material/{VERDICT_ICON[draft.verdict]}: {line}")
            st.markdown(verbatim(first_words(draft.text)))
            asked: PostDraft | None = st.session_state.get(CONFIRM)
            if asked is not None and asked.id == draft.id:
                delete_confirmation(profile, asked, lang)
                continue
            with st.container(horizontal=True):
                _draft_button("open", profile, draft, "edit", components.safe_callback(_open))
                _draft_button("delete", profile, draft, "delete", _ask_delete)


def delete_confirmation(profile: Profile, draft: PostDraft, lang: str) -> None:
    """The second step of a delete: say it cannot be undone, confirm or keep the draft
    (`draft` is the version seen at the first click)."""
    st.warning(t("review.keep.confirm_delete_note", lang), icon=":material/warning:")
    with st.container(horizontal=True):
        delete = components.safe_callback(_delete)
        _draft_button("confirm_delete", profile, draft, "delete_forever", delete, primary=True)
        _draft_button("cancel_delete", profile, draft, "undo", _keep)


def _draft_button(
    action: str,
    profile: Profile,
    draft: PostDraft,
    icon: str,
    callback: Callable[[int, PostDraft], None],
    primary: bool = False,
) -> None:
    """One of a saved draft's buttons, `review.<action>.<id>`: its callback gets the profile's
    id and the draft as listed."""
    st.button(
        t(f"review.keep.{action}", state.lang()),
        key=f"{PREFIX}{action}.{draft.id}",
        type="primary" if primary else "secondary",
        icon=f":material/{icon}:",
        on_click=callback,
        args=(profile.id, draft),
    )


def _keep(_profile_id: int, _draft: PostDraft) -> None:
    st.session_state.pop(CONFIRM, None)


def _ask_delete(_profile_id: int, draft: PostDraft) -> None:
    """Remember the draft as it was listed at the first click: the confirmation deletes that
    version only (changed elsewhere in between: refused, with a sentence)."""
    st.session_state[CONFIRM] = draft


def _open(profile_id: int, listed: PostDraft) -> None:
    draft = service.open_post_draft(state.store(), profile_id, listed.id)
    st.session_state[DRAFT] = draft.text
    st.session_state[NETWORK] = draft.network
    st.session_state[LAST] = (draft.text, draft.network)
    st.session_state[OPENED] = draft
    st.session_state.pop(SAVE_ERROR, None)
    st.session_state[OPENINGS] = st.session_state.get(OPENINGS, 0) + 1
    st.session_state[SCROLL] = True
    state.toast(t("review.keep.opened", state.lang()))


def _delete(profile_id: int, draft: PostDraft) -> None:
    st.session_state.pop(CONFIRM, None)
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
        st.html(highlighted(text, result, lang))
    with right:
        st.subheader(t("review.ui.findings", lang))
        if not result.findings:
            st.markdown(t("review.ui.none", lang))
        for number, finding in enumerate(by_severity(result.findings), start=1):
            finding_card(number, finding, text, lang)


def verbatim(text: str) -> str:
    """The manager's own words as inert Markdown, shown exactly as typed: no typesetting
    (« Marc ! » stays « Marc ! »), no emoji from ":smile:", no link from an address, no list
    or heading from a leading "-" or "1.". Line breaks become spaces (one line)."""
    value = _MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"[\t\r\n\f\v]+", " ", text))
    value = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    # An invisible word joiner keeps the words from becoming a link, an emoji or an icon: the
    # renderer finds "http://", "www.", "name@host" and ":smile:" in the text after escapes.
    value = _BARE_LINK.sub(lambda m: m.group(1)[:1] + "\u2060" + m.group(1)[1:], value)
    return _SHORTCODE.sub("\\1\u2060", value)


def with_words(key: str, lang: str, words: str) -> str:
    """The sentence `key` around the manager's `words`: the sentence typeset, the words not."""
    return t(key, lang, phrase="\ue000").replace("\ue000", verbatim(words))


def inert(text: str, lang: str) -> str:
    """The product's own sentences as inert Markdown, keeping the French non-breaking spaces
    the escape folds away."""
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


def highlighted(text: str, result: Review, lang: str = "en") -> str:
    """The draft as escaped HTML, each finding's words marked and numbered like the cards.

    Words that several findings point at form one mark (in the colour of the worst), followed
    by one pill with all their numbers ("[3, 4]"), which a screen reader reads as a label."""
    spans = sorted(
        (f.start, f.end, f.severity, n)
        for n, f in enumerate(by_severity(result.findings), start=1)
        if f.end > f.start
    )
    groups: list[list[tuple[int, int, str, int]]] = []
    for span in spans:
        if groups and span[0] < max(e for _, e, _, _ in groups[-1]):
            groups[-1].append(span)
        else:
            groups.append([span])
    parts = []
    done = 0
    for group in groups:
        start, end = group[0][0], max(e for _, e, _, _ in group)
        worst = max((s[2] for s in group), key=RANK.__getitem__)
        numbers = ", ".join(str(n) for n in sorted(s[3] for s in group))
        label = html.escape(t("review.ui.mark_label", lang, numbers=numbers))
        parts.append(html.escape(text[done:start]))
        parts.append(
            f'<mark style="{MARK_STYLE[worst]};color:inherit;padding:0 1px">'
            f"{html.escape(text[start:end])}</mark>"
            f'<span role="note" aria-label="{label}" title="{label}" style="{BADGE_STYLE}">'
            f"[{numbers}]</span>"
        )
        done = end
    parts.append(html.escape(text[done:]))
    body = "".join(parts)
    return (
        '<div style="white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.8;'
        f'font-size:1rem">{body}</div>'
    )


if __name__ == "__main__":
    render()
