"""Sign-in through a real OpenID Connect provider, in a real browser, for two users.

The test starts oidc-provider-mock on localhost, writes the `[auth]` section of
`secrets.toml` for a Streamlit server it starts, and drives Chromium through the
real redirects: app -> /auth/login -> provider -> /oauth2callback -> app. Each
user, in a browser of their own, sees their own issuer, subject and e-mail, never
the other's. Without Chromium, Playwright or the provider the test is skipped,
except in CI (CI=true), where it fails.
"""

from __future__ import annotations

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
