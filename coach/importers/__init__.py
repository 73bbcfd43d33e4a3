"""Platform data exports -> weekly figures -> check-ins (issue 6).

The three steps, usable one by one (tests, scripts) or together (app, CLI):

    result = detect_and_parse(path_or_bytes, filename)          # ImportResult, or InvalidInput
    events, notes = screen_events(result.events, profile.timezone, today)  # the window kept
    figures = weekly_figures(events, profile.timezone)          # list[WeekFigures]
    preview = plan_import(store.list_checkins(name), figures,
                          source=result.source, fields=result.fields,
                          overwrite_typed=False, today=...)     # ImportPreview, nothing written
    store.save_checkins(name, preview.to_save())                # on confirmation

`preview_import(store, name, ...)` and `apply_import(store, name, preview)` do the same
against a Store. Formats, limits and rules: docs/IMPORT.md.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from coach.errors import InvalidInput
from coach.importers import generic_csv, linkedin, mastodon, x
from coach.importers.common import (
    IMPORT_FIELDS,
    MAX_RESPONSE_HOURS,
    Event,
    ImportResult,
    Note,
    WeekFigures,
    import_window,
    parse_timestamp,
    screen_events,
    weekly_figures,
    zone_of,
)
from coach.importers.files import (
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_ZIP_TOTAL_BYTES,
    Archive,
    Input,
    head,
    open_source,
    read_table,
)
from coach.importers.plan import STATUSES, ImportPreview, WeekPlan, plan_import

__all__ = [
    "IMPORT_FIELDS",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_RESPONSE_HOURS",
    "MAX_ZIP_TOTAL_BYTES",
    "STATUSES",
    "Event",
    "ImportPreview",
    "ImportResult",
    "Note",
    "WeekFigures",
    "WeekPlan",
    "apply_import",
    "detect_and_parse",
    "import_notes",
    "import_window",
    "parse_timestamp",
    "plan_import",
    "preview_import",
    "screen_events",
    "weekly_figures",
]

_LINKEDIN_ENTRIES = (
    ("messages", r"messages\.csv"),
    ("shares", r"shares\.csv"),
    ("comments", r"comments\.csv"),
)


def detect_and_parse(
    path_or_bytes: str | os.PathLike | bytes, filename: str | None = None, *, me: Sequence[str] = ()
) -> ImportResult:
    """Recognise an export (ZIP as downloaded, or one of its files) and read its events.

    `filename` names uploaded bytes (and overrides a path's name in messages); `me` picks the
    manager's name(s) or profile URL in LinkedIn messages. Raises InvalidInput; reads only.
    """
    if isinstance(me, str):  # one name, not a sequence of letters
        me = (me,)
    inp, _ = open_source(path_or_bytes, filename)
    start = head(inp)
    if start.startswith(b"PK"):
        with Archive(inp) as archive:
            result = _parse_zip(archive, inp, me)
    else:
        result = _parse_file(inp, start, inp.display, me)
    if not result.fields:
        raise InvalidInput("importers.error.no_figures", file=result.file)
    return result


def _parse_file(inp: Input, start: bytes, file: str, me: Sequence[str]) -> ImportResult:
    if start[:2] == b"\x1f\x8b":
        raise inp.error("importers.error.tar_gz")
    text = start.decode("utf-8-sig", errors="ignore").lstrip()
    if not text:
        raise inp.error("importers.error.empty")
    if x.looks_like(text):
        return x.parse([inp], file)
    if text.startswith("{"):
        return mastodon.parse([inp], file)
    if text.startswith("[") or "\x00" in text:
        raise inp.error("importers.error.not_an_export")
    return _parse_csv(inp, file, me)


def _any_header(columns: set[str]) -> bool:
    return generic_csv.is_header(columns) or linkedin.kind_of(columns) is not None


def _parse_csv(inp: Input, file: str, me: Sequence[str]) -> ImportResult:
    columns: set[str] = read_table(inp, _any_header, lambda table: set(table.columns))
    if columns & {"kind", "timestamp"}:
        return generic_csv.parse(inp, file)
    kind = linkedin.kind_of(columns) or linkedin.kind_from_name(inp.name)
    if kind is None:
        raise inp.error("importers.error.not_an_export")
    return linkedin.parse({kind: inp}, file, me)


def _parse_zip(archive: Archive, inp: Input, me: Sequence[str]) -> ImportResult:
    file = inp.display
    found = {kind: archive.find(pattern) for kind, pattern in _LINKEDIN_ENTRIES}
    if any(found.values()):
        return linkedin.parse({k: archive.entry(v[0]) for k, v in found.items() if v}, file, me)
    if tweets := archive.find(x.ENTRY_PATTERN):
        return x.parse([archive.entry(info) for info in tweets], file)
    if outbox := archive.find(mastodon.ENTRY_PATTERN):
        return mastodon.parse([archive.entry(outbox[0])], file)
    # a team's own CSV, zipped: one readable file inside
    readable = [i for i in archive.infos if i.filename.lower().endswith((".csv", ".js", ".json"))]
    if len(readable) == 1:
        entry = archive.entry(readable[0])
        return _parse_file(entry, head(entry), file, me)
    raise inp.error("importers.error.not_an_export")


def import_notes(result: ImportResult, tz: str) -> tuple[Note, ...]:
    """What the preview must say about this export: time zone, UTC assumption, platform limits."""
    notes = [Note("importers.note.timezone", {"tz": tz})]
    if result.zoneless:
        notes.append(Note("importers.note.zoneless", {"tz": tz}))
    return (*notes, *result.notes)


def _local_today(tz: str) -> date:
    return datetime.now(zone_of(tz)).date()


def preview_import(
    store: Any,
    profile: str,
    path_or_bytes: str | os.PathLike | bytes,
    filename: str | None = None,
    *,
    me: Sequence[str] = (),
    overwrite_typed: bool = False,
    since: date | None = None,
    today: date | None = None,
) -> ImportPreview:
    """Parse an export and compare it with `profile`'s saved check-ins; writes nothing.

    The preview's `result` holds the parsed export; `notes` what to tell the user, including
    the events set aside outside the import window (`screen_events`).
    """
    result = detect_and_parse(path_or_bytes, filename, me=me)
    tz = store.get_profile(profile).timezone
    today = today or _local_today(tz)
    events, screened = screen_events(result.events, tz, today)
    preview = plan_import(
        store.list_checkins(profile),
        weekly_figures(events, tz),
        source=result.source,
        fields=result.fields,
        overwrite_typed=overwrite_typed,
        since=since,
        today=today,
    )
    notes = import_notes(result, tz) + screened + preview.notes
    return replace(preview, notes=notes, result=result)


def apply_import(
    store: Any, profile: str, preview: ImportPreview, today: date | None = None
) -> dict[str, str]:
    """Save what the preview would write, in one transaction; {week: "created" | "updated"}.

    The preview is checked again against the check-ins saved now, so a week typed by hand
    after the preview was shown is still never overwritten without consent.
    """
    fresh = plan_import(
        store.list_checkins(profile),
        [week.figures for week in preview.weeks],
        source=preview.source,
        fields=preview.fields,
        overwrite_typed=preview.overwrite_typed,
        today=date.max,  # the preview already left out future weeks
    )
    checkins = fresh.to_save()
    if not checkins:
        return {}
    return store.save_checkins(profile, checkins, today=today)
