"""Local mode: pulse results from a forms tool's CSV export (Google Forms, Microsoft Forms).

Column mapping (docs/PULSE.md has the full table):
- a column whose title is a pulse question's text, in French or English, with
  any name where the playbook writes {manager} (case, accents, punctuation and
  spacing ignored), or a title that starts with the question id in brackets,
  "[trust] ...", holds that question's answers;
- scale cells hold 1 to 5, or one of the five scale labels (fr or en); a blank
  cell is a skipped item; text cells become comments;
- the timestamp column ("Timestamp" / "Horodateur", "Completion time" /
  "Heure de fin") gives the day only; every other column (e-mail, name, ID,
  start time, score, anything not matched) is dropped as it is read and never
  reaches a PulseAnswer.
A bad cell stops the import with its row and column, and nothing is kept.
Imported answers form one batch: the whole export is released at once, under
the same threshold as a round answered through a link.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coach.errors import InvalidInput
from coach.pulse.definition import SCALE_POINTS, Pulse, PulseQuestion
from coach.pulse.links import MAX_ANSWERS_PER_ROUND
from coach.pulse.results import MAX_TEXT_CHARS, PulseAnswer, PulseRound, build_answer

MAX_IMPORT_BYTES = 5 * 1024 * 1024
GOOGLE, MICROSOFT = "google-forms", "microsoft-forms"
# Normalised titles that tell the tools apart (English and French interfaces). Every
# column that is not a pulse question is dropped, whatever its title.
GOOGLE_TIME = ("timestamp", "horodateur")
MICROSOFT_ID = ("id",)
MICROSOFT_TIME = ("completion time", "heure de fin")


@dataclass(frozen=True)
class ImportedPulse:
    round: PulseRound
    answers: tuple[PulseAnswer, ...]
    format: str  # GOOGLE or MICROSOFT
    questions: tuple[str, ...]  # pulse question ids found in the file
    dropped_columns: tuple[str, ...]  # column titles read and thrown away


def normalise(title: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9{}\[\]]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _pattern(question_text: str) -> re.Pattern[str]:
    parts = normalise(question_text).split("{manager}")
    return re.compile("^" + " ?(.+?) ?".join(re.escape(p.strip()) for p in parts) + "$")


def _match_question(title: str, questions: Sequence[PulseQuestion]) -> PulseQuestion | None:
    stripped = title.strip()
    for q in questions:
        if stripped == q.id or stripped.startswith(f"[{q.id}]"):
            return q
    norm = normalise(title).replace("{", "").replace("}", "")
    for q in questions:
        if any(_pattern(q.text.get(lang)).match(norm) for lang in ("fr", "en")):
            return q
    return None


def _decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput("pulse.import.too_big", max_mb=MAX_IMPORT_BYTES // (1024 * 1024))
    if b"\x00" in data[:4096]:
        raise InvalidInput("pulse.import.not_csv")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def _format(headers: list[str]) -> str:
    names = [normalise(h) for h in headers]
    if names and names[0] in GOOGLE_TIME:
        return GOOGLE
    if any(n in MICROSOFT_ID for n in names) and any(n in MICROSOFT_TIME for n in names):
        return MICROSOFT
    raise InvalidInput("pulse.import.unknown_format")


_YMD = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
_MDY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")


def day_of(cell: str) -> date | None:
    """The day of a forms timestamp ("2026/11/24 9:12:45 AM EST", "11/24/2026 9:12:45", "11/24/26 9:12");
    the time and zone are dropped. Month first unless the first number cannot be a month."""
    text = cell.strip()
    try:
        if match := _YMD.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MDY.match(text):
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            year += 2000 if year < 100 else 0
            month, day = (second, first) if first > 12 else (first, second)
            return date(year, month, day)
    except ValueError:
        return None
    return None


def _scale_value(cell: str, pulse: Pulse) -> int | str:
    text = cell.strip()
    if text.isdigit():
        return int(text)
    norm = normalise(text)
    for index, label in enumerate(pulse.scale_labels, start=1):
        if norm in (normalise(label.fr), normalise(label.en)):
            return index
    return text


def read_forms_csv(pulse: Pulse, data: bytes, round_id: str, today: date) -> ImportedPulse:
    """The answers of a Google Forms or Microsoft Forms CSV export, identity dropped."""
    try:
        return _read(pulse, _decode(data), round_id, today)
    except csv.Error:  # a cell past the csv module's size limit (a process-wide setting)
        raise InvalidInput("pulse.import.not_csv") from None


def _read(pulse: Pulse, text: str, round_id: str, today: date) -> ImportedPulse:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader, None)
    if not headers:
        raise InvalidInput("pulse.import.empty")
    source = _format(headers)
    time_names = GOOGLE_TIME if source == GOOGLE else MICROSOFT_TIME
    time_col = next((i for i, h in enumerate(headers) if normalise(h) in time_names), None)
    columns: dict[int, PulseQuestion] = {}
    for index, title in enumerate(headers):
        question = _match_question(title, pulse.questions)
        if question is not None and question not in columns.values():
            columns[index] = question
    if not any(q.type == "scale" for q in columns.values()):
        raise InvalidInput("pulse.import.no_questions")
    dropped = tuple(h for i, h in enumerate(headers) if i not in columns)
    answers: list[PulseAnswer] = []
    days: list[date] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(answers) >= MAX_ANSWERS_PER_ROUND:
            raise InvalidInput("pulse.import.too_many", max=MAX_ANSWERS_PER_ROUND)
        line = reader.line_num
        raw: dict[str, object] = {}
        for index, question in columns.items():
            cell = row[index] if index < len(row) else ""
            if question.type == "scale":
                value = _scale_value(cell, pulse) if cell.strip() else None
                if isinstance(value, str) or (value is not None and not 1 <= value <= SCALE_POINTS):
                    raise InvalidInput(
                        "pulse.import.bad_value",
                        row=line,
                        column=headers[index][:60],
                        value=cell[:30],
                    )
                raw[question.id] = value
            else:
                raw[question.id] = cell
        day = day_of(row[time_col]) if time_col is not None and time_col < len(row) else None
        day = day or today
        days.append(day)
        try:
            answers.append(build_answer(pulse, raw, day, batch=1, require_all=False))
        except InvalidInput:  # only a comment over the size cap can still fail here
            raise InvalidInput("pulse.import.text_too_long", row=line, max=MAX_TEXT_CHARS) from None
    if not answers:
        raise InvalidInput("pulse.import.no_answers")
    opened, closed = min(days), max(days)
    pulse_round = PulseRound(
        round_id, opened, closed, closed, source=f"import:{source}", threshold=pulse.threshold
    )
    found = tuple(q.id for q in pulse.questions if q in columns.values())
    return ImportedPulse(pulse_round, tuple(answers), source, found, dropped)
