"""Altair charts: each builder turns plain values into one chart, labelled in `lang`.

Builders take tuples of plain values (so their output can be cached by data):
`draw()` builds the Vega-Lite spec once per distinct data and language, and the
`*_data()` helpers turn domain objects into those tuples. Colours always come
with words (legend labels, tooltips, text marks): colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from coach.checkin import parse_week
from coach.i18n import fmt_number, normalize_lang, t
from coach.progress import BurnupPoint
from coach.records import StoredPlan
from coach.tracking import GoalStatus, meets

STATUS_COLOURS = {
    "on_track": "#2e7d32",
    "at_risk": "#ef6c00",
    "off_track": "#c62828",
    "no_data": "#9e9e9e",
    "not_started": "#757575",
}
STEP_COLOURS = {"todo": "#9e9e9e", "doing": "#1f77b4", "done": "#2e7d32", "skipped": "#8e6bb8"}
PRIMARY = "#1f4e79"
TARGET = "#c25400"
INK = "#1c2833"


def draw(builder: Callable[..., alt.TopLevelMixin], *args: Any, alt_text: str) -> None:
    """Draw `builder(*args)`; its spec is built once per distinct data (Altair is slow to build)."""
    st.vega_lite_chart(spec=_spec(builder.__name__, args), width="stretch", alt=alt_text)


@st.cache_data(max_entries=256, show_spinner=False)
def _spec(name: str, args: tuple[Any, ...]) -> dict[str, Any]:
    spec: dict[str, Any] = BUILDERS[name](*args).to_dict()
    # Vega describes axes, legends and marks to screen readers in English ("X-axis titled…"):
    # silence those; the chart's alt text, in the interface language, speaks for it.
    config = spec.setdefault("config", {})
    for part in ("axis", "legend", "mark"):
        config.setdefault(part, {})["aria"] = False
    return spec


def _date_axis(lang: str, **options: Any) -> alt.Axis:
    """Dates as people read them: « 1 juin 2026 » at a month's start, « 15 juin » in between."""
    months = "[" + ",".join(repr(t(f"ui.month.{m}", lang)) for m in range(1, 13)) + "]"
    month = f"{months}[month(datum.value)]"
    day = "date(datum.value)"
    within = f"{day} + ' ' + {month}" if lang == "fr" else f"{month} + ' ' + {day}"
    at_start = f"{month} + ' ' + year(datum.value)"
    return alt.Axis(labelExpr=f"{day} == 1 ? {at_start} : {within}", **options)


def _legend(mapping: dict[str, str], lang: str, prefix: str) -> alt.Scale:
    labels = [t(f"{prefix}.{key}", lang) for key in mapping]
    return alt.Scale(domain=labels, range=list(mapping.values()))


# ---- results ----------------------------------------------------------------------------------

# (dimension title, score, level label, next level threshold or None, bar label, tick label)
DimensionRow = tuple[str, float, str, float | None, str, str]
ROW_STEP = 58  # pixels per dimension: its name above, its bar, the next level's mark below


def dimension_scores(rows: tuple[DimensionRow, ...], lang: str) -> alt.LayerChart:
    """Score per dimension: its name above the bar, its score at the bar's end, the next level
    as a small labelled tick. Nothing sits left of the bars, so a phone keeps the full width."""
    frame = pd.DataFrame(
        rows, columns=["dimension", "score", "level_name", "next", "label", "next_label"]
    )
    # a bar carries its label inside its end (white on blue), where the next level's mark
    # (always further right) cannot cover it; a short bar has it just after its end
    frame["inside"] = frame["score"] >= 30
    order = list(frame["dimension"])
    y = alt.Y("dimension:N", sort=order, title=None, axis=None)
    tooltip = [
        alt.Tooltip("dimension:N", title=t("ui.results.col_dimension", lang)),
        alt.Tooltip("score:Q", title=t("ui.results.col_score", lang), format=".0f"),
        alt.Tooltip("level_name:N", title=t("ui.results.col_level", lang)),
        alt.Tooltip("next:Q", title=t("ui.results.next_level", lang), format=".0f"),
    ]
    x = alt.X(
        "score:Q",
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(values=list(range(0, 101, 20))),
        title=t("ui.results.axis_score", lang),
    )
    base = alt.Chart(frame)
    bars = base.mark_bar(color=PRIMARY, cornerRadiusEnd=3, size=18).encode(
        x=x, y=y, tooltip=tooltip
    )
    names = base.mark_text(align="left", baseline="bottom", dy=-12, color=INK, fontSize=13).encode(
        x=alt.datum(0), y=y, text="dimension:N"
    )
    outside = (
        base.transform_filter("!datum.inside")
        .mark_text(align="left", dx=5, color=INK, fontWeight="bold")
        .encode(x="score:Q", y=y, text="label:N")
    )
    inside = (
        base.transform_filter("datum.inside")
        .mark_text(align="right", dx=-5, color="white", fontWeight="bold")
        .encode(x="score:Q", y=y, text="label:N")
    )
    with_next = alt.Chart(frame.dropna(subset=["next"]))
    ticks = with_next.mark_tick(color=TARGET, thickness=2, size=22).encode(
        x="next:Q", y=y, tooltip=tooltip
    )
    tick_labels = with_next.mark_text(
        align="center", baseline="top", dy=12, color=TARGET, fontSize=11
    ).encode(x="next:Q", y=y, text="next_label:N")
    chart: alt.LayerChart = (bars + names + outside + inside + ticks + tick_labels).properties(
        height=alt.Step(ROW_STEP)
    )
    return chart


