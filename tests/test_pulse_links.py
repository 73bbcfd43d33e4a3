"""Employee links: tokens nobody can guess, expiry, closing, a rate limit per link, size caps."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from coach.errors import InvalidInput
from coach.pulse import RATE_RULES, LinkRefused, check_link, close_link, open_link, rate_decision
from coach.pulse.links import (
    MAX_QUESTION_CHARS,
    TOKEN_BYTES,
    check_size,
    find_link,
    new_token,
    token_digest,
    well_formed,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_tokens_carry_at_least_128_random_bits():
    tokens = {new_token() for _ in range(5000)}
    assert len(tokens) == 5000
    for token in list(tokens)[:50]:
        raw = base64.urlsafe_b64decode(token + "=")
        assert len(raw) == TOKEN_BYTES and len(raw) * 8 >= 128
        assert well_formed(token)


def test_only_the_digest_is_kept():
    token, link = open_link("pulse", NOW, days=14)
    assert token not in repr(link) and link.digest == token_digest(token)
    assert link.expires == NOW + timedelta(days=14)


def test_guessing_a_token_is_hopeless():
    token, link = open_link("pulse", NOW, days=14)
    refused = 0
    for _ in range(20_000):
        guess = secrets.token_urlsafe(TOKEN_BYTES)
        with pytest.raises(LinkRefused):
            check_link(link, guess, NOW, "pulse")
        refused += 1
    assert refused == 20_000
    # A token one character off, cut short, or padded is refused too.
    flipped = ("A" if token[0] != "A" else "B") + token[1:]
    for guess in (flipped, token[:-1], token + "A", token.upper(), "", None, 12345, "../" * 15):
        with pytest.raises(LinkRefused) as err:
            check_link(link, guess, NOW, "pulse")
        assert err.value.key == "pulse.link.unknown_pulse"
    assert check_link(link, token, NOW, "pulse") is link
    assert find_link([link], token) is link and find_link([link], flipped) is None


def test_a_pulse_token_does_not_open_the_inbox():
    token, link = open_link("pulse", NOW, days=14)
    with pytest.raises(LinkRefused):
        check_link(link, token, NOW, "inbox")


def test_a_closed_or_expired_link_refuses_politely():
    token, link = open_link("pulse", NOW, days=7)
    later = NOW + timedelta(days=7)
    with pytest.raises(LinkRefused) as err:
        check_link(link, token, later, "pulse")
    assert err.value.key == "pulse.link.expired_pulse"
    assert "thank you" in err.value.message("en") and "merci" in err.value.message("fr")
    closed = close_link(link, NOW + timedelta(hours=1))
    assert close_link(closed, NOW + timedelta(days=2)).closed == closed.closed
    check_link(closed, token, NOW + timedelta(minutes=30), "pulse")
    with pytest.raises(LinkRefused) as err:
        check_link(closed, token, NOW + timedelta(hours=2), "pulse")
    assert err.value.key == "pulse.link.closed_pulse"


def test_the_inbox_link_stays_open_until_closed():
    token, link = open_link("inbox", NOW, days=None)
    assert check_link(link, token, NOW + timedelta(days=3650), "inbox") is link


@pytest.mark.parametrize("days", [0, 91, -1])
def test_link_length_is_bounded(days):
    with pytest.raises(InvalidInput):
        open_link("pulse", NOW, days=days)


def test_the_rate_limit_lets_a_team_through_and_stops_a_script():
    rule = RATE_RULES["inbox"]  # 10 per 10 minutes
    accepted: list[datetime] = []
    moment = NOW
    for _ in range(10):
        decision = rate_decision(accepted, moment, rule)
        assert decision.allowed and decision.retry_after_seconds == 0
        accepted.append(moment)
        moment += timedelta(seconds=5)
    decision = rate_decision(accepted, moment, rule)
    assert not decision.allowed
    # The first request leaves the window 10 minutes after it came in.
    assert decision.retry_after_seconds == 600 - 50
    assert rate_decision(accepted, NOW + timedelta(minutes=10, seconds=1), rule).allowed
    # A script hammering the link gets nothing more through, however fast it goes.
    burst = [NOW + timedelta(milliseconds=i) for i in range(1000)]
    allowed = []
    for moment in burst:
        if rate_decision(allowed, moment, rule).allowed:
            allowed.append(moment)
    assert len(allowed) == rule.max_requests


def test_the_pulse_rule_fits_a_team_answering_after_a_meeting():
    rule = RATE_RULES["pulse"]
    answers = [NOW + timedelta(seconds=10 * i) for i in range(50)]
    assert rate_decision(answers, NOW + timedelta(minutes=9), rule).allowed


def test_requests_older_than_the_window_do_not_count():
    rule = RATE_RULES["inbox"]
    old = [NOW - timedelta(hours=1)] * 50
    assert rate_decision(old, NOW, rule).allowed


def test_size_caps_refuse_with_a_sentence():
    check_size("x" * MAX_QUESTION_CHARS, MAX_QUESTION_CHARS, "pulse.inbox.too_long")
    with pytest.raises(InvalidInput) as err:
        check_size("x" * (MAX_QUESTION_CHARS + 1), MAX_QUESTION_CHARS, "pulse.inbox.too_long")
    assert "2001" in err.value.message("en") and "2000" in err.value.message("en")
