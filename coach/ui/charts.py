"""Altair charts: each function turns domain values into one chart, labelled in `lang`.

Colours always come with words (legend labels, tooltips, text marks): colour is
never the only signal.
"""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from coach.checkin import parse_week
from coach.i18n import fmt_number, t

STATUS_COLOURS = {
    "on_track": "#2e7d32",
    "at_risk": "#ef6c00",
    "off_track": "#c62828",
    "no_data": "#9e9e9e",
}
STEP_COLOURS = {"todo": "#9e9e9e", "doing": "#1f77b4", "done": "#2e7d32", "skipped": "#8e6bb8"}
PRIMARY = "#1f4e79"
TARGET = "#c25400"


def _legend(mapping: dict[str, str], lang: str, prefix: str) -> alt.Scale:
    labels = [t(f"{prefix}.{key}", lang) for key in mapping]
    return alt.Scale(domain=labels, range=list(mapping.values()))


# ---- results ----------------------------------------------------------------------------------


def dimension_scores(rows: list[dict], lang: str) -> alt.LayerChart:
    """Score per dimension (bars) with the next level's threshold marked (ticks)."""
    frame = pd.DataFrame(rows)
    order = list(frame["dimension"])
    y = alt.Y("dimension:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("dimension:N", title=t("ui.results.col_dimension", lang)),
        alt.Tooltip("score:Q", title=t("ui.results.col_score", lang), format=".0f"),
        alt.Tooltip("level_name:N", title=t("ui.results.col_level", lang)),
        alt.Tooltip("next:Q", title=t("ui.results.next_level", lang), format=".0f"),
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar(color=PRIMARY, cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                "score:Q", scale=alt.Scale(domain=[0, 100]), title=t("ui.results.axis_score", lang)
            ),
            y=y,
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#1c2833").encode(text=alt.Text("label:N"))
    ticks = (
        alt.Chart(frame.dropna(subset=["next"]))
        .mark_tick(color=TARGET, thickness=3, size=22)
        .encode(x="next:Q", y=y, tooltip=tooltip)
    )
    return (bars + labels + ticks).properties(height=max(160, 34 * len(order)))


# ---- weekly figures ---------------------------------------------------------------------------


def _weekly_frame(
    weekly: list[tuple[str, float | None]], target: float, direction: str
) -> pd.DataFrame:
    rows = []
    for week, value in weekly:
        if value is None:
            continue
        met = value >= target if direction == "at_least" else value <= target
        rows.append({"week": week, "monday": parse_week(week), "value": value, "met": met})
    return pd.DataFrame(rows, columns=["week", "monday", "value", "met"])


def weekly_goal(goal, weeks: int | None, lang: str, *, kind: str = "bar") -> alt.LayerChart:
    """One goal's weekly values against its target; met weeks and missed weeks named in the legend."""
    weekly = goal.weekly[-weeks:] if weeks else goal.weekly
    frame = _weekly_frame(weekly, goal.target, goal.direction)
    met, missed = t("ui.chart.met", lang), t("ui.chart.missed", lang)
    frame["result"] = [met if m else missed for m in frame["met"]]
    colour = alt.Color(
        "result:N",
        scale=alt.Scale(
            domain=[met, missed], range=[STATUS_COLOURS["on_track"], STATUS_COLOURS["off_track"]]
        ),
        legend=alt.Legend(title=None, orient="top"),
    )
    # a week-wide time unit: bars as wide as the week they count
    x = alt.X(
        "yearweek(monday):T", title=t("ui.chart.week", lang), axis=alt.Axis(format="%Y-%m-%d")
    )
    y = alt.Y("value:Q", title=goal.unit)
    tooltip = [
        alt.Tooltip("week:N", title=t("ui.chart.week", lang)),
        alt.Tooltip("value:Q", title=goal.title, format=".1f"),
        alt.Tooltip("result:N", title=t("ui.chart.result", lang)),
    ]
    base = alt.Chart(frame)
    if kind == "bar":
        marks = base.mark_bar().encode(x=x, y=y, color=colour, tooltip=tooltip)
    else:
        line = base.mark_line(color=PRIMARY).encode(x=x, y=y)
        points = base.mark_point(filled=True, size=60).encode(
            x=x, y=y, color=colour, shape=alt.Shape("result:N", legend=None), tooltip=tooltip
        )
        marks = line + points
    target = pd.DataFrame(
        [
            {
                "target": goal.target,
                "label": t("ui.chart.target", lang, value=fmt_number(goal.target, lang)),
            }
        ]
    )
    rule = alt.Chart(target).mark_rule(color=TARGET, strokeDash=[6, 4], size=2).encode(y="target:Q")
    text = (
        alt.Chart(target)
        .mark_text(align="left", dy=-7, x=4, color=TARGET, fontWeight="bold")
        .encode(y="target:Q", text="label:N")
    )
    return (marks + rule + text).properties(height=260)


def posting_calendar(
    weekly: list[tuple[str, float | None]], weeks: int | None, lang: str
) -> alt.Chart:
    """Posts per week as a calendar: one row per year, one cell per ISO week."""
    rows = []
    for week, value in weekly[-weeks:] if weeks else weekly:
        year, number = week.split("-W")
        rows.append({"year": year, "week": int(number), "iso": week, "posts": value})
    frame = pd.DataFrame(rows, columns=["year", "week", "iso", "posts"])
    weeks_axis = alt.Axis(labelAngle=0, values=list(range(1, 54, 4)))
    return (
        alt.Chart(frame)
        .mark_rect(stroke="white", strokeWidth=1, cornerRadius=2)
        .encode(
            x=alt.X(
                "week:O",
                title=t("ui.chart.week_number", lang),
                scale=alt.Scale(domain=list(range(1, 54))),
                axis=weeks_axis,
            ),
            y=alt.Y("year:O", title=None),
            color=alt.Color(
                "posts:Q",
                scale=alt.Scale(scheme="blues", domainMin=0),
                legend=alt.Legend(title=t("ui.chart.posts", lang), orient="top", format="d"),
            ),
            tooltip=[
                alt.Tooltip("iso:N", title=t("ui.chart.week", lang)),
                alt.Tooltip("posts:Q", title=t("ui.chart.posts", lang)),
            ],
        )
        .properties(height=max(90, 30 * frame["year"].nunique()))
    )


def habit_strength(goals: list, lang: str) -> alt.Chart:
    """Habit strength per goal, 0–100 %, coloured and labelled by the goal's status."""
    rows = [
        {
            "goal": g.title,
            "strength": round(100 * g.habit_strength),
            "status": t(f"ui.status.{g.status}", lang),
            "label": f"{round(100 * g.habit_strength)} % · {t(f'ui.status.{g.status}', lang)}",
        }
        for g in goals
    ]
    frame = pd.DataFrame(rows)
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                "strength:Q", scale=alt.Scale(domain=[0, 100]), title=t("ui.chart.strength", lang)
            ),
            y=alt.Y("goal:N", title=None, sort=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color(
                "status:N", scale=_legend(STATUS_COLOURS, lang, "ui.status"), legend=None
            ),
            tooltip=["goal:N", "strength:Q", "status:N"],
        )
    )
    text = bars.mark_text(align="left", dx=4, color="#1c2833").encode(
        text="label:N", color=alt.value("#1c2833")
    )
    return (bars + text).properties(height=max(120, 36 * len(rows)))


