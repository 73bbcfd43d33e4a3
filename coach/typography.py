"""One typography rule for every French text the product shows or exports.

The OQLF's rules, as the Banque de dépannage linguistique states them:
- a non-breaking space (U+00A0) before the colon, after « and before »;
- no space before ? ! ; (the OQLF accepts none, or a narrow non-breaking
  space; none renders the same in every font and never breaks a line);
- a non-breaking space between a number and its unit or the per cent sign
  (« 40 % », « 2,5 h »), so that a phone never puts them on two lines.
English text is returned unchanged. The function is idempotent, so it can be
applied to a sentence built from pieces that were already typeset.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"

_SPACES = "[ \u00a0\u202f\t]"
# A colon that ends a label (« Cible : 3 »), not one inside a URL or a time (10:30).
_COLON = re.compile(rf"(?<=[^\s\d:/]){_SPACES}*:(?=[\s*_)\]]|$)")
_DIGIT_COLON = re.compile(rf"(?<=\d){_SPACES}+:(?=\s|$)")
_OPEN_QUOTE = re.compile(rf"«{_SPACES}*")
_CLOSE_QUOTE = re.compile(rf"{_SPACES}*»")
_TIGHT = re.compile(rf"(?<=\S){_SPACES}+([?!;])")
_UNIT = re.compile(rf"(?<=\d){_SPACES}(%|h\b|min\b|\$)")


def typeset(text: str, lang: str) -> str:
    """`text` with the typography of `lang` (French: OQLF spacing; English: as is)."""
    if not text or not lang.lower().startswith("fr"):
        return text
    out = _COLON.sub(NBSP + ":", text)
    out = _DIGIT_COLON.sub(NBSP + ":", out)
    out = _OPEN_QUOTE.sub("«" + NBSP, out)
    out = _CLOSE_QUOTE.sub(NBSP + "»", out)
    out = _TIGHT.sub(r"\1", out)
    return _UNIT.sub(NBSP + r"\1", out)


def plain_spaces(text: str) -> str:
    """`text` with its non-breaking spaces made ordinary (for comparisons in tests and search)."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")
