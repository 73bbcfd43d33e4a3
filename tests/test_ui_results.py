"""Results / Résultats: scores and levels, chart and table, strengths and gaps, change."""

from __future__ import annotations

import json

import pyarrow

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
    assert "Level **2 of 5 · Beginner**" in texts(at)
    # the five levels, each named with the score it starts at
    assert "1. " in texts(at) and "(from 0)" in texts(at)
    [chart] = charts(at)
    spec = json.loads(chart.proto.spec)
    assert "tick" in json.dumps(spec["layer"])  # the next level is marked
    # each score's words sit at the end of its own bar, never at the next level's mark
    labels = [
        layer
        for layer in spec["layer"]
        if layer["encoding"].get("text", {}).get("field") == "label"
    ]
    assert labels and all(layer["encoding"]["x"]["field"] == "score" for layer in labels)
    ticks = [layer for layer in spec["layer"] if "next_label" in json.dumps(layer["encoding"])]
    assert ticks and all(layer["encoding"]["x"]["field"] == "next" for layer in ticks)
    data = pyarrow.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pydict()
    assert data["label"] == ["50 · lvl 3", "20 · lvl 2"]
    assert data["next_label"] == ["lvl 4: 60", "lvl 3: 40"]
    table = at.dataframe[0].value
    assert list(table["Area"]) == ["Presence", "Responsiveness"]
    assert list(table["Score"]) == [50, 20]
    assert list(table["Level"]) == ["3 of 5 · Regular", "2 of 5 · Beginner"]
    # the next action comes first, as a primary button
    assert at.button[0].label == "See my plan" and at.button[0].proto.type == "primary"
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
    start = next(b for b in at.button if b.label == "Commencer l’autoévaluation")
    assert start.proto.type == "primary"


def test_a_broken_playbook_is_explained(store):
    make_profile(store, "Marie")
    store.update_profile("Marie", playbook_id="broken")
    at = open_app("results", profile="Marie")
    no_traceback(at)
    assert "has problems and cannot be loaded" in at.error[0].value
    assert not charts(at)


def test_on_a_phone_each_area_is_one_block_of_labelled_lines(store):
    """The narrow variant of the table: the area in bold, then « column: value » lines, "—"
    where there is nothing to say yet (no previous assessment to compare with)."""
    make_profile(store, "Marie")
    at = open_app("results", profile="Marie")
    no_traceback(at)
    blocks = [m.value for m in at.markdown if m.value.startswith("**Presence**")]
    assert len(blocks) == 1
    lines = blocks[0].split("  \n")
    assert lines[:4] == ["**Presence**", "Score: 50", "Level: 3 of 5 · Regular", "Change: —"]
    assert lines[4].startswith("Answers: ")
    assert any(m.value.startswith("**Responsiveness**") for m in at.markdown)
