"""Answers -> scores: edge cases a manager would notice."""

from __future__ import annotations

import pytest

from coach.errors import InvalidInput
from coach.playbook import load_playbook
from coach.scoring import check_answers, compare, describe, score, visible_questions
from coach.typography import typeset
from tests.conftest import FIXTURES

PLAYBOOK = load_playbook(FIXTURES / "engine" / "mini.yaml")


def dim(result, dim_id):
    return result.score_of(dim_id)


def test_no_answers_means_no_score_rather_than_zero():
    result = score(PLAYBOOK, {})
    assert result.overall_score is None and result.overall_level is None
    assert all(d.score is None for d in result.dimensions)
    assert result.coverage == 0.0


def test_hidden_questions_do_not_count_against_the_manager():
    # No account: the posting question is hidden, so presence is only the account and comfort.
    result = score(
        PLAYBOOK, {"presence.account": False, "presence.posts": "weekly", "presence.comfort": 5}
    )
    assert "presence.posts" not in result.visible_questions
    assert dim(result, "presence").score == 50.0  # (0 + 1) / 2, the hidden "weekly" is ignored


def test_unanswered_questions_do_not_count_against_the_manager():
    result = score(PLAYBOOK, {"responsiveness.replies": "always"})
    assert dim(result, "responsiveness").score == 100.0
    assert dim(result, "responsiveness").answered == 1


def test_each_question_type_scores_as_documented():
    answers = {
        "presence.account": True,
        "presence.posts": "monthly",  # 0.5
        "presence.comfort": 3,  # 0.5
        "responsiveness.replies": "often",  # 0.7
        "responsiveness.hours": 4,  # band 4..24 -> 0.6
        "responsiveness.channels": ["linkedin", "email", "intranet"],  # capped at 1
        "presence.note": "I prefer writing in French.",
    }
    result = score(PLAYBOOK, answers)
    assert dim(result, "presence").score == round(100 * (1 + 0.5 + 0.5) / 3, 1)
    assert dim(result, "responsiveness").score == round(100 * (0.7 + 0.6 + 1) / 3, 1)
    # responsiveness weighs 2, presence 1
    expected = (dim(result, "presence").score + 2 * dim(result, "responsiveness").score) / 3
    assert result.overall_score == round(expected, 1)
    assert result.coverage == 1.0


def test_weights_and_levels():
    result = score(
        PLAYBOOK,
        {
            "responsiveness.replies": "rarely",
            "presence.account": True,
            "presence.posts": "weekly",
            "presence.comfort": 5,
        },
    )
    assert dim(result, "presence").level == 5 and dim(result, "responsiveness").level == 1
    assert result.strengths == ("presence",) and result.gaps == ("responsiveness",)
    words = describe(PLAYBOOK, result, "fr")
    assert words["strengths"][0].startswith(typeset("Présence est une force : 100/100", "fr"))
    assert "Réactivité demande de l’attention" in words["gaps"][0]


@pytest.mark.parametrize(
    "answers, key",
    [
        ({"presence.posts": "daily"}, "engine.answer.unknown_option"),
        ({"responsiveness.hours": 1000}, "engine.answer.out_of_bounds"),
        ({"responsiveness.hours": -1}, "engine.answer.out_of_bounds"),
        ({"responsiveness.hours": "fast"}, "engine.answer.expect_number"),
        ({"presence.comfort": 6}, "engine.answer.scale"),
        ({"presence.comfort": 2.5}, "engine.answer.scale"),
        ({"presence.account": "yes"}, "engine.answer.expect_bool"),
        ({"responsiveness.channels": "email"}, "engine.answer.expect_list"),
        ({"responsiveness.channels": ["fax"]}, "engine.answer.unknown_option"),
        ({"who.knows": 1}, "engine.answer.unknown_question"),
    ],
)
def test_invalid_answers_are_reported_clearly(answers, key):
    problems = check_answers(PLAYBOOK, answers)
    assert [p.key for p in problems] == [key]
    assert "engine." not in problems[0].message("fr")  # a sentence, not a key
    with pytest.raises(InvalidInput):
        score(PLAYBOOK, answers)


def test_visible_questions_follow_show_if():
    assert "presence.posts" in [
        q.id for q in visible_questions(PLAYBOOK, {"presence.account": True})
    ]
    assert "presence.posts" not in [
        q.id for q in visible_questions(PLAYBOOK, {"presence.account": False})
    ]
    assert "presence.posts" not in [q.id for q in visible_questions(PLAYBOOK, {})]


def test_comparison_with_a_previous_assessment():
    before = score(PLAYBOOK, {"responsiveness.replies": "rarely"})
    after = score(PLAYBOOK, {"responsiveness.replies": "always"})
    assert compare(before, after)["responsiveness"] == 100.0
    assert compare(before, after)["presence"] is None
    assert compare(None, after) == {}


def test_not_a_number_is_not_an_answer():
    problems = check_answers(PLAYBOOK, {"responsiveness.hours": float("nan")})
    assert [p.key for p in problems] == ["engine.answer.expect_number"]


def test_scores_from_few_answers_come_with_a_caveat():
    thin = score(PLAYBOOK, {"responsiveness.replies": "always"})
    assert thin.coverage < 0.5
    assert "première esquisse" in describe(PLAYBOOK, thin, "fr")["caveat"][0]
    full = score(
        PLAYBOOK,
        {
            "presence.account": False,
            "responsiveness.replies": "always",
            "responsiveness.hours": 2,
            "responsiveness.channels": ["email"],
            "presence.comfort": 4,
        },
    )
    assert "caveat" not in describe(PLAYBOOK, full, "en")
