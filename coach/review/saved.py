"""What a profile keeps of "Before you post": its "never say" list and the drafts saved to it.

The checks are the same wherever a phrase or a draft comes in (the page, the command line,
a profile import), so each is written once here, with its size caps:

- a never-say phrase is one line of text, not empty once folded as the review folds it,
  at most `MAX_PHRASE_CHARS` characters; a profile keeps at most `MAX_PHRASES`; two
  phrases the review would read the same ("Projet Héron", "projet heron") are one entry;
- a saved draft is a draft the review accepts (`check_draft`), at most
  `MAX_SAVED_CHARACTERS` characters (several times the longest post a network takes),
  with the verdict it had when saved; a profile keeps at most `MAX_SAVED_DRAFTS`.
"""

from __future__ import annotations

from collections.abc import Iterable

from coach.errors import InvalidInput
from coach.review.engine import VERDICTS, check_draft
from coach.review.text import fold

MAX_PHRASES = 100
MAX_PHRASE_CHARS = 200
MAX_SAVED_DRAFTS = 100
MAX_SAVED_CHARACTERS = 20_000
PREVIEW_CHARS = 80  # the first words of a saved draft, as its list shows them


def phrase_key(phrase: str) -> str:
    """The phrase as the review compares it: two phrases with one key are one entry."""
    return fold(phrase)


def check_phrase(phrase: str) -> str:
    """The phrase, trimmed; InvalidInput when it is empty, too long or not one line."""
    if not isinstance(phrase, str):
        raise InvalidInput("review.never_say.empty")
    trimmed = phrase.strip()
    if not phrase_key(trimmed).strip("* "):
        raise InvalidInput("review.never_say.empty")
    if len(trimmed) > MAX_PHRASE_CHARS:
        raise InvalidInput(
            "review.never_say.too_long",
            start=trimmed[:30],
            count=len(trimmed),
            limit=MAX_PHRASE_CHARS,
        )
    if any(ord(c) < 32 or c in "\u2028\u2029" for c in trimmed):
        raise InvalidInput("review.never_say.one_line", start=trimmed[:30])
    return trimmed


def check_phrases(phrases: Iterable[str]) -> list[str]:
    """Every phrase checked, in order, the second of two with one key left out."""
    out: list[str] = []
    seen: set[str] = set()
    for phrase in phrases:
        checked = check_phrase(phrase)
        key = phrase_key(checked)
        if key not in seen:
            seen.add(key)
            out.append(checked)
    return out


def check_list_size(count: int) -> None:
    """InvalidInput when a list would hold more phrases than a profile keeps."""
    if count > MAX_PHRASES:
        raise InvalidInput("review.never_say.full", limit=MAX_PHRASES)


def check_saved(text: str, network: str, verdict: str) -> None:
    """InvalidInput when the draft cannot be saved (what the review refuses, or too long)."""
    check_draft(text, network)
    if len(text) > MAX_SAVED_CHARACTERS:
        raise InvalidInput("review.saved.too_long", count=len(text), limit=MAX_SAVED_CHARACTERS)
    if verdict not in VERDICTS:
        raise InvalidInput("review.saved.verdict", verdict=verdict[:20])


def check_saved_count(count: int) -> None:
    """InvalidInput when a profile would keep more drafts than it may."""
    if count > MAX_SAVED_DRAFTS:
        raise InvalidInput("review.saved.full", limit=MAX_SAVED_DRAFTS)


def first_words(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The draft's beginning on one line, cut at a word, with an ellipsis when cut."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut.rstrip(" ,;:.!?") + "…"
