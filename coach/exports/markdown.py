"""The board pack as Markdown: the same content as the PDF, charts as tables.

Every piece of data goes through `escape`, so a note such as
`<script>` or `[x](javascript:...)` stays text in any Markdown renderer.
"""

from __future__ import annotations

import re

from coach.exports import layout
from coach.exports.pack import BoardPack

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
        escape(layout.prepared_line(pack)),
        *_summary(pack),
        *_changes(pack),
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
    if not pack.has_assessment:
        return [_h(2, pack.text("section.summary")), escape(pack.text("not_yet.assessment"))]
    out = [_h(2, pack.text("section.bottom_line")), *(escape(s) for s in pack.bottom_line)]
    out.append(_h(3, pack.text("section.maturity")))
    out.append(escape(layout.assessed_line(pack)))
    out.append(table(*layout.maturity_table(pack)))
    if pack.goals:
        out.append(_h(3, pack.text("section.goals")))
        out.append(table(*layout.goals_table(pack)))
    out.append(_h(3, pack.text("section.priorities")))
    if pack.where_to_start:
        lines = [layout.priority_line(pack, s) for s in pack.where_to_start]
        out.append("\n".join(f"{i}. {escape(line)}" for i, line in enumerate(lines, 1)))
    else:
        out.append(escape(pack.text("not_yet.priorities")))
    out.append(_h(3, pack.text("section.asks")))
    out.append(bullets(pack.asks))
    return out


def _changes(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.changes"))]
    out.append(bullets(pack.changes) if pack.changes else escape(pack.text("not_yet.changes")))
    return [*out, _h(2, pack.text("section.risks")), bullets(pack.risks)]


def _plan(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.plan"))]
    if not pack.steps:
        return [*out, escape(pack.text("not_yet.plan"))]
    if pack.completion:
        out.append(escape(layout.completion_line(pack)))
    for phase, steps in pack.phases():
        out.append(_h(3, phase))
        out.append(table(*layout.steps_table(pack, steps), right={3}))
    if pack.where_to_start:
        out.append(_h(3, pack.text("section.first_steps")))
    for step in pack.where_to_start:
        lines = [f"**{escape(step.title)}**", ""]
        lines += [f"- {escape(reason)}" for reason in step.why]
        if step.starter:
            labelled = pack.text("labelled", label=pack.text("starter"), text=step.starter)
            lines.append(f"- {escape(labelled)}")
        out.append("\n".join(lines))
    return out


def _progress(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.progress"))]
    for series in pack.series:
        out.append(_h(3, pack.text(f"chart.{series.metric}")))
        if series.has_data:
            out.append(table(*layout.series_table(pack, series), right={1, 2}))
        else:
            out.append(escape(pack.text("not_yet.chart")))
    out.append(_h(3, pack.text("chart.burnup")))
    if pack.burnup:
        out.append(table(*layout.burnup_table(pack), right={1, 2}))
    else:
        out.append(escape(pack.text("not_yet.chart")))
    earlier = layout.earlier_line(pack)
    if earlier:
        out.append(escape(earlier))
    out.append(_h(3, pack.text("section.checkins")))
    note = layout.checkins_note(pack)
    if pack.checkins and note:
        out.append(escape(note))
    if pack.checkins:
        out.append(table(*layout.checkins_table(pack), right={1, 2, 3, 4, 5}))
    else:
        out.append(escape(pack.text("not_yet.checkins")))
    return out


def _method(pack: BoardPack) -> list[str]:
    out = [_h(2, pack.text("section.method"))]
    out += [escape(paragraph) for paragraph in layout.method_paragraphs(pack)]
    found = layout.sources(pack)
    if found:
        out.append(_h(3, pack.text("section.sources")))
        out.append(bullets([f"{title} · {url}" if url else title for title, url in found]))
    out.append(escape(layout.footer_line(pack)))
    return out
