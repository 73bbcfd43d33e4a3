"""Assessment results and plans as Markdown, in the manager's language (CLI output)."""

from __future__ import annotations

from datetime import date

from coach.i18n import fmt_number, t
from coach.model import AssessmentResult, Plan, PlanGoal, Playbook
from coach.planner import occurrences, quote_titles
from coach.scoring import describe
from coach.typography import typeset


def md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def assessment_markdown(playbook: Playbook, result: AssessmentResult, lang: str) -> str:
    lines = [f"# {t('engine.md.assessment_title', lang, title=playbook.title.get(lang))}", ""]
    if result.overall_score is None or result.overall_level is None:
        lines.append(t("engine.md.overall_none", lang))
    else:
        name = playbook.level(result.overall_level).name.get(lang)
        lines.append(
            t(
                "engine.md.overall",
                lang,
                score=fmt_number(result.overall_score, lang),
                level=result.overall_level,
                name=name,
            )
        )
    lines += [t("engine.md.coverage", lang, percent=round(result.coverage * 100)), ""]
    words = describe(playbook, result, lang)
    lines += [f"> {caveat}" for caveat in words.get("caveat", [])]
    if "caveat" in words:
        lines.append("")
    head = [t(f"engine.md.{k}", lang) for k in ("dimension", "score", "level", "answered")]
    lines += ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|"]
    for dim in result.dimensions:
        title = playbook.dimension(dim.dimension).title.get(lang)
        score = "—" if dim.score is None else fmt_number(dim.score, lang)
        level = (
            "—"
            if dim.level is None
            else f"{dim.level} ({playbook.level(dim.level).name.get(lang)})"
        )
        lines.append(
            f"| {md_cell(title)} | {score} | {md_cell(level)} | {dim.answered}/{dim.visible} |"
        )
    for key in ("strengths", "gaps"):
        lines += ["", f"## {t('engine.md.' + key, lang)}", ""]
        lines += [f"- {s}" for s in words[key]]
    return "\n".join(lines) + "\n"


def long_date(day: date, lang: str) -> str:
    """'5 janvier 2026' (« 1er » for the first) or 'January 5, 2026'."""
    month = t(f"engine.month.{day.month}", lang)
    if lang == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first}\u00a0{month} {day.year}"
    return f"{month}\u00a0{day.day}, {day.year}"


def date_range(first: date, last: date, lang: str) -> str:
    """'du 5 au 11 janvier 2026' or 'January 5 to 11, 2026': the year and month said once."""
    if lang == "fr":
        if (first.year, first.month) == (last.year, last.month):
            start = "1er" if first.day == 1 else str(first.day)
        elif first.year == last.year:
            start = long_date(first, lang).rsplit(" ", 1)[0]
        else:
            start = long_date(first, lang)
        return f"du {start} au {long_date(last, lang)}"
    if (first.year, first.month) == (last.year, last.month):
        month = t(f"engine.month.{first.month}", lang)
        return f"{month}\u00a0{first.day} to {last.day}, {last.year}"
    if first.year == last.year:
        return f"{long_date(first, lang).rsplit(',', 1)[0]} to {long_date(last, lang)}"
    return f"{long_date(first, lang)} to {long_date(last, lang)}"


def after_colon(text: str, lang: str) -> str:
    """French puts a small letter after a colon: « Pourquoi : parce que… » (not « LinkedIn »)."""
    if lang == "fr" and len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _label(key: str, lang: str) -> str:
    """'Why:' in English, « Pourquoi : » in French (a non-breaking space before the colon)."""
    return typeset(f"{t('engine.md.' + key, lang)}{' :' if lang == 'fr' else ':'}", lang)


def goal_phrase(goal: PlanGoal, lang: str) -> str:
    if goal.direction == "between":
        return t(
            "engine.md.between",
            lang,
            low=fmt_number(goal.low, lang),
            high=fmt_number(goal.high, lang),
        )
    return t(f"engine.md.{goal.direction}", lang, target=fmt_number(goal.target, lang))


