"""Progress / Suivi: weekly check-in, editing a past week, targets, charts, imports."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from coach import clock
from coach.checkin import CheckIn, current_week, shift_week, week_of
from tests.ui_kit import add_weeks, charts, make_profile, no_traceback, open_app, submit, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures


def chart_rows(at, word: str) -> int:
    """Rows of data behind the first chart whose spec mentions `word`."""
    for chart in charts(at):
        if word in chart.proto.spec:
            frames = [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]
            return max((len(frame) for frame in frames), default=0)
    raise AssertionError(f"no chart mentions {word!r}")


def test_the_checkin_defaults_to_this_week_and_updates_the_charts(store):
    make_profile(store, "Marie")
    add_weeks(store, "Marie", 4)
    at = open_app("progress", profile="Marie")
    no_traceback(at)
    this_week = current_week("America/Toronto")
    assert at.selectbox(key="checkin.week").value == this_week
    before = chart_rows(at, "Target met")
    at.number_input(key="checkin.posts").set_value(3)
    at.number_input(key="checkin.received").set_value(12)
    at.number_input(key="checkin.replies").set_value(11)
    at.text_input(key="checkin.median_response_hours").input("5.5")
    submit(at, "checkin.form")
    no_traceback(at)
    assert "Check-in saved for the week of" in at.success[0].value
    saved = store.get_checkin("Marie", this_week)
    assert (saved.posts, saved.received, saved.replies, saved.median_response_hours) == (
        3,
        12,
        11,
        5.5,
    )
    assert chart_rows(at, "Target met") == before + 1


def test_editing_a_past_week_fills_the_form_and_updates_it(store):
    make_profile(store, "Marie", lang="fr")
    weeks = add_weeks(store, "Marie", 4)
    past = weeks[1]
    at = open_app("progress", profile="Marie", lang="fr")
    at.selectbox(key="checkin.week").set_value(past).run()
    saved = store.get_checkin("Marie", past)
    assert at.number_input(key="checkin.posts").value == saved.posts
    assert "déjà saisie" in texts(at)
    at.number_input(key="checkin.posts").set_value(7)
    submit(at, "checkin.form")
    no_traceback(at)
    assert "mis à jour" in at.success[0].value
    assert store.get_checkin("Marie", past).posts == 7
    assert len(store.list_checkins("Marie")) == 4


def test_an_invalid_checkin_says_why_and_keeps_the_figures(store):
    make_profile(store, "Marie", lang="fr")
    at = open_app("progress", profile="Marie", lang="fr")
    at.number_input(key="checkin.received").set_value(3)
    at.number_input(key="checkin.replies").set_value(5)
    submit(at, "checkin.form")
    no_traceback(at)
    assert "le nombre de réponses ne peut pas dépasser le nombre reçu" in at.error[0].value
    assert at.number_input(key="checkin.replies").value == 5
    assert store.list_checkins("Marie") == []


def test_changing_a_target_is_kept(store):
    # A plan started eight weeks ago: its first post (which starts the posting goal) is under way.
    make_profile(store, "Marie", start_date=clock.today_in("America/Toronto") - timedelta(weeks=8))
    add_weeks(store, "Marie", 4)
    at = open_app("progress", profile="Marie")
    at.text_input(key="targets.posts-per-week").input("3")
    submit(at, "targets.form")
    no_traceback(at)
    assert store.goal_targets("Marie")["posts-per-week"] == 3.0
    assert "Target: at least 3 posts" in texts(at)
    assert "At risk" in texts(at)  # 1.8 posts a week against 3: status word and colour


def test_goals_show_status_words_with_colours(store):
    make_profile(store, "Marie")
    add_weeks(store, "Marie", 6)
    at = open_app("progress", profile="Marie")
    page = texts(at)
    assert ":green-badge[:material/check_circle: On track]" in page
    assert ":gray-badge[:material/help: No data yet]" in page
    # posts, response time, rate, burn-up, habit; touchpoints have no figure yet: a sentence
    assert len(charts(at)) == 5
    assert "No figures yet for this chart." in page


def test_the_period_can_show_everything(store):
    make_profile(store, "Marie")
    add_weeks(store, "Marie", 40)
    at = open_app("progress", profile="Marie")
    assert chart_rows(at, "Target met") == 26
    at.segmented_control(key="progress.window").set_value(0).run()
    assert chart_rows(at, "Target met") == 40


def activity_csv(weeks: int) -> bytes:
    """A generic activity export: two posts and one answered message per week."""
    lines = ["timestamp,kind,conversation_id"]
    monday = date.fromisocalendar(
        *clock.today_in("America/Toronto").isocalendar()[:2], 1
    ) - timedelta(weeks=weeks)
    for i in range(weeks):
        day = datetime.combine(monday + timedelta(weeks=i, days=1), time(14, 0))
        lines += [
            f"{day.isoformat()}Z,post,",
            f"{(day + timedelta(days=1)).isoformat()}Z,post,",
            f"{day.isoformat()}Z,received,c{i}",
            f"{(day + timedelta(hours=3)).isoformat()}Z,reply,c{i}",
        ]
    return ("\n".join(lines) + "\n").encode()


def test_an_import_is_previewed_then_confirmed(store):
    make_profile(store, "Marie")
    typed = week_of(clock.today_in("America/Toronto") - timedelta(weeks=2))
    store.save_checkin("Marie", CheckIn(week=typed, posts=9, received=1, replies=1))
    at = open_app("progress", profile="Marie")
    at.get("file_uploader")[0].upload("activity.csv", activity_csv(3), "text/csv").run()
    no_traceback(at)
    preview = at.dataframe[0].value
    assert len(preview) == 3
    assert "Differs from what you typed (kept)" in list(preview["What happens"])
    assert store.get_checkin("Marie", shift_week(typed, -1)) is None  # nothing written yet
    at.button(key="import.confirm").click().run()
    no_traceback(at)
    assert "Import finished: 2 weeks (new: 2; updated: 0)" in at.success[0].value
    assert store.get_checkin("Marie", shift_week(typed, -1)).posts == 2
    assert store.get_checkin("Marie", typed).posts == 9  # typed by hand: kept


def test_a_file_that_is_not_an_export_is_refused(store):
    make_profile(store, "Marie", lang="fr")
    at = open_app("progress", profile="Marie", lang="fr")
    at.get("file_uploader")[0].upload("notes.csv", b"bonjour,le monde\n1,2\n", "text/csv").run()
    no_traceback(at)
    assert at.error and "notes.csv" in at.error[0].value
    # the help is in the app, with each platform's menu names, not in a file of the project
    assert "IMPORT.md" not in at.error[0].value
    page = texts(at)
    assert "Télécharger une archive de vos données" in page and "Demander votre archive" in page
    assert store.list_checkins("Marie") == []


def test_figures_saved_elsewhere_show_on_the_next_rerun(store):
    """Another window or the command line writes: the page does not keep old figures."""
    make_profile(store, "Marie")
    add_weeks(store, "Marie", 2)
    at = open_app("home", profile="Marie")
    this_week = current_week("America/Toronto")
    store.save_checkin("Marie", CheckIn(week=this_week, posts=11, received=4, replies=4))
    at.run()
    assert "**11 posts**" in texts(at)
    assert not any("not checked in" in w.value for w in at.warning)


def test_a_week_saved_from_the_cli_after_the_form_opened_keeps_its_figures(store):
    make_profile(store, "Marie")
    at = open_app("progress", profile="Marie")
    week = at.selectbox(key="checkin.week").value
    store.merge_checkin("Marie", week, {"posts": 2, "received": 5, "replies": 4})
    at.number_input(key="checkin.followers").set_value(300)
    submit(at, "checkin.form")
    no_traceback(at)
    saved = store.get_checkin("Marie", week)
    assert (saved.posts, saved.received, saved.replies, saved.followers) == (2, 5, 4, 300)


def test_a_new_manager_is_told_when_the_charts_will_appear(store):
    make_profile(store, "Marie", lang="fr")
    add_weeks(store, "Marie", 1)
    at = open_app("progress", profile="Marie", lang="fr")
    no_traceback(at)
    soon = next(i.value for i in at.info if "graphiques semaine par semaine" in i.value)
    assert "encore 2 bilans, d’ici le" in soon
    assert len(charts(at)) == 2  # only the plan's burn-up and the habits: no one-dot charts


def test_the_weekly_charts_start_with_the_plan_not_months_before(store):
    make_profile(store, "Marie")  # the plan started three weeks ago
    add_weeks(store, "Marie", 3)
    at = open_app("progress", profile="Marie")
    no_traceback(at)
    plan_start = store.get_plan("Marie").plan.start
    first_week = charts(at)[0]
    spec = json.loads(first_week.proto.spec)
    domain = next(
        layer["encoding"]["x"]["scale"]["domain"]
        for layer in spec["layer"]
        if "scale" in layer["encoding"].get("x", {})
    )
    start = date.fromisoformat(domain[0])
    assert start <= plan_start < start + timedelta(days=7)  # the plan's own week, not 26 before


def test_decimals_are_typed_and_shown_the_french_way(store):
    make_profile(store, "Marie", lang="fr")
    week = add_weeks(store, "Marie", 1)[0]
    store.save_checkin(
        "Marie", CheckIn(week=week, posts=1, received=2, replies=2, median_response_hours=2.5)
    )
    at = open_app("progress", profile="Marie", lang="fr")
    at.selectbox(key="checkin.week").set_value(week).run()
    assert at.text_input(key="checkin.median_response_hours").value == "2,5"
    assert all(
        "." not in field.value for field in at.text_input if field.key.startswith("targets.")
    )
    at.text_input(key="checkin.median_response_hours").input("3,75")
    submit(at, "checkin.form")
    no_traceback(at)
    assert store.get_checkin("Marie", week).median_response_hours == 3.75


def test_a_decimal_that_is_not_a_number_is_a_sentence_and_saves_nothing(store):
    make_profile(store, "Marie", lang="fr")
    at = open_app("progress", profile="Marie", lang="fr")
    at.number_input(key="checkin.posts").set_value(4)
    at.text_input(key="checkin.median_response_hours").input("deux heures")
    submit(at, "checkin.form")
    no_traceback(at)
    assert "n’est pas un nombre positif" in at.error[0].value
    assert store.list_checkins("Marie") == []
    assert at.number_input(key="checkin.posts").value == 4  # what was typed stays


def test_a_french_decimal_comma_is_read_as_a_decimal_and_a_bad_figure_saves_nothing(store):
    """« 20,5 » typed in French is 20.5 hours, never 205; « vingt » is a sentence."""
    make_profile(store, "Marie", lang="fr")
    at = open_app("progress", profile="Marie", lang="fr")
    week = at.selectbox(key="checkin.week").value
    at.number_input(key="checkin.posts").set_value(2)
    at.text_input(key="checkin.median_response_hours").input("vingt")
    submit(at, "checkin.form")
    no_traceback(at)
    assert at.error and "vingt" in at.error[0].value
    assert store.get_checkin("Marie", week) is None  # nothing written
    at.text_input(key="checkin.median_response_hours").input("20,5")
    submit(at, "checkin.form")
    no_traceback(at)
    assert store.get_checkin("Marie", week).median_response_hours == 20.5
