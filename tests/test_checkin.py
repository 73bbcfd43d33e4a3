"""Check-in records: ISO weeks and the rules that keep bad figures out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from coach.checkin import CheckIn, current_week, parse_week, shift_week, validate_checkin, week_of
from coach.errors import InvalidInput
from coach.typography import typeset

TODAY = date(2026, 11, 25)  # Wednesday of 2026-W48


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W07", date(2026, 2, 9)),
        ("2026-W01", date(2025, 12, 29)),  # ISO week 1 may start in December
        ("2026-W53", date(2026, 12, 28)),  # 2026 has 53 ISO weeks
        ("2020-W53", date(2020, 12, 28)),
    ],
)
def test_parse_week_gives_the_monday(text: str, monday: date) -> None:
    assert parse_week(text) == monday
    assert week_of(monday) == text


@pytest.mark.parametrize(
    "text", ["2026-W54", "2025-W53", "2026-W00", "2026-7", "2026W07", "26-W07", "", "2026-w07x"]
)
def test_malformed_weeks_are_rejected_with_the_text_quoted(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_week(text)
    assert typeset(f"« {text} »", "fr") in info.value.message("fr")
    assert f"“{text}”" in info.value.message("en")


def test_week_of_any_day_of_the_week() -> None:
    assert {week_of(date(2026, 11, d)) for d in range(23, 30)} == {"2026-W48"}
    assert week_of(date(2027, 1, 1)) == "2026-W53"
    assert shift_week("2026-W53", 1) == "2027-W01"
    assert shift_week("2026-W01", -1) == "2025-W52"


def test_current_week_follows_the_time_zone() -> None:
    # Whatever the clock says, two zones 26 hours apart are at most one week apart.
    kiritimati, pago = current_week("Pacific/Kiritimati"), current_week("Pacific/Pago_Pago")
    assert abs((parse_week(kiritimati) - parse_week(pago)).days) in (0, 7)


def test_without_a_zone_the_week_is_the_clocks_in_utc() -> None:
    # Sunday 23:30 in UTC is still week 48, whatever zone the machine is set to.
    with time_machine.travel(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), tick=False):
        assert current_week(None) == "2026-W48"
        assert current_week("Pacific/Kiritimati") == "2026-W49"
        assert current_week("Not/A_Zone") == "2026-W48"


def test_a_plain_week_is_accepted() -> None:
    validate_checkin(
        CheckIn("2026-W48", posts=2, received=5, replies=5, median_response_hours=3.5), TODAY
    )
    validate_checkin(CheckIn("2026-W47", median_response_hours=0, followers=0), TODAY)
    validate_checkin(CheckIn("2026-W47", median_response_hours=720), TODAY)


def test_the_current_week_is_fine_but_next_week_is_in_the_future() -> None:
    validate_checkin(CheckIn("2026-W48"), TODAY)
    with pytest.raises(InvalidInput) as info:
        validate_checkin(CheckIn("2026-W49"), TODAY)
    assert "2026-W49" in info.value.message("fr") and "2026-W48" in info.value.message("fr")
    assert "has not started yet" in info.value.message("en")


@pytest.mark.parametrize(
    ("field", "fr_word"),
    [
        ("posts", "publications"),
        ("received", "reçus"),
        ("replies", "réponses"),
        ("followers", "abonnés"),
        ("mentions", "mentions"),
        ("monitoring_sessions", "veille"),
        ("employee_touchpoints", "employés"),
    ],
)
def test_negative_counts_are_rejected_naming_the_figure(field: str, fr_word: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_checkin(CheckIn("2026-W47", **{field: -1}), TODAY)
    assert fr_word in info.value.message("fr")
    assert "-1" in info.value.message("en") and "negative" in info.value.message("en")


def test_replies_beyond_received_say_both_numbers() -> None:
    with pytest.raises(InvalidInput) as info:
        validate_checkin(CheckIn("2026-W47", received=4, replies=6), TODAY)
    for lang in ("fr", "en"):
        message = info.value.message(lang)
        assert "6" in message and "4" in message
    assert "6 réponses pour 4" in info.value.message("fr")


@pytest.mark.parametrize("hours", [-0.5, 720.01, 10_000, float("nan"), float("inf")])
def test_median_response_time_outside_0_to_30_days_is_rejected(hours: float) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_checkin(CheckIn("2026-W47", median_response_hours=hours), TODAY)
    assert "heures" in info.value.message("fr")


@pytest.mark.parametrize("value", ["3", 2.5, True, None])
def test_counts_must_be_whole_numbers(value: object) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_checkin(CheckIn("2026-W47", posts=value), TODAY)  # type: ignore[arg-type]
    assert "nombre entier" in info.value.message("fr")


def test_unknown_source_and_huge_note_are_rejected() -> None:
    with pytest.raises(InvalidInput):
        validate_checkin(CheckIn("2026-W47", source="scraped"), TODAY)
    with pytest.raises(InvalidInput):
        validate_checkin(CheckIn("2026-W47", note="x" * 5000), TODAY)
    validate_checkin(CheckIn("2026-W47", source="import:linkedin"), TODAY)


def test_response_rate_is_a_percentage() -> None:
    assert CheckIn("2026-W47", received=8, replies=6).response_rate == 75.0
    assert CheckIn("2026-W47", received=0, replies=0).response_rate is None


# ---- perception and outcome figures (issue 9) ---------------------------------------------------


def test_perception_and_outcome_figures_are_optional_and_checked() -> None:
    validate_checkin(
        CheckIn("2026-W47", pulse_score=72.5, positive_mentions_pct=60, outcomes=1), TODAY
    )
    validate_checkin(CheckIn("2026-W47"), TODAY)
    for bad, key in (
        (CheckIn("2026-W47", pulse_score=120), "tracking.error.percent_range.pulse_score"),
        (
            CheckIn("2026-W47", positive_mentions_pct=-1),
            "tracking.error.percent_range.positive_mentions_pct",
        ),
        (CheckIn("2026-W47", pulse_score=float("nan")), "tracking.error.not_a_number.pulse_score"),
        (CheckIn("2026-W47", outcomes=-2), "tracking.error.negative.outcomes"),
        (CheckIn("2026-W47", outcomes=1.5), "tracking.error.not_whole_number.outcomes"),
    ):
        with pytest.raises(InvalidInput) as err:
            validate_checkin(bad, TODAY)
        assert err.value.key == key
        assert err.value.message("fr") != err.value.message("en")


def test_perception_figures_round_trip_only_when_given() -> None:
    from coach.checkin import CHECKIN_FIELDS, checkin_from_dict, checkin_to_dict

    plain = checkin_to_dict(CheckIn("2026-W47"))
    assert set(plain) == set(CHECKIN_FIELDS)
    full = CheckIn("2026-W47", pulse_score=70.0, positive_mentions_pct=55.0, outcomes=2)
    assert checkin_from_dict(checkin_to_dict(full)) == full
