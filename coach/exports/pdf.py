"""The board pack as PDF (fpdf2): a one-page summary, then changes, risks, plan, progress, method.

The bundled DejaVu Sans font is embedded, so French typography renders and
extracts as text on any machine. Charts are the SVG of `svg.py`, which fpdf2
draws as vector graphics (text included). A character the font lacks (an
emoji, a Chinese name) is printed as its code, `[U+1F600]`, and named in a note
at the end: it never vanishes into a box.

Speed (bench/bench_exports.py): page 1 is laid out once at full size and only
again, smaller, when it overflows; table columns are sized from measured text;
the fonts are parsed once per process; lines are measured incrementally.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO, Literal, cast, overload

from fontTools import ttLib
from fpdf import FPDF, FontFace
from fpdf.enums import TextEmphasis, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import OutputProducer

from coach.exports import layout
from coach.exports.pack import BoardPack
from coach.exports.perception import perception_pdf
from coach.exports.svg import PALETTE, charts, rgb

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"
INK, MUTED, BLUE, HEAD_FILL = (rgb(PALETTE[k]) for k in ("ink", "muted", "blue", "head"))
STATUS_STYLE = {
    code: (rgb(PALETTE[code]), rgb(PALETTE[f"{code}_fill"]))
    for code in ("on_track", "at_risk", "off_track", "no_data")
}
LINE = 4.6  # mm, body line height
CELL_PAD = 1.2  # mm, left and right padding of a table cell
SUMMARY_ZOOMS = (1.0, 0.96, 0.92, 0.88, 0.84, 0.8, 0.76, 0.72)
# A heading never ends a page: it needs this much room below it for what follows.
KEEP_WITH_NEXT = 24
BOTTOM_MARGIN = 16


def render_pdf(pack: BoardPack, paper: str = "A4") -> bytes:
    pdf = _summary_on_one_page(pack, paper)
    pdf.changes_section()
    pdf.plan_section()
    pdf.progress_section()
    perception_pdf(pdf)
    pdf.method_section()
    return bytes(pdf.output())


def _summary_on_one_page(pack: BoardPack, paper: str) -> PackPDF:
    """The document with page 1 laid out once, at the largest type that keeps it on one page.

    Page 1 is first laid out at full size with page breaks off, which measures it:
    when it fits, that document is the one we keep. Otherwise the height it took
    gives the zoom to use, and page 1 is laid out once more at that zoom (checked
    the same way; a summary longer than the smallest zoom allows flows onto page 2).
    """
    zooms = list(SUMMARY_ZOOMS)
    zoom = zooms[0]
    while True:
        pdf = PackPDF(pack, paper, zoom)
        smallest = zoom == zooms[-1]
        pdf.set_auto_page_break(smallest, margin=BOTTOM_MARGIN)
        pdf.summary_page()
        height = pdf.get_y() - pdf.t_margin
        room = pdf.page_break_trigger - pdf.t_margin
        if smallest or height <= room:
            pdf.set_auto_page_break(True, margin=BOTTOM_MARGIN)
            pdf.zoom = 1.0
            return pdf
        # Type and line heights shrink with the zoom, spacing does not: aim a little lower.
        needed = zoom * room / height
        zoom = next((z for z in zooms if z < zoom and z <= needed), zooms[-1])


# Breaking whitespace; the no-break spaces of French typography (U+00A0, U+202F) are kept.
_BREAKING_SPACE = re.compile(
    r"[\t\n\v\f\r \x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+"
)


def _plain(text: object) -> str:
    """One line of text: tabs, CR and newlines typed by the user become spaces.

    A no-break space stays one, so « 9 févr. » or « Cible : » is never split over two lines.
    """
    return _BREAKING_SPACE.sub(" ", str(text)).strip(" ")


# A table row cannot break across pages: past this, a cell (a long note) is cut with "…".
# The HTML and Markdown packs keep the whole text.
MAX_CELL_CHARS = 600


def _clip(value: object) -> str:
    text = _plain(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1].rstrip() + "…"


# ---- fonts, parsed once per process ----------------------------------------------------------------

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
    _last_units: int  # its width, in font units

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


def _add_parsed_font(pdf: FPDF, style: str, file: str) -> None:
    """`pdf.add_font(FONT, style, file)`, sharing the parsed tables that never change.

    What a document changes stays its own: the glyphs it uses (its subset) and, from
    `PackPDF.output`, the font file object that fpdf2 cuts down to that subset.
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
    font.ttfont = None  # set by `PackPDF.output`: the parsed one may already be cut down
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    pdf.fonts[font.fontkey] = font


