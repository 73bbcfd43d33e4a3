"""Portfolio / Portefeuille: every executive at a glance, for an advisor who coaches several.

One row per profile (last check-in, goals at risk, late steps, level, trend), sortable by
any column, filterable, exportable as CSV; a row opens that profile. Rows come from the
service (`service.portfolio`), cached per store revision.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import streamlit as st

from coach import service
from coach.i18n import fmt_number, t
from coach.ui import components, state

ATTENTION = "portfolio.attention"
SEARCH = "portfolio.search"
SORT = "portfolio.sort"
SORTS = ("attention", "name", "last_checkin", "level")
TREND_WORDS = ("improving", "flat", "worsening", "no_data")


def render() -> None:
    lang = state.lang()
    st.title(t("ui.portfolio.title", lang))
    rows = state.portfolio(lang)
    if not rows:
        st.info(t("ui.portfolio.empty", lang), icon=":material/group_add:")
        components.new_profile_button(lang, "portfolio.new", primary=True)
        return
    st.caption(t("ui.portfolio.intro", lang))
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    if st.session_state.get(SORT) not in SORTS:  # new, or a label left by a language switch
        st.session_state[SORT] = SORTS[0]
    with middle:
        order = st.selectbox(
            t("ui.portfolio.sort", lang),
            SORTS,
            format_func=lambda key: t(f"ui.portfolio.sort_by.{key}", lang),
            key=SORT,
        )
    with left:
        query = st.text_input(
            t("ui.portfolio.search", lang),
            key=SEARCH,
            placeholder=t("ui.portfolio.search_placeholder", lang),
        )
    with right:
        attention = st.toggle(t("ui.portfolio.attention", lang), key=ATTENTION)
    shown = sorted((row for row in rows if _matches(row, query, attention)), key=SORT_KEYS[order])
    table = [table_row(row, lang) for row in shown]
    if table:
        components.wide_or_stacked(table, lang, "portfolio")  # a phone: a block per person
    else:
        st.info(t("ui.portfolio.none_match", lang))
    st.caption(components.tp("ui.portfolio.count", lang, len(shown), total=len(rows)))
    left, right = st.columns(2, vertical_alignment="bottom")
    with left:
        open_profile(shown, lang)
    with right:
        st.download_button(
            t("ui.portfolio.csv", lang),
            data=to_csv(table),
            file_name=f"portfolio-{state.today_utc().isoformat()}.csv",
            mime="text/csv",
            icon=":material/download:",
            key="portfolio.csv",
            disabled=not table,
        )


SORT_KEYS: dict[str, Any] = {
    # the most to worry about first: late steps, goals at risk, the longest silence
    "attention": lambda r: (
        -r.late_steps,
        -r.goals_at_risk,
        -_silence(r),
        r.name.casefold(),
    ),
    "name": lambda r: r.name.casefold(),
    "last_checkin": lambda r: (r.last_checkin or "", r.name.casefold()),  # oldest first
    "level": lambda r: (r.level or 0, r.name.casefold()),  # lowest first
}


def _silence(row: service.PortfolioRow) -> int:
    """Weeks without a check-in; a plan never checked in counts as long; no plan, not at all."""
    if row.weeks_since_checkin is not None:
        return row.weeks_since_checkin
    return 999 if row.has_plan else 0


def needs_attention(row: service.PortfolioRow) -> bool:
    """Late steps, goals at risk, or no check-in for two weeks or more."""
    silent = row.weeks_since_checkin is None or row.weeks_since_checkin >= 2
    return bool(row.late_steps or row.goals_at_risk or (row.has_plan and silent))


def _matches(row: service.PortfolioRow, query: str, attention: bool) -> bool:
    if (
        query
        and query.strip().casefold()
        not in row.name.casefold()
        + " "
        + (
            components.display_name(row.name, "fr") + " " + components.display_name(row.name, "en")
        ).casefold()
    ):
        return False
    return needs_attention(row) or not attention


def table_row(row: service.PortfolioRow, lang: str) -> dict[str, Any]:
    """The columns as the advisor reads them; numbers stay numbers so they sort."""

    def col(name: str) -> str:
        return t(f"ui.portfolio.col.{name}", lang)

    if row.last_checkin is None:
        last = t("ui.portfolio.never", lang)
    else:
        last = components.capitalised(components.week_label(row.last_checkin, lang))
    level = (
        t("ui.portfolio.level", lang, level=row.level, top=row.top_level or 5)
        if row.level is not None
        else "—"
    )
    change = "—"
    if row.score_change is not None:
        sign = "+" if row.score_change > 0 else ""
        change = t("ui.results.points", lang, value=sign + fmt_number(row.score_change, lang))
    since = "—" if row.weeks_since_checkin is None else row.weeks_since_checkin
    return {
        col("name"): components.display_name(row.name, lang),
        col("last_checkin"): last,
        col("weeks_since"): since,
        col("goals_at_risk"): row.goals_at_risk,
        col("late_steps"): row.late_steps,
        col("level"): level,
        col("score_change"): change,
        col("trend"): t(f"ui.trend.{row.trend}", lang),
    }


def to_csv(table: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheets open accents right); a cell that a
    spreadsheet would run as a formula starts with an apostrophe."""
    out = io.StringIO()
    if table:
        writer = csv.DictWriter(out, fieldnames=list(table[0]))
        writer.writeheader()
        for row in table:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def open_profile(rows: list[service.PortfolioRow], lang: str) -> None:
    """Pick one executive and open their Home."""
    if not rows:
        return
    ids = [row.profile_id for row in rows]
    names = {row.profile_id: components.display_name(row.name, lang) for row in rows}
    current = state.profile()
    if st.session_state.get("portfolio.pick") not in ids:
        st.session_state["portfolio.pick"] = current.id if current and current.id in ids else ids[0]
    st.selectbox(
        t("ui.portfolio.pick", lang),
        ids,
        format_func=lambda pid: names.get(pid, str(pid)),
        key="portfolio.pick",
    )
    if st.button(
        t("ui.portfolio.open", lang),
        key="portfolio.open",
        type="primary",
        icon=":material/open_in_new:",
    ):
        chosen = state.store().get_profile(st.session_state["portfolio.pick"])
        state.select_profile(chosen)
        components.go("home")


if __name__ == "__main__":
    render()
