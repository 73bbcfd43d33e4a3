"""LinkedIn member data export: Shares.csv (posts), Comments.csv (replies), messages.csv.

messages.csv gives what the manager received and how fast they answered. The
manager is recognised among the senders (see `recognise_me`); `me` (a name or a
profile URL, `--me` in the CLI) overrides it. In each conversation, the
messages other people send before the manager writes again form one item
received (a thought split over three chat bubbles is one request, not three);
the manager's next message is the reply. Messages the manager sends with
nothing waiting (openers, follow-ups) are neither replies nor posts. Spam and
drafts are skipped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from coach.errors import InvalidInput
from coach.importers.common import Event, ImportResult, Note, parse_timestamp
from coach.importers.files import Input, Table, cell, read_table

SKIPPED_FOLDERS = {"spam", "draft", "drafts"}
FILE_KINDS = ("messages", "shares", "comments")


def kind_of(columns: set[str]) -> str | None:
    """Which LinkedIn file a normalized header belongs to: "messages", "shares", "comments" or None."""
    if "conversation id" in columns:
        return "messages"
    if "sharelink" in columns or "sharecommentary" in columns:
        return "shares"
    if {"date", "message", "link"} <= columns:
        return "comments"
    return None


def kind_from_name(name: str) -> str | None:
    """messages.csv, "messages (1).csv" (downloaded twice), Shares.csv, Comments.csv."""
    lower = name.casefold()
    for kind in FILE_KINDS:
        if lower.startswith(kind) and lower.endswith(".csv"):
            return kind
    return None


class _Dates:
    """Parses one date column, remembering whether any date had no zone."""

    def __init__(self, table: Table, label: str):
        self.table, self.label = table, label
        self.column = table.require(label)
        self.zoneless = False

    def __call__(self, line: int, row: list[str]) -> datetime:
        value = cell(row, self.column)
        parsed = parse_timestamp(value)
        if parsed is None:
            raise self.table.inp.error(
                "importers.error.bad_date", line=line, column=self.label, value=value
            )
        moment, zoneless = parsed
        self.zoneless = self.zoneless or zoneless
        return moment


@dataclass
class _Part:
    events: list[Event]
    zoneless: bool
    me: str | None = None


def read_activity(table: Table, kind: str) -> _Part:
    """Shares.csv (each row a post) or Comments.csv (each row a reply)."""
    dates = _Dates(table, "Date")
    event_kind = "post" if kind == "shares" else "reply"
    events = [Event(dates(line, row), event_kind) for line, row in table.rows()]
    return _Part(events, dates.zoneless)


def read_messages(table: Table, me: Sequence[str] = ()) -> _Part:
    """messages.csv: one "received" event per item waiting for the manager, one "reply" per answer."""
    conversation = table.require("CONVERSATION ID")
    sender = table.require("FROM")
    dates = _Dates(table, "DATE")
    recipients = table.column("TO")
    url = table.column("SENDER PROFILE URL")
    folder = table.column("FOLDER")

    shared: dict[str, str] = {}  # one string object per conversation id / name: memory
    rows: list[tuple[str, str, datetime]] = []
    names: dict[str, str] = {}  # casefolded name -> name as first written
    urls: defaultdict[str, set[str]] = defaultdict(set)  # profile URL -> names (only for `me`)
    seen_in: defaultdict[str, set[str]] = defaultdict(set)  # name -> conversations it appears in
    sent: Counter[str] = Counter()
    addressees: dict[str, list[str]] = {}  # a TO cell -> its names; the same cells come back
    for line, row in table.rows():
        if folder is not None and cell(row, folder).casefold() in SKIPPED_FOLDERS:
            continue
        at = dates(line, row)
        conv = cell(row, conversation)
        conv = shared.setdefault(conv, conv)
        name = cell(row, sender)
        key = name.casefold()
        key = shared.setdefault(key, key)
        if key not in names:
            names[key] = name
        rows.append((conv, key, at))
        sent[key] += 1
        seen_in[key].add(conv)
        to = cell(row, recipients)
        if to not in addressees:
            addressees[to] = [o.strip().casefold() for o in to.split(",") if o.strip()]
        for other in addressees[to]:
            seen_in[other].add(conv)
        if me and (profile := _norm_url(cell(row, url))):
            urls[profile].add(key)

    mine = _my_names(table.inp, me, names, urls, seen_in, sent)
    # oldest first in each conversation; at the same second, what was received comes first
    rows.sort(key=lambda r: (r[0], r[2], r[1] in mine))
    events: list[Event] = []
    current, waiting = None, False
    for conv, key, at in rows:
        if conv != current:
            current, waiting = conv, False
        if key in mine:
            if waiting:
                events.append(Event(at, "reply", conv))
                waiting = False
        elif not waiting:
            events.append(Event(at, "received", conv))
            waiting = True
    shown = next((names[k] for k in sorted(mine, key=lambda k: -sent[k]) if k in names), None)
    return _Part(events, dates.zoneless, shown)


def _norm_url(value: str) -> str:
    return value.strip().rstrip("/").casefold()


def recognise_me(seen_in: dict[str, set[str]], sent: Counter[str]) -> list[str]:
    """Senders ranked as the likely manager: present in the most conversations, then most messages.

    The owner of an export takes part in every conversation (as sender or recipient);
    anyone else only in theirs.
    """
    return sorted(sent, key=lambda k: (-len(seen_in.get(k, ())), -sent[k], k))


def _my_names(
    inp: Input,
    me: Sequence[str],
    names: dict[str, str],
    urls: dict[str, set[str]],
    seen_in: dict[str, set[str]],
    sent: Counter[str],
) -> set[str]:
    ranked = [k for k in recognise_me(seen_in, sent) if k]
    if not me:
        return {ranked[0]} if ranked else set()
    mine: set[str] = set()
    for wanted in me:
        key = wanted.strip().casefold()
        if key in sent:
            mine.add(key)
        mine |= urls.get(_norm_url(wanted), set())
    if not mine:
        raise InvalidInput(
            "importers.error.me_not_found",
            file=inp.display,
            me=", ".join(me),
            candidates=", ".join(names[k] for k in ranked[:3]) or "—",
        )
    return mine


# ---- the whole export ---------------------------------------------------------------------------


def parse(inputs: dict[str, Input], file: str, me: Sequence[str] = ()) -> ImportResult:
    """An ImportResult from LinkedIn files by kind ("messages", "shares", "comments")."""
    parts: dict[str, _Part] = {}
    for kind, inp in inputs.items():
        if kind == "messages":
            parts[kind] = read_table(inp, _is_header, lambda table: read_messages(table, me))
        else:
            parts[kind] = read_table(
                inp, _is_header, lambda table, kind=kind: read_activity(table, kind)
            )
    fields: set[str] = set()
    notes: list[Note] = []
    if "shares" in parts:
        fields.add("posts")
    if "messages" in parts:
        fields |= {"received", "replies", "median_response_hours"}
        if parts["messages"].me:
            notes.append(Note("importers.note.me", {"me": parts["messages"].me}))
    comments = parts.get("comments")
    if comments and comments.events:
        notes.append(Note("importers.note.comments_not_saved", {"count": len(comments.events)}))
    if "messages" not in parts:
        notes.append(Note("importers.note.no_messages"))
    events = tuple(e for part in parts.values() for e in part.events)
    return ImportResult(
        platform="linkedin",
        file=file,
        events=events,
        fields=frozenset(fields),
        entries=tuple(inp.display for inp in inputs.values()),
        zoneless=any(part.zoneless for part in parts.values()),
        me=parts["messages"].me if "messages" in parts else None,
        notes=tuple(notes),
        replies_written=sum(1 for e in events if e.kind == "reply"),
    )


def _is_header(columns: set[str]) -> bool:
    return kind_of(columns) is not None
