"""Before you post: review a draft against the playbook's rules, on this computer only.

`review(text, playbook.reviews, network=..., lang=..., facts=..., never_say=...)` returns a
`Review` (verdict, findings with spans, stats). Rules are playbook data (`reviews:`),
parsed and checked by `coach.review.rules.parse` when the playbook loads.
"""

from coach.review.engine import (
    MAX_CHARACTERS,
    Finding,
    Review,
    by_severity,
    check_draft,
    decode_draft,
    review,
    stats_words,
)
from coach.review.rules import ReviewRule
from coach.review.text import LIMITS, NETWORKS

__all__ = [
    "LIMITS",
    "MAX_CHARACTERS",
    "NETWORKS",
    "Finding",
    "Review",
    "ReviewRule",
    "by_severity",
    "check_draft",
    "decode_draft",
    "review",
    "stats_words",
]
