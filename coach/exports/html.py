"""The board pack as one self-contained HTML file: inline CSS, charts as data: SVG images.

Nothing is fetched: no CDN, no font, no script; a Content-Security-Policy says so
to the browser as well. Every piece of data is escaped with `html.escape`.
Charts are SVG inside <img>, where an SVG can never run a script.
"""

from __future__ import annotations

import base64
from html import escape

from coach.exports import layout
from coach.exports.pack import CHART_METRICS, STATUSES, BoardPack
from coach.exports.svg import burnup_svg, series_svg

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = """
:root { --ink: #1f2a37; --muted: #5b6676; --line: #d5dae1; --blue: #1f4e79; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; color: var(--blue); }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--blue); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.meta { color: var(--muted); margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef2f7; overflow-wrap: normal; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-weight: bold;
          border: 1px solid currentColor; white-space: nowrap; }
.status-on_track { color: #1b5e20; background: #e8f5e9; }
.status-at_risk { color: #8a5a00; background: #fff4db; }
.status-off_track { color: #8e1f14; background: #fdecea; }
.status-no_data { color: var(--muted); background: #f1f3f5; }
.late { color: #8e1f14; font-weight: bold; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
figure { margin: 0; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption, .notyet { color: var(--muted); font-style: italic; }
details summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
ol.priorities li, ul li { margin-bottom: .2rem; }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; border-top: 1px solid var(--line); }
@media print {
  @page { size: PAPER; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.summary { break-after: page; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  tr, figure, li { break-inside: avoid; }
  details { display: none; }
  .status { border-width: 1px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render_html(pack: BoardPack, paper: str = "A4") -> bytes:
    page = "letter" if paper.lower() == "letter" else "A4"
    title = pack.text("doc_title", name=pack.profile_name)
    body = "\n".join(
        [
            f"<header><h1>{_e(title)}</h1><p class='meta'>{_e(layout.prepared_line(pack))}</p></header>",
            _summary(pack),
            _plan(pack),
            _progress(pack),
            _method(pack),
            f"<footer><p>{_e(pack.text('generated', date=pack.date(pack.generated_on, long=True)))}"
            f" · {_e(layout.method_playbook_line(pack))}</p></footer>",
        ]
    )
    document = (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(pack.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS.replace('PAPER', page)}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    return document.encode("utf-8")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{_e(text)}</p>"


def _table(
    headers: list[str],
    rows: list[list[object]],
    numeric: set[int] = frozenset(),
    nowrap: set[int] = frozenset(),
) -> str:
    def cell(tag: str, i: int, value: object) -> str:
        cls = ' class="num"' if i in numeric else ' class="nowrap"' if i in nowrap else ""
        return f"<{tag}{cls}>{value}</{tag}>"

    head = "".join(cell("th", i, _e(h)) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, _e(v)) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _list(lines: tuple[str, ...], tag: str = "ul", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + f"</{tag}>"


def _status(code: str, label: str) -> str:
    code = code if code in STATUSES else "no_data"  # a class name never comes from data
    return f'<span class="status status-{code}">{_e(label)}</span>'


# ---- sections -------------------------------------------------------------------------------------


def _summary(pack: BoardPack) -> str:
    out = ['<section class="summary" id="summary">', f"<h2>{_e(pack.text('section.summary'))}</h2>"]
    out.append(f"<h3>{_e(pack.text('section.maturity'))}</h3>")
    if pack.maturity is None:
        out.append(_p(pack.text("not_yet.assessment"), "notyet"))
    else:
        out.append(_p(layout.assessed_line(pack)))
        out.append(f"<p><strong>{_e(layout.overall_line(pack))}</strong></p>")
        out.append(_table(*layout.maturity_table(pack), numeric={1, 4}))

    out.append(f"<h3>{_e(pack.text('section.priorities'))}</h3>")
    if pack.priorities:
        lines = tuple(layout.priority_line(pack, s) for s in pack.priorities)
        out.append(_list(lines, "ol", "priorities"))
    else:
        out.append(_p(pack.text("not_yet.priorities"), "notyet"))

    out.append(f"<h3>{_e(pack.text('section.goals'))}</h3>")
    out.append(_goals(pack) if pack.goals else _p(pack.text("not_yet.goals"), "notyet"))
    out.append(f"<h3>{_e(pack.text('section.changes'))}</h3>")
    out.append(_list(pack.changes) if pack.changes else _p(pack.text("not_yet.changes"), "notyet"))
    out.append(f"<h3>{_e(pack.text('section.risks'))}</h3>")
    out.append(_list(pack.risks))
    out.append(f"<h3>{_e(pack.text('section.asks'))}</h3>")
    out.append(_list(pack.asks))
    out.append("</section>")
    return "\n".join(out)


def _goals(pack: BoardPack) -> str:
    headers, rows = layout.goals_table(pack)
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for goal, row in zip(pack.goals, rows, strict=True):
        cells = [
            _e(row[0]),
            _e(row[1]),
            _e(row[2]),
            _status(goal.status, row[3]),
            _e(row[4]),
            _e(row[5]),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _plan(pack: BoardPack) -> str:
    out = ['<section class="plan" id="plan">', f"<h2>{_e(pack.text('section.plan'))}</h2>"]
    if not pack.steps:
        out += [_p(pack.text("not_yet.plan"), "notyet"), "</section>"]
        return "\n".join(out)
    if pack.completion:
        out.append(_p(layout.completion_line(pack)))
    for phase, steps in pack.phases():
        out.append(f"<h3>{_e(phase)}</h3>")
        out.append(_table(*layout.steps_table(pack, steps), numeric={3}, nowrap={1, 2, 4}))
    out.append(f"<h3>{_e(pack.text('section.first_steps'))}</h3>")
    for step in pack.priorities:
        out.append(f"<h4>{_e(step.title)}</h4>")
        lines = step.why
        if step.starter:
            lines = (*lines, pack.text("labelled", label=pack.text("starter"), text=step.starter))
        out.append(_list(lines))
    out.append("</section>")
    return "\n".join(out)


def _progress(pack: BoardPack) -> str:
    out = [
        '<section class="progress" id="progress">',
        f"<h2>{_e(pack.text('section.progress'))}</h2>",
    ]
    series = {s.metric: s for s in pack.series}
    figures = []
    for name in (*CHART_METRICS, "burnup"):
        title = pack.text(f"chart.{name}")
        if name == "burnup":
            svg = burnup_svg(pack, title) if pack.burnup else None
            data = _table(*layout.burnup_table(pack), numeric={1, 2}) if svg else ""
        else:
            one = series.get(name)
            svg = series_svg(pack, one, title) if one is not None and one.has_data else None
            data = _table(*layout.series_table(pack, one), numeric={1, 2}) if svg else ""
        if svg is None:
            figures.append(
                f"<figure><h3>{_e(title)}</h3>{_p(pack.text('not_yet.chart'), 'notyet')}</figure>"
            )
            continue
        src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        figures.append(
            f'<figure><img alt="{_e(title)}" src="{src}">'
            f"<details><summary>{_e(pack.text('chart.data_table'))}</summary>{data}</details></figure>"
        )
    out.append('<div class="charts">' + "".join(figures) + "</div>")
    out.append(f"<h3>{_e(pack.text('section.checkins'))}</h3>")
    if pack.checkins:
        out.append(_table(*layout.checkins_table(pack), numeric={1, 2, 3, 4, 5}, nowrap={0}))
    else:
        out.append(_p(pack.text("not_yet.checkins"), "notyet"))
    out.append("</section>")
    return "\n".join(out)


def _method(pack: BoardPack) -> str:
    out = ['<section class="method" id="method">', f"<h2>{_e(pack.text('section.method'))}</h2>"]
    out += [_p(paragraph) for paragraph in pack.method]
    out.append(_p(layout.method_playbook_line(pack)))
    out.append("</section>")
    return "\n".join(out)
