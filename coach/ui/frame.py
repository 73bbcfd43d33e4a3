"""What every page shares around its content: page files and links, the next action, the
page's styles and scripts, the file drop zone in the page's language, wide or stacked tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from coach.i18n import t
from coach.ui.words import md

UI_DIR = Path(__file__).resolve().parent


# ---- pages and links -------------------------------------------------------------------------


def page_file(slug: str) -> Path:
    return UI_DIR / f"{slug}.py"


def go(slug: str) -> None:
    """Open another page (stops the current run)."""
    st.switch_page(page_file(slug))


def link(slug: str, label_key: str, lang: str, icon: str | None = None, **params: Any) -> None:
    st.page_link(page_file(slug), label=t(label_key, lang, **params), icon=icon)


def next_action(
    slug: str, label_key: str, lang: str, icon: str | None = None, **params: Any
) -> None:
    """The page's next action: a primary button near the top that opens page `slug`."""
    if st.button(
        t(label_key, lang, **params), key=f"next.{slug}.{label_key}", type="primary", icon=icon
    ):
        go(slug)


# ---- styles and scripts ----------------------------------------------------------------------


def run_script(name: str, script: str) -> None:
    """Run a few lines of JavaScript in the page (written here, nothing is fetched); the
    hidden container takes no room on the page."""
    with st.container(key=f"js-{name}"):
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


# Readable captions (15 px, 7:1 contrast), a focus ring you can see, no invisible "link to
# heading" anchors in the tab order, and the wide or narrow variant of a block by screen size.
PAGE_CSS = """
[class*="st-key-js-"] { display: none; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"] {
  font-size: 0.95rem; color: #3d4852; opacity: 1; }
:focus-visible { outline: 3px solid #1f4e79 !important; outline-offset: 2px !important; }
[data-testid="stHeaderActionElements"] { display: none !important; }
@media (max-width: 700px) { [class*="st-key-wide-"] { display: none; } }
@media (min-width: 701px) { [class*="st-key-narrow-"] { display: none; } }
"""


# Streamlit writes "Press Enter to submit form" under text fields, in English only: on a French
# page the hint is left out rather than shown in the wrong language (the buttons say it all).
_NO_ENGLISH_HINTS = '[data-testid="InputInstructions"] { display: none; }'


def page_frame(lang: str) -> None:
    """Styles every page shares, and `<html lang>` in the interface language (screen readers
    pick their voice from it)."""
    st.html(f"<style>{PAGE_CSS}{'' if lang == 'en' else _NO_ENGLISH_HINTS}</style>")
    run_script("lang", f"document.documentElement.lang = {lang!r};" + _NAME_TOASTS)


# Streamlit's toasts are alert dialogs without a name: screen readers announce "dialog".
# Name each one by its own words, as it appears.
_NAME_TOASTS = """
if (!window.coachToasts) {
  window.coachToasts = new MutationObserver(() => {
    for (const el of document.querySelectorAll('.stToast:not([aria-label])')) {
      el.setAttribute('aria-label', el.textContent.trim() || 'notification');
    }
  });
  window.coachToasts.observe(document.body, {childList: true, subtree: true});
}
"""


def scroll_to_top(marker: str) -> None:
    """Show the page from its top (a new section opens at its title); `marker` changes each
    time the page should scroll again."""
    run_script(
        "scroll",
        f"/* {marker} */ for (const el of [document.querySelector('[data-testid=stMain]'),"
        " document.scrollingElement]) { if (el) el.scrollTo({top: 0}); }",
    )


# Streamlit writes its file drop zone in English ("Upload", "200MB per file • JSON"): in
# French, the same places show our words instead (what the file should be is in each label).
_UPLOADER_CSS = """
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{limit}"; font-size: 0.875rem; }}
"""


def localise_file_drop(lang: str) -> None:
    """Say the file drop zone's words in the page's language (Streamlit only has English)."""
    if lang == "en":
        return
    limit = st.get_option("server.maxUploadSize")
    css = _UPLOADER_CSS.format(
        button=t("ui.upload.button", lang), limit=t("ui.upload.limit", lang, size=limit)
    )
    st.html(f"<style>{css}</style>")


# ---- tables ----------------------------------------------------------------------------------


def wide_or_stacked(table: list[dict[str, Any]], lang: str, name: str) -> None:
    """A table on a wide screen; on a phone, one block a row: its first cell in bold, then
    « column : value » lines (an empty cell reads "—")."""
    with st.container(key=f"wide-{name}"):
        st.dataframe(table, hide_index=True, width="stretch")
    with st.container(key=f"narrow-{name}"):
        for row in table:
            (_, first), *rest = row.items()
            lines = [f"**{md(first)}**"]
            lines += [
                t("ui.results.stacked", lang, column=column, value=md("—" if v is None else v))
                for column, v in rest
            ]
            st.markdown("  \n".join(lines))
