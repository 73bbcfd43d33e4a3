"""Results / Résultats: score and level per dimension and overall, strengths, gaps, change."""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach import scoring
from coach.i18n import fmt_number, t
from coach.model import AssessmentResult, Playbook
from coach.records import StoredAssessment
from coach.ui import charts, components, state


def render() -> None:
    lang = state.lang()
    st.title(t("ui.results.title", lang))  # the title first, even without a profile
    profile = components.require_profile(lang)
    snap = state.snapshot(profile, lang)
    if snap.latest is None:
        st.info(t("ui.results.none", lang), icon=":material/checklist:")
        components.next_action(
            "assessment", "ui.home.start_link", lang, icon=":material/play_arrow:"
        )
        return
    # the snapshot holds the playbook when it loads; otherwise say why and stop
    book = snap.playbook or components.playbook_or_stop(profile, lang)
    latest, previous = snap.latest, snap.previous
    result = latest.result
    delta = scoring.compare(previous.result if previous else None, result)
    st.caption(
        t(
            "ui.results.taken",
            lang,
            date=components.day(latest.taken_at.date(), lang),
            playbook=book.title.get(lang),
            version=latest.playbook_version,
        )
    )
    if snap.stored is not None:
        components.next_action("plan", "ui.results.to_plan", lang, icon=":material/route:")
    components.diagnosis_line(snap.plan, lang)
    overall(book, result, delta, lang)
    by_dimension(book, result, delta, lang)
    strengths_and_gaps(book, result, lang)
    change(book, previous, delta, lang)


def overall(book: Playbook, result: AssessmentResult, delta: dict[str, Any], lang: str) -> None:
    if result.overall_score is None:
        st.warning(t("ui.results.no_overall", lang))
        return
    level = book.level(result.overall_level or 1)
    left, right = st.columns([1, 2])
    with left:
        st.metric(
            t("ui.results.overall", lang),
            t("ui.results.score_value", lang, score=round(result.overall_score)),
            delta=_points(delta.get("overall"), lang),
        )
    with right:
        st.markdown(
            t(
                "ui.results.overall_level",
                lang,
                level=level.level,
                top=_top(book),
                name=level.name.get(lang),
            )
        )
        st.caption(level.description.get(lang))
        st.caption(t("ui.results.coverage", lang, percent=round(100 * result.coverage)))
    levels_explained(book, result.overall_level, lang)


def _top(book: Playbook) -> int:
    return max(lv.level for lv in book.levels)


def levels_explained(book: Playbook, reached: int | None, lang: str) -> None:
    """The five levels by name, each with the score it starts at; the one reached in bold."""
    with st.expander(t("ui.results.levels_title", lang, top=_top(book))):
        for lv in sorted(book.levels, key=lambda lv: lv.level):
            line = t(
                "ui.results.level_line",
                lang,
                level=lv.level,
                name=lv.name.get(lang),
                score=round(lv.min_score),
            )
            st.markdown(f"**{line}**" if lv.level == reached else line)
            st.caption(lv.description.get(lang))


def _points(value: float | None, lang: str) -> str | None:
    if value is None:
        return None
    return t("ui.results.points", lang, value=("+" if value > 0 else "") + fmt_number(value, lang))


def _next_threshold(book: Playbook, level: int | None) -> float | None:
    if level is None or level >= max(lv.level for lv in book.levels):
        return None
    return book.level(level + 1).min_score


def _next_label(book: Playbook, level: int | None, lang: str) -> str:
    threshold = _next_threshold(book, level)
    if threshold is None or level is None:
        return ""
    return t("ui.results.next_tick", lang, level=level + 1, score=round(threshold))


def by_dimension(
    book: Playbook, result: AssessmentResult, delta: dict[str, Any], lang: str
) -> None:
    st.subheader(t("ui.results.by_dimension", lang))
    rows: list[charts.DimensionRow] = []
    table: list[dict[str, Any]] = []
    for dim in book.dimensions:
        scored = result.score_of(dim.id)
        if scored is None or scored.score is None:
            table.append(
                {
                    t("ui.results.col_dimension", lang): dim.title.get(lang),
                    t("ui.results.col_score", lang): None,
                    t("ui.results.col_level", lang): t("ui.results.not_scored", lang),
                    t("ui.results.col_change", lang): "—",
                    t("ui.results.col_answered", lang): f"{scored.answered}/{scored.visible}"
                    if scored
                    else "—",
                }
            )
            continue
        name = book.level(scored.level or 1).name.get(lang)
        rows.append(
            (
                dim.title.get(lang),
                scored.score,
                t("ui.results.level_of", lang, level=scored.level, top=_top(book), name=name),
                _next_threshold(book, scored.level),
                t("ui.results.bar_label", lang, score=round(scored.score), level=scored.level),
                _next_label(book, scored.level, lang),
            )
        )
        table.append(
            {
                t("ui.results.col_dimension", lang): dim.title.get(lang),
                t("ui.results.col_score", lang): round(scored.score),
                t("ui.results.col_level", lang): t(
                    "ui.results.level_of", lang, level=scored.level, top=_top(book), name=name
                ),
                t("ui.results.col_change", lang): _points(delta.get(dim.id), lang) or "—",
                t("ui.results.col_answered", lang): f"{scored.answered}/{scored.visible}",
            }
        )
    if not rows:
        st.info(t("ui.results.no_scores", lang))
        return
    charts.draw(
        charts.dimension_scores, tuple(rows), lang, alt_text=t("ui.results.chart_alt", lang)
    )
    st.caption(t("ui.results.chart_help", lang))
    components.wide_or_stacked(table, lang, "results-table")  # a phone: a block per area


def strengths_and_gaps(book: Playbook, result: AssessmentResult, lang: str) -> None:
    words = scoring.describe(book, result, lang)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("ui.results.strengths", lang))
        for line in words["strengths"]:
            st.markdown(f"- {line}")
    with right:
        st.subheader(t("ui.results.gaps", lang))
        for line in words["gaps"]:
            st.markdown(f"- {line}")


def change(
    book: Playbook, previous: StoredAssessment | None, delta: dict[str, Any], lang: str
) -> None:
    st.subheader(t("ui.results.change", lang))
    if previous is None:
        st.caption(t("ui.results.first", lang))
        return
    st.markdown(t("ui.results.since", lang, date=components.day(previous.taken_at.date(), lang)))
    moves = sorted(
        ((d, v) for d, v in delta.items() if d != "overall" and v is not None),
        key=lambda item: -abs(item[1]),
    )
    shown = [(d, v) for d, v in moves if abs(v) >= 1]
    if not shown:
        st.markdown(t("ui.results.no_change", lang))
        return
    for dim_id, value in shown:
        key = "ui.results.up" if value > 0 else "ui.results.down"
        title = (
            book.dimension(dim_id).title.get(lang)
            if any(d.id == dim_id for d in book.dimensions)
            else dim_id
        )
        st.markdown(f"- {t(key, lang, dimension=title, points=fmt_number(abs(value), lang))}")


if __name__ == "__main__":
    render()
