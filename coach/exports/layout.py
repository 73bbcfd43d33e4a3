"""Lines and table rows shared by the formats, so PDF, HTML and Markdown say the same thing.

Everything returned here is plain text; each format escapes it its own way.
"""

from __future__ import annotations

from coach.exports.pack import BoardPack, Series, StepLine, fmt_delta, fmt_grade, week_monday


def prepared_line(pack: BoardPack) -> str:
    return pack.text(
        "prepared",
        date=pack.date(pack.generated_on, long=True),
        name=pack.profile_name,
        hours=pack.num(pack.hours_per_week),
        playbook=pack.playbook_title,
    )


def assessed_line(pack: BoardPack) -> str:
    m = pack.maturity
    coverage = pack.value(100 * m.coverage, "%") if m else "—"
    return pack.text(
        "assessed_on", date=pack.date(m.assessed_on if m else None, long=True), coverage=coverage
    )


def overall_line(pack: BoardPack) -> str:
    m = pack.maturity
    return pack.text(
        "overall_line",
        score=pack.num(m.overall_score, 0),
        level=m.overall_level or "—",
        name=m.overall_level_name,
        target=m.target_level or "—",
        target_name=m.target_level_name,
    )


def maturity_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    headers = [pack.text(f"col.{c}") for c in ("dimension", "score", "level", "target", "change")]
    rows = []
    for d in pack.maturity.dimensions:
        rows.append(
            [
                d.title,
                pack.num(d.score, 0),
                _level(pack, d.level, d.level_name),
                _level(pack, d.target_level, d.target_level_name),
                fmt_delta(d.delta, pack.lang),
            ]
        )
    m = pack.maturity
    rows.append(
        [
            pack.text("overall"),
            pack.num(m.overall_score, 0),
            _level(pack, m.overall_level, m.overall_level_name),
            _level(pack, m.target_level, m.target_level_name),
            fmt_delta(m.overall_delta, pack.lang),
        ]
    )
    return headers, rows


def _level(pack: BoardPack, level: int | None, name: str) -> str:
    return "—" if level is None else pack.text("level_value", level=level, name=name)


def priority_line(pack: BoardPack, step: StepLine) -> str:
    effort = pack.value(step.effort_hours, pack.text("unit.hours"))
    line = pack.text(
        "priority_line",
        title=step.title,
        phase=step.phase_label,
        due=pack.date(step.due, long=True),
        effort=effort,
    )
    return f"{line} ({pack.text('late')})" if step.late else line


def goals_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    keys = ("goal", "target", "actual", "status", "trend", "grade")
    headers = [pack.text(f"col.{k}") for k in keys]
    rows = [
        [
            g.title,
            pack.target(g),
            pack.value(g.actual, g.unit),
            g.status_label,
            g.trend_label,
            fmt_grade(g.grade, pack.lang),
        ]
        for g in pack.goals
    ]
    return headers, rows


def steps_table(pack: BoardPack, steps: list[StepLine]) -> tuple[list[str], list[list[str]]]:
    keys = ("step", "start", "due", "effort", "status", "note")
    headers = [pack.text(f"col.{k}") for k in keys]
    rows = []
    for s in steps:
        state = s.state_label + (f" ({pack.text('late')})" if s.late else "")
        rows.append(
            [s.title, pack.date(s.start), pack.date(s.due), pack.num(s.effort_hours), state, s.note]
        )
    return headers, rows


CHECKIN_COLUMNS = ("week", "posts", "received", "replies", "median_response_hours", "response_rate")


def checkins_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    headers = [pack.text(f"col.{k}") for k in (*CHECKIN_COLUMNS, "note")]
    rows = [
        [
            c.week,
            pack.num(c.posts),
            pack.num(c.received),
            pack.num(c.replies),
            pack.num(c.median_response_hours),
            pack.num(c.response_rate, 0),
            c.note,
        ]
        for c in pack.checkins
    ]
    return headers, rows


def completion_line(pack: BoardPack) -> str:
    c = pack.completion
    return pack.text(
        "completion",
        done=c.steps_done,
        total=c.steps_total,
        hours_done=pack.num(c.hours_done),
        hours_total=pack.num(c.hours_total),
        late=c.late,
    )


def method_playbook_line(pack: BoardPack) -> str:
    return pack.text("method_playbook", id=pack.playbook_id, version=pack.playbook_version)


def week_label(pack: BoardPack, week: str) -> str:
    """'S07' / 'W07': short enough for a chart axis."""
    return pack.text("chart.week_label", number=week_monday(week).isocalendar().week)


def series_table(pack: BoardPack, series: Series) -> tuple[list[str], list[list[str]]]:
    target = "—" if series.target is None else pack.num(series.target)
    headers = [pack.text("col.week"), series.unit, pack.text("chart.target")]
    rows = [[week_label(pack, w), pack.num(v), target] for w, v in series.points]
    return headers, rows


def burnup_table(pack: BoardPack) -> tuple[list[str], list[list[str]]]:
    headers = [pack.text("col.week"), pack.text("col.planned"), pack.text("col.done")]
    rows = [[week_label(pack, p.week), pack.num(p.planned), pack.num(p.done)] for p in pack.burnup]
    return headers, rows
