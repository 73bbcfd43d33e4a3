"""CLI: the database's schema (`python -m coach db upgrade|status`).

`db upgrade` brings the database named by --db or $COACH_DB to the latest
revision, under PostgreSQL's advisory lock (so two starting servers cannot
race); `--sql` prints the SQL for a DBA instead of running it. `db status`
tells the revisions the database is at and the latest this coach knows.
"""

from __future__ import annotations

import argparse
import sys

from coach import service
from coach.commands.argerrors import current_lang
from coach.i18n import t


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    """Add `db upgrade` and `db status`."""
    lang = current_lang()
    p = sub.add_parser("db", help=t("cli.db.help", lang))
    actions = p.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    up = actions.add_parser("upgrade", parents=[parent], help=t("cli.db.upgrade", lang))
    up.add_argument("--sql", action="store_true", help=t("cli.db.sql", lang))
    up.set_defaults(func=cmd_upgrade)
    st = actions.add_parser("status", parents=[parent], help=t("cli.db.status", lang))
    st.set_defaults(func=cmd_status)


def cmd_upgrade(args: argparse.Namespace) -> int:
    if args.sql:
        service.database_sql(args.db, sys.stdout)
        return 0
    report = service.upgrade_database(args.db)
    key = "cli.db.upgraded" if report.changed else "cli.db.current"
    print(t(key, args.lang, where=report.where, revisions=", ".join(report.revisions)))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    report = service.database_status(args.db)
    print(
        t(
            "cli.db.at",
            args.lang,
            where=report.where,
            revisions=", ".join(report.revisions) or "-",
            latest=", ".join(report.latest),
        )
    )
    return 0 if report.revisions == report.latest else 1
