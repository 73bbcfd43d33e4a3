"""The PDF's bundled font (DejaVu Sans): parsed once per process, lines measured
incrementally, and the characters both weights can print.

fpdf2 reads a font file for every document and measures a growing line again from its
start after each character; both cost most of the PDF's time (bench/bench_exports.py).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, cast

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import SubsetMap, TTFFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
UNUSED_TABLES = ("GDEF", "GPOS", "GSUB")  # layout tables: the pack does no text shaping


class _PackFont(TTFFont):
    """fpdf2's TrueType font, measuring a growing line in constant time.

    fpdf2 breaks lines by measuring the whole line again after each character it
    adds, which made text layout most of the PDF's time. The widths are the same
    integers summed in the same order; only the sum of the line so far is kept,
    so a line one character longer costs one addition.
    """

    __slots__ = ("_last_text", "_last_units")
    _last_text: str  # the line measured last
    _last_units: float  # its width, in font units (whole numbers from the font's widths)

    def get_text_width(
        self, text: str, font_size_pt: float, text_shaping_params: dict[str, Any] | None
    ) -> tuple[int, float]:
        if text_shaping_params or self.is_symbol:
            return super().get_text_width(text, font_size_pt, text_shaping_params)
        if font_size_pt > self.biggest_size_pt:
            self.biggest_size_pt = font_size_pt
        if len(text) == 1:  # the next character, measured between two measures of the line
            return 1, self.cw[ord(text)] * font_size_pt * 0.001
        last = self._last_text
        if len(text) == len(last) + 1 and text.startswith(last):
            units = self._last_units + self.cw[ord(text[-1])]
        elif text == last:
            units = self._last_units
        else:
            cw = self.cw
            units = sum(cw[ord(c)] for c in text)
        self._last_text, self._last_units = text, units
        return len(text), units * font_size_pt * 0.001


_UNCUT: dict[str, ttLib.TTFont] = {}  # font files read for the cache and not yet cut down


@functools.cache
def _parsed_font(file: str) -> TTFFont:
    """The font's character map and widths, read once per process (fpdf2 reads them per document)."""
    scratch = FPDF()
    scratch.add_font("parsed", "", str(FONT_DIR / file))
    font = cast(TTFFont, scratch.fonts["parsed"])  # a font added from a file is a TTFFont
    font.cmap = dict(font.cmap)  # its own copy: cutting the font file down must not touch it
    _UNCUT[file] = font.ttfont
    return font


def add_parsed_font(pdf: FPDF, style: str, file: str) -> None:
    """`pdf.add_font(FONT, style, file)`, sharing the parsed tables that never change.

    What a document changes stays its own: the glyphs it uses (its subset) and, from
    `PackDocument.output`, the font file object that fpdf2 cuts down to that subset.
    """
    parsed = _parsed_font(file)
    font = _PackFont.__new__(_PackFont)
    for slot in TTFFont.__slots__:
        if hasattr(parsed, slot):
            setattr(font, slot, getattr(parsed, slot))
    font._last_text, font._last_units = "", 0
    font.i = len(pdf.fonts) + 1
    font.fontkey = FONT.lower() + style
    font.emphasis = TextEmphasis.coerce(style)
    font.subset = SubsetMap(font)
    font.ttfont = None  # set by `PackDocument.output`: the parsed one may already be cut down
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    pdf.fonts[font.fontkey] = font


def font_file(file: str) -> ttLib.TTFont:
    """A font file object for one document's output, which cuts it down in place.

    The first document gets the one already read for the cache; later ones read the file again.
    """
    tables = _UNCUT.pop(file, None) or ttLib.TTFont(
        FONT_DIR / file, recalcTimestamp=False, lazy=True
    )
    for tag in UNUSED_TABLES:  # fpdf2 drops them from the subset; not reading them saves time
        if tag in tables:
            del tables[tag]
    return tables


@functools.cache
def glyphs() -> frozenset[int]:
    """Characters both weights of the bundled font can print."""
    regular, bold = (_parsed_font(file) for file in FONT_FILES.values())
    return frozenset(regular.cmap) & frozenset(bold.cmap)


def missing_mark(char: str) -> str:
    """A character the font lacks, as printed instead: '[U+1F600]'."""
    return f"[U+{ord(char):04X}]"
