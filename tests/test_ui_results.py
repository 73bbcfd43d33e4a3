"""Results / Résultats: scores and levels, chart and table, strengths and gaps, change."""

from __future__ import annotations

import json

from coach import scoring
from coach.playbook import load_playbook
from coach.typography import typeset
from tests.ui_kit import ANSWERS, MINI, charts, make_profile, no_traceback, open_app, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def test_scores_levels_chart_and_table(store):
    make_profile(store, "Marie")
    at = open_app("results", profile="Marie")
    no_traceback(at)
    assert at.metric[0].value == "30/100"
    assert "Level **2 · Beginner**" in texts(at)
    [chart] = charts(at)
    spec = json.loads(chart.proto.spec)
    assert "tick" in json.dumps(spec["layer"])  # the next level is marked
    table = at.dataframe[0].value
    assert list(table["Area"]) == ["Presence", "Responsiveness"]
    assert list(table["Score"]) == [50, 20]
    assert list(table["Level"]) == ["3 · Regular", "2 · Beginner"]
    assert "Responsiveness needs attention: 20/100" in texts(at)
    assert "This is your first self-assessment" in texts(at)


def test_the_change_since_the_previous_assessment(store):
    make_profile(store, "Marie", lang="fr")
    book = load_playbook(MINI)
    better = {**ANSWERS, "presence.posts": "weekly", "responsiveness.replies": "always"}
    store.add_assessment("Marie", book, better, scoring.score(book, better, {}))
    at = open_app("results", profile="Marie", lang="fr")
    no_traceback(at)
    assert at.metric[0].delta.startswith("+")
    page = texts(at)
    assert (
        typeset("Réactivité : en hausse de", "fr") in page
        and typeset("Présence : en hausse de", "fr") in page
    )
    assert "Évolution" in at.dataframe[0].value.columns


def test_no_results_before_the_first_assessment(store):
    make_profile(store, "Marie", plan=False, lang="fr")
    at = open_app("results", profile="Marie", lang="fr")
    no_traceback(at)
    assert "Pas encore de résultats" in at.info[0].value
    assert at.get("page_link")[0].proto.label == "Commencer l’autoévaluation"


def test_a_broken_playbook_is_explained(store):
    make_profile(store, "Marie")
    store.update_profile("Marie", playbook_id="broken")
    at = open_app("results", profile="Marie")
    no_traceback(at)
    assert "has problems and cannot be loaded" in at.error[0].value
    assert not charts(at)
