"""argparse's own complaints (missing option, unknown choice...) as a sentence in the user's language.

argparse reports them before any command runs, in English and after a usage dump; the
command line replaces that with one translated sentence and a pointer to --help.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from contextvars import ContextVar
from typing import NoReturn

from coach.i18n import env_lang, normalize_lang, t

# The language asked for on the command line, known before argparse has finished.
LANG_HINT: ContextVar[str | None] = ContextVar("coach_cli_lang_hint", default=None)

_PATTERNS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)", re.S), "required"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)", re.S), "unrecognized"),
    (
        re.compile(
            r"argument (?P<name>[^:]+): invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)",
            re.S,
        ),
        "choice",
    ),
    (re.compile(r"argument (?P<name>[^:]+): expected one argument", re.S), "expected_one"),
    (
        re.compile(r"argument (?P<name>[^:]+): not allowed with argument (?P<other>.+)", re.S),
        "not_allowed_with",
    ),
    # Our own type checks (numbers, dates, weeks) already speak the user's language.
    (re.compile(r"argument (?P<name>[^:]+): (?P<detail>.+)", re.S), "argument"),
)


def scan_lang(argv: Sequence[str] | None) -> str | None:
    """The value of --lang in `argv`, if any (before argparse has read it)."""
    args = list(argv or [])
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return normalize_lang(args[i + 1])
        if arg.startswith("--lang="):
            return normalize_lang(arg.split("=", 1)[1])
    return None


def current_lang() -> str:
    """--lang when it was typed, else the environment's language."""
    return LANG_HINT.get() or env_lang()


def help_text(key: str) -> str:
    """A `cli.help.*` text in the language of the command line (--lang, else the environment)."""
    return t(f"cli.help.{key}", current_lang())


def _unquote(text: str) -> str:
    return text.strip().strip("'\"")


def translate(message: str, lang: str) -> str:
    """One of argparse's English error messages, as a sentence in `lang`."""
    for pattern, key in _PATTERNS:
        match = pattern.fullmatch(message.strip())
        if match:
            params = {k: v.strip() for k, v in match.groupdict().items()}
            if "value" in params:
                params["value"] = _unquote(params["value"])
            if "choices" in params:
                params["choices"] = ", ".join(_unquote(c) for c in params["choices"].split(","))
            return t(f"engine.cli.args.{key}", lang, **params)
    return message


def fail(parser: argparse.ArgumentParser, message: str, lang: str | None = None) -> NoReturn:
    """Print the translated message and where to find help, then exit with status 2."""
    lang = lang or current_lang()
    hint = t("tracking.cli.see_help", lang, command=parser.prog)
    parser.exit(2, f"{translate(message, lang)}\n{hint}\n")


class CoachArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one sentence in the user's language."""

    def error(self, message: str) -> NoReturn:
        fail(self, message)
