"""The board pack as PDF (fpdf2): a one-page summary, then changes, risks, plan, progress, method.

The bundled DejaVu Sans font is embedded, so French typography renders and
extracts as text on any machine. Charts are the SVG of `svg.py`, which fpdf2
draws as vector graphics (text included). A character the font lacks (an
emoji, a Chinese name) is printed as its code, `[U+1F600]`, and named in a note
at the end: it never vanishes into a box.

Speed (bench/bench_exports.py): page 1 is laid out once at full size and only
again, smaller, when it overflows; table columns are sized from measured text;
the fonts are parsed once per process; lines are measured incrementally.

The document and its building blocks are in `pdf_document.py`, the font in `pdf_fonts.py`;
this module lays out the pack's sections.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO

from fpdf import FontFace

from coach.exports import layout
from coach.exports.pack import BoardPack
from coach.exports.pdf_document import (
    BLUE,
    BOTTOM_MARGIN,
    CELL_PAD,
    HEAD_FILL,
    INK,
    KEEP_WITH_NEXT,
    LINE,
    MAX_CELL_CHARS,
    MUTED,
    PackDocument,
    clip,
)
from coach.exports.pdf_fonts import FONT, FONT_DIR, FONT_FILES, UNUSED_TABLES, missing_mark
from coach.exports.perception import perception_pdf
from coach.exports.svg import PALETTE, charts, rgb

# Names other modules imported from here before the document and the font had their own.
__all__ = [
    "BLUE",
    "BOTTOM_MARGIN",
    "CELL_PAD",
    "FONT",
    "FONT_DIR",
    "FONT_FILES",
    "HEAD_FILL",
    "INK",
    "KEEP_WITH_NEXT",
    "LINE",
    "MAX_CELL_CHARS",
    "MUTED",
    "STATUS_STYLE",
    "SUMMARY_ZOOMS",
    "UNUSED_TABLES",
    "PackPDF",
    "missing_mark",
    "render_pdf",
]

STATUS_STYLE = {
    code: (rgb(PALETTE[code]), rgb(PALETTE[f"{code}_fill"]))
    for code in ("on_track", "at_risk", "off_track", "no_data")
}
SUMMARY_ZOOMS = (1.0, 0.96, 0.92, 0.88, 0.84, 0.8, 0.76, 0.72)


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


class PackPDF(PackDocument):
    """The board pack's sections, in the order `render_pdf` lays them out."""

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
        lines = [layout.priority_line(pack, s) for s in pack.where_to_start]
        self.items(lines, "priorities", numbered=True)
        self.h3(pack.text("section.asks"))
        self.bullets(pack.asks, size=9)

    # ---- the rest ---------------------------------------------------------------------------------

    def changes_section(self) -> None:
        pack = self.pack
        self.add_page()
        self.h2(pack.text("section.changes"))
        self.items(pack.changes, "changes")
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
            [[self.clean(clip(value)) for value in row] for row in rows],
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
