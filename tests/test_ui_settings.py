"""Settings / Paramètres: profiles, preferences, playbooks, export and import."""

from __future__ import annotations

import json

from coach.typography import typeset
from tests.ui_kit import add_weeks, make_profile, no_traceback, open_app, submit, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def test_preferences_are_saved_and_fewer_hours_reschedule(store):
    make_profile(store, "Marie", hours_per_week=4.0)
    dues = {s.id: s.due for s in store.get_plan("Marie").plan.steps}
    at = open_app("settings", profile="Marie")
    at.selectbox(key="settings.timezone").set_value("Europe/Paris")
    at.selectbox(key="settings.hours").set_value(1.0)
    submit(at, "settings.preferences")
    no_traceback(at)
    assert at.success[0].value == "Preferences saved."
    profile = store.get_profile("Marie")
    assert (profile.timezone, profile.hours_per_week) == ("Europe/Paris", 1.0)
    assert any(s.due > dues[s.id] for s in store.get_plan("Marie").plan.steps)


def test_the_interface_language_and_the_report_language_are_separate(store):
    make_profile(store, "Marie", lang="en")
    at = open_app("settings", profile="Marie")
    at.segmented_control(key="settings.lang").set_value("fr").run()
    no_traceback(at)
    assert at.title[0].value == "Paramètres"
    assert store.get_profile("Marie").language == "en"  # her exports stay in English
    at.selectbox(key="settings.profile_lang").set_value("fr")
    submit(at, "settings.preferences")
    no_traceback(at)
    assert store.get_profile("Marie").language == "fr"
    assert at.title[0].value == "Paramètres"


def test_only_valid_playbooks_are_offered_and_broken_ones_list_their_problems(store):
    make_profile(store, "Marie")
    at = open_app("settings", profile="Marie")
    assert at.selectbox(key="settings.playbook").options == ["Mini playbook"]
    page = texts(at)
    assert "`broken.yaml` is not used until it is fixed" in page
    problems = "\n".join(c.value for c in at.code)
    assert "broken.yaml:6: levels must be exactly the five levels" in problems


def test_rename_then_switch_profiles(store):
    make_profile(store, "Marie")
    make_profile(store, "John", plan=False)
    at = open_app("settings", profile="Marie")
    at.text_input(key="settings.new_name").input("Marie Tremblay")
    submit(at, "settings.rename_form")
    no_traceback(at)
    assert [p.name for p in store.list_profiles()] == ["John", "Marie Tremblay"]
    assert at.sidebar.selectbox[0].value == "Marie Tremblay"
    assert store.get_plan("Marie Tremblay") is not None
    at.sidebar.selectbox[0].set_value("John").run()
    assert "Preferences for John" in texts(at)


def test_delete_needs_the_name_typed(store):
    make_profile(store, "Marie")
    make_profile(store, "John", plan=False)
    at = open_app("settings", profile="Marie", lang="fr")
    at.text_input(key="settings.delete_name").input("marie")
    submit(at, "settings.delete_form")
    no_traceback(at)
    assert (
        typeset("ne correspond pas à « Marie » : rien n’a été supprimé", "fr") in at.error[0].value
    )
    assert len(store.list_profiles()) == 2
    at.text_input(key="settings.delete_name").input("Marie")
    submit(at, "settings.delete_form")
    no_traceback(at)
    assert [p.name for p in store.list_profiles()] == ["John"]
    assert typeset("Profil « Marie » supprimé.", "fr") in at.success[0].value


def test_a_taken_name_is_refused(store):
    make_profile(store, "Marie")
    make_profile(store, "John", plan=False)
    at = open_app("settings", profile="Marie")
    at.text_input(key="settings.new_name").input("John")
    submit(at, "settings.rename_form")
    no_traceback(at)
    assert "A profile called “John” already exists" in at.error[0].value


