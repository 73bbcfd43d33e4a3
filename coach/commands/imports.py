"""CLI: `python -m coach import FILE --profile NAME` fills weekly check-ins from a platform export."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from coach.checkin import checkin_to_dict
from coach.commands.arguments import Subparsers, file_command
from coach.errors import InvalidInput
from coach.i18n import fmt_number, t, tp
from coach.importers import ImportPreview, WeekPlan, apply_import, preview_import


def register(sub: Subparsers, parent: argparse.ArgumentParser) -> None:
    """Add `import`."""
    p, lang = file_command(sub, parent, "import", "importers", profile_required=True)
    p.add_argument("--dry-run", action="store_true", help=t("importers.cli.dry_run", lang))
    p.add_argument(
        "--format", choices=["table", "json"], default="table", help=t("importers.cli.format", lang)
    )
    p.add_argument(
        "--overwrite-typed", action="store_true", help=t("importers.cli.overwrite_typed", lang)
    )
    p.add_argument(
        "--me", action="append", default=[], metavar="NAME", help=t("importers.cli.me", lang)
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help=t("importers.cli.since", lang))
    p.set_defaults(func=cmd_import)


def _since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("importers.error.bad_since", value=value) from None


def cmd_import(args: argparse.Namespace) -> int:
    from coach.store import Store  # the pure parsing path does not need the database

    since = _since(args.since)
    with Store(args.db) as store:
        preview = preview_import(
            store,
            args.profile,
            args.file,
            me=args.me,
            overwrite_typed=args.overwrite_typed,
            since=since,
        )
        written = {} if args.dry_run else apply_import(store, args.profile, preview)
        timezone = store.get_profile(args.profile).timezone
    if args.format == "json":
        doc = preview_to_dict(preview, args.lang)
        doc.update(profile=args.profile, timezone=timezone, dry_run=args.dry_run, written=written)
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(render_table(preview, args.profile, args.lang, dry_run=args.dry_run, written=written))
    return 0


# ---- output -------------------------------------------------------------------------------------


def _status_key(week: WeekPlan) -> str:
    return "overwrite" if week.status == "conflict" and week.write else week.status


def preview_to_dict(preview: ImportPreview, lang: str) -> dict[str, Any]:
    """A JSON-safe description of the preview (stable keys, English codes; notes in `lang`)."""
    result = preview.result
    return {
        "file": result.file if result else None,
        "platform": result.platform if result else None,
        "source": preview.source,
        "entries": list(result.entries) if result else [],
        "zoneless_as_utc": bool(result and result.zoneless),
        "me": result.me if result else None,
        "fields": sorted(preview.fields),
        "overwrite_typed": preview.overwrite_typed,
        "summary": preview.counts,
        "notes": [{"key": n.key, "message": n.message(lang)} for n in preview.notes],
        "weeks": [
            {
                "week": w.week,
                "status": w.status,
                "write": w.write,
                "changes": list(w.changes),
                "figures": {
                    "posts": w.figures.posts,
                    "replies_written": w.figures.replies,
                    "received": w.figures.received,
                    "answered": w.figures.answered,
                    "median_response_hours": w.figures.median_response_hours,
                    "response_rate": w.figures.response_rate,
                },
                "before": checkin_to_dict(w.before) if w.before else None,
                "after": checkin_to_dict(w.after) if w.after else None,
            }
            for w in preview.weeks
        ],
    }


def _changes(week: WeekPlan, lang: str) -> str:
    if week.before is None:
        return ""
    values = week.figures.checkin_values()
    return "; ".join(
        f"{t(f'importers.field.{name}', lang)} {fmt_number(getattr(week.before, name), lang)} → "
        f"{fmt_number(values[name], lang)}"
        for name in week.changes
    )


def _rate(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    return f"{fmt_number(round(value), lang)}\u00a0%" if lang == "fr" else f"{round(value)}%"


def _grid(rows: list[list[str]], numeric: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            c.rjust(widths[i]) if i in numeric else c.ljust(widths[i]) for i, c in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def render_table(
    preview: ImportPreview, profile: str, lang: str, *, dry_run: bool, written: dict[str, str]
) -> str:
    """What `coach import` prints: notes, one line per week, a summary and what was written."""
    result = preview.result
    file = result.file if result else ""
    platform = t(f"importers.platform.{result.platform}", lang) if result else ""
    lines = [
        tp(
            "importers.cli.title",
            lang,
            len(preview.weeks),
            file=file,
            platform=platform,
            profile=profile,
        )
    ]
    for note in preview.notes:
        lines.append(f"- {note.message(lang)}")
        if note.key == "importers.note.me":
            lines.append(f"  {t('importers.cli.me_hint', lang)}")
    if not preview.weeks:
        lines.append(t("importers.cli.no_weeks", lang, file=file))
        return "\n".join(lines)
    columns = (
        "week",
        "status",
        "posts",
        "replies",
        "received",
        "answered",
        "median",
        "rate",
        "changes",
    )
    rows = [[t(f"importers.cli.col.{c}", lang) for c in columns]]
    for w in preview.weeks:
        f = w.figures
        rows.append(
            [
                w.week,
                t(f"importers.status.{_status_key(w)}", lang),
                str(f.posts),
                str(f.replies),
                str(f.received),
                str(f.answered),
                fmt_number(f.median_response_hours, lang),
                _rate(f.response_rate, lang),
                _changes(w, lang),
            ]
        )
    lines.append("")
    lines += _grid(rows, numeric={2, 3, 4, 5, 6, 7})
    lines.append("")
    lines.append(t("importers.cli.summary", lang, **preview.counts))
    kept = sum(1 for w in preview.conflicts if not w.write)
    if kept:
        lines.append(t("importers.cli.conflict_hint", lang, count=kept))
    if dry_run:
        lines.append(t("importers.cli.dry_run_done", lang))
    elif written:
        lines.append(t("importers.cli.saved", lang, profile=profile, count=len(written)))
    else:
        lines.append(t("importers.cli.nothing", lang))
    return "\n".join(lines)
