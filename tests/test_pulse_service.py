"""The employees' side through the application layer: links, tokens, rate limits, anonymity.

Every test runs on a real SQLite store at a frozen instant (a Tuesday in Toronto).
"""

from __future__ import annotations

import dataclasses
import inspect
import random
import string
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from coach import service
from coach.checkin import CheckIn, week_of
from coach.errors import CoachError, InvalidInput
from coach.pulse.links import LinkRefused, RateLimited
from coach.store import Store
from tests import dbs
from tests.conftest import FIXTURES

db_url = dbs.db_url  # every test here runs on SQLite and on PostgreSQL
pg_schemas = dbs.pg_schemas
pg_schema_url = dbs.pg_schema_url

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 in Toronto
TODAY = date(2026, 12, 1)
SCALES = ("reach", "relevance", "trust", "listening", "recommend")
SECRET = "the canteen coffee is a scandal"  # a comment no page may show under the threshold


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def store(db_url, clock):
    with Store(db_url) as opened:
        opened.create_profile("Marie", language="en", start_date=TODAY - timedelta(days=30))
        yield opened


def answer(value: int = 4, comment: str | None = None) -> dict[str, Any]:
    raw: dict[str, Any] = dict.fromkeys(SCALES, value)
    if comment:
        raw["comment"] = comment
    return raw


def test_a_round_shows_nothing_until_the_fifth_answer_then_results(store):
    opened = service.open_pulse(store, "Marie", 14, "https://coach.example/")
    assert opened.url == f"https://coach.example/?pulse={opened.token}"
    page = service.pulse_page(store, opened.token, "fr")
    assert page.manager == "Marie" and page.threshold == 5
    assert "5" in page.intro and len(page.labels) == 5
    for n in range(4):
        service.submit_pulse(store, opened.token, answer(4, SECRET if n == 0 else None))
        summary = service.pulse_results(store, "Marie").summaries[-1]
        assert summary.answers == n + 1 and not summary.shown and summary.score is None
        assert service.pulse_results(store, "Marie").comments[summary.round_id] == ()
    service.submit_pulse(store, opened.token, answer(2))
    results = service.pulse_results(store, "Marie")
    shown = results.summaries[-1]
    assert shown.shown and shown.score is not None and shown.counted == 5
    assert results.comments[shown.round_id] == (SECRET,)


def test_the_answer_row_holds_the_day_only(store):
    opened = service.open_pulse(store, "Marie")
    service.submit_pulse(store, opened.token, answer(3, "hello"))
    from sqlalchemy import inspect as sql_inspect
    from sqlalchemy import select

    from coach.store.pulse import answers_t

    columns = {c["name"] for c in sql_inspect(store.db.engine).get_columns("pulse_answers")}
    assert columns == {"id", "round_id", "answered_on", "batch", "scores", "texts"}
    with store.db.engine.connect() as conn:
        row = conn.execute(select(answers_t)).one()
    assert row.answered_on == TODAY and len(row.id) == 32


def test_one_open_round_at_a_time_and_closing_stops_the_link(store):
    opened = service.open_pulse(store, "Marie")
    with pytest.raises(CoachError) as refused:
        service.open_pulse(store, "Marie")
    assert refused.value.key == "pulse.error.already_open"
    for _ in range(4):
        service.submit_pulse(store, opened.token, answer(1, SECRET))
    closed = service.close_pulse(store, "Marie")
    assert closed is not None and not closed.shown and closed.score is None
    with pytest.raises(LinkRefused) as err:
        service.submit_pulse(store, opened.token, answer(5))
    assert "no longer collected" in err.value.message("en")
    with pytest.raises(LinkRefused):
        service.pulse_page(store, opened.token, "en")
    # closed early with 4 answers: nothing, for good
    assert service.pulse_results(store, "Marie").summaries[-1].score is None
    assert service.close_pulse(store, "Marie") is None


