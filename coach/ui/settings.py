"""Settings / Paramètres: profiles, preferences, playbooks, export and import."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from coach import service
from coach.i18n import pick, t
from coach.profile import Profile
from coach.ui import components, state


def render() -> None:
    lang = state.lang()
    st.title(t("ui.settings.title", lang))
    profile = state.profile()
    if profile is None:
        st.info(t("ui.settings.no_profile", lang), icon=":material/person_add:")
        components.profile_create_form(lang, "settings.new")
        demo_section(lang)
        # a new computer: the advisor brings profiles exported elsewhere
        import_section(lang)
        playbooks_section(lang)
        return
    tab_pref, tab_profiles, tab_books, tab_data = st.tabs(
        [
            t("ui.settings.tab_preferences", lang),
            t("ui.settings.tab_profiles", lang),
            t("ui.settings.tab_playbooks", lang),
            t("ui.settings.tab_data", lang),
        ]
    )
    with tab_pref:
        language_switch(lang)
        preferences_form(profile, lang)
    with tab_profiles:
        profiles_section(profile, lang)
    with tab_books:
        playbooks_section(lang)
    with tab_data:
        export_section(profile, lang)
        import_section(lang)


# ---- preferences ------------------------------------------------------------------------------


def _on_language() -> None:
    components.apply_language(st.session_state["settings.lang"])


def language_switch(lang: str) -> None:
    """The same switch as in the sidebar: the language of this screen, for this person only."""
    st.session_state["settings.lang"] = lang
    st.segmented_control(
        t("ui.settings.language", lang),
        ["fr", "en"],
        format_func=lambda code: components.LANGUAGE_NAMES.get(code, code),
        key="settings.lang",
        on_change=_on_language,
        required=True,
    )


WIDGETS = {  # profile field -> its widget's key
    "timezone": "settings.timezone",
    "hours_per_week": "settings.hours",
    "start_date": "settings.start",
    "regulated_sector": "settings.regulated",
    "playbook_id": "settings.playbook",
    "language": "settings.profile_lang",
}
LOADED = "settings.loaded"  # (profile id, the values the form was filled with)


def _init_preferences(profile: Profile) -> dict[str, Any]:
    """Fill the form from this profile once; then the widgets keep what the manager typed.

    The form belongs to one profile: another profile (switched in the sidebar, or in
    another way) fills it again from its own values.
    """
    loaded = st.session_state.get(LOADED)
    if loaded is None or loaded[0] != profile.id:
        values = {
            "timezone": profile.timezone,
            "hours_per_week": float(profile.hours_per_week),
            "start_date": profile.start_date,
            "regulated_sector": bool(profile.regulated_sector),
            "playbook_id": profile.playbook_id,
            "language": profile.language,
        }
        for field, value in values.items():
            st.session_state[WIDGETS[field]] = value
        loaded = (profile.id, values)
        st.session_state[LOADED] = loaded
    return dict(loaded[1])


def preferences_form(profile: Profile, lang: str) -> None:
    loaded = _init_preferences(profile)
    books = [b for b in state.playbook_files() if b.valid]
    ids = [b.id for b in books]
    if profile.playbook_id not in ids:
        ids.append(profile.playbook_id)
    titles = {b.id: pick(b.title, lang) or b.id for b in books}
    with st.form("settings.preferences"):
        st.subheader(
            t(
                "ui.settings.preferences",
                lang,
                name=components.md(components.display_name(profile.name, lang)),
            )
        )
        st.selectbox(
            t("ui.settings.timezone", lang),
            components.timezones(),
            key="settings.timezone",
            help=t("ui.settings.timezone_help", lang),
        )
        components.hours_input(lang, "settings.hours")
        st.date_input(
            t("ui.settings.start", lang),
            key="settings.start",
            format="YYYY-MM-DD",
            help=t("ui.settings.start_help", lang),
        )
        st.checkbox(
            t("ui.settings.regulated", lang),
            key="settings.regulated",
            help=t("ui.settings.regulated_help", lang),
        )
        st.selectbox(
            t("ui.settings.playbook", lang),
            ids,
            format_func=lambda pid: titles.get(pid, pid),
            key="settings.playbook",
            help=t("ui.settings.playbook_help", lang),
        )
        st.selectbox(
            t("ui.settings.profile_lang", lang),
            ["fr", "en"],
            format_func=lambda code: components.LANGUAGE_NAMES.get(code, code),
            key="settings.profile_lang",
            help=t("ui.settings.profile_lang_help", lang),
        )
        submitted = st.form_submit_button(t("ui.common.save", lang), type="primary")
    if submitted:
        save_preferences(profile, loaded, lang)


def save_preferences(profile: Profile, loaded: dict[str, Any], lang: str) -> None:
    """Save what the manager changed in this form, onto the profile the form was filled for."""
    wanted = {
        "timezone": st.session_state["settings.timezone"],
        "hours_per_week": float(st.session_state["settings.hours"]),
        "start_date": st.session_state["settings.start"],
        "regulated_sector": bool(st.session_state["settings.regulated"]),
        "playbook_id": st.session_state["settings.playbook"],
        "language": st.session_state["settings.profile_lang"],
    }
    changes = {k: v for k, v in wanted.items() if loaded.get(k) != v}
    if not changes:
        st.info(t("ui.settings.nothing_changed", lang))
        return
    with components.guard(lang):
        # What is left of the plan is rescheduled when the hours or the start change.
        book = state.playbook_or_none(profile)  # a new sector builds the plan again
        service.change_profile(state.store(), profile, playbook=book, **changes)
        st.session_state[LOADED] = (profile.id, {**loaded, **changes})
        st.success(t("ui.settings.saved", lang), icon=":material/check:")
        if "playbook_id" in changes:
            st.info(t("ui.settings.playbook_changed", lang))


# ---- profiles ---------------------------------------------------------------------------------


def profiles_section(profile: Profile, lang: str) -> None:
    store = state.store()
    profiles = store.list_profiles()
    titles = {b.id: pick(b.title, lang) for b in state.playbook_files() if b.valid}
    st.subheader(t("ui.settings.profiles", lang))
    st.dataframe(
        [
            {
                t("ui.settings.col_name", lang): p.name,
                t("ui.settings.col_language", lang): components.LANGUAGE_NAMES.get(
                    p.language, p.language
                ),
                t("ui.settings.col_playbook", lang): titles.get(p.playbook_id) or p.playbook_id,
                t("ui.settings.col_created", lang): components.day(p.created_at.date(), lang),
            }
            for p in profiles
        ],
        hide_index=True,
    )
    with st.expander(t("ui.settings.create", lang), icon=":material/person_add:"):
        components.profile_create_form(lang, "settings.new")
    with st.expander(
        t("ui.settings.rename", lang, name=components.md(profile.name)), icon=":material/edit:"
    ):
        rename_form(profile, lang)
    with st.expander(
        t("ui.settings.delete", lang, name=components.md(profile.name)), icon=":material/delete:"
    ):
        delete_form(profile, lang)
    demo_section(lang)


def demo_section(lang: str) -> None:
    """The demo is one click away even once the manager has a profile of their own."""
    with st.expander(t("ui.settings.demo", lang), icon=":material/play_circle:"):
        st.caption(t("ui.settings.demo_help", lang))
        components.demo_button(lang, "settings.demo")


def rename_form(profile: Profile, lang: str) -> None:
    with st.form("settings.rename_form"):
        st.text_input(t("ui.settings.new_name", lang), key="settings.new_name", max_chars=80)
        submitted = st.form_submit_button(t("ui.settings.rename_button", lang))
    if submitted:
        new_name = st.session_state["settings.new_name"].strip()
        if not new_name:
            st.error(t("ui.profile.name_missing", lang))
            return
        with components.guard(lang):
            renamed = service.change_profile(state.store(), profile, new_name=new_name).profile
            state.select_profile(renamed)
            state.flash(
                t(
                    "ui.settings.renamed",
                    lang,
                    old=components.md(profile.name),
                    name=components.md(renamed.name),
                )
            )
            st.rerun()


def delete_form(profile: Profile, lang: str) -> None:
    st.warning(
        t("ui.settings.delete_warning", lang, name=components.md(profile.name)),
        icon=":material/warning:",
    )
    with st.form("settings.delete_form"):
        st.text_input(
            t("ui.settings.delete_confirm", lang, name=components.md(profile.name)),
            key="settings.delete_name",
        )
        submitted = st.form_submit_button(t("ui.settings.delete_button", lang), type="primary")
    if submitted:
        if st.session_state["settings.delete_name"].strip() != profile.name:
            st.error(t("ui.settings.delete_mismatch", lang, name=components.md(profile.name)))
            return
        with components.guard(lang):
            store = state.store()
            service.delete_profile(store, profile)
            others = store.list_profiles()
            state.select_profile(others[0] if others else None)
            state.flash(t("ui.settings.deleted", lang, name=components.md(profile.name)))
            st.rerun()


# ---- playbooks --------------------------------------------------------------------------------


def playbooks_section(lang: str) -> None:
    st.subheader(t("ui.settings.playbooks", lang))
    st.caption(t("ui.settings.playbooks_help", lang))
    files = state.playbook_files()
    if not files:
        st.warning(t("ui.settings.no_playbooks", lang))
    for entry in files:
        name = entry.path.rsplit("/", 1)[-1]
        if entry.valid:
            st.markdown(
                t(
                    "ui.settings.playbook_valid",
                    lang,
                    title=pick(entry.title, lang),
                    file=components.md(name),
                    version=entry.version,
                )
            )
            continue
        st.markdown(
            components.tp(
                "ui.settings.playbook_invalid", lang, len(entry.problems), file=components.md(name)
            )
        )
        with st.expander(t("ui.settings.playbook_problems", lang, file=components.md(name))):
            st.code("\n".join(p.render(lang) for p in entry.problems), language=None)


# ---- export and import ------------------------------------------------------------------------


def export_section(profile: Profile, lang: str) -> None:
    st.subheader(t("ui.settings.export", lang))
    st.caption(t("ui.settings.export_help", lang))
    name = profile.name
    store = state.store()
    profile_id = profile.id

    def document() -> bytes:  # built when clicked, not on every rerun
        return json.dumps(
            service.export_profile(store, profile_id), ensure_ascii=False, indent=2, default=str
        ).encode()

    st.download_button(
        t("ui.settings.export_button", lang),
        data=document,
        file_name=f"coach-{components.slug(name)}-{state.today_for(profile).isoformat()}.json",
        mime="application/json",
        key="settings.export",
        icon=":material/download:",
        on_click="ignore",
    )


def import_section(lang: str) -> None:
    st.subheader(t("ui.settings.import", lang))
    uploaded = st.file_uploader(
        t("ui.settings.import_file", lang), type=["json"], key="settings.import_file"
    )
    if uploaded is None:
        return
    try:
        doc = json.loads(uploaded.getvalue().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        st.error(t("ui.settings.import_not_json", lang, file=components.md(uploaded.name)))
        return
    name = components.profile_name_in(doc)
    counts = {
        kind: components.counted(kind, number, lang)
        for kind, number in components.export_counts(doc).items()
    }
    st.markdown(
        t(
            "ui.settings.import_preview",
            lang,
            name=components.md(name or "—"),
            file=components.md(uploaded.name),
            **counts,
        )
    )
    exists = bool(name) and any(p.name == name for p in state.store().list_profiles())
    replace = False
    if exists:
        replace = st.checkbox(
            t("ui.settings.import_replace", lang, name=components.md(name)),
            key="settings.import_replace",
        )
    if st.button(t("ui.settings.import_button", lang), key="settings.import_go", type="primary"):
        with components.guard(lang):
            imported = service.import_profile(state.store(), doc, replace=replace)
            state.select_profile(imported)
            state.flash(t("ui.settings.imported", lang, name=components.md(imported.name)))
            st.rerun()


if __name__ == "__main__":
    render()
