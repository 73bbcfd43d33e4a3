"""The board pack as Markdown: the same content as the PDF, charts as tables.

Every piece of data goes through `escape`, so a note such as
`<script>` or `[x](javascript:...)` stays text in any Markdown renderer.
"""

from __future__ import annotations

import re

from coach.exports.layout import (
    assessed_line,
    burnup_table,
    checkins_table,
    completion_line,
    goals_table,
    maturity_table,
    method_playbook_line,
    overall_line,
    prepared_line,
    priority_line,
    series_table,
    steps_table,
)
from coach.exports.pack import CHART_METRICS, BoardPack

_SPECIAL = re.compile(r"([\\`*_\[\]{}|~$])")  # $: Streamlit reads $…$ as LaTeX
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def escape(text: object) -> str:
    """Data as inert Markdown: one line, no markup, no raw HTML."""
    value = " ".join(str(text).split())  # tabs, CR and newlines become spaces
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _SPECIAL.sub(r"\\\1", value)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)


def render_markdown(pack: BoardPack) -> bytes:
    return to_markdown(pack).encode("utf-8")


def to_markdown(pack: BoardPack) -> str:
    """The whole pack as one Markdown document (also the app's preview)."""
    parts = [
        f"# {escape(pack.text('doc_title', name=pack.profile_name))}",
        escape(prepared_line(pack)),
        *_summary(pack),
        *_plan(pack),
        *_progress(pack),
        *_method(pack),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def table(headers: list[str], rows: list[list[object]], right: set[int] = frozenset()) -> str:
    head = "| " + " | ".join(escape(h) for h in headers) + " |"
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"
    body = ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def bullets(lines: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {escape(line)}" for line in lines)


def _h(level: int, text: str) -> str:
    return f"{'#' * level} {escape(text)}"


# ---- sections -------------------------------------------------------------------------------------


def _summary(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.summary")), _h(3, pack.text("section.maturity"))]
    maturity = pack.maturity
    if maturity is None:
        out.append(escape(pack.text("not_yet.assessment")))
    else:
        out.append(escape(assessed_line(pack)))
        out.append(f"**{escape(overall_line(pack))}**")
        out.append(table(*maturity_table(pack), right={1, 4}))

    out.append(_h(3, pack.text("section.priorities")))
    if pack.priorities:
        out.append(
            "\n".join(
                f"{i}. {escape(priority_line(pack, s))}" for i, s in enumerate(pack.priorities, 1)
            )
        )
    else:
        out.append(escape(pack.text("not_yet.priorities")))

    out.append(_h(3, pack.text("section.goals")))
    out.append(table(*goals_table(pack)) if pack.goals else escape(pack.text("not_yet.goals")))
    out.append(_h(3, pack.text("section.changes")))
    out.append(bullets(pack.changes) if pack.changes else escape(pack.text("not_yet.changes")))
    out.append(_h(3, pack.text("section.risks")))
    out.append(bullets(pack.risks))
    out.append(_h(3, pack.text("section.asks")))
    out.append(bullets(pack.asks))
    return out


def _plan(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.plan"))]
    if not pack.steps:
        return [*out, escape(pack.text("not_yet.plan"))]
    if pack.completion:
        out.append(escape(completion_line(pack)))
    for phase, steps in pack.phases():
        out.append(_h(3, phase))
        out.append(table(*steps_table(pack, steps), right={3}))
    out.append(_h(3, pack.text("section.first_steps")))
    for step in pack.priorities:
        lines = [f"**{escape(step.title)}**", ""]
        lines += [f"- {escape(reason)}" for reason in step.why]
        if step.starter:
            lines.append(
                f"- {escape(pack.text('labelled', label=pack.text('starter'), text=step.starter))}"
            )
        out.append("\n".join(lines))
    return out


def _progress(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.progress"))]
    by_metric = {s.metric: s for s in pack.series}
    for metric in CHART_METRICS:
        out.append(_h(3, pack.text(f"chart.{metric}")))
        series = by_metric.get(metric)
        if not series or not series.has_data:
            out.append(escape(pack.text("not_yet.chart")))
            continue
        out.append(table(*series_table(pack, series), right={1, 2}))
    out.append(_h(3, pack.text("chart.burnup")))
    if pack.burnup:
        out.append(table(*burnup_table(pack), right={1, 2}))
    else:
        out.append(escape(pack.text("not_yet.chart")))
    out.append(_h(3, pack.text("section.checkins")))
    if pack.checkins:
        out.append(table(*checkins_table(pack), right={1, 2, 3, 4, 5}))
    else:
        out.append(escape(pack.text("not_yet.checkins")))
    return out


def _method(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.method"))]
    out += [escape(paragraph) for paragraph in pack.method]
    out.append(escape(method_playbook_line(pack)))
    return out
