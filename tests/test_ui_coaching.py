"""The new plan format in the app: the diagnosis in one sentence, goals not started yet and
goal ranges, and the perception figures of the check-in form."""

from __future__ import annotations

import dataclasses

from coach.model import Diagnosis
from coach.typography import typeset
from tests.ui_kit import make_profile, no_traceback, open_app, submit, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def _with_plan(store, name, **changes):
    stored = store.get_plan(name)
    store.save_plan(name, dataclasses.replace(stored.plan, **changes))


def test_the_diagnosis_is_one_plain_sentence_on_home_plan_and_results(store):
    make_profile(store, "Marie", lang="fr")
    diagnosis = Diagnosis(
        "silent", "responsiveness", "vous ne répondez pas", ("Les gens attendent une réponse.",)
    )
    _with_plan(store, "Marie", diagnosis=diagnosis)
    sentence = typeset(
        "L’enjeu principal : vous ne répondez pas. Les gens attendent une réponse.", "fr"
    )
    for page in (None, "plan", "results"):
        at = open_app(page, profile="Marie", lang="fr")
        no_traceback(at)
        assert sentence in [box.value for box in at.info], page


def test_goals_not_started_yet_and_ranges(store):
    make_profile(store, "Marie")
    stored = store.get_plan("Marie")
    first, *others = stored.plan.goals
    later = stored.plan.start.replace(year=stored.plan.start.year + 1)
    goals = (
        dataclasses.replace(first, direction="between", low=1.0, target=3.0),
        *(dataclasses.replace(g, starts=later) for g in others),
    )
    _with_plan(store, "Marie", goals=goals)
    at = open_app(profile="Marie")
    no_traceback(at)
    page = texts(at)
    assert "Target: between 1 and 3" in page
    assert "Not started yet" in page and "Counts from" in page


def test_the_checkin_form_takes_the_perception_figures(store):
    make_profile(store, "Marie")
    at = open_app("progress", profile="Marie")
    at.text_input(key="checkin.pulse_score").input("72,5")  # French decimals
    at.number_input(key="checkin.outcomes").set_value(2)
    submit(at, "checkin.form")
    no_traceback(at)
    week = at.selectbox(key="checkin.week").value
    saved = store.get_checkin(store.get_profile("Marie").id, week)
    assert (saved.pulse_score, saved.outcomes, saved.positive_mentions_pct) == (72.5, 2, None)
