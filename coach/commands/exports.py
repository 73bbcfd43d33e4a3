"""CLI: `python -m coach export --profile NAME --format pdf|html|pptx|md|csv|ics -o FILE`.

The file is written to a temporary name and renamed: a full disk never destroys an older pack.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coach.commands.argerrors import help_text
from coach.commands.oserrors import os_reason
from coach.errors import InvalidInput
from coach.exports import ALL_FORMATS, default_paper, filename, render, write_file
from coach.i18n import t
from coach.service import build_pack

_h = help_text  # a help text in the language of the command line (--lang, else the environment)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add `export`."""
    p = sub.add_parser(
        "export",
        parents=[parent],
        help=_h("export"),
        description=_h("export_description"),
    )
    p.add_argument("--profile", required=True, metavar="NAME")
    p.add_argument("--format", required=True, choices=ALL_FORMATS, dest="export_format")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_h("export_output"),
    )
    p.add_argument(
        "--paper",
        type=str.lower,
        choices=["a4", "letter"],
        help=_h("paper"),
    )
    _remember_explicit_lang(p)
    p.set_defaults(func=cmd_export)


def _remember_explicit_lang(parser: argparse.ArgumentParser) -> None:
    # The CLI fills args.lang from the environment when --lang is absent; the pack must
    # then follow the profile's language, so keep what was typed before that happens.
    original = parser.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        parsed, extras = original(args, namespace)
        parsed.pack_lang = getattr(parsed, "lang", None)
        return parsed, extras

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]


def cmd_export(args: argparse.Namespace) -> int:
    from coach.store import Store

    with Store(args.db) as store:
        pack = build_pack(store, args.profile, lang=getattr(args, "pack_lang", None))
    if not pack.has_assessment:
        raise InvalidInput("exports.cli.no_assessment", name=pack.profile_name)
    paper = {"a4": "A4", "letter": "Letter"}.get(args.paper or "", default_paper(pack))
    data = render(pack, args.export_format, paper=paper)
    target = args.output or filename(pack, args.export_format)
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    path = Path(target)
    try:
        write_file(path, data)
    except OSError as err:
        raise InvalidInput(
            "exports.cli.cannot_write", path=str(path), reason=os_reason(err, args.lang)
        ) from None
    size = max(1, round(len(data) / 1024))
    print(
        t(
            "exports.cli.written",
            args.lang,
            path=str(path),
            size=size,
            format=args.export_format,
            lang=pack.lang,
        )
    )
    return 0
