"""The board pack as one self-contained HTML file: inline CSS, charts as data: SVG images.

Nothing is fetched: no CDN, no font, no script; a Content-Security-Policy says so
to the browser as well. Every piece of data is escaped with `html.escape`.
Charts are SVG inside <img>, where an SVG can never run a script.
"""

from __future__ import annotations

import base64
from html import escape

from coach.exports import layout
from coach.exports.pack import STATUSES, BoardPack
from coach.exports.svg import PALETTE, charts

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = """
:root { --ink: INK; --muted: MUTED; --line: #d5dae1; --blue: BLUE; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: "DejaVu Sans", "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; line-height: 1.45;
       hyphens: auto; -webkit-hyphens: auto; overflow-wrap: break-word; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; color: var(--blue); }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--blue); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h1, h2, h3, h4 { hyphens: manual; -webkit-hyphens: manual; }
p.meta { color: var(--muted); margin-top: 0; }
.bottom-line p { font-size: 1.05rem; margin: .3rem 0; }
.bottom-line p:last-child { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
         vertical-align: top; }
th { background: HEAD; }
td.num, th.num { text-align: right; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-weight: bold;
          border: 1px solid currentColor; hyphens: manual; }
.status-on_track { color: ON; background: ON_FILL; }
.status-at_risk { color: RISK; background: RISK_FILL; }
.status-off_track { color: OFF; background: OFF_FILL; }
.status-no_data, .status-not_started { color: var(--muted); background: NODATA_FILL; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(22rem, 100%), 1fr)); gap: 1rem; }
figure { margin: 0; min-width: 0; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption, .notyet, .earlier { color: var(--muted); font-style: italic; }
details summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
ol.priorities li, ul li { margin-bottom: .2rem; }
a { color: var(--blue); overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; border-top: 1px solid var(--line); }
/* A phone: each table row becomes a card, each cell a labelled line; nothing scrolls sideways. */
@media (max-width: 40rem) {
  body { padding: 1rem; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); white-space: nowrap; }
  table.cards tr { border-bottom: 1px solid var(--line); padding: .35rem 0; }
  table.cards td { border: 0; padding: .1rem 0; text-align: left; }
  table.cards td.num { text-align: left; }
  table.cards td::before { content: attr(data-label) " : "; font-weight: bold; color: var(--muted); }
  html[lang="en"] table.cards td::before { content: attr(data-label) ": "; }
  table.cards td:first-child { font-weight: bold; }
  table.cards td:first-child::before { content: none; }
  table.cards td:empty { display: none; }
}
@media print {
  @page { size: PAPER; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.summary { break-after: page; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure, li { break-inside: avoid; }
  details { display: none; }
  .status { border-width: 1px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _css(paper: str) -> str:
    colours = {
        "INK": "ink",
        "MUTED": "muted",
        "BLUE": "blue",
        "HEAD": "head",
        "ON_FILL": "on_track_fill",
        "RISK_FILL": "at_risk_fill",
        "OFF_FILL": "off_track_fill",
        "NODATA_FILL": "no_data_fill",
        "ON": "on_track",
        "RISK": "at_risk",
        "OFF": "off_track",
    }
    css = CSS.replace("PAPER", paper)
    for word in sorted(colours, key=len, reverse=True):  # ON_FILL before ON
        css = css.replace(word, PALETTE[colours[word]])
    return css


def render_html(pack: BoardPack, paper: str = "A4") -> bytes:
    page = "letter" if paper.lower() == "letter" else "A4"
    title = pack.text("doc_title", name=pack.profile_name)
    body = "\n".join(
        [
            f"<header><h1>{_e(title)}</h1><p class='meta'>{_e(layout.prepared_line(pack))}</p></header>",
            _summary(pack),
            _changes(pack),
            _plan(pack),
            _progress(pack),
            _method(pack),
            f"<footer><p>{_e(pack.text('generated', date=pack.date(pack.generated_on, long=True)))}"
            f" · {_e(layout.footer_line(pack))}</p></footer>",
        ]
    )
    lang = "fr-CA" if pack.lang == "fr" else "en"
    document = (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_css(page)}</style>\n</head>\n"
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
    raw: dict[tuple[int, int], str] | None = None,
) -> str:
    """A table that turns into labelled cards on a phone; `raw` cells are markup already."""
    raw = raw or {}

    def cell(i: int, r: int, value: object) -> str:
        cls = ' class="num"' if i in numeric else ""
        inner = raw.get((r, i), _e(value))
        return f'<td{cls} data-label="{_e(headers[i])}">{inner}</td>'

    num = ' class="num"'
    head = "".join(f"<th{num if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell(i, r, v) for i, v in enumerate(row)) + "</tr>"
        for r, row in enumerate(rows)
    )
    return f'<table class="cards"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _list(lines: tuple[str, ...] | list[str], tag: str = "ul", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + f"</{tag}>"


def _status(code: str, label: str) -> str:
    code = code if code in STATUSES else "no_data"  # a class name never comes from data
    return f'<span class="status status-{code}">{_e(label)}</span>'


def _h(level: int, key: str, pack: BoardPack) -> str:
    return f"<h{level}>{_e(pack.text(key))}</h{level}>"


# ---- sections -------------------------------------------------------------------------------------


def _summary(pack: BoardPack) -> str:
    out = ['<section class="summary" id="summary">']
    if not pack.has_assessment:
        out += [_h(2, "section.summary", pack), _p(pack.text("not_yet.assessment"), "notyet")]
        return "\n".join([*out, "</section>"])
    out.append(_h(2, "section.bottom_line", pack))
    out.append('<div class="bottom-line">' + "".join(_p(s) for s in pack.bottom_line) + "</div>")
    out.append(_h(3, "section.maturity", pack))
    out.append(_p(layout.assessed_line(pack), "meta"))
    out.append(_table(*layout.maturity_table(pack)))
    if pack.goals:
        out.append(_h(3, "section.goals", pack))
        headers, rows = layout.goals_table(pack)
        raw = {(r, 3): _status(g.status, rows[r][3]) for r, g in enumerate(pack.goals)}
        out.append(_table(headers, rows, raw=raw))
    out.append(_h(3, "section.priorities", pack))
    if pack.where_to_start:
        lines = [layout.priority_line(pack, s) for s in pack.where_to_start]
        out.append(_list(lines, "ol", "priorities"))
    else:
        out.append(_p(pack.text("not_yet.priorities"), "notyet"))
    out.append(_h(3, "section.asks", pack))
    out.append(_list(pack.asks))
    out.append("</section>")
    return "\n".join(out)


def _changes(pack: BoardPack) -> str:
    out = ['<section class="changes" id="changes">', _h(2, "section.changes", pack)]
    out.append(_list(pack.changes) if pack.changes else _p(pack.text("not_yet.changes"), "notyet"))
    out += [_h(2, "section.risks", pack), _list(pack.risks), "</section>"]
    return "\n".join(out)


def _plan(pack: BoardPack) -> str:
    out = ['<section class="plan" id="plan">', _h(2, "section.plan", pack)]
    if not pack.steps:
        out += [_p(pack.text("not_yet.plan"), "notyet"), "</section>"]
        return "\n".join(out)
    if pack.completion:
        out.append(_p(layout.completion_line(pack)))
    for phase, steps in pack.phases():
        out.append(f"<h3>{_e(phase)}</h3>")
        out.append(_table(*layout.steps_table(pack, steps), numeric={3}))
    if pack.where_to_start:
        out.append(_h(3, "section.first_steps", pack))
    for step in pack.where_to_start:
        out.append(f"<h4>{_e(step.title)}</h4>")
        lines = list(step.why)
        if step.starter:
            lines.append(pack.text("labelled", label=pack.text("starter"), text=step.starter))
        out.append(_list(lines))
    out.append("</section>")
    return "\n".join(out)


def _progress(pack: BoardPack) -> str:
    out = ['<section class="progress" id="progress">', _h(2, "section.progress", pack)]
    series = {s.metric: s for s in pack.series}
    figures = []
    for name, title, svg in charts(pack):
        if svg is None:
            figures.append(
                f"<figure><h3>{_e(title)}</h3>{_p(pack.text('not_yet.chart'), 'notyet')}</figure>"
            )
            continue
        if name == "burnup":
            data = _table(*layout.burnup_table(pack), numeric={1, 2})
        else:
            data = _table(*layout.series_table(pack, series[name]), numeric={1, 2})
        src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        figures.append(
            f'<figure><img alt="{_e(title)}" src="{src}">'
            f"<details><summary>{_e(pack.text('chart.data_table'))}</summary>{data}</details>"
            "</figure>"
        )
    out.append('<div class="charts">' + "".join(figures) + "</div>")
    earlier = layout.earlier_line(pack)
    if earlier:
        out.append(_p(earlier, "earlier"))
    out.append(_h(3, "section.checkins", pack))
    note = layout.checkins_note(pack)
    if pack.checkins and note:
        out.append(_p(note, "earlier"))
    if pack.checkins:
        out.append(_table(*layout.checkins_table(pack), numeric={1, 2, 3, 4, 5}))
    else:
        out.append(_p(pack.text("not_yet.checkins"), "notyet"))
    out.append("</section>")
    return "\n".join(out)


def _method(pack: BoardPack) -> str:
    out = ['<section class="method" id="method">', _h(2, "section.method", pack)]
    out += [_p(paragraph) for paragraph in layout.method_paragraphs(pack)]
    found = layout.sources(pack)
    if found:
        out.append(_h(3, "section.sources", pack))
        items = []
        for title, url in found:
            link = f' · <a href="{_e(url)}">{_e(url)}</a>' if url.startswith("https://") else ""
            items.append(f"<li>{_e(title)}{link}</li>")
        out.append("<ul>" + "".join(items) + "</ul>")
    out.append("</section>")
    return "\n".join(out)
