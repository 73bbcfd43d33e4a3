"""The pack's one chart module: light SVG drawn directly, embedded by the PDF (fpdf2) and the HTML.

No chart engine to start: four simple charts (posts as bars, response time
and rate as lines, each against a dashed target, and the plan burn-up) take a
few milliseconds. Ticks are whole numbers, the axis reads dates ("5 janv.",
the year where it changes), and `PALETTE` is the one set of colours of every
format (PDF, HTML, slides).
"""

from __future__ import annotations

import math
from html import escape

from coach.exports.layout import axis_labels, chart_title
from coach.exports.pack import BoardPack, Series

PALETTE = {
    "ink": "#1f2a37",
    "muted": "#5b6676",
    "blue": "#1f4e79",
    "green": "#2e7d32",
    "red": "#b03a2e",
    "grey": "#8a94a6",
    "grid": "#e3e7ee",
    "head": "#eef2f7",
    "on_track": "#1b5e20",
    "on_track_fill": "#e8f5e9",
    "at_risk": "#8a5a00",
    "at_risk_fill": "#fff4db",
    "off_track": "#8e1f14",
    "off_track_fill": "#fdecea",
    "no_data": "#5b6676",
    "no_data_fill": "#f1f3f5",
}
INK, BLUE, GREEN, RED, GREY, GRID = (
    PALETTE[k] for k in ("ink", "blue", "green", "red", "grey", "grid")
)
WIDTH, HEIGHT = 440, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 14, 34, 40
MAX_LABELS = 6
HTML_FONTS = "DejaVu Sans, Verdana, sans-serif"


def rgb(colour: str) -> tuple[int, int, int]:
    """'#1f4e79' -> (31, 78, 121), for formats that take numbers."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _x(text: object) -> str:
    return escape(str(text), quote=True)


def nice_ticks(high: float, count: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least `high` (steps of 1, 2, 5 x 10^n; never 0, 1, 1)."""
    high = max(high, 1.0)
    raw = high / count
    power = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(high / step - 1e-9) + 1)]


class _Frame:
    """Plot area, scales and axes shared by every chart."""

    def __init__(
        self, pack: BoardPack, title: str, weeks: list[str], top: float, y_title: str, font: str
    ) -> None:
        self.pack = pack
        self.weeks = weeks
        self.ticks = [0, 20, 40, 60, 80, 100] if top == 100 else nice_ticks(top)
        self.high = self.ticks[-1]
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = HEIGHT - TOP - BOTTOM
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{_x(font)}" '
            f'font-size="10" role="img" aria-label="{_x(title)}">',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
            f'<text x="4" y="16" font-size="13" font-weight="bold" fill="{INK}">{_x(title)}</text>',
        ]
        self._axes(y_title)

    def band(self) -> float:
        return self.plot_w / max(len(self.weeks), 1)

    def cx(self, index: int) -> float:
        return LEFT + self.band() * (index + 0.5)

    def cy(self, value: float) -> float:
        return TOP + self.plot_h * (1 - min(max(value, 0), self.high) / self.high)

    def _axes(self, y_title: str) -> None:
        for tick in self.ticks:
            y = self.cy(tick)
            self.parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                f'<text x="{LEFT - 5}" y="{y + 3:.1f}" text-anchor="end" fill="{INK}">'
                f"{_x(self.pack.num(tick, 0))}</text>"
            )
        every = max(1, math.ceil(len(self.weeks) / MAX_LABELS))
        shown = list(range(0, len(self.weeks), every))
        labels = axis_labels(self.pack, [self.weeks[i] for i in shown])
        for index, label in zip(shown, labels, strict=True):
            self.parts.append(
                f'<text x="{self.cx(index):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
                f'fill="{INK}">{_x(label)}</text>'
            )
        self.parts.append(
            f'<text x="{LEFT + self.plot_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle" '
            f'fill="{INK}">{_x(self.pack.text("chart.week"))}</text>'
            f'<text transform="translate(12 {TOP + self.plot_h / 2:.1f}) rotate(-90)" '
            f'text-anchor="middle" fill="{INK}">{_x(y_title)}</text>'
        )

    def line(
        self, points: list[tuple[int, float]], colour: str, dash: str = "", step: bool = False
    ) -> None:
        if not points:
            return
        coords: list[str] = []
        for n, (index, value) in enumerate(points):
            x, y = self.cx(index), self.cy(value)
            if step and n:
                coords.append(f"{x:.1f},{self.cy(points[n - 1][1]):.1f}")
            coords.append(f"{x:.1f},{y:.1f}")
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dashes}/>'
        )
        if len(points) <= 26:  # dots only where they can be told apart
            for index, value in points:
                self.parts.append(
                    f'<circle cx="{self.cx(index):.1f}" cy="{self.cy(value):.1f}" r="2.6" '
                    f'fill="{colour}"/>'
                )

    def target(self, value: float) -> None:
        y = self.cy(value)
        label = f"{self.pack.text('chart.target')} {self.pack.num(value)}"
        self.parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{RED}" '
            f'stroke-width="1.5" stroke-dasharray="5 4"/>'
            f'<text x="{LEFT + 4}" y="{y - 4:.1f}" fill="{RED}">{_x(label)}</text>'
        )

    def svg(self) -> str:
        return "".join(self.parts) + "</svg>"


