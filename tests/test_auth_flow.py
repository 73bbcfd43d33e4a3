"""Sign-in through a real OpenID Connect provider, in a real browser, for two users.

The test starts oidc-provider-mock on localhost, writes the `[auth]` section of
`secrets.toml` for a Streamlit server it starts, and drives Chromium through the
real redirects: app -> /auth/login -> provider -> /oauth2callback -> app. Each
user, in a browser of their own, sees their own issuer, subject and e-mail, never
the other's. Without Chromium, Playwright or the provider the test is skipped,
except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import contextlib
import os

import pytest

from tests import oidc

pytestmark = [
    pytest.mark.browser,
    # The provider runs in this process; its Authlib deprecation notices are not ours.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib.*"),
    pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning"),
]

APP = oidc.Path(__file__).resolve().parent / "fixtures" / "auth" / "app.py"
ALICE = oidc.Person(sub="alice-7f3a", email="alice@example.com", name="Alice Tremblay")
BRUNO = oidc.Person(sub="bruno-51c2", email="bruno@example.com", name="Bruno Gagnon")


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"sign-in test cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    if not oidc.CHROMIUM.exists():
        unavailable(f"{oidc.CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(oidc.CHROMIUM), args=oidc.CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory):
    """The provider and a Streamlit server configured to sign in with it."""
    try:
        import authlib  # noqa: F401  (st.login needs it)
        import oidc_provider_mock  # noqa: F401
    except ImportError as missing:
        unavailable(f"{missing.name} is not installed (pip install -r requirements-dev.txt)")
    folder = tmp_path_factory.mktemp("auth")
    port = oidc.free_port()
    app_url = f"http://127.0.0.1:{port}"
    with oidc.provider([ALICE, BRUNO]) as issuer:
        oidc.write_secrets(
            folder, app_url=app_url, issuer=issuer, cookie_secret=oidc.new_cookie_secret()
        )
        with oidc.app_server(APP, folder, port) as url:
            yield url, issuer


def shown_claims(page) -> dict[str, str]:
    lines = page.get_by_test_id("stText").all_inner_texts()
    return dict(line.split(": ", 1) for line in lines)


def test_each_user_signs_in_through_the_provider_and_sees_only_themselves(chromium, signed_app):
    app_url, issuer = signed_app
    alice_browser = chromium.new_context()
    bruno_browser = chromium.new_context()
    try:
        alice = alice_browser.new_page()
        alice.goto(app_url)
        oidc.settle(alice)
        assert alice.get_by_text("Not signed in.").is_visible()
        assert shown_claims(alice) == {}

        oidc.sign_in(alice, app_url, ALICE.sub)
        assert shown_claims(alice) == {
            "iss": issuer,
            "sub": ALICE.sub,
            "email": ALICE.email,
            "name": ALICE.name,
        }

        bruno = bruno_browser.new_page()
        oidc.sign_in(bruno, app_url, BRUNO.sub)
        assert shown_claims(bruno) == {
            "iss": issuer,
            "sub": BRUNO.sub,
            "email": BRUNO.email,
            "name": BRUNO.name,
        }

        # Bruno signing in changed nothing for Alice: a fresh page load is still her.
        alice.reload()
        oidc.settle(alice)
        assert shown_claims(alice)["sub"] == ALICE.sub
        assert BRUNO.email not in alice.content()
    finally:
        alice_browser.close()
        bruno_browser.close()


def test_a_cookie_signed_with_another_secret_is_not_a_sign_in(chromium, signed_app):
    """A forged or foreign `_streamlit_user` cookie does not make anyone signed in."""
    app_url, _ = signed_app
    context = chromium.new_context()
    try:
        context.add_cookies(
            [
                {
                    "name": "_streamlit_user",
                    "value": '{"sub": "mallory", "is_logged_in": true}',
                    "url": app_url,
                }
            ]
        )
        page = context.new_page()
        page.goto(app_url)
        oidc.settle(page)
        assert page.get_by_text("Not signed in.").is_visible()
        assert "mallory" not in page.content()
    finally:
        context.close()


def test_a_sign_in_holds_on_another_server_only_with_the_same_cookie_secret(chromium, tmp_path):
    """Replicas behind one public URL: the identity cookie is valid wherever the secret is shared.

    One server signs Alice in and stops; a second server takes the same public
    address. With the same cookie secret she is still signed in; with a secret
    of its own she is a stranger (the deployment pitfall this guards against).
    """
    try:
        import oidc_provider_mock  # noqa: F401
    except ImportError:
        unavailable("oidc-provider-mock is not installed (pip install -r requirements-dev.txt)")
    port = oidc.free_port()
    app_url = f"http://127.0.0.1:{port}"
    shared = oidc.new_cookie_secret()
    context = chromium.new_context()
    try:
        page = context.new_page()
        with oidc.provider([ALICE]) as issuer:
            servers = {}
            for name, secret in (("first", shared), ("same", shared), ("other", None)):
                folder = tmp_path / name
                oidc.write_secrets(
                    folder,
                    app_url=app_url,
                    issuer=issuer,
                    cookie_secret=secret or oidc.new_cookie_secret(),
                )
                servers[name] = folder

            with oidc.app_server(APP, servers["first"], port):
                oidc.sign_in(page, app_url, ALICE.sub)
                assert shown_claims(page)["sub"] == ALICE.sub

            with oidc.app_server(APP, servers["same"], port):
                page.goto(app_url)
                oidc.settle(page)
                assert shown_claims(page)["sub"] == ALICE.sub

            with oidc.app_server(APP, servers["other"], port):
                page.goto(app_url)
                oidc.settle(page)
                assert page.get_by_text("Not signed in.").is_visible()
                assert shown_claims(page) == {}
    finally:
        context.close()


# ---- the real app: who sees which profile, two servers on one database -------------------------

COACH_APP = oidc.Path(__file__).resolve().parents[1] / "coach_app.py"
CLAIRE = oidc.Person(sub="claire-90d1", email="claire@example.com", name="Claire Roy")
ERIN = oidc.Person(sub="erin-0b44", email="erin@example.com", name="Erin Stranger")


def company_database(url: str, issuer: str) -> None:
    """acme: Alice and Bruno manage their own profile, Claire coaches Alice; Erin is nobody."""
    from coach import service
    from coach.store import Store

    with Store(url) as store:
        org = store.ensure_organisation("acme", "Acme")
        for person, role in ((ALICE, "manager"), (BRUNO, "manager"), (CLAIRE, "coach")):
            uid = store.upsert_user(issuer, person.sub, person.email, person.name)
            store.set_role(org, uid, role, True, None)
        for person, profile in ((ALICE, "Alice Tremblay"), (BRUNO, "Bruno Gagnon")):
            claims = {"iss": issuer, "sub": person.sub, "email": person.email}
            mine = service.for_user(store, service.sign_in(store, claims))
            service.create_profile(mine, profile, language="en")
        admin = store.upsert_user(issuer, "admin", "", "")
        store.set_role(org, admin, "admin", True, None)
        boss = service.for_user(store, service.sign_in(store, {"iss": issuer, "sub": "admin"}))
        service.assign_coach(boss, "Alice Tremblay", f"{issuer}#{CLAIRE.sub}")


def profile_options(page) -> list[str]:
    """The profiles the sidebar offers, read from its open list."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return [o.strip() for o in options]


