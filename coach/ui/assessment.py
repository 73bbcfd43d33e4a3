"""Self-assessment / Auto-évaluation: one dimension at a time, saved as it is answered.

Every answer goes to the store's draft in the widget's callback, so closing the
browser loses nothing; a review screen comes before submitting.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach import scoring, service
from coach.i18n import t
from coach.model import Dimension, Playbook, Question
from coach.profile import Profile
from coach.ui import components, state

ANSWERS = "assess.answers"  # the answers being given, mirrored in the store's draft
STEP = "assess.step"  # index of the dimension on screen; len(dimensions) is the review
SAVE_ERROR = "assess.save_error"
PREFILLED = "assess.prefilled"
SEED = "assess.seed"


def render() -> None:
    lang = state.lang()
    st.title(t("ui.assess.title", lang))  # the title first, even without a profile
    profile = components.require_profile(lang)
    book = components.playbook_or_stop(profile, lang)
    answers = _answers(profile)
    visible = scoring.visible_questions(book, answers, profile.facts)
    dims = [d for d in book.dimensions if any(q.dimension == d.id for q in visible)]
    if STEP not in st.session_state:  # coming back: open the first section left unfinished
        st.session_state[STEP] = _first_unfinished(dims, visible, answers)
    step = min(st.session_state[STEP], len(dims))
    if st.session_state.get("assess.shown") != step:  # a new section opens at its title
        components.scroll_to_top(f"assess-{step}")
        st.session_state["assess.shown"] = step
    _progress(visible, answers, lang)
    problem = st.session_state.get(SAVE_ERROR)
    if problem:
        st.warning(t("ui.assess.not_saved", lang, problem=problem), icon=":material/cloud_off:")
    if step < len(dims):
        _dimension_page(book, dims, step, visible, answers, lang)
    else:
        _review(book, profile, dims, visible, answers, lang)


# ---- answers and the draft ------------------------------------------------------------------


def _answers(profile: Profile) -> dict[str, Any]:
    """The answers in progress: the saved draft, else the last assessment's answers."""
    if ANSWERS not in st.session_state:
        store = state.store()
        draft = store.get_draft(profile.name) or {}
        if not draft:
            previous = store.list_assessments(profile.name)
            if previous:
                draft = dict(previous[-1].answers)
                st.session_state[PREFILLED] = True
                st.session_state[SEED] = True  # the first save keeps these answers too
        st.session_state[ANSWERS] = dict(draft)
    answers: dict[str, Any] = st.session_state[ANSWERS]
    return answers


def _first_unfinished(
    dims: list[Dimension], visible: list[Question], answers: dict[str, Any]
) -> int:
    """The first section with a question not answered yet; the first one for a fresh start."""
    if not answers:
        return 0
    for index, dim in enumerate(dims):
        if any(q.dimension == dim.id and q.id not in answers for q in visible):
            return index
    return 0


def _on_answer(qid: str, kind: str, profile_name: str) -> None:
    """Widget callback: keep the answer, then save the draft (a failure keeps it on screen)."""
    answers = st.session_state[ANSWERS]
    value = _from_widget(kind, st.session_state.get(f"q::{qid}"))
    if value is None:
        answers.pop(qid, None)
    else:
        answers[qid] = value
    try:
        # Only this answer goes to the draft: answers given elsewhere meanwhile stay
        # (the first save of answers carried over from the last assessment keeps them all).
        seed = st.session_state.get(SEED, False)
        changes = {**answers, qid: value} if seed else {qid: value}
        service.save_answers(state.store(), profile_name, changes)
        st.session_state.pop(SEED, None)
        st.session_state.pop(SAVE_ERROR, None)
    except Exception as err:  # noqa: BLE001 - a sentence for the manager, never a traceback
        st.session_state[SAVE_ERROR] = components.error_message(err, state.lang())


def _from_widget(kind: str, value: Any) -> Any:
    if kind == "multiple":
        return list(value) if value else None
    if kind == "text":
        return value.strip() if isinstance(value, str) and value.strip() else None
    if kind == "number" and value is not None:
        return int(value) if float(value).is_integer() else float(value)
    return value


# ---- one dimension --------------------------------------------------------------------------