def _font_file(file: str) -> ttLib.TTFont:
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
def _glyphs() -> frozenset[int]:
    """Characters both weights of the bundled font can print."""
    regular, bold = (_parsed_font(file) for file in FONT_FILES.values())
    return frozenset(regular.cmap) & frozenset(bold.cmap)


def missing_mark(char: str) -> str:
    return f"[U+{ord(char):04X}]"


class PackPDF(FPDF):
    def __init__(self, pack: BoardPack, paper: str, zoom: float = 1.0) -> None:
        super().__init__(orientation="portrait", unit="mm", format=_format(paper))
        self.pack = pack
        self.zoom = zoom  # below 1 when the summary needs tighter type to stay on one page
        for style, file in FONT_FILES.items():
            _add_parsed_font(self, style, file)
        self._glyphs = _glyphs()
        self.missing: dict[str, None] = {}  # characters printed as their code, in order
        self.set_margins(16, 20, 16)
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        self.set_title(pack.text("doc_title", name=_plain(pack.profile_name)))
        self.set_author(_plain(pack.profile_name))
        self.set_creator("coach")
        self.set_lang("fr-CA" if pack.lang == "fr" else "en")
        # A fixed date keeps the same pack byte-for-byte reproducible.
        self.set_creation_date(datetime.combine(pack.generated_on, time(12), UTC))
        self.set_text_color(*INK)

    def clean(self, text: object) -> str:
        """One line the font can print; a missing character becomes its code, never a box."""
        line = _plain(text)
        if all(ord(ch) in self._glyphs for ch in line):
            return line
        out = []
        for ch in line:
            if ord(ch) in self._glyphs:
                out.append(ch)
            elif unicodedata.category(ch) in ("Mn", "Cf"):  # a joiner or variation selector
                continue
            else:
                self.missing[ch] = None
                out.append(missing_mark(ch))
        return "".join(out)

    @overload
    def output(  # type: ignore[overload-overlap]
        self,
        name: Literal[""] | None = "",
        *,
        linearize: bool = False,
        output_producer_class: type[OutputProducer] = OutputProducer,
    ) -> bytearray: ...

    @overload
    def output(
        self,
        name: str | os.PathLike[str] | BinaryIO,
        *,
        linearize: bool = False,
        output_producer_class: type[OutputProducer] = OutputProducer,
    ) -> None: ...

    def output(
        self,
        name: str | os.PathLike[str] | BinaryIO | None = "",
        *,
        linearize: bool = False,
        output_producer_class: type[OutputProducer] = OutputProducer,
    ) -> bytearray | None:
        for style, file in FONT_FILES.items():
            font = cast(TTFFont, self.fonts[FONT.lower() + style])  # from `_add_parsed_font`
            font.ttfont = _font_file(file)
        return super().output(
            name, linearize=linearize, output_producer_class=output_producer_class
        )

    # ---- page furniture ---------------------------------------------------------------------------

    def header(self) -> None:
        pack = self.pack
        self.set_y(9)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        name = self.clean(pack.profile_name)
        name = name if len(name) <= 60 else name[:59] + "…"
        self.cell(self.epw * 0.7, 5, pack.text("header", name=name), align="L")
        self.cell(self.epw * 0.3, 5, pack.date(pack.generated_on, long=True), align="R")
        self.set_draw_color(*HEAD_FILL)
        self.line(self.l_margin, 15, self.w - self.r_margin, 15)
        self.set_text_color(*INK)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(self.epw * 0.75, 5, self.clean(layout.footer_line(self.pack)), align="L")
        page = self.pack.text("footer_page", page=self.page_no(), total="{nb}")
        self.cell(self.epw * 0.25, 5, page, align="R")
        self.set_text_color(*INK)

    # ---- building blocks --------------------------------------------------------------------------

    def font(self, style: str, size: float) -> None:
        self.set_font(FONT, style, size * self.zoom)

    @property
    def lh(self) -> float:
        """Body line height at the current zoom."""
        return LINE * self.zoom

    def h1(self, text: str) -> None:
        self.font("B", 16)
        self.set_text_color(*BLUE)
        self.multi_cell(
            0, 7.5 * self.zoom, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_text_color(*INK)

    def h2(self, text: str, keep: float = KEEP_WITH_NEXT) -> None:
        if self.will_page_break(12 + keep):
            self.add_page()
        self.ln(2)
        self.font("B", 13)
        self.set_text_color(*BLUE)
        self.cell(0, 7 * self.zoom, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*BLUE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_text_color(*INK)
        self.ln(1.5)

    def h3(self, text: str, keep: float = KEEP_WITH_NEXT) -> None:
        if self.will_page_break(8 + keep):
            self.add_page()
        self.ln(1.2)
        self.font("B", 10.5)
        self.multi_cell(
            0, 5.5 * self.zoom, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def para(self, text: str, bold: bool = False, muted: bool = False, size: float = 9.5) -> None:
        self.font("B" if bold else "", size)
        line = self.clean(text)
        lines = self.multi_cell(0, self.lh, line, dry_run=True, output="LINES")
        if self.will_page_break(len(lines) * self.lh):
            self.add_page()  # a short paragraph stays on one page
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, self.lh, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def bullets(self, lines: Sequence[str], numbered: bool = False, size: float = 9.5) -> None:
        self.font("", size)
        for i, line in enumerate(lines, 1):
            mark = f"{i}." if numbered else "•"
            text = self.clean(line)
            rows = self.multi_cell(self.epw - 6, self.lh, text, dry_run=True, output="LINES")
            if self.will_page_break(len(rows) * self.lh):
                self.add_page()  # an item is never cut in two
            self.set_x(self.l_margin + 1)
            self.cell(5, self.lh, mark)
            self.multi_cell(
                self.epw - 6,
                self.lh,
                text,
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    def block_height(self, title: str, lines: Sequence[str]) -> float:
        """Height of a bold 9.5 pt paragraph and its 9 pt bullets, measured without drawing."""
        self.font("B", 9.5)
        count = len(self.multi_cell(0, self.lh, self.clean(title), dry_run=True, output="LINES"))
        self.font("", 9)
        for line in lines:
            text = self.clean(line)
            count += len(self.multi_cell(self.epw - 6, self.lh, text, dry_run=True, output="LINES"))
        return count * self.lh

    def not_yet(self, key: str) -> None:
        self.para(self.pack.text(f"not_yet.{key}"), muted=True)

    def grid(
        self,
        headers: list[str],
        rows: list[list[object]],
        numeric: set[int] = frozenset(),
        styles: dict[tuple[int, int], FontFace] | None = None,
        size: float = 8.5,
        widths: Sequence[float] | None = None,
    ) -> None:
        styles = styles or {}
        head = [self.clean(h) for h in headers]
        body = [[self.clean(_clip(value)) for value in values] for values in rows]
        if widths is None:
            bold = {c for (_r, c), face in styles.items() if face.emphasis}
            widths = self.fit_widths(head, body, size, bold)
        self.font("", size)
        align = tuple("RIGHT" if i in numeric else "LEFT" for i in range(len(headers)))
        heading = FontFace(emphasis="BOLD", fill_color=HEAD_FILL, color=INK)
        with self.table(
            col_widths=widths,
            text_align=align,
            headings_style=heading,
            line_height=4.2 * self.zoom,
            padding=(0.8, CELL_PAD),
            borders_layout="HORIZONTAL_LINES",
            width=self.epw,
        ) as table:
            row = table.row()
            for header in head:
                row.cell(header)
            for r, values in enumerate(body):
                row = table.row()
                for c, value in enumerate(values):
                    row.cell(value, style=styles.get((r, c)))
        self.ln(1.5)

    def fit_widths(
        self, head: list[str], body: list[list[str]], size: float, bold: set[int] = frozenset()
    ) -> list[float]:
        """Column widths from what the cells hold, measured once instead of laid out.

        A column whose longest cell fits keeps that width; the space left is shared
        equally by the wider columns (their text wraps). A header wraps between words,
        never inside one.
        """
        pad = 2 * CELL_PAD + 0.6
        self.font("B", size)
        # Split where a line may break: not at a non-breaking space ("9 févr.").
        floor = [max(map(self.get_string_width, h.split(" ")), default=0) + pad for h in head]
        natural = []
        for c in range(len(head)):
            self.font("B" if c in bold else "", size)
            natural.append(max([self.get_string_width(row[c]) + pad for row in body] + [floor[c]]))
        room = self.epw
        if sum(natural) <= room:
            # Room to spare goes to the headers that would take more than two lines.
            self.font("B", size)
            spare = room - sum(natural)
            for c, header in enumerate(head):
                grow = min(spare, max(0.0, self.get_string_width(header) / 2 + pad - natural[c]))
                natural[c] += grow
                spare -= grow
            return natural
        if sum(floor) >= room:
            return floor
        # Narrowest first: each column takes its text's width, at most an equal share of the
        # room still free, so the widest columns share what is left and wrap.
        widths = list(floor)
        left, order = room, sorted(range(len(head)), key=natural.__getitem__)
        for k, c in enumerate(order):
            widths[c] = max(floor[c], min(natural[c], left / (len(order) - k)))
            left -= widths[c]
        return widths

    # ---- page 1 -----------------------------------------------------------------------------------

    def summary_page(self) -> None:
        pack = self.pack
        self.add_page()
        self.h1(pack.text("doc_title", name=pack.profile_name))
        self.para(layout.prepared_line(pack), muted=True, size=8.5)
        if not pack.has_assessment:
            self.h2(pack.text("section.summary"))
            self.not_yet("assessment")
            return
        self.h2(pack.text("section.bottom_line"))
        for sentence in pack.bottom_line:
            self.para(sentence, bold=sentence is pack.bottom_line[-1], size=10)
            self.ln(0.6)

        self.h3(pack.text("section.maturity"))
        self.para(layout.assessed_line(pack), size=8.5, muted=True)
        self.grid(*layout.maturity_table(pack), numeric={4})

        if pack.goals:
            self.h3(pack.text("section.goals"))
            headers, rows = layout.goals_table(pack)
            styles = {}
            for r, goal in enumerate(pack.goals):
                color, fill = STATUS_STYLE.get(goal.status, STATUS_STYLE["no_data"])
                styles[(r, 3)] = FontFace(emphasis="BOLD", color=color, fill_color=fill)
            self.grid(headers, rows, styles=styles)

        self.h3(pack.text("section.priorities"))
        if pack.where_to_start:
            lines = [layout.priority_line(pack, s) for s in pack.where_to_start]
            self.bullets(lines, numbered=True, size=9)
        else:
            self.not_yet("priorities")
        self.h3(pack.text("section.asks"))
        self.bullets(pack.asks, size=9)

    # ---- the rest ---------------------------------------------------------------------------------

    def changes_section(self) -> None:
        pack = self.pack
        self.add_page()
        self.h2(pack.text("section.changes"))
        if pack.changes:
            self.bullets(pack.changes, size=9)
        else:
            self.not_yet("changes")
        self.h2(pack.text("section.risks"))
        self.bullets(pack.risks, size=9)

    def plan_section(self) -> None:
        pack = self.pack
        self.h2(pack.text("section.plan"))
        if not pack.steps:
            self.not_yet("plan")
            return
        if pack.completion:
            self.para(layout.completion_line(pack))
        # One set of column widths for every phase, so the tables line up.
        headers, rows = layout.steps_table(pack, pack.steps)
        widths = self.fit_widths(
            [self.clean(h) for h in headers],
            [[self.clean(_clip(value)) for value in row] for row in rows],
            8.5,
        )
        for phase, steps in pack.phases():
            self.h3(phase)
            self.grid(*layout.steps_table(pack, steps), numeric={3}, widths=widths)
        if pack.where_to_start:
            self.h3(pack.text("section.first_steps"), keep=30)
        for step in pack.where_to_start:
            lines = list(step.why)
            if step.starter:
                lines.append(pack.text("labelled", label=pack.text("starter"), text=step.starter))
            if self.will_page_break(self.block_height(step.title, lines)):
                self.add_page()  # a step and its reasons stay together
            self.para(step.title, bold=True)
            self.bullets(lines, size=9)
            self.ln(1)

    def progress_section(self) -> None:
        pack = self.pack
        self.add_page()
        self.h2(pack.text("section.progress"))
        gap = 6
        width = (self.epw - gap) / 2
        height = width * 230 / 440
        row_top = self.get_y()
        for i, (_name, title, svg) in enumerate(charts(pack, font=FONT)):
            x = self.l_margin + (i % 2) * (width + gap)
            if i % 2 == 0 and i:
                row_top += height + 4
            if svg is None:
                self._empty_chart(x, row_top, width, height, title)
            else:
                self.image(BytesIO(svg.encode("utf-8")), x=x, y=row_top, w=width, alt_text=title)
        self.set_y(row_top + height + 4)
        earlier = layout.earlier_line(pack)
        if earlier:
            self.para(earlier, muted=True, size=8.5)

        self.h3(pack.text("section.checkins"))
        if pack.checkins:
            note = layout.checkins_note(pack)
            if note:
                self.para(note, muted=True, size=8.5)
            self.grid(*layout.checkins_table(pack), numeric={1, 2, 3, 4, 5})
        else:
            self.not_yet("checkins")

    def _empty_chart(self, x: float, y: float, width: float, height: float, title: str) -> None:
        self.set_draw_color(*HEAD_FILL)
        self.rect(x, y, width, height)
        self.set_xy(x + 3, y + 3)
        self.font("B", 9)
        self.multi_cell(width - 6, self.lh, title, align="L")
        self.set_x(x + 3)
        self.font("", 8.5)
        self.set_text_color(*MUTED)
        self.multi_cell(width - 6, self.lh, self.pack.text("not_yet.chart"), align="L")
        self.set_text_color(*INK)

    def method_section(self) -> None:
        pack = self.pack
        self.h2(pack.text("section.method"))
        for paragraph in layout.method_paragraphs(pack):
            self.para(paragraph, size=9)
            self.ln(1)
        found = layout.sources(pack)
        if found:
            self.h3(pack.text("section.sources"), keep=10)
            self.bullets([f"{title} · {url}" if url else title for title, url in found], size=8.5)
        if self.missing:
            names = ", ".join(
                f"{missing_mark(ch)} {unicodedata.name(ch, '?').lower()}" for ch in self.missing
            )
            self.ln(1)
            self.para(pack.text("missing_glyphs", names=names), muted=True, size=8.5)


def _format(paper: str) -> str:
    return "Letter" if paper.lower() == "letter" else "A4"
