"""The board pack as PDF (fpdf2): summary page first, then plan, progress charts, method.

The bundled DejaVu Sans font is embedded, so French typography renders and
extracts as text on any machine. Charts are PNG images rendered by vl-convert.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from io import BytesIO
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from coach.exports import layout
from coach.exports.charts import build_charts, to_png
from coach.exports.pack import BoardPack

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu"
INK = (31, 42, 55)
MUTED = (91, 102, 118)
BLUE = (31, 78, 121)
HEAD_FILL = (238, 242, 247)
STATUS_STYLE = {
    "on_track": ((27, 94, 32), (232, 245, 233)),
    "at_risk": ((138, 90, 0), (255, 244, 219)),
    "off_track": ((142, 31, 20), (253, 236, 234)),
    "no_data": (MUTED, (241, 243, 245)),
}
LINE = 4.6  # mm, body line height
SUMMARY_ZOOMS = (1.0, 0.92, 0.85, 0.78)


def render_pdf(pack: BoardPack, paper: str = "A4") -> bytes:
    # The board reads one page first: tighten the type until the summary fits on it.
    for zoom in SUMMARY_ZOOMS:
        pdf = PackPDF(pack, paper, zoom)
        pdf.summary_page()
        if pdf.page == 1:
            break
    pdf.zoom = 1.0
    pdf.plan_section()
    pdf.progress_section()
    pdf.method_section()
    return bytes(pdf.output())


def _plain(text: object) -> str:
    """One line of text: tabs, CR and newlines typed by the user become spaces."""
    return " ".join(str(text).split())


# A table row cannot break across pages: past this, a cell (a long note) is cut with "…".
# The HTML and Markdown packs keep the whole text.
MAX_CELL_CHARS = 600


def _clip(value: object) -> str:
    text = _plain(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1].rstrip() + "…"


MISSING_GLYPH = "□"
NBSP = "\u00a0"
# French typography: a guillemet or a colon never starts a new line alone.
FRENCH_SPACES = (("« ", "«" + NBSP), (" »", NBSP + "»"), (" :", NBSP + ":"), (" ;", NBSP + ";"))


class PackPDF(FPDF):
    def __init__(self, pack: BoardPack, paper: str, zoom: float = 1.0) -> None:
        super().__init__(orientation="portrait", unit="mm", format=_format(paper))
        self.pack = pack
        self.zoom = zoom  # below 1 when the summary needs tighter type to stay on one page
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        # Characters the font lacks (emoji in a note) print as a box instead of vanishing.
        self._glyphs = frozenset(self.fonts[FONT.lower()].cmap) & frozenset(
            self.fonts[FONT.lower() + "B"].cmap
        )
        self.set_margins(16, 20, 16)
        self.set_auto_page_break(True, margin=16)
        self.set_title(pack.text("doc_title", name=_plain(pack.profile_name)))
        self.set_author(_plain(pack.profile_name))
        self.set_creator("coach")
        self.set_lang("fr-CA" if pack.lang == "fr" else "en")
        # A fixed date keeps the same pack byte-for-byte reproducible.
        self.set_creation_date(datetime.combine(pack.generated_on, time(12), UTC))
        self.set_text_color(*INK)

    def clean(self, text: object) -> str:
        """One line the font can print."""
        line = _plain(text)
        if self.pack.lang == "fr":
            for plain, tied in FRENCH_SPACES:
                line = line.replace(plain, tied)
        if all(ord(ch) in self._glyphs for ch in line):
            return line
        return "".join(ch if ord(ch) in self._glyphs else MISSING_GLYPH for ch in line)

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
        left = layout.method_playbook_line(self.pack)
        self.cell(self.epw / 2, 5, left, align="L")
        page = self.pack.text("footer_page", page=self.page_no(), total="{nb}")
        self.cell(self.epw / 2, 5, page, align="R")
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

    def h2(self, text: str) -> None:
        if self.will_page_break(30):
            self.add_page()
        self.ln(2)
        self.font("B", 13)
        self.set_text_color(*BLUE)
        self.cell(0, 7 * self.zoom, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*BLUE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_text_color(*INK)
        self.ln(1.5)

    def h3(self, text: str) -> None:
        if self.will_page_break(18):
            self.add_page()
        self.ln(1.2)
        self.font("B", 10.5)
        self.multi_cell(
            0, 5.5 * self.zoom, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def para(self, text: str, bold: bool = False, muted: bool = False, size: float = 9.5) -> None:
        self.set_font(FONT, "B" if bold else "", size)
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
            self.set_x(self.l_margin + 1)
            self.cell(5, self.lh, mark)
            self.multi_cell(
                self.epw - 6,
                self.lh,
                self.clean(line),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    def not_yet(self, key: str) -> None:
        self.para(self.pack.text(f"not_yet.{key}"), muted=True)

    def grid(
        self,
        headers: list[str],
        rows: list[list[object]],
        widths: Sequence[float],
        numeric: set[int] = frozenset(),
        styles: dict[tuple[int, int], FontFace] | None = None,
        size: float = 8.5,
    ) -> None:
        styles = styles or {}
        self.font("", size)
        align = tuple("RIGHT" if i in numeric else "LEFT" for i in range(len(headers)))
        heading = FontFace(emphasis="BOLD", fill_color=HEAD_FILL, color=INK)
        with self.table(
            col_widths=widths,
            text_align=align,
            headings_style=heading,
            line_height=4.2 * self.zoom,
            padding=(0.8, 1.2),
            borders_layout="HORIZONTAL_LINES",
            width=self.epw,
        ) as table:
            row = table.row()
            for header in headers:
                row.cell(self.clean(header))
            for r, values in enumerate(rows):
                row = table.row()
                for c, value in enumerate(values):
                    row.cell(self.clean(_clip(value)), style=styles.get((r, c)))
        self.ln(1.5)

    # ---- sections ---------------------------------------------------------------------------------

    def summary_page(self) -> None:
        pack = self.pack
        self.add_page()
        self.h1(pack.text("doc_title", name=pack.profile_name))
        self.para(layout.prepared_line(pack), muted=True, size=8.5)
        self.h2(pack.text("section.summary"))

        self.h3(pack.text("section.maturity"))
        if pack.maturity is None:
            self.not_yet("assessment")
        else:
            self.para(layout.assessed_line(pack), size=8.5, muted=True)
            self.para(layout.overall_line(pack), bold=True)
            self.grid(*layout.maturity_table(pack), widths=(34, 12, 24, 24, 10), numeric={1, 4})

        self.h3(pack.text("section.priorities"))
        if pack.priorities:
            self.bullets([layout.priority_line(pack, s) for s in pack.priorities], numbered=True)
        else:
            self.not_yet("priorities")

        self.h3(pack.text("section.goals"))
        if pack.goals:
            headers, rows = layout.goals_table(pack)
            styles = {}
            for r, goal in enumerate(pack.goals):
                color, fill = STATUS_STYLE.get(goal.status, STATUS_STYLE["no_data"])
                styles[(r, 3)] = FontFace(emphasis="BOLD", color=color, fill_color=fill)
            self.grid(headers, rows, widths=(30, 17, 19, 16, 12, 8), numeric={5}, styles=styles)
        else:
            self.not_yet("goals")

        self.h3(pack.text("section.changes"))
        if pack.changes:
            self.bullets(pack.changes, size=9)
        else:
            self.not_yet("changes")
        self.h3(pack.text("section.risks"))
        self.bullets(pack.risks, size=9)
        self.h3(pack.text("section.asks"))
        self.bullets(pack.asks, size=9)

    def plan_section(self) -> None:
        pack = self.pack
        self.add_page()
        self.h2(pack.text("section.plan"))
        if not pack.steps:
            self.not_yet("plan")
            return
        if pack.completion:
            self.para(layout.completion_line(pack))
        for phase, steps in pack.phases():
            self.h3(phase)
            self.grid(
                *layout.steps_table(pack, steps), widths=(42, 15, 15, 11, 18, 23), numeric={3}
            )
        self.h3(pack.text("section.first_steps"))
        for step in pack.priorities:
            self.para(step.title, bold=True)
            lines = list(step.why)
            if step.starter:
                lines.append(pack.text("labelled", label=pack.text("starter"), text=step.starter))
            self.bullets(lines, size=9)
            self.ln(1)

    def progress_section(self) -> None:
        pack = self.pack
        self.add_page()
        self.h2(pack.text("section.progress"))
        gap = 6
        width = (self.epw - gap) / 2
        row_top = self.get_y()
        row_height = 0.0
        for i, chart in enumerate(build_charts(pack)):
            x = self.l_margin + (i % 2) * (width + gap)
            if i % 2 == 0 and i:
                row_top += row_height + 4
                row_height = 0.0
            if chart.spec is None:
                height = self._empty_chart(x, row_top, width, chart.title)
            else:
                png = to_png(chart.spec, pack.lang)
                info = self.image(BytesIO(png), x=x, y=row_top, w=width, alt_text=chart.title)
                height = width * info.height / info.width
            row_height = max(row_height, height)
        self.set_y(row_top + row_height + 4)

        self.h3(pack.text("section.checkins"))
        if pack.checkins:
            widths = (17, 20, 15, 18, 18, 20, 40)
            self.grid(*layout.checkins_table(pack), widths=widths, numeric={1, 2, 3, 4, 5})
        else:
            self.not_yet("checkins")

    def _empty_chart(self, x: float, y: float, width: float, title: str) -> float:
        height = 40.0
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
        return height

    def method_section(self) -> None:
        pack = self.pack
        self.h2(pack.text("section.method"))
        for paragraph in pack.method:
            self.para(paragraph, size=9)
            self.ln(1)
        self.para(layout.method_playbook_line(pack), muted=True, size=8.5)


def _format(paper: str) -> str:
    return "Letter" if paper.lower() == "letter" else "A4"
