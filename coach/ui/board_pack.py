"""Board pack / Rapport au CA: a preview, and one download per format made when clicked."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

import streamlit as st

from coach import service
from coach.i18n import t
from coach.profile import Profile
from coach.ui import components, state

if TYPE_CHECKING:
    from coach.exports.pack import BoardPack

log = logging.getLogger("coach.ui")
PACK = "pack.built"  # (database, profile, language), pack, preview
FORMAT_ICONS = {
    "pdf": ":material/picture_as_pdf:",
    "html": ":material/html:",
    "pptx": ":material/slideshow:",
    "md": ":material/article:",
    "csv": ":material/table:",
    "ics": ":material/calendar_month:",
}


def _exports() -> ModuleType | None:
    """coach.exports when its entry points are there (it is written by another area)."""
    try:
        from coach import exports
    except ImportError:
        return None
    needed = ("make_pack", "render", "filename", "MIME")
    return exports if all(hasattr(exports, name) for name in needed) else None


def render() -> None:
    lang = state.lang()
    st.title(t("ui.pack.title", lang))  # the title first, even without a profile
    profile = components.require_profile(lang)
    st.caption(t("ui.pack.intro", lang))
    exports = _exports()
    if exports is None:
        st.info(t("ui.pack.coming", lang), icon=":material/construction:")
        return
    _warm_up(exports)
    try:
        pack, preview = _pack(exports, profile)
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        components.show_error(err, lang)
        return
    if not pack.has_assessment:  # nothing to report yet: say what is missing, no empty files
        st.info(t("exports.not_yet.assessment", lang), icon=":material/checklist:")
        components.next_action(
            "assessment", "ui.home.start_link", lang, icon=":material/play_arrow:"
        )
        return
    st.caption(
        t(
            "ui.pack.written_in",
            lang,
            language=t(f"ui.pack.language.{pack.lang}", lang),
        )
    )
    downloads(exports, pack, lang)
    st.subheader(t("ui.pack.preview", lang))
    with st.container(border=True, height=600):
        st.markdown(preview)


@st.cache_resource(show_spinner=False)
def _warm_up(_exports: ModuleType) -> threading.Thread | None:
    """Start the chart engine in the background, once per server, so a first PDF is quick."""
    start = getattr(_exports, "warm_up", None)
    if start is None:
        return None

    def run() -> None:
        try:
            start()
        except Exception:  # the export itself will say what is wrong, in words
            log.exception("chart engine warm-up failed")

    thread = threading.Thread(target=run, name="coach-charts-warm-up", daemon=True)
    thread.start()
    return thread


def _pack(exports: ModuleType, profile: Profile) -> tuple[BoardPack, str]:
    """The pack and its preview, built when the page opens and kept while the manager stays.

    The pack is written in the profile's own language (its exports' language), whatever the
    interface language. Nothing on this page changes the data, so reruns reuse them.
    """
    lang = profile.language
    key = (state.db_target(), profile.id, lang, state.store().revision())
    kept = st.session_state.get(PACK)
    if kept and kept[0] == key and not st.session_state.get(state.ENTERED, True):
        return kept[1], kept[2]
    book = state.playbook_or_none(profile)  # the pack says what it can without it
    pack = service.build_pack(
        state.store(), profile, lang=lang, today=state.today_for(profile), playbook=book
    )
    preview = exports.preview_markdown(pack)
    st.session_state[PACK] = (key, pack, preview)
    return pack, preview


def downloads(exports: ModuleType, pack: BoardPack, lang: str) -> None:
    papers = getattr(exports, "PAPERS", ("A4", "Letter"))
    st.session_state.setdefault("pack.paper", exports.default_paper(pack))
    st.segmented_control(
        t("ui.pack.paper", lang),
        papers,
        format_func=lambda paper: t(f"ui.pack.papers.{paper}", lang),
        key="pack.paper",
        required=True,
    )
    st.caption(t("ui.pack.on_click", lang))
    paper = st.session_state["pack.paper"]
    formats = getattr(exports, "ALL_FORMATS", exports.FORMATS)
    columns = st.columns(len(formats))
    for column, fmt in zip(columns, formats, strict=True):
        with column:
            st.download_button(
                t(f"ui.pack.format.{fmt}", lang),
                data=_maker(exports, pack, fmt, paper),
                file_name=exports.filename(pack, fmt),
                mime=exports.MIME[fmt],
                key=f"pack.download.{fmt}",
                icon=FORMAT_ICONS.get(fmt),
                on_click="ignore",
                width="stretch",
            )


def _maker(exports: ModuleType, pack: BoardPack, fmt: str, paper: str) -> Callable[[], bytes]:
    """The file is made when the button is clicked, not on every rerun."""

    def make() -> bytes:
        try:
            made: bytes = (
                exports.render(pack, fmt, paper=paper)
                if fmt in ("pdf", "html")
                else exports.render(pack, fmt)
            )
            return made
        except Exception:
            log.exception("board pack %s failed", fmt)
            raise

    return make


if __name__ == "__main__":
    render()
