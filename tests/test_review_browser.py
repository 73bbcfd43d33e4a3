"""Before you post in a real browser: the menu entry, a risky draft, the verdict, and nothing fetched.

Then a profile's own "never say" list blocks a draft, which is saved, re-opened, changed and
saved as it stands in the editor, then deleted after a confirmation. On a phone, the verdict
shows right under the button.
Uses the browser journey's server and Chromium fixtures (tests/test_e2e_browser.py): skipped
without Chromium, except in CI, where a skip fails the run.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.test_e2e_browser import (  # noqa: F401  (fixtures used by name)
    SHOTS,
    STEP_TIMEOUT_MS,
    browser,
    main,
    nav,
    server,
    settle,
    start_server,
)

pytestmark = pytest.mark.browser

DRAFT = (
    "We are thrilled to announce our results this quarter! Write to jane.doe@example.com.\n"
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
    review_button = main(page).locator('[data-testid="stFormSubmitButton"] button')
    review_button.click()
    settle(page)
    verdict = main(page).get_by_text("Do not post this as it stands.")
    expect(verdict).to_be_visible()
    # the verdict comes right after the button, before anything else (a phone included)
    below = verdict.bounding_box()["y"] - review_button.bounding_box()["y"]
    assert 0 < below < 200, below
    first_card = main(page).get_by_text("Do not post", exact=True).first
    assert first_card.bounding_box()["y"] - review_button.bounding_box()["y"] < 1600
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


# ---- what a profile keeps: its never-say list and a saved draft ------------------------------------

KEEP = {
    "en": {
        "title": "Before you post",
        "add": "Add to the list",
        "block": "Do not post this as it stands.",
        "save": "Save the draft to my profile",
        "new": "Start a new draft",
        "open": "Open",
        "delete": "Delete",
        "confirm": "Confirm delete",
        "save_changes": "Save the changes to this draft",
        "ready": "Ready to post.",
        "changed": "Thanks to Priya and the support team. What would you add?",
        "none": "No draft saved yet: nothing is kept unless you save it.",
        "draft": "Our team starts Project Heron next month. Thanks to Priya! What would you ask?",
    },
    "fr": {
        "title": "Avant de publier",
        "add": "Ajouter à la liste",
        "block": "À ne pas publier tel quel.",
        "save": "Enregistrer le brouillon dans mon profil",
        "new": "Commencer un nouveau brouillon",
        "open": "Ouvrir",
        "delete": "Supprimer",
        "confirm": "Confirmer la suppression",
        "save_changes": "Enregistrer les modifications de ce brouillon",
        "ready": "Prêt à publier.",
        "changed": "Merci à Priya et à l’équipe du soutien. Qu’ajouteriez-vous ?",
        "none": "Aucun brouillon enregistré : rien n’est gardé à moins que vous ne l’enregistriez.",
        "draft": "Notre équipe lance le projet Héron le mois prochain. Merci à Priya ! Des questions ?",
    },
}


@pytest.fixture(scope="module")
def profile_server(tmp_path_factory):
    """A server whose database holds one profile per language, nothing else."""
    from coach import service
    from coach.store import Store

    folder = tmp_path_factory.mktemp("e2e-drafts")
    db = folder / "coach.db"
    with Store(str(db)) as store:
        ids = {
            lang: service.create_profile(store, f"Marie {lang}", language=lang).id for lang in KEEP
        }
    process, url = start_server(db, folder / "streamlit.log")
    yield url, ids, db
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.parametrize(("lang", "width"), [("en", 1440), ("fr", 390)])
def test_a_phrase_on_the_list_blocks_the_draft_which_is_saved_reopened_and_deleted(
    profile_server,
    browser,  # noqa: F811
    lang,
    width,
):
    from playwright.sync_api import expect

    from coach.store import Store

    url, ids, db = profile_server
    words = KEEP[lang]
    page = browser.new_page(locale=f"{lang}-CA", viewport={"width": width, "height": 1000})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(f"{url}/review?profile={ids[lang]}")
    settle(page)
    expect(main(page).get_by_role("heading", name=words["title"])).to_be_visible()
    expect(main(page).get_by_text(words["none"])).to_be_visible()
    # the profile's own list: one phrase, typed as it comes to mind
    boxes = main(page).locator("textarea")
    boxes.nth(1).fill("projet heron" if lang == "fr" else "project heron")
    main(page).get_by_role("button", name=words["add"]).click()
    settle(page)
    boxes.first.fill(words["draft"])
    main(page).locator('[data-testid="stFormSubmitButton"] button').first.click()
    settle(page)
    expect(main(page).get_by_text(words["block"])).to_be_visible()
    assert any(
        "projet Héron" in m or "Project Heron" in m
        for m in main(page).locator("mark").all_inner_texts()
    )
    with Store(str(db)) as store:
        assert store.post_drafts(ids[lang]) == []  # reviewed, not kept
    main(page).get_by_role("button", name=words["save"]).click()
    settle(page)
    with Store(str(db)) as store:
        [saved] = store.post_drafts(ids[lang])
    assert (saved.text, saved.verdict) == (words["draft"], "block")
    # a blank editor, then the saved draft back into it
    main(page).get_by_role("button", name=words["new"]).click()
    settle(page)
    assert boxes.first.input_value() == ""
    main(page).get_by_role("button", name=words["open"], exact=True).click()
    settle(page)
    assert boxes.first.input_value() == words["draft"]
    # opened from the list at the bottom, the page shows its editor again
    expect(boxes.first).to_be_in_viewport()
    expect(main(page).get_by_text(words["block"])).to_be_visible()
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert overflow <= width + 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"review-saved-{lang}-{width}.png"), full_page=True)
    # changed in the editor, saved straight away: the text saved is the one in the editor
    boxes.first.fill(words["changed"])
    main(page).get_by_role("button", name=words["save_changes"]).click()
    settle(page)
    with Store(str(db)) as store:
        [saved] = store.post_drafts(ids[lang])
    assert (saved.text, saved.verdict, saved.version) == (words["changed"], "ok", 2)
    expect(main(page).get_by_text(words["ready"])).to_be_visible()
    main(page).get_by_role("button", name=words["delete"], exact=True).click()
    settle(page)
    with Store(str(db)) as store:
        assert len(store.post_drafts(ids[lang])) == 1  # not before the confirmation
    main(page).get_by_role("button", name=words["confirm"]).click()
    settle(page)
    expect(main(page).get_by_text(words["none"])).to_be_visible()
    with Store(str(db)) as store:
        assert store.post_drafts(ids[lang]) == []
        assert len(store.never_say(ids[lang])) == 1
    page.close()


def test_switching_profile_empties_the_editor_in_the_browser(profile_server, browser):  # noqa: F811
    """A draft typed under one executive never shows under another (the browser keeps a
    widget's text unless the page tells it otherwise)."""
    url, ids, _db = profile_server
    page = browser.new_page(locale="en-CA", viewport={"width": 1440, "height": 900})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(f"{url}/review?profile={ids['en']}")
    settle(page)
    main(page).locator("textarea").first.fill("Confidential: Project Heron starts in May.")
    main(page).locator('[data-testid="stFormSubmitButton"] button').first.click()
    settle(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Marie fr").click()
    settle(page)
    assert main(page).locator("textarea").first.input_value() == ""
    assert "Project Heron" not in main(page).inner_text()
    page.close()
