"""A real OpenID Connect sign-in for tests: a local provider, a Streamlit server, a browser.

- `provider(users)` starts oidc-provider-mock (a small OpenID provider built on
  Authlib, from PyPI) on a free 127.0.0.1 port, in this process, with the given
  predefined users. Its sign-in page lists them as buttons; choosing one sends
  the browser back to the app with an authorisation code, exactly as a company's
  identity provider would.
- `write_secrets(folder, ...)` writes `folder/.streamlit/secrets.toml` with the
  `[auth]` section Streamlit's `st.login` reads. The redirect URI is the app's
  public URL + `/oauth2callback` (Streamlit serves the callback at
  `<server.baseUrlPath>/oauth2callback` and compares the cookie's origin, taken
  from this URI, with the browser's origin), so the browser must open the app at
  that same scheme, host and port.
- `app_server(script, folder, port)` runs `streamlit run script` with `folder`
  as working directory (where Streamlit looks for `.streamlit/secrets.toml`) and
  HOME, so no secrets file of the machine's user can leak in.
- `sign_in(page, app_url, subject)` follows the real redirects: the app's sign-in
  button, the provider's page, the callback, back to the app.

Nothing here touches the internet: every URL is on 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SERVER_START_SECONDS = 60
STEP_TIMEOUT_MS = 20_000
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
CLIENT_ID = "coach-test"


@dataclass(frozen=True)
class Person:
    """A user the provider knows: the subject, and the claims it puts in the ID token."""

    sub: str
    email: str
    name: str
    extra: dict[str, object] = field(default_factory=dict)

    def claims(self) -> dict[str, object]:
        return {"email": self.email, "name": self.name, **self.extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def provider(people: Sequence[Person]) -> Iterator[str]:
    """An OpenID provider on 127.0.0.1; yields its issuer URL (http://127.0.0.1:PORT)."""
    import werkzeug.serving
    from oidc_provider_mock import User, app

    # The provider refuses plain http unless told this is a test; every URL here is local.
    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    flask_app = app(user_claims=[User(sub=p.sub, claims=p.claims()) for p in people])
    server = werkzeug.serving.make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
        if previous is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous


def new_cookie_secret() -> str:
    return secrets.token_urlsafe(32)


def secrets_toml(*, app_url: str, issuer: str, cookie_secret: str) -> str:
    """The `[auth]` section for one provider, as a deployment would write it."""
    return (
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
    )


def write_secrets(folder: Path, *, app_url: str, issuer: str, cookie_secret: str) -> Path:
    target = folder / ".streamlit" / "secrets.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        secrets_toml(app_url=app_url, issuer=issuer, cookie_secret=cookie_secret),
        encoding="utf-8",
    )
    return target


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer on {url} within {SERVER_START_SECONDS} s")


@contextmanager
def app_server(
    script: Path, folder: Path, port: int, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`streamlit run script` on 127.0.0.1:port, reading secrets from `folder`; yields its URL."""
    log = folder / f"streamlit-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
    ]
    child_env = {**os.environ, "HOME": str(folder), **(env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=folder, env=child_env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def settle(page) -> None:
    """Wait for the script run a navigation or click started to finish."""
    page.wait_for_timeout(250)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=STEP_TIMEOUT_MS
    )
    page.wait_for_timeout(150)


def sign_in(page, app_url: str, subject: str, button_label: str = "Sign in") -> None:
    """From the app's sign-in button through the provider's page back to the app, as `subject`."""
    page.goto(app_url)
    settle(page)
    page.get_by_role("button", name=button_label).click()
    # st.login sends the browser to /auth/login, which redirects to the provider.
    page.wait_for_url("**/oauth2/authorize?**", timeout=STEP_TIMEOUT_MS)
    page.locator(f'button[name="sub"][value="{subject}"]').click()
    # The provider redirects to /oauth2callback, which sets the cookie and redirects home.
    page.wait_for_url(f"{app_url}/", timeout=STEP_TIMEOUT_MS)
    settle(page)
