"""CLI: demo, checkin, step, status, profile create/set/list/export/import/delete."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from coach import service
from coach.checkin import OPTIONAL_COUNT_FIELDS, parse_week, week_of
from coach.commands.argerrors import current_lang, help_text
from coach.commands.arguments import Subparsers, date_argument
from coach.commands.oserrors import os_reason
from coach.errors import InvalidInput
from coach.i18n import fmt_number, t
from coach.profile import STEP_STATES, check_name, check_timezone

COUNT_OPTIONS = ("posts", "received", "replies", *OPTIONAL_COUNT_FIELDS)


def _lang() -> str:
    return current_lang()


# ---- argument types: a sentence in the user's language, never a traceback ----------------------


def _shown(value: str) -> str:
    """A typed value as a message quotes it: 400 digits are shown as their first 40."""
    return value if len(value) <= 40 else value[:39] + "…"


def whole_number(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            t("tracking.cli.not_whole_number", _lang(), value=_shown(value))
        ) from None


def decimal_number(value: str) -> float:
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(
            t("tracking.cli.not_a_number", _lang(), value=_shown(value))
        )
    return number


def iso_week(value: str) -> str:
    """The week as stored ("2026-W07"): spaces around it and a lower-case w are forgiven."""
    try:
        monday = parse_week(value.strip().upper())
    except InvalidInput:
        error = InvalidInput("tracking.error.week_malformed", week=value)
        raise argparse.ArgumentTypeError(error.message(_lang())) from None
    return week_of(monday)


iso_date = date_argument("tracking.cli.not_a_date")


# ---- parsers ------------------------------------------------------------------------------------


_h = help_text


def register(sub: Subparsers, parent: argparse.ArgumentParser) -> None:
    """Add demo, checkin, step, status and profile."""

    def add(
        where: Subparsers, name: str, func: Callable[[argparse.Namespace], int], helptext: str
    ) -> argparse.ArgumentParser:
        p = where.add_parser(name, parents=[parent], help=helptext)
        p.set_defaults(func=func)
        return p

    add(sub, "demo", cmd_demo, _h("demo"))

    p = add(sub, "checkin", cmd_checkin, _h("checkin"))
    p.add_argument("--profile", required=True, metavar="NAME")
    p.add_argument("--week", required=True, type=iso_week, metavar="YYYY-Www")
    for field in COUNT_OPTIONS:
        p.add_argument("--" + field.replace("_", "-"), type=whole_number, metavar="N")
    p.add_argument("--median-response-hours", type=decimal_number, metavar="HOURS")
    p.add_argument("--note", metavar="TEXT")

    p = add(sub, "step", cmd_step, _h("step"))
    p.add_argument("state", choices=STEP_STATES, metavar="STATE", help="|".join(STEP_STATES))
    p.add_argument("step_id", metavar="STEP_ID", help=_h("step_id"))
    p.add_argument("--profile", required=True, metavar="NAME")
    p.add_argument("--note", metavar="TEXT", help=_h("step_note"))

    p = add(sub, "status", cmd_status, _h("status"))
    p.add_argument("--profile", required=True, metavar="NAME")
    p.add_argument("--format", choices=["json", "md"], default="md")

    profile = sub.add_parser("profile", help=_h("profile"))
    actions = profile.add_subparsers(dest="profile_command", required=True, metavar="ACTION")

    p = add(actions, "create", cmd_profile_create, _h("profile_create"))
    p.add_argument("name", metavar="NAME")
    _profile_options(p)

    p = add(actions, "set", cmd_profile_set, _h("profile_set"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--rename", metavar="NEW_NAME")
    _profile_options(p, creating=False)

    p = add(actions, "list", cmd_profile_list, _h("profile_list"))

    p = add(actions, "export", cmd_profile_export, _h("profile_export"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("-o", "--output", metavar="FILE", help=_h("output_stdout"))

    p = add(actions, "import", cmd_profile_import, _h("profile_import"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help=_h("replace"))

    p = add(actions, "delete", cmd_profile_delete, _h("profile_delete"))
    p.add_argument("name", metavar="NAME")


def _profile_options(p: argparse.ArgumentParser, creating: bool = True) -> None:
    p.add_argument("--language", choices=["fr", "en"])
    p.add_argument("--timezone", metavar="ZONE", help=_h("timezone"))
    p.add_argument("--hours-per-week", type=decimal_number, metavar="HOURS")
    p.add_argument("--start", type=iso_date, metavar="YYYY-MM-DD", help=_h("start"))
    p.add_argument("--playbook", metavar="ID", help=_h("playbook_id"))
    if creating:
        p.add_argument("--regulated", action="store_true", help=_h("regulated"))
    else:
        group = p.add_mutually_exclusive_group()
        group.add_argument("--regulated", dest="regulated", action="store_true", default=None)
        group.add_argument("--not-regulated", dest="regulated", action="store_false")


# ---- commands -----------------------------------------------------------------------------------


def _store(args: argparse.Namespace) -> Any:
    # Imported here: SQLAlchemy takes a while to load and `--help` or `validate` do not need it.
    from coach.store import Store

    return Store(args.db)


def cmd_demo(args: argparse.Namespace) -> int:
    with _store(args) as store:
        profile = service.create_demo(store, args.lang)
        weeks = len(store.list_checkins(profile))
    print(t("tracking.cli.demo_ready", args.lang, name=profile.name, weeks=weeks))
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    fields = (*COUNT_OPTIONS, "median_response_hours", "note")
    given = {f: getattr(args, f) for f in fields if getattr(args, f) is not None}
    with _store(args) as store:
        profile = store.get_profile(args.profile)
        # Saving a week again keeps the figures not given this time (the app does the same).
        outcome = service.save_week(store, profile, args.week, {**given, "source": "typed"})
    print(t(f"tracking.cli.checkin_{outcome}", args.lang, week=args.week, name=profile.name))
    return 0


def cmd_step(args: argparse.Namespace) -> int:
    with _store(args) as store:
        profile = store.get_profile(args.profile)
        service.set_step_state(store, profile, args.step_id, args.state, note=args.note)
        snap = service.snapshot(store, profile, args.lang, playbook=service.find_playbook(profile))
    step = snap.plan.step(args.step_id) if snap.plan else None
    title = step.title if step else args.step_id
    state = t(f"cli.step.state.{args.state}", args.lang)
    print(t("cli.step.saved", args.lang, title=title, state=state, name=profile.name))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with _store(args) as store:
        profile = store.get_profile(args.profile)
        snap = service.snapshot(store, profile, args.lang, playbook=service.find_playbook(profile))
    status = service.status_report(snap)
    if args.format == "json":
        print(json.dumps(status, ensure_ascii=False, indent=2))
    else:
        titles = {s.id: (s.title, s.due) for s in snap.plan.steps} if snap.plan else {}
        book = snap.playbook
        dims = {d.id: d.title.get(snap.lang) for d in book.dimensions} if book else {}
        print(status_markdown(status, titles, snap.lang, dims), end="")
    return 0


def _figure(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    text = fmt_number(round(value, 1), lang)
    return f"{text} {unit}".strip() if unit != "%" else f"{text}\u00a0%"


def status_markdown(
    status: dict[str, Any],
    steps: dict[str, tuple[str, date]],
    lang: str,
    dimensions: dict[str, str] | None = None,
) -> str:
    """The `status` report as Markdown in `lang` (step titles and dimension titles by id)."""
    dimensions = dimensions or {}
    lines = [
        "# " + t("tracking.md.title", lang, name=status["profile"], week=status["evaluated_week"]),
        "",
    ]
    if not status["goals"]:
        lines += [t("tracking.md.no_goals", lang), ""]
    else:
        header = [t(f"tracking.md.col.{c}", lang) for c in ("goal", "target", "actual", "status")]
        header += [t(f"tracking.md.col.{c}", lang) for c in ("grade", "streak", "trend")]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for g in status["goals"]:
            sign = "≤" if g["direction"] == "at_most" else "≥"
            row = [
                g["title"],
                f"{sign} {_figure(g['target'], g['unit'], lang)}",
                _figure(g["actual"], g["unit"], lang),
                t(f"tracking.status.{g['status']}", lang),
                "—" if g["grade"] is None else fmt_number(g["grade"], lang, digits=2),
                t("tracking.md.weeks", lang, count=g["streak"]),
                t(f"tracking.trend.{g['trend']}", lang),
            ]
            lines.append("| " + " | ".join(row) + " |")
        lines += ["", t("tracking.md.legend", lang), ""]
    lines += _plan_lines(status["plan_completion"], steps, lang)
    delta = status.get("assessment_delta")
    if delta:
        lines += ["## " + t("tracking.md.delta_title", lang), ""]
        for dim, change in delta.items():
            text = ("+" if change > 0 else "") + fmt_number(change, lang)
            name = dimensions.get(dim, dim)
            lines.append(f"- {name} : {text}" if lang == "fr" else f"- {name}: {text}")
        lines.append("")
    return "\n".join(lines)


def _plan_lines(pc: dict[str, Any], steps: dict[str, tuple[str, date]], lang: str) -> list[str]:
    lines = ["## " + t("tracking.md.plan_title", lang), ""]
    if not pc["steps_total"] and not pc["steps_skipped"]:
        return [*lines, t("tracking.md.no_plan", lang), ""]
    lines.append(
        t(
            "tracking.md.plan_steps",
            lang,
            done=pc["steps_done"],
            total=pc["steps_total"],
            percent=fmt_number(pc["steps_percent"], lang),
            doing=pc["steps_doing"],
            due=pc["steps_due"],
        )
    )
    lines.append(
        t(
            "tracking.md.plan_effort",
            lang,
            done=fmt_number(pc["effort_done_hours"], lang),
            total=fmt_number(pc["effort_total_hours"], lang),
            percent=fmt_number(pc["effort_percent"], lang),
        )
    )
    if pc["late"]:
        lines += ["", t("tracking.md.late", lang, count=len(pc["late"]))]
        for step_id in pc["late"]:
            title, due = steps.get(step_id, (step_id, None))
            lines.append(t("tracking.md.late_step", lang, title=title, due=due or "—"))
    return [*lines, ""]


def cmd_profile_create(args: argparse.Namespace) -> int:
    options: dict[str, Any] = {"language": args.language or args.lang}
    if args.timezone:
        # Checked before the store reads today's date in that zone.
        options["timezone"] = check_timezone(args.timezone)
    if args.hours_per_week is not None:
        options["hours_per_week"] = args.hours_per_week
    if args.start:
        options["start_date"] = args.start
    if args.playbook:
        options["playbook_id"] = args.playbook
    options["regulated_sector"] = bool(args.regulated)
    with _store(args) as store:
        service.check_name_free(store, check_name(args.name))  # "marie" when "Marie" exists
        profile = service.create_profile(store, args.name, **options)
    print(t("tracking.cli.profile_created", args.lang, name=profile.name))
    return 0


def cmd_profile_set(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    for option, field in (
        ("rename", "new_name"),
        ("language", "language"),
        ("timezone", "timezone"),
        ("hours_per_week", "hours_per_week"),
        ("start", "start_date"),
        ("playbook", "playbook_id"),
        ("regulated", "regulated_sector"),
    ):
        if getattr(args, option) is not None:
            changes[field] = getattr(args, option)
    if not changes:
        raise InvalidInput("tracking.cli.nothing_to_change")
    with _store(args) as store:
        if "new_name" in changes:
            found = store.get_profile(args.name)
            service.check_name_free(store, check_name(changes["new_name"]), keep=found)
        change = service.change_profile(store, args.name, **changes)
    print(t("tracking.cli.profile_updated", args.lang, name=change.profile.name))
    if change.rescheduled:
        print(t("tracking.cli.plan_rescheduled", args.lang))
    return 0


def cmd_profile_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        profiles = store.list_profiles()
    if not profiles:
        print(t("tracking.cli.no_profiles", args.lang))
        return 0
    for p in profiles:
        print(
            t(
                "tracking.cli.profile_line",
                args.lang,
                name=p.name,
                language=p.language,
                timezone=p.timezone,
                hours=fmt_number(p.hours_per_week, args.lang),
                start=p.start_date.isoformat(),
            )
        )
    return 0


def cmd_profile_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        doc = service.export_profile(store, args.name)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    path = Path(args.output)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)  # a reader never sees half a file
    except OSError as err:
        raise InvalidInput(
            "tracking.cli.cannot_write", path=str(path), error=os_reason(err, args.lang)
        ) from None
    print(t("tracking.cli.exported", args.lang, name=args.name, path=str(path)), file=sys.stderr)
    return 0


def cmd_profile_import(args: argparse.Namespace) -> int:
    from coach.store.transfer import MAX_DOCUMENT_BYTES

    try:
        with open(args.file, "rb") as handle:
            # One byte over the bound is enough to refuse: a 100 MB file is never read whole.
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
            size = max(len(data), os.fstat(handle.fileno()).st_size)
    except OSError as err:
        raise InvalidInput(
            "tracking.cli.cannot_read", path=args.file, error=os_reason(err, args.lang)
        ) from None
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            "importers.profile.too_big",
            file=args.file,
            size=fmt_number(round(size / 1024 / 1024, 1), args.lang),
            max=MAX_DOCUMENT_BYTES // 1024 // 1024,
        )
    with _store(args) as store:
        profile = service.import_profile(store, data, replace=args.replace, file=args.file)
    print(t("tracking.cli.imported", args.lang, name=profile.name))
    return 0


def cmd_profile_delete(args: argparse.Namespace) -> int:
    with _store(args) as store:
        service.delete_profile(store, args.name)
    print(t("tracking.cli.deleted", args.lang, name=args.name))
    return 0
