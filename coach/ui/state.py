"""Session state, the shared Store and the cached playbook load.

Every page starts from the language, the store and the selected profile, and
reads what it shows from `snapshot()` (the application layer's ProfileSnapshot,
cached per store revision). Session state is initialised once per browser session;
each page owns a key scope that is cleared when the profile changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from coach import clock, service
from coach import playbook as playbooks
from coach.access import Forbidden
from coach.errors import NotFound
from coach.i18n import LANGUAGES, normalize_lang
from coach.model import Playbook
from coach.playbook import Problem
from coach.store import Profile, Store

PLAYBOOK_DIR = Path(__file__).resolve().parents[2] / "playbooks"

LANG = "lang"  # the language every page renders in
PROFILE = "profile"  # id of the selected profile, or None
READY = "app.ready"
PAGE = "app.page"  # url path of the page shown by the previous run
ENTERED = "app.entered"  # True on the first run of a page after coming from another one


def db_target() -> str:
    """The database the app uses: $COACH_DB, else the Store's default."""
    return os.environ.get("COACH_DB", "")


@st.cache_resource(max_entries=4, show_spinner=False)
def _open_store(target: str) -> Store:
    return Store(target or None)


USER_STORE = "auth.store"  # the signed-in user's store (coach/ui/auth.py), absent in local mode


def base_store() -> Store:
    """The one Store of this server process (per database), working as the local user."""
    return _open_store(db_target())


def store() -> Store:
    """The store every page uses: the signed-in user's (scoped), else the local one."""
    scoped: Store | None = st.session_state.get(USER_STORE)
    return scoped if scoped is not None else base_store()


def user_key() -> str:
    """Who the caches are for: the signed-in identity, "" in local mode."""
    user = getattr(st.session_state.get(USER_STORE), "user", None)
    return str(user.identity) if user is not None else ""


def init_session() -> None:
    """First run of a browser session: the interface language from the browser (never from a
    profile), the first profile."""
    if st.session_state.get(READY):
        return
    st.session_state[LANG] = normalize_lang(st.context.locale)
    st.session_state[PROFILE] = None
    chosen = _profile_in_url()
    if chosen is None:
        profiles = store().list_profiles()
        chosen = profiles[0] if profiles else None
    if chosen is not None:
        select_profile(chosen)
    st.session_state[READY] = True


URL_PROFILE = "profile"  # the address keeps the selected profile: a reload stays on it


def _profile_in_url() -> Profile | None:
    wanted = st.query_params.get(URL_PROFILE, "")
    if not wanted.isdigit():
        return None
    try:
        return store().get_profile(int(wanted))
    except (NotFound, Forbidden):  # deleted since, or not this person's to see
        return None


def remember_in_url(chosen: Profile | None) -> None:
    """Write the selected profile's id in the address, so a reload or a shared link keeps it."""
    wanted = str(chosen.id) if chosen is not None else None
    if st.query_params.get(URL_PROFILE) == wanted:
        return
    if wanted is None:
        del st.query_params[URL_PROFILE]
    else:
        st.query_params[URL_PROFILE] = wanted


def lang() -> str:
    value = st.session_state.get(LANG)
    return value if value in LANGUAGES else normalize_lang(None)


def set_lang(value: str) -> None:
    """Switch the interface language: a preference of the person at the screen. The
    profile's own language (the one its exports are written in) is never touched."""
    st.session_state[LANG] = normalize_lang(value)


# Each page owns the session keys under its prefixes: they hold one profile's figures
# (form fields, week picker, previews), so they are dropped when the profile changes.
PAGE_SCOPES: dict[str, tuple[str, ...]] = {
    "assessment": ("q::", "assess."),
    "plan": ("plan.",),
    "progress": ("checkin.", "targets.", "progress.", "import."),
    "board_pack": ("pack.",),
    "settings": ("settings.",),
    "home": ("home.",),
    "review": ("review.",),
    "portfolio": ("portfolio.pick",),  # the search, sort and filter outlive a profile switch
}
PER_PROFILE_PREFIXES = tuple(p for scope in PAGE_SCOPES.values() for p in scope)


def clear_scope(page: str) -> None:
    """Forget what page `page` keeps in the session."""
    prefixes = PAGE_SCOPES[page]
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]


def select_profile(chosen: Profile | None) -> None:
    """Make `chosen` the current profile; the interface keeps its language."""
    st.session_state[PROFILE] = chosen.id if chosen else None
    for page in PAGE_SCOPES:
        clear_scope(page)


def profile() -> Profile | None:
    """The selected profile, or None (a new user, or a profile deleted elsewhere)."""
    key = st.session_state.get(PROFILE)
    if key is None or key == "":
        return None
    try:
        return store().get_profile(key)
    except (NotFound, Forbidden):  # deleted elsewhere, or no longer this user's to see
        st.session_state[PROFILE] = None
        return None


