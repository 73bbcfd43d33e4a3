"""Pytest fixtures for the app tests; test modules load them with `pytest_plugins`."""

from __future__ import annotations

import pytest

from coach.store import Store
from tests.ui_kit import PLAYBOOKS


@pytest.fixture
def playbooks(monkeypatch):
    """The app reads its playbooks from tests/fixtures/ui/playbooks (a valid one, a broken one)."""
    from coach.ui import state

    monkeypatch.setattr(state, "PLAYBOOK_DIR", PLAYBOOKS)
    return PLAYBOOKS


@pytest.fixture
def store(playbooks) -> Store:
    """The database the app under test uses ($COACH_DB, set per test by conftest)."""
    return Store()
