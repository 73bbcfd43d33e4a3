"""Choosing and creating a profile: the sidebar's profile and language switches, the short
creation form, the demo button, what a page needs before it draws (a profile, its playbook),
and what a profile's export file is called and holds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import streamlit as st

from coach import service
from coach.i18n import LANGUAGES, t
from coach.model import Playbook
from coach.playbook import DEFAULT_PLAYBOOK, PlaybookInvalid, problems_text
from coach.profile import DEFAULT_HOURS, Profile
from coach.ui import state
from coach.ui.feedback import error_message, guard, safe_callback, show_error
from coach.ui.fields import browser_timezone, hours_input
from coach.ui.frame import go, link
from coach.ui.words import LANGUAGE_NAMES, display_name, md

# ---- page guards -----------------------------------------------------------------------------


def require_profile(lang: str) -> Profile:
    """The selected profile; without one, the next step (create one, or the demo) and stop."""
    profile = state.profile()
    if profile is None:
        st.info(t("ui.common.no_profile", lang), icon=":material/person_add:")
        left, right = st.columns(2, vertical_alignment="center")
        with left:
            new_profile_button(lang, "common.new", primary=True)
        with right:
            demo_button(lang, "common.demo")
        st.stop()
    return profile


def playbook_or_stop(profile: Profile, lang: str) -> Playbook:
    """The profile's playbook; a broken or missing one is explained, and the page stops."""
    try:
        return state.playbook_for(profile)
    except PlaybookInvalid as err:
        st.error(
            t("ui.error.playbook_invalid", lang, file=Path(err.path).name), icon=":material/error:"
        )
        with st.expander(t("ui.error.playbook_details", lang)):
            st.code(problems_text(err.problems, lang), language=None)
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        show_error(err, lang)
    link("settings", "ui.error.choose_playbook", lang, icon=":material/settings:")
    st.stop()


# ---- the sidebar -----------------------------------------------------------------------------


@safe_callback
def _on_profile_pick() -> None:
    name = st.session_state.get("sidebar.profile_pick")
    if name:
        state.select_profile(state.store().get_profile(name))


def apply_language(value: str | None) -> None:
    """Switch language (widget callback); a failed save still switches this session."""
    if not value:
        return
    try:
        state.set_lang(value)
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        st.session_state[state.LANG] = value
        state.flash(error_message(err, value), "error")


def _on_lang_pick() -> None:
    apply_language(st.session_state.get("sidebar.lang_pick"))


def sidebar_controls() -> None:
    """Profile switcher, « + Nouveau profil » and the language switch."""
    lang = state.lang()
    names = [p.name for p in state.store().list_profiles()]
    chosen = state.profile()
    current = chosen.name if chosen else None
    if names and current in names:
        st.session_state["sidebar.profile_pick"] = current
        st.selectbox(
            t("ui.sidebar.profile", lang),
            names,
            format_func=lambda name: display_name(name, lang),
            key="sidebar.profile_pick",
            on_change=_on_profile_pick,
        )
    if names:  # without a profile, the start page itself is the creation form
        new_profile_button(lang, "sidebar.new")
    st.session_state["sidebar.lang_pick"] = lang
    st.segmented_control(
        t("ui.sidebar.language", lang),
        list(LANGUAGES),
        format_func=lambda code: LANGUAGE_NAMES.get(code, code),
        key="sidebar.lang_pick",
        on_change=_on_lang_pick,
        required=True,
    )
    if not state.user_key():  # signed in, the data is on the company's server
        st.caption(t("ui.sidebar.local_only", lang))


# ---- a new profile, the demo -----------------------------------------------------------------


def new_profile_button(lang: str, key: str, *, primary: bool = False) -> None:
    """« + Nouveau profil »: one click opens the short creation form."""
    if st.button(
        t("ui.profile.new", lang),
        key=key,
        icon=":material/person_add:",
        type="primary" if primary else "secondary",
        width="stretch" if not primary else "content",
    ):
        _new_profile_dialog(lang)


def _new_profile_dialog(lang: str) -> None:
    @st.dialog(t("ui.profile.new_title", lang))
    def dialog() -> None:
        profile_create_form(lang, "dialog.new")

    dialog()


def default_playbook_id() -> str | None:
    """The default playbook when it is valid, else the first valid one."""
    valid = [entry.id for entry in state.playbook_files() if entry.valid]
    if DEFAULT_PLAYBOOK in valid:
        return DEFAULT_PLAYBOOK
    return valid[0] if valid else None


def profile_create_form(lang: str, key: str) -> None:
    """Create a profile: a name, the weekly hours, the sector; it opens the self-assessment."""
    with st.form(key):
        st.text_input(
            t("ui.profile.name", lang),
            key=f"{key}.name",
            max_chars=80,
            placeholder=t("ui.profile.name_placeholder", lang),
        )
        st.session_state.setdefault(f"{key}.hours", DEFAULT_HOURS)
        hours_input(lang, f"{key}.hours")
        st.checkbox(
            t("ui.settings.regulated", lang),
            key=f"{key}.regulated",
            help=t("ui.settings.regulated_help", lang),
        )
        submitted = st.form_submit_button(t("ui.profile.create_button", lang), type="primary")
    if not submitted:
        return
    name = (st.session_state.get(f"{key}.name") or "").strip()
    if not name:
        st.error(t("ui.profile.name_missing", lang))
        return
    book = default_playbook_id()
    with guard(lang):
        created = service.create_profile(
            state.store(),
            name,
            language=lang,
            timezone=browser_timezone(),
            hours_per_week=float(st.session_state[f"{key}.hours"]),
            regulated_sector=bool(st.session_state[f"{key}.regulated"]),
            **({"playbook_id": book} if book else {}),
        )
        state.select_profile(created)
        state.flash(t("ui.profile.created", lang, name=created.name))
        go("assessment")


def demo_button(lang: str, key: str) -> None:
    """Load the demo profile (created or refreshed) and open it."""
    if not st.button(t("ui.home.demo_button", lang), key=key, icon=":material/play_circle:"):
        return
    with guard(lang), st.spinner(t("ui.home.demo_loading", lang)):
        demo = service.create_demo(state.store(), lang)
        state.select_profile(demo)
        state.flash(t("ui.home.demo_loaded", lang, name=md(display_name(demo.name, lang))))
        st.rerun()


# ---- a profile's export file -----------------------------------------------------------------


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "profile"


def profile_name_in(doc: Any) -> str | None:
    """The profile name an export document carries, for the import preview."""
    if not isinstance(doc, dict):
        return None
    inner = doc.get("profile")
    if isinstance(inner, dict) and isinstance(inner.get("name"), str):
        return str(inner["name"])
    return doc.get("name") if isinstance(doc.get("name"), str) else None


def export_counts(doc: Any) -> dict[str, int]:
    """How much a profile export holds, for the import preview."""

    def size(key: str) -> int:
        value = doc.get(key) if isinstance(doc, dict) else None
        return len(value) if isinstance(value, list) else 0

    return {"assessments": size("assessments"), "checkins": size("checkins")}
