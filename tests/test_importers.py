"""Platform exports -> events -> weekly figures -> import preview (no database here)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from coach.checkin import CheckIn, validate_checkin
from coach.errors import InvalidInput
from coach.i18n import has_key
from coach.importers import (
    Event,
    ImportResult,
    detect_and_parse,
    files,
    import_window,
    parse_timestamp,
    plan_import,
    screen_events,
    weekly_figures,
)
from coach.typography import typeset

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
LINKEDIN = FIXTURES / "linkedin"
TZ = "America/Toronto"
TODAY = date(2026, 11, 28)

# What the LinkedIn fixtures hold, worked out by hand (see the comments in each test).
LINKEDIN_WEEKS = {
    "2026-W03": dict(posts=2, replies=2, received=3, answered=2, median_response_hours=15.0),
    "2026-W04": dict(posts=1, replies=3, received=2, answered=2, median_response_hours=17.0),
    "2026-W05": dict(posts=1, replies=1, received=0, answered=0, median_response_hours=None),
}
MESSAGE_FIGURES = {  # messages.csv alone: no posts, no comments
    "2026-W03": dict(replies=2, received=3, answered=2, median_response_hours=15.0),
    "2026-W04": dict(replies=1, received=2, answered=2, median_response_hours=17.0),
    "2026-W05": dict(replies=1, received=0, answered=0, median_response_hours=None),
}


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def linkedin_zip() -> bytes:
    return make_zip(
        {
            name: (LINKEDIN / name).read_bytes()
            for name in ("messages.csv", "Shares.csv", "Comments.csv")
        }
    )


def by_week(result: ImportResult, tz: str = TZ) -> dict[str, dict]:
    return {
        f.week: dict(
            posts=f.posts,
            replies=f.replies,
            received=f.received,
            answered=f.answered,
            median_response_hours=f.median_response_hours,
        )
        for f in weekly_figures(result.events, tz)
    }


def message_figures(result: ImportResult) -> dict[str, dict]:
    return {w: {k: v for k, v in f.items() if k != "posts"} for w, f in by_week(result).items()}


def invalid(data: bytes | Path, filename: str | None = None, **kw) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        detect_and_parse(data, filename, **kw)
    return caught.value


# ---- LinkedIn -----------------------------------------------------------------------------------


def test_linkedin_zip_gives_posts_received_replies_and_response_time_per_week():
    result = detect_and_parse(linkedin_zip(), "Basic_LinkedInDataExport_01-27-2026.zip")
    assert result.source == "import:linkedin"
    assert result.me == "Marie Tremblay"
    assert result.fields == {"posts", "received", "replies", "median_response_hours"}
    # W03: Jean (2 bubbles = 1 item, answered after 4 h), Sophie (26 h), a recruiter (never answered)
    # W04: Jean answers Marie's opener (24 h); Luc writes Sunday 22:00 in Toronto, answered Monday (10 h)
    assert by_week(result) == LINKEDIN_WEEKS
    assert any(
        "Basic_LinkedInDataExport_01-27-2026.zip › messages.csv" == e for e in result.entries
    )


def test_shares_dates_without_zone_are_utc_and_weeks_follow_the_profile_time_zone():
    result = detect_and_parse(LINKEDIN / "Shares.csv")
    assert result.zoneless  # "2026-01-13 13:30:00": no zone, taken as UTC, and the preview says so
    # 2026-02-02 04:30 UTC is Sunday 23:30 in Toronto: week 5 there, week 6 in UTC
    toronto = {f.week: f.posts for f in weekly_figures(result.events, TZ)}
    utc = {f.week: f.posts for f in weekly_figures(result.events, "UTC")}
    assert toronto == {"2026-W03": 2, "2026-W04": 1, "2026-W05": 1}
    assert utc["2026-W06"] == 1 and utc["2026-W05"] == 0


def test_messages_dates_in_utc_are_not_reported_as_zoneless():
    assert not detect_and_parse(LINKEDIN / "messages.csv").zoneless


def test_manager_is_recognised_and_can_be_named_by_name_or_profile_url():
    assert detect_and_parse(LINKEDIN / "messages.csv").me == "Marie Tremblay"
    as_jean = detect_and_parse(LINKEDIN / "messages.csv", me="jean dubois")
    assert as_jean.me == "Jean Dubois"
    assert message_figures(as_jean) != MESSAGE_FIGURES
    by_url = detect_and_parse(
        LINKEDIN / "messages.csv", me=["https://www.linkedin.com/in/marie-tremblay-exemple/"]
    )
    assert message_figures(by_url) == MESSAGE_FIGURES


def test_unknown_me_names_the_likely_senders():
    err = invalid(LINKEDIN / "messages.csv", me=["Nobody Here"])
    assert err.key == "importers.error.me_not_found"
    assert "Marie Tremblay" in err.message("en") and "Nobody Here" in err.message("fr")


def _messages(rows: list[tuple[str, str, str]]) -> bytes:
    """A minimal messages.csv: (conversation, sender, date)."""
    lines = ["CONVERSATION ID,FROM,TO,DATE"]
    for conv, sender, when in rows:
        other = "Boss" if sender != "Boss" else "Someone"
        lines.append(f"{conv},{sender},{other},{when} UTC")
    return ("\n".join(lines) + "\n").encode()


def test_openers_and_follow_ups_are_not_replies_and_bubbles_are_one_item():
    data = _messages(
        [
            ("a", "Boss", "2026-01-12 08:00:00"),  # opener: not a reply
            ("a", "Ann", "2026-01-12 09:00:00"),  # item
            ("a", "Ann", "2026-01-12 09:01:00"),  # same item
            ("a", "Boss", "2026-01-12 11:00:00"),  # reply, 2 h after the first bubble
            ("a", "Boss", "2026-01-12 11:05:00"),  # follow-up
            ("b", "Bob", "2026-01-13 09:00:00"),
            ("c", "Cy", "2026-01-14 09:00:00"),
            ("c", "Boss", "2026-01-14 10:00:00"),
            ("d", "Di", "2026-01-15 09:00:00"),
            ("d", "Boss", "2026-01-15 09:30:00"),
        ]
    )
    result = detect_and_parse(data, "messages.csv", me=["Boss"])
    (week,) = weekly_figures(result.events, "UTC")
    assert (week.received, week.answered, week.replies) == (4, 3, 3)
    assert week.median_response_hours == 1.0  # 2 h, 1 h, 0.5 h
    assert week.response_rate == 75.0


def test_an_answer_after_thirty_days_is_not_a_response():
    data = _messages([("a", "Ann", "2026-01-05 09:00:00"), ("a", "Boss", "2026-02-06 09:00:00")])
    figures = weekly_figures(detect_and_parse(data, "messages.csv", me=["Boss"]).events, "UTC")
    assert figures[0].received == 1 and figures[0].answered == 0
    assert figures[0].median_response_hours is None


# ---- real-world variants of the same file --------------------------------------------------------


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _write(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _extra_columns(data: bytes) -> bytes:
    header, *rows = _rows(data)
    header = ["IS MESSAGE DRAFT", *header, "ATTACHMENTS"]
    return _write([header] + [["false", *row, "https://example.org/a.pdf, b.pdf"] for row in rows])


def _excel_french(data: bytes) -> bytes:
    """Excel in French (Canada) re-saves CSV with semicolons, CRLF and Windows-1252."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(_rows(data))
    return out.getvalue().encode("cp1252")