def plan_markdown(playbook: Playbook, plan: Plan, lang: str) -> str:
    hours = fmt_number(plan.hours_per_week, lang)
    lines = [
        f"# {t('engine.md.plan_title', lang, title=playbook.title.get(lang))}",
        "",
        t("engine.md.plan_intro", lang, start=long_date(plan.start, lang), hours=hours),
        "",
    ]
    if plan.diagnosis is not None:
        lines += [f"## {t('engine.md.diagnosis', lang)}", "", f"**{plan.diagnosis.title}**", ""]
        lines += [" ".join(plan.diagnosis.why), ""]
    if not plan.steps:
        return "\n".join([*lines, t("engine.md.no_steps", lang)]) + "\n"
    if plan.load:
        peak = max(hours for _, hours in plan.load)
        lines += [t("engine.md.peak_load", lang, hours=fmt_number(peak, lang)), ""]
    for key, ids in (("left_out", plan.left_out), ("later", plan.later)):
        names = [a.title.get(lang) for aid in ids if (a := playbook.action(aid)) is not None]
        if names:
            weeks = playbook.pacing.max_plan_weeks or 0
            lines += [
                t(f"engine.md.{key}", lang, steps=quote_titles(names, lang), weeks=weeks),
                "",
            ]
    steps = {s.id: s for s in plan.steps}
    lines += [f"## {t('engine.md.where_to_start', lang)}", ""]
    for index, step_id in enumerate(plan.where_to_start, 1):
        step = steps[step_id]
        lines.append(f"{index}. **{step.title}** ({date_range(step.start, step.due, lang)})")
    if plan.this_week is not None:  # None once every step is done
        this_week = steps[plan.this_week]
        lines += ["", f"## {t('engine.md.this_week', lang)}", "", f"**{this_week.title}**", ""]
        lines += [f"{_label('starter', lang)} {after_colon(this_week.starter, lang)}", ""]
    else:
        lines.append("")
    lines += [f"## {t('engine.md.goals', lang)}", ""]
    head = ("goal", "target", "unit", "baseline", "starts")
    lines += [
        "| " + " | ".join(t(f"engine.md.{k}", lang) for k in head) + " |",
        "|---|---|---|---|---|",
    ]
    for g in plan.goals:
        base = "—" if g.baseline is None else fmt_number(g.baseline, lang)
        starts = long_date(g.starts, lang) if g.starts else "—"
        lines.append(
            f"| {md_cell(g.title)} | {goal_phrase(g, lang)} | {md_cell(g.unit)} | {base} | {starts} |"
        )
    notes = [(g.title, g.why) for g in plan.goals if g.why]
    if notes:
        lines.append("")
        # Built from literals: the shared helper gives French its spaces (« Titre : … »).
        lines += [
            typeset(f"- **{md_cell(title)}**: " + after_colon(" ".join(why), lang), lang)
            for title, why in notes
        ]
    current = None
    for step in plan.steps:
        if step.phase != current:
            current = step.phase
            lines += ["", f"## {t('engine.phase.' + step.phase, lang)}"]
        effort = t("engine.md.hours_short", lang, hours=fmt_number(step.effort_hours, lang))
        lines += ["", f"### {step.title}", ""]
        lines.append(
            f"- {_label('dates', lang)} {date_range(step.start, step.due, lang)}"
            f" · {_label('effort', lang)} {effort}"
        )
        if step.kind == "habit":
            first = occurrences(step, step.due)
            line = t(
                "engine.md.habit_line",
                lang,
                hours=fmt_number(step.hours_per_week, lang, digits=2),
                first=long_date(first[0] if first else step.start, lang),
            )
            lines.append(f"- {_label('habit', lang)} {line} (`{step.recurrence}`)")
        if step.depends_on:
            titles = ", ".join(steps[d].title for d in step.depends_on if d in steps)
            lines.append(f"- {_label('depends_on', lang)} {titles}")
        lines.append(f"- {_label('why', lang)} " + after_colon(" ".join(step.why), lang))
        lines.append(f"- {_label('how', lang)}")
        lines += [f"  {n}. {h}" for n, h in enumerate(step.how, 1)]
    return "\n".join(lines) + "\n"
