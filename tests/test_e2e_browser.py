"""The whole journey in a real browser: Chromium driven by Playwright against `streamlit run`.

Switch to French, create a profile, complete the self-assessment, see the plan and
where to start, mark a step done, submit a check-in, and see the chart update.
Every request the pages make is recorded: none may go to a host other than the app's
own (the favicon used to come from Google's font servers).
Screenshots go to tests/screenshots/ (git-ignored). Without Chromium the test is
skipped, except in CI (CI=true), where a skip would hide a broken journey: it fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
SERVER_START_SECONDS = 60
STEP_TIMEOUT_MS = 20_000

pytestmark = pytest.mark.browser


def unavailable(reason: str) -> None:
    """Skip, or fail in CI: a browser test that does not run must not look green there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer on {url} within {SERVER_START_SECONDS} s")


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run coach_app.py` on a free port, on its own database."""
    port = free_port()
    env = {**os.environ, "COACH_DB": str(db)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "coach_app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
    except RuntimeError:
        process.kill()
        raise
    return process, url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    process, url = start_server(folder / "coach.db", folder / "streamlit.log")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


# ---- requests that leave the machine -----------------------------------------------------------


def leaves_the_machine(url: str) -> bool:
    """True for a URL that reaches another host; data: and blob: URLs stay in the page."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    return parts.hostname not in LOCAL_HOSTS


ICONS = """() => [...document.querySelectorAll('link[rel~="icon"]')].map(link => link.href)"""


def record_requests(page) -> list[str]:
    """Every URL the page asks for (documents, scripts, images, fonts, websockets)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda socket: seen.append(socket.url))
    return seen


def test_the_request_filter_tells_local_from_remote():
    assert leaves_the_machine("https://fonts.gstatic.com/s/i/short-term/release/badge.svg")
    assert leaves_the_machine("http://127.0.0.1.example.com/x.png")
    assert not leaves_the_machine("http://127.0.0.1:8501/_stcore/health")
    assert not leaves_the_machine("ws://localhost:8501/_stcore/stream")
    assert not leaves_the_machine("data:image/svg+xml;base64,PHN2Zz4=")


# ---- driving Streamlit ------------------------------------------------------------------------


def settle(page) -> None:
    """Wait for the rerun a click started to finish."""
    page.wait_for_timeout(250)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=STEP_TIMEOUT_MS
    )
    page.wait_for_timeout(150)


CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(chart => chart.offsetParent !== null)  // a chart hidden at this width is not drawn
    .every(chart => chart.querySelector('canvas, svg'))"""


def shot(page, name: str) -> None:
    """A full-page screenshot once the run is over and every chart is drawn."""
    settle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=STEP_TIMEOUT_MS)
    SHOTS.mkdir(exist_ok=True)
    # Streamlit scrolls inside its main block: grow the window to show the whole page
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 800), 8000)})
    page.wait_for_function(CHARTS_DRAWN, timeout=STEP_TIMEOUT_MS)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def click(page, locator) -> None:
    locator.click()
    settle(page)


def main(page):
    return page.locator('[data-testid="stMain"]')


def answer_every_choice(page) -> int:
    """Pick the first option of every unanswered radio group on screen (new ones may appear)."""
    answered = 0
    for _ in range(60):
        groups = main(page).locator('[role="radiogroup"]')
        todo = None
        for index in range(groups.count()):
            group = groups.nth(index)
            if group.locator("input:checked").count() == 0:
                todo = group
                break
        if todo is None:
            return answered
        click(page, todo.locator("label").first)
        answered += 1
    return answered


def nav(page, title: str) -> None:
    click(page, page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True))


def chart_count(page) -> int:
    return main(page).locator('[data-testid="stVegaLiteChart"]').count()


def html_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


SIDEWAYS = """() => [document.scrollingElement, document.querySelector('[data-testid="stMain"]')]
    .filter(Boolean).map(el => el.scrollWidth - el.clientWidth)"""


def scrolls_sideways(page) -> bool:
    """True when the page (or Streamlit's main block) is wider than the screen."""
    return any(extra > 1 for extra in page.evaluate(SIDEWAYS))


def serious_violations(page) -> list[str]:
    """axe-core (bundled with axe-playwright-python, injected from the local file): the
    serious and critical accessibility violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def check_page(page, lang: str, name: str) -> None:
    """What every page must hold: its language, no sideways scroll, no serious a11y issue."""
    settle(page)
    assert html_lang(page) == lang, name
    assert not scrolls_sideways(page), f"{name} scrolls sideways"
    assert not serious_violations(page), (name, serious_violations(page))


# ---- the journey ------------------------------------------------------------------------------


def test_the_whole_journey_in_french(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(locale="en-CA", viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    requests = record_requests(page)
    page.goto(server)
    settle(page)
    expect(page.get_by_text("Your digital identity, one week at a time")).to_be_visible()
    shot(page, "01-welcome-en")
    icons = page.evaluate(ICONS)  # headless Chromium may not fetch the favicon: read its link
    assert icons and all(url.startswith("data:image/svg+xml") for url in icons), icons

    assert html_lang(page) == "en"  # the browser's language
    check_page(page, "en", "welcome")

    # switch to French
    click(page, page.locator('[data-testid="stSidebar"]').get_by_text("Français", exact=True))
    expect(page.get_by_text("Votre identité numérique, une semaine à la fois")).to_be_visible()
    shot(page, "02-accueil-fr")
    check_page(page, "fr", "accueil")

    # create a profile: it opens the self-assessment
    main(page).get_by_label("Votre nom (ou celui de la personne que vous accompagnez)").fill(
        "Marie Tremblay"
    )
    click(page, main(page).get_by_role("button", name="Créer le profil"))
    expect(main(page).get_by_role("heading", name="Autoévaluation")).to_be_visible()

    # complete the self-assessment, one dimension at a time
    answered = 0
    for _ in range(20):
        answered += answer_every_choice(page)
        review = main(page).get_by_role("button", name="Relire mes réponses")
        if review.count():
            shot(page, "03-auto-evaluation-fr")
            click(page, review)
            break
        click(page, main(page).get_by_role("button", name="Suivant"))
    assert answered >= 10
    expect(main(page).get_by_text("Relire avant de soumettre")).to_be_visible()
    click(page, main(page).get_by_role("button", name="Soumettre et voir mes résultats"))
    expect(main(page).get_by_role("heading", name="Résultats")).to_be_visible()
    expect(main(page).get_by_text("Score par domaine")).to_be_visible()
    shot(page, "04-resultats-fr")
    check_page(page, "fr", "résultats")

    # the next action is the first button: the plan
    click(page, main(page).get_by_role("button", name="Voir mon plan"))
    expect(main(page).get_by_role("heading", name="Par où commencer").first).to_be_visible()
    expect(main(page).get_by_text("Pour démarrer en 15 minutes :").first).to_be_visible()
    shot(page, "05-plan-fr")
    check_page(page, "fr", "plan")

    # one click marks this week's step done, and a toast says so where the manager looks
    click(page, main(page).locator('[class*="st-key-plan"][class*="week"] button').first)
    toast = page.locator('[data-testid="stToast"]')
    expect(toast.filter(has_text="c’est fait")).to_be_visible()
    expect(main(page).get_by_text("Terminée").first).to_be_visible()  # its badge says so
    shot(page, "06-plan-etape-faite-fr")

    # a check-in, and the chart that follows it
    nav(page, "Suivi")
    expect(main(page).get_by_text("Bilan de la semaine")).to_be_visible()
    settle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=STEP_TIMEOUT_MS)
    before = chart_count(page)
    form = main(page).locator('[data-testid="stForm"]').first
    for label, value in (
        ("Publications", "3"),
        ("Commentaires et messages reçus", "10"),
        ("Réponses envoyées", "8"),
        ("Délai de réponse médian (h)", "6"),
    ):
        role = "textbox" if label.startswith("Délai") else "spinbutton"  # decimals: text
        form.get_by_role(role, name=label, exact=True).fill(value)
    # Streamlit's English-only "Press Enter to submit form" is not shown on a French page
    expect(page.locator('[data-testid="InputInstructions"]:visible')).to_have_count(0)
    click(page, form.get_by_role("button", name="Enregistrer le bilan"))
    expect(main(page).get_by_text("Bilan enregistré pour la semaine du")).to_be_visible()
    # one check-in: the page says when the weekly charts will appear instead of one dot
    expect(main(page).get_by_text("encore 2 bilans")).to_be_visible()
    # counted once the rerun is over (a busy machine may still be redrawing the page)
    expect(main(page).locator('[data-testid="stVegaLiteChart"]')).to_have_count(before)
    shot(page, "07-suivi-fr")
    check_page(page, "fr", "suivi")

    # the board pack: a preview and one download per format
    nav(page, "Rapport au CA")
    expect(main(page).get_by_text("Aperçu")).to_be_visible()
    expect(main(page).get_by_role("button", name="PDF")).to_be_visible()
    expect(main(page).get_by_role("button", name="PowerPoint")).to_be_visible()
    shot(page, "08-rapport-ca-fr")
    check_page(page, "fr", "rapport au CA")
    for title, name in (
        ("Portefeuille", "portefeuille"),
        ("Autoévaluation", "autoévaluation"),
        ("Avant de publier", "avant de publier"),
        ("Paramètres", "paramètres"),
    ):
        nav(page, title)
        check_page(page, "fr", name)
    nav(page, "Rapport au CA")

    # the same pages read well in English
    click(page, page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True))
    expect(main(page).get_by_text("Preview", exact=True)).to_be_visible()
    shot(page, "09-board-pack-en")
    check_page(page, "en", "board pack")
    nav(page, "Progress")
    expect(main(page).get_by_text("Weekly check-in")).to_be_visible()
    shot(page, "10-progress-en")
    nav(page, "Home")
    expect(main(page).get_by_text("Where to start")).to_be_visible()
    shot(page, "11-home-en")
    check_page(page, "en", "home")
    requests.extend(page.evaluate(ICONS))
    page.close()
    assert len(requests) > 20  # the recorder saw the journey
    outside = sorted({url for url in requests if leaves_the_machine(url)})
    assert not outside, f"requests that left the machine: {outside}"


def test_without_a_browser_ci_fails_instead_of_skipping(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI"):
        unavailable("no chromium")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        unavailable("no chromium")


# ---- every page on a phone and on a desktop, in both languages -----------------------------------

PAGES = {  # url path -> the title a manager reads, by interface language
    "": {"fr": "Bonjour", "en": "Hello"},
    "portfolio": {"fr": "Portefeuille", "en": "Portfolio"},
    "assessment": {"fr": "Autoévaluation", "en": "Self-assessment"},
    "results": {"fr": "Résultats", "en": "Results"},
    "plan": {"fr": "Votre plan", "en": "Your plan"},
    "progress": {"fr": "Suivi", "en": "Progress"},
    "review": {"fr": "Avant de publier", "en": "Before you post"},
    "board_pack": {"fr": "Rapport au CA", "en": "Board pack"},
    "settings": {"fr": "Paramètres", "en": "Settings"},
}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A server whose database holds the demo, made in French."""
    folder = tmp_path_factory.mktemp("e2e-demo")
    db = folder / "coach.db"
    from coach import service
    from coach.store import Store

    store = Store(str(db))
    service.create_demo(store, "fr")
    process, url = start_server(db, folder / "streamlit.log")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_at_desktop_and_phone_width(demo_server, browser, lang, width):
    from playwright.sync_api import expect

    # the browser's language decides, not the profile's (the demo's is French)
    page = browser.new_page(locale=f"{lang}-CA", viewport={"width": width, "height": 900})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    requests = record_requests(page)
    for path, titles in PAGES.items():
        page.goto(f"{demo_server}/{path}")
        settle(page)
        expect(main(page).get_by_role("heading", level=1).first).to_contain_text(titles[lang])
        check_page(page, lang, path or "home")
        if path == "plan":
            timeline = main(page).locator('[class*="st-key-wide-timeline"]')
            by_month = main(page).locator('[class*="st-key-narrow-timeline"]')
            # a phone reads the plan as a list by month; a desktop sees the timeline
            expect(by_month if width < 700 else timeline).to_be_visible()
            expect(timeline if width < 700 else by_month).to_be_hidden()
        shot(page, f"20-{path or 'home'}-{lang}-{width}")
    page.close()
    outside = sorted({url for url in requests if leaves_the_machine(url)})
    assert not outside, f"requests that left the machine: {outside}"


# ---- data is never Markdown: a hostile name fetches nothing ------------------------------------

HOSTILE = "![x](http://127.0.0.1:8799/name.png)"


def test_a_profile_named_like_an_image_fetches_nothing(tmp_path, browser):
    from playwright.sync_api import expect

    from coach import service
    from coach.store import Store

    db = tmp_path / "coach.db"
    store = Store(str(db))
    service.create_profile(store, HOSTILE, language="en")
    process, url = start_server(db, tmp_path / "streamlit.log")
    try:
        page = browser.new_page(locale="en-CA", viewport={"width": 1200, "height": 900})
        page.set_default_timeout(STEP_TIMEOUT_MS)
        requests = record_requests(page)
        for path in ("", "portfolio", "settings"):
            page.goto(f"{url}/{path}")
            settle(page)
        # the name shows as typed, and nothing asked the address it names
        page.goto(url)
        settle(page)
        expect(main(page).get_by_role("heading", level=1)).to_contain_text(HOSTILE)
        assert main(page).locator("img").count() == 0
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not [r for r in requests if ":8799" in r or "name.png" in r]
