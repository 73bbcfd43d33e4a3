"""Progress charts for the PDF pack: Altair specs rendered offline by vl-convert (HTML: svg.py).

vl-convert bundles Vega, so rendering needs no network; `allowed_base_urls=[]`
makes sure a spec can never fetch anything. Data is passed inline (no pandas).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import altair as alt
import vl_convert as vlc

from coach.exports.layout import week_label
from coach.exports.pack import CHART_METRICS, BoardPack, Series

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "DejaVu Sans"
INK = "#1f2a37"
BLUE = "#1f4e79"
GREEN = "#2e7d32"
RED = "#b03a2e"
GREY = "#8a94a6"
WIDTH, HEIGHT = 380, 170


@dataclass(frozen=True)
class Chart:
    name: str  # posts | median_response_hours | response_rate | burnup
    title: str
    spec: dict | None  # Vega-Lite; None when there is no data yet


def build_charts(pack: BoardPack, validate: bool = False) -> list[Chart]:
    """The four progress charts, in print order; a chart without data has no spec.

    Schema validation costs about 0.1 s a chart: tests turn it on, exports leave it off.
    """
    charts = []
    by_metric = {s.metric: s for s in pack.series}
    for metric in CHART_METRICS:
        series = by_metric.get(metric)
        title = pack.text(f"chart.{metric}")
        has_data = series is not None and series.has_data
        spec = _series_chart(pack, series, title).to_dict(validate=validate) if has_data else None
        charts.append(Chart(metric, title, spec))
    title = pack.text("chart.burnup")
    spec = _burnup_chart(pack, title).to_dict(validate=validate) if pack.burnup else None
    charts.append(Chart("burnup", title, spec))
    return charts


def to_svg(spec: dict, lang: str) -> str:
    """The chart as SVG text (offline: the spec may not fetch anything)."""
    return _svg(json.dumps(spec, sort_keys=True), lang)


def to_png(spec: dict, lang: str, scale: float = 2.0) -> bytes:
    """The chart as PNG for the PDF, rasterised from the SVG vl-convert draws."""
    return _png(json.dumps(spec, sort_keys=True), lang, scale)


def warm_up() -> None:
    """Start the chart engine (about half a second, once per process) ahead of a first export."""
    _register_fonts()
    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}}, allowed_base_urls=[])


# Bounded caches: the same pack exported as HTML then PDF renders each chart once.
@lru_cache(maxsize=32)
def _svg(spec_json: str, lang: str) -> str:
    _register_fonts()
    spec = json.loads(spec_json)
    return vlc.vegalite_to_svg(spec, allowed_base_urls=[], format_locale=_locale(lang))


@lru_cache(maxsize=16)
def _png(spec_json: str, lang: str, scale: float) -> bytes:
    return vlc.svg_to_png(_svg(spec_json, lang), scale=scale)


# ---- charts ---------------------------------------------------------------------------------------


def _series_chart(pack: BoardPack, series: Series, title: str) -> alt.LayerChart:
    labels = [week_label(pack, week) for week, _ in series.points]
    rows = [
        {"week": label, "value": value}
        for label, (_, value) in zip(labels, series.points, strict=True)
        if value is not None
    ]
    x = alt.X("week:O", sort=labels, title=pack.text("chart.week"), axis=alt.Axis(labelAngle=0))
    y_scale = (
        alt.Scale(domain=[0, 100]) if series.metric == "response_rate" else alt.Scale(zero=True)
    )
    axis = alt.Axis(tickMinStep=1, format="d") if series.metric == "posts" else alt.Axis()
    y = alt.Y("value:Q", title=series.unit, scale=y_scale, axis=axis)
    data = alt.Data(values=rows)
    if series.metric == "posts":
        marks = alt.Chart(data).mark_bar(color=BLUE, size=14).encode(x=x, y=y)
    else:
        marks = alt.Chart(data).mark_line(color=BLUE, point=True).encode(x=x, y=y)
    layers = [marks]
    if series.target is not None:
        layers.extend(_target_layers(pack, series.target))
    return _finish(alt.layer(*layers), title)


def _target_layers(pack: BoardPack, target: float) -> list[alt.Chart]:
    data = alt.Data(values=[{"target": target}])
    rule = alt.Chart(data).mark_rule(color=RED, strokeDash=[5, 4], size=1.5).encode(y="target:Q")
    label = f"{pack.text('chart.target')} {pack.num(target)}"
    text = (
        alt.Chart(data)
        .mark_text(color=RED, align="left", baseline="bottom", dx=4, dy=-2, x=0)
        .encode(y="target:Q", text=alt.value(label))
    )
    return [rule, text]


def _burnup_chart(pack: BoardPack, title: str) -> alt.Chart:
    planned, done = pack.text("chart.planned"), pack.text("chart.done")
    labels = [week_label(pack, point.week) for point in pack.burnup]
    rows = []
    for label, point in zip(labels, pack.burnup, strict=True):
        rows.append({"week": label, "kind": planned, "hours": point.planned})
        if point.done is not None:
            rows.append({"week": label, "kind": done, "hours": point.done})
    colour = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=[planned, done], range=[GREY, GREEN]),
        legend=alt.Legend(orient="top-left"),
    )
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X(
                "week:O", sort=labels, title=pack.text("chart.week"), axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("hours:Q", title=pack.text("chart.hours")),
            color=colour,
            strokeDash=alt.StrokeDash(
                "kind:N",
                scale=alt.Scale(domain=[planned, done], range=[[4, 3], [1, 0]]),
                legend=None,
            ),
        )
    )
    return _finish(chart, title)


def _finish(chart: alt.TopLevelMixin, title: str):
    return (
        chart.properties(width=WIDTH, height=HEIGHT, title=title)
        .configure(font=FONT, background="white")
        .configure_title(fontSize=13, anchor="start", color=INK)
        .configure_axis(labelFontSize=10, titleFontSize=10, labelColor=INK, titleColor=INK)
        .configure_axisX(labelOverlap="greedy")
        .configure_legend(labelFontSize=10)
        .configure_view(stroke=None)
    )


def _locale(lang: str) -> str:
    return "fr-FR" if lang == "fr" else "en-US"


@cache
def _register_fonts() -> None:
    # Once per process: the charts use the bundled font, whatever the machine has.
    vlc.register_font_directory(str(FONT_DIR))
