"""Every operator of the condition language, its explanations and its static checks."""

from __future__ import annotations

import pytest

from coach.conditions import Context, evaluate, explain, satisfiable, tautology
from coach.model import AssessmentResult, DimensionScore
from coach.playbook import load_playbook
from coach.typography import typeset
from tests.conftest import FIXTURES

PLAYBOOK = load_playbook(FIXTURES / "engine" / "mini.yaml")
RESULT = AssessmentResult(
    playbook_id="mini",
    playbook_version="1.0",
    dimensions=(
        DimensionScore("presence", 50.0, 3, 3, 3),
        DimensionScore("responsiveness", 20.0, 2, 3, 3),
    ),
    overall_score=30.0,
    overall_level=2,
    coverage=1.0,
    strengths=(),
    gaps=("responsiveness",),
    visible_questions=(),
)
ANSWERS = {
    "presence.account": True,
    "presence.posts": "never",
    "responsiveness.channels": ["linkedin", "email"],
    "responsiveness.hours": 30,
    "presence.comfort": 3,
}
CTX = Context(answers=ANSWERS, facts={"hours_per_week": 2, "regulated_sector": True}, result=RESULT)


@pytest.mark.parametrize(
    "cond, expected",
    [
        ({"answer": "presence.posts", "equals": "never"}, True),
        ({"answer": "presence.posts", "equals": "weekly"}, False),
        ({"answer": "presence.posts", "in": ["never", "monthly"]}, True),
        ({"answer": "presence.posts", "in": ["weekly"]}, False),
        ({"answer": "responsiveness.channels", "contains": "email"}, True),
        ({"answer": "responsiveness.channels", "contains": "intranet"}, False),
        ({"answer": "responsiveness.hours", "gt": 24}, True),
        ({"answer": "responsiveness.hours", "gt": 30}, False),
        ({"answer": "responsiveness.hours", "gte": 30}, True),
        ({"answer": "responsiveness.hours", "lt": 30}, False),
        ({"answer": "responsiveness.hours", "lte": 30}, True),
        ({"answer": "presence.account", "equals": True}, True),
        ({"answer": "presence.note", "answered": False}, True),
        ({"answer": "presence.note", "answered": True}, False),
        (
            {"answer": "presence.note", "equals": "x"},
            False,
        ),  # unanswered: every comparison is false
        ({"answer": "presence.note", "lt": 3}, False),
        ({"score": "responsiveness", "lt": 50}, True),
        ({"score": "presence", "gte": 50}, True),
        ({"score": "presence", "gt": 50}, False),
        ({"level": "responsiveness", "lte": 2}, True),
        ({"level": "overall", "equals": 2}, True),
        ({"level": "overall", "in": [3, 4]}, False),
        ({"fact": "hours_per_week", "lt": 3}, True),
        ({"fact": "regulated_sector", "equals": True}, True),
        (
            {
                "all": [
                    {"fact": "regulated_sector", "equals": True},
                    {"score": "presence", "gt": 90},
                ]
            },
            False,
        ),
        ({"all": []}, True),
        (
            {
                "any": [
                    {"fact": "regulated_sector", "equals": False},
                    {"score": "presence", "gt": 10},
                ]
            },
            True,
        ),
        ({"any": []}, False),
        ({"not": {"answer": "presence.posts", "equals": "never"}}, False),
        ({"not": {"answer": "presence.note", "equals": "x"}}, True),
        (None, True),
    ],
)
def test_operators(cond, expected):
    assert evaluate(cond, CTX) is expected


def test_scores_are_unknown_before_scoring():
    assert evaluate({"score": "presence", "gte": 0}, Context(answers=ANSWERS)) is False


def test_explanations_use_the_option_reason_and_read_like_sentences():
    cond = {
        "all": [
            {"answer": "presence.posts", "in": ["never"]},
            {"score": "responsiveness", "lt": 60},
        ]
    }
    assert explain(cond, CTX, PLAYBOOK, "en") == [
        "Because you answered that you never post.",
        "Because your score in Responsiveness is 20/100.",
    ]
    assert (
        explain(cond, CTX, PLAYBOOK, "fr")[0]
        == "Parce que vous avez répondu que vous ne publiez jamais."
    )


def test_explanations_quote_the_question_when_no_reason_is_written():
    cond = {"answer": "responsiveness.hours", "gt": 24}
    assert explain(cond, CTX, PLAYBOOK, "fr") == [
        typeset(
            "Parce que vous avez répondu « 30 heures » à la question « En combien d’heures répondez-vous, en général ? ».",
            "fr",
        )
    ]


def test_explanations_for_facts_and_levels():
    assert explain({"fact": "regulated_sector", "equals": True}, CTX, PLAYBOOK, "en") == [
        "Because you work in a regulated sector."
    ]
    assert explain({"level": "overall", "lte": 2}, CTX, PLAYBOOK, "en") == [
        "Because your overall level is 2 (Beginner)."
    ]
    assert (
        explain({"score": "presence", "gt": 99}, CTX, PLAYBOOK, "en") == []
    )  # false: nothing to explain


def test_satisfiable_catches_impossible_conditions():
    questions = {"q": {"type": "number", "min": 0, "max": 10}, "s": {"type": "scale"}}
    assert not satisfiable({"score": "x", "gt": 100}, questions)
    assert not satisfiable({"level": "overall", "gte": 6}, questions)
    assert not satisfiable({"answer": "q", "gt": 10}, questions)
    assert not satisfiable({"answer": "s", "lt": 1}, questions)
    assert not satisfiable({"answer": "q", "in": []}, questions)
    assert not satisfiable({"any": []}, questions)
    cond = {"answer": "q", "gt": 3}
    assert not satisfiable({"all": [cond, {"not": cond}]}, questions)
    assert satisfiable({"all": [cond, {"answer": "q", "lt": 9}]}, questions)
    assert tautology({"all": []}) and not tautology({"any": []})


def test_french_reasons_elide_que_before_a_vowel():
    from coach.conditions import answered_that

    assert answered_that("il n’y a pas de plan de crise", "fr") == (
        "Parce que vous avez répondu qu’il n’y a pas de plan de crise."
    )
    assert answered_that("vous publiez rarement", "fr").startswith(
        "Parce que vous avez répondu que vous"
    )
    assert answered_that("it is rare", "en") == "Because you answered that it is rare."


def test_a_scale_answer_is_quoted_in_the_words_the_manager_chose():
    """« Parce que vous avez répondu « La plupart » … », never « … répondu « 4 » »."""
    from coach.playbook import default_playbook_path

    book = load_playbook(default_playbook_path())
    question = book.question("identity.ghostwriting")
    assert question is not None and question.type == "scale"
    ctx = Context(answers={question.id: 4}, facts={}, result=RESULT)
    said = explain({"answer": question.id, "gte": 4}, ctx, book, "en")
    assert said and "“Most of it”" in said[0] and "“4”" not in said[0]
