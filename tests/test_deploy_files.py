"""The deployment files agree with each other and keep secrets out of the repository.

Docker cannot run in CI, so these checks read the files: every app server in
compose.yaml mounts the same secrets file (one cookie secret) and is listed in
the proxy's upstream; the secrets template holds placeholders only; the real
secrets files are git-ignored; every redirect URI in the docs is a public HTTPS
URL ending in /oauth2callback, the path Streamlit serves the callback on.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
NGINX = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
DEPLOY = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")


def app_services() -> dict[str, dict]:
    return {
        name: service
        for name, service in COMPOSE["services"].items()
        if service.get("image") == "coach-app:latest" and "command" not in service
    }


def test_two_app_servers_share_one_secrets_file_and_one_database():
    apps = app_services()
    assert len(apps) >= 2
    mounts = {(s["source"], s["target"]) for service in apps.values() for s in service["secrets"]}
    assert mounts == {("streamlit_secrets", "/app/.streamlit/secrets.toml")}
    assert {service["environment"]["COACH_DB"] for service in apps.values()} == {
        COMPOSE["services"]["migrate"]["environment"]["COACH_DB"]
    }
    assert all(
        s["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        for s in apps.values()
    )


def test_the_proxy_sends_to_every_app_server_with_affinity_and_websockets():
    upstream = re.search(r"upstream coach_app \{(.*?)\}", NGINX, flags=re.S).group(1)
    assert sorted(re.findall(r"server (\w+):8501;", upstream)) == sorted(app_services())
    assert "hash $affinity consistent;" in upstream
    assert "proxy_set_header Host $host;" in NGINX
    assert "proxy_set_header Upgrade $http_upgrade;" in NGINX


def test_files_the_compose_file_names_exist():
    for relative in ("deploy/Dockerfile", "deploy/nginx.conf", "deploy/secrets.toml.example"):
        assert (ROOT / relative).is_file(), relative


def test_the_secrets_template_has_placeholders_only():
    template = (ROOT / "deploy" / "secrets.toml.example").read_text(encoding="utf-8")
    auth = tomllib.loads(template)["auth"]
    assert auth["redirect_uri"] == "https://coach.example.com/oauth2callback"
    for key in ("cookie_secret", "client_id", "client_secret"):
        assert auth[key].startswith("<") and auth[key].endswith(">"), key


def test_real_secrets_files_are_ignored_by_git():
    for relative in (".streamlit/secrets.toml", "deploy/secrets.toml", ".env"):
        checked = subprocess.run(["git", "check-ignore", "-q", relative], cwd=ROOT, check=False)
        assert checked.returncode == 0, f"{relative} is not git-ignored"


def test_every_documented_redirect_uri_is_public_https_on_the_callback_path():
    uris = re.findall(r'redirect_uri = "([^"]+)"', DEPLOY)
    assert len(uris) >= 4
    for uri in uris:
        assert uri.startswith("https://") and uri.endswith("/oauth2callback"), uri
    for provider in ("login.microsoftonline.com", "accounts.google.com", "/realms/"):
        assert provider in DEPLOY
