"""Run review rules over a draft: findings with spans, a verdict and a few figures.

Verdict: "block" when a finding has severity block, "revise" when one has severity warn,
"ok" otherwise (info findings never hold a post back). A finding's `start`/`end` are
offsets into the draft as given; an empty span (start == end == 0) is about the post as a
whole (nothing invites a reply, nobody is credited).
Promotion share = promotional phrases / (promotional phrases + phrases about people,
lessons and credit), from the playbook's `promotion_share` rule; 0 when neither appears.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coach import conditions
from coach.errors import InvalidInput
from coach.i18n import fmt_number, t, tp
from coach.review.rules import ReviewRule
from coach.review.text import (
    NETWORKS,
    Folded,
    counted_length,
    find_phrase,
    fold,
    fold_text,
    hashtags,
    language_of,
    links,
)
from coach.typography import typeset

MAX_CHARACTERS = 100_000
RANK = {"info": 0, "warn": 1, "block": 2}
VERDICTS = ("ok", "revise", "block")
_WORD = re.compile(r"[^\W\d_]{1,60}")
# French typography, as coach.typography sets the product's own French: one case per problem.
# (case, pattern): straight double quotes; a colon without a non-breaking space before it
# (glued to its word, or after an ordinary space); « » without non-breaking spaces inside;
# a space before ? ! ; (the product's French puts none); a number and % without a
# non-breaking space between them.
_TYPOGRAPHY = (
    ("quotes", re.compile(r"\"[^\"\n]{1,300}\"")),
    ("colon", re.compile(r"(?<![\w/])[^\W\d_]{1,40}(?<!https)(?<!http)(?: ?):(?=\s)")),
    ("guillemets", re.compile(r"« ?(?=[^\s\u00a0\u202f])|(?<=[^\s\u00a0\u202f]) ?»")),
    ("space_before", re.compile(r"(?<=[^\s\u00a0\u202f])[ \u00a0]{1,5}[?!;]")),
    ("percent", re.compile(r"(?<![\d.,])\d{1,15}(?:[.,]\d{1,15})? ?%")),
)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str
    source: str = ""


@dataclass(frozen=True)
class Review:
    verdict: str
    findings: tuple[Finding, ...]
    stats: dict[str, Any]
    language: str  # the draft's language as the review read it

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `python -m coach review --format json`."""
        return {
            "verdict": self.verdict,
            "findings": [
                {
                    "rule": f.rule,
                    "severity": f.severity,
                    "start": f.start,
                    "end": f.end,
                    "message": f.message,
                    "suggestion": f.suggestion,
                }
                for f in self.findings
            ],
            "stats": self.stats,
        }


