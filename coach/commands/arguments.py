"""Parser pieces several commands share: a command that reads FILE for a profile, and a date
option whose mistakes are a sentence in the user's language."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TypeAlias

from coach.commands.argerrors import current_lang
from coach.i18n import t

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def file_command(
    sub: Subparsers,
    parent: argparse.ArgumentParser,
    name: str,
    area: str,
    *,
    metavar: str = "FILE",
    profile_required: bool = False,
) -> tuple[argparse.ArgumentParser, str]:
    """The parser of `name FILE --profile NAME`, and the command line's language.

    Its help texts are the catalogue's `<area>.cli.help`, `<area>.cli.file` and
    `<area>.cli.profile`; the caller adds the command's own options.
    """
    lang = current_lang()

    def words(key: str) -> str:
        return t(f"{area}.cli.{key}", lang)

    command = sub.add_parser(name, parents=[parent], help=words("help"))
    command.add_argument("file", metavar=metavar, help=words("file"))
    command.add_argument(
        "--profile", required=profile_required, metavar="NAME", help=words("profile")
    )
    return command, lang


def date_argument(key: str) -> Callable[[str], date]:
    """An argparse type reading YYYY-MM-DD; anything else is the sentence `key` (with the
    value typed) in the command line's language."""

    def read(value: str) -> date:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            message = t(key, current_lang(), value=value)
            raise argparse.ArgumentTypeError(message) from None

    return read
