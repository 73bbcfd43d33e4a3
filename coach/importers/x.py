"""X (Twitter) archive: data/tweets.js (older archives: data/tweet.js), possibly split in parts.

Each file is `window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`. Posts are
tweets that are neither replies nor retweets (`RT @...`); replies carry
`in_reply_to_status_id_str`. A reply to one of your own tweets continues a
thread: it is part of the post, not a reply to someone. The archive does not
hold what you received, so only posts are saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from coach.importers.common import Event, ImportResult, parse_timestamp, posts_only_result
from coach.importers.files import Input, json_array_items, read_all

ENTRY_PATTERN = r"tweets?(-part\d+)?\.js"
_PREFIX = re.compile(r"\s*window\.YTD\.(\w+)\.part\d+\s*=")


def looks_like(head: str) -> bool:
    return bool(_PREFIX.match(head))


@dataclass(frozen=True, slots=True)
class Tweet:
    """The little the coach needs from a tweet (archives hold dozens of fields)."""

    inp: Input
    item: int  # position in its file, 1-based, for messages
    id: str
    created_at: str
    in_reply_to: str
    retweet: bool


def read_tweets(inp: Input) -> Iterator[Tweet]:
    """The tweets of one tweets.js file, in file order."""
    text = read_all(inp)
    match = _PREFIX.match(text)
    if not match or match.group(1) not in ("tweets", "tweet"):
        raise inp.error("importers.error.not_an_export")
    for number, item in enumerate(json_array_items(inp, text, match.end()), 1):
        tweet = item.get("tweet", item) if isinstance(item, dict) else None
        if not isinstance(tweet, dict):
            raise inp.error("importers.error.bad_item", item=number)
        yield Tweet(
            inp=inp,
            item=number,
            id=str(tweet.get("id_str") or tweet.get("id") or ""),
            created_at=str(tweet.get("created_at") or ""),
            in_reply_to=str(
                tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id") or ""
            ),
            retweet=str(tweet.get("full_text") or tweet.get("text") or "").startswith("RT @"),
        )


def parse(inputs: list[Input], file: str) -> ImportResult:
    """An ImportResult from one or more tweets.js files."""
    tweets = [tweet for inp in inputs for tweet in read_tweets(inp)]
    own_ids = {tweet.id for tweet in tweets}
    events: list[Event] = []
    zoneless = False
    replies = 0
    for tweet in tweets:
        parsed = parse_timestamp(tweet.created_at)
        if parsed is None:
            raise tweet.inp.error(
                "importers.error.bad_date_item", item=tweet.item, value=tweet.created_at
            )
        at, no_zone = parsed
        zoneless = zoneless or no_zone
        if tweet.in_reply_to:
            if tweet.in_reply_to not in own_ids:  # a reply to your own tweet continues a thread
                events.append(Event(at, "reply"))
                replies += 1
        elif not tweet.retweet:
            events.append(Event(at, "post"))
    entries = tuple(inp.display for inp in inputs)
    return posts_only_result("x", "X", file, events, entries, zoneless, replies)
