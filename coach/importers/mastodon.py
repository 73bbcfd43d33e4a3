"""Mastodon archive: outbox.json, an ActivityPub OrderedCollection.

Each `Create` activity in `orderedItems` is something the manager wrote
(`published`, ISO 8601). With `object.inReplyTo` it is a reply, unless it
answers one of the manager's own statuses (a thread); without it, a post,
unless it is a direct message. Boosts (`Announce`) are not posts. The outbox
does not hold what the manager received, so only posts are saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from coach.importers.common import Event, ImportResult, parse_timestamp, posts_only_result
from coach.importers.files import Input, json_array_items, read_all

ENTRY_PATTERN = r"outbox\.json"
_PUBLIC = ("https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public")


_ITEMS = re.compile(r'"orderedItems"\s*:')


def read_outbox(inp: Input) -> Iterator[Any]:
    """The `orderedItems` of one outbox.json, decoded one at a time."""
    text = read_all(inp)
    match = _ITEMS.search(text)
    if not text.lstrip().startswith("{") or not match:
        raise inp.error("importers.error.not_an_export")
    return json_array_items(inp, text, match.end())


def _audience(activity: dict[str, Any], obj: dict[str, Any]) -> list[str] | None:
    found = None
    for holder in (activity, obj):
        for key in ("to", "cc"):
            value = holder.get(key)
            if value is not None:
                found = (found or []) + (value if isinstance(value, list) else [value])
    return found


def _is_direct(activity: dict[str, Any], obj: dict[str, Any]) -> bool:
    """Direct messages reach named people only: neither public nor followers."""
    audience = _audience(activity, obj)
    if audience is None:
        return False
    return not any(str(a) in _PUBLIC or str(a).endswith("/followers") for a in audience)


def parse(inputs: list[Input], file: str) -> ImportResult:
    events: list[Event] = []
    zoneless = False
    replies = 0
    for inp in inputs:
        for number, activity in enumerate(read_outbox(inp), 1):
            if not isinstance(activity, dict) or activity.get("type") != "Create":
                continue
            obj = activity.get("object")
            if not isinstance(obj, dict):
                continue
            value = str(activity.get("published") or obj.get("published") or "")
            parsed = parse_timestamp(value)
            if parsed is None:
                raise inp.error("importers.error.bad_date_item", item=number, value=value)
            at, no_zone = parsed
            zoneless = zoneless or no_zone
            actor = str(activity.get("actor") or obj.get("attributedTo") or "").rstrip("/")
            answered = obj.get("inReplyTo")
            if answered:
                if not (actor and str(answered).startswith(actor + "/")):
                    events.append(Event(at, "reply"))
                    replies += 1
            elif not _is_direct(activity, obj):
                events.append(Event(at, "post"))
    entries = tuple(inp.display for inp in inputs)
    return posts_only_result("mastodon", "Mastodon", file, events, entries, zoneless, replies)
