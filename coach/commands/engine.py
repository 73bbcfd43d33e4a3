"""CLI: validate, assess, plan, schema."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coach import service
from coach.commands.argerrors import current_lang, help_text
from coach.commands.arguments import date_argument
from coach.conditions import FACTS
from coach.errors import InvalidInput
from coach.i18n import t, tp
from coach.planner import plan_to_dict
from coach.playbook import default_playbook_path, json_schema, load_playbook, validate_file
from coach.scoring import result_to_dict
from coach.textreport import assessment_markdown, plan_markdown
from coach.yamlsafe import YamlProblem, load_file

_h = help_text  # a help text in the language of the command line (--lang, else the environment)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], parent: argparse.ArgumentParser
) -> None:
    """Add validate, assess, plan and schema."""
    p = sub.add_parser("validate", parents=[parent], help=_h("validate"))
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_validate)

    for name, func, helptext in (
        ("assess", cmd_assess, _h("assess")),
        ("plan", cmd_plan, _h("plan")),
    ):
        p = sub.add_parser(name, parents=[parent], help=helptext)
        p.add_argument(
            "--playbook",
            default=str(default_playbook_path()),
            help=_h("playbook_file"),
        )
        p.add_argument("--answers", required=True, help=_h("answers"))
        p.add_argument("--format", choices=["json", "md"], default="md")
        if name == "plan":
            p.add_argument(
                "--start",
                type=_date,
                default=None,
                help=_h("start_today"),
            )
            p.add_argument(
                "--hours-per-week",
                type=_hours,
                default=None,
                help=_h("hours"),
            )
        p.set_defaults(func=func)

    p = sub.add_parser("schema", parents=[parent], help=_h("schema"))
    p.set_defaults(func=cmd_schema)


_date = date_argument("engine.cli.bad_date")


def _hours(value: str) -> float:
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(
            t("engine.cli.hours_not_number", current_lang(), value=value)
        ) from None


def _not_a_folder(path: str) -> None:
    """A folder where a file is expected: say so (reading it would fail with an OS error)."""
    if Path(path).is_dir():
        raise InvalidInput("engine.cli.is_folder", path=path)


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        _not_a_folder(path)
        problems = validate_file(path)
        if problems:
            failed += 1
            for problem in problems:
                print(problem.render(args.lang))
            print(tp("engine.cli.invalid_summary", args.lang, len(problems)), file=sys.stderr)
        else:
            pb = load_playbook(path)
            print(
                t(
                    "engine.cli.valid",
                    args.lang,
                    path=path,
                    dimensions=len(pb.dimensions),
                    questions=len(pb.questions),
                    actions=len(pb.actions),
                    goals=len(pb.goals),
                )
            )
    return 1 if failed else 0


def read_answers(path: str, lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Answers and facts from a YAML/JSON file: a flat mapping, or {answers:, facts:}."""
    _not_a_folder(path)
    try:
        doc, _ = load_file(path)
    except YamlProblem as err:
        # The reader's words for "empty" and "too big" speak of playbooks; these speak of answers.
        key = {"yaml.empty": "engine.cli.answers_empty", "yaml.too_big": "engine.cli.answers_big"}
        detail = t(key.get(err.key, "engine.problem." + err.key), lang, **err.params)
        raise InvalidInput(
            "engine.cli.answers_unreadable", path=path, line=err.line, detail=detail
        ) from None
    if not isinstance(doc, dict):
        raise InvalidInput("engine.cli.answers_shape", path=path)
    if "answers" in doc or "facts" in doc:
        answers, facts = doc.get("answers"), doc.get("facts") or {}
    else:
        answers, facts = doc, {}
    if not isinstance(answers, dict) or not isinstance(facts, dict):
        raise InvalidInput("engine.cli.answers_shape", path=path)
    _check_facts(path, facts)
    return _plain(answers), _plain(facts)


def _check_facts(path: str, facts: dict[str, Any]) -> None:
    """Only the facts conditions know, each of the right kind (hours are checked by the planner)."""
    for name in facts:
        if name not in FACTS:
            raise InvalidInput("engine.cli.unknown_fact", path=path, name=name)
    regulated = facts.get("regulated_sector", False)
    if not isinstance(regulated, bool):
        raise InvalidInput("engine.cli.regulated_not_bool", path=path, value=regulated)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _scored(args: argparse.Namespace) -> service.Assessed:
    _not_a_folder(args.playbook)
    answers, facts = read_answers(args.answers, args.lang)
    assessed = service.assess_answers(args.playbook, answers, facts)
    for problem in assessed.problems:
        print(
            t(
                "engine.cli.answer_line",
                args.lang,
                path=args.answers,
                message=problem.message(args.lang),
            ),
            file=sys.stderr,
        )
    return assessed


def cmd_assess(args: argparse.Namespace) -> int:
    assessed = _scored(args)
    if assessed.result is None:
        return 1
    markdown = assessment_markdown(assessed.playbook, assessed.result, args.lang)
    _print(args, result_to_dict(assessed.result), markdown)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    assessed = _scored(args)
    plan = service.plan_from_answers(assessed, args.lang, args.start, args.hours_per_week)
    if plan is None:
        return 1
    _print(args, plan_to_dict(plan), plan_markdown(assessed.playbook, plan, args.lang))
    return 0


def _print(args: argparse.Namespace, data: dict[str, Any], markdown: str) -> None:
    """The result as JSON (`--format json`) or as the Markdown text."""
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(markdown, end="")


def cmd_schema(_args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def schema_path() -> Path:
    return Path(__file__).resolve().parents[2] / "playbooks" / "playbook.schema.json"
