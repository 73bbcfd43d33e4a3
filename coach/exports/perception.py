"""The board pack's perception section: the team pulse and the question box, in sentences.

`Perception` is what the application layer hands the pack (coach.service builds it
from `pulse_results`, the only door to pulse answers): the last shown round's score
and trend, the weakest statement in words, the question box's figures over the last
four weeks, and the threshold. It never holds a comment or a hidden round's figure.
`perception_lines` turns it into the sentences every format prints under one heading.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.i18n import fmt_number, t


@dataclass(frozen=True)
class Perception:
    threshold: int  # results show from this many answers (the latest round's)
    rounds: int  # rounds opened or imported
    score: float | None  # the last shown round's score, 0-100 (None: no round shown yet)
    shown_on: date | None  # the day that round opened
    direction: str  # "improving" | "flat" | "worsening" | "no_data"
    change: float | None  # points since the shown round before
    weakest: str | None  # the weakest statement, in words
    received: int  # questions received over the last four weeks
    answered: int
    median_hours: float | None
    published: int  # answers published to the team


def perception_lines(perception: Perception, lang: str, day: str | None = None) -> tuple[str, ...]:
    """The section's sentences in `lang`; `day` is the shown round's date as the pack writes it."""
    p = perception
    lines: list[str] = []
    if p.score is None:
        key = "pulse.pack.none" if p.rounds == 0 else "pulse.pack.all_hidden"
        lines.append(t(key, lang, threshold=p.threshold))
    else:
        lines.append(t("pulse.pack.score", lang, day=day or "—", score=fmt_number(p.score, lang)))
        if p.change is not None:
            lines.append(
                t(
                    "pulse.pack.trend",
                    lang,
                    trend=t(f"pulse.trend.{p.direction}", lang).lower(),
                    change=fmt_number(p.change, lang),
                )
            )
        if p.weakest:
            lines.append(t("pulse.pack.weakest", lang, item=p.weakest))
    median = "—" if p.median_hours is None else f"{fmt_number(round(p.median_hours, 1), lang)} h"
    counts = {"received": p.received, "answered": p.answered, "published": p.published}
    figures = {name: fmt_number(count, lang) for name, count in counts.items()}
    lines.append(t("pulse.pack.inbox", lang, median=median, **figures))
    lines.append(t("pulse.pack.threshold", lang, threshold=p.threshold))
    return tuple(lines)


# ---- one line in each format's renderer calls these -----------------------------------------------


def _lines(pack: Any) -> tuple[str, tuple[str, ...]] | None:
    found = getattr(pack, "perception", None)
    if not isinstance(found, Perception):
        return None
    day = pack.date(found.shown_on) if found.shown_on else None
    return t("pulse.pack.title", pack.lang), perception_lines(found, pack.lang, day)


def perception_markdown(pack: Any) -> list[str]:
    """The section in Markdown (heading and bullets), or nothing when the pack has none."""
    from coach.exports.markdown import bullets, escape

    found = _lines(pack)
    if found is None:
        return []
    title, lines = found
    return [f"## {escape(title)}", bullets(list(lines))]


def perception_html(pack: Any) -> str:
    """The section in HTML (every text escaped), or an empty string."""
    found = _lines(pack)
    if found is None:
        return ""
    title, lines = found
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<section><h2>{html.escape(title)}</h2><ul>{items}</ul></section>"


def perception_pdf(pdf: Any) -> None:
    """The section on the PDF (`coach.exports.pdf.PackPDF`), after the progress section."""
    found = _lines(pdf.pack)
    if found is None:
        return
    title, lines = found
    pdf.h2(title)
    pdf.bullets(list(lines))