def stats_words(result: Review, network: str, lang: str) -> dict[str, str]:
    """A review's figures as words for its one-line summary (the CLI's and the page's)."""
    stats = result.stats
    return {
        "characters": tp("review.characters", lang, stats["characters"]),
        "counted": fmt_number(stats["counted_length"], lang),
        "network": t(f"review.network.{network}", lang),
        "hashtags": tp("review.hashtags", lang, stats["hashtags"]),
        "share": fmt_number(round(stats["promotion_share"] * 100), lang),
    }


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Findings as a reader takes them: what blocks first, then what to revise, then tips;
    by position within a severity. (`Review.findings` and the JSON keep the text's order.)"""
    return sorted(findings, key=lambda f: (-RANK[f.severity], f.start, f.end, f.rule))


def decode_draft(data: bytes, *, stdin: bool = False) -> str:
    """The draft in a file's (or the standard input's) bytes; InvalidInput for binary or
    non-UTF-8 data, in words that name where it came from."""
    where = "stdin_" if stdin else ""
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"review.input.{where}binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"review.input.{where}not_utf8") from None
    return text


def check_draft(text: str, network: str) -> None:
    """InvalidInput when the draft cannot be reviewed (empty, too long, unknown network)."""
    if network not in NETWORKS:
        raise InvalidInput("review.input.network", network=network, known=", ".join(NETWORKS))
    if not text.strip():
        raise InvalidInput("review.input.empty")
    if len(text) > MAX_CHARACTERS:
        raise InvalidInput("review.input.too_long", count=len(text), limit=MAX_CHARACTERS)
    if any(ord(c) < 32 and c not in "\t\n\r\f\v" for c in text[:8192]):
        raise InvalidInput("review.input.control")


class _Draft:
    """The draft and what several rules need from it, computed once."""

    def __init__(
        self,
        text: str,
        network: str,
        facts: Mapping[str, Any],
        never_say: tuple[str, ...] = (),
    ) -> None:
        self.text = text
        self.never_say = never_say  # the manager's own phrases, folded
        self.network = network
        self.folded: Folded = fold_text(text)
        self.language = language_of(text)
        self.context = conditions.Context(facts=dict(facts))
        self._phrase_cache: dict[str, list[tuple[int, int]]] = {}

    def spans(self, phrases: Iterable[str]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for phrase in phrases:
            found = self._phrase_cache.get(phrase)
            if found is None:
                found = find_phrase(self.folded, phrase)
                self._phrase_cache[phrase] = found
            out.extend(found)
        return sorted(set(out))

    def matches(self, patterns: Iterable[re.Pattern[str]]) -> list[tuple[int, int]]:
        return sorted(
            {m.span() for p in patterns for m in p.finditer(self.text) if m.end() > m.start()}
        )


def review(
    text: str,
    rules: Iterable[ReviewRule],
    *,
    network: str = "linkedin",
    lang: str = "en",
    facts: Mapping[str, Any] | None = None,
    never_say: Iterable[str] = (),
) -> Review:
    """Review `text` for `network` against `rules`; messages in `lang`.

    `never_say` is the manager's own list of phrases never to post (rules with
    `check: never_say` look for them). Raises InvalidInput for a draft it cannot review.
    """
    check_draft(text, network)
    own = tuple(p for p in (fold(x) for x in never_say if isinstance(x, str)) if p.strip("* "))
    draft = _Draft(text, network, facts or {}, own)
    findings: list[Finding] = []
    share = 0.0
    for rule in rules:
        if rule.check == "promotion_share":
            share = max(share, _promotion(draft, rule)[0])
        if not _applies(rule, draft):
            continue
        for start, end, params in _run(rule, draft):
            findings.append(_finding(rule, start, end, params, lang))
    findings.sort(key=lambda f: (f.start, -RANK[f.severity], f.rule))
    worst = max((RANK[f.severity] for f in findings), default=0)
    length, _ = counted_length(text, network)
    stats = {
        "characters": len(text),
        "counted_length": length,
        "hashtags": len(hashtags(text)),
        "promotion_share": round(share, 2),
    }
    return Review(VERDICTS[worst], tuple(findings), stats, draft.language)


def _applies(rule: ReviewRule, draft: _Draft) -> bool:
    if draft.network not in rule.networks:
        return False
    if rule.lang and rule.lang != draft.language:
        return False
    return rule.when is None or conditions.evaluate(rule.when, draft.context)


Hit = tuple[int, int, dict[str, Any]]


def _run(rule: ReviewRule, draft: _Draft) -> list[Hit]:
    if rule.check in _DRAFT_CHECKS:
        return _DRAFT_CHECKS[rule.check](draft)
    if rule.check:
        return _RULE_CHECKS[rule.check](rule, draft)
    found = draft.spans(rule.find) + draft.matches(rule.patterns)
    if not (rule.expect or rule.expect_patterns):
        return [(s, e, {}) for s, e in _outermost(found)]
    if draft.spans(rule.expect) or draft.matches(rule.expect_patterns):
        return []
    if rule.find or rule.patterns:
        # Something that calls for the expected words is there, and they are not.
        return [(*min(found), {})] if found else []
    return [(0, 0, {})]


def _outermost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, without those inside a longer one of the same rule ("nos résultats du
    trimestre" is one finding, not two with "résultats du trimestre")."""
    unique = sorted(set(spans))
    return [
        (s, e)
        for s, e in unique
        if not any(o <= s and e <= f and (o, f) != (s, e) for o, f in unique)
    ]


def _length(rule: ReviewRule, draft: _Draft) -> list[Hit]:
    limit = rule.limits[draft.network]
    length, over = _over(draft.text, draft.network, limit)
    if over is None:
        return []
    while over > 0 and not draft.text[over - 1].isspace():
        over -= 1  # from the start of the word that passes the limit
    return [(over, len(draft.text), {"length": length, "limit": limit, "network": draft.network})]


def _over(text: str, network: str, limit: int) -> tuple[int, int | None]:
    length, _ = counted_length(text, network)
    if length <= limit:
        return length, None
    # Where the draft passes this rule's limit (the network's own limit may differ).
    low, high = 0, len(text)
    while low < high:
        mid = (low + high) // 2
        if counted_length(text[: mid + 1], network)[0] > limit:
            high = mid
        else:
            low = mid + 1
    return length, low


def _hashtags(rule: ReviewRule, draft: _Draft) -> list[Hit]:
    tags = hashtags(draft.text)
    limit = int(rule.max or 0)
    if len(tags) <= limit:
        return []
    return [(tags[limit][0], tags[-1][1], {"count": len(tags), "limit": limit})]


def _shouting(rule: ReviewRule, draft: _Draft) -> list[Hit]:
    """Runs of more than `max` words in capitals (acronyms alone are not shouting)."""
    hits: list[Hit] = []
    run: list[tuple[int, int]] = []
    limit = int(rule.max or 0)

    def close() -> None:
        if len(run) > limit:
            hits.append((run[0][0], run[-1][1], {"count": len(run)}))

    for match in _WORD.finditer(draft.text):
        word = match.group()
        if len(word) >= 2 and word.isupper():
            run.append(match.span())
        else:
            close()
            run = []
    close()
    return hits


def _link_first_line(draft: _Draft) -> list[Hit]:
    lines = [line for line in draft.text.splitlines() if line.strip()]
    if len(lines) < 2:
        return []  # a one-line post has no first line to keep link-free
    first_end = draft.text.find(lines[0]) + len(lines[0])
    return [(s, e, {}) for s, e in links(draft.text) if e <= first_end]


def _promotion(draft: _Draft, rule: ReviewRule) -> tuple[float, list[tuple[int, int]]]:
    promo = draft.spans(rule.find)
    people = draft.spans(rule.against)
    total = len(promo) + len(people)
    return (len(promo) / total if total else 0.0), promo


def _promotion_share(rule: ReviewRule, draft: _Draft) -> list[Hit]:
    share, promo = _promotion(draft, rule)
    if len(promo) < 2 or share <= (rule.max or 0):
        return []
    return [(promo[0][0], promo[-1][1], {"share": round(share * 100)})]


def _french_typography(draft: _Draft) -> list[Hit]:
    """The first place each problem shows, with its case, so that the message says what to
    change (and the same tip is not repeated for every question mark)."""
    text = draft.text
    inside_links = links(text)
    hits: list[Hit] = []
    for case, pattern in _TYPOGRAPHY:
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e in inside_links):
                hits.append((match.start(), match.end(), {"case": case}))
                break
    return sorted(hits, key=lambda hit: hit[:2])


def _never_say(draft: _Draft) -> list[Hit]:
    return [(s, e, {}) for s, e in draft.spans(draft.never_say)]


# The checks a rule names with `check:` (coach.review.rules.CHECKS): those that read
# the rule's figures, and those that need only the draft.
_RULE_CHECKS: dict[str, Callable[[ReviewRule, _Draft], list[Hit]]] = {
    "length": _length,
    "hashtags": _hashtags,
    "shouting": _shouting,
    "promotion_share": _promotion_share,
}
_DRAFT_CHECKS: dict[str, Callable[[_Draft], list[Hit]]] = {
    "link_first_line": _link_first_line,
    "french_typography": _french_typography,
    "never_say": _never_say,
}


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _finding(rule: ReviewRule, start: int, end: int, params: dict[str, Any], lang: str) -> Finding:
    shown = {
        k: fmt_number(v, lang) if isinstance(v, (int, float)) else v for k, v in params.items()
    }
    if "network" in params:
        shown["network"] = t(f"review.network.{params['network']}", lang)
    if "case" in params:  # a check that tells several problems apart (French typography)
        shown["problem"] = t(f"review.case.{params['case']}.problem", lang)
        shown["fix"] = t(f"review.case.{params['case']}.fix", lang)
    message = typeset(rule.message.get(lang).format_map(_Params(shown)), lang)
    suggestion = typeset(rule.suggestion.get(lang).format_map(_Params(shown)), lang)
    return Finding(rule.id, rule.severity, start, end, message, suggestion, rule.source)
