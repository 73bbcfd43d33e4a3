"""CLI: the database (`python -m coach db upgrade|status|grant|assign`).

`db upgrade` brings the database named by --db or $COACH_DB to the latest
revision, under PostgreSQL's advisory lock (so two starting servers cannot
race); `--sql` prints the SQL for a DBA instead of running it. `db status`
tells the revisions the database is at and the latest this coach knows.
`db grant` and `db assign` are the operator's: the first administrator of an
organisation, before anyone can do it in the app (audited with no actor).
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
    grant = actions.add_parser("grant", parents=[parent], help=t("cli.db.grant", lang))
    grant.add_argument("identity", metavar="ISSUER#SUBJECT", help=t("cli.db.identity", lang))
    grant.add_argument("role", choices=["manager", "coach", "admin"])
    grant.add_argument("--org", required=True, metavar="KEY", help=t("cli.db.org", lang))
    grant.add_argument("--org-name", metavar="NAME", help=t("cli.db.org_name", lang))
    grant.add_argument("--revoke", action="store_true", help=t("cli.db.revoke", lang))
    grant.set_defaults(func=cmd_grant)
    assign = actions.add_parser("assign", parents=[parent], help=t("cli.db.assign", lang))
    assign.add_argument("--org", required=True, metavar="KEY", help=t("cli.db.org", lang))
    assign.add_argument("--profile", required=True, metavar="NAME")
    assign.add_argument("--coach", required=True, metavar="ISSUER#SUBJECT")
    assign.add_argument("--remove", action="store_true", help=t("cli.db.remove", lang))
    assign.set_defaults(func=cmd_assign)


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


def cmd_grant(args: argparse.Namespace) -> int:
    store = service.operator_store(args.db, args.org, args.org_name)
    try:
        changed = service.grant_role_as_operator(
            store, args.identity, args.role, granted=not args.revoke
        )
    finally:
        store.close()
    key = "cli.db.revoked" if args.revoke else "cli.db.granted"
    print(
        t(
            key if changed else "cli.db.unchanged",
            args.lang,
            who=args.identity,
            role=args.role,
            org=args.org,
        )
    )
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    store = service.operator_store(args.db, args.org)
    try:
        service.assign_as_operator(store, args.profile, args.coach, assigned=not args.remove)
    finally:
        store.close()
    key = "cli.db.unassigned" if args.remove else "cli.db.assigned"
    print(t(key, args.lang, profile=args.profile, coach=args.coach))
    return 0
