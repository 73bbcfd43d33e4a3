"""Data never becomes Markdown in the app: names, step titles, reasons and starters from an
imported profile show as typed; no image is fetched, no link is made (issue 11, item 3).

The browser journey (tests/test_e2e_browser.py) checks the same in Chromium: no request
for the image. Here: every place a user reads shows the escaped text, never the raw one.
"""

from __future__ import annotations

import dataclasses
import re

from coach.ui.feedback import escape_markdown
from tests.ui_kit import make_profile, no_traceback, open_app, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures

EVIL = "![x](http://127.0.0.1:8799/name.png)"
UNESCAPED_HTML = re.compile(r"(?<!\\)<img")
LINK = "[click](http://127.0.0.1:8799/go) www.example.com :red[alarm] <img src=x>"


def test_the_escape_leaves_nothing_markdown_would_act_on():
    assert escape_markdown(EVIL) == "\\!\\[x\\]\\(http:\\/\\/127.0.0.1:8799/name.png\\)"
    escaped = escape_markdown(LINK)
    for raw in ("[click]", "](", "://", "www.example", ":red["):
        assert raw not in escaped
    assert not UNESCAPED_HTML.search(escaped)
    assert escape_markdown("Marie Tremblay, 2,5 h") == "Marie Tremblay, 2,5 h"  # plain text stays


def _pages_text(at) -> str:
    labels = [e.proto.label for e in at.get("expander")]
    toasts = [e.value for e in at.toast]
    return texts(at) + "\n".join(labels + toasts)


def test_a_hostile_profile_name_and_plan_show_as_typed(store):
    make_profile(store, EVIL, lang="fr")
    stored = store.get_plan(EVIL)
    steps = tuple(
        dataclasses.replace(s, title=f"{LINK} {i}", why=(EVIL, *s.why), starter=LINK)
        for i, s in enumerate(stored.plan.steps)
    )
    store.save_plan(EVIL, dataclasses.replace(stored.plan, steps=steps))
    for page in (None, "plan", "portfolio"):
        at = open_app(page, profile=EVIL, lang="fr")
        no_traceback(at)
        shown = _pages_text(at)
        assert EVIL not in shown and "](http" not in shown, page
        assert "[click](" not in shown and not UNESCAPED_HTML.search(shown), page
    home = open_app(profile=EVIL, lang="fr")
    assert escape_markdown(EVIL) in home.title[0].value
    assert escape_markdown(LINK) in texts(home)
