"""Administration / Administration: members and roles, coach assignments, the audit log.

Shown in the menu to an organisation's admins only (signed-in mode); every change
goes through the service's admin use cases, which check the role again and write
the audit log in the change's own transaction.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach import service
from coach.access import Role
from coach.errors import CoachError
from coach.i18n import has_key, t
from coach.ui import state

ROLES = [r.value for r in Role]


def is_admin() -> bool:
    """True for a signed-in admin (the menu shows this page to them only)."""
    user = getattr(st.session_state.get(state.USER_STORE), "user", None)
    return user is not None and user.has(Role.ADMIN)


def render() -> None:
    lang = state.lang()
    st.title(t("access.admin.title", lang))
    if not is_admin():
        st.info(t("access.error.not_admin", lang))
        return
    store = state.store()
    members = service.list_members(store)
    label = {identity(m): m.email or m.name or identity(m) for m in members}
    tab_people, tab_coaches, tab_log = st.tabs(
        [
            t("access.admin.tab_people", lang),
            t("access.admin.tab_coaches", lang),
            t("access.admin.tab_log", lang),
        ]
    )
    with tab_people:
        people(store, members, label, lang)
    with tab_coaches:
        coaches(store, members, label, lang)
    with tab_log:
        log(store, lang)


def identity(member: Any) -> str:
    return f"{member.issuer}#{member.subject}"


def people(store: Any, members: list[Any], label: dict[str, str], lang: str) -> None:
    rows = [
        {
            t("access.admin.col_person", lang): label[identity(m)],
            t("access.admin.col_roles", lang): ", ".join(
                t(f"access.admin.role.{r}", lang) for r in sorted(m.roles)
            ),
            t("access.admin.col_active", lang): not m.disabled,
            t("access.admin.col_identity", lang): identity(m),
        }
        for m in members
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    with st.form("admin.roles", border=True):
        st.subheader(t("access.admin.roles_title", lang))
        known = st.selectbox(
            t("access.admin.person", lang),
            [None, *label],
            format_func=lambda key: (
                t("access.admin.someone_new", lang) if key is None else label[key]
            ),
            key="admin.person",
        )
        new = st.text_input(t("access.admin.identity", lang), key="admin.identity")
        role = st.selectbox(
            t("access.admin.role_label", lang),
            ROLES,
            format_func=lambda r: t(f"access.admin.role.{r}", lang),
            key="admin.role",
        )
        grant_col, revoke_col, off_col, on_col = st.columns(4)
        grant = grant_col.form_submit_button(t("access.admin.grant", lang), type="primary")
        revoke = revoke_col.form_submit_button(t("access.admin.revoke", lang))
        turn_off = off_col.form_submit_button(t("access.admin.disable", lang))
        turn_on = on_col.form_submit_button(t("access.admin.enable", lang))
    who = (new or "").strip() or known
    if not (grant or revoke or turn_off or turn_on):
        return
    if not who:
        st.error(t("access.admin.pick_someone", lang))
        return
    try:
        if grant or revoke:
            service.set_role(store, who, role, granted=bool(grant))
        else:
            service.set_disabled(store, who, disabled=bool(turn_off))
    except CoachError as err:
        st.error(err.message(lang))
        return
    state.flash(t("access.admin.saved", lang))
    st.rerun()


def coaches(store: Any, members: list[Any], label: dict[str, str], lang: str) -> None:
    profiles = store.assignable_profiles()
    names = {p.id: p.name for p in profiles}
    by_id = {m.id: label[identity(m)] for m in members}
    rows = [
        {
            t("access.admin.col_profile", lang): names.get(pid, str(pid)),
            t("access.admin.col_coach", lang): by_id.get(uid, str(uid)),
        }
        for pid, uid in service.coach_assignments(store)
    ]
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption(t("access.admin.no_assignment", lang))
    coach_ids = [identity(m) for m in members if Role.COACH.value in m.roles]
    if not profiles or not coach_ids:
        st.info(t("access.admin.need_coach", lang))
        return
    with st.form("admin.assign", border=True):
        st.subheader(t("access.admin.assign_title", lang))
        profile = st.selectbox(
            t("access.admin.col_profile", lang),
            list(names),
            format_func=lambda pid: names[pid],
            key="admin.profile",
        )
        coach = st.selectbox(
            t("access.admin.col_coach", lang),
            coach_ids,
            format_func=lambda key: label[key],
            key="admin.coach",
        )
        give_col, take_col = st.columns(2)
        give = give_col.form_submit_button(t("access.admin.assign", lang), type="primary")
        take = take_col.form_submit_button(t("access.admin.unassign", lang))
    if give or take:
        try:
            service.assign_coach(store, profile, coach, assigned=bool(give))
        except CoachError as err:
            st.error(err.message(lang))
            return
        state.flash(t("access.admin.saved", lang))
        st.rerun()


def action_label(action: str, lang: str) -> str:
    """The audit action in words (its code when a newer coach wrote one this one lacks)."""
    key = "access.audit." + action.replace(".", "_")
    return t(key, lang) if has_key(key, lang) else action


def log(store: Any, lang: str) -> None:
    entries = service.audit_log(store, limit=200)
    if not entries:
        st.caption(t("access.admin.log_empty", lang))
        return
    rows = [
        {
            t("access.admin.col_when", lang): e.at.strftime("%Y-%m-%d %H:%M UTC"),
            t("access.admin.col_who", lang): e.actor or t("access.admin.system", lang),
            t("access.admin.col_what", lang): action_label(e.action, lang),
            t("access.admin.col_profile", lang): e.profile_label,
            t("access.admin.col_target", lang): e.target,
        }
        for e in entries
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
