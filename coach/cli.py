"""The command line: `python -m coach <command> ...`.

Each area registers its subcommands from coach/commands/<area>.py. Errors meant
for people are printed in the user's language; nobody sees a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coach.commands import engine, exports, imports, tracking
from coach.errors import CoachError
from coach.i18n import env_lang, t

AREAS = (engine, tracking, imports, exports)


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts: --db and --lang."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", help="database file or URL (default: $COACH_DB or data/coach.db)")
    parent.add_argument("--lang", choices=["fr", "en"], help="language of messages and output")
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m coach",
        description="Digital-identity coach for managers / Coach d’identité numérique pour gestionnaires",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parent = common_options()
    for area in AREAS:
        area.register(sub, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", None) or env_lang()
    args.lang = lang
    try:
        return int(args.func(args) or 0)
    except CoachError as err:
        print(err.message(lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # last resort: a sentence, not a traceback
        print(
            t("engine.cli.unexpected", lang, error=f"{type(err).__name__}: {err}"), file=sys.stderr
        )
        return 2