def _progress(visible: list[Question], answers: dict[str, Any], lang: str) -> None:
    shown = len(visible)
    done = sum(1 for q in visible if q.id in answers)
    st.progress(
        done / shown if shown else 0.0,
        text=components.tp("ui.assess.progress", lang, done, total=shown),
    )
    st.caption(t("ui.assess.autosave", lang))
    if st.session_state.get(PREFILLED):
        st.info(t("ui.assess.prefilled", lang), icon=":material/history:")


def _dimension_page(
    book: Playbook,
    dims: list[Dimension],
    step: int,
    visible: list[Question],
    answers: dict[str, Any],
    lang: str,
) -> None:
    dim = dims[step]
    st.subheader(
        t("ui.assess.dimension", lang, number=step + 1, total=len(dims), title=dim.title.get(lang))
    )
    st.caption(dim.description.get(lang))
    problems = _problems_by_question(book, answers)
    name = st.session_state[state.PROFILE]
    for question in (q for q in visible if q.dimension == dim.id):
        with st.container(border=True):
            _question_widget(question, answers, name, lang)
            if question.id in problems:
                st.error(problems[question.id], icon=":material/error:")
    _navigation(step, len(dims), lang)


def _problems_by_question(book: Playbook, answers: dict[str, Any]) -> dict[str, str]:
    """An answer that no longer fits its question (the playbook changed since the draft)."""
    lang = state.lang()
    out = {}
    for problem in scoring.check_answers(book, answers):
        qid = problem.params.get("question", "")
        value = answers.get(qid)
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        out[qid] = t("ui.assess.invalid_answer", lang, value=shown)
    return out


def _question_widget(q: Question, answers: dict[str, Any], profile_name: str, lang: str) -> None:
    key = f"q::{q.id}"
    value = answers.get(q.id)
    label = q.text.get(lang)
    help_text = q.help.get(lang) if q.help else None
    common: dict[str, Any] = {
        "key": key,
        "help": help_text,
        "on_change": _on_answer,
        "args": (q.id, q.type, profile_name),
    }
    if q.type == "single":
        ids = [o.id for o in q.options]
        labels = {o.id: o.label.get(lang) for o in q.options}
        index = ids.index(value) if value in ids else None
        st.radio(label, ids, index=index, format_func=lambda o: labels.get(o, o), **common)
    elif q.type == "multiple":
        ids = [o.id for o in q.options]
        labels = {o.id: o.label.get(lang) for o in q.options}
        chosen = [v for v in value or [] if v in ids]
        st.multiselect(
            label,
            ids,
            default=chosen,
            format_func=lambda option: labels.get(option, option),
            placeholder=t("ui.assess.choose_any", lang),
            **common,
        )
    elif q.type == "scale":
        points = [1, 2, 3, 4, 5]
        names = [s.get(lang) for s in q.scale_labels] if q.scale_labels else []
        index = points.index(value) if value in points else None
        st.radio(
            label,
            points,
            index=index,
            horizontal=True,
            format_func=lambda n: f"{n} · {names[n - 1]}" if names else str(n),
            **common,
        )
        if not names:
            st.caption(t("ui.assess.scale_hint", lang))
    elif q.type == "number":
        unit = q.unit.get(lang) if q.unit else ""
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and (q.min is None or value >= q.min) and (q.max is None or value <= q.max)  # type: ignore[operator]
        st.number_input(
            f"{label} ({unit})" if unit else label,
            min_value=q.min,
            max_value=q.max,
            value=float(value) if ok else None,  # type: ignore[arg-type]
            step=1.0,
            format="%g",  # 12, not 12.00
            placeholder=t("ui.assess.number_placeholder", lang),
            **common,
        )
    elif q.type == "yesno":
        index = {True: 0, False: 1}.get(value) if isinstance(value, bool) else None
        st.radio(
            label,
            [True, False],
            index=index,
            horizontal=True,
            format_func=lambda v: t("engine.word_yes" if v else "engine.word_no", lang),
            **common,
        )
    else:
        st.text_area(label, value=value if isinstance(value, str) else "", max_chars=2000, **common)
        st.caption(t("ui.assess.text_not_scored", lang))


def _go_to(step: int) -> None:
    st.session_state[STEP] = step


