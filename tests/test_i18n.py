"""Every string exists in every language, and every key the code asks for exists."""

from __future__ import annotations

import re
import string
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from coach import i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "coach" / "locales"
LANGS = sorted(p.name for p in LOCALES.iterdir() if p.is_dir())
AREAS = sorted({p.name for lang in LANGS for p in (LOCALES / lang).glob("*.yaml")})

# A catalogue key given as a literal to t(), to an error, a note, or a page link.
KEY_CALL = re.compile(
    r"""\b(?:t|InvalidInput|NotFound|CoachError|Note|Problem|link)\(\s*"""
    r"""(?:[^()"']*?,\s*)?(f?)["']([a-z][a-z0-9_]*\.[A-Za-z0-9_.{}\-]+)["']"""
)


def flat(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    i18n._flatten("", yaml.safe_load(path.read_text(encoding="utf-8")) or {}, out)
    return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_there_are_two_languages():
    assert LANGS == ["en", "fr"]


@pytest.mark.parametrize("area", AREAS)
def test_every_area_exists_in_every_language(area):
    missing = [lang for lang in LANGS if not (LOCALES / lang / area).exists()]
    assert not missing, f"{area} is missing in {missing}"


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("pair", list(combinations(LANGS, 2)), ids="-".join)
def test_same_keys_and_placeholders(area, pair):
    first, second = (flat(LOCALES / lang / area) for lang in pair)
    only_first = sorted(set(first) - set(second))
    only_second = sorted(set(second) - set(first))
    assert not only_first, f"{area}: keys only in {pair[0]}: {only_first}"
    assert not only_second, f"{area}: keys only in {pair[1]}: {only_second}"
    differ = [k for k in first if placeholders(first[k]) != placeholders(second[k])]
    assert not differ, f"{area}: placeholders differ between {pair}: {differ}"


def test_no_empty_string():
    empty = [
        f"{lang}/{area}: {key}"
        for lang in LANGS
        for area in AREAS
        if (LOCALES / lang / area).exists()
        for key, value in flat(LOCALES / lang / area).items()
        if not value.strip()
    ]
    assert not empty


def used_keys() -> list[tuple[str, str, bool]]:
    """(file, key, dynamic) for every catalogue key literal in coach/."""
    found = []
    for path in sorted((ROOT / "coach").rglob("*.py")):
        for fstring, key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            dynamic = bool(fstring) and "{" in key
            found.append((str(path.relative_to(ROOT)), key, dynamic))
    return found


def test_the_scan_finds_keys():
    keys = {key for _, key, _ in used_keys()}
    assert "ui.app.title" in keys and "ui.status." + "{status}" in keys


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_used_in_code_exists(lang):
    catalogue = i18n.catalogue(lang)
    missing = []
    for where, key, dynamic in used_keys():
        if dynamic or key.endswith("."):  # f"ui.status.{status}" or "engine.problem." + key
            prefix = key.split("{", 1)[0]
            if not any(k.startswith(prefix) for k in catalogue):
                missing.append(f"{where}: {key}")
        elif key not in catalogue and not any(k.startswith(key + ".") for k in catalogue):
            missing.append(f"{where}: {key}")
    assert not missing, f"missing in {lang}: {missing}"


def test_french_uses_quebec_typography():
    """« guillemets » and the typographic apostrophe in French strings the app shows."""
    text = (LOCALES / "fr" / "ui.yaml").read_text(encoding="utf-8")
    assert "'" not in "".join(flat(LOCALES / "fr" / "ui.yaml").values())
    assert "“" not in text and "«" in text
