"""AppTests of the manager's Team questions (inbox) and Team pulse pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from coach import service
from coach.store import Store
from tests.ui_kit import no_traceback, open_app, texts

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
SCALES = ("reach", "relevance", "trust", "listening", "recommend")


@pytest.fixture
def marie():
    """A profile on the default playbook (it has a pulse), at a known moment (the clock runs)."""
    with time_machine.travel(NOW, tick=True):
        store = Store()
        profile = store.create_profile(
            "Marie", language="en", start_date=NOW.date() - timedelta(days=30)
        )
        yield store, profile


def test_the_inbox_lists_questions_marks_them_answered_and_publishes(marie):
    store, profile = marie
    link = service.open_inbox_link(store, profile)
    service.ask_question(store, link.token, "When is the next **town hall**? [click](http://x)")
    service.ask_question(store, link.token, "Can we work from home?", "Léa")
    at = open_app("inbox", profile=profile.id)
    no_traceback(at)
    assert at.title[0].value == "Questions from your team"
    page = texts(at)
    assert "The question box is open." in page
    assert "This week: received 2 · answered 0" in page
    assert "Anonymous" in page and "Signed: Léa" in page
    markdown = [m.value for m in at.markdown]
    assert any(r"\*\*town hall\*\*" in m and r"\[click\]" in m for m in markdown)  # inert
    anonymous = next(q for q in service.inbox(store, profile) if q.signed_by is None)
    at.button(key=f"inbox.town_hall.{anonymous.id}").click().run()
    no_traceback(at)
    assert "Question marked answered." in texts(at)
    assert "Answered at a town hall" in texts(at)
    assert "This week: received 2 · answered 1" in texts(at)
    at.text_area(key=f"inbox.answer.{anonymous.id}").input("On the 15th.")
    at.button(key=f"inbox.publish.{anonymous.id}").click().run()
    no_traceback(at)
    assert "Answer published." in texts(at)
    published = service.inbox_page(store, link.token).published
    assert [p.answer for p in published] == ["On the 15th."]


def test_a_new_inbox_link_is_shown_once(marie):
    store, profile = marie
    at = open_app("inbox", lang="fr", profile=profile.id)
    assert "La boîte à questions est fermée." in texts(at)
    at.button(key="inbox.new_link").click().run()
    no_traceback(at)
    (code,) = at.code
    token = code.value.split("?ask=")[1]
    assert service.inbox_page(store, token).manager == "Marie"
    assert "La boîte à questions est ouverte." in texts(at)


def test_the_pulse_page_opens_a_round_and_shows_results_from_the_fifth_answer(marie):
    store, profile = marie
    at = open_app("pulse", profile=profile.id)
    no_traceback(at)
    assert at.title[0].value == "Perception pulse"
    at.button(key="pulse.open").click().run()
    no_traceback(at)
    (code,) = at.code
    token = code.value.split("?pulse=")[1]
    for n in range(4):
        service.submit_pulse(store, token, dict.fromkeys(SCALES, 4) | {"comment": f"note {n}"})
    at.run()
    page = texts(at)
    assert "4 answers received; results show from 5 answers" in page
    assert not at.metric and "note 0" not in page
    service.submit_pulse(store, token, dict.fromkeys(SCALES, 2))
    at.run()
    no_traceback(at)
    (metric,) = at.metric
    assert metric.value == "65 / 100"
    page = texts(at)
    assert "Results count 5 of 5 answers." in page
    assert "Comments" in page and all(f"note {n}" in page for n in range(4))
    at.button(key="pulse.close").click().run()
    no_traceback(at)
    assert "Round closed; its link no longer works." in texts(at)
    assert at.button(key="pulse.open")
