"""The import section of the Progress page: preview a platform export, then confirm.

Nothing is written until the manager confirms; the preview is kept per uploaded
file so a rerun does not read the export again.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from coach import service
from coach.errors import CoachError
from coach.i18n import fmt_number, t
from coach.importers import ImportPreview
from coach.profile import Profile
from coach.ui import components, state

PREVIEW = "import.preview"  # (file id, me, overwrite) -> ImportPreview
UPLOADS = "import.uploads"  # bumped after an import to empty the uploader


def import_section(profile: Profile, lang: str) -> None:
    with st.expander(t("ui.import.title", lang), icon=":material/upload_file:"):
        st.caption(t("ui.import.help", lang))
        howto(lang)
        uploads = st.session_state.setdefault(UPLOADS, 0)
        uploaded = st.file_uploader(
            t("ui.import.file", lang),
            type=["zip", "csv", "js", "json"],
            key=f"import.file.{uploads}",
        )
        left, right = st.columns(2)
        with left:
            st.text_input(
                t("ui.import.me", lang),
                key="import.me",
                help=t("ui.import.me_help", lang),
            )
        with right:
            st.checkbox(
                t("ui.import.overwrite", lang),
                key="import.overwrite",
                help=t("ui.import.overwrite_help", lang),
            )
        if uploaded is None:
            return
        preview = _preview(profile, uploaded, lang)
        if preview is not None:
            show_preview(profile, preview, lang)


PLATFORMS = ("linkedin", "x", "mastodon", "csv")


def howto(lang: str, *, expanded: bool = False) -> None:
    """How to download each platform's export, with the menu names, in the app itself: a
    popover next to the file field, laid open under a file the coach cannot read."""
    if expanded:
        with st.container(border=True):
            st.markdown(f"**{t('ui.import.howto_title', lang)}**")
            _howto_steps(lang)
        return
    with st.popover(t("ui.import.howto_title", lang), icon=":material/help:"):
        _howto_steps(lang)


def _howto_steps(lang: str) -> None:
    for platform in PLATFORMS:
        st.markdown(f"**{t(f'ui.import.howto.{platform}.name', lang)}**")
        st.markdown(t(f"ui.import.howto.{platform}.steps", lang))


def _preview(profile: Profile, uploaded: UploadedFile, lang: str) -> ImportPreview | None:
    me = tuple(n.strip() for n in (st.session_state.get("import.me") or "").split(",") if n.strip())
    overwrite = bool(st.session_state.get("import.overwrite"))
    key = (uploaded.file_id, me, overwrite)
    cached = st.session_state.get(PREVIEW)
    if cached and cached[0] == key:
        kept: ImportPreview = cached[1]
        return kept
    try:
        with st.spinner(t("ui.import.reading", lang, file=components.md(uploaded.name))):
            preview = service.preview_import(
                state.store(),
                profile,
                uploaded.getvalue(),
                uploaded.name,
                me=me,
                overwrite_typed=overwrite,
                today=state.today_for(profile),
            )
    except CoachError as err:
        if err.key.endswith(".not_an_export"):  # what to download instead, right here
            st.error(
                t("ui.import.not_an_export", lang, file=components.md(uploaded.name)),
                icon=":material/error:",
            )
            howto(lang, expanded=True)
        else:
            components.show_error(err, lang)
        return None
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        components.show_error(err, lang)
        return None
    st.session_state[PREVIEW] = (key, preview)
    return preview


def _figure(value: float | None, lang: str) -> str:
    return "—" if value is None else fmt_number(value, lang)


def show_preview(profile: Profile, preview: ImportPreview, lang: str) -> None:
    for message in preview.messages(lang):
        st.info(components.md(message), icon=":material/info:")
    counts = preview.counts
    weeks = components.counted("weeks", len(preview.weeks), lang)
    st.markdown(t("ui.import.summary", lang, weeks=weeks, **counts))
    rows = []
    for week in preview.weeks:
        rows.append(
            {
                t("ui.chart.week", lang): components.capitalised(
                    components.week_label(week.week, lang)
                ),
                t("ui.import.col_status", lang): t(f"ui.import.status.{week.status}", lang),
                t("ui.progress.posts", lang): _figure(week.figures.posts, lang),
                t("ui.progress.received", lang): _figure(week.figures.received, lang),
                t("ui.progress.replies", lang): _figure(week.figures.answered, lang),
                t("ui.progress.median", lang): _figure(week.figures.median_response_hours, lang),
                t("ui.import.col_changes", lang): ", ".join(
                    t(f"ui.import.field.{name}", lang) for name in week.changes
                ),
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch", height=min(400, 38 + 35 * len(rows)))
    if preview.conflicts and not preview.overwrite_typed:
        st.warning(
            components.tp("ui.import.conflicts", lang, len(preview.conflicts)),
            icon=":material/edit:",
        )
    to_write = len(preview.to_save())
    if not to_write:
        st.success(t("ui.import.nothing", lang), icon=":material/check:")
        return
    if st.button(
        components.tp("ui.import.confirm", lang, to_write),
        key="import.confirm",
        type="primary",
        icon=":material/download_done:",
    ):
        with components.guard(lang):
            done = service.apply_import(
                state.store(), profile, preview, today=state.today_for(profile)
            )
            created = sum(1 for v in done.values() if v == "created")
            state.flash(
                t(
                    "ui.import.done",
                    lang,
                    count=components.counted("weeks", len(done), lang),
                    created=created,
                    updated=len(done) - created,
                )
            )
            st.session_state.pop(PREVIEW, None)
            st.session_state[UPLOADS] += 1
            st.rerun()