# ---- weekly figures ---------------------------------------------------------------------------


def goal_data(goal: GoalStatus, weeks: int | None, earliest: date | None = None) -> tuple[Any, ...]:
    """The arguments of `weekly_goal` for a tracking.GoalStatus, over the last `weeks` weeks,
    never from before `earliest` (the plan's start, or the first check-in when it is older):
    a new manager's axis starts with their plan, not months before it."""
    weekly = goal.weekly[-weeks:] if weeks else goal.weekly
    end = parse_week(weekly[-1][0]) + timedelta(days=7)
    start = end - timedelta(weeks=weeks) if weeks else parse_week(weekly[0][0])
    if earliest is not None:
        monday = earliest - timedelta(days=earliest.weekday())
        start = min(max(start, monday), end - timedelta(weeks=1))
        weekly = [(w, v) for w, v in weekly if parse_week(w) >= start]
    return (tuple(weekly), (start, end), goal.target, goal.direction, goal.unit, goal.title)


def weekly_goal(
    weekly: tuple[tuple[str, float | None], ...],
    period: tuple[date, date],
    target: float,
    direction: str,
    unit: str,
    title: str,
    lang: str,
    kind: str = "bar",
    low: float | None = None,
) -> alt.LayerChart:
    """One goal's weekly values against its target (a range's top for `between` goals, its
    bottom drawn too); met and missed weeks named in the legend."""
    met, missed = t("ui.chart.met", lang), t("ui.chart.missed", lang)
    rows = []
    for week, value in weekly:
        if value is None:
            continue
        hit = meets(value, target, direction, low)
        monday = parse_week(week)
        rows.append((week, monday, monday + timedelta(days=6), value, met if hit else missed))
    frame = pd.DataFrame(rows, columns=["week", "monday", "sunday", "value", "result"])
    colour = alt.Color(
        "result:N",
        scale=alt.Scale(
            domain=[met, missed],
            range=[STATUS_COLOURS["on_track"], STATUS_COLOURS["off_track"]],
        ),
        legend=alt.Legend(title=None, orient="top"),
    )
    # the whole period on the axis, even weeks without a check-in
    x = alt.X(
        "monday:T",
        title=t("ui.chart.week", lang),
        axis=_date_axis(lang),
        scale=alt.Scale(domain=[period[0].isoformat(), period[1].isoformat()]),
    )
    y = alt.Y("value:Q", title=unit)
    tooltip = [
        alt.Tooltip("week:N", title=t("ui.chart.week", lang)),
        alt.Tooltip("value:Q", title=title, format=".1f"),
        alt.Tooltip("result:N", title=t("ui.chart.result", lang)),
    ]
    base = alt.Chart(frame)
    if kind == "bar":
        # each bar spans its week, Monday to Sunday
        marks = base.mark_bar().encode(
            x=x, x2="sunday:T", y=y, y2=alt.datum(0), color=colour, tooltip=tooltip
        )
    else:
        line = base.mark_line(color=PRIMARY).encode(x=x, y=y)
        points = base.mark_point(filled=True, size=60).encode(
            x=x, y=y, color=colour, shape=alt.Shape("result:N", legend=None), tooltip=tooltip
        )
        marks = line + points
    label = t("ui.chart.target", lang, value=fmt_number(target, lang))
    lines = [{"target": target, "label": label}]
    if direction == "between" and low:
        lines.append(
            {"target": low, "label": t("ui.chart.target_low", lang, value=fmt_number(low, lang))}
        )
    target_frame = pd.DataFrame(lines)
    rule = (
        alt.Chart(target_frame)
        .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
        .encode(y="target:Q")
    )
    text = (
        alt.Chart(target_frame)
        .mark_text(align="left", dy=-7, x=4, color=TARGET, fontWeight="bold")
        .encode(y="target:Q", text="label:N")
    )
    chart: alt.LayerChart = (marks + rule + text).properties(height=260)
    return chart


def habit_data(goals: list[GoalStatus]) -> tuple[tuple[str, int, str], ...]:
    """(goal title, strength 0..100, status) per tracking.GoalStatus."""
    return tuple((g.title, round(100 * g.habit_strength), g.status) for g in goals)


