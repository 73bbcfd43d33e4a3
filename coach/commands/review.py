"""CLI: review a draft before posting it (`python -m coach review FILE|-`).

With `--profile NAME`, the profile's playbook, facts and stored "never say" list apply
(through `service.review_post`); `--never-say` adds phrases for this review only.
Exit codes: 0 when no finding blocks, 1 when one does, 2 on bad input (an empty, binary,
non-UTF-8 or too long draft, an unknown network or profile). Nothing is written or sent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coach.commands.argerrors import current_lang
from coach.commands.oserrors import os_reason
from coach.errors import CoachError, InvalidInput
from coach.i18n import t
from coach.playbook import default_playbook_path, find_playbook, load_playbook
from coach.review import (
    MAX_CHARACTERS,
    NETWORKS,
    Review,
    by_severity,
    decode_draft,
    review,
    stats_words,
)

BAD_INPUT = 2


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    """Add `review`."""
    lang = current_lang()
    p = sub.add_parser("review", parents=[parent], help=t("review.cli.help", lang))
    p.add_argument("file", metavar="FILE|-", help=t("review.cli.file", lang))
    p.add_argument("--profile", metavar="NAME", help=t("review.cli.profile", lang))
    p.add_argument(
        "--network", default="linkedin", metavar="NETWORK", help=t("review.cli.network", lang)
    )
    p.add_argument(
        "--never-say",
        action="append",
        default=[],
        metavar="PHRASE",
        help=t("review.cli.never_say", lang),
    )
    p.add_argument("--format", choices=["json", "md"], default="md")
    p.set_defaults(func=cmd_review)


def _read(path: str) -> str:
    if path == "-":
        return decode_draft(sys.stdin.buffer.read(MAX_CHARACTERS * 4 + 4), stdin=True)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_CHARACTERS * 4 + 4)
    except OSError as err:
        raise InvalidInput(
            "review.input.unreadable", path=path, reason=os_reason(err, current_lang())
        ) from None
    return decode_draft(data)


def _review(args: argparse.Namespace, text: str) -> Review:
    """The review with the profile's playbook, facts and stored never-say list, else the
    default playbook's rules (and no database opened without --profile)."""
    extra = args.never_say
    if not args.profile:
        book = load_playbook(default_playbook_path())
        return review(text, book.reviews, network=args.network, lang=args.lang, never_say=extra)
    from coach import service
    from coach.store import Store  # only when a profile is asked for

    store = Store(args.db)
    try:
        profile = store.get_profile(args.profile)
        book = load_playbook(find_playbook(profile.playbook_id) or default_playbook_path())
        lang = args.lang
        return service.review_post(
            store, profile, text, args.network, lang, never_say=extra, playbook=book
        )
    finally:
        store.close()


def cmd_review(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        if args.network not in NETWORKS:
            raise InvalidInput(
                "review.input.network", network=args.network, known=", ".join(NETWORKS)
            )
        text = _read(args.file)
        result = _review(args, text)
    except CoachError as err:
        print(err.message(lang), file=sys.stderr)
        return BAD_INPUT
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(markdown(result, text, args.network, lang))
    return 1 if result.verdict == "block" else 0


def markdown(result: Review, text: str, network: str, lang: str) -> str:
    """The review as Markdown for a terminal: verdict, findings (what blocks first) with the
    words they point at, or "About the whole post"; the message goes on after the colon."""
    from coach.exports.markdown import escape

    lines = [
        f"# {t('review.cli.title', lang)}",
        "",
        f"**{t(f'review.verdict.{result.verdict}', lang)}**",
        "",
    ]
    lines.append(t("review.cli.stats", lang, **stats_words(result, network, lang)))
    lines.append("")
    if not result.findings:
        lines.append(t("review.cli.none", lang))
    colon = "\u00a0:" if lang == "fr" else ":"
    for f in by_severity(result.findings):
        label = t(f"review.severity.{f.severity}", lang)
        if f.end > f.start:
            words = escape(text[f.start : f.end])
            where = f"«\u00a0{words}\u00a0»" if lang == "fr" else f"“{words}”"
        else:
            where = t("review.cli.whole_post", lang)
        lines.append(
            f"- **{label}** ({f.rule}, {f.start}–{f.end}) {where}{colon} "
            f"{_after_colon(f.message)} {f.suggestion}"
        )
    return "\n".join(lines)


def _after_colon(sentence: str) -> str:
    """A sentence that goes on after a colon starts in lower case ("Le message…" →
    "le message…"), unless its first word is an acronym or a name in capitals ("LinkedIn")."""
    first = sentence.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return first[0].lower() + sentence[1:]
    return sentence
