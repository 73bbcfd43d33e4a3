"""A step's reasons as a manager reads them: answers merged, titles quoted, why it comes there."""

from __future__ import annotations

import functools
import re

from coach.i18n import fmt_number, t
from coach.model import Action, Playbook
from coach.planner.ordering import Edges


@functools.lru_cache(maxsize=64)
def _template(key: str, lang: str, *names: str) -> tuple[str, ...]:
    """A message's fixed parts around its placeholders `names` (in that order)."""
    marks = {name: f"\x00{name}\x00" for name in names}
    return tuple(re.split("\x00[a-z]+\x00", t(key, lang, **marks)))


def _between(text: str, head: str, tail: str) -> str | None:
    """What `text` holds between `head` and `tail`, or None when it is not of that form."""
    if len(text) > len(head) + len(tail) and text.startswith(head) and text.endswith(tail):
        return text[len(head) : len(text) - len(tail)]
    return None


def merge_reasons(reasons: tuple[str, ...] | list[str], lang: str) -> list[str]:
    """One "Because you answered that …" per step, the answers joined ("…, and that …").

    Two quotes of the same question ("Because you answered “A” to “Q”") become one
    with both answers. Other reasons (scores, facts) stay as they are, in order.
    """
    if len(reasons) < 2:
        return list(reasons)
    forms = [
        _template(f"engine.reason.{key}", lang, "reason")
        for key in ("answered_that", "answered_that_elided")
    ]
    head, middle, tail = _template("engine.reason.quoted", lang, "answer", "question")
    out: list[str] = []
    that: list[tuple[int, str]] = []  # (form, reason) of each "answered that"
    that_at: int | None = None
    quotes: dict[str, list[str]] = {}  # question -> answers given
    quote_at: dict[str, int] = {}
    for reason in reasons:
        found = next(
            (
                (i, inner)
                for i, (h, tl) in enumerate(forms)
                if (inner := _between(reason, h, tl)) is not None
            ),
            None,
        )
        if found is not None:
            if that_at is None:
                that_at = len(out)
                out.append(reason)
            that.append(found)
            continue
        inner = _between(reason, head, tail)
        if inner is not None and middle in inner:
            answer, question = inner.split(middle, 1)
            if question in quotes:
                quotes[question].append(answer)
                continue
            quotes[question], quote_at[question] = [answer], len(out)
        out.append(reason)
    if len(that) > 1 and that_at is not None:
        form, first = that[0]
        more = "".join(
            t("engine.reason.and_that_elided" if i else "engine.reason.and_that", lang, reason=r)
            for i, r in that[1:]
        )
        out[that_at] = forms[form][0] + first + more + forms[form][1]
    for question, given in quotes.items():
        if len(given) > 1:
            out[quote_at[question]] = t(
                "engine.reason.quoted_answers",
                lang,
                answers=quote_titles(given, lang),
                question=question,
            )
    return out


def quote_titles(names: list[str], lang: str) -> str:
    """Step titles quoted and joined ("A" and "B"); quotes inside a title become inner quotes."""
    if lang == "fr":
        inner = [n.replace("«\u00a0", "“").replace("\u00a0»", "”") for n in names]
        inner = [n.replace("« ", "“").replace(" »", "”") for n in inner]
        quoted = [f"«\u00a0{n}\u00a0»" for n in inner]
    else:
        quoted = ["“" + n.replace("“", "‘").replace("”", "’") + "”" for n in names]
    if len(quoted) < 2:
        return "".join(quoted)
    return t("engine.reason.and_join", lang, first=", ".join(quoted[:-1]), last=quoted[-1])


def replaces_reason(taken: list[str], titles: dict[str, str], hours: float, lang: str) -> str:
    return t(
        "engine.reason.replaces",
        lang,
        steps=quote_titles([titles[r] for r in taken if r in titles], lang),
        hours=fmt_number(hours, lang, digits=2),
    )


def step_why(
    action: Action,
    reasons: tuple[str, ...],
    edges: Edges,
    present: set[str],
    titles: dict[str, str],
    used: set[str],
    playbook: Playbook,
    lang: str,
) -> tuple[str, ...]:
    """Reasons from the answers, the action's why, then why it comes where it does."""
    why = [*merge_reasons(reasons, lang), action.why.get(lang)]
    seen: set[str] = set()
    for first, rule in edges.get(action.id, ()):
        if rule.id in seen or first not in present:
            continue
        seen.add(rule.id)
        names = [titles[f] for f, r in edges[action.id] if r.id == rule.id and f in titles][:2]
        why.append(
            t(
                "engine.reason.after",
                lang,
                steps=quote_titles(names, lang),
                because=rule.why.get(lang),
            )
        )
    pacing = playbook.pacing
    if "gap" in used and pacing.why_gap:
        why.append(pacing.why_gap.get(lang))
    if "first_month" in used and pacing.why_first_month:
        why.append(pacing.why_first_month.get(lang))
    return tuple(why)