# ---- plan -------------------------------------------------------------------------------------


def plan_timeline(stored, lang: str, today: date) -> alt.LayerChart:
    """Every step as a bar from its start to its due date, coloured and named by its state."""
    rows = []
    for step in sorted(stored.plan.steps, key=lambda s: (s.start, s.order)):
        state = stored.states[step.id].state
        rows.append(
            {
                "step": step.title,
                "start": step.start,
                "end": step.due + timedelta(days=1),
                "state": t(f"ui.step_state.{state}", lang),
                "phase": t(f"engine.phase.{step.phase}", lang),
                "effort": step.effort_hours,
            }
        )
    frame = pd.DataFrame(rows)
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=3)
        .encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
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
    return (bars + now).properties(height=max(200, 30 * len(rows)))


def burnup(stored, lang: str, today: date) -> alt.Chart | None:
    """Effort planned to be done by each week against effort actually done."""
    steps = [s for s in stored.plan.steps if stored.states[s.id].state != "skipped"]
    if not steps:
        return None
    first = min(s.start for s in steps)
    last = max(max(s.due for s in steps), today)
    planned_label, done_label = t("ui.chart.planned", lang), t("ui.chart.done", lang)
    rows = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last + timedelta(days=7):
        planned = sum(s.effort_hours for s in steps if s.due < monday)
        rows.append({"week": monday, "hours": planned, "series": planned_label})
        if monday <= today + timedelta(days=7):
            done = sum(
                s.effort_hours
                for s in steps
                if stored.states[s.id].state == "done"
                and (stored.states[s.id].changed_on or s.due) < monday
            )
            rows.append({"week": monday, "hours": done, "series": done_label})
        monday += timedelta(days=7)
    frame = pd.DataFrame(rows)
    return (
        alt.Chart(frame)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(
            x=alt.X("week:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y("hours:Q", title=t("ui.chart.effort_hours", lang)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(
                    domain=[planned_label, done_label],
                    range=["#9e9e9e", STATUS_COLOURS["on_track"]],
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[planned_label, done_label], range=[[6, 4], [1, 0]]),
                legend=None,
            ),
            tooltip=["series:N", alt.Tooltip("week:T", format="%Y-%m-%d"), "hours:Q"],
        )
        .properties(height=260)
    )
