"""What the manager is told: errors as sentences, and one flash message across a rerun."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from coach.errors import CoachError
from coach.i18n import t
from coach.ui import state

log = logging.getLogger("coach.ui")

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$])")
_BARE_LINK = re.compile(r"(?i)(://|www\.)")


def escape_markdown(text: object) -> str:
    """Data made inert for Markdown: a name like `![x](http://host/a.png)` shows as typed,
    fetches nothing and links nowhere (images, links, directives, bare URLs, HTML)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    # "http://x" and "www.x" would become links by themselves: split what Markdown looks for
    return _BARE_LINK.sub(
        lambda m: ":\\/\\/" if m.group(1) == "://" else m.group(1)[:3] + "\\.", escaped
    )


def error_message(err: BaseException, lang: str) -> str:
    """A sentence for the manager, in their language; details go to the server log."""
    if isinstance(err, CoachError):
        # its parameters are data (file, entry and sender names, values): never Markdown
        return escape_markdown(err.message(lang))
    log.exception("unexpected error in the app", exc_info=err)
    return t("ui.error.unexpected", lang, error=type(err).__name__)


def show_error(err: BaseException, lang: str) -> None:
    st.error(error_message(err, lang), icon=":material/error:")


def safe_callback(callback: Callable[..., None]) -> Callable[..., None]:
    """A widget callback whose failure becomes a sentence on the next screen, not a traceback."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - every failure becomes a sentence
            state.flash(error_message(err, state.lang()), "error")

    return run


@contextmanager
def guard(lang: str) -> Iterator[None]:
    """Run a user action; a failure becomes a message and the page goes on."""
    try:
        yield
    except Exception as err:  # noqa: BLE001 - every failure becomes a sentence
        show_error(err, lang)


def show_flash() -> None:
    """The message left by `state.flash` in the previous run."""
    message = st.session_state.pop(state.FLASH, None)
    if message:
        st.success(message, icon=":material/check:")
    note = st.session_state.pop(state.TOAST, None)
    if note:
        st.toast(note, icon=":material/check_circle:")
    problem = st.session_state.pop(state.FLASH_ERROR, None)
    if problem:
        st.error(problem, icon=":material/error:")
