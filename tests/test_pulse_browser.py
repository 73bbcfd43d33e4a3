"""The employees' side in a real browser at 390 px (a phone): Chromium driven by Playwright.

An employee opens the pulse link, answers and sends; another sends a question,
signed. The manager's Team pulse page shows nothing until the fifth answer, then
the score. The employee pages show nothing of the app around them (no sidebar,
no navigation). Skipped without Chromium, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from coach import clock, service
from coach.store import Store
from tests.test_e2e_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    STEP_TIMEOUT_MS,
    start_server,
    unavailable,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SCALES = ("reach", "relevance", "trust", "listening", "recommend")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    folder = tmp_path_factory.mktemp("pulse-browser")
    db = folder / "coach.db"
    with Store(db) as store:
        store.create_profile(
            "Marie", language="en", start_date=clock.today_in("UTC") - timedelta(days=30)
        )
    process, url = start_server(db, folder / "streamlit.log")
    try:
        with sync_playwright() as driver:
            chromium = driver.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield url, db, chromium
            chromium.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def phone(chromium):
    context = chromium.new_context(viewport=PHONE, locale="en-CA", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    return context, page


def answer_in_browser(page, url: str, token: str, comment: str) -> None:
    page.goto(f"{url}/?pulse={token}")
    page.get_by_text("How do you see Marie?").wait_for()
    page.get_by_role("button", name="Send my answers").wait_for()
    groups = page.locator("[data-testid=stRadio]")
    groups.nth(len(SCALES) - 1).wait_for()
    assert groups.count() == len(SCALES)
    for n in range(len(SCALES)):
        groups.nth(n).get_by_text("Agree", exact=True).click()
    page.get_by_role("textbox").fill(comment)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Thank you! Your answer is saved").wait_for()


def manager_view(page, url: str, waiting_for: str) -> str:
    """The manager's Team pulse page once `waiting_for` and the page's last part are drawn."""
    page.goto(f"{url}/pulse")
    page.get_by_text(waiting_for).first.wait_for()
    page.get_by_text("Import a forms export").wait_for()
    return page.locator("[data-testid=stMain]").inner_text()


def test_an_employee_answers_and_asks_and_the_manager_sees_results_from_the_fifth(setup):
    url, db, chromium = setup
    with Store(db) as store:
        pulse = service.open_pulse(store, "Marie", 14, url + "/")
        inbox = service.open_inbox_link(store, "Marie", url + "/")
    context, page = phone(chromium)
    try:
        answer_in_browser(page, url, pulse.token, "Monthly team breakfasts, please.")
        # nothing of the app around the employee's page
        assert page.locator("[data-testid=stSidebar]").count() == 0
        assert page.get_by_text("Board pack").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(db.parent / "pulse-390.png"), full_page=True)

        page.goto(f"{url}/?ask={inbox.token}")
        page.get_by_text("Ask Marie a question").wait_for()
        page.get_by_label("Your question").fill("Will we hire in Québec City next year?")
        page.get_by_text("Sign my question").click()
        page.get_by_label("Your name, as Marie will see it").fill("Léa")
        page.get_by_role("button", name="Send my question").click()
        page.get_by_text("Thank you! Your question was sent to Marie.").wait_for()

        manager = context.new_page()
        manager.set_default_timeout(STEP_TIMEOUT_MS)
        text = manager_view(manager, url, "1 answer received")
        assert "1 answer received; results show from 5 answers" in text
        assert "Pulse score" not in text and "Monthly team breakfasts" not in text
        with Store(db) as store:
            for _ in range(3):
                service.submit_pulse(store, pulse.token, dict.fromkeys(SCALES, 2))
        text = manager_view(manager, url, "4 answers received")
        assert "4 answers received; results show from 5 answers" in text
        assert "Pulse score" not in text and "Monthly team breakfasts" not in text

        answer_in_browser(page, url, pulse.token, "Clearer priorities.")
        text = manager_view(manager, url, "Results count 5 of 5 answers.")
        manager.get_by_text("Pulse score").first.wait_for()
        text = manager.locator("[data-testid=stMain]").inner_text()
        assert "Pulse score" in text and "Results count 5 of 5 answers." in text
        assert "Monthly team breakfasts, please." in text and "Clearer priorities." in text

        manager.goto(f"{url}/inbox")
        manager.get_by_text("Will we hire in Québec City next year?").wait_for()
        assert "Signed: Léa" in manager.locator("[data-testid=stMain]").inner_text()
    finally:
        context.close()
