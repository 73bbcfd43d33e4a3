"""Session state, the shared Store and the cached playbook load.

Every page starts from `current()`: the language, the store and the selected
profile. Session state is initialised once per browser session.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from coach import playbook as playbooks
from coach.errors import NotFound
from coach.i18n import LANGUAGES, normalize_lang
from coach.model import Playbook
from coach.store import Profile, Store

PLAYBOOK_DIR = Path(__file__).resolve().parents[2] / "playbooks"

LANG = "lang"  # the language every page renders in
PROFILE = "profile"  # name of the selected profile, or None
READY = "app.ready"
PAGE = "app.page"  # url path of the page shown by the previous run
ENTERED = "app.entered"  # True on the first run of a page after coming from another one


def db_target() -> str:
    """The database the app uses: $COACH_DB, else the Store's default."""
    return os.environ.get("COACH_DB", "")


@st.cache_resource(max_entries=4, show_spinner=False)
def _open_store(target: str) -> Store:
    return Store(target or None)


def store() -> Store:
    """The one Store of this server process (per database)."""
    return _open_store(db_target())


def data_stamp() -> tuple | None:
    """Changes whenever anyone writes to the database file (this app, the CLI, another tab).

    SQLite in WAL mode writes to `<db>-wal` and, at checkpoints, to the file itself: their
    modification times and sizes change with every write. None when it cannot tell.
    """
    url = store().url
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :]
    stamp = []
    for name in (path, path + "-wal"):
        try:
            info = os.stat(name)
        except OSError:
            stamp.append(None)
            continue
        stamp.append((info.st_mtime_ns, info.st_size))
    return (url, *stamp)


def init_session() -> None:
    """First run of a browser session: language from the browser, first profile."""
    if st.session_state.get(READY):
        return
    st.session_state[LANG] = normalize_lang(st.context.locale)
    st.session_state[PROFILE] = None
    profiles = store().list_profiles()
    if profiles:
        select_profile(profiles[0])
    st.session_state[READY] = True


def lang() -> str:
    value = st.session_state.get(LANG)
    return value if value in LANGUAGES else normalize_lang(None)


def set_lang(value: str) -> None:
    """Switch language and remember it on the selected profile."""
    value = normalize_lang(value)
    st.session_state[LANG] = value
    name = st.session_state.get(PROFILE)
    if name:
        profile = store().get_profile(name)
        if profile.language != value:
            store().update_profile(name, language=value)


def select_profile(profile: Profile | None) -> None:
    """Make `profile` the current one; its language becomes the app's."""
    st.session_state[PROFILE] = profile.name if profile else None
    if profile is not None:
        st.session_state[LANG] = normalize_lang(profile.language)
    for key in [k for k in st.session_state if str(k).startswith(PER_PROFILE_PREFIXES)]:
        del st.session_state[key]


# Keys that belong to one profile (drafts in widgets, week picker, previews): dropped on switch.
PER_PROFILE_PREFIXES = ("q::", "assess.", "checkin.", "plan.", "targets.", "import.", "pack.")


def profile() -> Profile | None:
    """The selected profile, or None (a new user, or a profile deleted elsewhere)."""
    name = st.session_state.get(PROFILE)
    if not name:
        return None
    try:
        return store().get_profile(name)
    except NotFound:
        st.session_state[PROFILE] = None
        return None


def today_for(profile: Profile) -> date:
    """Today in the profile's time zone (the check-in week depends on it)."""
    try:
        return datetime.now(ZoneInfo(profile.timezone)).date()
    except (KeyError, ValueError):
        return date.today()


# ---- playbooks --------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def _load_playbook(path: str, mtime: float) -> Playbook:
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
    title: dict
    version: str
    problems: tuple  # coach.playbook.Problem, rendered in the page's language

    @property
    def valid(self) -> bool:
        return not self.problems


@st.cache_data(max_entries=64, show_spinner=False)
def _inspect(path: str, mtime: float) -> tuple[str, dict, str, tuple]:
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


def playbook_for(profile: Profile) -> Playbook:
    """The profile's playbook; PlaybookInvalid when broken, NotFound when missing."""
    for entry in playbook_files():
        if entry.id == profile.playbook_id and entry.valid:
            return load_playbook(entry.path)
    path = playbooks.find_playbook(profile.playbook_id, PLAYBOOK_DIR)
    if path is None:
        raise NotFound("ui.error.playbook_missing", playbook=profile.playbook_id)
    return load_playbook(path)


# ---- the plan in the language on screen --------------------------------------------------------


@st.cache_data(max_entries=32, show_spinner=False)
def _plan_texts(
    target: str,
    profile_name: str,
    assessment_id: int,
    hours: float,
    lang: str,
    book_path: str,
    mtime: float,
) -> dict:
    """Step and goal wording of the profile's plan rebuilt in `lang` (dates stay as saved)."""
    from coach import planner

    assessment = next(a for a in store().list_assessments(profile_name) if a.id == assessment_id)
    book = load_playbook(book_path)
    saved = store().get_plan(profile_name).plan
    plan = planner.reword(saved, book, assessment.answers, assessment.result, lang)
    steps = {s.id: (s.title, s.why, s.how, s.starter) for s in plan.steps}
    goals = {g.id: (g.title, g.unit) for g in plan.goals}
    return {"steps": steps, "goals": goals}


def plan_in(profile: Profile, stored, lang: str):
    """The stored plan with its words in `lang`: plans keep the language they were made in."""
    if stored is None or stored.plan.lang == lang:
        return stored
    try:
        assessments = store().list_assessments(profile.name)
        book = playbook_for(profile)
        if not assessments:
            return stored
        path = Path(book.path)
        texts = _plan_texts(
            db_target(),
            profile.name,
            assessments[-1].id,
            stored.plan.hours_per_week,
            lang,
            str(path),
            path.stat().st_mtime,
        )
    except Exception:  # the saved wording is better than nothing
        return stored
    steps = tuple(
        replace(s, title=w[0], why=w[1], how=w[2], starter=w[3])
        if (w := texts["steps"].get(s.id))
        else s
        for s in stored.plan.steps
    )
    goals = tuple(
        replace(g, title=w[0], unit=w[1]) if (w := texts["goals"].get(g.id)) else g
        for g in stored.plan.goals
    )
    return replace(stored, plan=replace(stored.plan, steps=steps, goals=goals, lang=lang))
