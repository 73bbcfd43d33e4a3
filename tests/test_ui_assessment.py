"""Self-assessment / Auto-évaluation: saved as answered, conditional questions, review, submit."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from coach.errors import CoachError
from coach.store import Store
from coach.typography import typeset
from tests.ui_kit import make_profile, no_traceback, open_app, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def progress_text(at) -> str:
    return at.get("progress")[0].proto.text


def test_questions_show_only_when_relevant_and_progress_follows(store):
    make_profile(store, "Marie", plan=False)
    at = open_app("assessment", profile="Marie")
    no_traceback(at)
    assert progress_text(at) == "0 of 6 questions answered"
    assert not [r for r in at.radio if r.key == "q::presence.posts"]
    at.radio(key="q::presence.account").set_value(True).run()
    assert progress_text(at) == "1 of 7 questions answered"
    assert at.radio(key="q::presence.posts").label == "How often do you post?"
    at.radio(key="q::presence.account").set_value(False).run()
    assert not [r for r in at.radio if r.key == "q::presence.posts"]


def test_every_answer_is_saved_at_once_and_survives_closing_the_browser(store):
    make_profile(store, "Marie", plan=False)
    at = open_app("assessment", profile="Marie", lang="fr")
    at.radio(key="q::presence.account").set_value(True).run()
    at.radio(key="q::presence.posts").set_value("monthly").run()
    assert store.get_draft("Marie") == {"presence.account": True, "presence.posts": "monthly"}
    again = open_app("assessment", profile="Marie", lang="fr")  # a new browser session
    assert again.radio(key="q::presence.posts").value == "monthly"
    assert progress_text(again) == "2 questions sur 7 ont une réponse"


def answer_everything(at: AppTest) -> AppTest:
    at.radio(key="q::presence.account").set_value(True).run()
    at.radio(key="q::presence.posts").set_value("never").run()
    at.radio(key="q::presence.comfort").set_value(4).run()
    at.button(key="assess.next").click().run()
    at.radio(key="q::responsiveness.replies").set_value("rarely").run()
    at.number_input(key="q::responsiveness.hours").set_value(30.0).run()
    at.multiselect(key="q::responsiveness.channels").select("linkedin").run()
    return at.button(key="assess.next").click().run()


def test_review_then_submit_builds_the_plan_and_shows_results(store):
    make_profile(store, "Marie", plan=False)
    at = answer_everything(open_app("assessment", profile="Marie"))
    no_traceback(at)
    assert at.subheader[0].value == "Review before submitting"
    assert "How often do you post?**  \nNever" in texts(at)
    assert "1 question is not answered" in at.warning[0].value  # the free-text note
    at.button(key="assess.submit").click().run()
    no_traceback(at)
    assert at.title[0].value == "Results"
    assert "Assessment saved" in at.success[0].value
    [assessment] = store.list_assessments("Marie")
    assert assessment.answers["responsiveness.hours"] == 30
    plan = store.get_plan("Marie").plan
    assert plan.lang == "en" and len(plan.where_to_start) == 3
    assert store.get_draft("Marie") == {}


def test_previous_goes_back_with_the_answers_in_place(store):
    make_profile(store, "Marie", plan=False)
    at = answer_everything(open_app("assessment", profile="Marie"))
    at.button(key="assess.edit.presence").click().run()
    assert at.radio(key="q::presence.posts").value == "never"
    assert at.radio(key="q::presence.comfort").value == 4


def test_an_invalid_answer_is_flagged_inline_and_blocks_submitting(store):
    make_profile(store, "Marie", plan=False, lang="fr")
    store.save_draft("Marie", {"presence.account": True, "responsiveness.replies": "sometimes"})
    at = open_app("assessment", profile="Marie", lang="fr")
    at.button(key="assess.next").click().run()
    no_traceback(at)
    assert (
        typeset("Votre réponse précédente « sometimes » ne convient plus", "fr")
        in at.error[0].value
    )
    at.button(key="assess.next").click().run()
    assert (
        typeset(
            "« Répondez-vous aux commentaires ? » : votre réponse précédente ne convient plus", "fr"
        )
        in at.error[0].value
    )
    assert at.button(key="assess.submit").disabled
    assert store.list_assessments("Marie") == []


def test_an_answer_that_cannot_be_saved_stays_on_screen(store, monkeypatch):
    make_profile(store, "Marie", plan=False)

    def busy(self, profile, answers):
        raise CoachError("tracking.error.busy")

    monkeypatch.setattr(Store, "merge_draft", busy)
    at = open_app("assessment", profile="Marie")
    at.radio(key="q::presence.account").set_value(True).run()
    no_traceback(at)
    assert "could not be saved yet" in at.warning[0].value
    assert at.radio(key="q::presence.account").value is True


def test_a_broken_playbook_is_explained_not_a_traceback(store):
    make_profile(store, "Marie", plan=False)
    store.update_profile("Marie", playbook_id="broken")
    at = open_app("assessment", profile="Marie")
    no_traceback(at)
    assert "The playbook “broken.yaml” has problems" in at.error[0].value
    assert "levels must be exactly the five levels" in at.code[0].value
