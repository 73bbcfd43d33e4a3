"""Board pack exports: parse what each format produces, as a reader (or an attacker) would."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from coach.exports import MIME, filename, layout, make_pack, preview_markdown, render
from coach.exports.csv_export import neutralise
from coach.exports.markdown import escape as md_escape
from coach.exports.pack import BoardPack
from coach.i18n import t
from coach.service import build_pack, pack_inputs, snapshot
from tests.conftest import FIXTURES, ROOT

HOSTILE = json.loads((FIXTURES / "exports" / "hostile.json").read_text(encoding="utf-8"))
TODAY = date(2026, 3, 2)  # a Monday
PLAYBOOK_FILE = FIXTURES / "exports" / "playbook.yaml"


def _fixture_playbook():
    from coach.playbook import load_playbook

    return load_playbook(PLAYBOOK_FILE)


def _utc(*parts):
    from datetime import UTC, datetime

    return datetime(*parts, 9, tzinfo=UTC)


# ---- a real profile in a throw-away store: the pack holds domain objects, nothing built by hand ---


def fill_store(
    store,
    name: str,
    lang: str = "fr",
    note: str = "",
    assessed: bool = True,
    weeks: int = 8,
    regulated: bool = False,
    start: date = date(2026, 2, 2),
):
    """Two assessments, a plan started on `start` with its first step done, `weeks` check-ins."""
    import yaml

    from coach.checkin import CheckIn, week_of
    from coach.planner import build_plan
    from coach.scoring import score

    playbook = _fixture_playbook()
    answers = yaml.safe_load((FIXTURES / "exports" / "answers.yaml").read_text(encoding="utf-8"))
    profile = store.create_profile(
        name,
        language=lang,
        hours_per_week=2.5,
        start_date=start,
        playbook_id=playbook.id,
        regulated_sector=regulated,
    )
    if assessed:
        earlier = {**answers, "responsiveness.replies": "rarely", "presence.comfort": 1}
        first = score(playbook, earlier, profile.facts)
        store.add_assessment(name, playbook, earlier, first, taken_at=_utc(2025, 11, 3))
        result = score(playbook, answers, profile.facts)
        store.add_assessment(name, playbook, answers, result, taken_at=_utc(2026, 1, 12))
        plan = build_plan(playbook, answers, result, start, 2.5, lang, profile.facts)
        store.save_plan(name, plan)
        store.set_step_state(name, plan.steps[0].id, "done", note=note, on=date(2026, 2, 27))
    last = TODAY - timedelta(days=7)
    checkins = [
        CheckIn(
            week=week_of(last - timedelta(weeks=weeks - 1 - i)),
            posts=i % 3,
            received=4 + i % 9,
            replies=3 + (i % 9) // 2,
            median_response_hours=30.5 - (i % 8) * 2,
            monitoring_sessions=1,
            note=note if i == weeks - 1 else "",
        )
        for i in range(weeks)
    ]
    if checkins:
        store.save_checkins(name, checkins, today=TODAY)
    return playbook


def make_pack_from_store(
    lang: str = "fr",
    name: str = "Marie-Ève Côté",
    note: str = "",
    empty: bool = False,
    weeks: int = 8,
    **kw,
) -> BoardPack:
    import tempfile
    from pathlib import Path

    from coach.store import Store

    folder = Path(tempfile.mkdtemp(prefix="pack-"))
    with Store(folder / "coach.db") as store:
        playbook = fill_store(
            store, name, lang, note, assessed=not empty, weeks=0 if empty else weeks, **kw
        )
        return build_pack(store, name, today=TODAY, playbook=playbook)


def hostile_pack(lang: str = "fr") -> BoardPack:
    """User text everywhere: profile name, step note, check-in note."""
    note = " ".join(HOSTILE[k] for k in ("script", "img", "markdown_link", "table_breaker"))
    name = HOSTILE["script"] + " Cœur « à l’œuvre »"
    return make_pack_from_store(lang, name=name, note=note)


# ---- PDF ------------------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    # French lines tie « », : and ; with no-break spaces; a reader sees spaces
    return [" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in reader.pages]


def test_pdf_page_one_is_an_executive_summary_in_french():
    pack = make_pack_from_store("fr", name="Chloé Bœuf-Gagné")
    first = pdf_pages(render(pack, "pdf"))[0]
    for heading in (
        "L’essentiel",
        "Où j’en suis et où je vise",
        "Par où commencer",
        "Mes objectifs",
        "Ce que je demande au conseil",
    ):
        assert heading in first, heading
    # the bottom line: three first-person sentences, before any table
    assert pack.bottom_line and len(pack.bottom_line) == 3
    assert first.index("Je suis au niveau") < first.index("Dimension")
    assert "Depuis mon autoévaluation du 3 novembre 2025, mon score d’ensemble a" in first
    assert "La décision que je vous demande : protéger 2,5 h par semaine" in first
    # two separate columns, each named for what it holds
    assert "Écart à la cible" in first and "Évolution depuis le 3 nov. 2025" in first
    assert "Écart +" not in first and re.search(r"[+−]\d+ points|±0 points", first)
    assert "1 niveau (" in first or "Cible atteinte" in first
    # the playbook's title in the footer, not its id; no unexplained grade
    assert "Référentiel : Guide d’essai « œuvre » · version 1.0" in first
    assert "exports-mini" not in first and "Note" not in first
    assert "Chloé Bœuf-Gagné" in first and "Summary" not in first


def test_pdf_page_one_in_english_with_both_columns():
    first = pdf_pages(render(make_pack_from_store("en"), "pdf"))[0]
    assert "Bottom line" in first and "What I ask of the board" in first
    assert "Gap to target" in first and "Change since Nov 3, 2025" in first
    assert "I am at level" in first and "The decision I ask of you: protect 2.5 h a week" in first
    assert "Playbook: Test playbook · version 1.0" in first
    assert "Page 1 of" in first and "Sommaire" not in first


def test_pdf_sections_page_numbers_and_header_on_every_page():
    pages = pdf_pages(render(make_pack_from_store("fr", name="Chloé Bœuf-Gagné"), "pdf"))
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, 1):
        assert f"Page {number} sur {total}" in text
        assert "Chloé Bœuf-Gagné" in text
        assert "2 mars 2026" in text
    rest = "\n".join(pages[1:])
    for heading in (
        "Ce qui a changé",
        "Risques",
        "Le plan",
        "Pourquoi ces premières étapes",
        "Progrès",
        "Suivis hebdomadaires",
        "Méthode",
    ):
        assert heading in rest, heading
    # dates in words in the plan and check-in tables, never ISO
    assert not re.search(r"\d{4}-\d{2}-\d{2}", rest) and "23 févr. 2026" in rest


def test_pdf_renders_french_punctuation_and_euro_from_user_text():
    pack = make_pack_from_store("fr", name=HOSTILE["typography"])
    text = pdf_pages(render(pack, "pdf"))[0]
    assert "« à l’œuvre »" in text and "20 €" in text and "ç" in text


def test_pdf_draws_the_four_charts_as_vector_graphics_with_dates():
    pages = pdf_pages(render(make_pack_from_store("fr"), "pdf"))
    progress = next(p for p in pages if "Progrès" in p)
    for title in ("Publications par semaine et cible", "Avancement du plan"):
        assert title in progress
    assert not re.search(r"\bS\d\d\b", progress) and "2 févr. 2026" in progress  # dates, no codes
    assert "Cible 2" in progress or "Cible 1" in progress


@pytest.mark.parametrize(("paper", "width"), [("A4", 595), ("Letter", 612), ("letter", 612)])
def test_pdf_paper_size(paper, width):
    reader = PdfReader(io.BytesIO(render(make_pack_from_store("en"), "pdf", paper=paper)))
    assert round(float(reader.pages[0].mediabox.width)) == width


def test_pdf_names_characters_its_font_lacks_instead_of_a_box():
    note = HOSTILE["formula"] + HOSTILE["cr"] + HOSTILE["emoji"] + " 中文"
    pack = make_pack_from_store("fr", name=HOSTILE["emoji"], note=note)
    text = "\n".join(pdf_pages(render(pack, "pdf")))
    assert "Bravo [U+1F389]" in text and "[U+4E2D][U+6587]" in text
    assert "□" not in text
    assert "ils sont imprimés par leur code" in text and "party popper" in text


def test_a_heading_is_never_the_last_line_of_a_page():
    reader = PdfReader(io.BytesIO(render(make_pack_from_store("fr", weeks=40), "pdf")))
    headings = ("30 premiers jours", "Jours 31 à 60", "Jours 61 à 90", "Au-delà de 90 jours")
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("Référentiel", "Page "))]
        assert body[-1].replace("\u00a0", " ") not in headings, body[-3:]


@pytest.mark.parametrize(("lang", "paper"), [("fr", "Letter"), ("en", "A4")])
def test_pdf_summary_stays_on_page_one_even_when_it_is_long(lang, paper):
    pack = make_pack_from_store(lang)
    words = "protected time on Tuesday mornings to prepare and review what I publish"
    long_asks = tuple(f"{i}. {words} " * 6 + f"(end of ask {i})" for i in (1, 2, 3))
    for tried in (pack, replace(pack, asks=long_asks, bottom_line=pack.bottom_line * 2)):
        pages = pdf_pages(render(tried, "pdf", paper=paper))
        last_ask = " ".join(tried.asks[-1].split())
        assert last_ask in pages[0], "the summary spilled onto page 2"
        changes = "Ce qui a changé" if lang == "fr" else "What changed"
        assert changes not in pages[0] and changes in pages[1]


def test_pdf_never_breaks_a_line_at_a_no_break_space():
    reader = PdfReader(io.BytesIO(render(make_pack_from_store("fr"), "pdf")))
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines()]
    # "Évolution depuis le 3 nov. 2025" may wrap, but "3" and "nov." stay together
    assert "3\u00a0nov. 2025" in lines or "3 nov. 2025" in " ".join(lines)
    assert not any(line.endswith("le 3") for line in lines), lines
    assert not any(line.startswith((":", "»", ";")) for line in lines), lines


def test_pdf_documents_in_one_process_keep_their_own_characters():
    plain = make_pack_from_store("en")
    first = render(plain, "pdf")
    typography = pdf_pages(render(make_pack_from_store("fr", name=HOSTILE["typography"]), "pdf"))
    assert "« à l’œuvre »" in typography[0] and "20 €" in typography[0]
    assert render(plain, "pdf") == first  # nothing of the other pack leaked into this one


def test_pdf_check_in_table_shows_the_latest_twelve_weeks(tmp_path):
    from coach.store import Store

    with Store(tmp_path / "coach.db") as store:
        fill_store(store, "Ten", "fr", weeks=520, start=date(2016, 1, 4))
        pack = build_pack(store, "Ten", today=TODAY, playbook=_fixture_playbook())
    _headers, rows = layout.checkins_table(pack)
    weeks = [" ".join(row[0].split()) for row in rows]
    assert len(rows) == 12 and weeks[0] == "23 févr. 2026" and weeks[-1] == "8 déc. 2025"
    note = "Les 12 semaines les plus récentes; l’export CSV contient chaque semaine."
    text = "\n".join(pdf_pages(render(pack, "pdf")))
    assert note in " ".join(text.split()) and "1 déc. 2025 " not in text
    markdown = render(pack, "md").decode("utf-8").replace("\u202f", " ").replace("\u00a0", " ")
    assert note in markdown
    csv_rows = render(pack, "csv").decode("utf-8").count("Suivi hebdomadaire")
    assert csv_rows == 520  # every week stays in the CSV export


# ---- HTML -----------------------------------------------------------------------------------------


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, _tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def parse_html(data: bytes) -> Collector:
    parser = Collector()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


def test_html_escapes_user_text_and_runs_nothing():
    data = render(hostile_pack("fr"), "html")
    page = parse_html(data)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags
    # only our own <img> (the charts); the note's <img onerror> stayed text
    assert all(
        attrs.get("src", "").startswith("data:image/svg+xml;base64,")
        for tag, attrs in page.tags
        if tag == "img"
    )
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    text = "".join(page.text)
    assert HOSTILE["script"] in text and HOSTILE["img"] in text  # shown as typed, not interpreted
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in data.decode()


def test_html_is_self_contained():
    data = render(hostile_pack("en"), "html")
    page = parse_html(data)
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, name, value[:60])
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
    assert "url(" not in page.style and "@import" not in page.style
    assert "@media print" in page.style
    csp = [
        a["content"]
        for t_, a in page.tags
        if t_ == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in csp[0]
    assert sum(1 for tag, _ in page.tags if tag == "img") == 4  # the charts, inline


def html_charts(data: bytes) -> list:
    import base64
    import xml.etree.ElementTree as ET

    page = parse_html(data)
    sources = [a["src"] for tag, a in page.tags if tag == "img"]
    return [ET.fromstring(base64.b64decode(src.split(",", 1)[1])) for src in sources]


def test_html_charts_are_well_formed_svg_with_targets_and_data():
    svg_ns = "{http://www.w3.org/2000/svg}"
    charts = html_charts(render(make_pack_from_store("fr"), "html"))
    assert len(charts) == 4
    posts, response_time, rate, burnup = charts
    assert posts.findall(f"{svg_ns}rect")[1:]  # the bars (after the white background)
    for chart, has_target in ((posts, True), (response_time, True), (rate, True)):
        texts = [t.text or "" for t in chart.iter(f"{svg_ns}text")]
        # the dashed target is named, and only where the goal has one
        assert any(text.startswith("Cible") for text in texts) is has_target
    assert response_time.findall(f"{svg_ns}polyline")
    assert len(burnup.findall(f"{svg_ns}polyline")) == 2  # planned and done


def test_html_charts_escape_text_inside_the_svg():
    charts = html_charts(render(hostile_pack("en"), "html"))
    assert len(charts) == 4  # parsed as XML: nothing typed broke the markup


def test_html_language_summary_and_paper():
    page = parse_html(render(make_pack_from_store("fr"), "html", paper="Letter"))
    assert ("html", {"lang": "fr-CA"}) in page.tags
    text = " ".join(page.text)
    assert "L’essentiel" in text and "Méthode" in text
    assert "size: letter" in page.style
    assert "size: A4" in parse_html(render(make_pack_from_store("en"), "html")).style


# ---- Markdown -------------------------------------------------------------------------------------


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_escapes_user_text():
    text = render(hostile_pack("fr"), "md").decode("utf-8")
    assert "<script>" not in text and "<img" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link or image: every ] is escaped
    assert "&lt;script&gt;" in text
    assert "\n# not a heading" not in text
    # every row of a table has as many cells as its header: the note's "|" did not add a column
    tables = re.findall(r"((?:^\|.*\n)+)", text, flags=re.M)
    assert tables
    for block in tables:
        counts = {unescaped_pipes(row) for row in block.strip().splitlines()}
        assert len(counts) == 1, block


def test_markdown_same_content_as_pdf():
    text = preview_markdown(make_pack_from_store("fr"))
    for heading in (
        "## L’essentiel",
        "### Où j’en suis et où je vise",
        "## Le plan",
        "## Progrès",
        "## Méthode",
    ):
        assert heading in text
    assert "Écart à la cible" in text and "Guide d’essai « œuvre »" in text
    assert render(make_pack_from_store("fr"), "md").decode("utf-8") == text


@pytest.mark.parametrize(
    "key", ["script", "img", "markdown_link", "table_breaker", "formula", "tab", "cr"]
)
def test_markdown_escape_is_one_inert_line(key):
    out = md_escape(HOSTILE[key])
    assert "\n" not in out and "\r" not in out and "<" not in out
    assert unescaped_pipes(out) == 0 and not re.search(r"(?<!\\)[\[\]`*_]", out)


# ---- CSV ------------------------------------------------------------------------------------------


def read_csv(data: bytes, lang: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents
    return list(
        csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";" if lang == "fr" else ",")
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_csv_steps_and_checkins_with_formulas_neutralised(lang):
    pack = make_pack_from_store(lang, note=HOSTILE["formula"])
    rows = read_csv(render(pack, "csv"), lang)
    header, body = rows[0], rows[1:]
    assert len(body) == len(pack.steps) + len(pack.checkins)
    assert {row[0] for row in body} == {t("exports.csv_step", lang), t("exports.csv_checkin", lang)}
    note = header.index(t("exports.col.note", lang))
    notes = [row[note] for row in body if row[note]]
    assert notes == ["'" + HOSTILE["formula"]] * 2  # one step note, one check-in note
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_french_uses_semicolon_and_decimal_comma():
    rows = read_csv(render(make_pack_from_store("fr"), "csv"), "fr")
    hours = rows[0].index("Délai médian (h)")
    assert any("," in row[hours] for row in rows[1:])  # a decimal comma, never a point
    assert not any("." in row[hours] for row in rows[1:])
    assert "Répondre en moins d’une journée" in [cell for row in rows for cell in row]


@pytest.mark.parametrize("key", ["formula", "plus", "minus", "at", "tab", "cr"])
def test_csv_neutralise_every_formula_start(key):
    assert neutralise(HOSTILE[key]) == "'" + HOSTILE[key]
    assert neutralise("Publier chaque semaine") == "Publier chaque semaine"


def test_csv_hostile_values_survive_a_round_trip():
    for key in ("plus", "minus", "at", "tab", "cr"):
        rows = read_csv(render(make_pack_from_store("en", note=HOSTILE[key]), "csv"), "en")
        assert "'" + HOSTILE[key] in [cell for row in rows for cell in row], key


# ---- ICS ------------------------------------------------------------------------------------------


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_ics_one_all_day_event_per_step_on_its_due_date():
    pack = make_pack_from_store("fr")
    evs = events(render(pack, "ics"))
    by_uid = {str(ev["UID"]): ev for ev in evs}
    assert len(by_uid) == len(evs)  # UIDs are unique
    steps = [ev for ev in evs if "RRULE" not in ev]
    assert len(steps) == len(pack.steps)
    for step, ev in zip(sorted(pack.steps, key=lambda s: s.order), steps, strict=True):
        start = ev.decoded("DTSTART")
        assert start == step.due and not hasattr(start, "hour")  # a date: all day
        assert ev.decoded("DTEND") == step.due + timedelta(days=1)
        assert step.title in str(ev["SUMMARY"])


def test_ics_uids_are_stable_between_exports():
    first = {str(ev["UID"]) for ev in events(render(make_pack_from_store("fr"), "ics"))}
    later = replace(make_pack_from_store("fr"), today=TODAY + timedelta(days=30))
    assert {str(ev["UID"]) for ev in events(render(later, "ics"))} == first


def test_ics_weekly_posting_reminder_follows_the_target():
    cal = Calendar.from_ical(render(make_pack_from_store("en"), "ics"))
    recurring = [ev for ev in cal.walk("VEVENT") if "RRULE" in ev]
    assert len(recurring) == 2  # posting cadence and check-in
    posting = next(ev for ev in recurring if "Publish" in str(ev["SUMMARY"]))
    rule = posting["RRULE"]
    from coach.exports.ics import POSTING_DAYS

    posts = round(make_pack_from_store("en").posting_target)
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == list(POSTING_DAYS[posts])
    assert str(posting["DTSTART"].params.get("TZID")) == "America/Toronto"
    assert cal.walk("VTIMEZONE")  # Outlook needs the zone definition
    assert b"RRULE:FREQ=WEEKLY" in render(make_pack_from_store("en"), "ics")


# ---- no assessment, no check-ins ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_profile_exports_every_format_with_not_yet(lang):
    pack = make_pack_from_store(lang, empty=True)
    not_yet = "Pas encore" if lang == "fr" else "Not yet"
    assert not_yet in pdf_pages(render(pack, "pdf"))[0]
    assert not_yet in " ".join(parse_html(render(pack, "html")).text)
    assert not_yet in render(pack, "md").decode("utf-8")
    assert len(read_csv(render(pack, "csv"), lang)) == 1  # header only
    recurring = [ev for ev in events(render(pack, "ics")) if "RRULE" in ev]
    assert len(recurring) == 1  # the check-in reminder; no posting target yet


# ---- API for the app ------------------------------------------------------------------------------


def test_filename_and_mime_for_every_format():
    pack = make_pack_from_store("fr", name=HOSTILE["script"] + " Œuvre")
    for fmt, mime in MIME.items():
        name = filename(pack, fmt)
        assert name.isascii() and "/" not in name and "<" not in name
        assert name.endswith("." + fmt) and "oeuvre" in name
        assert mime
    assert filename(make_pack_from_store("en"), "pdf") == "board-pack-marie-eve-cote-2026-03-02.pdf"


def test_unknown_format_is_a_sentence():
    from coach.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        render(make_pack_from_store("fr"), "docx")
    assert "docx" in err.value.message("fr") and "pdf" in err.value.message("fr")


def test_catalogues_have_the_same_keys_and_every_key_used_exists():
    import yaml

    from coach.i18n import LOCALES_DIR, has_key

    def keys(lang):
        out = set()

        def walk(prefix, value):
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(f"{prefix}.{k}", v)
            else:
                out.add(prefix)

        walk("", yaml.safe_load((LOCALES_DIR / lang / "exports.yaml").read_text(encoding="utf-8")))
        return out

    assert keys("fr") == keys("en")
    source = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "coach" / "exports").glob("*.py")
    )
    used = set(re.findall(r"""text\(\s*f?["']([a-z_.\-]+)["']""", source))
    for key in used:
        if key.endswith("."):
            continue
        for lang in ("fr", "en"):
            assert has_key(f"exports.{key}", lang), (key, lang)


# ---- from the store: build_pack against real data -------------------------------------------------

STORE_TODAY = date(2026, 3, 4)
HOSTILE_NAME = HOSTILE["script"] + ' =HYPERLINK("x")'


def seeded_store(tmp_path, name: str = HOSTILE_NAME, lang: str = "fr"):
    """A profile two assessments in, a plan under way and eight weeks of check-ins."""
    import yaml

    from coach.checkin import CheckIn, week_of
    from coach.planner import build_plan
    from coach.playbook import load_playbook
    from coach.scoring import score
    from coach.store import Store

    playbook = load_playbook(PLAYBOOK_FILE)
    answers = yaml.safe_load((FIXTURES / "exports" / "answers.yaml").read_text(encoding="utf-8"))
    store = Store(tmp_path / "coach.db")
    profile = store.create_profile(
        name,
        language=lang,
        hours_per_week=2,
        start_date=date(2026, 1, 5),
        playbook_id=playbook.id,
        regulated_sector=True,
    )
    earlier = {**answers, "responsiveness.replies": "rarely", "presence.comfort": 1}
    store.add_assessment(
        name, playbook, earlier, score(playbook, earlier, profile.facts), taken_at=_utc(2025, 12, 1)
    )
    result = score(playbook, answers, profile.facts)
    store.add_assessment(name, playbook, answers, result, taken_at=_utc(2026, 1, 5))
    plan = build_plan(playbook, answers, result, date(2026, 1, 5), 2, lang, profile.facts)
    store.save_plan(name, plan)
    store.set_step_state(name, plan.steps[0].id, "done", note=HOSTILE["img"], on=date(2026, 2, 20))
    checkins = [
        CheckIn(
            week=week_of(date(2026, 1, 5) + timedelta(weeks=i)),
            posts=i % 3,
            received=5 + i,
            replies=3 + i // 2,
            median_response_hours=40.0 - 3 * i,
            note=HOSTILE["formula"] if i == 5 else "",
        )
        for i in range(8)
    ]
    store.save_checkins(name, checkins, today=STORE_TODAY)
    return store, playbook, plan


def test_build_pack_holds_domain_objects_from_the_store(tmp_path):
    from coach.model import Step
    from coach.planner import open_steps
    from coach.progress import burnup
    from coach.tracking import GoalStatus, PlanCompletion

    store, playbook, plan = seeded_store(tmp_path)
    pack = build_pack(store, HOSTILE_NAME, today=STORE_TODAY, playbook=playbook)
    assert pack.lang == "fr" and pack.profile_name == HOSTILE_NAME
    assert pack.previous.taken_at.date() == date(2025, 12, 1)
    assert all(isinstance(s, Step) for s in pack.steps)
    assert all(isinstance(g, GoalStatus) for g in pack.goals)
    assert isinstance(pack.completion, PlanCompletion) and pack.completion.steps_done == 1
    assert pack.note(pack.steps[0]) == HOSTILE["img"] and pack.state(pack.steps[0]) == "done"
    # where to start is the app's: planner.open_steps, in priority order, not by date
    stored = store.get_plan(HOSTILE_NAME)
    assert [s.id for s in pack.where_to_start] == [
        s.id for s in open_steps(stored.plan, stored.states)[:3]
    ]
    # the burn-up is the domain's, computed once
    assert pack.burnup == burnup(stored.plan, stored.states, STORE_TODAY)
    assert any("Répondre en moins d’une journée" in line for line in pack.changes)
    assert any("en retard" in line for line in pack.risks)
    assert any("conformité" in line for line in pack.asks)  # regulated sector
    assert pack.series[0].points[0][0] == "2026-W02"  # the plan's start week
    assert pack.posting_target == next(g.target for g in plan.goals if g.metric == "posts")


def test_make_pack_is_pure_and_gives_what_build_pack_gives(tmp_path):
    store, playbook, _ = seeded_store(tmp_path)
    parts = pack_inputs(snapshot(store, HOSTILE_NAME, today=STORE_TODAY, playbook=playbook))
    store.close()  # the pure builder reads nothing from the store
    pack = make_pack(**parts)
    again = build_pack(Store_(tmp_path), HOSTILE_NAME, today=STORE_TODAY, playbook=playbook)
    assert render(pack, "md") == render(again, "md")


def Store_(tmp_path):
    from coach.store import Store

    return Store(tmp_path / "coach.db")


def test_the_response_time_ask_carries_hours_never_the_response_rate(tmp_path):
    from dataclasses import replace as change

    store, playbook, _ = seeded_store(tmp_path)
    parts = pack_inputs(snapshot(store, HOSTILE_NAME, today=STORE_TODAY, playbook=playbook))
    # the response rate off track: the ask names the reply delay the plan aims for, in hours
    parts["goals"] = [
        change(g, status="off_track") if g.metric == "response_rate" else g for g in parts["goals"]
    ]
    for lang, words in (("fr", "délai de réponse de"), ("en", "keep replies within")):
        pack = make_pack(**{**parts, "lang": lang})
        ask = next(a for a in pack.asks if words in a)
        hours = next(g.target for g in pack.goals if g.metric == "median_response_hours")
        assert re.search(rf"{words} {int(hours)}\sh\b", ask), ask
        assert "%" not in ask and "≥" not in ask


def test_plural_agreement_in_the_changes(tmp_path):
    store, playbook, _ = seeded_store(tmp_path)
    pack = build_pack(store, HOSTILE_NAME, today=date(2026, 3, 20), playbook=playbook)
    line = next(c for c in pack.changes if "suivi" in c)
    assert line.startswith("1 suivi hebdomadaire sur") or "suivis hebdomadaires" in line
    assert "1 suivis" not in " ".join(pack.changes)


def test_build_pack_translates_a_french_plan_into_english(tmp_path):
    store, playbook, _ = seeded_store(tmp_path)
    pack = build_pack(store, HOSTILE_NAME, lang="en", today=STORE_TODAY, playbook=playbook)
    titles = {s.title for s in pack.steps}
    assert "Reply within a day" in titles and "Répondre en moins d’une journée" not in titles
    assert any(reason.startswith("Because") for s in pack.steps for reason in s.why)
    assert pack.dimension_title("presence") == "Presence"


def test_every_format_from_the_store_is_safe(tmp_path):
    store, playbook, plan = seeded_store(tmp_path)
    pack = build_pack(store, HOSTILE_NAME, today=STORE_TODAY, playbook=playbook)
    pages = pdf_pages(render(pack, "pdf"))
    assert "L’essentiel" in pages[0] and HOSTILE_NAME in pages[0]
    assert "Guide d’essai « œuvre »" in pages[0]  # œ, ’ and « » from the playbook title
    page = parse_html(render(pack, "html"))
    assert "script" not in [tag for tag, _ in page.tags]
    assert HOSTILE["img"] in "".join(page.text)
    markdown = render(pack, "md").decode("utf-8")
    assert "<script>" not in markdown and "<img" not in markdown
    cells = [cell for row in read_csv(render(pack, "csv"), "fr") for cell in row]
    assert "'" + HOSTILE["formula"] in cells
    evs = events(render(pack, "ics"))
    dues = sorted(ev.decoded("DTSTART") for ev in evs if "RRULE" not in ev)
    assert dues == sorted(s.due for s in plan.steps)
    deck = slides(render(pack, "pptx"))
    assert HOSTILE_NAME in slide_text(deck.slides[0])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_new_profile_has_no_pack_to_send(tmp_path, lang):
    from coach.store import Store

    store = Store(tmp_path / "coach.db")
    store.create_profile("Nouveau", language=lang, playbook_id="exports-mini")
    pack = build_pack(store, "Nouveau", today=STORE_TODAY)
    assert not pack.has_assessment and not pack.steps and not pack.checkins
    assert pack.bottom_line == () and pack.asks == ()
    not_yet = "Pas encore" if lang == "fr" else "Not yet"
    for fmt in ("pdf", "html", "md"):
        data = render(pack, fmt)
        text = "\n".join(pdf_pages(data)) if fmt == "pdf" else data.decode("utf-8")
        assert not_yet in text, fmt


# ---- the command line -----------------------------------------------------------------------------


def test_cli_exports_in_the_profile_language(tmp_path, monkeypatch, capsys):
    from coach.cli import main

    seeded_store(tmp_path, name="Chloé")
    monkeypatch.setenv("COACH_LANG", "en")  # messages in English, the pack stays French
    monkeypatch.setattr("coach.service.common.find_playbook", lambda *_a, **_k: _fixture_playbook())
    out = tmp_path / "pack.pdf"
    db = str(tmp_path / "coach.db")
    code = main(["export", "--db", db, "--profile", "Chloé", "--format", "pdf", "-o", str(out)])
    assert code == 0
    assert "Board pack written" in capsys.readouterr().out
    first = pdf_pages(out.read_bytes())[0]
    assert "L’essentiel" in first
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter in America/Toronto

    out = tmp_path / "pack.html"
    args = ["--profile", "Chloé", "--format", "html", "-o", str(out), "--lang", "en"]
    assert main(["export", "--db", db, *args, "--paper", "a4"]) == 0
    assert "Bottom line" in out.read_text(encoding="utf-8")


def test_cli_unknown_profile_is_a_sentence(tmp_path, capsys):
    from coach.cli import main

    code = main(["export", "--db", str(tmp_path / "x.db"), "--profile", "Nobody", "--format", "md"])
    err = capsys.readouterr().err
    assert code == 1 and "Nobody" in err and "Traceback" not in err


def test_markdown_escapes_dollars_for_the_app_preview():
    # Streamlit's Markdown reads $…$ as LaTeX: a note about budgets must stay text.
    assert md_escape("Budget $5 or $10") == "Budget \\$5 or \\$10"


def test_cli_refuses_a_pack_without_an_assessment(tmp_path, capsys):
    from coach.cli import main
    from coach.store import Store

    db = tmp_path / "coach.db"
    with Store(db) as store:
        store.create_profile("Nouveau", language="fr", playbook_id="exports-mini")
    out = tmp_path / "pack.pdf"
    args = ["export", "--db", str(db), "--profile", "Nouveau", "--format", "pdf", "-o", str(out)]
    assert main([*args, "--lang", "fr"]) == 1
    err = capsys.readouterr().err
    assert "Nouveau n’a pas encore d’autoévaluation" in err and "Traceback" not in err
    assert not out.exists()
    assert main([*args, "--lang", "en"]) == 1
    assert "has no self-assessment yet" in capsys.readouterr().err


def test_a_full_disk_never_destroys_the_older_pack(tmp_path):
    """The export goes to a temporary file first; a write cut short leaves the old file whole."""
    import subprocess
    import sys

    store, _, _ = seeded_store(tmp_path, name="Chloé")
    store.close()
    out = tmp_path / "pack.html"
    out.write_bytes(b"the good older pack")
    # The size limit starts just before the file is written (the database is read by then).
    script = (
        "import resource, signal, sys\n"
        "import coach.commands.exports as command\n"
        "real = command.write_file\n"
        "def limited(path, data):\n"
        "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "    real(path, data)\n"
        "command.write_file = limited\n"
        "from coach.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = ["export", "--db", str(tmp_path / "coach.db"), "--profile", "Chloé", "--format"]
    done = subprocess.run(
        [sys.executable, "-c", script, *args, "html", "-o", str(out), "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COACH_LANG": "en"},
    )
    assert done.returncode == 1 and "Cannot write" in done.stderr, done.stderr
    assert "untouched" in done.stderr and "Traceback" not in done.stderr
    assert out.read_bytes() == b"the good older pack"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".pack")) == []


def test_cli_export_loads_no_app_or_dataframe_library(tmp_path):
    """The command-line export stays light: no Streamlit, pandas or Altair in its process."""
    import subprocess
    import sys

    store, _, _ = seeded_store(tmp_path, name="Chloé")
    store.close()
    script = (
        "import sys\n"
        "from coach.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = {'streamlit', 'pandas', 'altair', 'vl_convert'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
        "sys.exit(code)\n"
    )
    for fmt in ("pdf", "html", "pptx"):
        args = ["export", "--db", str(tmp_path / "coach.db"), "--profile", "Chloé"]
        done = subprocess.run(
            [sys.executable, "-c", script, *args, "--format", fmt, "-o", str(tmp_path / fmt)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "COACH_LANG": "en"},
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "[]", (fmt, done.stdout)
        assert (tmp_path / fmt).stat().st_size > 1000


# ---- charts: one SVG module for the PDF and the HTML ----------------------------------------------


def test_chart_ticks_are_whole_numbers():
    from coach.exports.svg import nice_ticks

    for high in (0.4, 1.1, 2.2, 3.3, 7, 13, 48, 130):
        ticks = nice_ticks(high)
        assert all(isinstance(x, int) for x in ticks) and len(set(ticks)) == len(ticks)
        assert ticks[0] == 0 and ticks[-1] >= high


def test_charts_cover_the_plan_or_the_last_52_weeks_and_sum_up_the_years_before(tmp_path):
    from coach.store import Store

    with Store(tmp_path / "coach.db") as store:
        fill_store(store, "Ten", "fr", weeks=520, start=date(2016, 1, 4))
        pack = build_pack(store, "Ten", today=TODAY, playbook=_fixture_playbook())
    assert all(len(series.points) == 52 for series in pack.series)
    assert len(pack.window_checkins) == 52 and len(pack.earlier_checkins) == 468
    markdown = render(pack, "md").decode("utf-8")
    assert "Avant le 3 mars 2025 : 468 suivis hebdomadaires depuis la semaine du" in markdown
    with Store(tmp_path / "short.db") as store:
        fill_store(store, "Court", "fr", weeks=30, start=date(2026, 1, 5))
        short = build_pack(store, "Court", today=TODAY, playbook=_fixture_playbook())
    assert short.series[0].points[0][0] == "2026-W02"  # the plan start: shorter than 52 weeks


def test_no_data_means_no_chart():
    from coach.exports.svg import charts

    found = charts(make_pack_from_store("en", empty=True))
    assert [name for name, _, _ in found] == [
        "posts",
        "median_response_hours",
        "response_rate",
        "burnup",
    ]
    assert all(svg is None for _, _, svg in found)


# ---- slides ---------------------------------------------------------------------------------------


def slides(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return " ".join(" ".join(parts).replace("\u00a0", " ").split())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_slides_summary_plan_and_goals_with_native_charts(lang):
    pack = make_pack_from_store(lang)
    deck = slides(render(pack, "pptx"))
    assert len(deck.slides) == 3
    summary, plan, goals = (slide_text(s) for s in deck.slides)
    fr = lang == "fr"
    assert ("L’essentiel" if fr else "Bottom line") in summary
    assert ("Écart à la cible" if fr else "Gap to target") in summary
    assert pack.bottom_line[0].replace("\u00a0", " ") in summary
    assert ("Le plan" if fr else "The plan") in plan and pack.steps[1].title in plan
    assert not re.search(r"\d{4}-\d{2}-\d{2}", plan)
    charts = [s.chart for s in deck.slides[2].shapes if s.has_chart]
    assert len(charts) == 3
    first = charts[0]
    assert first.chart_title.text_frame.text == pack.text("chart.posts")
    assert len(first.plots[0].categories) == len(pack.series[0].points)
    assert ("Cible" if fr else "Target") in [series.name for series in first.plots[0].series]
    assert ("Guide d’essai" if fr else "Test playbook") in goals


def test_slides_keep_every_box_on_the_slide_and_apart():
    pack = make_pack_from_store("fr", weeks=40)
    deck = slides(render(pack, "pptx"))
    width, height = deck.slide_width, deck.slide_height
    for slide in deck.slides:
        boxes = [(s.left, s.top, s.left + s.width, s.top + s.height) for s in slide.shapes]
        for left, top, right, bottom in boxes:
            assert left >= 0 and right <= width and top >= 0 and bottom <= height
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, (a, b)
    plan = next(s for s in deck.slides[1].shapes if s.has_table).table
    headers = [cell.text for cell in plan.rows[0].cells]
    assert "Note" not in headers  # no shown step has a note: no empty column
    assert len(plan.rows) - 1 <= 8


# ---- the HTML pack on a phone ---------------------------------------------------------------------


def test_html_pack_fits_a_390_px_phone_without_sideways_scrolling(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    for lang in ("fr", "en"):
        page_file = tmp_path / f"pack-{lang}.html"
        page_file.write_bytes(
            render(make_pack_from_store(lang, note=HOSTILE["table_breaker"]), "html")
        )
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(page_file.as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (lang, width)
            hyphens = page.evaluate("getComputedStyle(document.querySelector('td')).hyphens")
            assert hyphens == "auto"
            browser.close()
    assert '<html lang="fr-CA">' in page_file.with_name("pack-fr.html").read_text(encoding="utf-8")


def test_the_demo_pack_from_the_command_line_names_its_playbook_and_levels(tmp_path, capsys):
    """The CLI finds the profile's own playbook: titles, not ids, on page 1."""
    from coach.cli import main

    db = str(tmp_path / "coach.db")
    assert main(["demo", "--db", db, "--lang", "fr"]) == 0
    out = tmp_path / "pack.pdf"
    assert main(["export", "--db", db, "--profile", "demo", "--format", "pdf", "-o", str(out)]) == 0
    capsys.readouterr()
    first = pdf_pages(out.read_bytes())[0]
    assert "Présence numérique du gestionnaire" in first
    assert "executive-presence" not in first
    assert "Présence régulière" in first or "Engagement" in first  # level names, not bare numbers
