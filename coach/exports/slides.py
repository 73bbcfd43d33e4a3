"""The board pack as slides (.pptx, python-pptx): summary, plan, goals with native charts.

Boards that read slides take the file as it is: every chart is a native
PowerPoint chart (its figures editable in PowerPoint), in the pack's palette.
PowerPoint picks a fallback font itself, so no character is lost here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from io import BytesIO
from typing import TYPE_CHECKING, cast

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.shapes.graphfrm import GraphicFrame
from pptx.util import Emu, Inches, Pt

from coach.exports import layout
from coach.exports.pack import BoardPack, Series
from coach.exports.svg import PALETTE, rgb

if TYPE_CHECKING:
    from pptx.presentation import Presentation as Deck
    from pptx.slide import Slide
    from pptx.table import _Cell
    from pptx.text.text import TextFrame, _Paragraph

WIDE, TALL = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
PLAN_ROWS = 8  # rows that fit on the slide even when every title takes two lines


def _colour(name: str) -> RGBColor:
    # python-pptx leaves RGBColor's constructor unannotated
    return RGBColor(*rgb(PALETTE[name]))  # type: ignore[no-untyped-call]


def _paragraph(frame: TextFrame) -> _Paragraph:
    """A new paragraph at the end of `frame`."""
    # python-pptx leaves TextFrame.add_paragraph unannotated
    paragraph: _Paragraph = frame.add_paragraph()  # type: ignore[no-untyped-call]
    return paragraph


def render_pptx(pack: BoardPack) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, TALL
    props = deck.core_properties
    props.title = pack.text("doc_title", name=pack.profile_name)
    props.author = pack.profile_name
    props.language = "fr-CA" if pack.lang == "fr" else "en"
    # A fixed date keeps the same pack reproducible.
    stamp = datetime.combine(pack.generated_on, time(12), UTC).replace(tzinfo=None)
    props.created = props.modified = stamp
    props.last_modified_by = "coach"
    props.revision = 1
    _summary_slide(deck, pack)
    _plan_slide(deck, pack)
    _goals_slide(deck, pack)
    out = BytesIO()
    deck.save(out)
    return out.getvalue()


def _slide(deck: Deck, pack: BoardPack, title: str) -> Slide:
    slide: Slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    box = slide.shapes.add_textbox(MARGIN, Inches(0.3), Emu(WIDE - 2 * MARGIN), Inches(0.8))
    para = box.text_frame.paragraphs[0]
    para.text = title
    para.font.size, para.font.bold, para.font.color.rgb = Pt(26), True, _colour("blue")
    foot = slide.shapes.add_textbox(
        MARGIN, Emu(TALL - Inches(0.45)), Emu(WIDE - 2 * MARGIN), Inches(0.3)
    )
    para = foot.text_frame.paragraphs[0]
    para.text = f"{pack.profile_name} · {pack.date(pack.generated_on, long=True)} · {layout.footer_line(pack)}"
    para.font.size, para.font.color.rgb = Pt(10), _colour("muted")
    return slide


def _text_block(
    slide: Slide,
    left: int,
    top: int,
    width: int,
    height: int,
    heading: str,
    lines: Sequence[str],
    size: int = 14,
    bold_last: bool = False,
) -> TextFrame:
    frame: TextFrame = slide.shapes.add_textbox(
        Emu(left), Emu(top), Emu(width), Emu(height)
    ).text_frame
    frame.word_wrap = True
    first = frame.paragraphs[0]
    first.text = heading
    first.font.size, first.font.bold, first.font.color.rgb = Pt(size + 2), True, _colour("ink")
    for i, line in enumerate(lines):
        para = _paragraph(frame)
        para.text = line
        para.font.size, para.font.color.rgb = Pt(size), _colour("ink")
        para.font.bold = bold_last and i == len(lines) - 1
        para.space_before = Pt(4)
    return frame


def _summary_slide(deck: Deck, pack: BoardPack) -> None:
    """The bottom line across the top; the table on the left, asks and first steps on the right."""
    slide = _slide(deck, pack, pack.text("doc_title", name=pack.profile_name))
    top = Inches(1.1)
    full = WIDE - 2 * MARGIN
    if not pack.has_assessment:
        _text_block(
            slide, MARGIN, top, full, Inches(2), pack.text("section.summary"),
            [pack.text("not_yet.assessment")],
        )  # fmt: skip
        return
    _text_block(
        slide, MARGIN, top, full, Inches(1.5), pack.text("section.bottom_line"),
        pack.bottom_line, 13, bold_last=True,
    )  # fmt: skip
    below = top + Inches(1.85)
    table_width = Inches(7.6)
    headers, rows = layout.maturity_table(pack)
    # dimension, current level, target level, gap, change (relative widths)
    _table(slide, MARGIN, below, table_width, headers, rows, 9, (1.8, 1.5, 1.5, 1.7, 1.1))
    side = MARGIN + table_width + Inches(0.3)
    side_width = WIDE - MARGIN - side
    frame = _text_block(
        slide, side, below, side_width, Inches(2), pack.text("section.asks"),
        [f"• {a}" for a in pack.asks], 12,
    )  # fmt: skip
    lines = [f"{i}. {layout.priority_line(pack, s)}" for i, s in enumerate(pack.where_to_start, 1)]
    if lines:
        heading = _paragraph(frame)
        heading.text = pack.text("section.priorities")
        heading.font.size, heading.font.bold = Pt(14), True
        heading.font.color.rgb = _colour("ink")
        heading.space_before = Pt(12)
        for line in lines:
            para = _paragraph(frame)
            para.text = line
            para.font.size, para.font.color.rgb = Pt(11), _colour("ink")
            para.space_before = Pt(4)


def _table(
    slide: Slide,
    left: int,
    top: int,
    width: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    size: int,
    inches: Sequence[float] | None = None,
) -> None:
    """A native table; `inches` gives the columns' relative widths (equal without it)."""
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(headers),
        Emu(left),
        Emu(top),
        Emu(width),
        Emu(Inches(0.25) * (len(rows) + 1)),
    )
    table = shape.table
    if inches:
        total = sum(inches)
        columns = [table.columns[i] for i in range(len(table.columns))]
        for column, share in zip(columns, inches, strict=True):
            column.width = Emu(int(width * share / total))
    for row in table.rows:
        row.height = Inches(0.25)  # grows with its text
    for c, header in enumerate(headers):
        _cell(table.cell(0, c), header, size, bold=True)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            _cell(table.cell(r, c), str(value), size)


