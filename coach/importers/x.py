"""X (Twitter) archive: data/tweets.js (older archives: data/tweet.js), possibly split in parts.

Each file is `window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`. Posts are
tweets that are neither replies nor retweets (`RT @...`); replies carry
`in_reply_to_status_id_str`. A reply to one of your own tweets continues a
thread: it is part of the post, not a reply to someone. The archive does not
hold what you received, so only posts are saved.
"""

from __future__ import annotations

import json
import re
from typing import Any

from coach.importers.common import Event, ImportResult, Note, parse_timestamp
from coach.importers.files import Input, read_all

ENTRY_PATTERN = r"tweets?(-part\d+)?\.js"
_PREFIX = re.compile(r"\s*window\.YTD\.(\w+)\.part\d+\s*=\s*")


def looks_like(head: str) -> bool:
    return bool(_PREFIX.match(head))


def read_tweets(inp: Input) -> list[dict[str, Any]]:
    """The tweet objects of one tweets.js file, in file order."""
    text = read_all(inp)
    match = _PREFIX.match(text)
    if not match or match.group(1) not in ("tweets", "tweet"):
        raise inp.error("importers.error.not_an_export")
    first_line = text.count("\n", 0, match.end())
    try:
        items = json.loads(text[match.end() :])
    except json.JSONDecodeError as err:
        raise inp.error("importers.error.bad_json", line=err.lineno + first_line) from None
    if not isinstance(items, list):
        raise inp.error("importers.error.not_an_export")
    tweets = []
    for number, item in enumerate(items, 1):
        tweet = item.get("tweet", item) if isinstance(item, dict) else None
        if not isinstance(tweet, dict):
            raise inp.error("importers.error.bad_item", item=number)
        tweet["_item"] = number
        tweets.append(tweet)
    return tweets


def parse(inputs: list[Input], file: str) -> ImportResult:
    """An ImportResult from one or more tweets.js files."""
    tweets: list[tuple[Input, dict[str, Any]]] = [
        (inp, tw) for inp in inputs for tw in read_tweets(inp)
    ]
    own_ids = {str(tw.get("id_str") or tw.get("id") or "") for _, tw in tweets}
    events: list[Event] = []
    zoneless = False
    replies = 0
    for inp, tweet in tweets:
        value = str(tweet.get("created_at") or "")
        parsed = parse_timestamp(value)
        if parsed is None:
            raise inp.error("importers.error.bad_date_item", item=tweet["_item"], value=value)
        at, no_zone = parsed
        zoneless = zoneless or no_zone
        answered = str(
            tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id") or ""
        )
        if answered:
            if answered not in own_ids:  # a reply to your own tweet continues a thread
                events.append(Event(at, "reply"))
                replies += 1
        elif not str(tweet.get("full_text") or tweet.get("text") or "").startswith("RT @"):
            events.append(Event(at, "post"))
    return ImportResult(
        platform="x",
        file=file,
        events=tuple(events),
        fields=frozenset({"posts"}),
        entries=tuple(inp.display for inp in inputs),
        zoneless=zoneless,
        notes=(Note("importers.note.no_received", {"platform": "X", "count": replies}),),
        replies_written=replies,
    )
