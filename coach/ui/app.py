"""The app frame: page config, language, profile switcher and navigation."""

from __future__ import annotations

import streamlit as st

from coach.i18n import t
from coach.ui import auth, components, state

# (slug, material icon): one module coach/ui/<slug>.py per page, in menu order.
PAGES = (
    ("home", ":material/home:"),
    ("portfolio", ":material/groups:"),
    ("assessment", ":material/checklist:"),
    ("results", ":material/bar_chart:"),
    ("plan", ":material/route:"),
    ("progress", ":material/trending_up:"),
    ("review", ":material/rate_review:"),
    ("board_pack", ":material/description:"),
    ("settings", ":material/settings:"),
)


def run() -> None:
    """Draw the frame around the selected page, then the page itself."""
    st.set_page_config(
        page_title=t("ui.app.title", state.lang()),
        page_icon=f"{__file__.removesuffix('app.py')}static/icon.svg",  # bundled, never fetched
        layout="wide",
    )
    auth.gate()  # sign-in first when configured: every page requires it (coach/ui/auth.py)
    try:
        state.init_session()
    except Exception as err:  # noqa: BLE001 - a broken or locked database: a sentence, never a traceback
        components.show_error(err, state.lang())
        st.stop()
    lang = state.lang()
    pages = [
        st.Page(
            components.page_file(slug),
            title=t(f"ui.nav.{slug}", lang),
            icon=icon,
            url_path=slug,
            default=slug == "home",
        )
        for slug, icon in PAGES
    ]
    current = st.navigation(pages, position="sidebar")
    # Pages that only read may keep what they built while the manager stays on them.
    st.session_state[state.ENTERED] = st.session_state.get(state.PAGE) != current.url_path
    st.session_state[state.PAGE] = current.url_path
    with st.sidebar:
        components.sidebar_controls()
    state.remember_in_url(state.profile())
    components.page_frame(state.lang())
    components.localise_file_drop(state.lang())
    components.show_flash()
    try:
        current.run()
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        components.show_error(err, state.lang())
