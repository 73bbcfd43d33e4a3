"""UI strings in French and English.

Catalogues live in coach/locales/<lang>/*.yaml; each file holds one area
(`engine`, `store`, `ui`, ...) so that the areas can grow independently.
Keys are dotted paths: ``t("engine.reason.score", "fr", dimension=..., score=...)``.
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from coach.typography import typeset

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES_DIR = Path(__file__).parent / "locales"


def normalize_lang(lang: str | None) -> str:
    """Map a locale such as 'fr-CA' or 'en_US.UTF-8' to 'fr' or 'en'."""
    if not lang:
        return DEFAULT_LANGUAGE
    head = lang.replace("_", "-").split("-")[0].split(".")[0].lower()
    return head if head in LANGUAGES else "en"


def env_lang() -> str:
    """Language for the command line: COACH_LANG, then LANG, else French."""
    return normalize_lang(os.environ.get("COACH_LANG") or os.environ.get("LANG"))


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), sub, out)
    else:
        out[prefix] = str(value)


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, flattened to dotted keys."""
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            _flatten("", yaml.load(handle, Loader=loader) or {}, out)
    return out


def t(key: str, lang: str, /, **params: Any) -> str:
    """The string `key` in `lang`, formatted with `params`.

    A missing key shows the key itself (tests make sure none is missing).
    """
    text = catalogue(normalize_lang(lang)).get(key)
    if text is None:
        return key
    with contextlib.suppress(KeyError, IndexError, ValueError):
        text = text.format(**params) if params else text
    return typeset(text, normalize_lang(lang))


def has_key(key: str, lang: str) -> bool:
    return key in catalogue(normalize_lang(lang))


def pick(text: Any, lang: str) -> str:
    """The `lang` side of a bilingual playbook text ({fr:..., en:...})."""
    if isinstance(text, dict):
        chosen = text.get(lang) or text.get("en") or text.get("fr") or ""
    elif hasattr(text, "get"):
        chosen = text.get(lang)
    else:
        chosen = "" if text is None else text
    return typeset(str(chosen), normalize_lang(lang))


def fmt_number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number as people write it: '2,5' in French, '2.5' in English."""
    if value is None:
        return "—"
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.{digits}f}"
    if normalize_lang(lang) == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def is_one(count: float, lang: str) -> bool:
    """French puts 0 and 1 (and 1,5) in the singular; English only 1."""
    if normalize_lang(lang) == "fr":
        return abs(count) < 2
    return count == 1


def tp(key: str, lang: str, count: float, /, **params: Any) -> str:
    """The singular (`key.one`) or plural (`key.other`) sentence for `count`."""
    form = "one" if is_one(count, lang) else "other"
    return t(f"{key}.{form}", lang, count=fmt_number(count, lang), **params)


# Words that end in s in the singular: never cut their s (« fois », « cours », « bus »).
_KEEP_S = ("is", "os", "us", "ss", "ys")


def unit_for(unit: str, value: float | None, lang: str) -> str:
    """A playbook unit agreed with its number: « 1 publication », not « 1 publications ».

    Playbooks give units in the plural; for a singular value the first word loses its s.
    """
    if not unit or value is None or not is_one(value, lang):
        return unit
    first, space, rest = unit.partition(" ")
    if len(first) > 3 and first.endswith("s") and not first.endswith(_KEEP_S):
        first = first[:-1]
    return f"{first}{space}{rest}"
