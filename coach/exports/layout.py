"""Lines and table rows shared by the formats, so PDF, HTML, slides and Markdown say the same thing.

Everything returned here is plain text; each format escapes it its own way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.checkin import parse_week
from coach.exports.pack import BoardPack, Series, fmt_delta
from coach.model import Step
from coach.tracking import rolling_value


def prepared_line(pack: BoardPack) -> str:
    return pack.text(
        "prepared",
        date=pack.date(pack.generated_on, long=True),
        name=pack.profile_name,
        hours=pack.num(pack.hours_per_week),
    )


def assessed_line(pack: BoardPack) -> str:
    m = pack.latest
    coverage = pack.value(100 * m.result.coverage, "%") if m else "—"
    return pack.text(
        "assessed_on", date=pack.date(m.taken_at if m else None, long=True), coverage=coverage
    )


# ---- page 1: maturity, gap and change -------------------------------------------------------------


@dataclass(frozen=True)
class MaturityRow:
    title: str
    level: int | None
    target: int | None
    score: float | None
    delta: float | None  # score points since the previous assessment


def maturity_rows(pack: BoardPack) -> list[MaturityRow]:
    """One row per dimension, then the whole; the target is the level the plan's steps reach."""
    result = pack.latest.result
    old = pack.previous.result if pack.previous else None
    reach: dict[str, int] = {}
    for step in pack.steps:
        if pack.state(step) != "skipped":
            reach[step.dimension] = max(reach.get(step.dimension, 0), step.level)
    rows = []
    for dim in result.dimensions:
        before = old.score_of(dim.dimension) if old else None
        delta = None
        if before is not None and before.score is not None and dim.score is not None:
            delta = dim.score - before.score
        target = max(dim.level or 0, reach.get(dim.dimension, 0)) or None
        rows.append(
            MaturityRow(pack.dimension_title(dim.dimension), dim.level, target, dim.score, delta)
        )
    level = result.overall_level
    delta = None
    if old is not None and old.overall_score is not None and result.overall_score is not None:
        delta = result.overall_score - old.overall_score
    target = min(5, level + 1) if level else None
    rows.append(MaturityRow(pack.text("overall"), level, target, result.overall_score, delta))
    return rows


def gap_text(pack: BoardPack, row: MaturityRow) -> str:
    """'1 niveau (18 points)': how far the target is; 'atteinte' when it is reached."""
    if row.level is None or row.target is None:
        return "—"
    levels = row.target - row.level
    if levels <= 0:
        return pack.text("gap_reached")
    text = pack.plural("gap_levels", levels)
    levels_of = pack.playbook.levels if pack.playbook else ()
    floor = next((lv.min_score for lv in levels_of if lv.level == row.target), None)
    if floor is not None and row.score is not None and floor > row.score:
        text = pack.text(
            "gap_with_points", levels=text, points=pack.plural("points", round(floor - row.score))
        )
    return text


def change_text(pack: BoardPack, row: MaturityRow) -> str:
    if pack.previous is None:
        return pack.text("first_assessment")
    return pack.text("change_points", delta=fmt_delta(row.delta, pack.lang))


def maturity_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    since = (
        pack.text("col.since", date=pack.date(pack.previous.taken_at))
        if pack.previous
        else pack.text("col.since_none")
    )
    headers = [
        pack.text("col.dimension"),
        pack.text("col.level"),
        pack.text("col.target"),
        pack.text("col.gap"),
        since,
    ]
    rows = []
    for row in maturity_rows(pack):
        rows.append(
            [
                row.title,
                _level(pack, row.level),
                _level(pack, row.target),
                gap_text(pack, row),
                change_text(pack, row),
            ]
        )
    return headers, rows


def _level(pack: BoardPack, level: int | None) -> str:
    if level is None:
        return "—"
    return pack.text("level_value", level=level, name=pack.level_name(level))


def priority_line(pack: BoardPack, step: Step) -> str:
    line = pack.text(
        "priority_line",
        title=step.title,
        due=pack.date(step.due, long=True),
        effort=pack.value(step.effort_hours, "h"),
    )
    return f"{line} ({pack.text('late')})" if pack.late(step) else line


def goals_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    keys = ("goal", "goal_target", "actual", "status", "trend")
    headers = [pack.text(f"col.{k}") for k in keys]
    rows = [
        [
            g.title,
            pack.target(g),
            pack.value(g.actual, g.unit),
            pack.text(f"status.{g.status}"),
            pack.text(f"trend.{g.trend}"),
        ]
        for g in pack.goals
    ]
    return headers, rows


# ---- the plan -------------------------------------------------------------------------------------


