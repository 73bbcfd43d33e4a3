"""The PDF's building blocks (fpdf2): the document and its page furniture, headings,
paragraphs, bullets kept whole on a page, and tables whose columns are sized from their text.

`coach.exports.pdf` lays the board pack's sections out with them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, time
from typing import BinaryIO, Literal, cast, overload

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont
from fpdf.output import OutputProducer

from coach.exports import layout
from coach.exports.pack import BoardPack
from coach.exports.pdf_fonts import (
    FONT,
    FONT_FILES,
    add_parsed_font,
    font_file,
    glyphs,
    missing_mark,
)
from coach.exports.svg import PALETTE, rgb

INK, MUTED, BLUE, HEAD_FILL = (rgb(PALETTE[k]) for k in ("ink", "muted", "blue", "head"))
LINE = 4.6  # mm, body line height
CELL_PAD = 1.2  # mm, left and right padding of a table cell
# A heading never ends a page: it needs this much room below it for what follows.
KEEP_WITH_NEXT = 24
BOTTOM_MARGIN = 16


# Breaking whitespace; the no-break spaces of French typography (U+00A0, U+202F) are kept.
_BREAKING_SPACE = re.compile(
    r"[\t\n\v\f\r \x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+"
)


def plain(text: object) -> str:
    """One line of text: tabs, CR and newlines typed by the user become spaces.

    A no-break space stays one, so « 9 févr. » or « Cible : » is never split over two lines.
    """
    return _BREAKING_SPACE.sub(" ", str(text)).strip(" ")


# A table row cannot break across pages: past this, a cell (a long note) is cut with "…".
# The HTML and Markdown packs keep the whole text.
MAX_CELL_CHARS = 600


def clip(value: object) -> str:
    text = plain(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1].rstrip() + "…"


def paper_format(paper: str) -> str:
    return "Letter" if paper.lower() == "letter" else "A4"


class PackDocument(FPDF):
    """One board pack's PDF: its fonts, metadata and page furniture, and the blocks its
    sections are made of; `zoom` below 1 sets tighter type (page 1 when it must fit)."""

    def __init__(self, pack: BoardPack, paper: str, zoom: float = 1.0) -> None:
        super().__init__(orientation="portrait", unit="mm", format=paper_format(paper))
        self.pack = pack
        self.zoom = zoom  # below 1 when the summary needs tighter type to stay on one page
        for style, file in FONT_FILES.items():
            add_parsed_font(self, style, file)
        self._glyphs = glyphs()
        self.missing: dict[str, None] = {}  # characters printed as their code, in order
        self.set_margins(16, 20, 16)
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        self.set_title(pack.text("doc_title", name=plain(pack.profile_name)))
        self.set_author(plain(pack.profile_name))
        self.set_creator("coach")
        self.set_lang("fr-CA" if pack.lang == "fr" else "en")
        # A fixed date keeps the same pack byte-for-byte reproducible.
        self.set_creation_date(datetime.combine(pack.generated_on, time(12), UTC))
        self.set_text_color(*INK)

    def clean(self, text: object) -> str:
        """One line the font can print; a missing character becomes its code, never a box."""
        line = plain(text)
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
            font = cast(TTFFont, self.fonts[FONT.lower() + style])  # from `add_parsed_font`
            font.ttfont = font_file(file)
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
        if self.will_page_break(self.line_count(0, line) * self.lh):
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
            if self.will_page_break(self.line_count(self.epw - 6, text) * self.lh):
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

    def line_count(self, width: float, text: str) -> int:
        """How many body lines `text` takes in a cell `width` wide (0: to the right margin),
        measured without drawing."""
        lines = self.multi_cell(width, self.lh, text, dry_run=True, output="LINES")
        return len(cast(list[str], lines))

    def block_height(self, title: str, lines: Sequence[str]) -> float:
        """Height of a bold 9.5 pt paragraph and its 9 pt bullets, measured without drawing."""
        self.font("B", 9.5)
        count = self.line_count(0, self.clean(title))
        self.font("", 9)
        for line in lines:
            text = self.clean(line)
            count += self.line_count(self.epw - 6, text)
        return count * self.lh

    def not_yet(self, key: str) -> None:
        self.para(self.pack.text(f"not_yet.{key}"), muted=True)

    def items(self, lines: Sequence[str], missing: str, numbered: bool = False) -> None:
        """`lines` as 9 pt bullets, or the muted "not yet" sentence `missing` without any."""
        if lines:
            self.bullets(lines, numbered=numbered, size=9)
        else:
            self.not_yet(missing)

    def grid(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        numeric: Collection[int] = frozenset(),
        styles: dict[tuple[int, int], FontFace] | None = None,
        size: float = 8.5,
        widths: Sequence[float] | None = None,
    ) -> None:
        styles = styles or {}
        head = [self.clean(h) for h in headers]
        body = [[self.clean(clip(value)) for value in values] for values in rows]
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
        self,
        head: list[str],
        body: list[list[str]],
        size: float,
        bold: Collection[int] = frozenset(),
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
