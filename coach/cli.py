"""The command line: `python -m coach <command> ...`.

Each area registers its subcommands from coach/commands/<area>.py. Errors meant
for people are printed in the user's language; nobody sees a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from coach.commands import db, engine, exports, imports, review, tracking
from coach.commands.argerrors import LANG_HINT, CoachArgumentParser, current_lang, scan_lang
from coach.errors import CoachError
from coach.i18n import env_lang, t

AREAS = (engine, tracking, imports, exports, review, db)


def _add_common(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--db", default=default, help=t("cli.help.db", current_lang()))
    parser.add_argument(
        "--lang", choices=["fr", "en"], default=default, help=t("cli.help.lang", current_lang())
    )


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts after its name: --db and --lang.

    Their default is "not given" (SUPPRESS), so `--db` typed before the command name
    is not erased by the command's own parser.
    """
    parent = argparse.ArgumentParser(add_help=False)
    _add_common(parent, argparse.SUPPRESS)
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = CoachArgumentParser(
        prog="python -m coach",
        description=t("cli.help.description", current_lang()),
        epilog=t("cli.help.global_options", current_lang()),
    )
    _add_common(parser, None)  # before the command: `python -m coach --lang fr status ...`
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parent = common_options()
    for area in AREAS:
        area.register(sub, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    token = LANG_HINT.set(scan_lang(sys.argv[1:] if argv is None else argv))
    try:
        parser = build_parser()  # help texts in the language asked for
        args = parser.parse_args(argv)
    finally:
        LANG_HINT.reset(token)
    lang = getattr(args, "lang", None) or env_lang()
    args.lang = lang
    try:
        _stored_spelling(args)
        return int(args.func(args) or 0)
    except CoachError as err:
        print(err.message(lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except UnicodeEncodeError:
        # A name, note or path typed in a terminal that does not send UTF-8.
        print(t("engine.cli.not_utf8", lang), file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - last resort: a sentence, not a traceback
        print(t("engine.cli.unexpected", lang, error=_one_line(err)), file=sys.stderr)
        return 2


# The commands that name an existing profile, and the argument that holds its name.
_NAMED = {("profile", "set"): "name", ("profile", "export"): "name", ("profile", "delete"): "name"}


def _stored_spelling(args: argparse.Namespace) -> None:
    """A profile named in another case ("sophie gagnon") as stored ("Sophie Gagnon")."""
    field = _NAMED.get((str(args.command), str(getattr(args, "profile_command", ""))))
    if field is None and isinstance(getattr(args, "profile", None), str):
        field = "profile"
    if field is None:
        return
    from coach import service
    from coach.errors import NotFound
    from coach.store import Store

    # Unknown: the command says there is no such profile, in its own words.
    with Store(args.db) as store, contextlib.suppress(NotFound):
        setattr(args, field, service.find_profile(store, getattr(args, field)).name)


def _one_line(err: Exception) -> str:
    """The error's type and first line (a database error would otherwise print its SQL)."""
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0][:200] if lines else ''}"