def state_label(pack: BoardPack, step: Step) -> str:
    label = pack.text(f"state.{pack.state(step)}")
    return f"{label} ({pack.text('late')})" if pack.late(step) else label


def steps_table(pack: BoardPack, steps: Sequence[Step]) -> tuple[list[str], list[list[str]]]:
    keys = ("step", "start", "due", "effort", "status", "note")
    headers = [pack.text(f"col.{k}") for k in keys]
    rows = [
        [
            s.title,
            pack.date(s.start),
            pack.date(s.due),
            pack.num(s.effort_hours),
            state_label(pack, s),
            pack.note(s),
        ]
        for s in steps
    ]
    return headers, rows


def completion_line(pack: BoardPack) -> str:
    c = pack.completion
    return pack.plural(
        "completion",
        c.steps_done,
        total=c.steps_total,
        hours_done=pack.num(c.effort_done_hours),
        hours_total=pack.num(c.effort_total_hours),
        late=len(c.late),
    )


# ---- check-ins and charts -------------------------------------------------------------------------

CHECKIN_COLUMNS = ("week", "posts", "received", "replies", "median_response_hours", "response_rate")
# The check-in table shows the latest weeks; the charts cover the window, the CSV every week.
CHECKIN_ROWS = 12


def checkins_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    headers = [pack.text(f"col.{k}") for k in (*CHECKIN_COLUMNS, "note")]
    rows = [
        [
            pack.date(parse_week(c.week)),
            pack.num(c.posts),
            pack.num(c.received),
            pack.num(c.replies),
            pack.num(c.median_response_hours),
            pack.num(c.response_rate, 0),
            c.note,
        ]
        for c in reversed(pack.window_checkins[-CHECKIN_ROWS:])  # the latest week first
    ]
    return headers, rows


def checkins_note(pack: BoardPack) -> str | None:
    """Said under the check-in heading when the table leaves out weeks the charts show."""
    if len(pack.window_checkins) <= CHECKIN_ROWS:
        return None
    return pack.text("checkins_latest", count=CHECKIN_ROWS)


def earlier_line(pack: BoardPack) -> str | None:
    """Everything before the chart window, in one sentence."""
    earlier = pack.earlier_checkins
    if not earlier or pack.window_start is None:  # no window: nothing comes before it
        return None
    return pack.plural(
        "earlier",
        len(earlier),
        first=pack.date(parse_week(earlier[0].week)),
        before=pack.date(parse_week(pack.window_start)),
        posts=pack.num(rolling_value(earlier, "posts")),
        hours=pack.value(rolling_value(earlier, "median_response_hours"), "h"),
        rate=pack.value(rolling_value(earlier, "response_rate"), "%"),
    )


def chart_title(pack: BoardPack, name: str) -> str:
    return pack.text(f"chart.{name}")


def week_label(pack: BoardPack, week: str, with_year: bool = False) -> str:
    """'5 janv.' / 'Jan 5' for a chart axis; the year is added where it changes."""
    monday = parse_week(week)
    month = pack.text(f"month_short.{monday.month}")
    key = "chart.day_year" if with_year else "chart.day"
    return pack.text(key, day=monday.day, month=month, year=monday.year)


def axis_labels(pack: BoardPack, weeks: list[str]) -> list[str]:
    labels, year = [], None
    for week in weeks:
        this_year = parse_week(week).year
        labels.append(week_label(pack, week, with_year=this_year != year))
        year = this_year
    return labels


def series_table(pack: BoardPack, series: Series) -> tuple[list[str], list[list[str]]]:
    target = "—" if series.target is None else pack.num(series.target)
    headers = [pack.text("col.week"), series.unit, pack.text("chart.target")]
    rows = [[pack.date(parse_week(w)), pack.num(v), target] for w, v in series.points]
    return headers, rows


def burnup_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    headers = [pack.text("col.week"), pack.text("col.planned"), pack.text("col.done")]
    rows = [
        [pack.date(parse_week(p.week)), pack.num(p.planned), pack.num(p.done)] for p in pack.burnup
    ]
    return headers, rows


# ---- method, sources, footer ----------------------------------------------------------------------


def method_paragraphs(pack: BoardPack) -> list[str]:
    return [
        pack.text("method.scores", playbook=pack.playbook_title, version=pack.playbook_version),
        pack.text("method.statuses"),
    ]


def sources(pack: BoardPack) -> list[tuple[str, str]]:
    """(title and year, URL) of the facts the playbook cites."""
    if pack.playbook is None:
        return []
    return [(f"{s.title} ({s.year})", s.url) for s in pack.playbook.sources]


def footer_line(pack: BoardPack) -> str:
    return pack.text("footer_playbook", title=pack.playbook_title, version=pack.playbook_version)
