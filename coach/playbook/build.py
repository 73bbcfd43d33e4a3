"""The typed `Playbook` built from a document that passed the checks.

Every text is built here, once, with the French OQLF spacing (`_required_text`).
"""

from __future__ import annotations

from typing import Any

from coach.model import (
    Action,
    Band,
    Baseline,
    BoardAsk,
    Ceiling,
    DiagnosisRule,
    Dimension,
    Goal,
    GoalSetting,
    HoursLimit,
    Level,
    Option,
    Pacing,
    Playbook,
    Question,
    Resource,
    SequenceRule,
    Source,
    Text,
)
from coach.playbook.coaching import action_tags, resolve
from coach.playbook.sections import build_sections
from coach.playbook.structure import is_number
from coach.typography import typeset
from coach.yamlsafe import Map, plain


def _text(value: Any) -> Text | None:
    """An optional text: None when the playbook leaves it out."""
    return _required_text(value) if isinstance(value, dict) else None


def _required_text(value: Any) -> Text:
    """A text the checks have made sure is there, in both languages.

    The one place playbook texts are built: French gets the OQLF spacing here (a
    non-breaking space before the colon and inside « », none before ? ! ;), so plans,
    pages and exports show it whatever the playbook's author typed.
    """
    return Text(fr=typeset(value["fr"], "fr"), en=value["en"])


def _num(value: Any) -> float | None:
    return float(value) if is_number(value) else None


def _build_question(q: Map) -> Question:
    return Question(
        id=q["id"],
        dimension=q["dimension"],
        type=q["type"],
        text=_required_text(q["text"]),
        help=_text(q.get("help")),
        options=tuple(
            Option(
                id=o["id"],
                label=_required_text(o["label"]),
                score=float(o.get("score", 0.0)),
                reason=_text(o.get("reason")),
            )
            for o in q.get("options") or []
        ),
        show_if=plain(q.get("show_if")),
        weight=float(q.get("weight", 1.0)),
        unit=_text(q.get("unit")),
        min=_num(q.get("min")),
        max=_num(q.get("max")),
        bands=tuple(
            Band(score=float(b["score"]), min=_num(b.get("min")), max=_num(b.get("max")))
            for b in q.get("bands") or []
        ),
        scale_labels=tuple(_required_text(x) for x in q.get("scale_labels") or []),
        reverse=bool(q.get("reverse", False)),
        score_yes=float(q.get("score_yes", 1.0)),
        score_no=float(q.get("score_no", 0.0)),
        reason_yes=_text(q.get("reason_yes")),
        reason_no=_text(q.get("reason_no")),
        line=q.line,
        counts=bool(q.get("scored", True)),
    )


def _build_action(a: Map) -> Action:
    return Action(
        id=a["id"],
        dimension=a["dimension"],
        level=int(a["level"]),
        title=_required_text(a["title"]),
        why=_required_text(a["why"]),
        how=tuple(_required_text(h) for h in a["how"]),
        effort_hours=float(a["effort_hours"]),
        duration_weeks=int(a["duration_weeks"]),
        starter=_required_text(a["starter"]),
        depends_on=tuple(a.get("depends_on") or ()),
        when=plain(a.get("when")),
        unless=plain(a.get("unless")),
        quick_win=bool(a.get("quick_win", False)),
        sets_goals=tuple(
            GoalSetting(
                goal=s["goal"],
                target=_num(s.get("target")),
                delay_weeks=int(s.get("delay_weeks", 0)),
                from_end=bool(s.get("from_end", False)),
            )
            for s in a.get("sets_goals") or []
        ),
        resources=tuple(
            Resource(title=_required_text(r["title"]), url=str(r.get("url", "")))
            for r in a.get("resources") or []
        ),
        line=a.line,
        kind=a.get("kind", "once"),
        recurrence=a.get("recurrence"),
        habit_hours=float(a.get("habit_hours", 0.0)),
        tags=tuple(a.get("tags") or ()),
        replaces=tuple(a.get("replaces") or ()),
        opens=a.get("opens"),
    )


