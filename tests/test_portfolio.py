"""The portfolio: every executive an advisor coaches, at a glance (service and page)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import time_machine

from coach import service
from coach.checkin import CheckIn
from tests.ui_kit import make_profile, no_traceback, open_app, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures

FROZEN = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _three(store):
    """Marie: a plan three weeks in, one step late, checked in last week. Paul: just created.
    Zoé: a plan, no check-in for five weeks."""
    make_profile(store, "Marie", start_date=date(2026, 11, 10))
    store.save_checkins("Marie", [CheckIn(week="2026-W48", posts=0, received=4, replies=1)])
    make_profile(store, "Paul", plan=False)
    make_profile(store, "Zoé", lang="fr", start_date=date(2026, 12, 7))
    store.save_checkins("Zoé", [CheckIn(week="2026-W44", posts=2, received=2, replies=2)])


def test_one_row_per_profile_from_the_service(store, playbooks):
    with time_machine.travel(FROZEN, tick=False):
        _three(store)
        rows = service.portfolio(store, "en", date(2026, 12, 1), playbook=lambda p: None)
    assert [r.name for r in rows] == ["Marie", "Paul", "Zoé"]
    marie, paul, zoe = rows
    assert (marie.last_checkin, marie.weeks_since_checkin, marie.late_steps) == ("2026-W48", 1, 1)
    assert marie.level == 2 and marie.has_plan
    assert (paul.last_checkin, paul.level, paul.has_plan, paul.trend) == (
        None,
        None,
        False,
        "no_data",
    )
    assert (zoe.weeks_since_checkin, zoe.late_steps) == (5, 0)


def test_the_page_sorts_filters_and_exports(store):
    with time_machine.travel(FROZEN, tick=False):
        _three(store)
        at = open_app("portfolio", profile="Paul")
        no_traceback(at)
        assert at.title[0].value == "Portfolio"
        table = at.dataframe[0].value
        # what needs attention first: Marie's late step, then Zoé's five silent weeks
        assert list(table["Name"]) == ["Marie", "Zoé", "Paul"]
        assert list(table["Late steps"]) == [1, 0, 0]
        assert list(table["Last check-in"])[2] == "Never"
        at.selectbox(key="portfolio.sort").set_value("name").run()
        assert list(at.dataframe[0].value["Name"]) == ["Marie", "Paul", "Zoé"]
        at.toggle(key="portfolio.attention").set_value(True).run()
        assert list(at.dataframe[0].value["Name"]) == ["Marie", "Zoé"]
        at.text_input(key="portfolio.search").input("zo").run()
        assert list(at.dataframe[0].value["Name"]) == ["Zoé"]
        assert "1 profile shown of 3" in texts(at)
        [download] = at.get("download_button")
    no_traceback(at)
    assert download.proto.label == "Download as CSV"


def test_the_csv_keeps_accents_and_defuses_formulas(store):
    from coach.ui import portfolio

    data = portfolio.to_csv(
        [{"Name": '=HYPERLINK("x")', "Level": "2 of 5"}, {"Name": "Zoé", "Level": "—"}]
    )
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["Name"].startswith("'=") and rows[1]["Name"] == "Zoé"


def test_opening_a_profile_from_the_portfolio(store):
    with time_machine.travel(FROZEN, tick=False):
        _three(store)
        at = open_app("portfolio", profile="Paul", lang="fr")
        zoe = store.get_profile("Zoé")
        at.selectbox(key="portfolio.pick").set_value(zoe.id)
        at = at.button(key="portfolio.open").click().run()
    no_traceback(at)
    assert at.title[0].value == "Bonjour, Zoé"


def test_an_empty_portfolio_offers_a_new_profile(store):
    at = open_app("portfolio", lang="fr")
    no_traceback(at)
    assert at.title[0].value == "Portefeuille"
    assert any(b.label == "Nouveau profil" and b.proto.type == "primary" for b in at.button)
