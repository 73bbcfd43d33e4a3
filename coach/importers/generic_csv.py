"""A generic CSV for any other tool: one row per event.

Columns (header required, case and order free, other columns ignored):
- `timestamp`: ISO 8601 (`2026-01-20T08:00:00-05:00`, `2026-01-20 13:00:00`, ...);
  without a zone, UTC;
- `kind`: `post`, `reply` or `received` (French also accepted: `publication`,
  `réponse`, `reçu`);
- `conversation_id` (optional): ties a reply to what it answers, which gives
  the response time.
"""

from __future__ import annotations

from coach.importers.common import Event, ImportResult, Note, parse_timestamp
from coach.importers.files import Input, Table, cell, read_table

TIMESTAMP = ("timestamp", "date", "datetime")
KIND = ("kind", "type")
CONVERSATION = ("conversation_id", "conversation", "thread_id")
_KINDS = {
    "post": "post",
    "posts": "post",
    "publication": "post",
    "reply": "reply",
    "replies": "reply",
    "réponse": "reply",
    "reponse": "reply",
    "received": "received",
    "reçu": "received",
    "recu": "received",
}


def is_header(columns: set[str]) -> bool:
    return bool(columns & set(KIND)) and bool(columns & set(TIMESTAMP))


def _read(table: Table) -> tuple[list[Event], bool, bool]:
    timestamp = table.require("timestamp", *TIMESTAMP[1:])
    kind = table.require("kind", *KIND[1:])
    conversation = table.column(*CONVERSATION)
    events: list[Event] = []
    zoneless = False
    for line, row in table.rows():
        value = cell(row, timestamp)
        parsed = parse_timestamp(value)
        if parsed is None:
            raise table.inp.error(
                "importers.error.bad_date", line=line, column="timestamp", value=value
            )
        at, no_zone = parsed
        zoneless = zoneless or no_zone
        what = _KINDS.get(cell(row, kind).casefold())
        if what is None:
            raise table.inp.error("importers.error.bad_kind", line=line, value=cell(row, kind))
        events.append(Event(at, what, cell(row, conversation) or None))
    return events, zoneless, conversation is not None


def parse(inp: Input, file: str) -> ImportResult:
    events, zoneless, has_conversations = read_table(inp, is_header, _read)
    fields = {"posts", "received", "replies"}
    notes = []
    if has_conversations:
        fields.add("median_response_hours")
    elif any(e.kind == "received" for e in events):
        notes.append(Note("importers.note.no_conversation"))
    return ImportResult(
        platform="csv",
        file=file,
        events=tuple(events),
        fields=frozenset(fields),
        entries=(inp.display,),
        zoneless=zoneless,
        notes=tuple(notes),
        replies_written=sum(1 for e in events if e.kind == "reply"),
    )