def series_svg(pack: BoardPack, series: Series, font: str = HTML_FONTS) -> str:
    """Posts as bars, response time and rate as a line, each against its dashed target."""
    weeks = [week for week, _ in series.points]
    values = [(i, v) for i, (_, v) in enumerate(series.points) if v is not None]
    if series.metric == "response_rate":
        top = 100.0
    else:
        top = max([v for _, v in values] + [series.target or 0]) * 1.1
    frame = _Frame(pack, chart_title(pack, series.metric), weeks, top, series.unit, font)
    if series.metric == "posts":
        width = max(min(frame.band() * 0.7, 22), 1.2)
        for index, value in values:
            y = frame.cy(value)
            frame.parts.append(
                f'<rect x="{frame.cx(index) - width / 2:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{frame.cy(0) - y:.1f}" fill="{BLUE}"/>'
            )
    else:
        frame.line(values, BLUE)
    if series.target is not None:
        frame.target(series.target)
    return frame.svg()


def burnup_svg(pack: BoardPack, font: str = HTML_FONTS) -> str:
    """Plan burn-up: effort planned (dashed grey) and done (green), cumulative hours per week."""
    weeks = [point.week for point in pack.burnup]
    planned = [(i, p.planned) for i, p in enumerate(pack.burnup)]
    done = [(i, p.done) for i, p in enumerate(pack.burnup) if p.done is not None]
    top = max([v for _, v in planned] + [v for _, v in done] + [1]) * 1.05
    title = chart_title(pack, "burnup")
    frame = _Frame(pack, title, weeks, top, pack.text("chart.hours"), font)
    frame.line(planned, GREY, dash="4 3", step=True)
    frame.line(done, GREEN, step=True)
    legend_x = WIDTH - RIGHT - 190
    for n, (word, colour, dash) in enumerate(
        ((pack.text("chart.planned"), GREY, "4 3"), (pack.text("chart.done"), GREEN, ""))
    ):
        x = legend_x + n * 95
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        frame.parts.append(
            f'<line x1="{x}" x2="{x + 18}" y1="26" y2="26" stroke="{colour}" '
            f'stroke-width="2"{dashes}/><text x="{x + 22}" y="29" fill="{INK}">{_x(word)}</text>'
        )
    return frame.svg()


def charts(pack: BoardPack, font: str = HTML_FONTS) -> list[tuple[str, str, str | None]]:
    """(name, title, SVG or None when there is no data yet) for the four charts, in print order."""
    out: list[tuple[str, str, str | None]] = []
    for series in pack.series:
        svg = series_svg(pack, series, font) if series.has_data else None
        out.append((series.metric, chart_title(pack, series.metric), svg))
    if not pack.series:
        from coach.exports.pack import CHART_METRICS

        out += [(m, chart_title(pack, m), None) for m in CHART_METRICS]
    out.append(
        ("burnup", chart_title(pack, "burnup"), burnup_svg(pack, font) if pack.burnup else None)
    )
    return out
