"""Helpers for the app tests (AppTest): a small playbook, ready-made profiles, page access."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from coach import clock, planner, scoring
from coach.checkin import CheckIn, week_of
from coach.playbook import load_playbook
from coach.store import Store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "coach_app.py")
FIXTURES = ROOT / "tests" / "fixtures" / "ui"
PLAYBOOKS = FIXTURES / "playbooks"
MINI = PLAYBOOKS / "ui-mini.yaml"
ANSWERS = {
    "presence.account": True,
    "presence.posts": "never",
    "responsiveness.replies": "rarely",
    "responsiveness.hours": 30,
    "responsiveness.channels": ["linkedin"],
    "presence.comfort": 3,
}


def make_profile(
    store: Store, name: str = "Marie", *, lang: str = "en", plan: bool = True, **extra
):
    """A profile on the mini playbook; with `plan`, an assessment and its plan too."""
    start = extra.pop("start_date", clock.today_in("America/Toronto") - timedelta(days=21))
    profile = store.create_profile(
        name, language=lang, playbook_id="ui-mini", start_date=start, regulated_sector=True, **extra
    )
    if plan:
        book = load_playbook(MINI)
        result = scoring.score(book, ANSWERS, profile.facts)
        store.add_assessment(name, book, ANSWERS, result)
        built = planner.build_plan(
            book, ANSWERS, result, start, profile.hours_per_week, lang, profile.facts
        )
        store.save_plan(name, built)
    return store.get_profile(name)


def add_weeks(store: Store, name: str, weeks: int, *, skip_current: bool = True) -> list[str]:
    """`weeks` check-ins ending last week (or this week when skip_current is False)."""
    end = clock.today_in("America/Toronto") - timedelta(days=7 if skip_current else 0)
    checkins = [
        CheckIn(
            week=week_of(end - timedelta(weeks=i)),
            posts=1 + i % 3,
            received=10,
            replies=8,
            median_response_hours=12.0 + i % 5,
        )
        for i in range(weeks)
    ]
    store.save_checkins(name, checkins)
    return [c.week for c in checkins]


def open_app(page: str | None = None, *, lang: str = "en", profile: str | None = None) -> AppTest:
    """The app as a fresh browser session would see it, optionally on `page` (a coach/ui module)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["app.ready"] = True
    at.session_state["lang"] = lang
    at.session_state["profile"] = profile
    at.run()
    if page:
        at.switch_page(f"coach/ui/{page}.py").run()
    return at


def texts(at: AppTest) -> str:
    """Everything written on the page, to look for words a user would read."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
    ):
        parts.extend(str(el.value) for el in getattr(at, kind))
    return "\n".join(parts)


def no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def submit(at: AppTest, form_key: str) -> AppTest:
    """Click the submit button of the form `form_key`."""
    button = next(b for b in at.button if b.key.startswith(f"FormSubmitter:{form_key}-"))
    return button.click().run()