def habit_strength(rows: tuple[tuple[str, int, str], ...], lang: str) -> alt.LayerChart:
    """Habit strength per goal, 0–100 %, coloured and labelled by the goal's status."""
    frame = pd.DataFrame(
        [(title, strength, t(f"ui.status.{status}", lang)) for title, strength, status in rows],
        columns=["goal", "strength", "status"],
    )
    percent = "\u00a0%" if normalize_lang(lang) == "fr" else "%"  # 70 % in French, 70% in English
    frame["label"] = [
        f"{s}{percent} · {status}"
        for s, status in zip(frame["strength"], frame["status"], strict=True)
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            # room on the right for the words; the axis itself stops at 100 %
            x=alt.X(
                "strength:Q",
                scale=alt.Scale(domain=[0, 150]),
                axis=alt.Axis(values=list(range(0, 101, 20))),
                title=t("ui.chart.strength", lang),
            ),
            y=alt.Y("goal:N", title=None, sort=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color(
                "status:N", scale=_legend(STATUS_COLOURS, lang, "ui.status"), legend=None
            ),
            tooltip=["goal:N", "strength:Q", "status:N"],
        )
    )
    text = bars.mark_text(align="left", dx=4).encode(text="label:N", color=alt.value(INK))
    chart: alt.LayerChart = (bars + text).properties(height=max(120, 36 * len(rows)))
    return chart


# ---- plan -------------------------------------------------------------------------------------


def timeline_data(stored: StoredPlan) -> tuple[Any, ...]:
    """(title, start, due, state, phase, effort) per step, in start order."""
    return tuple(
        (s.title, s.start, s.due, stored.states[s.id].state, s.phase, s.effort_hours)
        for s in sorted(stored.plan.steps, key=lambda s: (s.start, s.order))
    )


def plan_timeline(rows: tuple[Any, ...], today: date, lang: str) -> alt.LayerChart:
    """Every step as a bar from its start to its due date, coloured and named by its state."""
    frame = pd.DataFrame(
        [
            (
                title,
                start,
                due + timedelta(days=1),
                t(f"ui.step_state.{state}", lang),
                t(f"engine.phase.{phase}", lang),
                effort,
            )
            for title, start, due, state, phase, effort in rows
        ],
        columns=["step", "start", "end", "state", "phase", "effort"],
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=3)
        .encode(
            x=alt.X("start:T", title=None, axis=_date_axis(lang)),
            x2="end:T",
            y=alt.Y(
                "step:N", sort=None, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)
            ),
            color=alt.Color(
                "state:N",
                scale=_legend(STEP_COLOURS, lang, "ui.step_state"),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("step:N", title=t("ui.plan.col_step", lang)),
                alt.Tooltip("phase:N", title=t("ui.plan.col_phase", lang)),
                alt.Tooltip("start:T", title=t("ui.plan.col_start", lang), format="%Y-%m-%d"),
                alt.Tooltip("state:N", title=t("ui.plan.col_state", lang)),
                alt.Tooltip("effort:Q", title=t("ui.plan.col_effort", lang)),
            ],
        )
    )
    now = (
        alt.Chart(pd.DataFrame([{"today": today}]))
        .mark_rule(color=TARGET, strokeDash=[4, 3])
        .encode(x="today:T")
    )
    chart: alt.LayerChart = (bars + now).properties(height=max(200, 30 * len(rows)))
    return chart


def burnup_data(points: tuple[BurnupPoint, ...]) -> tuple[tuple[str, float, float | None], ...]:
    """(week, planned hours, done hours or None) per week, from the domain's burn-up."""
    return tuple((p.week, p.planned, p.done) for p in points)


def burnup(
    rows: tuple[tuple[str, float, float | None], ...], today: date, lang: str
) -> alt.LayerChart:
    """Effort planned to be done by each week against effort actually done."""
    planned_label, done_label = t("ui.chart.planned", lang), t("ui.chart.done", lang)
    points = []
    for week, planned, done in rows:
        monday = parse_week(week)
        points.append((monday, planned, planned_label))
        if done is not None:
            points.append((monday, done, done_label))
    frame = pd.DataFrame(points, columns=["week", "hours", "series"])
    domain = [planned_label, done_label]
    now = (
        alt.Chart(pd.DataFrame([{"today": today}]))
        .mark_rule(color=TARGET, strokeDash=[4, 3])
        .encode(x="today:T")
    )
    lines = (
        alt.Chart(frame)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=alt.X("week:T", title=None, axis=_date_axis(lang)),
            y=alt.Y("hours:Q", title=t("ui.chart.effort_hours", lang)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=domain, range=["#9e9e9e", STATUS_COLOURS["on_track"]]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=domain, range=[[6, 4], [1, 0]]), legend=None
            ),
            tooltip=["series:N", alt.Tooltip("week:T", format="%Y-%m-%d"), "hours:Q"],
        )
    )
    chart: alt.LayerChart = (lines + now).properties(height=260)
    return chart


BUILDERS = {
    f.__name__: f
    for f in (
        dimension_scores,
        weekly_goal,
        habit_strength,
        plan_timeline,
        burnup,
    )
}
