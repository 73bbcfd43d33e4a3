"""Before you post / Avant de publier: paste a draft, choose the network, read the findings."""

from __future__ import annotations

from coach.typography import typeset
from coach.ui import state
from tests.ui_kit import ROOT, make_profile, no_traceback, open_app, submit, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures

RISKY = (
    "We are thrilled to announce our results! Write to jane.doe@example.com.\n"
    "Thanks to the team. What do you think?"
)


def review_draft(at, text: str, network: str = "linkedin"):
    at.text_area(key="review.draft").input(text)
    at.radio(key="review.network").set_value(network)
    return submit(at, "review.form")


def highlighted(at) -> str:
    return "\n".join(
        el.value for el in at.get("html") if "<mark" in el.value or "pre-wrap" in el.value
    )


def test_a_draft_is_reviewed_with_a_verdict_marked_words_and_suggestions(store):
    at = open_app("review")
    no_traceback(at)
    assert at.title[0].value == "Before you post"
    review_draft(at, RISKY)
    no_traceback(at)
    assert at.error[0].value == "Do not post this as it stands."
    page = texts(at)
    assert "An e-mail address appears: that is personal data." in page
    assert "Press-release wording: it sounds like the company, not you." in page
    assert "Remove the address; invite people to message you instead." in page
    body = highlighted(at)
    assert "border-bottom:2px solid #b91c1c" in body  # the block colour on the address
    assert ">jane.doe@example.com</mark>" in body
    # The quoted words beside the finding are HTML text too: no link is made of the address.
    assert any(el.value.endswith("“jane.doe@example.com”</div>") for el in at.get("html"))
    assert not any("jane.doe@example.com" in el.value for el in at.markdown)


def test_a_sincere_post_is_ready(store):
    at = open_app("review")
    review_draft(at, "Thanks to Priya and the support team for the new guide. What would you add?")
    no_traceback(at)
    assert at.success[0].value == "Ready to post."
    assert "Nothing to point out." in texts(at)


def test_the_network_changes_the_length_that_counts(store):
    text = "Thanks to the team for this year. " * 10 + "What did you learn?"
    at = open_app("review")
    review_draft(at, text, network="linkedin")
    assert at.success[0].value == "Ready to post."
    review_draft(at, text, network="x")
    no_traceback(at)
    assert at.warning[0].value == "Revise before posting."
    assert "characters as X counts them, over the 280 limit." in texts(at)


def test_the_draft_is_shown_as_text_and_fetches_nothing(store):
    text = "![x](http://tracker.example/p.png) <script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:alert(3)) Thanks team?"
    at = open_app("review")
    review_draft(at, text)
    no_traceback(at)
    body = highlighted(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script" not in body and "<img" not in body
    assert "![x](http://tracker.example/p.png)" in body  # as characters, not an image
    for element in at.markdown:
        assert "<script" not in element.value and "![x](" not in element.value


def test_french_profile_in_a_regulated_sector_with_a_never_say_list(store, monkeypatch):
    monkeypatch.setattr(state, "PLAYBOOK_DIR", ROOT / "playbooks")
    store.create_profile("Marie", language="fr", regulated_sector=True)
    store.add_never_say("Marie", ["projet heron"])
    before = store.export_profile("Marie")
    at = open_app("review", profile="Marie", lang="fr")
    assert at.title[0].value == "Avant de publier"
    review_draft(
        at,
        "Notre équipe lance le projet Héron, un placement au rendement garanti. Qu’en pensez-vous ?",
    )
    no_traceback(at)
    assert at.error[0].value == "À ne pas publier tel quel."
    page = texts(at)
    assert typeset("Promesse de rendement : interdite dans un secteur réglementé.", "fr") in page
    assert typeset("« à ne jamais dire »", "fr") in page
    assert ">projet Héron</mark>" in highlighted(at)
    # Nothing was stored: the profile's data is exactly what it was.
    after = store.export_profile("Marie")
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }


def test_an_empty_draft_gets_a_sentence(store):
    at = open_app("review")
    review_draft(at, "   ")
    no_traceback(at)
    assert at.error[0].value == "The draft is empty: paste or write the text you want to post."


def test_switching_profile_forgets_the_draft(store, monkeypatch):
    monkeypatch.setattr(state, "PLAYBOOK_DIR", ROOT / "playbooks")
    store.create_profile("Marie", language="en")
    store.create_profile("John", language="en")
    at = open_app("review", profile="Marie")
    review_draft(at, RISKY)
    assert at.error
    at.sidebar.selectbox[0].set_value("John").run()
    no_traceback(at)
    assert at.text_area(key="review.draft").value == ""
    assert not at.error


def test_a_playbook_without_review_rules_says_so(store):
    make_profile(store, "Marie")  # the mini playbook has no reviews section
    at = open_app("review", profile="Marie")
    no_traceback(at)
    assert at.info[0].value == "This playbook has no review rules."


def test_the_review_goes_through_the_service_and_its_keys_are_scoped(store, monkeypatch):
    from coach import service

    asked = []
    original = service.review_post

    def spy(*args, **kwargs):
        asked.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "review_post", spy)
    at = open_app("review")
    review_draft(at, RISKY)
    no_traceback(at)
    assert asked == [RISKY]
    # another executive: a draft typed for Marie is not kept for John
    make_profile(store, "Marie")
    make_profile(store, "John")
    at = open_app("review", profile="Marie")
    at.session_state["review.draft"] = "Marie's confidential draft"
    at.sidebar.selectbox[0].set_value("John").run()
    no_traceback(at)
    assert "review" in state.PAGE_SCOPES
    assert "review.draft" not in at.session_state
