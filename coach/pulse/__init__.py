"""The employees' side: the perception pulse (definition, anonymous results, links, forms import).

Pure domain: no store, no pages. The question inbox lives in coach/inbox.py.
"""

from coach.pulse.definition import (
    MIN_THRESHOLD,
    Pulse,
    PulseProblem,
    PulseQuestion,
    parse_pulse,
    pulse_schema_defs,
)
from coach.pulse.forms import ImportedPulse, read_forms_csv
from coach.pulse.links import (
    RATE_RULES,
    Link,
    LinkRefused,
    RateDecision,
    RateRule,
    check_link,
    close_link,
    new_token,
    open_link,
    rate_decision,
)
from coach.pulse.results import (
    ItemResult,
    PulseAnswer,
    PulseRound,
    PulseTrend,
    RoundSummary,
    build_answer,
    comments,
    counted_answers,
    next_batch,
    open_round,
    pulse_trend,
    results_json,
    summarise_round,
)

__all__ = [
    "MIN_THRESHOLD",
    "RATE_RULES",
    "ImportedPulse",
    "ItemResult",
    "Link",
    "LinkRefused",
    "Pulse",
    "PulseAnswer",
    "PulseProblem",
    "PulseQuestion",
    "PulseRound",
    "PulseTrend",
    "RateDecision",
    "RateRule",
    "RoundSummary",
    "build_answer",
    "check_link",
    "close_link",
    "comments",
    "counted_answers",
    "new_token",
    "next_batch",
    "open_link",
    "open_round",
    "parse_pulse",
    "pulse_schema_defs",
    "pulse_trend",
    "rate_decision",
    "read_forms_csv",
    "results_json",
    "summarise_round",
]
