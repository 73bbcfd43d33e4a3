"""The board pack as one CSV file: plan steps and check-ins, told apart by a section column.

Dates stay ISO (2026-03-02) here, so a spreadsheet reads them as dates.
One file rather than a ZIP of two, so `-o pack.csv` opens straight in Excel.
UTF-8 with BOM so Excel reads accents; French packs use ';' and a decimal
comma, as Excel does on a French (Canada) system. Every text cell that a
spreadsheet could read as a formula is neutralised with a leading quote (OWASP).
"""

from __future__ import annotations

import csv
import io

from coach.exports.pack import BoardPack

# Characters that make a spreadsheet evaluate a cell (OWASP CSV injection), with full-width twins.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

STEP_COLUMNS = ("id", "title", "phase", "start", "due", "effort", "status", "changed_on", "note")
CHECKIN_COLUMNS = (
    "week",
    "posts",
    "received",
    "replies",
    "median_response_hours",
    "response_rate",
    "followers",
    "mentions",
    "monitoring_sessions",
    "employee_touchpoints",
    "source",
)
COLUMNS = ("section", *STEP_COLUMNS, *CHECKIN_COLUMNS)


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if value.lstrip(" ")[:1] in FORMULA_START or value[:1] in FORMULA_START:
        return "'" + value
    return value


def delimiter(lang: str) -> str:
    return ";" if lang == "fr" else ","


def render_csv(pack: BoardPack) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter(pack.lang), lineterminator="\r\n")
    writer.writerow([neutralise(pack.text(f"col.{c}")) for c in COLUMNS])
    for row in _rows(pack):
        cells = [row.get(c) for c in COLUMNS]
        writer.writerow([neutralise(_cell(value, pack.lang)) for value in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _rows(pack: BoardPack) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for step in pack.steps:
        changed_on = pack.changed_on(step)
        rows.append(
            {
                "section": pack.text("csv_step"),
                "id": step.id,
                "title": step.title,
                "phase": pack.text(f"phase.{step.phase}"),
                "start": step.start.isoformat(),
                "due": step.due.isoformat(),
                "effort": step.effort_hours,
                "status": pack.text(f"state.{pack.state(step)}"),
                "changed_on": changed_on.isoformat() if changed_on else None,
                "note": pack.note(step),
            }
        )
    for checkin in pack.checkins:
        row: dict[str, object] = {"section": pack.text("csv_checkin"), "note": checkin.note}
        for column in CHECKIN_COLUMNS:
            row[column] = getattr(checkin, column)
        rows.append(row)
    return rows


def _cell(value: object, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.1f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        return text.replace(".", ",") if lang == "fr" else text
    return str(value)
