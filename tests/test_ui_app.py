"""The app frame: first visit, language switch and memory, errors as sentences."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from coach.errors import CoachError
from coach.store import Store
from tests.ui_kit import APP, make_profile, no_traceback, open_app, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def test_a_first_visit_opens_in_french_on_a_clear_start(playbooks):
    at = AppTest.from_file(APP, default_timeout=30).run()  # no browser locale: French
    no_traceback(at)
    assert at.title[0].value == "Votre identité numérique, une semaine à la fois"
    assert [b.label for b in at.button] == ["Créer le profil", "Charger la démo"]


def test_switching_language_keeps_what_was_typed(store):
    make_profile(store, "Marie", lang="fr", plan=False)
    at = open_app("assessment", profile="Marie", lang="fr")
    at.radio(key="q::presence.account").set_value(True).run()
    at.text_area(key="q::presence.note").input("Parler de l’usine de Lévis").run()
    at.sidebar.button_group[0].set_value("en").run()
    no_traceback(at)
    assert at.title[0].value == "Self-assessment"
    assert at.radio(key="q::presence.account").value is True
    assert at.radio(key="q::presence.account").label == "Do you have an active LinkedIn account?"
    assert at.text_area(key="q::presence.note").value == "Parler de l’usine de Lévis"


def test_the_interface_language_belongs_to_the_person_not_the_profile(store):
    make_profile(store, "Marie", lang="fr")
    at = open_app(profile="Marie", lang="fr")
    assert at.title[0].value == "Bonjour, Marie"
    at.sidebar.button_group[0].set_value("en").run()
    assert at.title[0].value == "Hello, Marie"
    # the executive's saved language (the one her exports use) is untouched
    assert store.get_profile("Marie").language == "fr"


def test_a_new_session_follows_the_browser_not_the_first_profile(store):
    make_profile(store, "Adam", lang="en")  # alphabetically first, in English
    fresh = AppTest.from_file(APP, default_timeout=30).run()  # no browser locale: French
    no_traceback(fresh)
    assert fresh.title[0].value == "Bonjour, Adam"


def test_switching_profile_keeps_the_interface_language(store):
    make_profile(store, "Marie", lang="fr")
    make_profile(store, "John", lang="en")
    at = open_app(profile="Marie", lang="fr")
    at.sidebar.selectbox[0].set_value("John").run()
    assert at.title[0].value == "Bonjour, John"
    assert at.sidebar.button_group[0].value == "fr"


def test_a_locked_database_is_a_sentence_not_a_traceback(playbooks, monkeypatch):
    def busy(self, target=None):
        raise CoachError("tracking.error.busy")

    monkeypatch.setattr(Store, "__init__", busy)
    at = AppTest.from_file(APP, default_timeout=30).run()
    no_traceback(at)
    assert "La base de données est occupée" in at.error[0].value


def test_an_unexpected_failure_keeps_the_frame_and_says_so(store, monkeypatch):
    make_profile(store, "Marie")

    def broken(self, profile):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "get_plan", broken)
    at = open_app(profile="Marie")
    no_traceback(at)
    assert "Something unexpected went wrong (RuntimeError)" in at.error[0].value
    assert "disk on fire" not in texts(at)
    assert at.sidebar.selectbox[0].value == "Marie"  # the frame is still there


def test_a_profile_deleted_elsewhere_is_a_sentence_not_a_traceback(store):
    make_profile(store, "Marie", plan=False)
    make_profile(store, "John", plan=False)
    at = open_app(profile="Marie")
    store.delete_profile("John")  # from the command line, or another window
    at.sidebar.selectbox[0].set_value("John").run()
    no_traceback(at)
    assert "John" in at.error[0].value


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("assessment", "Autoévaluation"),
        ("results", "Résultats"),
        ("plan", "Votre plan"),
        ("progress", "Suivi"),
        ("board_pack", "Rapport au CA"),
    ],
)
def test_a_page_without_a_profile_has_its_title_and_a_next_step(playbooks, page, title):
    at = open_app(page, lang="fr")
    no_traceback(at)
    assert at.title[0].value == title
    new = next(b for b in at.button if b.label == "Nouveau profil")
    assert new.proto.type == "primary"
    assert any(b.label == "Charger la démo" for b in at.button)


def test_a_reload_stays_on_the_profile_in_the_address(store):
    """The selected profile's id is in the address: a reload or a link opens that profile."""
    make_profile(store, "Anne")
    bruno = make_profile(store, "Bruno")
    at = open_app(profile=bruno.id)
    no_traceback(at)
    assert at.query_params["profile"] in (str(bruno.id), [str(bruno.id)])

    fresh = AppTest.from_file(APP, default_timeout=30)  # a reload: a new browser session
    fresh.query_params["profile"] = str(bruno.id)
    fresh.run()
    no_traceback(fresh)
    assert fresh.session_state["profile"] == bruno.id
