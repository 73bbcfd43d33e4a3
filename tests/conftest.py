"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path, monkeypatch):
    """No test ever touches the real data/coach.db."""
    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach-test.db"))
