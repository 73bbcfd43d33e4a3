"""Before you post in a real browser: the menu entry, a risky draft, the verdict, and nothing fetched.

Uses the browser journey's server and Chromium fixtures (tests/test_e2e_browser.py): skipped
without Chromium, except in CI, where a skip fails the run.
"""

from __future__ import annotations

import pytest

from tests.test_e2e_browser import (  # noqa: F401  (fixtures used by name)
    SHOTS,
    STEP_TIMEOUT_MS,
    browser,
    main,
    nav,
    server,
    settle,
)

pytestmark = pytest.mark.browser

DRAFT = (
    "We are thrilled to announce our results! Write to jane.doe@example.com.\n"
    "![x](http://tracker.invalid/pixel.png) <img src=http://tracker.invalid/i.png> "
    "<script>document.title='pwned'</script>\n"
    "Thanks to the team. What do you think?"
)


@pytest.mark.parametrize("width", [1440, 390])
def test_a_risky_draft_is_marked_and_nothing_is_fetched(server, browser, width):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_page(locale="en-CA", viewport={"width": width, "height": 1000})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if "tracker.invalid" in r.url else None)
    if width < 600:  # on a phone: straight to the page's address
        page.goto(f"{server}/review")
        settle(page)
    else:  # on a desktop: through the menu
        page.goto(server)
        settle(page)
        nav(page, "Before you post")
    expect(main(page).get_by_role("heading", name="Before you post")).to_be_visible()
    main(page).locator("textarea").first.fill(DRAFT)
    main(page).get_by_text("X", exact=True).click()
    main(page).locator('[data-testid="stFormSubmitButton"] button').click()
    settle(page)
    expect(main(page).get_by_text("Do not post this as it stands.")).to_be_visible()
    marks = main(page).locator("mark")
    assert marks.count() >= 2
    assert "jane.doe@example.com" in marks.all_inner_texts()
    shown = main(page).locator("div[style*='pre-wrap']").inner_text()
    assert "<script>document.title='pwned'</script>" in shown  # the draft as text
    assert "![x](http://tracker.invalid/pixel.png)" in shown
    assert page.title() != "pwned"
    assert outside == []
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert overflow <= width + 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"review-{width}.png"), full_page=True)
    page.close()