def _navigation(step: int, count: int, lang: str) -> None:
    left, right = st.columns(2)
    with left:
        if step > 0:
            st.button(
                t("ui.assess.previous", lang),
                key="assess.prev",
                icon=":material/arrow_back:",
                on_click=_go_to,
                args=(step - 1,),
            )
    with right, st.container(horizontal_alignment="right"):
        last = step == count - 1
        st.button(
            t("ui.assess.to_review" if last else "ui.assess.next", lang),
            key="assess.next",
            type="primary",
            icon=":material/fact_check:" if last else ":material/arrow_forward:",
            on_click=_go_to,
            args=(step + 1,),
        )


# ---- review and submit ----------------------------------------------------------------------


def _answer_text(q: Question, value: Any, lang: str) -> str:
    if q.type == "single":
        option = q.option(value) if isinstance(value, str) else None
        return option.label.get(lang) if option else components.md(value)
    if q.type == "multiple":
        options = [(q.option(v), v) for v in value]
        return ", ".join(o.label.get(lang) if o else components.md(v) for o, v in options)
    if q.type == "yesno":
        return t("engine.word_yes" if value else "engine.word_no", lang)
    if q.type == "scale" and q.scale_labels and value in range(1, 6):
        return f"{value} · {q.scale_labels[value - 1].get(lang)}"
    if q.type == "number" and q.unit:
        return f"{components.number(value, lang)} {q.unit.get(lang)}"
    return components.md(value)  # typed by the manager (or imported): never Markdown


def _review(
    book: Playbook,
    profile: Profile,
    dims: list[Dimension],
    visible: list[Question],
    answers: dict[str, Any],
    lang: str,
) -> None:
    st.subheader(t("ui.assess.review_title", lang))
    st.caption(t("ui.assess.review_help", lang))
    missing = [q for q in visible if q.id not in answers]
    for index, dim in enumerate(dims):
        unanswered = sum(1 for q in visible if q.dimension == dim.id and q.id not in answers)
        title = dim.title.get(lang)
        if unanswered:
            title = t("ui.assess.section_missing", lang, title=title, count=unanswered)
        with st.expander(
            title,
            expanded=False,
            icon=":material/radio_button_unchecked:" if unanswered else ":material/check_circle:",
        ):
            for q in (q for q in visible if q.dimension == dim.id):
                if q.id in answers:
                    st.markdown(f"**{q.text.get(lang)}**  \n{_answer_text(q, answers[q.id], lang)}")
                else:
                    st.markdown(
                        f"**{q.text.get(lang)}**  \n:orange[{t('ui.assess.not_answered', lang)}]"
                    )
            st.button(
                t("ui.assess.edit", lang),
                key=f"assess.edit.{dim.id}",
                icon=":material/edit:",
                on_click=_go_to,
                args=(index,),
            )
    problems = _problems_by_question(book, {k: v for k, v in answers.items() if book.question(k)})
    for qid in problems:
        question = book.question(qid)
        words = question.text.get(lang) if question else qid
        st.error(
            t("ui.assess.invalid_review", lang, question=words),
            icon=":material/error:",
        )
    if missing:
        st.warning(components.tp("ui.assess.missing", lang, len(missing)), icon=":material/info:")
    left, right = st.columns(2)
    with left:
        st.button(
            t("ui.assess.previous", lang),
            key="assess.back",
            icon=":material/arrow_back:",
            on_click=_go_to,
            args=(max(len(dims) - 1, 0),),
        )
    with right, st.container(horizontal_alignment="right"):
        clicked = st.button(
            t("ui.assess.submit", lang),
            key="assess.submit",
            type="primary",
            icon=":material/send:",
            disabled=bool(problems) or len(missing) == len(visible),
        )
    if clicked:
        _submit(book, profile, answers, lang)


def _submit(book: Playbook, profile: Profile, answers: dict[str, Any], lang: str) -> None:
    """Score, keep the assessment, build and save the plan, then show the results."""
    with components.guard(lang):
        service.complete_assessment(
            state.store(), profile, book, answers, lang, today=state.today_for(profile)
        )
        state.clear_scope("assessment")
        state.flash(t("ui.assess.submitted", lang))
        components.go("results")


if __name__ == "__main__":
    render()
