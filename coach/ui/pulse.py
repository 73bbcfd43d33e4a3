"""Team pulse / Sondage d'équipe: open or close a round, share its link, read what may be shown.

Everything comes from `service.pulse_results`: a round under its threshold shows
its count and the waiting sentence, nothing else. Comments are listed apart,
under their own heading, in a fresh random order at every view.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from coach import service
from coach.errors import CoachError
from coach.i18n import fmt_number, t
from coach.profile import Profile
from coach.pulse import Pulse, RoundSummary
from coach.pulse.results import summary_sentences
from coach.ui import components, state
from coach.ui.employee import inert

LINK = "pulse.link"  # (profile id, url) of the link just made: shown once
PREVIEW = "pulse.preview"  # (profile id, file name, ImportedPulse)
UPLOADS = "pulse.uploads"  # bumped after an import so the upload box starts empty
MIN_DAYS, MAX_DAYS = 1, 90


def render() -> None:
    lang = state.lang()
    profile = components.require_profile(lang)
    st.title(t("pulse.manage.title", lang))
    book = state.playbook_or_none(profile)
    pulse = getattr(book, "pulse", None)
    if pulse is None:
        st.info(t("pulse.manage.no_pulse", lang), icon=":material/info:")
        return
    st.caption(t("pulse.manage.intro", lang, threshold=pulse.threshold))
    try:
        results = service.pulse_results(state.store(), profile)
    except CoachError as err:
        components.show_error(err, lang)
        return
    round_section(profile, results, lang)
    latest = results.latest_shown
    if latest is not None:
        latest_section(profile, latest, results, lang)
    rounds_section(results, lang)
    import_section(profile, lang)


def _base_url() -> str:
    url = getattr(st.context, "url", None)
    return str(url) if url else ""


def round_section(profile: Profile, results: service.PulseResults, lang: str) -> None:
    shown = st.session_state.get(LINK)
    if shown and shown[0] == profile.id:
        st.success(t("pulse.manage.opened", lang, day=components.day(shown[2], lang)))
        st.code(shown[1], language=None, wrap_lines=True)
    current = results.open_round
    if current is not None:
        with st.container(border=True):
            st.markdown(
                t(
                    "pulse.manage.in_progress",
                    lang,
                    opened=components.day(current.opened, lang),
                    until=components.day(results.open_until, lang),
                )
            )
            for sentence in summary_sentences(current, lang):
                st.caption(sentence)
            if st.button(t("pulse.manage.close", lang), key="pulse.close"):
                with components.guard(lang):
                    service.close_pulse(state.store(), profile)
                    st.session_state.pop(LINK, None)
                    state.flash(t("pulse.manage.closed", lang))
                    st.rerun()
        return
    days_col, button_col = st.columns([1, 2], vertical_alignment="bottom")
    days = days_col.number_input(
        t("pulse.manage.days", lang), MIN_DAYS, MAX_DAYS, 14, step=1, key="pulse.days"
    )
    if button_col.button(t("pulse.manage.open", lang), type="primary", key="pulse.open"):
        with components.guard(lang):
            opened = service.open_pulse(state.store(), profile, int(days), _base_url())
            st.session_state[LINK] = (profile.id, opened.url, opened.round.expires)
            st.rerun()


def _title(pulse: Pulse | None, item_id: str, lang: str, manager: str) -> str:
    question = pulse.question(item_id) if pulse else None
    return question.render(lang, manager) if question else item_id


def latest_section(
    profile: Profile, latest: RoundSummary, results: service.PulseResults, lang: str
) -> None:
    st.subheader(t("pulse.manage.latest", lang))
    pulse = results.pulses.get(latest.round_id)
    trend = results.trend
    delta = None
    if trend.change is not None and trend.points and trend.points[-1][0] == latest.round_id:
        delta = t("pulse.manage.change", lang, change=fmt_number(trend.change, lang))
    st.metric(
        t("pulse.manage.score", lang),
        f"{fmt_number(latest.score, lang)} / 100",
        delta=delta,
        help=t("pulse.manage.score_help", lang),
    )
    still_open = results.open_round
    if still_open is None or still_open.round_id != latest.round_id:  # said above otherwise
        for sentence in summary_sentences(latest, lang):
            st.caption(sentence)
    st.markdown(f"**{t('pulse.manage.items', lang)}**")
    for item in latest.items:
        title = inert(_title(pulse, item.id, lang, profile.name), lang)
        if item.mean is None:
            st.markdown(f"{title} — *{t('pulse.manage.item_hidden', lang)}*")
            continue
        mark = " :material/south:" if item.id == latest.weakest else ""
        st.progress(
            min(1.0, max(0.0, (item.mean - 1) / 4)),
            text=f"{title} — {fmt_number(item.mean, lang)} / 5{mark}",
        )
    if latest.weakest:
        weakest = inert(_title(pulse, latest.weakest, lang, profile.name), lang)
        st.warning(t("pulse.manage.weakest", lang, item=weakest), icon=":material/south:")
    if len(trend.points) > 1:
        st.markdown(
            f"**{t('pulse.manage.trend', lang)}** — {t(f'pulse.trend.{trend.direction}', lang)}"
        )
        labels = [components.day(_opened(results, rid), lang) for rid, _ in trend.points]
        points = "; ".join(
            t("pulse.manage.trend_point", lang, day=label, score=fmt_number(score, lang))
            for label, (_, score) in zip(labels, trend.points, strict=True)
        )
        st.bar_chart(
            {"round": labels, "score": [score for _, score in trend.points]},
            x="round",
            y="score",
            x_label="",
            y_label=t("pulse.manage.score", lang),
            sort=False,
            height=220,
            alt=t("pulse.manage.trend_alt", lang, points=points),
        )
        st.caption(t("pulse.manage.trend_alt", lang, points=points))
    st.subheader(t("pulse.manage.comments", lang))
    st.caption(t("pulse.manage.comments_help", lang))
    said = results.comments.get(latest.round_id, ())
    if not said:
        st.caption(t("pulse.manage.no_comments", lang))
    for comment in said:
        with st.container(border=True):
            st.markdown(inert(comment))


def _opened(results: service.PulseResults, round_id: str) -> date | None:
    found = next((s for s in results.summaries if s.round_id == round_id), None)
    return found.opened if found else None


def rounds_section(results: service.PulseResults, lang: str) -> None:
    st.subheader(t("pulse.manage.rounds", lang))
    if not results.summaries:
        st.caption(t("pulse.manage.no_rounds", lang))
        return
    for summary in reversed(results.summaries):
        status = (
            f"{fmt_number(summary.score, lang)} / 100"
            if summary.shown
            else summary_sentences(summary, lang)[0]
        )
        st.markdown(
            "- "
            + t(
                "pulse.manage.round_line",
                lang,
                opened=components.day(summary.opened, lang),
                status=status,
            )
        )


def import_section(profile: Profile, lang: str) -> None:
    with st.expander(t("pulse.manage.import", lang), icon=":material/upload_file:"):
        st.caption(t("pulse.manage.import_help", lang))
        upload = st.file_uploader(
            t("pulse.manage.import_file", lang),
            type=["csv"],
            key=f"pulse.upload.{st.session_state.get(UPLOADS, 0)}",
        )
        if upload is None:
            st.session_state.pop(PREVIEW, None)
            return
        kept = st.session_state.get(PREVIEW)
        if not kept or kept[0] != profile.id or kept[1] != upload.file_id:
            try:
                imported = service.import_pulse(state.store(), profile, upload.getvalue())
            except CoachError as err:
                components.show_error(err, lang)
                return
            kept = (profile.id, upload.file_id, imported)
            st.session_state[PREVIEW] = kept
        imported = kept[2]
        st.info(
            t(
                "pulse.manage.import_preview",
                lang,
                count=fmt_number(len(imported.answers), lang),
                format=imported.format,
                columns=", ".join(inert(c) for c in imported.dropped_columns)
                or t("pulse.manage.none", lang),
            )
        )
        if st.button(t("pulse.manage.import_apply", lang), key="pulse.apply"):
            with components.guard(lang):
                service.apply_pulse_import(state.store(), profile, imported)
                st.session_state.pop(PREVIEW, None)
                st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1  # an empty box
                state.flash(t("pulse.manage.imported", lang))
                st.rerun()


if __name__ == "__main__":
    render()
