"""Before you post / Avant de publier: review a draft against the playbook's rules.

The draft, the network and the "never say" list stay in this browser session: nothing is
written to the database and nothing is sent anywhere. The draft is shown back as text only
(HTML-escaped, no Markdown), so a pasted image link or script fetches and runs nothing.
"""

from __future__ import annotations

import html
import itertools

import streamlit as st

from coach import service
from coach.exports import markdown as md
from coach.i18n import fmt_number, t
from coach.model import Playbook
from coach.playbook import default_playbook_path
from coach.profile import Profile
from coach.review import NETWORKS, Review
from coach.review.engine import Finding
from coach.typography import typeset
from coach.ui import components, state

PREFIX = "review."
DRAFT = PREFIX + "draft"
NETWORK = PREFIX + "network"
NEVER_SAY = PREFIX + "never_say"
LAST = PREFIX + "last"  # (draft, network, never-say list) of the last review asked for
OWNER = PREFIX + "owner"  # the profile these keys belong to
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
    st.title(t("review.ui.title", lang))
    st.caption(t("review.ui.intro", lang))
    book = _playbook(profile, lang)
    if book is None:
        return
    if not book.reviews:
        st.info(t("review.ui.no_rules", lang), icon=":material/info:")
        return
    draft_form(lang)
    last = st.session_state.get(LAST)
    if not last:
        return
    text, network, never_say = last
    with components.guard(lang):
        result = service.review_draft(
            state.store(), profile, text, network, lang, never_say=never_say, playbook=book
        )
        show_result(result, text, network, lang)


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
        left, right = st.columns([1, 2], gap="large")
        with left:
            st.radio(
                t("review.ui.network", lang),
                NETWORKS,
                format_func=lambda n: t(f"review.network.{n}", lang),
                key=NETWORK,
                horizontal=True,
            )
        with right:
            st.text_area(
                t("review.ui.never_say", lang),
                key=NEVER_SAY,
                height=90,
                help=t("review.ui.never_say_help", lang),
            )
        if st.form_submit_button(
            t("review.ui.review", lang), type="primary", icon=":material/rate_review:"
        ):
            never_say = [p.strip() for p in (st.session_state.get(NEVER_SAY) or "").splitlines()]
            st.session_state[LAST] = (
                st.session_state.get(DRAFT) or "",
                st.session_state.get(NETWORK) or NETWORKS[0],
                [p for p in never_say if p],
            )


def show_result(result: Review, text: str, network: str, lang: str) -> None:
    show, icon = VERDICT_LOOK[result.verdict]
    show(t(f"review.verdict.{result.verdict}", lang), icon=icon)
    stats = result.stats
    st.caption(
        t(
            "review.ui.stats",
            lang,
            characters=fmt_number(stats["characters"], lang),
            counted=fmt_number(stats["counted_length"], lang),
            network=t(f"review.network.{network}", lang),
            hashtags=fmt_number(stats["hashtags"], lang),
            share=fmt_number(round(stats["promotion_share"] * 100), lang),
        )
    )
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