@pytest.fixture(scope="module")
def company_app(tmp_path_factory):
    """Two app servers on one database, signing in with one provider (as behind a proxy)."""
    try:
        import authlib  # noqa: F401
        import oidc_provider_mock  # noqa: F401
    except ImportError as missing:
        unavailable(f"{missing.name} is not installed (pip install -r requirements-dev.txt)")
    from tests import dbs

    url = dbs.pg_url()
    if url is None:  # the same flow on a SQLite file; CI has PostgreSQL
        if os.environ.get("CI") == "true":
            pytest.fail("the two-server test needs COACH_TEST_PG_URL in CI")
        database = str(tmp_path_factory.mktemp("db") / "company.db")
        drop = None
    else:
        import uuid

        import psycopg

        schema = f"t_{uuid.uuid4().hex[:16]}"
        plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
        database = dbs.with_search_path(url, schema)
        drop = (plain, schema)
    secret = oidc.new_cookie_secret()
    try:
        with oidc.provider([ALICE, BRUNO, CLAIRE, ERIN]) as issuer:
            company_database(database, issuer)
            urls = []
            with contextlib.ExitStack() as stack:
                for name in ("one", "two"):
                    folder = tmp_path_factory.mktemp(f"server-{name}")
                    port = oidc.free_port()
                    oidc.write_secrets(
                        folder,
                        app_url=f"http://127.0.0.1:{port}",
                        issuer=issuer,
                        cookie_secret=secret,
                    )
                    env = {"COACH_DB": database, "COACH_LANG": "en"}
                    urls.append(stack.enter_context(oidc.app_server(COACH_APP, folder, port, env)))
                yield urls
    finally:
        if drop is not None:
            import psycopg

            with psycopg.connect(drop[0], autocommit=True) as admin:
                admin.execute(f'DROP SCHEMA "{drop[1]}" CASCADE')


