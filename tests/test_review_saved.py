"""Before you post, what a profile keeps: its never-say list and saved drafts.

The store on SQLite and PostgreSQL (COACH_TEST_PG_URL), the use cases, bad input in both
languages, the export/import document, access for signed-in people, and the command line's
`--profile` reading the stored list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import text

from coach import service
from coach.access import Forbidden
from coach.errors import CoachError, InvalidInput, NotFound
from coach.records import PostDraft
from coach.review.saved import MAX_PHRASES, MAX_SAVED_DRAFTS, first_words
from coach.store import Store
from coach.typography import typeset
from tests import dbs
from tests.conftest import ROOT

db_url = dbs.db_url
another_db = dbs.another_db
pg_schemas = dbs.pg_schemas
pg_schema_url = dbs.pg_schema_url

FROZEN = datetime(2026, 3, 10, 14, 5, tzinfo=UTC)
HERON = "Our team starts Project Heron next month. Thanks to Priya! What would you ask?"
THANKS = "Thanks to Priya and the support team for the new guide. What would you add?"


@pytest.fixture
def store(db_url: str):
    with time_machine.travel(FROZEN, tick=False), Store(db_url) as opened:
        opened.create_profile("Marie", language="en")
        opened.create_profile("John", language="fr")
        yield opened


def new(text: str, network: str = "x", verdict: str = "ok") -> PostDraft:
    """A draft not saved yet, as the service hands it to the store."""
    return PostDraft(text, network, verdict, FROZEN)


def count(store: Store, table: str) -> int:
    with store.db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def refused(call: Callable[[], Any]) -> CoachError:
    with pytest.raises(CoachError) as info:
        call()
    return info.value


# ---- the store, on both engines -------------------------------------------------------------------


def test_the_never_say_list_keeps_one_entry_per_phrase_in_the_order_added(store):
    assert store.add_never_say("Marie", ["Project Heron", "  blue falcon ", "PROJECT HÉRON"]) == [
        "Project Heron",
        "blue falcon",
    ]
    assert store.add_never_say("Marie", ["project heron", "Q3 results"]) == ["Q3 results"]
    assert store.never_say("Marie") == ["Project Heron", "blue falcon", "Q3 results"]
    assert store.never_say("John") == []  # kept per profile
    assert store.remove_never_say("Marie", "project  héron") is True  # as the review reads it
    assert store.remove_never_say("Marie", "project heron") is False  # already gone
    assert store.never_say("Marie") == ["blue falcon", "Q3 results"]


@pytest.mark.parametrize(
    ("phrases", "key"),
    [
        ([""], "review.never_say.empty"),
        (["ok", "   "], "review.never_say.empty"),
        (["* *"], "review.never_say.empty"),
        (["x" * 201], "review.never_say.too_long"),
        (["two\nlines"], "review.never_say.one_line"),
        ([], "review.never_say.empty"),
    ],
)
def test_a_bad_phrase_writes_nothing(store, phrases, key):
    store.add_never_say("Marie", ["kept"])
    before = store.revision()
    err = refused(lambda: store.add_never_say("Marie", phrases))
    assert isinstance(err, InvalidInput) and err.key == key
    assert store.never_say("Marie") == ["kept"]
    assert store.revision() == before


def test_the_list_has_a_cap_and_a_full_list_takes_nothing(store):
    store.add_never_say("Marie", [f"phrase {i}" for i in range(MAX_PHRASES - 1)])
    err = refused(lambda: store.add_never_say("Marie", ["one more", "and another"]))
    assert err.key == "review.never_say.full"
    assert len(store.never_say("Marie")) == MAX_PHRASES - 1
    assert store.add_never_say("Marie", ["the last one"]) == ["the last one"]
    assert err.message("fr") == typeset(
        "Votre liste « à ne jamais dire » compte au plus 100 expressions : "
        "retirez-en une avant d’en ajouter une autre. Rien n’a été enregistré.",
        "fr",
    )
    assert "«\u00a0à ne jamais dire\u00a0»" in err.message("fr")


def test_saved_drafts_are_listed_latest_first_changed_at_their_version_and_deleted(store):
    first = store.save_post_draft("Marie", new(HERON, "x", "revise"))
    with time_machine.travel(FROZEN + timedelta(hours=1), tick=False):
        second = store.save_post_draft("Marie", new(THANKS, "linkedin", "ok"))
    assert [d.id for d in store.post_drafts("Marie")] == [second.id, first.id]
    assert store.post_drafts("John") == []
    assert (first.text, first.network, first.verdict, first.version) == (HERON, "x", "revise", 1)
    assert first.saved_at == FROZEN
    better = replace(first, text="Better. What do you think?", verdict="ok")
    changed = store.save_post_draft("Marie", better)
    assert (changed.id, changed.version, changed.text) == (
        first.id,
        2,
        "Better. What do you think?",
    )
    # someone holding version 1 can neither change nor delete it: their view is old
    stale = refused(lambda: store.save_post_draft("Marie", replace(first, text=HERON)))
    assert stale.key == "review.saved.changed"
    assert refused(lambda: store.delete_post_draft("Marie", first)).key == "review.saved.changed"
    assert store.get_post_draft("Marie", first.id).text == "Better. What do you think?"
    store.delete_post_draft("Marie", changed)
    with pytest.raises(NotFound):
        store.get_post_draft("Marie", first.id)
    # another profile's draft is not reachable through this one
    with pytest.raises(NotFound):
        store.get_post_draft("John", second.id)
    assert refused(lambda: store.delete_post_draft("John", second)).key == "review.saved.changed"
    assert refused(lambda: store.save_post_draft("John", second)).key == "review.saved.changed"
    assert [d.id for d in store.post_drafts("Marie")] == [second.id]


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("   ", "linkedin", "ok"), "review.input.empty"),
        (("a" * 20_001, "linkedin", "ok"), "review.saved.too_long"),
        (("hello", "tiktok", "ok"), "review.input.network"),
        (("hello", "x", "maybe"), "review.saved.verdict"),
    ],
)
def test_a_draft_that_cannot_be_saved_writes_nothing(store, args, key):
    err = refused(lambda: store.save_post_draft("Marie", new(*args)))
    assert err.key == key
    assert store.post_drafts("Marie") == []


def test_a_profile_keeps_a_bounded_number_of_drafts(store):
    for i in range(MAX_SAVED_DRAFTS):
        store.save_post_draft("Marie", new(f"Draft {i}. What do you think?"))
    assert refused(lambda: store.save_post_draft("Marie", new(THANKS))).key == "review.saved.full"
    assert len(store.post_drafts("Marie")) == MAX_SAVED_DRAFTS


def test_deleting_a_profile_deletes_its_list_and_drafts(store):
    store.add_never_say("Marie", ["Project Heron"])
    store.save_post_draft("Marie", new(THANKS))
    store.add_never_say("John", ["Projet Héron"])
    store.delete_profile("Marie")
    assert count(store, "never_say_phrases") == 1
    assert count(store, "post_drafts") == 0
    assert store.never_say("John") == ["Projet Héron"]


# ---- export and import ----------------------------------------------------------------------------


def test_export_and_import_carry_the_list_and_the_drafts(store, another_db):
    store.add_never_say("Marie", ["Project Heron", "blue falcon"])
    old = store.save_post_draft("Marie", new(HERON, "x", "block"))
    with time_machine.travel(FROZEN + timedelta(days=1), tick=False):
        latest = store.save_post_draft("Marie", new(THANKS, "mastodon"))
    doc = json.loads(json.dumps(store.export_profile("Marie")))  # as written to a file
    assert doc["never_say"] == ["Project Heron", "blue falcon"]
    with time_machine.travel(FROZEN, tick=False), Store(another_db()) as other:
        other.import_profile(doc)
        assert other.never_say("Marie") == ["Project Heron", "blue falcon"]
        copied = other.post_drafts("Marie")
        assert [(d.text, d.network, d.verdict, d.saved_at) for d in copied] == [
            (latest.text, latest.network, latest.verdict, latest.saved_at),
            (old.text, old.network, old.verdict, old.saved_at),
        ]
        # replacing the profile replaces them: nothing doubled
        other.import_profile(doc, replace=True)
        assert other.never_say("Marie") == ["Project Heron", "blue falcon"]
        assert len(other.post_drafts("Marie")) == 2
        # a document written before they existed imports without them
        older = {k: v for k, v in doc.items() if k not in ("never_say", "post_drafts")}
        older["profile"] = {**doc["profile"], "name": "Older"}
        other.import_profile(older)
        assert other.never_say("Older") == [] and other.post_drafts("Older") == []


def _draft(**changes: Any) -> dict[str, Any]:
    return {
        "text": THANKS,
        "network": "linkedin",
        "verdict": "ok",
        "saved_at": FROZEN.isoformat(),
    } | changes


@pytest.mark.parametrize(
    ("part", "value", "detail"),
    [
        ("never_say", "Project Heron", "doc.never_say"),
        ("never_say", [12], "never_say[0]"),
        ("never_say", ["ok", ""], "never_say[1]"),
        ("never_say", ["x" * 201], "never_say[0]"),
        ("never_say", [f"p{i}" for i in range(MAX_PHRASES + 1)], "never_say (101 > 100)"),
        ("post_drafts", {"text": "hi"}, "doc.post_drafts"),
        ("post_drafts", [_draft(network="tiktok")], "post_drafts[0]"),
        ("post_drafts", [_draft(text="a" * 20_001)], "post_drafts[0]"),
        ("post_drafts", [_draft(verdict="maybe")], "post_drafts[0]"),
        ("post_drafts", [_draft(saved_at="yesterday")], "post_drafts[0].saved_at"),
        ("post_drafts", [{"text": THANKS}], "post_drafts[0].network"),
        ("post_drafts", [_draft()] * (MAX_SAVED_DRAFTS + 1), "post_drafts (101 > 100)"),
    ],
)
def test_an_import_with_a_broken_list_or_draft_writes_nothing(store, part, value, detail):
    doc = store.export_profile("Marie")
    doc["profile"]["name"] = "Copy"
    doc[part] = value
    before = store.revision()
    err = refused(lambda: store.import_profile(doc))
    assert err.key == "tracking.error.import_broken"
    assert err.params["detail"] == detail
    assert [p.name for p in store.list_profiles()] == ["John", "Marie"]
    assert store.revision() == before


# ---- the use cases ---------------------------------------------------------------------------------


def test_every_review_of_a_profile_looks_for_its_stored_list(store):
    assert service.review_post(store, "Marie", HERON, "linkedin", "en").verdict == "ok"
    service.add_never_say(store, "Marie", ["project heron"])
    result = service.review_post(store, "Marie", HERON, "linkedin", "en")
    assert result.verdict == "block"
    [finding] = [f for f in result.findings if f.rule == "confidential.never-say"]
    assert HERON[finding.start : finding.end] == "Project Heron"
    # John's reviews are not Marie's; a phrase for one review only adds to the list
    assert service.review_post(store, "John", HERON, "linkedin", "en").verdict == "ok"
    extra = service.review_post(store, "John", HERON, "linkedin", "en", never_say=["Priya"])
    assert [
        HERON[f.start : f.end] for f in extra.findings if f.rule == "confidential.never-say"
    ] == ["Priya"]
    assert service.never_say_list(store, "John") == []  # that phrase was not stored


def test_saving_a_draft_keeps_the_verdict_the_review_gives_it(store):
    service.add_never_say(store, "Marie", ["Project Heron"])
    saved = service.save_post_draft(store, "Marie", HERON, "linkedin")
    assert saved.verdict == "block"
    fixed = service.save_post_draft(store, "Marie", THANKS, "linkedin", saved)
    assert (fixed.id, fixed.verdict, fixed.version) == (saved.id, "ok", 2)
    assert service.post_drafts(store, "Marie") == [fixed]
    assert service.open_post_draft(store, "Marie", saved.id) == fixed
    service.delete_post_draft(store, "Marie", fixed)
    assert service.post_drafts(store, "Marie") == []


def test_bad_input_is_a_sentence_in_both_languages(store):
    err = refused(lambda: service.add_never_say(store, "Marie", ["x" * 250]))
    assert err.message("en") == (
        f"“{'x' * 30}…” has 250 characters; a phrase on the list holds up to 200. "
        "Nothing was saved."
    )
    assert err.message("fr") == typeset(
        f"« {'x' * 30}… » compte 250 caractères ; une expression de la liste "
        "en compte au plus 200. Rien n’a été enregistré.",
        "fr",
    )
    err = refused(lambda: service.save_post_draft(store, "Marie", "  ", "x"))
    assert err.message("fr").startswith("Le brouillon est vide")
    assert service.post_drafts(store, "Marie") == []


def test_first_words_cut_at_a_word_on_one_line():
    assert first_words("Short one.\nWhat do you think?") == "Short one. What do you think?"
    long = "Thanks to the support team for a year of patient work, " * 3
    preview = first_words(long)
    assert preview.endswith("…") and len(preview) <= 81
    assert long.startswith(preview[:-1])


# ---- signed-in people: access checked like every other part of a profile --------------------------

ISSUER = "https://login.acme.example"


@pytest.fixture
def people(db_url: str):
    """Alice and Bruno manage their own profiles; Claire coaches Alice; Dana administers."""
    with time_machine.travel(FROZEN, tick=False), Store(db_url) as store:
        org = store.ensure_organisation("acme", "Acme")
        roles = {"alice": "manager", "bruno": "manager", "claire": "coach", "dana": "admin"}
        for who, role in roles.items():
            uid = store.upsert_user(ISSUER, f"sub-{who}", f"{who}@acme.example", who.title())
            store.set_role(org, uid, role, True, None)
        users = {
            who: service.sign_in(
                store,
                {"iss": ISSUER, "sub": f"sub-{who}", "email": f"{who}@acme.example", "name": who},
            )
            for who in roles
        }

        def as_(who: str) -> Any:
            user = service.current_user(store, users[who].identity, f"{who}@acme.example")
            return service.for_user(store, user)

        service.create_profile(as_("alice"), "Alice", language="en")
        service.create_profile(as_("bruno"), "Bruno", language="en")
        service.assign_coach(as_("dana"), "Alice", f"{ISSUER}#sub-claire")
        yield store, as_


def test_only_those_who_may_read_a_profile_see_its_list_and_drafts(people):
    store, as_ = people
    alice = as_("alice")
    service.add_never_say(alice, "Alice", ["Project Heron"])
    saved = service.save_post_draft(alice, "Alice", THANKS, "linkedin")
    # her coach reads and helps
    claire = as_("claire")
    assert service.never_say_list(claire, "Alice") == ["Project Heron"]
    assert [d.id for d in service.post_drafts(claire, "Alice")] == [saved.id]
    service.add_never_say(claire, "Alice", ["Q3 results"])
    # another manager and an administrator get nothing, and write nothing
    before = (count(store, "never_say_phrases"), count(store, "post_drafts"), store.revision())
    for who in ("bruno", "dana"):
        other = as_(who)
        for call in (
            lambda o=other: service.never_say_list(o, "Alice"),
            lambda o=other: service.post_drafts(o, "Alice"),
            lambda o=other: service.open_post_draft(o, "Alice", saved.id),
            lambda o=other: service.add_never_say(o, "Alice", ["mine"]),
            lambda o=other: service.remove_never_say(o, "Alice", "Project Heron"),
            lambda o=other: service.save_post_draft(o, "Alice", HERON, "x"),
            lambda o=other: service.delete_post_draft(o, "Alice", saved),
            lambda o=other: service.review_post(o, "Alice", HERON, "x", "en"),
        ):
            with pytest.raises(Forbidden):
                call()
    assert (count(store, "never_say_phrases"), count(store, "post_drafts"), store.revision()) == (
        before
    )
    # Bruno's own list is his: Alice's phrases are not in his reviews
    assert service.never_say_list(as_("bruno"), "Bruno") == []


def test_changes_to_the_list_and_drafts_are_audited_with_their_actor(people):
    store, as_ = people
    alice = as_("alice")
    service.add_never_say(alice, "Alice", ["Project Heron"])
    saved = service.save_post_draft(alice, "Alice", THANKS, "linkedin")
    service.delete_post_draft(as_("claire"), "Alice", saved)
    with store.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.action, u.email FROM audit_log a JOIN users u ON u.id = a.actor_user_id"
                " WHERE a.action IN ('never_say.change', 'draft.save', 'draft.delete')"
                " ORDER BY a.id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("never_say.change", "alice@acme.example"),
        ("draft.save", "alice@acme.example"),
        ("draft.delete", "claire@acme.example"),
    ]


# ---- the command line -------------------------------------------------------------------------------


def cli(*args: str, stdin: bytes) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "coach", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={"COACH_LANG": "en", "PATH": "", "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def test_cli_review_with_a_profile_reads_its_stored_list(tmp_path):
    db = str(tmp_path / "coach.db")
    with Store(db) as store:
        store.create_profile("Marie", language="en")
        store.add_never_say("Marie", ["Project Heron"])
    draft = HERON.encode()
    done = cli("review", "-", "--profile", "Marie", "--db", db, "--format", "json", stdin=draft)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [HERON[f["start"] : f["end"]] for f in findings] == ["Project Heron"]
    assert [f["rule"] for f in findings] == ["confidential.never-say"]
    # without the profile, its list does not apply; --never-say adds a phrase for one run
    assert cli("review", "-", stdin=draft).returncode == 0
    extra = cli(
        "review", "-", "--profile", "Marie", "--db", db, "--never-say", "Priya", stdin=draft
    )
    assert extra.returncode == 1
    assert "“Project Heron”" in extra.stdout and "“Priya”" in extra.stdout
    with Store(db) as store:
        assert store.never_say("Marie") == ["Project Heron"]  # the review stored nothing
        assert store.post_drafts("Marie") == []


def test_two_saves_over_one_version_at_once_keep_one_and_refuse_the_other(store):
    import threading

    saved = store.save_post_draft("Marie", new(THANKS))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(words: str) -> None:
        start.wait()
        try:
            store.save_post_draft("Marie", replace(saved, text=words))
            outcomes.append("saved")
        except CoachError as err:
            outcomes.append(err.key)

    threads = [threading.Thread(target=save, args=(w,)) for w in ("Mine. Ideas?", "Yours. Ideas?")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["review.saved.changed", "saved"]
    kept = store.get_post_draft("Marie", saved.id)
    assert (kept.version, kept.text in ("Mine. Ideas?", "Yours. Ideas?")) == (2, True)