def _cell(cell: _Cell, text: str, size: int, bold: bool = False) -> None:
    cell.text = text
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    for para in cell.text_frame.paragraphs:
        para.font.size, para.font.bold = Pt(size), bold


def _plan_slide(deck: Deck, pack: BoardPack) -> None:
    slide = _slide(deck, pack, pack.text("section.plan"))
    top = Inches(1.1)
    if not pack.steps:
        _text_block(
            slide, MARGIN, top, WIDE - 2 * MARGIN, Inches(1), "", [pack.text("not_yet.plan")]
        )
        return
    lines = [layout.completion_line(pack)] if pack.completion else []
    open_first = [s for s in pack.steps if pack.state(s) in ("todo", "doing")]
    shown = (open_first or list(pack.steps))[:PLAN_ROWS]
    _text_block(
        slide, MARGIN, top, WIDE - 2 * MARGIN, Inches(0.6), pack.text("slides.plan_next"), lines, 13
    )
    headers, rows = layout.steps_table(pack, shown)
    headers.insert(1, pack.text("col.phase"))
    for row, step in zip(rows, shown, strict=True):
        row.insert(1, pack.text(f"phase.{step.phase}"))
    # step, phase, start, due, effort, status, note (relative widths)
    widths = [4.2, 1.7, 1.3, 1.3, 0.8, 1.8, 1.6]
    if not any(row[-1] for row in rows):  # no step shown has a note: no empty column
        headers, rows, widths = headers[:-1], [row[:-1] for row in rows], widths[:-1]
    _table(slide, MARGIN, top + Inches(1.0), WIDE - 2 * MARGIN, headers, rows, 11, widths)
    more = len(open_first or pack.steps) - len(shown)
    if more > 0:
        box = slide.shapes.add_textbox(
            MARGIN, Emu(TALL - Inches(0.95)), Emu(WIDE - 2 * MARGIN), Inches(0.3)
        )
        para = box.text_frame.paragraphs[0]
        para.text = pack.plural("slides.more_steps", more)
        para.font.size, para.font.color.rgb = Pt(11), _colour("ink")