def test_an_expired_link_refuses_politely(store, clock):
    opened = service.open_pulse(store, "Marie", days=1)
    clock.shift(timedelta(days=2))
    with pytest.raises(LinkRefused) as err:
        service.pulse_page(store, opened.token, "fr")
    assert err.value.key == "pulse.link.expired_pulse"
    assert "merci" in err.value.message("fr").lower()


def _random_token(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "-_"
    return "".join(rng.choice(alphabet) for _ in range(43))


def test_guessed_tokens_open_nothing(store):
    pulse = service.open_pulse(store, "Marie")
    inbox = service.open_inbox_link(store, "Marie")
    rng = random.Random(16)
    near = [
        pulse.token[:-1] + ("A" if pulse.token[-1] != "A" else "B"),
        pulse.token[:-1],
        pulse.token + "A",
        pulse.token.upper(),
        " " + pulse.token,
        "",
        None,
        42,
        "x" * 100_000,
    ]
    guesses = [_random_token(rng) for _ in range(2000)] + near
    for guess in guesses:
        with pytest.raises(LinkRefused):
            service.pulse_page(store, guess, "en")
        with pytest.raises(LinkRefused):
            service.submit_pulse(store, guess, answer())
        with pytest.raises(LinkRefused):
            service.inbox_page(store, guess)
        with pytest.raises(LinkRefused):
            service.ask_question(store, guess, "Why?")
    # a pulse token never opens the inbox, and the other way round
    with pytest.raises(LinkRefused):
        service.inbox_page(store, pulse.token)
    with pytest.raises(LinkRefused):
        service.submit_pulse(store, inbox.token, answer())
    assert service.pulse_results(store, "Marie").summaries[-1].answers == 0
    assert service.inbox(store, "Marie") == []


def test_the_rate_limit_per_link_then_the_window_moves_on(store, clock):
    opened = service.open_pulse(store, "Marie")
    for _ in range(60):
        service.submit_pulse(store, opened.token, answer())
    with pytest.raises(RateLimited) as err:
        service.submit_pulse(store, opened.token, answer())
    assert "600 seconds" in err.value.message("en")
    assert service.pulse_results(store, "Marie").summaries[-1].answers == 60
    clock.shift(timedelta(minutes=10, seconds=1))
    service.submit_pulse(store, opened.token, answer())
    assert service.pulse_results(store, "Marie").summaries[-1].answers == 61

    asked = service.open_inbox_link(store, "Marie")
    for n in range(10):
        service.ask_question(store, asked.token, f"Question {n}?")
    with pytest.raises(RateLimited):
        service.ask_question(store, asked.token, "One too many?")
    assert len(service.inbox(store, "Marie")) == 10


def test_size_caps_refuse_and_keep_nothing(store):
    opened = service.open_pulse(store, "Marie")
    with pytest.raises(InvalidInput):
        service.submit_pulse(store, opened.token, answer(4, "x" * 20_000))
    with pytest.raises(InvalidInput):
        service.submit_pulse(store, opened.token, answer(4, "x" * 1001))
    with pytest.raises(InvalidInput):
        service.submit_pulse(store, opened.token, {**answer(), "reach": None})
    asked = service.open_inbox_link(store, "Marie")
    with pytest.raises(InvalidInput):
        service.ask_question(store, asked.token, "x" * 2001)
    with pytest.raises(InvalidInput):
        service.ask_question(store, asked.token, "Why?", "n" * 121)
    assert service.pulse_results(store, "Marie").summaries[-1].answers == 0
    assert service.inbox(store, "Marie") == []


def test_parallel_answers_never_overfill_a_batch(store):
    opened = service.open_pulse(store, "Marie")
    errors: list[BaseException] = []

    def send() -> None:
        try:
            for _ in range(2):
                service.submit_pulse(store, opened.token, answer())
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    from sqlalchemy import func, select

    from coach.store.pulse import answers_t

    with store.db.engine.connect() as conn:
        sizes = dict(
            conn.execute(select(answers_t.c.batch, func.count()).group_by(answers_t.c.batch)).all()
        )
    assert sum(sizes.values()) == 40 and max(sizes.values()) == 5 and len(sizes) == 8


def test_the_inbox_from_question_to_published_answer(store, clock):
    link = service.open_inbox_link(store, "Marie", "http://intra/")
    assert link.url.startswith("http://intra/?ask=")
    service.ask_question(store, link.token, "When is the next town hall?")
    service.ask_question(store, link.token, "Can we work from home on Fridays?", "Léa")
    questions = service.inbox(store, "Marie")
    assert [q.signed_by for q in questions] == [None, "Léa"] or [
        q.signed_by for q in questions
    ] == ["Léa", None]
    assert service.inbox_page(store, link.token).published == ()
    clock.shift(timedelta(hours=3))
    first = next(q for q in questions if q.signed_by is None)
    service.answer_question(store, "Marie", first.id, "town_hall")
    service.publish_answer(store, "Marie", first.id, "On the 15th, in the big room.")
    page = service.inbox_page(store, link.token)
    assert [(p.question, p.answer) for p in page.published] == [
        ("When is the next town hall?", "On the 15th, in the big room.")
    ]
    assert "Léa" not in repr(page)  # who asked is never shown to employees
    figures = service.inbox_figures(store, "Marie", week_of(TODAY))
    assert (figures.received, figures.replies, figures.median_response_hours) == (2, 1, 3.0)
    # a new link replaces the old one; closing refuses politely
    again = service.open_inbox_link(store, "Marie")
    with pytest.raises(LinkRefused):
        service.inbox_page(store, link.token)
    assert service.close_inbox_link(store, "Marie") is True
    with pytest.raises(LinkRefused) as err:
        service.ask_question(store, again.token, "Still there?")
    assert err.value.key == "pulse.link.closed_inbox"


def test_inbox_figures_add_to_the_checkin_without_typing(store, clock):
    store.save_checkin("Marie", CheckIn(week=week_of(TODAY), posts=2, received=10, replies=8))
    link = service.open_inbox_link(store, "Marie")
    service.ask_question(store, link.token, "Why?")
    clock.shift(timedelta(hours=2))
    question = service.inbox(store, "Marie")[0]
    service.answer_question(store, "Marie", question.id, "private")
    snap = service.snapshot(store, "Marie", "en", TODAY)
    week = snap.this_week_checkin
    assert week is not None and (week.received, week.replies) == (11, 9)
    assert week.median_response_hours == 2.0
    # the form still shows what was typed: nothing is counted twice
    typed = store.get_checkin("Marie", week_of(TODAY))
    assert typed is not None and (typed.received, typed.replies) == (10, 8)


def test_a_shown_round_fills_the_pulse_score_of_its_week_unless_typed(store):
    store.save_checkin("Marie", CheckIn(week=week_of(TODAY)))
    opened = service.open_pulse(store, "Marie")
    for n in range(5):
        service.submit_pulse(store, opened.token, answer(4))
        week = service.snapshot(store, "Marie", "en", TODAY).this_week_checkin
        assert week is not None
        assert week.pulse_score == (75.0 if n == 4 else None)
    assert store.get_checkin("Marie", week_of(TODAY)).pulse_score is None  # read, never written
    service.save_week(store, "Marie", week_of(TODAY), {"pulse_score": 40.0}, today=TODAY)
    week = service.snapshot(store, "Marie", "en", TODAY).this_week_checkin
    assert week is not None and week.pulse_score == 40.0  # a typed value wins


def test_deleting_a_profile_deletes_its_employee_side(store):
    opened = service.open_pulse(store, "Marie")
    service.submit_pulse(store, opened.token, answer())
    link = service.open_inbox_link(store, "Marie")
    service.ask_question(store, link.token, "Why?")
    service.delete_profile(store, "Marie")
    from sqlalchemy import func, select

    from coach.store.pulse import TABLES

    with store.db.engine.connect() as conn:
        for table in TABLES.values():
            assert conn.execute(select(func.count()).select_from(table)).scalar() == 0, table.name
    with pytest.raises(LinkRefused):
        service.pulse_page(store, opened.token, "en")


def test_the_board_pack_states_the_perception_without_comments(store):
    from coach.exports import render

    book = service.find_playbook(store.get_profile("Marie"))
    opened = service.open_pulse(store, "Marie")
    for _ in range(4):
        service.submit_pulse(store, opened.token, answer(5, SECRET))
    pack = service.build_pack(store, "Marie", "en", TODAY, book)
    text = render(pack, "md").decode("utf-8")
    assert "## How your team sees you" in text
    assert "No pulse round has reached 5 answers yet, so no result is shown." in text
    assert "Pulse score" not in text and SECRET not in text
    service.submit_pulse(store, opened.token, {**answer(5, SECRET), "listening": 1})
    link = service.open_inbox_link(store, "Marie")
    service.ask_question(store, link.token, "Why?")
    pack = service.build_pack(store, "Marie", "fr", TODAY, book)
    for fmt in ("md", "html", "pdf"):
        assert SECRET.encode() not in render(pack, fmt)
    text = render(pack, "md").decode("utf-8").replace("\u00a0", " ").replace("\u202f", " ")
    assert "Indice de perception du sondage du 1er déc. 2026 : 96 / 100." in text
    assert "Énoncé le plus faible : Quand on soulève une question, Marie y donne suite." in text
    assert "reçues : 1 · répondues : 0" in text
    assert "à partir de 5 réponses" in text
    html = render(pack, "html").decode("utf-8")
    assert "Comment votre équipe vous perçoit" in html


# ---- nothing of a round under the threshold leaves the application layer ---------------------


PULSE_TYPES = ("RoundSummary", "ItemResult", "PulseTrend", "PulseResults", "Perception")


def _walk(value: Any, path: str, found: list[str], pulse: bool = False) -> None:
    """Every pulse score, mean or comment in `value`, with where it was.

    `pulse` is True inside pulse objects (summaries, items, the trend) and inside the
    JSON's "rounds": there a score or a mean of a hidden round would be a leak. A
    `pulse_score` or the comment is a leak anywhere.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inside = pulse or type(value).__name__ in PULSE_TYPES
        for f in dataclasses.fields(value):
            _check(f.name, getattr(value, f.name), f"{path}.{f.name}", found, inside)
    elif isinstance(value, dict):
        for key, sub in value.items():
            _check(str(key), sub, f"{path}[{key!r}]", found, pulse or key == "rounds")
    elif isinstance(value, (list, tuple, set, frozenset)):
        for n, sub in enumerate(value):
            _walk(sub, f"{path}[{n}]", found, pulse)
    elif isinstance(value, (str, bytes)) and SECRET in str(value):
        found.append(f"{path}: a comment")


def _check(name: str, value: Any, path: str, found: list[str], pulse: bool) -> None:
    leak = name == "pulse_score" or (pulse and name in ("score", "mean", "change", "points"))
    if leak and value not in (None, (), []):
        found.append(f"{path} = {value!r}")
    _walk(value, path, found, pulse)


def test_every_service_function_shows_nothing_of_a_round_under_the_threshold(store, tmp_path):
    store.save_checkin("Marie", CheckIn(week=week_of(TODAY), posts=1))
    opened = service.open_pulse(store, "Marie")
    for _ in range(4):
        service.submit_pulse(store, opened.token, answer(5, SECRET))
    imported = service.import_pulse(
        store, "Marie", (FIXTURES / "pulse" / "google-forms-four.csv").read_bytes()
    )
    link = service.open_inbox_link(store, "Marie")
    book = service.find_playbook(store.get_profile("Marie"))
    calls = {
        "snapshot": lambda: service.snapshot(store, "Marie", "en", TODAY, book),
        "status_report": lambda: service.status_report(
            service.snapshot(store, "Marie", "en", TODAY, book)
        ),
        "export_profile": lambda: service.export_profile(store, "Marie"),
        "build_pack": lambda: service.build_pack(store, "Marie", "en", TODAY, book),
        "portfolio": lambda: service.portfolio(store, "en", TODAY),
        "portfolio_row": lambda: service.portfolio_row(
            service.snapshot(store, "Marie", "en", TODAY, book)
        ),
        "step_focus": lambda: service.step_focus(
            service.snapshot(store, "Marie", "en", TODAY, book)
        ),
        "pack_inputs": lambda: service.pack_inputs(
            service.snapshot(store, "Marie", "en", TODAY, book)
        ),
        "with_perception": lambda: service.build_pack(store, "Marie", "en", TODAY, book).perception,
        "pulse_results": lambda: service.pulse_results(store, "Marie"),
        "pulse_results_json": lambda: service.pulse_results_json(store, "Marie"),
        "pulse_page": lambda: service.pulse_page(store, opened.token, "en"),
        "inbox_page": lambda: service.inbox_page(store, link.token),
        "inbox": lambda: service.inbox(store, "Marie"),
        "inbox_figures": lambda: service.inbox_figures(store, "Marie", week_of(TODAY)),
        "import_pulse": lambda: imported,
        "apply_pulse_import": lambda: service.apply_pulse_import(store, "Marie", imported),
        "close_pulse": lambda: service.close_pulse(store, "Marie"),
        "with_employee_side": lambda: service.with_employee_side(
            store, store.get_profile("Marie"), tuple(store.list_checkins("Marie")), TODAY
        ),
        "snapshots": lambda: service.snapshots(store, ["Marie"], "en", TODAY),
        "portfolio_snapshots": lambda: service.portfolio_snapshots(store, "en", TODAY),
        "snapshot_of": lambda: service.snapshot_of(
            store.profile_data(["Marie"])[0], "en", TODAY, book, store
        ),
    }
    # Functions that return nothing about pulse answers (they write, or read other records).
    unrelated = {
        "find_playbook", "today_for", "reworded", "plan_start", "complete_assessment",
        "save_answers", "change_profile", "save_week", "set_step_state", "set_goal_target",
        "create_profile", "delete_profile", "import_profile", "create_demo", "preview_import",
        "apply_import", "share_url", "open_pulse", "pulse_link_open", "open_inbox_link",
        "close_inbox_link", "inbox_link_open", "answer_question", "publish_answer",
        "submit_pulse", "ask_question", "find_profile", "check_name_free",
        # the roll-out: the schema, users, roles, coach assignments, the audit log (no answers)
        "database_status", "upgrade_database", "database_sql", "sign_in", "current_user",
        "for_user", "record_export", "list_members", "set_role", "set_disabled", "assign_coach",
        "coach_assignments", "audit_log", "review_draft",
        # the operator's command line: roles and assignments, no answers
        "operator_store", "grant_role_as_operator", "assign_as_operator",
        # Before you post: the never-say list and saved drafts (no answers)
        "never_say_list", "add_never_say", "remove_never_say", "review_post", "save_post_draft",
        "post_drafts", "open_post_draft", "delete_post_draft",
        # answers files without a profile, and the plan's set-aside steps (no answers)
        "assess_answers", "plan_from_answers", "deferred",
    }  # fmt: skip
    public = {
        name
        for name, fn in inspect.getmembers(service, inspect.isfunction)
        if fn.__module__.startswith("coach.service.") and not name.startswith("_")
    }
    assert public - unrelated - set(calls) == set(), "a new service function needs a line here"
    for name, call in calls.items():
        found: list[str] = []
        _walk(call(), name, found)
        assert found == [], found
    # the hidden rounds' comments are in no document either
    assert SECRET not in repr(service.export_profile(store, "Marie"))
    # the same walk does see a round that reached the threshold (the check can fail)
    shown = service.open_pulse(store, "Marie")
    for _ in range(5):
        service.submit_pulse(store, shown.token, answer(5, SECRET))
    found = []
    _walk(service.pulse_results(store, "Marie"), "pulse_results", found)
    assert any(".score = 100.0" in f for f in found) and any("a comment" in f for f in found)