def test_export_then_import_a_profile(store):
    make_profile(store, "Marie")
    add_weeks(store, "Marie", 3)
    doc = store.export_profile("Marie")
    store.delete_profile("Marie")
    make_profile(store, "John", plan=False)
    at = open_app("settings", profile="John")
    [download] = at.get("download_button")
    assert download.proto.deferred_file_id  # the JSON is made when clicked
    upload = json.dumps(doc, ensure_ascii=False).encode()
    at.get("file_uploader")[0].upload("marie.json", upload, "application/json").run()
    assert "holds the profile **Marie**, with 1 assessment and 3 check-ins" in texts(at)
    at.button(key="settings.import_go").click().run()
    no_traceback(at)
    assert "Profile “Marie” imported." in at.success[0].value
    assert len(store.list_checkins("Marie")) == 3
    assert at.sidebar.selectbox[0].value == "Marie"


def test_a_file_that_is_not_a_profile_is_refused(store):
    make_profile(store, "Marie", lang="fr")
    at = open_app("settings", profile="Marie", lang="fr")
    at.get("file_uploader")[0].upload("photo.json", b"\x89PNG...", "application/json").run()
    no_traceback(at)
    assert typeset("« photo.json » n’est pas un fichier JSON exporté", "fr") in at.error[0].value
    at.get("file_uploader")[0].set_value(("vide.json", b'{"format": "autre"}', "application/json"))
    at.run()
    at.button(key="settings.import_go").click().run()
    no_traceback(at)
    assert at.error, "a document that is not a profile export is refused"
    assert [p.name for p in store.list_profiles()] == ["Marie"]


def test_without_a_profile_settings_offer_to_create_one(store):
    at = open_app("settings")
    no_traceback(at)
    assert "No profile yet" in at.info[0].value
    at.text_input(key="settings.new.name").input("Awa")
    submit(at, "settings.new")
    assert store.get_profile("Awa").language == "en"


def test_switching_profile_then_saving_keeps_the_other_profiles_values(store):
    make_profile(store, "Marie", hours_per_week=4.0)
    make_profile(store, "Paul", hours_per_week=1.0)
    store.update_profile("Paul", timezone="Europe/Paris")
    at = open_app("settings", profile="Marie")
    assert at.selectbox(key="settings.hours").value == 4.0
    at.selectbox(key="sidebar.profile_pick").set_value("Paul").run()
    no_traceback(at)
    # the form now shows Paul's own values, not what was on screen for Marie
    assert at.selectbox(key="settings.hours").value == 1.0
    assert at.selectbox(key="settings.timezone").value == "Europe/Paris"
    at.selectbox(key="settings.timezone").set_value("UTC")
    submit(at, "settings.preferences")
    no_traceback(at)
    paul, marie = store.get_profile("Paul"), store.get_profile("Marie")
    assert (paul.timezone, paul.hours_per_week) == ("UTC", 1.0)
    assert (marie.timezone, marie.hours_per_week) == ("America/Toronto", 4.0)


def test_a_change_made_elsewhere_after_the_form_opened_is_kept(store):
    make_profile(store, "Marie", hours_per_week=4.0)
    at = open_app("settings", profile="Marie")
    store.update_profile("Marie", timezone="Europe/Paris")  # the CLI, another tab
    at.selectbox(key="settings.hours").set_value(3.0)
    submit(at, "settings.preferences")
    no_traceback(at)
    marie = store.get_profile("Marie")
    assert (marie.timezone, marie.hours_per_week) == ("Europe/Paris", 3.0)


def test_leaving_a_regulated_sector_rebuilds_the_plan(store):
    make_profile(store, "Marie")
    assert "governance.compliance" in {s.id for s in store.get_plan("Marie").plan.steps}
    at = open_app("settings", profile="Marie")
    at.checkbox(key="settings.regulated").uncheck()
    submit(at, "settings.preferences")
    no_traceback(at)
    assert store.get_profile("Marie").regulated_sector is False
    assert "governance.compliance" not in {s.id for s in store.get_plan("Marie").plan.steps}
