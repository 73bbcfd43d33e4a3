"""The one French typography rule (OQLF) shared by the app, the CLI and the exports."""

from __future__ import annotations

import pytest

from coach.i18n import pick, t
from coach.typography import NBSP, plain_spaces, typeset


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cible: 3", f"Cible{NBSP}: 3"),
        ("Cible : 3", f"Cible{NBSP}: 3"),
        ("« texte »", f"«{NBSP}texte{NBSP}»"),
        ("«texte»", f"«{NBSP}texte{NBSP}»"),
        ("Vraiment ? Oui ! Non ; peut-être", "Vraiment? Oui! Non; peut-être"),
        ("40 % et 2,5 h", f"40{NBSP}% et 2,5{NBSP}h"),
        ("**Pourquoi :** parce que", f"**Pourquoi{NBSP}:** parce que"),
    ],
)
def test_french_text_follows_the_oqlf_spacing(raw: str, expected: str) -> None:
    assert typeset(raw, "fr") == expected
    assert typeset(expected, "fr") == expected  # idempotent


def test_urls_times_and_english_are_left_alone() -> None:
    assert (
        typeset("https://example.org:8080/a à 10:30", "fr") == "https://example.org:8080/a à 10:30"
    )
    assert typeset("Target: 3 ?", "en") == "Target: 3 ?"


def test_messages_and_playbook_text_are_typeset_in_french_only() -> None:
    message = t("tracking.error.week_malformed", "fr", text="x", week="x")
    assert f"valide{NBSP}:" in message and " :" not in message
    assert pick({"fr": "Objectif : 2", "en": "Goal: 2"}, "fr") == f"Objectif{NBSP}: 2"
    assert pick({"fr": "Objectif : 2", "en": "Goal: 2"}, "en") == "Goal: 2"
    assert plain_spaces(f"a{NBSP}:") == "a :"
