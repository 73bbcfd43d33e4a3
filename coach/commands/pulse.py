"""CLI: the perception pulse (`python -m coach pulse open|close|import FILE|results`).

Every subcommand is one call to the application layer; results never show a
figure of a round under its threshold (`results --format json` prints null there).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from coach import service
from coach.commands.argerrors import current_lang
from coach.commands.oserrors import os_reason
from coach.errors import InvalidInput
from coach.i18n import fmt_number, t

if TYPE_CHECKING:
    from coach.pulse import Pulse, RoundSummary

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
MAX_FILE_BYTES = 5 * 1024 * 1024 + 1  # read one byte past the forms cap so it is refused


def register(sub: Subparsers, parent: argparse.ArgumentParser) -> None:
    """Add `pulse open|close|import|results`."""
    lang = current_lang()
    p = sub.add_parser("pulse", help=t("pulse.cli.help", lang))
    actions = p.add_subparsers(dest="pulse_action", required=True, metavar="ACTION")

    def add(name: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, parents=[parent], help=t(f"pulse.cli.{name}", lang))
        a.add_argument(
            "--profile", required=True, metavar="NAME", help=t("pulse.cli.profile", lang)
        )
        return a

    o = add("open")
    o.add_argument("--days", type=int, default=14, help=t("pulse.cli.days", lang))
    o.add_argument("--url", default="", help=t("pulse.cli.url", lang))
    o.set_defaults(func=cmd_open)
    add("close").set_defaults(func=cmd_close)
    i = add("import")
    i.add_argument("file", metavar="FILE", help=t("pulse.cli.file", lang))
    i.set_defaults(func=cmd_import)
    r = add("results")
    r.add_argument("--format", choices=["md", "json"], default="md")
    r.set_defaults(func=cmd_results)


def _store(args: argparse.Namespace) -> Any:
    from coach.store import Store

    return Store(args.db)


def cmd_open(args: argparse.Namespace) -> int:
    with _store(args) as store:
        opened = service.open_pulse(store, args.profile, args.days, args.url)
    lang = args.lang
    print(t("pulse.cli.opened", lang, day=opened.round.expires.isoformat()))
    print(opened.url)
    print(t("pulse.cli.once", lang))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    with _store(args) as store:
        summary = service.close_pulse(store, args.profile)
        pulses = service.pulse_results(store, args.profile).pulses
    if summary is None:
        print(t("pulse.cli.none_open", args.lang))
        return 1
    print(t("pulse.cli.closed", args.lang))
    print(_round_lines(summary, pulses.get(summary.round_id), args.lang, args.profile), end="")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        with Path(args.file).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES)
    except OSError as err:
        raise InvalidInput(
            "pulse.cli.unreadable", path=args.file, reason=os_reason(err, lang)
        ) from None
    with _store(args) as store:
        imported = service.import_pulse(store, args.profile, data)
        summary = service.apply_pulse_import(store, args.profile, imported)
        pulses = service.pulse_results(store, args.profile).pulses
    print(
        t(
            "pulse.cli.imported",
            lang,
            count=fmt_number(len(imported.answers), lang),
            format=imported.format,
        )
    )
    if imported.dropped_columns:
        print(t("pulse.cli.dropped", lang, columns=", ".join(imported.dropped_columns)))
    print(_round_lines(summary, pulses.get(summary.round_id), lang, args.profile), end="")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    lang = args.lang
    with _store(args) as store:
        if args.format == "json":
            print(json.dumps(service.pulse_results_json(store, args.profile), indent=2))
            return 0
        results = service.pulse_results(store, args.profile)
    if not results.summaries:
        print(t("pulse.cli.no_rounds", lang))
        return 0
    for summary in results.summaries:
        print(_round_lines(summary, results.pulses.get(summary.round_id), lang, args.profile))
    return 0


def _round_lines(summary: RoundSummary, pulse: Pulse | None, lang: str, manager: str) -> str:
    """A round in Markdown: its dates, count and score, or why nothing shows (never a comment)."""
    from coach.pulse.results import summary_sentences

    closed = summary.closed.isoformat() if summary.closed else t("pulse.cli.still_open", lang)
    lines = [
        f"## {t('pulse.cli.round', lang, opened=summary.opened.isoformat(), closed=closed)}",
        "",
    ]
    lines += [f"{s}  " for s in summary_sentences(summary, lang)]
    if summary.shown and summary.score is not None:
        lines.append(t("pulse.cli.score", lang, score=fmt_number(summary.score, lang)))
        lines.append("")

        def title(item_id: str) -> str:
            question = pulse.question(item_id) if pulse else None
            return question.render(lang, manager) if question else item_id

        for item in summary.items:
            mean = "—" if item.mean is None else fmt_number(item.mean, lang)
            lines.append(f"- {title(item.id)} — {mean} / 5")
        if summary.weakest:
            lines.append("")
            lines.append(t("pulse.cli.weakest", lang, item=title(summary.weakest)))
    return "\n".join(lines) + "\n"
