"""Words a manager reads: counts agree with their noun, units with their number."""

from __future__ import annotations

import pytest

from coach import i18n
from coach.ui import components


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_screen_text_hedges_a_plural_with_parentheses(lang):
    hedged = {k: v for k, v in i18n.catalogue(lang).items() if k.startswith("ui.") and "(s)" in v}
    assert not hedged, hedged


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("fr", 0, "0 question"),
        ("fr", 1, "1 question"),
        ("fr", 2, "2 questions"),
        ("en", 0, "0 questions"),
        ("en", 1, "1 question"),
    ],
)
def test_counts_agree_with_their_noun(lang, count, expected):
    assert components.counted("questions", count, lang) == expected


@pytest.mark.parametrize(
    ("unit", "value", "lang", "expected"),
    [
        ("publications", 1, "fr", "publication"),
        ("publications", 1.5, "fr", "publication"),
        ("publications", 2, "fr", "publications"),
        ("moments d’écoute", 1, "fr", "moment d’écoute"),
        ("fois", 1, "fr", "fois"),
        ("%", 1, "fr", "%"),
        ("posts", 1, "en", "post"),
        ("posts", 1.5, "en", "posts"),
        ("hours", 0, "en", "hours"),
    ],
)
def test_a_goal_unit_agrees_with_its_value(unit, value, lang, expected):
    assert components.unit_for(unit, value, lang) == expected


def test_the_first_of_the_month_is_written_1er_in_french():
    from datetime import date

    from coach.typography import typeset

    assert components.day(date(2026, 12, 1), "fr") == typeset("1er déc. 2026", "fr")
    assert components.day(date(2026, 12, 2), "fr") == typeset("2 déc. 2026", "fr")
    assert components.day(date(2026, 12, 1), "en") == "Dec 1, 2026"