def _build_goal(g: Map) -> Goal:
    base, ceiling = g.get("baseline"), g.get("ceiling")
    return Goal(
        id=g["id"],
        title=_required_text(g["title"]),
        description=_required_text(g["description"]),
        metric=g["metric"],
        unit=_required_text(g["unit"]),
        direction=g["direction"],
        targets={int(k): float(v) for k, v in g["targets"].items()},
        dimension=g.get("dimension"),
        baseline=Baseline(
            base["question"], {str(k): float(v) for k, v in (base.get("values") or {}).items()}
        )
        if base
        else None,
        max_change=_num(g.get("max_change")),
        max_change_why=_text(g.get("max_change_why")),
        ceiling=Ceiling(
            float(ceiling["above"]),
            float(ceiling["low"]),
            float(ceiling["high"]),
            _required_text(ceiling["why"]),
        )
        if ceiling
        else None,
        hours_limits=tuple(
            HoursLimit(float(h["hours_below"]), float(h["target"]), _required_text(h["why"]))
            for h in g.get("hours_limits") or []
        ),
        only_with_step=bool(g.get("only_with_step", False)),
        quotes=g.get("quotes"),
        tracked_when=plain(g.get("tracked_when")),
    )


def _build_coaching(doc: Map) -> dict[str, Any]:
    """Diagnoses, sequence rules, pacing and board asks (all optional sections)."""
    actions = {a["id"]: a for a in doc["actions"]}
    tags = action_tags(actions)

    def ids(entries: list[Any]) -> tuple[str, ...]:
        found: list[str] = []
        for entry in entries:
            for aid in sorted(resolve(entry, actions, tags) or ()):
                if aid not in found:
                    found.append(aid)
        return tuple(found)

    pacing = doc.get("pacing") or {}
    defaults = Pacing()
    return {
        "diagnoses": tuple(
            DiagnosisRule(
                d["id"],
                d["dimension"],
                plain(d["when"]),
                _required_text(d["title"]),
                _required_text(d["why"]),
                tuple(d["actions"]),
                d.line,
            )
            for d in doc.get("diagnoses") or []
        ),
        "sequence": tuple(
            SequenceRule(
                r["id"],
                ids(r["first"]),
                ids(r["then"]),
                _required_text(r["why"]),
                r.line,
                plain(r.get("when")),
            )
            for r in doc.get("sequence") or []
        ),
        "pacing": Pacing(
            habit_gap_weeks=int(pacing.get("habit_gap_weeks", defaults.habit_gap_weeks)),
            habit_share=float(pacing.get("habit_share", defaults.habit_share)),
            first_month_limit=int(pacing["first_month_limit"])
            if "first_month_limit" in pacing
            else defaults.first_month_limit,
            first_month_hours=float(pacing.get("first_month_hours", defaults.first_month_hours)),
            why_gap=_text(pacing.get("why_gap")),
            why_first_month=_text(pacing.get("why_first_month")),
            quick_win_hours=float(pacing.get("quick_win_hours", defaults.quick_win_hours)),
            max_plan_weeks=int(pacing["max_plan_weeks"])
            if "max_plan_weeks" in pacing
            else defaults.max_plan_weeks,
        ),
        "board_asks": tuple(
            BoardAsk(
                b["id"],
                _required_text(b["text"]),
                _required_text(b["why"]),
                plain(b.get("when")),
                tuple(b.get("diagnoses") or ()),
                b.line,
            )
            for b in doc.get("board_asks") or []
        ),
    }


def build(doc: Map, path: str = "") -> Playbook:
    """Typed Playbook from a document that passed `check_document`."""
    return Playbook(
        id=doc["id"],
        version=str(doc["version"]),
        languages=tuple(doc["languages"]),
        title=_required_text(doc["title"]),
        description=_required_text(doc["description"]),
        levels=tuple(
            sorted(
                (
                    Level(
                        int(x["level"]),
                        _required_text(x["name"]),
                        _required_text(x["description"]),
                        float(x["min_score"]),
                    )
                    for x in doc["levels"]
                ),
                key=lambda lv: lv.level,
            )
        ),
        dimensions=tuple(
            Dimension(
                d["id"],
                _required_text(d["title"]),
                _required_text(d["description"]),
                float(d.get("weight", 1.0)),
            )
            for d in doc["dimensions"]
        ),
        questions=tuple(_build_question(q) for q in doc["questions"]),
        actions=tuple(_build_action(a) for a in doc["actions"]),
        goals=tuple(_build_goal(g) for g in doc["goals"]),
        sources=tuple(
            Source(
                s["id"],
                str(s["title"]),
                int(s["year"]),
                str(s.get("url", "")),
                _text(s.get("measured")),
            )
            for s in doc.get("sources") or []
        ),
        path=path,
        **_build_coaching(doc),
        **build_sections(doc, path),
    )
