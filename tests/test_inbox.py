"""The "ask me anything" inbox: questions, answers, and the figures they feed into the check-in."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from coach.errors import InvalidInput
from coach.inbox import (
    STATES,
    InboxQuestion,
    inbox_week,
    mark_answered,
    new_question,
    publish_answer,
    published,
)

MONDAY = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in Toronto, week 2026-W48


def at(hours: float) -> datetime:
    return MONDAY + timedelta(hours=hours)


def test_a_question_is_anonymous_unless_the_employee_signs_it():
    anonymous = new_question("q1", "  When is the next town hall?  ", at(0))
    assert anonymous.anonymous and anonymous.signed_by is None
    assert anonymous.text == "When is the next town hall?" and anonymous.state == "new"
    signed = new_question("q2", "Can we talk about remote work?", at(0), signed_by=" Léa ")
    assert not signed.anonymous and signed.signed_by == "Léa"
    assert new_question("q3", "Hello?", at(0), signed_by="   ").anonymous


def test_the_time_kept_is_to_the_minute_in_utc():
    moment = datetime(2026, 11, 23, 9, 41, 37, 123456, tzinfo=UTC)
    assert new_question("q", "Why?", moment).received == datetime(2026, 11, 23, 9, 41, tzinfo=UTC)
    with pytest.raises(ValueError):
        new_question("q", "Why?", datetime(2026, 11, 23, 9, 41))  # noqa: DTZ001 (naive on purpose)


@pytest.mark.parametrize(
    ("text", "name", "key"),
    [
        ("   ", None, "pulse.inbox.empty"),
        ("x" * 2001, None, "pulse.inbox.too_long"),
        ("Why?", "n" * 121, "pulse.inbox.name_too_long"),
    ],
)
def test_empty_or_oversized_questions_are_refused(text, name, key):
    with pytest.raises(InvalidInput) as err:
        new_question("q", text, at(0), signed_by=name)
    assert err.value.key == key and not err.value.message("fr").startswith("pulse.")


def test_answering_keeps_the_first_answer_time():
    question = new_question("q", "Budget for training?", at(0))
    private = mark_answered(question, "private", at(5))
    assert private.state == "answered_private" and private.answered_at == at(5)
    town_hall = mark_answered(private, "town_hall", at(30))
    assert town_hall.state == "answered_town_hall" and town_hall.answered_at == at(5)
    post = publish_answer(town_hall, "Yes: 2 days a year each.", at(40))
    assert post.state == "published" and post.answer == "Yes: 2 days a year each."
    assert post.answered_at == at(5)
    edited = publish_answer(post, "Yes: 3 days a year each.", at(41))
    assert edited.answer == "Yes: 3 days a year each."
    assert {q.state for q in (question, private, town_hall, post)} <= set(STATES)


def test_wrong_moves_are_refused():
    question = new_question("q", "Why?", at(10))
    with pytest.raises(InvalidInput) as err:
        mark_answered(question, "email", at(11))
    assert err.value.key == "pulse.inbox.bad_channel"
    with pytest.raises(InvalidInput) as err:
        mark_answered(question, "post", at(9))
    assert err.value.key == "pulse.inbox.before_received"
    with pytest.raises(InvalidInput) as err:
        publish_answer(question, "  ", at(11))
    assert err.value.key == "pulse.inbox.empty_answer"
    published_one = publish_answer(question, "Because.", at(11))
    with pytest.raises(InvalidInput) as err:
        mark_answered(published_one, "private", at(12))
    assert err.value.key == "pulse.inbox.already_published"


def test_employees_see_published_answers_only_newest_first():
    first = publish_answer(new_question("a", "One?", at(0)), "First.", at(1))
    second = publish_answer(new_question("b", "Two?", at(0)), "Second.", at(2))
    private = mark_answered(new_question("c", "Three?", at(0)), "private", at(3))
    assert [q.id for q in published([first, private, second])] == ["b", "a"]


def week_questions() -> list[InboxQuestion]:
    return [
        mark_answered(new_question("a", "A?", at(0)), "private", at(2)),  # 2 h
        mark_answered(new_question("b", "B?", at(24)), "town_hall", at(24 + 50)),  # 50 h
        publish_answer(new_question("c", "C?", at(48)), "C.", at(48 + 6)),  # 6 h
        new_question("d", "D?", at(72)),  # not answered
        # answered after 31 days: too late to count as a reply (PRODUCT.md, importers)
        mark_answered(new_question("e", "E?", at(96)), "post", at(96 + 31 * 24)),
        new_question("prev", "Previous week?", at(-15)),  # Sunday 18:00 in Toronto
        new_question("next", "Next week?", at(7 * 24)),
    ]


def test_weekly_figures_follow_the_check_in_definitions():
    week = inbox_week(week_questions(), "2026-W48", "America/Toronto")
    assert (week.received, week.replies) == (5, 3)
    assert week.median_response_hours == 6.0
    assert week.checkin_values() == {"received": 5, "replies": 3, "median_response_hours": 6.0}


def test_the_week_is_cut_in_the_profile_time_zone():
    # Sunday 2026-11-29 23:30 in Toronto is Monday 04:30 UTC: still week 48 in Toronto.
    late_sunday = datetime(2026, 11, 30, 4, 30, tzinfo=UTC)
    questions = [new_question("s", "Late?", late_sunday)]
    assert inbox_week(questions, "2026-W48", "America/Toronto").received == 1
    assert inbox_week(questions, "2026-W49", "America/Toronto").received == 0
    assert inbox_week(questions, "2026-W49", "UTC").received == 1


def test_an_empty_week_has_no_median():
    week = inbox_week([], "2026-W48", "America/Toronto")
    assert (week.received, week.replies, week.median_response_hours) == (0, 0, None)


def test_a_bad_week_is_refused_with_a_sentence():
    with pytest.raises(InvalidInput):
        inbox_week(week_questions(), "2026-48", "America/Toronto")


def test_questions_are_frozen():
    question = new_question("q", "Why?", at(0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.state = "published"
