"""Light SVG charts for the HTML pack: drawn directly, no chart engine to start.

The PDF keeps Altair + vl-convert (charts.py). The HTML pack is often made in a
fresh process (`python -m coach export --format html`), where starting the
chart engine alone costs half a second; these four simple charts (bars or a
line against a dashed target, and a plan burn-up) are drawn here in a few
milliseconds, with the same colours, words and data.
"""

from __future__ import annotations

import math
from html import escape

from coach.exports.layout import week_label
from coach.exports.pack import BoardPack, Series

INK, BLUE, GREEN, RED, GREY, GRID = "#1f2a37", "#1f4e79", "#2e7d32", "#b03a2e", "#8a94a6", "#e3e7ee"
WIDTH, HEIGHT = 440, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 14, 34, 40
MAX_LABELS = 8


def _x(text: object) -> str:
    return escape(str(text), quote=True)


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `high` (1, 2, 2.5, 5 x 10^n steps)."""
    high = max(high, 1.0)
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [round(i * step, 6) for i in range(int(math.ceil(high / step - 1e-9)) + 1)]


class _Frame:
    """Plot area, scales and axes shared by both kinds of chart."""

    def __init__(
        self, pack: BoardPack, title: str, labels: list[str], top: float, y_title: str
    ) -> None:
        self.pack = pack
        self.labels = labels
        self.ticks = [0, 20, 40, 60, 80, 100] if top == 100 else nice_ticks(top)
        self.high = self.ticks[-1]
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = HEIGHT - TOP - BOTTOM
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Verdana, sans-serif" '
            f'font-size="10" role="img" aria-label="{_x(title)}">',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
            f'<text x="4" y="16" font-size="13" font-weight="bold" fill="{INK}">{_x(title)}</text>',
        ]
        self._axes(y_title)

    def band(self) -> float:
        return self.plot_w / max(len(self.labels), 1)

    def cx(self, index: int) -> float:
        return LEFT + self.band() * (index + 0.5)

    def cy(self, value: float) -> float:
        return TOP + self.plot_h * (1 - min(max(value, 0), self.high) / self.high)

    def _axes(self, y_title: str) -> None:
        for tick in self.ticks:
            y = self.cy(tick)
            self.parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            )
            self.parts.append(
                f'<text x="{LEFT - 5}" y="{y + 3:.1f}" text-anchor="end" fill="{INK}">{_x(self.pack.num(tick))}</text>'
            )
        every = max(1, math.ceil(len(self.labels) / MAX_LABELS))
        for index, label in enumerate(self.labels):
            if index % every == 0:
                self.parts.append(
                    f'<text x="{self.cx(index):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
                    f'fill="{INK}">{_x(label)}</text>'
                )
        self.parts.append(
            f'<text x="{LEFT + self.plot_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle" fill="{INK}">'
            f"{_x(self.pack.text('chart.week'))}</text>"
        )
        self.parts.append(
            f'<text transform="translate(12 {TOP + self.plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
            f'fill="{INK}">{_x(y_title)}</text>'
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
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>'
        )
        for index, value in points:
            self.parts.append(
                f'<circle cx="{self.cx(index):.1f}" cy="{self.cy(value):.1f}" r="2.6" fill="{colour}"/>'
            )

    def target(self, value: float) -> None:
        y = self.cy(value)
        label = f"{self.pack.text('chart.target')} {self.pack.num(value)}"
        self.parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{RED}" '
            f'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        self.parts.append(f'<text x="{LEFT + 4}" y="{y - 4:.1f}" fill="{RED}">{_x(label)}</text>')

    def svg(self) -> str:
        return "".join(self.parts) + "</svg>"


def series_svg(pack: BoardPack, series: Series, title: str) -> str:
    """Posts as bars, response time and rate as a line, each against its dashed target."""
    labels = [week_label(pack, week) for week, _ in series.points]
    values = [(i, v) for i, (_, v) in enumerate(series.points) if v is not None]
    top = (
        100
        if series.metric == "response_rate"
        else max([v for _, v in values] + [series.target or 0]) * 1.1
    )
    frame = _Frame(pack, title, labels, top, series.unit)
    if series.metric == "posts":
        width = min(frame.band() * 0.7, 22)
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


def burnup_svg(pack: BoardPack, title: str) -> str:
    """Plan burn-up: effort planned (dashed grey) and done (green), cumulative hours per week."""
    labels = [week_label(pack, point.week) for point in pack.burnup]
    planned = [(i, p.planned) for i, p in enumerate(pack.burnup)]
    done = [(i, p.done) for i, p in enumerate(pack.burnup) if p.done is not None]
    top = max([v for _, v in planned] + [v for _, v in done] + [1]) * 1.05
    frame = _Frame(pack, title, labels, top, pack.text("chart.hours"))
    frame.line(planned, GREY, dash="4 3", step=True)
    frame.line(done, GREEN, step=True)
    legend_x = WIDTH - RIGHT - 190
    for n, (word, colour, dash) in enumerate(
        ((pack.text("chart.planned"), GREY, "4 3"), (pack.text("chart.done"), GREEN, ""))
    ):
        x = legend_x + n * 95
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        frame.parts.append(
            f'<line x1="{x}" x2="{x + 18}" y1="26" y2="26" stroke="{colour}" stroke-width="2"{dashes}/>'
        )
        frame.parts.append(f'<text x="{x + 22}" y="29" fill="{INK}">{_x(word)}</text>')
    return frame.svg()
