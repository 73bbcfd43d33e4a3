"""Plan: where to start, the timeline, steps by phase, marking progress, rescheduling."""

from __future__ import annotations

from coach.errors import CoachError
from coach.store import Store
from coach.typography import typeset
from tests.ui_kit import charts, make_profile, no_traceback, open_app, submit, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures

STEP = "responsiveness.reply-within-a-day"


def test_the_plan_explains_each_step(store):
    make_profile(store, "Marie")
    at = open_app("plan", profile="Marie")
    no_traceback(at)
    page = texts(at)
    assert "Where to start" in page and "This week" in page
    assert "- Because you answered that you rarely reply to comments." in page
    assert "1. Block 10 minutes a day" in page
    assert "**Your 15-minute starter:** Reply to the oldest comment." in page
    assert len(charts(at)) == 1  # the timeline
    assert at.expander[0].label == "Reply within a day · To do"


def test_marking_a_step_done_with_a_note(store):
    make_profile(store, "Marie", lang="fr")
    at = open_app("plan", profile="Marie", lang="fr")
    at.radio(key=f"plan.state.{STEP}.value").set_value("done")
    at.text_input(key=f"plan.state.{STEP}.note").input("Fait avec l’équipe comms")
    submit(at, f"plan.state.{STEP}")
    no_traceback(at)
    status = store.get_plan("Marie").states[STEP]
    assert (status.state, status.note) == ("done", "Fait avec l’équipe comms")
    assert typeset("« Répondre en moins d’une journée » : Terminée.", "fr") in at.success[0].value
    assert any(e.label == "Répondre en moins d’une journée · Terminée" for e in at.expander)


def test_fewer_hours_reschedule_what_is_left(store):
    make_profile(store, "Marie", hours_per_week=4.0)
    store.set_step_state("Marie", STEP, "done")
    before = {s.id: s.due for s in store.get_plan("Marie").plan.steps}
    at = open_app("plan", profile="Marie")
    at.selectbox(key="plan.hours").set_value(1.0)
    submit(at, "plan.hours_form")
    no_traceback(at)
    assert "Plan rescheduled for 1 h a week" in at.success[0].value
    after = store.get_plan("Marie").plan
    assert after.hours_per_week == 1.0
    assert after.step(STEP).due == before[STEP]  # done: keeps its dates
    assert any(s.due > before[s.id] for s in after.steps if s.id != STEP)


def test_no_plan_yet_points_to_the_assessment(store):
    make_profile(store, "Marie", plan=False)
    at = open_app("plan", profile="Marie")
    no_traceback(at)
    assert "No plan yet" in at.info[0].value
    assert not charts(at)


def test_a_state_that_cannot_be_saved_keeps_the_note(store, monkeypatch):
    make_profile(store, "Marie")

    def busy(self, *args, **kwargs):
        raise CoachError("tracking.error.busy")

    monkeypatch.setattr(Store, "set_step_state", busy)
    at = open_app("plan", profile="Marie")
    at.radio(key=f"plan.state.{STEP}.value").set_value("doing")
    at.text_input(key=f"plan.state.{STEP}.note").input("started Monday")
    submit(at, f"plan.state.{STEP}")
    no_traceback(at)
    assert "busy with another program" in at.error[0].value
    assert at.text_input(key=f"plan.state.{STEP}.note").value == "started Monday"


def test_the_plan_reads_in_the_language_on_screen(store):
    make_profile(store, "Marie", lang="fr")  # the plan was made in French
    at = open_app("plan", profile="Marie", lang="en")
    no_traceback(at)
    page = texts(at)
    assert "Reply within a day" in page and "Répondre en moins d’une journée" not in page
    assert "- Because you answered that you rarely reply to comments." in page


def test_this_week_moves_on_once_its_step_is_done(store):
    make_profile(store, "Marie")
    plan = store.get_plan("Marie").plan
    store.set_step_state("Marie", plan.this_week, "done")
    at = open_app("home", profile="Marie")
    no_traceback(at)
    starters = [s.value for s in at.success]
    assert plan.step(plan.this_week).starter not in starters
    assert any(step.starter in starters for step in plan.steps if step.id != plan.this_week)


def test_on_a_phone_the_plan_is_a_list_by_month(store):
    make_profile(store, "Marie")
    at = open_app("plan", profile="Marie")
    no_traceback(at)
    plan = store.get_plan("Marie").plan
    first = min(plan.steps, key=lambda s: (s.start, s.order))
    months = "January February March April May June July August September October November December"
    heading = f"**{months.split()[first.start.month - 1]} {first.start.year}**"
    lines = [m.value for m in at.markdown]
    assert heading in lines
    assert any(line.startswith(f"- {first.title}") for line in lines)
    # both variants are sent; the page's styles show one by screen width
    assert at.get("vega_lite_chart")


def test_the_hours_field_writes_french_decimals(store):
    make_profile(store, "Marie", lang="fr", hours_per_week=2.5)
    at = open_app("plan", profile="Marie", lang="fr")
    no_traceback(at)
    field = at.selectbox(key="plan.hours")
    assert field.value == 2.5
    assert typeset("2,5 h", "fr") in field.options and typeset("0,25 h", "fr") in field.options
    assert not any("." in option for option in field.options)


def test_the_plan_says_what_waits_for_later_and_why(store):
    """The demo's plan sets some habits aside for lack of hours and leaves some steps for the
    next plan: the page names them, with the reason, in the reader's language."""
    from coach import service
    from coach.clock import today_in

    demo = service.create_demo(store, "fr", today=today_in("America/Toronto"))
    waiting = service.deferred(service.snapshot(store, demo.name, "fr"))
    assert waiting.left_out and waiting.later
    at = open_app("plan", profile=demo.name, lang="fr")
    no_traceback(at)
    page = texts(at)
    assert "Pour plus tard" in page
    assert typeset("faute de place pour une autre habitude dans vos heures :", "fr") in page
    assert typeset("Pour votre prochain plan, au-delà de 52 semaines :", "fr") in page
    shown = (*waiting.left_out, *waiting.later)
    assert all(typeset(f"« {title} »", "fr") in page for title in shown)


def test_a_step_done_in_the_app_links_to_its_page(store):
    """The playbook says where a step is done (`opens`): the step's card links to that page."""
    from coach import service
    from coach.clock import today_in
    from coach.model import APP_PAGES
    from coach.ui.app import PAGES

    assert set(APP_PAGES) <= {slug for slug, _icon in PAGES}  # every target is a real page
    demo = service.create_demo(store, "fr", today=today_in("America/Toronto"))
    plan = store.get_plan(demo.name).plan
    step = next(s for s in plan.steps if s.id == "perception.pulse-question")
    at = open_app("plan", profile=demo.name, lang="fr")
    at.segmented_control(key="plan.phase").set_value(step.phase).run()
    no_traceback(at)
    links = [(e.proto.label, e.proto.page) for e in at.get("page_link")]
    assert (typeset("Ouvrir « Sondage d’équipe »", "fr"), "pulse") in links
