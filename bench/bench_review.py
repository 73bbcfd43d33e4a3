"""Review figures: a 3,000-character post against 200 rules (target: at most 20 ms).

Run by hand: `python -m bench.bench_review`. The 200 rules are the default playbook's
review rules plus synthetic ones of every kind (phrase lists in both languages, safe
patterns, expected phrases, built-in checks), all parsed and checked by the loader's own
`coach.review.rules.parse`. The post mixes French and English, links, hashtags, capitals,
an e-mail address and phrases some rules look for. Timings are medians of repeated runs;
the worst case is a 100,000-character draft (the most the review accepts).
"""

from __future__ import annotations

import sys

from bench.bench_engine import median_ms
from coach.playbook import default_playbook_path, load_playbook
from coach.review import review
from coach.review.rules import parse
from coach.yamlsafe import Map, Seq

WORDS = [
    "équipe",
    "client",
    "projet",
    "résultat",
    "leçon",
    "merci",
    "produit",
    "offre",
    "prix",
    "semaine",
    "team",
    "customer",
    "project",
    "result",
    "lesson",
    "thanks",
    "product",
    "offer",
    "price",
    "week",
]


def _seq(items: list) -> Seq:
    out = Seq()
    out.extend(items)
    out.lines = [1] * len(items)
    return out


def _map(**items) -> Map:
    out = Map()
    out.update(items)
    return out


def synthetic_rules(count: int) -> tuple:
    """`count` rules: the shipped ones first, then generated ones of each kind."""
    shipped = list(load_playbook(default_playbook_path()).reviews)
    entries = []
    for n in range(count - len(shipped)):
        text = _map(fr=f"Message {n}", en=f"Message {n}")
        rule = _map(id=f"bench.rule-{n}", severity=("info", "warn", "block")[n % 3])
        rule.update(message=text, suggestion=text)
        kind = n % 4
        phrases = _map(
            fr=_seq([f"{WORDS[(n + i) % 10]} numéro {n} {i}" for i in range(6)] + [f"mot{n}*"]),
            en=_seq([f"{WORDS[10 + (n + i) % 10]} number {n} {i}" for i in range(6)]),
        )
        if kind == 0:
            rule["find"] = phrases
        elif kind == 1:
            rule["patterns"] = _seq([rf"\b{WORDS[n % 20]}[ -]\d{{1,3}}\b", rf"#{n}\w{{1,20}}"])
        elif kind == 2:
            rule["expect"] = phrases
        else:
            rule["find"] = phrases
            rule["expect_patterns"] = _seq([r"\?"])
        entries.append(rule)
    rules, problems = parse(_map(reviews=_seq(entries)), "bench")
    assert not problems, problems[:3]
    return tuple(shipped) + rules


def post(length: int) -> str:
    chunk = (
        "Merci à l’équipe du projet Horizon : nous avons appris beaucoup cette semaine. "
        "Our team shipped the new guide, thanks to Priya! Read https://example.org/guide "
        "and tell me what you think? IMPORTANT NEWS ahead. #team #lessons "
    )
    return (chunk * (length // len(chunk) + 1))[:length]


def main() -> int:
    rules = synthetic_rules(200)
    text = post(3000)
    facts = {"regulated_sector": True}

    def run(draft: str = text) -> None:
        review(draft, rules, network="x", lang="fr", facts=facts, never_say=["Horizon"])

    run()  # warm the folding cache as a running app would have
    typical = median_ms(run, 51)
    big = post(100_000)
    worst = median_ms(lambda: run(big), 5)
    print(f"rules: {len(rules)}, post: {len(text)} characters")
    print(f"review, 3,000 characters x 200 rules: {typical:.1f} ms (target <= 20 ms)")
    print(f"review, 100,000 characters x 200 rules: {worst:.0f} ms")
    return 0 if typical <= 20 else 1


if __name__ == "__main__":
    sys.exit(main())