def test_on_the_real_app_each_person_sees_only_their_profiles(chromium, company_app):
    one, _two = company_app
    seen = {}
    for person in (ALICE, BRUNO, CLAIRE):
        context = chromium.new_context(locale="en-CA")
        try:
            page = context.new_page()
            oidc.sign_in(page, one, person.sub)
            seen[person.sub] = profile_options(page)
            page.screenshot(path=f"/tmp/rollout2/app-{person.sub}.png", full_page=True)
            other = "Bruno Gagnon" if person is not BRUNO else "Alice Tremblay"
            assert other not in page.content()
        finally:
            context.close()
    assert seen == {
        ALICE.sub: ["Alice Tremblay"],
        BRUNO.sub: ["Bruno Gagnon"],
        CLAIRE.sub: ["Alice Tremblay"],
    }


def test_on_the_real_app_a_stranger_gets_a_sentence_not_a_profile(chromium, company_app):
    one, _two = company_app
    context = chromium.new_context(locale="en-CA")
    try:
        page = context.new_page()
        oidc.sign_in(page, one, ERIN.sub)
        text = page.get_by_test_id("stAlert").inner_text()
        assert "not a member of this coach yet" in text and ERIN.sub in text
        assert "Alice" not in page.content() and "Bruno" not in page.content()
        assert page.get_by_role("button", name="Sign out").is_visible()
        assert not page.get_by_test_id("stSidebarNav").is_visible()
        page.screenshot(path="/tmp/rollout2/app-stranger.png", full_page=True)
    finally:
        context.close()


def test_a_change_made_through_one_server_is_seen_through_the_other(chromium, company_app):
    one, two = company_app
    context = chromium.new_context(locale="en-CA")
    try:
        page = context.new_page()
        oidc.sign_in(page, one, ALICE.sub)
        assert "Self-assessment" in page.get_by_test_id("stSidebarNav").inner_text()
        # Her reports' language is saved on her profile (the interface language is the
        # person's, issue 13): Settings, "Report language for this profile", French.
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Settings").click()
        oidc.settle(page)
        report_language = {"name": "Report language for this profile", "exact": True}
        field = page.get_by_test_id("stMain").get_by_role("combobox", **report_language)
        field.click()
        field.fill("Fran")
        page.keyboard.press("Enter")
        oidc.settle(page)
        page.get_by_test_id("stMain").get_by_role("button", name="Save").click()
        oidc.settle(page)
        assert page.get_by_text("Preferences saved.").is_visible()
        elsewhere = context.new_page()
        oidc.sign_in(elsewhere, two, ALICE.sub)
        # The other server reads her profile from the shared database: reports in French.
        elsewhere.get_by_test_id("stSidebarNav").get_by_role("link", name="Settings").click()
        oidc.settle(elsewhere)
        report = elsewhere.get_by_test_id("stMain").get_by_role("combobox", **report_language)
        assert report.input_value() == "Français"
    finally:
        context.close()
