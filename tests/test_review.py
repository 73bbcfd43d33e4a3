"""Before you post: the shipped rules on a corpus of drafts, the rule format, the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import yaml

from coach.playbook import PlaybookInvalid, default_playbook_path, load_playbook, validate_file
from coach.review import by_severity, review
from coach.review.patterns import UnsafePattern, compile_safe
from coach.review.text import counted_length, find_phrase, fold, fold_text
from coach.typography import typeset
from tests.conftest import FIXTURES, ROOT

CORPUS = yaml.safe_load((FIXTURES / "review" / "corpus.yaml").read_text(encoding="utf-8"))["drafts"]
BOOK = load_playbook(default_playbook_path())
SHIPPED = {rule.id for rule in BOOK.reviews}


def run(draft: dict, lang: str = "en"):
    return review(
        draft["text"],
        BOOK.reviews,
        network=draft.get("network", "linkedin"),
        lang=lang,
        facts=draft.get("facts", {}),
        never_say=draft.get("never_say", []),
    )


# ---- the corpus ---------------------------------------------------------------------------------


def test_the_corpus_has_forty_drafts_in_both_languages():
    assert len(CORPUS) >= 40
    assert sum(d["id"].startswith("fr-") for d in CORPUS) >= 20
    assert sum(d["id"].startswith("en-") for d in CORPUS) >= 20


@pytest.mark.parametrize("draft", CORPUS, ids=[d["id"] for d in CORPUS])
def test_each_draft_gets_the_expected_findings_on_the_right_words(draft):
    result = run(draft)
    got = sorted([f.rule, draft["text"][f.start : f.end]] for f in result.findings)
    assert got == sorted([rule, words] for rule, words in draft["expect"])


def test_sincere_posts_get_no_warning_and_no_block():
    sincere = [d for d in CORPUS if d.get("sincere")]
    assert len(sincere) >= 15
    false_positives = [
        (d["id"], f.rule) for d in sincere for f in run(d).findings if f.severity != "info"
    ]
    assert false_positives == []
    assert all(run(d).verdict == "ok" for d in sincere)


def test_every_shipped_rule_fires_somewhere_in_the_corpus():
    fired = {rule for d in CORPUS for rule, _ in d["expect"]}
    assert SHIPPED - fired == set()


def test_verdicts_follow_the_worst_severity():
    by_id = {d["id"]: d for d in CORPUS}
    assert run(by_id["en-layoffs"]).verdict == "block"
    assert run(by_id["en-boilerplate"]).verdict == "revise"
    assert run(by_id["fr-typographie"]).verdict == "ok"  # typography is only a tip


def test_messages_come_in_the_readers_language_with_french_typography():
    draft = {"text": "Our team saw 8 hashtags #a #b #c #d #e #f #g #h. Thanks! Questions?"}
    fr = run(draft, "fr").findings
    en = run(draft, "en").findings
    assert [f.message for f in en] == ["8 hashtags: beyond 5, the post looks like an ad."]
    assert fr[0].message == "8 mots-clics\u00a0: au-delà de 5, le message a l’air d’une publicité."


def test_the_regulated_rules_depend_on_the_profile_fact():
    text = "Our team launched a fund with guaranteed returns. Questions? Not investment advice."
    regulated = review(text, BOOK.reviews, facts={"regulated_sector": True})
    other = review(text, BOOK.reviews, facts={"regulated_sector": False})
    assert [f.rule for f in regulated.findings] == ["regulated.performance-promise"]
    assert other.findings == ()


def test_promotion_share_is_reported_in_the_stats():
    by_id = {d["id"]: d for d in CORPUS}
    assert run(by_id["en-promotion"]).stats["promotion_share"] == 1.0
    assert run(by_id["en-sincere-team-launch"]).stats["promotion_share"] == 0.0


def test_the_summary_agrees_its_words_with_the_figures():
    """« 1 mot-clic », not « 1 mots-clics »; "1 hashtag", "2 hashtags"."""
    from coach.i18n import t
    from coach.review import stats_words

    def summary(text: str, lang: str) -> str:
        result = review(text, BOOK.reviews, network="x", lang=lang)
        return t("review.ui.stats", lang, **stats_words(result, "x", lang))

    assert "1 mot-clic ·" in summary("Merci à l’équipe de Québec #fierte", "fr")
    assert "2 mots-clics" in summary("Merci à l’équipe #un #deux", "fr")
    assert "1 hashtag ·" in summary("Thanks to the Quebec team #proud", "en")
    assert "2 hashtags" in summary("Thanks to the team #one #two", "en")


# ---- matching and counting -----------------------------------------------------------------------


def test_phrases_ignore_case_accents_apostrophes_and_line_breaks_and_point_at_the_draft():
    text = "Bref : NOUS SOMMES\nFIERS D'ANNONCER la suite."
    folded = fold_text(text)
    spans = find_phrase(folded, fold("nous sommes fiers d’annoncer"))
    assert [text[s:e] for s, e in spans] == ["NOUS SOMMES\nFIERS D'ANNONCER"]


def test_phrases_match_whole_words_unless_they_end_with_a_star():
    folded = fold_text("The playoffs and the layoffs; licenciements.")
    assert len(find_phrase(folded, "layoff")) == 0
    assert len(find_phrase(folded, "layoff*")) == 1
    assert find_phrase(folded, "licenci*") == [(30, 43)]


def test_x_counts_each_link_as_23_and_wide_characters_as_2():
    link = "https://example.org/" + "a" * 100
    assert counted_length(f"Read {link}", "x") == (5 + 23, None)
    assert counted_length("日本", "x")[0] == 4
    assert counted_length("日本", "linkedin")[0] == 2
    assert counted_length("a" * 281, "x") == (281, 280)
    assert counted_length("e\u0301te\u0301", "x")[0] == 3  # « été » typed with combining accents


def test_mastodon_counts_links_as_23_and_remote_mentions_by_their_name():
    text = "@alex@fosstodon.org see https://example.org/" + "b" * 80
    assert counted_length(text, "mastodon")[0] == len("@alex") + len(" see ") + 23


def test_linkedin_allows_3000_characters():
    assert counted_length("a" * 3000, "linkedin") == (3000, None)
    result = review("a " * 1500 + "Thanks team? ok", BOOK.reviews, network="linkedin")
    assert [f.rule for f in result.findings] == ["length.network"]


# ---- rules are data, checked at load ------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(a+)+b", "unbounded"),
        ("a*b", "unbounded"),
        ("(a{1,5}){1,5}", "nested"),
        ("(a|ab){1,9}c", "branch_in_repeat"),
        ("(\\w)\\1", "backreference"),
        ("(?=a{1,3})b", "lookaround"),
        ("a{1,1000}", "unbounded"),
        ("(", "syntax"),
    ],
)
def test_patterns_that_could_take_super_linear_time_are_refused(pattern, reason):
    with pytest.raises(UnsafePattern) as caught:
        compile_safe(pattern)
    assert caught.value.reason == reason


def test_bounded_flat_patterns_are_accepted():
    assert compile_safe("(?<![\\w+])\\d{3}[ .-]\\d{4}(?!\\d)").search("call 555-0199")


def _playbook_with(tmp_path, reviews_yaml: str):
    source = default_playbook_path().read_text(encoding="utf-8")
    head = source[: source.index("\nreviews:")]
    path = tmp_path / "book.yaml"
    path.write_text(head + "\nreviews:\n" + textwrap.dedent(reviews_yaml), encoding="utf-8")
    return path, head.count("\n") + 3  # line of the first rule


def test_a_broken_rule_gets_file_and_line(tmp_path):
    path, first = _playbook_with(
        tmp_path,
        """\
        - id: bad.pattern
          severity: loud
          patterns: ["(a+)+"]
          message: {fr: "Message", en: "Message"}
          suggestion: {fr: "Suggestion"}
          finnd: {en: [x]}
        """,
    )
    problems: dict[int, str] = {}
    for problem in validate_file(path):
        problems[problem.line] = problems.get(problem.line, "") + problem.render("en")
    assert "“loud” is not allowed; use one of info, warn, block" in problems[first + 1]
    assert (
        "the pattern “(a+)+” is refused: every repetition needs an upper bound"
        in problems[first + 2]
    )
    assert "has no “en” text" in problems[first + 4]
    assert "did you mean “find”?" in problems[first + 5]
    with pytest.raises(PlaybookInvalid):
        load_playbook(path)


def test_a_rule_that_looks_for_nothing_or_an_unknown_fact_is_refused(tmp_path):
    path, first = _playbook_with(
        tmp_path,
        """\
        - id: empty.rule
          severity: info
          when: {fact: role, equals: ceo}
          message: {fr: "Message", en: "Message"}
          suggestion: {fr: "Suggestion", en: "Suggestion"}
        """,
    )
    text = "\n".join(p.render("fr") for p in validate_file(path))
    assert f"{path}:{first}: reviews[empty.rule] ne cherche rien" in text
    assert "role" in text


# ---- the command line ---------------------------------------------------------------------------


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "coach", "review", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={"COACH_LANG": "en", "PATH": "", "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    done.stdout, done.stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    return done


def test_cli_json_shape_offsets_and_exit_code_for_a_blocking_draft(tmp_path):
    text = (
        "Merci à l’équipe ! Écrivez à léa.roy@example.com. "
        "Nos résultats du trimestre dépassent tout. Des questions ?"
    )
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    done = cli(str(draft), "--format", "json", "--network", "x", "--lang", "fr")
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert doc["verdict"] == "block"
    assert set(doc["stats"]) == {"characters", "counted_length", "hashtags", "promotion_share"}
    findings = doc["findings"]
    assert all(
        set(f) == {"rule", "severity", "start", "end", "message", "suggestion"} for f in findings
    )
    assert [f["start"] for f in findings] == sorted(f["start"] for f in findings)  # text order
    address = next(f for f in findings if f["rule"] == "privacy.email")
    assert text[address["start"] : address["end"]] == "léa.roy@example.com"
    assert address["severity"] == "warn"  # the manager's own address is fine; another's is not
    assert "quelqu’un d’autre" in address["message"]
    leak = next(f for f in findings if f["severity"] == "block")
    assert text[leak["start"] : leak["end"]] == "Nos résultats du trimestre"


def test_cli_markdown_lists_what_blocks_first_and_words_the_whole_post_finding():
    text = b"Write to me at dana@example.com. Our Q3 numbers look great."
    done = cli("-", "--format", "md", stdin=text)
    assert done.returncode == 1, done.stderr
    items = [line for line in done.stdout.splitlines() if line.startswith("- **")]
    severities = [line.split("**")[1] for line in items]
    assert severities[0] == "Do not post"
    assert severities.index("Revise") < severities.index("Tip")
    whole = next(line for line in items if "credit.name-someone" in line)
    assert "About the whole post: the post names no team and no person." in whole
    fr = cli("-", "--format", "md", "--lang", "fr", stdin=b"Nos chiffres sont bons.")
    whole = next(line for line in fr.stdout.splitlines() if "credit.name-someone" in line)
    assert "Sur l’ensemble du message\u00a0: le message ne nomme ni une équipe" in whole


def test_cli_reads_stdin_and_exits_0_when_nothing_blocks():
    done = cli("-", "--never-say", "Falcon", stdin=b"Thanks team! What do you think?")
    assert done.returncode == 0, done.stderr
    assert "Ready to post." in done.stdout
    done = cli("-", "--never-say", "Falcon", stdin=b"Falcon ships soon, thanks team. Thoughts?")
    assert done.returncode == 1
    assert "“Falcon”" in done.stdout


@pytest.mark.parametrize(
    ("data", "args", "sentence"),
    [
        (b"   \n", (), "The draft is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", (), "The input received on standard input is not text"),
        ("café".encode("latin-1"), (), "The input received on standard input is not UTF-8"),
        (b"a" * 100_001, (), "The draft has 100001 characters; a review takes up to 100000."),
        (b"hello", ("--network", "tiktok"), "“tiktok” is not a network the review knows"),
    ],
)
def test_cli_bad_input_gets_a_sentence_and_exit_2(data, args, sentence):
    done = cli("-", *args, stdin=data)
    assert done.returncode == 2
    assert sentence in done.stderr
    assert "Traceback" not in done.stderr


def test_stdin_is_not_called_a_file_in_french_either():
    done = cli("-", "--lang", "fr", stdin=b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert done.returncode == 2
    assert done.stderr.startswith("Le texte reçu sur l’entrée standard n’est pas du texte")
    assert "fichier" not in done.stderr


def test_cli_missing_file_is_bad_input(tmp_path):
    done = cli(str(tmp_path / "nope.txt"))
    assert done.returncode == 2
    assert "cannot be read" in done.stderr


def test_cli_profile_brings_its_regulated_sector(tmp_path):
    db = str(tmp_path / "coach.db")
    created = subprocess.run(
        [sys.executable, "-m", "coach", "profile", "create", "Marie", "--regulated", "--db", db],
        capture_output=True,
        cwd=ROOT,
        env={"COACH_LANG": "en", "PATH": "", "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    draft = b"Our team built a fund with guaranteed returns. Not investment advice. Questions?"
    regulated = cli("-", "--profile", "Marie", "--db", db, "--format", "json", stdin=draft)
    assert regulated.returncode == 1, regulated.stderr
    assert [f["rule"] for f in json.loads(regulated.stdout)["findings"]] == [
        "regulated.performance-promise"
    ]
    assert cli("-", stdin=draft).returncode == 0  # no profile: not a regulated sector
    unknown = cli("-", "--profile", "Nobody", "--db", db, stdin=draft)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


@pytest.mark.parametrize(
    "section",
    [
        "reviews: nope\n",
        "reviews:\n  - 12\n",
        "reviews:\n  - {id: a, severity: info, message: x, suggestion: [], find: {en: x}}\n",
        "reviews:\n  - {id: a, severity: warn, message: {fr: a, en: a}, suggestion: {fr: a, en: a}, patterns: [12, '']}\n",
        "reviews:\n  - {id: a, severity: warn, message: {fr: a, en: a}, suggestion: {fr: a, en: a}, check: length, limits: {x: -1, tiktok: 3}}\n",
        "reviews:\n  - {id: a, severity: warn, message: {fr: a, en: a}, suggestion: {fr: a, en: a}, check: promotion_share, max: 7}\n",
        "reviews:\n  - {id: a, severity: warn, message: {fr: a, en: a}, suggestion: {fr: a, en: a}, find: {de: [x], en: ['  ']}, when: yes}\n",
        "reviews:\n  - {id: A B, severity: warn, message: {fr: a, en: a}, suggestion: {fr: a, en: a}, networks: [x, tiktok], find: {en: [x]}}\n"
        "  - {id: A B, severity: warn, message: {fr: a, en: a}, suggestion: {fr: a, en: a}, find: {en: [x]}}\n",
    ],
)
def test_malformed_review_sections_are_problems_not_crashes(tmp_path, section):
    source = default_playbook_path().read_text(encoding="utf-8")
    path = tmp_path / "book.yaml"
    path.write_text(source[: source.index("\nreviews:")] + "\n" + section, encoding="utf-8")
    problems = validate_file(path)
    assert problems
    first_review_line = source[: source.index("\nreviews:")].count("\n") + 2
    assert all(p.line >= first_review_line for p in problems)
    assert all(not p.render("fr").endswith(p.key) for p in problems)  # every key is translated


# ---- round three: what a manager noticed --------------------------------------------------------


def test_linkedin_counts_a_link_by_its_full_length():
    link = "https://example.org/" + "a" * 100
    text = f"Read {link}"
    assert counted_length(text, "linkedin") == (len(text), None)
    assert review(text, BOOK.reviews, network="linkedin").stats["counted_length"] == len(text)
    assert review(text, BOOK.reviews, network="x").stats["counted_length"] == 5 + 23
    assert counted_length(text, "mastodon")[0] == 5 + 23


# (draft, the words marked, what the tip says): one case each
TYPOGRAPHY_CASES = [
    ('Notre devise "écouter" tient bon.', '"écouter"', "guillemets droits"),
    ("Notre devise: écouter.", "devise:", "avant le deux-points"),
    ("Notre devise : écouter.", "devise :", "avant le deux-points"),
    ("Notre devise est «écouter» depuis dix ans.", "«", "à l’intérieur des guillemets"),
    ("Qui écoute vraiment ?", " ?", "une espace avant un point d’interrogation"),
    ("Nous avons écouté 40 % de plus.", "40 %", "entre le nombre et le signe %"),
]


@pytest.mark.parametrize(("text", "words", "problem"), TYPOGRAPHY_CASES)
def test_each_french_typography_case_has_its_own_tip(text, words, problem):
    result = review(text, BOOK.reviews, lang="fr")
    tips = [f for f in result.findings if f.rule == "typography.french"]
    assert [text[f.start : f.end] for f in tips] == [words]
    assert problem in tips[0].message
    assert tips[0].severity == "info" and result.verdict == "ok"


def test_typography_tips_differ_from_case_to_case_and_follow_the_products_french():
    text = 'Notre devise: "écouter". Qui écoute ? 40 % de plus. «Bravo»'
    tips = [
        f for f in review(text, BOOK.reviews, lang="en").findings if f.rule == "typography.french"
    ]
    assert len({f.message for f in tips}) == len(tips) == 5
    # What the product's own French looks like raises no tip.
    assert not [
        f
        for f in review(
            typeset("Notre devise : « écouter ». Qui écoute ? 40 % de plus.", "fr"), BOOK.reviews
        ).findings
        if f.rule == "typography.french"
    ]


def test_a_longer_phrase_is_one_finding_not_two_overlapping():
    text = "Nos résultats du trimestre sont excellents. Merci l’équipe, et vous?"
    found = [f for f in review(text, BOOK.reviews).findings if f.severity == "block"]
    assert [text[f.start : f.end] for f in found] == ["Nos résultats du trimestre"]


def test_by_severity_puts_what_blocks_first_then_position():
    text = "Write to dana@example.com. Our Q3 numbers are great! What do you think?"
    result = review(text, BOOK.reviews)
    ordered = by_severity(result.findings)
    assert [f.severity for f in ordered] == sorted(
        (f.severity for f in ordered), key=["block", "warn", "info"].index
    )
    assert ordered[0].rule == "confidential.unannounced-results"
    assert [f.start for f in result.findings] == sorted(f.start for f in result.findings)
