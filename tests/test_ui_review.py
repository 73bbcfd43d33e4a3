"""Before you post / Avant de publier: paste a draft, choose the network, read the findings."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
import time_machine

from coach.typography import typeset
from coach.ui import state
from tests.ui_kit import ROOT, make_profile, no_traceback, open_app, submit, texts

pytest_plugins = ["tests.ui_fixtures"]  # the playbooks and store fixtures

RISKY = (
    "We are thrilled to announce our results this quarter! Write to jane.doe@example.com.\n"
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
    assert (
        "An e-mail address appears: if it belongs to someone else, it is personal data to remove."
        in page
    )
    assert "Press-release wording: it sounds like the company, not you." in page
    assert "Remove the address unless it is your own" in page
    body = highlighted(at)
    assert "border-bottom:2px solid #b91c1c" in body  # the block colour on the leaked results
    assert "border-bottom:2px solid #b45309" in body  # the warn colour on the address
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
    # the editor's value is set to "" (as "Start a new draft" does), so the browser is told
    # to empty the editor too (set_value), instead of keeping Marie's text under John's name
    assert at.session_state["review.draft"] == ""
    assert at.text_area(key="review.draft").proto.set_value
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
    # set to "", not dropped: a dropped key lets the browser send Marie's text back
    assert at.session_state["review.draft"] == ""


# ---- what a profile keeps: its never-say list and saved drafts ------------------------------------

FROZEN = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)  # 10:05 in Toronto
HERON = "Our team starts Project Heron next month. Thanks to Priya! What would you ask?"
THANKS = "Thanks to Priya and the support team for the new guide. What would you add?"


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def real_book(store, monkeypatch):
    """The default playbook (its review rules) for the profiles of these tests."""
    monkeypatch.setattr(state, "PLAYBOOK_DIR", ROOT / "playbooks")


def add_phrases(at, typed: str):
    at.text_area(key="review.add_phrases").input(typed)
    return submit(at, "review.never_say_form")


def click(at, key: str):
    return at.button(key=key).click().run()


def test_the_never_say_list_is_kept_per_profile_and_every_review_uses_it(store, real_book):
    store.create_profile("Marie", language="en")
    store.create_profile("John", language="en")
    at = open_app("review", profile="Marie")
    assert "Your list is empty for now." in texts(at)
    add_phrases(at, "Project Heron\n\n  blue falcon  \nproject héron\n")
    no_traceback(at)
    assert store.never_say("Marie") == ["Project Heron", "blue falcon"]  # one entry per phrase
    assert store.never_say("John") == []
    assert at.text_area(key="review.add_phrases").value == ""
    page = texts(at)
    assert "Project Heron" in page and "blue falcon" in page and "2 phrases" in page
    review_draft(at, HERON)
    no_traceback(at)
    assert at.error[0].value == "Do not post this as it stands."
    assert "This phrase is on your own “never say” list." in texts(at)
    assert ">Project Heron</mark>" in highlighted(at)
    # John's list is his own: the same draft is ready for him
    at.sidebar.selectbox[0].set_value("John").run()
    review_draft(at, HERON)
    no_traceback(at)
    assert at.success[0].value == "Ready to post."
    # back to Marie: taking the phrase off lets the draft through
    at.sidebar.selectbox[0].set_value("Marie").run()
    click(at, "review.remove.0")
    no_traceback(at)
    assert store.never_say("Marie") == ["blue falcon"]
    review_draft(at, HERON)
    assert at.success[0].value == "Ready to post."


def test_a_bad_phrase_gets_a_sentence_and_writes_nothing(store, real_book):
    store.create_profile("Marie", language="fr")
    store.add_never_say("Marie", ["projet Héron"])
    at = open_app("review", profile="Marie", lang="fr")
    too_long = "x" * 201
    add_phrases(at, f"nouveau client\n{too_long}")
    no_traceback(at)
    assert at.error[0].value == typeset(
        f"« {'x' * 30}… » compte 201 caractères ; une expression de la liste en compte au plus "
        "200. Rien n’a été enregistré.",
        "fr",
    )
    assert store.never_say("Marie") == ["projet Héron"]  # not even the good line
    assert at.text_area(key="review.add_phrases").value == f"nouveau client\n{too_long}"
    add_phrases(at, "   \n  ")
    assert at.error[0].value.startswith("Écrivez d’abord une expression")
    assert store.never_say("Marie") == ["projet Héron"]


def test_nothing_is_kept_until_saved_then_drafts_are_listed_opened_and_deleted(
    store, real_book, frozen
):
    store.create_profile("Marie", language="en")
    at = open_app("review", profile="Marie")
    assert "No draft saved yet: nothing is kept unless you save it." in texts(at)
    review_draft(at, RISKY, network="x")
    no_traceback(at)
    assert store.post_drafts("Marie") == []  # reviewing stores nothing
    click(at, "review.save")
    no_traceback(at)
    [first] = store.post_drafts("Marie")
    assert (first.text, first.network, first.verdict) == (RISKY, "x", "block")
    page = texts(at)
    assert ":material/block: On Mar 10, 2026 at 10:05 · X · do not post" in page
    assert "We are thrilled to announce our results this quarter! Write to…" in (
        page.replace("\\", "").replace("\u2060", "")
    )
    assert "You are editing the draft saved on Mar 10, 2026 at 10:05." in page
    # a second draft, from a blank editor
    click(at, "review.new")
    assert at.text_area(key="review.draft").value == ""
    review_draft(at, THANKS)
    click(at, "review.save")
    drafts = store.post_drafts("Marie")
    assert [d.text for d in drafts] == [THANKS, RISKY]  # the latest first
    assert "ready" in texts(at)
    # the first one back into the editor, changed and saved over itself
    click(at, f"review.open.{first.id}")
    no_traceback(at)
    assert at.text_area(key="review.draft").value == RISKY
    assert at.radio(key="review.network").value == "x"
    assert at.error[0].value == "Do not post this as it stands."  # reviewed again at once
    review_draft(at, "Thanks to the team. What do you think?", network="x")
    click(at, "review.save")
    no_traceback(at)
    again = store.get_post_draft("Marie", first.id)
    assert (again.text, again.verdict, again.version) == (
        "Thanks to the team. What do you think?",
        "ok",
        2,
    )
    assert len(store.post_drafts("Marie")) == 2
    # deleting asks a second click; "Keep this draft" keeps it; the confirmation deletes it
    click(at, f"review.delete.{first.id}")
    no_traceback(at)
    assert len(store.post_drafts("Marie")) == 2
    assert "Delete this draft for good? It cannot be brought back." in texts(at)
    click(at, f"review.cancel_delete.{first.id}")
    assert len(store.post_drafts("Marie")) == 2
    assert f"review.confirm_delete.{first.id}" not in [b.key for b in at.button]
    click(at, f"review.delete.{first.id}")
    click(at, f"review.confirm_delete.{first.id}")
    no_traceback(at)
    assert [d.text for d in store.post_drafts("Marie")] == [THANKS]
    assert f"review.open.{first.id}" not in [b.key for b in at.button]


def edit(at, text: str):
    """Type in the editor without pressing any button (a form sends it only on a click)."""
    at.text_area(key="review.draft").input(text)


def test_save_takes_the_text_in_the_editor_at_the_click_not_the_last_review(store, real_book):
    from coach import service

    store.create_profile("Marie", language="en")
    saved = service.save_post_draft(store, "Marie", RISKY, "linkedin")
    at = open_app("review", profile="Marie")
    click(at, f"review.open.{saved.id}")
    assert at.error[0].value == "Do not post this as it stands."
    edit(at, THANKS)  # changed, not reviewed again
    at.button(key="review.save").click().run()
    no_traceback(at)
    again = store.get_post_draft("Marie", saved.id)
    assert (again.text, again.verdict, again.version) == (THANKS, "ok", 2)
    assert at.success[0].value == "Ready to post."  # the verdict shown is the new text's
    assert not at.error
    # "Save as a new draft" too
    edit(at, HERON)
    at.button(key="review.save_new").click().run()
    no_traceback(at)
    assert sorted(d.text for d in store.post_drafts("Marie")) == sorted([THANKS, HERON])


def test_the_saved_list_shows_which_draft_is_in_the_editor(store, real_book):
    from coach import service

    store.create_profile("Marie", language="en")
    first = service.save_post_draft(store, "Marie", RISKY, "linkedin")
    second = service.save_post_draft(store, "Marie", THANKS, "linkedin")
    at = open_app("review", profile="Marie")
    assert "Open in the editor" not in texts(at)
    click(at, f"review.open.{first.id}")
    no_traceback(at)
    page = texts(at)
    assert page.count("Open in the editor") == 1
    # the badge sits in the opened draft's card, just above its first words
    assert page.index("Open in the editor") < page.index("We are thrilled")
    assert page.index("Thanks to Priya") < page.index("Open in the editor")  # latest first
    click(at, f"review.open.{second.id}")
    page = texts(at)
    assert page.count("Open in the editor") == 1
    assert page.index("Open in the editor") < page.index("Thanks to Priya")


def test_the_managers_words_are_shown_as_written_not_typeset_or_rendered(store, real_book):
    from coach import service

    store.create_profile("Marie", language="fr")
    words = "Marc ! Qu'en pensez-vous ? :smile: https://example.org/x *gras* - 1. #tag"
    service.save_post_draft(store, "Marie", words, "linkedin")
    store.add_never_say("Marie", ["Marc ! :smile: www.example.org"])
    at = open_app("review", profile="Marie", lang="fr")
    no_traceback(at)
    shown = [m.value for m in at.markdown if "Marc" in m.value]
    assert len(shown) == 2
    for value in shown:
        assert "Marc!" not in value and "Marc\\!" not in value  # no French spacing applied
        assert "\u00a0" not in value
        assert ":smile:" not in value  # no emoji shortcode left for Markdown to replace
        assert "https://" not in value and "www." not in value  # no autolink
        # what a reader sees: the words exactly, once the escapes are read
        seen = value.replace("\u2060", "").replace("\\", "")
        assert seen in (words, "Marc ! :smile: www.example.org")


def test_a_draft_changed_elsewhere_is_never_overwritten(store, real_book):
    from coach import service

    store.create_profile("Marie", language="en")
    saved = service.save_post_draft(store, "Marie", THANKS, "linkedin")
    at = open_app("review", profile="Marie")
    click(at, f"review.open.{saved.id}")
    # meanwhile, in another tab, the same draft is changed
    service.save_post_draft(store, "Marie", "Their version. What do you think?", "linkedin", saved)
    review_draft(at, "My version. Thanks to the team. What do you think?")
    click(at, "review.save")
    no_traceback(at)
    assert "Someone changed or deleted this draft since you opened it" in at.error[0].value
    assert store.get_post_draft("Marie", saved.id).text == "Their version. What do you think?"
    assert at.text_area(key="review.draft").value.startswith("My version.")  # kept
    click(at, "review.save_new")
    no_traceback(at)
    assert sorted(d.text for d in store.post_drafts("Marie")) == [
        "My version. Thanks to the team. What do you think?",
        "Their version. What do you think?",
    ]
    # deleting a draft someone changed since it was listed is refused too
    listed = store.post_drafts("Marie")[0]
    service.save_post_draft(store, "Marie", THANKS, "linkedin", listed)
    click(at, f"review.delete.{listed.id}")
    click(at, f"review.confirm_delete.{listed.id}")
    no_traceback(at)
    assert "Someone changed or deleted this draft" in texts(at)
    assert len(store.post_drafts("Marie")) == 2


def test_an_oversized_draft_is_reviewed_but_not_saved(store, real_book):
    store.create_profile("Marie", language="en")
    at = open_app("review", profile="Marie")
    long_text = ("Thanks to the team for this year. " * 700)[:20_001]
    review_draft(at, long_text)
    no_traceback(at)
    click(at, "review.save")
    no_traceback(at)
    assert at.error[-1].value == (
        "This draft has 20001 characters; a saved draft holds up to 20000. "
        "Shorten it before saving. Nothing was saved."
    )
    assert store.post_drafts("Marie") == []


def test_without_a_profile_nothing_can_be_saved(store):
    at = open_app("review")
    review_draft(at, THANKS)
    no_traceback(at)
    assert "Choose or create a profile to keep a “never say” list and save drafts." in texts(at)
    assert "review.save" not in [b.key for b in at.button]


def test_in_french_a_saved_draft_reads_with_french_spacing_and_its_icon(store, real_book, frozen):
    store.create_profile("Marie", language="fr")
    at = open_app("review", profile="Marie", lang="fr")
    review_draft(at, "Merci à Priya et à l’équipe du soutien pour le guide. Qu’ajouteriez-vous ?")
    click(at, "review.save")
    no_traceback(at)
    captions = [c.value for c in at.caption]
    assert (
        ":material/check_circle: Le 10 mars 2026 à 10\u00a0h\u00a005 · LinkedIn · prêt" in captions
    )
    assert "Vous modifiez le brouillon enregistré le 10" in texts(at)


def test_two_people_adding_to_one_list_keep_each_others_phrases(store, real_book):
    store.create_profile("Marie", language="en")
    store.add_never_say("Marie", ["shared one"])
    first, second = open_app("review", profile="Marie"), open_app("review", profile="Marie")
    add_phrases(first, "alpha")
    add_phrases(second, "beta")  # its page still showed the list without alpha
    no_traceback(second)
    assert store.never_say("Marie") == ["shared one", "alpha", "beta"]
    assert "alpha" in texts(second) and "beta" in texts(second)
    click(first, "review.remove.0")  # takes "shared one" off
    click(second, "review.remove.0")  # its stale view: "shared one" again, already gone
    no_traceback(second)
    assert store.never_say("Marie") == ["alpha", "beta"]


def card_heads(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**") and ":material/" in m.value]


def test_findings_are_listed_by_severity_and_the_marks_carry_the_same_numbers(store):
    text = "Call me at 514-555-0199. Our Q3 numbers beat every forecast, write to me!"
    at = review_draft(open_app("review"), text)
    no_traceback(at)
    heads = card_heads(at)
    labels = [h.split("**")[3] for h in heads]
    assert labels[0] == "Do not post" and labels[1] == "Revise" and labels[-1] == "Tip"
    assert [h.split("**")[1] for h in heads] == [f"{n}." for n in range(1, len(heads) + 1)]
    body = highlighted(at)
    # the block (the results, later in the text) is number 1, the phone number (a warn) 2
    assert body.index(">Our Q3 numbers</mark>") > body.index(">514-555-0199</mark>")
    assert ">514-555-0199</mark><span" in body and '">[2]</span>' in body
    assert '">Our Q3 numbers</mark><span role="note" aria-label="Finding 1"' in body


def test_overlapping_findings_are_one_mark_with_one_pill_not_a_superscript():
    from coach.playbook import default_playbook_path, load_playbook
    from coach.review import review
    from coach.ui.review import highlighted as marks

    book = load_playbook(default_playbook_path())
    text = "Notre rendement garanti, sans aucun risque. Merci l’équipe, et vous?"
    result = review(text, book.reviews, facts={"regulated_sector": True}, lang="fr")
    spans = [(f.start, f.end) for f in result.findings if f.end > f.start]
    assert any(a < d and c < b for (a, b), (c, d) in itertools.combinations(spans, 2))
    body = marks(text, result, "fr")
    assert "<sup>" not in body
    # "rendement" (the missing disclaimer, a warn: 3) inside "rendement garanti" (a promise,
    # block: 1) is one mark, in the block's colour, with one pill for both
    assert body.count("<mark") == 2
    assert ">rendement garanti</mark>" in body
    assert '<span role="note" aria-label="Point 1, 3"' in body and ">[1, 3]</span>" in body
    assert ">sans aucun risque</mark>" in body and ">[2]</span>" in body


def test_french_wording_of_the_page(store, real_book):
    store.create_profile("Marie", language="fr")
    at = open_app("review", profile="Marie", lang="fr")
    page = texts(at)
    assert "Chaque révision de vos brouillons les repère." in page
    assert typeset("rien n’est gardé à moins que vous ne l’enregistriez.", "fr") in page
    review_draft(at, "Merci à l’équipe du soutien. Qu’en pensez-vous?")
    assert "Points à vérifier" in texts(at)
