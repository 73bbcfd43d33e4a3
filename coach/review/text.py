"""Text helpers for the review: a folded copy for matching, phrase search, network lengths.

`Folded` keeps, for every character of the folded text, the offset of the character of the
draft it came from, so that a match found in the folded text points at the right words of
the draft as given (offsets are Python string indices, i.e. code points).
Folding: case folded, accents removed, typographic apostrophes made straight, every run of
spaces (non-breaking ones and line breaks included) made one space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

NETWORKS = ("linkedin", "x", "mastodon")
# The most each network accepts, as it counts (X: weighted; links count 23 on X and Mastodon,
# LinkedIn counts every character of a link).
LIMITS = {"x": 280, "mastodon": 500, "linkedin": 3000}
LINK_LENGTH = 23
SHORT_LINKS = ("x", "mastodon")  # the networks that count any link as LINK_LENGTH

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]{1,2000}", re.IGNORECASE)
HASHTAG = re.compile(r"(?<![\w#&])#\w{1,140}")
MASTODON_MENTION = re.compile(r"(?<![\w@])(@\w{1,30})@[\w.-]{1,253}\w")
_TRAILING = ".,;:!?)]}'’\"»…"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    base = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in base if not unicodedata.combining(c)) or char
    return kept.translate(_APOSTROPHES).casefold()


def fold(text: str) -> str:
    """A phrase as it is compared: case, accents, apostrophes and spacing folded."""
    return " ".join("".join(_fold_char(c) for c in text).split())


@dataclass(frozen=True)
class Folded:
    """The folded draft and, for each of its characters, the offset in the draft."""

    text: str
    origin: tuple[int, ...]
    length: int  # length of the draft

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the draft of the folded characters start..end."""
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return first, last


def fold_text(text: str) -> Folded:
    """`text` folded, with the way back to its offsets."""
    out: list[str] = []
    origin: list[int] = []
    previous_space = True  # leading spaces are dropped
    for index, char in enumerate(text):
        piece = _fold_char(char)
        if piece == " ":
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        out.append(piece)
        origin.extend([index] * len(piece))
    return Folded("".join(out), tuple(origin), len(text))


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_phrase(folded: Folded, phrase: str) -> list[tuple[int, int]]:
    """Spans in the draft where `phrase` (already folded) appears as whole words.

    A phrase ending in `*` matches any word that starts with it (`licenci*`).
    """
    prefix = phrase.endswith("*")
    needle = phrase[:-1] if prefix else phrase
    if not needle:
        return []
    hay = folded.text
    spans = []
    start = hay.find(needle)
    while start != -1:
        end = start + len(needle)
        left_ok = start == 0 or not (_is_word(hay[start - 1]) and _is_word(needle[0]))
        right_ok = end == len(hay) or not (_is_word(hay[end]) and _is_word(needle[-1]))
        if left_ok and (right_ok or prefix):
            if prefix:
                while end < len(hay) and _is_word(hay[end]):
                    end += 1
            spans.append(folded.span(start, end))
        start = hay.find(needle, start + 1)
    return spans


def links(text: str) -> list[tuple[int, int]]:
    """Spans of the web addresses in `text`, without the punctuation that ends a sentence."""
    spans = []
    for match in URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


def hashtags(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in HASHTAG.finditer(text)]


def _x_weight(char: str) -> int:
    """X's weighted length (twitter-text v3): Latin and common punctuation 1, the rest 2.

    X counts the text in NFC, where an accent typed as a combining mark joins its letter:
    such a mark weighs nothing here. An emoji sequence joined by U+200D counts each of its
    parts (X counts it as 2): the figure can only be too high, never let a post through.
    """
    if unicodedata.combining(char):
        return 0
    code = ord(char)
    if code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247:
        return 1
    return 2


def counted_length(text: str, network: str) -> tuple[int, int | None]:
    """(length as `network` counts it, offset in `text` where the limit is passed or None)."""
    limit = LIMITS[network]
    total = 0
    over = None
    skips: dict[int, tuple[int, int]] = {}
    if network in SHORT_LINKS:
        skips = {start: (end, LINK_LENGTH) for start, end in links(text)}
    if network == "mastodon":
        # Mastodon counts a remote mention @name@server as @name.
        for match in MASTODON_MENTION.finditer(text):
            skips.setdefault(match.start(), (match.end(), len(match.group(1))))
    index = 0
    weigh = _x_weight if network == "x" else None
    text_len = len(text)
    while index < text_len:
        if index in skips:
            end, cost = skips[index]
        else:
            char = text[index]
            end, cost = index + 1, (weigh(char) if weigh else 1)
        total += cost
        if over is None and total > limit:
            over = index
        index = end
    return total, over


# Small, frequent words that tell French from English (a draft is rarely both).
_FR = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "un",
        "une",
        "et",
        "est",
        "pour",
        "que",
        "qui",
        "dans",
        "avec",
        "sur",
        "nous",
        "vous",
        "pas",
        "plus",
        "ce",
        "cette",
        "ces",
        "au",
        "aux",
        "mais",
        "je",
        "tu",
        "il",
        "elle",
        "ils",
        "leur",
        "notre",
        "nos",
        "votre",
        "être",
        "été",
        "fait",
        "très",
    ]
)
_EN = frozenset(
    [
        "the",
        "an",
        "and",
        "is",
        "are",
        "for",
        "that",
        "who",
        "in",
        "with",
        "on",
        "we",
        "you",
        "not",
        "more",
        "this",
        "these",
        "to",
        "of",
        "it",
        "but",
        "he",
        "she",
        "they",
        "their",
        "our",
        "your",
        "be",
        "been",
        "did",
        "very",
    ]
)


def language_of(text: str) -> str:
    """ "fr" or "en": which language's small words the draft uses most (ties: English)."""
    words = re.findall(r"[^\W\d_]{1,20}", text.casefold())
    french = sum(w in _FR for w in words)
    english = sum(w in _EN for w in words)
    return "fr" if french > english else "en"