def _oldest_first(data: bytes) -> bytes:
    header, *rows = _rows(data)
    return _write([header, *reversed(rows)])


NOTES = b'Notes:\n"This file lists your messages, newest first.\nDates are in UTC."\n\n'
VARIANTS = {
    "utf8_bom": lambda d: b"\xef\xbb\xbf" + d,
    "crlf": lambda d: d.replace(b"\n", b"\r\n"),
    "bom_and_crlf_from_excel": lambda d: b"\xef\xbb\xbf" + d.replace(b"\n", b"\r\n"),
    "notes_block": lambda d: NOTES + d,
    "notes_block_crlf": lambda d: (NOTES + d).replace(b"\n", b"\r\n"),
    "extra_columns": _extra_columns,
    "oldest_first": _oldest_first,
    "cp1252_resaved": lambda d: d.decode("utf-8").encode("cp1252"),
    "excel_french_semicolons": _excel_french,
    "renamed_on_second_download": lambda d: d,
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_messages_variants_give_the_same_figures(variant):
    data = VARIANTS[variant]((LINKEDIN / "messages.csv").read_bytes())
    name = "messages (1).csv" if variant == "renamed_on_second_download" else "messages.csv"
    result = detect_and_parse(data, name)
    assert result.me == "Marie Tremblay"
    assert message_figures(result) == MESSAGE_FIGURES


@pytest.mark.parametrize(
    "variant", ["utf8_bom", "crlf", "notes_block", "extra_columns", "oldest_first"]
)
def test_variants_inside_the_zip_give_the_same_figures(variant):
    members = {
        name: (LINKEDIN / name).read_bytes()
        for name in ("messages.csv", "Shares.csv", "Comments.csv")
    }
    for name in ("messages.csv", "Shares.csv"):  # Comments.csv already starts with a Notes block
        members[name] = VARIANTS[variant](members[name])
    result = detect_and_parse(make_zip(members), "export.zip")
    assert by_week(result) == LINKEDIN_WEEKS


def test_commas_quotes_and_line_breaks_inside_cells_do_not_split_rows():
    shares = detect_and_parse(LINKEDIN / "Shares.csv")
    assert len(shares.events) == 4  # one share spans four lines, others hold commas and "quotes"
    messages = (LINKEDIN / "messages.csv").read_bytes().decode()
    assert '""version 2""' in messages and "Trois points :\n1." in messages


def test_comments_file_with_notes_block_is_read_but_holds_nothing_to_save():
    err = invalid(LINKEDIN / "Comments.csv")
    assert err.key == "importers.error.no_figures"
    both = make_zip({n: (LINKEDIN / n).read_bytes() for n in ("Comments.csv", "Shares.csv")})
    result = detect_and_parse(both, "export.zip")
    assert result.replies_written == 2 and result.fields == {"posts"}
    assert "importers.note.comments_not_saved" in {n.key for n in result.notes}


# ---- X and Mastodon -----------------------------------------------------------------------------


def test_x_tweets_js_counts_posts_and_replies_but_not_threads_or_retweets():
    result = detect_and_parse(FIXTURES / "x" / "tweets.js")
    assert result.source == "import:x"
    assert result.fields == {"posts"}  # X does not list what was received: only posts are saved
    assert {n.key for n in result.notes} == {"importers.note.no_received"}
    figures = by_week(result)
    assert (
        figures["2026-W03"]["posts"] == 1
    )  # the thread's first tweet; "2/" and "RT @" are not posts
    assert figures["2026-W03"]["replies"] == 1
    assert figures["2026-W04"]["posts"] == 1
    assert all(f["received"] == 0 for f in figures.values())


def test_x_older_tweet_js_and_split_archives_in_a_zip():
    old = detect_and_parse(FIXTURES / "x" / "tweet.js")
    assert [e.kind for e in sorted(old.events, key=lambda e: e.at)] == ["post", "reply"]
    part1 = b'window.YTD.tweets.part1 = [ {"tweet": {"id_str": "9", "created_at": "Fri Jan 23 10:00:00 +0000 2026", "full_text": "Encore un"}} ]'
    archive = make_zip(
        {
            "data/tweets.js": (FIXTURES / "x" / "tweets.js").read_bytes(),
            "data/tweets-part1.js": part1,
            "data/deleted-tweets.js": b"window.YTD.deleted_tweets.part0 = []",
            "data/account.js": b"window.YTD.account.part0 = []",
        }
    )
    result = detect_and_parse(archive, "twitter-2026-01-27-abc.zip")
    assert by_week(result)["2026-W04"]["posts"] == 2
    assert len(result.entries) == 2


def test_mastodon_outbox_posts_and_replies():
    result = detect_and_parse(FIXTURES / "mastodon" / "outbox.json")
    figures = by_week(result)
    # W03: one public post (its thread continuation, the boost and the direct message are not posts)
    assert figures["2026-W03"]["posts"] == 1 and figures["2026-W03"]["replies"] == 1
    assert figures["2026-W04"]["posts"] == 1  # followers-only posts count
    archive = make_zip(
        {"outbox.json": (FIXTURES / "mastodon" / "outbox.json").read_bytes(), "actor.json": b"{}"}
    )
    assert by_week(detect_and_parse(archive, "archive-20260127.zip")) == figures


# ---- generic CSV --------------------------------------------------------------------------------


def test_generic_csv_with_conversations_gives_response_time():
    result = detect_and_parse(FIXTURES / "generic" / "activity.csv")
    assert result.source == "import:csv"
    w03 = by_week(result)["2026-W03"]
    # t-100: two items answered after 2 h and 1.5 h; t-101: 24 h; t-102: unanswered
    assert w03 == dict(posts=1, replies=2, received=4, answered=3, median_response_hours=2.0)
    assert not result.zoneless


def test_generic_csv_without_conversation_matches_replies_within_the_week():
    data = (
        "Timestamp,Kind\r\n2026-01-12 10:00,received\r\n2026-01-12 11:00,reçu\r\n"
        "2026-01-13 10:00,réponse\r\n2026-01-14 10:00,publication\r\n"
    ).encode()
    result = detect_and_parse(data, "equipe-comms.csv")
    (week,) = weekly_figures(result.events, "UTC")
    assert (week.posts, week.received, week.answered, week.median_response_hours) == (1, 2, 1, None)
    assert result.zoneless
    assert "median_response_hours" not in result.fields
    assert "importers.note.no_conversation" in {n.key for n in result.notes}


# ---- events -> weekly figures -------------------------------------------------------------------


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_weeks_without_activity_inside_the_export_are_zero_weeks():
    events = [Event(_at("2026-01-05 12:00"), "post"), Event(_at("2026-01-26 12:00"), "post")]
    weeks = weekly_figures(events, "UTC")
    assert [w.week for w in weeks] == ["2026-W02", "2026-W03", "2026-W04", "2026-W05"]
    assert [w.posts for w in weeks] == [1, 0, 0, 1]
    assert weekly_figures([], "UTC") == []


@pytest.mark.parametrize("zone", ["Mars/Olympus", "America", "../../etc/passwd", "a" * 300])
def test_unknown_time_zone_is_a_clear_error(zone):
    with pytest.raises(InvalidInput) as caught:
        weekly_figures([Event(_at("2026-01-05 12:00"), "post")], zone)
    assert zone in caught.value.message("fr")


@pytest.mark.parametrize(
    ("text", "expected", "zoneless"),
    [
        ("2023-06-11 15:33:58 UTC", "2023-06-11 15:33:58+00:00", False),
        ("2026-01-20 08:00:00", "2026-01-20 08:00:00+00:00", True),
        ("2026-01-20T08:00:00-05:00", "2026-01-20 13:00:00+00:00", False),
        ("2026-01-20T08:00:00Z", "2026-01-20 08:00:00+00:00", False),
        ("2026-01-20 8:00", "2026-01-20 08:00:00+00:00", True),
        ("2026/01/20 08:00:00", "2026-01-20 08:00:00+00:00", True),
        ("2019-03-04 15:41:11.0", "2019-03-04 15:41:11+00:00", True),
        ("Sat Feb 18 12:33:11 +0000 2023", "2023-02-18 12:33:11+00:00", False),
        ("Sat Feb 18 12:33:11 -0500 2023", "2023-02-18 17:33:11+00:00", False),
    ],
)
def test_timestamps_exports_use(text, expected, zoneless):
    moment, no_zone = parse_timestamp(text)
    assert str(moment) == expected and no_zone is zoneless


@pytest.mark.parametrize(
    "text", ["", "hier", "20/01/2026 08:00", "2026-02-30 10:00", "Sat Foo 18 12:33:11 +0000 2023"]
)
def test_unreadable_timestamps(text):
    assert parse_timestamp(text) is None


# ---- preview: what an import would change --------------------------------------------------------


def linkedin_figures():
    result = detect_and_parse(linkedin_zip(), "export.zip")
    return result, weekly_figures(result.events, TZ)


def test_first_import_creates_every_week_with_valid_check_ins():
    result, figures = linkedin_figures()
    preview = plan_import([], figures, source=result.source, fields=result.fields, today=TODAY)
    assert preview.counts == {"new": 3, "unchanged": 0, "update": 0, "conflict": 0}
    saved = {c.week: c for c in preview.to_save()}
    w03 = saved["2026-W03"]
    assert (w03.posts, w03.received, w03.replies, w03.median_response_hours) == (2, 3, 2, 15.0)
    assert w03.source == "import:linkedin"
    for checkin in saved.values():
        validate_checkin(checkin, TODAY)  # replies never exceed received; no future week


def test_re_importing_the_same_export_changes_nothing():
    result, figures = linkedin_figures()
    first = plan_import([], figures, source=result.source, fields=result.fields, today=TODAY)
    again = plan_import(
        first.to_save(), figures, source=result.source, fields=result.fields, today=TODAY
    )
    assert again.counts["unchanged"] == 3 and again.to_save() == []


def test_a_newer_export_adds_what_is_new_and_updates_the_last_partial_week():
    older_rows = [
        r for r in _rows((LINKEDIN / "messages.csv").read_bytes()) if "2026-01-26" not in r[6]
    ]
    older = detect_and_parse(_write(older_rows), "messages.csv")
    first = plan_import(
        [], weekly_figures(older.events, TZ), source=older.source, fields=older.fields, today=TODAY
    )
    newer = detect_and_parse(LINKEDIN / "messages.csv")
    preview = plan_import(
        first.to_save(),
        weekly_figures(newer.events, TZ),
        source=newer.source,
        fields=newer.fields,
        today=TODAY,
    )
    status = {w.week: w.status for w in preview.weeks}
    assert status == {"2026-W03": "unchanged", "2026-W04": "update", "2026-W05": "new"}
    w04 = next(w for w in preview.weeks if w.week == "2026-W04")
    assert set(w04.changes) == {"received", "replies", "median_response_hours"}


def test_typed_weeks_are_kept_unless_overwrite_is_asked_and_other_fields_survive():
    result, figures = linkedin_figures()
    typed = CheckIn(
        week="2026-W03",
        posts=5,
        received=3,
        replies=3,
        followers=812,
        note="Salon RH",
        source="typed",
    )
    preview = plan_import([typed], figures, source=result.source, fields=result.fields, today=TODAY)
    w03 = next(w for w in preview.weeks if w.week == "2026-W03")
    assert w03.status == "conflict" and not w03.write
    assert set(w03.changes) == {"posts", "replies", "median_response_hours"}
    assert "2026-W03" not in {c.week for c in preview.to_save()}

    forced = plan_import(
        [typed],
        figures,
        source=result.source,
        fields=result.fields,
        overwrite_typed=True,
        today=TODAY,
    )
    after = next(c for c in forced.to_save() if c.week == "2026-W03")
    assert (after.posts, after.replies, after.followers, after.note) == (2, 2, 812, "Salon RH")
    assert after.source == "import:linkedin"


def test_typed_week_with_the_same_figures_is_unchanged_and_stays_typed():
    result, figures = linkedin_figures()
    same = CheckIn(week="2026-W05", posts=1, received=0, replies=0, mentions=4, source="typed")
    preview = plan_import([same], figures, source=result.source, fields=result.fields, today=TODAY)
    assert next(w for w in preview.weeks if w.week == "2026-W05").status == "unchanged"


def test_an_import_only_touches_the_fields_its_export_measures():
    x = detect_and_parse(FIXTURES / "x" / "tweets.js")
    earlier = CheckIn(
        week="2026-W03",
        posts=1,
        received=7,
        replies=5,
        median_response_hours=3.5,
        source="import:x",
    )
    preview = plan_import(
        [earlier], weekly_figures(x.events, TZ), source=x.source, fields=x.fields, today=TODAY
    )
    w03 = next(w for w in preview.weeks if w.week == "2026-W03")
    assert w03.status == "unchanged"  # posts match; received/replies are not X's to change
    linkedin_week = replace(earlier, posts=3, source="import:linkedin")
    other = plan_import(
        [linkedin_week], weekly_figures(x.events, TZ), source=x.source, fields=x.fields, today=TODAY
    )
    conflict = next(w for w in other.weeks if w.week == "2026-W03")
    assert conflict.status == "conflict" and conflict.changes == ("posts",)


def test_future_weeks_and_weeks_before_since_are_left_out():
    result, figures = linkedin_figures()
    preview = plan_import(
        [], figures, source=result.source, fields=result.fields, today=date(2026, 1, 20)
    )
    assert [w.week for w in preview.weeks] == ["2026-W03", "2026-W04"]
    assert [n.key for n in preview.notes] == ["importers.note.future"]
    later = plan_import(
        [],
        figures,
        source=result.source,
        fields=result.fields,
        since=date(2026, 1, 19),
        today=TODAY,
    )
    assert [w.week for w in later.weeks] == ["2026-W04", "2026-W05"]


# ---- bad input: a clear message naming the file and the line or entry ----------------------------


def test_not_an_export():
    assert (
        invalid(b"hello, this is a letter\nnot an export\n", "letter.csv").key
        == "importers.error.not_an_export"
    )
    connections = b'Notes:\n"Some emails are missing."\n\nFirst Name,Last Name,URL,Connected On\nA,B,u,11 Jun 2023\n'
    assert invalid(connections, "Connections.csv").key == "importers.error.not_an_export"
    assert invalid(b'{"name": "settings"}', "settings.json").key == "importers.error.not_an_export"
    assert invalid(b"window.YTD.like.part0 = []", "like.js").key == "importers.error.not_an_export"
    assert (
        invalid(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.png").key
        == "importers.error.not_an_export"
    )
    other_zip = make_zip({"Profile.csv": b"First Name\nA\n", "Connections.csv": b"First Name\nB\n"})
    err = invalid(other_zip, "Basic_Export.zip")
    assert err.key == "importers.error.not_an_export" and "Basic_Export.zip" in err.message("fr")


def test_old_mastodon_tar_gz_says_what_to_do():
    assert invalid(b"\x1f\x8b\x08\x00rest", "archive.tar.gz").key == "importers.error.tar_gz"


def test_missing_required_column_names_the_file_line_and_column():
    data = NOTES + b"CONVERSATION ID,FROM,TO\nc1,Ann,Boss\n"
    err = invalid(data, "messages.csv")
    assert err.key == "importers.error.missing_column"
    assert err.params["line"] == 5  # the header, after the four lines of the Notes block
    assert err.message("en") == (
        "messages.csv, line 5: the required column “DATE” is missing. Nothing was imported."
    )
    assert typeset("« DATE »", "fr") in err.message("fr") and "ligne 5" in err.message("fr")
    generic = invalid(b"timestamp,conversation_id\n2026-01-12,a\n", "comms.csv")
    assert generic.key == "importers.error.missing_column" and generic.params["column"] == "kind"


def test_unreadable_date_names_the_line_even_after_multi_line_cells():
    rows = _rows((LINKEDIN / "messages.csv").read_bytes())
    rows[6][6] = "hier à 15 h"  # the record right after a cell spanning lines 6 to 9
    err = invalid(_write(rows), "messages.csv")
    assert err.key == "importers.error.bad_date"
    assert err.params["line"] == 10
    assert typeset("hier à 15 h", "fr") in err.message("fr") and "ligne 10" in err.message("fr")
    inside = invalid(make_zip({"messages.csv": _write(rows)}), "export.zip")
    assert "export.zip › messages.csv, line 10" in inside.message("en")


def test_bad_kind_and_bad_item_dates():
    err = invalid(b"timestamp,kind\n2026-01-12,post\n2026-01-13,like\n", "comms.csv")
    assert err.key == "importers.error.bad_kind" and err.params["line"] == 3
    bad_tweet = (
        b'window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1", "created_at": "yesterday"}} ]'
    )
    err = invalid(bad_tweet, "tweets.js")
    assert err.key == "importers.error.bad_date_item" and err.params["item"] == 1


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n", b"\n\n\n"])
def test_empty_file(data):
    err = invalid(data, "messages.csv")
    assert err.key == "importers.error.empty" and "messages.csv" in err.message("en")


def test_empty_entry_in_zip():
    err = invalid(make_zip({"messages.csv": b""}), "export.zip")
    assert err.key == "importers.error.empty" and "export.zip › messages.csv" in err.message("fr")


def test_missing_file(tmp_path):
    err = invalid(tmp_path / "nope.zip")
    assert err.key == "importers.error.not_found"


def test_file_over_the_size_cap(monkeypatch, tmp_path):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "messages.csv"
    path.write_bytes((LINKEDIN / "messages.csv").read_bytes())
    err = invalid(path)
    assert err.key == "importers.error.too_big" and "messages.csv" in err.message("en")
    assert invalid(path.read_bytes(), "messages.csv").key == "importers.error.too_big"


def test_zip_entry_over_the_size_cap(monkeypatch):
    data = make_zip({"messages.csv": (LINKEDIN / "messages.csv").read_bytes()})  # 1.1 kB zipped
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 2000)  # the ZIP fits, the 3.3 kB entry does not
    err = invalid(data, "export.zip")
    assert err.key == "importers.error.too_big" and err.params["entry"] == "messages.csv"


@pytest.mark.parametrize("name", ["tweets.js", "outbox.json"])
def test_truncated_json(name):
    source = FIXTURES / ("x" if name == "tweets.js" else "mastodon") / name
    text = source.read_bytes()
    err = invalid(text[: len(text) // 2], name)
    assert err.key == "importers.error.bad_json"
    assert err.params["line"] > 1 and name in err.message("fr")


def test_zip_bomb_is_refused_from_its_declared_ratio():
    bomb = make_zip({"messages.csv": b"CONVERSATION ID,FROM,DATE\n" + b"0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    err = invalid(bomb, "export.zip")
    assert err.key == "importers.error.zip_bomb" and err.params["entry"] == "messages.csv"
    assert "export.zip › messages.csv" in err.message("en")


def test_zip_bomb_is_stopped_while_reading_when_the_entries_add_up(monkeypatch):
    # each entry looks fine on its own; together they pass what one import may read
    monkeypatch.setattr(files, "MAX_ZIP_TOTAL_BYTES", 2000)
    parts = {
        f"data/tweets-part{i}.js": f"window.YTD.tweets.part{i} = [".encode() + b" " * 1500 + b"]"
        for i in range(3)
    }
    err = invalid(make_zip(parts, zipfile.ZIP_STORED), "twitter.zip")
    assert err.key == "importers.error.zip_bomb"


def _open_entry(data: bytes):
    archive = files.Archive(files.Input("x.zip", "x.zip", lambda: io.BytesIO(data)))
    (info,) = archive.infos
    return archive, info, archive.entry(info)  # declared size and ratio checked here


def test_zip_ratio_is_checked_again_on_the_bytes_actually_read(monkeypatch):
    archive, _, entry = _open_entry(
        make_zip({"messages.csv": (LINKEDIN / "messages.csv").read_bytes()})
    )
    monkeypatch.setattr(files, "BOMB_FLOOR", 0)  # from now on, any expansion looks suspicious
    monkeypatch.setattr(files, "MAX_RATIO", 1)
    with pytest.raises(InvalidInput) as caught:
        entry.open().read()
    archive.close()
    assert caught.value.key == "importers.error.zip_bomb"


def test_zip_entry_whose_header_lies_about_its_size_is_refused(monkeypatch):
    archive, info, entry = _open_entry(
        make_zip({"messages.csv": (LINKEDIN / "messages.csv").read_bytes()})
    )
    monkeypatch.setattr(info, "file_size", 100)
    with pytest.raises(InvalidInput) as caught:
        entry.open().read()
    archive.close()
    assert caught.value.key == "importers.error.zip_corrupt"


@pytest.mark.parametrize(
    "entry",
    ["../../etc/passwd", "/etc/cron.d/job", "data/../../x.csv", "C:/Windows/x.csv", "..\\evil.csv"],
)
def test_zip_with_unsafe_paths_is_refused(entry):
    data = make_zip({"messages.csv": (LINKEDIN / "messages.csv").read_bytes(), entry: b"x"})
    err = invalid(data, "export.zip")
    assert err.key == "importers.error.zip_unsafe_path" and err.params["entry"] == entry
    assert entry in err.message("fr")


def test_damaged_zip():
    data = linkedin_zip()
    assert invalid(data[: len(data) // 2], "export.zip").key == "importers.error.zip_corrupt"


# ---- hostile exports (issue 11) -----------------------------------------------------------------

DEEP = 60_000  # 120 KB of brackets: RecursionError, "please report a bug", before the bound


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tweets.js", 'window.YTD.tweets.part0 = [ {"tweet": ' + "[" * DEEP + "]" * DEEP + "} ]"),
        (
            "outbox.json",
            '{"orderedItems": [\n{"type": "Create", "object": '
            + '{"a": ' * DEEP
            + "1"
            + "}" * DEEP
            + "} ]}",
        ),
    ],
    ids=["tweets.js", "outbox.json"],
)
def test_deeply_nested_json_exports_are_refused_with_the_line(name, text):
    err = invalid(text.encode(), name)
    assert err.key == "importers.json.too_deep"
    assert err.params["line"] == (1 if name == "tweets.js" else 2)
    assert f"{name}, line" in err.message("en") and "64" in err.message("en")
    assert "nothing was imported" in err.message("en")


def test_brackets_inside_text_do_not_count_as_nesting():
    text = '[{"tweet": {"id_str": "1", "created_at": "2026-01-20T08:00:00Z", "full_text": "'
    text = "window.YTD.tweets.part0 = " + text + "[" * 500 + '\\"]' + "{" * 500 + '"}}]'
    result = detect_and_parse(text.encode(), "tweets.js")
    assert [e.kind for e in result.events] == ["post"]


@pytest.mark.parametrize(
    "number", ["9" * 400, "-" + "9" * 5000, str(2**63), "1e400", "NaN", "-Infinity"]
)
def test_numbers_no_figure_can_hold_are_refused_in_json_exports(number):
    tweet = '{"tweet": {"id_str": "1", "created_at": "2026-01-20T08:00:00Z", "n": ' + number + "}}"
    err = invalid(f"window.YTD.tweets.part0 = [{tweet}]".encode(), "tweets.js")
    assert err.key == "importers.json.bad_number"
    message = err.message("fr")
    assert "tweets.js" in message and "Rien n’a été importé" in message
    assert len(err.params["value"]) <= 40


def _tweets(created_at: str) -> bytes:
    tweet = {"tweet": {"id_str": "1", "created_at": created_at, "full_text": "x"}}
    return f"window.YTD.tweets.part0 = [{json.dumps(tweet)}]".encode()


def _outbox(published: str) -> bytes:
    item = {"type": "Create", "published": published, "object": {"content": "x"}}
    return json.dumps({"orderedItems": [item]}).encode()


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        (
            "activity.csv",
            b"timestamp,kind\n0001-01-01T00:00:00+01:00,post\n",
            "importers.error.bad_date",
        ),
        (
            "Shares.csv",
            b"Date,ShareLink,ShareCommentary\n0001-01-01 00:00:00,https://x/1,hi\n",
            "importers.error.bad_date",
        ),
        ("tweets.js", _tweets("0001-01-01T00:00:00+01:00"), "importers.error.bad_date_item"),
        ("tweets.js", _tweets("Mon Jan 01 00:00:00 +0100 0001"), "importers.error.bad_date_item"),
        ("outbox.json", _outbox("0001-01-01T00:00:00+01:00"), "importers.error.bad_date_item"),
        ("outbox.json", _outbox("9999-12-31T23:59:59-01:00"), "importers.error.bad_date_item"),
    ],
)
def test_a_timestamp_in_year_one_is_a_sentence_in_every_format(name, data, key):
    err = invalid(data, name)
    assert err.key == key
    assert "0001" in err.message("en") or "9999" in err.message("en")


def test_a_stray_1970_event_is_set_aside_and_said_in_words():
    events = [Event(_at("1970-01-01 00:00"), "post")] + [
        Event(_at(f"2026-11-{day:02d} 12:00"), "post") for day in (2, 9, 16)
    ]
    kept, notes = screen_events(events, TZ, TODAY)
    weeks = weekly_figures(kept, TZ)
    assert [w.week for w in weeks] == ["2026-W45", "2026-W46", "2026-W47"]
    (note,) = notes
    assert note.key == "importers.note.set_aside_old"
    assert note.params["count"] == 1 and note.params["first"] == "2021-11-22"
    assert "1969-12-31" in note.message("en")  # 1970-01-01 00:00 UTC is still 1969 in Toronto
    assert "5 years" in note.message("en") and "5 ans" in note.message("fr")


def test_events_after_the_current_week_are_set_aside_before_weeks_are_filled():
    events = [Event(_at("2026-11-23 12:00"), "post"), Event(_at("2999-01-01 12:00"), "post")]
    kept, notes = screen_events(events, TZ, TODAY)
    assert [w.week for w in weekly_figures(kept, TZ)] == ["2026-W48"]
    assert [n.key for n in notes] == ["importers.note.set_aside_future"]
    assert "2999-01-01" in notes[0].message("fr")


def test_a_long_silence_inside_the_window_is_kept_but_pointed_out():
    events = [Event(_at("2024-03-04 12:00"), "post"), Event(_at("2026-11-02 12:00"), "post")]
    kept, notes = screen_events(events, TZ, TODAY)
    assert len(kept) == 2
    (note,) = notes
    assert note.key == "importers.note.gap"
    weeks = weekly_figures(kept, TZ)
    assert note.params["weeks"] == len(weeks) - 2  # the zero weeks between the two events
    assert "2024-03-04" in note.message("en") and "2026-11-02" in note.message("en")


def test_a_regular_export_gets_no_outlier_note():
    result, _ = linkedin_figures()
    kept, notes = screen_events(result.events, TZ, TODAY)
    assert kept == result.events and notes == ()


def test_the_window_starts_on_a_monday_five_years_back_even_from_29_february():
    first, last = import_window(date(2028, 2, 29))
    assert first.weekday() == 0 and last.weekday() == 6
    assert date(2023, 2, 20) <= first <= date(2023, 2, 28) and last == date(2028, 3, 5)


def _many_entries(count: int) -> bytes:
    return make_zip({f"data/media/{i}.jpg": b"x" for i in range(count)}, zipfile.ZIP_STORED)


def test_a_zip_with_too_many_entries_is_refused_before_they_are_listed(monkeypatch):
    monkeypatch.setattr(files, "MAX_ZIP_ENTRIES", 50)
    err = invalid(_many_entries(51), "twitter.zip")
    assert err.key == "importers.error.zip_too_many" and err.params["limit"] == 50
    assert "twitter.zip" in err.message("en") and "tweets.js" in err.message("en")
    assert "50" in err.message("fr")
    # at the limit, the archive is read (and found to hold no export)
    assert invalid(_many_entries(50), "twitter.zip").key == "importers.error.not_an_export"


def test_a_zip_whose_end_record_understates_its_entries_is_still_counted(monkeypatch):
    monkeypatch.setattr(files, "MAX_ZIP_ENTRIES", 50)
    data = bytearray(_many_entries(80))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (3).to_bytes(2, "little") * 2  # "3 entries on this disk, 3 in all"
    assert invalid(bytes(data), "twitter.zip").key == "importers.error.zip_too_many"


def test_a_zip64_archive_is_counted_from_its_zip64_record():
    data = _many_entries(0xFFFF + 1)  # past 65,535 entries zipfile writes a ZIP64 end record
    assert files.zip_entry_count(io.BytesIO(data)) == 0xFFFF + 1


# ---- messages -----------------------------------------------------------------------------------

_KEY = re.compile(r"""["'](importers\.[a-z_]+\.[a-z_.]+)["']""")
ROOT = Path(__file__).parents[1]
_SOURCES = [
    *(ROOT / "coach" / "importers").glob("*.py"),
    ROOT / "coach" / "commands" / "imports.py",
]


def _flat(prefix: str, value, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flat(f"{prefix}.{key}" if prefix else key, sub, out)
    else:
        out.add(prefix)
    return out


def test_french_and_english_catalogues_have_the_same_keys():
    root = ROOT / "coach" / "locales"
    fr = _flat(
        "", yaml.safe_load((root / "fr" / "importers.yaml").read_text(encoding="utf-8")), set()
    )
    en = _flat(
        "", yaml.safe_load((root / "en" / "importers.yaml").read_text(encoding="utf-8")), set()
    )
    assert fr == en


def test_every_message_the_code_uses_exists_in_both_languages():
    used = {k for path in _SOURCES for k in _KEY.findall(path.read_text(encoding="utf-8"))}
    used |= {
        f"importers.status.{s}" for s in ("new", "unchanged", "update", "conflict", "overwrite")
    }
    used |= {
        f"importers.field.{f}" for f in ("posts", "received", "replies", "median_response_hours")
    }
    used |= {f"importers.platform.{p}" for p in ("linkedin", "x", "mastodon", "csv")}
    assert len(used) > 40
    missing = [
        (k, lang)
        for k in sorted(used)
        for lang in ("fr", "en")
        if not (has_key(k, lang) or has_key(f"{k}.one", lang) and has_key(f"{k}.other", lang))
    ]
    assert missing == []
