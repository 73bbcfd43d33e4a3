"""Errors meant for people: each carries a catalogue key, rendered in their language."""

from __future__ import annotations

from typing import Any

from coach.i18n import t


class CoachError(Exception):
    """An error a user can read and act on; never shown as a traceback."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class InvalidInput(CoachError):
    """Bad answers, check-in figures, imports: nothing was written."""


class NotFound(CoachError):
    """An unknown profile, step or goal."""
