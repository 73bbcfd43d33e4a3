"""Sign-in: local mode when `secrets.toml` has no `[auth]`, OpenID Connect otherwise.

`gate()` runs first on every rerun, before navigation, so every page requires
sign-in when sign-in is configured:

- no `[auth]` section: nothing happens; the app is one person's, as always
  (`state.store()` is the plain Store, working as the local user);
- not signed in: a sign-in page with one button per provider (`st.login`), then
  `st.stop()`;
- signed in: the person is upserted by issuer and subject on the first run of
  the session (then their roles are read again each rerun, so a revoked role or
  a disabled account takes effect at once), and the session gets their store,
  `service.for_user(...)`, which every page reaches through `state.store()`;
- signed in but no member of any organisation (or turned off): a polite
  sentence naming the identifier to give the administrator, and a sign-out button.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from coach import access, service
from coach.exports import markdown as md
from coach.i18n import normalize_lang, t
from coach.ui import state

SESSION_USER = "auth.user"  # the access.User of this browser session (signed-in mode only)


def auth_configured() -> bool:
    """True when secrets.toml has an `[auth]` section (read through Streamlit)."""
    try:
        return "auth" in st.secrets
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return False


def providers() -> list[str | None]:
    """The named providers of `[auth.<name>]`, or [None] for the single `[auth]` provider."""
    section: Any = st.secrets["auth"]
    named = [name for name, value in section.items() if hasattr(value, "keys")]
    return sorted(named) or [None]


def gate() -> None:
    """Sign-in before anything else; returns with the user's store set, or stops the run."""
    if not auth_configured():
        st.session_state.pop(state.USER_STORE, None)
        return
    # Before the session is set up, the browser's language (as the first run of the app uses).
    lang = state.lang() if state.LANG in st.session_state else normalize_lang(st.context.locale)
    if not st.user.is_logged_in:
        sign_in_page(lang)
        st.stop()
    claims = dict(st.user.to_dict())
    try:
        identity = access.identity_from_claims(claims)
        known = st.session_state.get(SESSION_USER)
        base = state.base_store()
        if known is None or known.identity != identity:  # first run, or another person
            user = service.sign_in(base, claims)
            st.session_state[state.PROFILE] = None
            st.session_state[state.READY] = False
        else:
            user = service.current_user(base, identity, known.email, known.name)
        st.session_state[SESSION_USER] = user
        st.session_state[state.USER_STORE] = service.for_user(base, user)
    except service.NotMember as err:
        st.session_state.pop(state.USER_STORE, None)
        st.session_state.pop(SESSION_USER, None)
        st.title(t("access.signin.title", lang))
        st.info(_sentence(err, lang))
        st.button(t("access.signin.sign_out", lang), on_click=st.logout)
        st.stop()
    with st.sidebar:
        who = md.escape(user.email or user.name or str(identity))
        st.caption(t("access.signin.signed_in_as", lang, who=who))
        st.button(t("access.signin.sign_out", lang), on_click=st.logout, key="auth.sign_out")


def _sentence(err: service.NotMember, lang: str) -> str:
    """The refusal in words, the person's labels escaped and their identifier as code."""
    params = dict(err.params)
    if "who" in params:
        params["who"] = md.escape(params["who"])
    if "identity" in params:
        params["identity"] = f"`` {str(params['identity']).replace('`', '')} ``"
    return t(err.key, lang, **params)


def sign_in_page(lang: str) -> None:
    st.title(t("access.signin.title", lang))
    st.write(t("access.signin.why", lang))
    for name in providers():
        label = (
            t("access.signin.button", lang)
            if name is None
            else t("access.signin.button_with", lang, provider=name.title())
        )
        st.button(
            label,
            on_click=st.login,
            args=(name,) if name else (),
            type="primary",
            key=f"auth.login.{name}",
        )
