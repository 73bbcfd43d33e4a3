"""Home / Accueil: a clear start for a new user, then where to start and this week."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from coach import demo
from coach.checkin import CheckIn
from coach.typography import typeset
from tests.ui_kit import (
    ANSWERS,
    FIXTURES,
    MINI,
    add_weeks,
    make_profile,
    no_traceback,
    open_app,
    submit,
    texts,
)

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def test_a_new_user_creates_a_profile_and_lands_on_the_assessment(store):
    at = open_app(lang="en")
    at.text_input(key="home.new.name").input("Marie Tremblay")
    at.selectbox(key="home.new.hours").set_value(3.0)
    submit(at, "home.new")
    no_traceback(at)
    assert at.title[0].value == "Self-assessment"
    assert "Profile “Marie Tremblay” created" in at.success[0].value
    profile = store.get_profile("Marie Tremblay")
    assert (profile.language, profile.hours_per_week, profile.playbook_id) == ("en", 3.0, "ui-mini")


def test_a_profile_needs_a_name(store):
    at = open_app(lang="fr")
    submit(at, "home.new")
    no_traceback(at)
    assert at.error[0].value == "Indiquez un nom pour le profil."
    assert store.list_profiles() == []


def test_a_taken_name_is_refused_in_the_users_language(store):
    make_profile(store, "Marie", plan=False)
    at = open_app(lang="fr")  # no profile selected in this session
    at.text_input(key="home.new.name").input("Marie")
    submit(at, "home.new")
    no_traceback(at)
    assert typeset("Un profil s’appelle déjà « Marie »", "fr") in at.error[0].value
    assert at.text_input(key="home.new.name").value == "Marie"  # nothing typed is lost


def test_the_demo_is_one_click_away(store, monkeypatch):
    monkeypatch.setattr(demo, "default_playbook_path", lambda: MINI)
    monkeypatch.setattr(demo, "ANSWERS_FILE", FIXTURES / "answers.yaml")
    at = open_app(lang="en")
    at.button(key="home.demo").click().run()
    no_traceback(at)
    assert at.title[0].value == "Hello, Claire Dubé \\(demo\\)"  # a fictional manager
    assert "Where to start" in texts(at)
    assert len(store.list_checkins("demo")) == 16


def test_a_demo_that_cannot_load_says_why(store, monkeypatch):
    monkeypatch.setattr(demo, "default_playbook_path", lambda: FIXTURES / "nowhere.yaml")
    at = open_app(lang="en")
    at.button(key="home.demo").click().run()
    no_traceback(at)
    assert at.error and "nowhere.yaml" in at.error[0].value
    assert store.list_profiles() == []


FROZEN = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday 1 Dec, 10:00 in Toronto


def test_where_to_start_this_week_late_work_and_the_checkin_nudge(store):
    with time_machine.travel(FROZEN, tick=False):
        # the plan started three weeks ago: its first step ended yesterday, still open
        make_profile(store, "Marie", start_date=date(2026, 11, 10))
        add_weeks(store, "Marie", 6)  # up to last week: this week is missing
        at = open_app(profile="Marie")
    no_traceback(at)
    page = texts(at)
    plan = store.get_plan("Marie").plan
    reply, compliance, post = plan.steps
    assert reply.due == date(2026, 11, 30) and compliance.start <= FROZEN.date() <= compliance.due
    # where to start: numbered in date order, each with its own reason
    for number, step in enumerate((reply, compliance, post), start=1):
        assert f"**{number}. {step.title}**" in page
    assert len({reply.why[0], compliance.why[0], post.why[0]} & set(page.split("\n"))) == 3
    # late work is marked, and named at the top
    late_line = next(m.value for m in at.markdown if m.value.startswith(f"**1. {reply.title}**"))
    assert "Late" in late_line
    assert not any("Late" in m.value for m in at.markdown if compliance.title in m.value)
    assert "1 step is past its date: Reply within a day" in at.warning[1].value
    # this week: the step that covers today, with its starter
    assert compliance.starter in [s.value for s in at.success]
    assert "You have not checked in for the week of" in at.warning[0].value
    assert "Posts per week" in page and "On track" in page
    assert "Last check-in" in page


def test_one_click_marks_a_step_done_with_a_toast(store):
    with time_machine.travel(FROZEN, tick=False):
        make_profile(store, "Marie", start_date=date(2026, 11, 10))
        at = open_app(profile="Marie")
        reply = store.get_plan("Marie").plan.steps[0]
        button = at.button(key=f"home.start.done.{reply.id}")
        assert button.label == "Mark as done"
        at = button.click().run()
    no_traceback(at)
    status = store.get_plan("Marie").states[reply.id]
    assert status.state == "done" and status.changed_on == FROZEN.date()
    assert [toast.value for toast in at.toast] == ["“Reply within a day”: done. Well done!"]
    # the step no longer offers the button, and nothing is late any more
    assert not [b for b in at.button if b.key == f"home.start.done.{reply.id}"]
    assert not any("past its date" in w.value for w in at.warning)


def test_no_nudge_once_this_week_is_in(store):
    make_profile(store, "Marie")
    add_weeks(store, "Marie", 3, skip_current=False)
    at = open_app(profile="Marie", lang="fr")
    no_traceback(at)
    assert not any("Vous n’avez pas encore fait le bilan" in w.value for w in at.warning)


def test_a_started_assessment_is_offered_to_resume(store):
    make_profile(store, "Marie", plan=False)
    store.save_draft("Marie", {"presence.account": ANSWERS["presence.account"]})
    at = open_app(profile="Marie")
    assert "(1 answer saved)" in at.info[0].value


def test_goal_figures_say_their_unit_and_how_they_are_made(store):
    with time_machine.travel(FROZEN, tick=False):
        make_profile(store, "Marie", lang="fr", start_date=date(2026, 11, 10))
        store.save_checkins(
            "Marie",
            [
                CheckIn(week=w, posts=p, received=10, replies=9)
                for w, p in (("2026-W45", 2), ("2026-W46", 3), ("2026-W47", 2), ("2026-W48", 3))
            ],
        )
        at = open_app(profile="Marie", lang="fr")
    no_traceback(at)
    page = texts(at)
    assert typeset("**2,5 publications/semaine** (moyenne sur 4 semaines)", "fr") in page
    assert typeset("**90 %** (sur les 4 dernières semaines)", "fr") in page
