"""Board pack / Rapport au CA: a preview, one download per format, files made on click."""

from __future__ import annotations

from coach import exports, service
from coach.errors import CoachError
from coach.ui import board_pack
from tests.ui_kit import add_weeks, make_profile, no_traceback, open_app

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def test_preview_and_one_download_per_format_made_only_on_click(store, monkeypatch):
    make_profile(store, "Marie", lang="fr")
    add_weeks(store, "Marie", 5)
    made = []
    monkeypatch.setattr(exports, "render", lambda pack, fmt, **kw: made.append(fmt) or b"x")
    at = open_app("board_pack", profile="Marie", lang="fr")
    no_traceback(at)
    assert at.title[0].value == "Rapport au CA"
    preview = "\n".join(m.value for m in at.markdown)
    assert "Marie" in preview
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [
        "PDF",
        "HTML",
        "PowerPoint",
        "Markdown",
        "CSV",
        "Calendrier (.ics)",
    ]
    assert all(b.proto.deferred_file_id for b in buttons)  # made when clicked
    at.run()  # a rerun does not make any file either
    assert made == []


def test_the_file_is_made_in_the_profile_language(store):
    make_profile(store, "Marie", lang="fr")
    pack = service.build_pack(store, "Marie", lang="fr")
    markdown = board_pack._maker(exports, pack, "md", "Letter")().decode("utf-8")
    assert "Marie" in markdown and "Par où commencer" in markdown


def test_a_pack_that_cannot_be_built_is_explained(store, monkeypatch):
    make_profile(store, "Marie")

    def refuse(*args, **kwargs):
        raise CoachError("tracking.error.busy")

    monkeypatch.setattr(service, "build_pack", refuse)
    at = open_app("board_pack", profile="Marie")
    no_traceback(at)
    assert "busy with another program" in at.error[0].value
    assert not at.get("download_button")


def test_a_placeholder_until_the_exports_are_there(store, monkeypatch):
    make_profile(store, "Marie")
    monkeypatch.delattr(exports, "make_pack")
    at = open_app("board_pack", profile="Marie")
    no_traceback(at)
    assert "on its way" in at.info[0].value


def test_before_the_first_assessment_the_page_says_what_is_missing(store):
    make_profile(store, "Marie", lang="fr", plan=False)
    at = open_app("board_pack", profile="Marie", lang="fr")
    no_traceback(at)
    assert at.title[0].value == "Rapport au CA"
    assert "aucune autoévaluation pour l’instant" in at.info[0].value
    assert not at.get("download_button")
    start = next(b for b in at.button if b.label == "Commencer l’autoévaluation")
    assert start.proto.type == "primary"


def test_the_pack_is_in_the_profile_language_whatever_the_interface(store):
    make_profile(store, "Marie", lang="fr")
    at = open_app("board_pack", profile="Marie", lang="en")
    no_traceback(at)
    assert at.title[0].value == "Board pack"
    assert "This pack is written in French" in " ".join(c.value for c in at.caption)
    preview = "\n".join(m.value for m in at.markdown)
    assert "Dossier pour le conseil" in preview and "Board pack for" not in preview