def _goals_slide(deck: Deck, pack: BoardPack) -> None:
    slide = _slide(deck, pack, pack.text("section.goals"))
    top: int = Inches(1.1)
    if pack.goals:
        headers, rows = layout.goals_table(pack)
        # goal, target, actual, status, trend (relative widths)
        widths = (3.4, 2.4, 2.4, 2.0, 2.0)
        _table(slide, MARGIN, top, WIDE - 2 * MARGIN, headers, rows, 11, widths)
        top += Inches(0.3) * (len(rows) + 1) + Inches(0.25)
    drawn = [s for s in pack.series if s.has_data]
    if not drawn:
        _text_block(
            slide, MARGIN, top, WIDE - 2 * MARGIN, Inches(1), "", [pack.text("not_yet.chart")]
        )
        return
    width = (WIDE - 2 * MARGIN - Inches(0.3) * (len(drawn) - 1)) / len(drawn)
    height = TALL - top - Inches(0.6)
    for i, series in enumerate(drawn):
        left = MARGIN + i * (width + Inches(0.3))
        _series_chart(slide, pack, series, Emu(int(left)), top, Emu(int(width)), height)


def _series_chart(
    slide: Slide,
    pack: BoardPack,
    series: Series,
    left: int,
    top: int,
    width: int,
    height: int,
) -> None:
    """A native line chart of one weekly figure, the target as a dashed red line."""
    # python-pptx leaves the chart-data builder unannotated
    data = CategoryChartData()  # type: ignore[no-untyped-call]
    data.categories = layout.axis_labels(pack, [week for week, _ in series.points])
    data.add_series(series.unit, [v for _, v in series.points])  # type: ignore[no-untyped-call]
    if series.target is not None:
        target_line = [series.target] * len(series.points)
        data.add_series(pack.text("chart.target"), target_line)  # type: ignore[no-untyped-call]
    # python-pptx annotates add_chart as taking a ChartData (a CategoryChartData alias) and
    # returning a Chart; it returns the graphic frame that holds the chart.
    shape = cast(
        GraphicFrame,
        slide.shapes.add_chart(
            XL_CHART_TYPE.LINE_MARKERS,
            Emu(left),
            Emu(top),
            Emu(width),
            Emu(height),
            data,  # type: ignore[arg-type]
        ),
    )
    chart = shape.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = layout.chart_title(pack, series.metric)
    chart.chart_title.text_frame.paragraphs[0].font.size = Pt(12)
    chart.has_legend = series.target is not None
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
        chart.legend.font.size = Pt(9)
    chart.category_axis.tick_labels.font.size = Pt(8)
    axis = chart.value_axis
    axis.tick_labels.font.size = Pt(9)
    axis.minimum_scale = 0
    highest = max([v for _, v in series.points if v is not None] + [series.target or 0])
    axis.major_unit = max(1, round(highest / 5))  # whole-number ticks
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "0", False
    if series.metric == "response_rate":
        axis.maximum_scale, axis.major_unit = 100, 20
    plot = chart.plots[0]
    figures = plot.series[0]
    figures.format.line.color.rgb = _colour("blue")
    figures.marker.format.fill.solid()
    figures.marker.format.fill.fore_color.rgb = _colour("blue")
    if len(series.points) > 26:
        figures.marker.style = XL_MARKER_STYLE.NONE
    if series.target is not None:
        target = plot.series[1]
        target.format.line.color.rgb = _colour("red")
        target.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        target.marker.style = XL_MARKER_STYLE.NONE