def today_for(chosen: Profile) -> date:
    """Today in the profile's time zone, from the one clock."""
    return service.today_for(chosen)


def flash(message: str, kind: str = "success") -> None:
    """A message for the next run (after a rerun or a page switch): success or error."""
    st.session_state[FLASH_ERROR if kind == "error" else FLASH] = message


FLASH = "app.flash"
FLASH_ERROR = "app.flash_error"
TOAST = "app.toast"


def toast(message: str) -> None:
    """A short confirmation that pops up where the manager is looking, after the rerun."""
    st.session_state[TOAST] = message


# ---- one profile, as every page shows it ---------------------------------------------------------


def snapshot(chosen: Profile, language: str) -> service.ProfileSnapshot:
    """The profile's snapshot in `language` today, cached per store revision."""
    book = playbook_or_none(chosen)
    book_stamp = (book.path, Path(book.path).stat().st_mtime_ns) if book and book.path else None
    today = today_for(chosen)
    return _snapshot(
        db_target(), user_key(), store().revision(), chosen.id, language, today, book_stamp, book
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def _snapshot(
    target: str,  # noqa: ARG001 - part of the cache key
    user: str,  # noqa: ARG001 - part of the cache key: a snapshot is one user's
    revision: int,  # noqa: ARG001 - part of the cache key
    profile_id: int,
    language: str,
    today: date,
    book_stamp: tuple[str, int] | None,  # noqa: ARG001 - part of the cache key
    _book: Playbook | None,
) -> service.ProfileSnapshot:
    # The underscored argument is left out of the cache key: its stamp stands for it.
    return service.snapshot(store(), profile_id, language, today, playbook=_book)


def today_utc() -> date:
    """Today's date in UTC, from the one clock (for names of downloaded files)."""
    return clock.today_in(None)


def portfolio(language: str) -> list[service.PortfolioRow]:
    """Every profile of the store at a glance, cached per store revision and day."""
    return _portfolio(db_target(), user_key(), store().revision(), language, today_utc())


@st.cache_resource(max_entries=8, show_spinner=False)
def _portfolio(
    target: str,  # noqa: ARG001 - part of the cache key
    user: str,  # noqa: ARG001 - part of the cache key: the profiles this user may see
    revision: int,  # noqa: ARG001 - part of the cache key
    language: str,
    day: date,  # noqa: ARG001 - part of the cache key: each profile's day moves with it
) -> list[service.PortfolioRow]:
    return service.portfolio(store(), language, playbook=playbook_or_none)


# ---- playbooks --------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def _load_playbook(path: str, mtime: float) -> Playbook:  # noqa: ARG001 - cache key
    # mtime is part of the cache key: an edited playbook is read again.
    return playbooks.load_playbook(path)


def load_playbook(path: str | Path) -> Playbook:
    """Load a playbook once per file version; raises PlaybookInvalid."""
    path = Path(path)
    return _load_playbook(str(path), path.stat().st_mtime)


@dataclass(frozen=True)
class PlaybookFile:
    """One file of playbooks/: either loadable (id, title) or its problems."""

    path: str
    id: str
    title: dict[str, str]
    version: str
    problems: tuple[Problem, ...]  # rendered in the page's language

    @property
    def valid(self) -> bool:
        return not self.problems


@st.cache_data(max_entries=64, show_spinner=False)
def _inspect(path: str, mtime: float) -> tuple[str, dict[str, str], str, tuple[Problem, ...]]:  # noqa: ARG001 - cache key
    problems = playbooks.validate_file(path)
    if problems:
        return Path(path).stem, {}, "", tuple(problems)
    book = playbooks.load_playbook(path)
    return book.id, book.title.as_dict(), book.version, ()


def playbook_files(folder: str | Path | None = None) -> list[PlaybookFile]:
    """Every playbook file with its id, or the problems that keep it from loading."""
    out = []
    for path in playbooks.list_playbooks(folder or PLAYBOOK_DIR):
        pid, title, version, problems = _inspect(str(path), path.stat().st_mtime)
        out.append(PlaybookFile(str(path), pid, title, version, tuple(problems)))
    return out


def playbook_or_none(chosen: Profile) -> Playbook | None:
    """The profile's playbook, or None when it is missing or broken (saved words stand in)."""
    try:
        return playbook_for(chosen)
    except Exception:  # noqa: BLE001 - missing, broken or unreadable: the caller does without
        return None


def playbook_for(profile: Profile) -> Playbook:
    """The profile's playbook; PlaybookInvalid when broken, NotFound when missing."""
    for entry in playbook_files():
        if entry.id == profile.playbook_id and entry.valid:
            return load_playbook(entry.path)
    path = playbooks.find_playbook(profile.playbook_id, PLAYBOOK_DIR)
    if path is None:
        raise NotFound("ui.error.playbook_missing", playbook=profile.playbook_id)
    return load_playbook(path)
