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

from coach.exports import MIME, filename, preview_markdown, render
from coach.exports.csv_export import neutralise
from coach.exports.markdown import escape as md_escape
from coach.exports.pack import (
    BoardPack,
    BurnupPoint,
    CheckInLine,
    Completion,
    DimensionLine,
    GoalLine,
    Maturity,
    Series,
    StepLine,
)
from coach.i18n import t
from tests.conftest import FIXTURES, ROOT

HOSTILE = json.loads((FIXTURES / "exports" / "hostile.json").read_text(encoding="utf-8"))
TODAY = date(2026, 3, 2)  # a Monday


# ---- a pack built by hand, so these tests do not need the store -------------------------------


def _step(
    lang: str, order: int, title: str, due: date, state: str = "todo", note: str = ""
) -> StepLine:
    phase = ("days-30", "days-60", "days-90")[min(order // 2, 2)]
    return StepLine(
        id=f"presence.step-{order}",
        order=order,
        title=title,
        dimension="Présence" if lang == "fr" else "Presence",
        phase=phase,
        phase_label=t(f"exports.phase.{phase}", lang),
        start=due - timedelta(days=13),
        due=due,
        effort_hours=1.5 + order,
        state=state,
        state_label=t(f"exports.state.{state}", lang),
        changed_on=TODAY - timedelta(days=3) if state == "done" else None,
        note=note,
        why=(
            "Parce que vous avez répondu que vous ne publiez jamais."
            if lang == "fr"
            else "Because you answered that you never post.",
        ),
        starter="Ouvrez votre profil et relisez le titre."
        if lang == "fr"
        else "Open your profile.",
        quick_win=order == 0,
        late=False,
    )


def make_pack(
    lang: str = "fr", name: str = "Marie-Ève Côté", note: str = "", empty: bool = False
) -> BoardPack:
    fr = lang == "fr"
    steps = (
        _step(
            lang,
            0,
            "Soigner l’œuvre de votre profil" if fr else "Polish your profile",
            date(2026, 2, 15),
            "done",
            note,
        ),
        _step(
            lang,
            1,
            "Répondre en moins d’une journée" if fr else "Reply within a day",
            date(2026, 3, 8),
            "doing",
        ),
        _step(lang, 2, "Publier chaque semaine" if fr else "Post every week", date(2026, 3, 22)),
        _step(
            lang,
            3,
            "Rencontrer les équipes en ligne" if fr else "Meet the teams online",
            date(2026, 4, 19),
        ),
    )
    weeks = [f"2026-W{n:02d}" for n in range(2, 10)]
    checkins = tuple(
        CheckInLine(
            week=w,
            posts=i % 3,
            received=4 + i,
            replies=3 + i // 2,
            median_response_hours=30.0 - i * 2,
            response_rate=100.0 * (3 + i // 2) / (4 + i),
            followers=None,
            mentions=None,
            monitoring_sessions=1,
            employee_touchpoints=None,
            note=note if i == 7 else "",
            source="typed",
        )
        for i, w in enumerate(weeks)
    )
    pack = BoardPack(
        lang=lang,
        profile_name=name,
        profile_id=7,
        timezone="America/Toronto",
        generated_on=TODAY,
        playbook_id="executive-presence",
        playbook_version="1.0.0",
        playbook_title="Présence de la direction" if fr else "Executive presence",
        hours_per_week=2.5,
        maturity=Maturity(
            assessed_on=date(2026, 1, 12),
            overall_score=41.0,
            overall_level=3,
            overall_level_name="En construction" if fr else "Building",
            target_level=4,
            target_level_name="Reconnu" if fr else "Recognised",
            overall_delta=6.0,
            previous_on=date(2025, 11, 3),
            coverage=0.92,
            dimensions=(
                DimensionLine(
                    "presence",
                    "Présence" if fr else "Presence",
                    55.0,
                    3,
                    "En construction" if fr else "Building",
                    4,
                    "Reconnu" if fr else "Recognised",
                    10.0,
                ),
                DimensionLine(
                    "responsiveness",
                    "Réactivité" if fr else "Responsiveness",
                    25.0,
                    2,
                    "Débutant" if fr else "Beginner",
                    3,
                    "En construction" if fr else "Building",
                    -4.0,
                ),
            ),
        ),
        priorities=steps[:3],
        goals=(
            GoalLine(
                "posts-per-week",
                "Publications par semaine" if fr else "Posts per week",
                "posts",
                "publications" if fr else "posts",
                "at_least",
                2.0,
                1.0,
                "at_risk",
                t("exports.status.at_risk", lang),
                "flat",
                t("exports.trend.flat", lang),
                0.5,
                1,
            ),
            GoalLine(
                "median-response-time",
                "Délai médian de réponse" if fr else "Median response time",
                "median_response_hours",
                "h",
                "at_most",
                4.0,
                18.0,
                "off_track",
                t("exports.status.off_track", lang),
                "improving",
                t("exports.trend.improving", lang),
                0.22,
                0,
            ),
        ),
        changes=(
            "1 étape terminée depuis le 2026-02-02 : Soigner l’œuvre de votre profil."
            if fr
            else "1 step done since 2026-02-02: Polish your profile.",
        ),
        risks=(
            "Délai médian de réponse est hors cible : 18 h pour une cible de ≤ 4 h."
            if fr
            else "Median response time is off track.",
        ),
        asks=(
            "Protéger 2,5 h par semaine dans mon agenda pour ce plan, et m’en tenir responsable."
            if fr
            else "Protect 2.5 h a week.",
        ),
        plan_start=date(2026, 2, 2),
        steps=steps,
        completion=Completion(1, 4, 1.5, 12.0, 0),
        series=(
            Series(
                "posts",
                "Publications" if fr else "Posts",
                "publications" if fr else "posts",
                2.0,
                "at_least",
                tuple((c.week, float(c.posts)) for c in checkins),
            ),
            Series(
                "median_response_hours",
                "Délai" if fr else "Median",
                "h",
                4.0,
                "at_most",
                tuple((c.week, c.median_response_hours) for c in checkins),
            ),
            Series(
                "response_rate",
                "Taux" if fr else "Rate",
                "%",
                None,
                None,
                tuple((c.week, c.response_rate) for c in checkins),
            ),
        ),
        burnup=(
            BurnupPoint("2026-W06", 0.0, 0.0),
            BurnupPoint("2026-W07", 1.5, 0.0),
            BurnupPoint("2026-W08", 1.5, 1.5),
            BurnupPoint("2026-W09", 1.5, 1.5),
            BurnupPoint("2026-W10", 4.0, None),
            BurnupPoint("2026-W12", 7.5, None),
        ),
        checkins=checkins,
        method=(
            t("exports.method.scores", lang, playbook="executive-presence", version="1.0.0"),
            t("exports.method.statuses", lang),
        ),
        posting_target=2.0,
    )
    if empty:
        pack = replace(
            pack,
            maturity=None,
            priorities=(),
            goals=(),
            changes=(),
            plan_start=None,
            steps=(),
            completion=None,
            series=(),
            burnup=(),
            checkins=(),
            posting_target=None,
        )
    return pack


def hostile_pack(lang: str = "fr") -> BoardPack:
    """User text everywhere: profile name, step note, check-in note."""
    note = " ".join(HOSTILE[k] for k in ("script", "img", "markdown_link", "table_breaker"))
    return make_pack(lang, name=HOSTILE["script"] + " " + HOSTILE["typography"], note=note)


# ---- PDF ------------------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    # French lines tie « », : and ; with no-break spaces; a reader sees spaces
    return [" ".join(page.extract_text().replace("\u00a0", " ").split()) for page in reader.pages]


def test_pdf_summary_first_in_french_with_typography():
    pages = pdf_pages(render(make_pack("fr", name="Chloé Bœuf-Gagné"), "pdf"))
    first = pages[0]
    for heading in (
        "Sommaire",
        "Maturité actuelle et cible",
        "Par où commencer",
        "Objectifs et cibles",
        "Ce qui a changé",
        "Risques",
        "Ce que je demande au conseil",
    ):
        assert heading in first, heading
    assert "Soigner l’œuvre de votre profil" in first  # œ and ’ survive embedding and extraction
    assert "Chloé Bœuf-Gagné" in first
    assert "Hors cible" in first and "À risque" in first  # status in words, not only colour
    assert "Summary" not in first


def test_pdf_sections_page_numbers_and_header_on_every_page():
    pages = pdf_pages(render(make_pack("fr", name="Chloé Bœuf-Gagné"), "pdf"))
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, 1):
        assert f"Page {number} sur {total}" in text
        assert "Chloé Bœuf-Gagné" in text
        assert "2 mars 2026" in text
    rest = "\n".join(pages[1:])
    for heading in (
        "Le plan",
        "Pourquoi ces premières étapes",
        "Progrès",
        "Suivis hebdomadaires",
        "Méthode",
    ):
        assert heading in rest, heading
    assert "executive-presence" in rest and "1.0.0" in rest


def test_pdf_renders_french_punctuation_and_euro_from_user_text():
    pack = make_pack("fr", name=HOSTILE["typography"])
    text = pdf_pages(render(pack, "pdf"))[0]
    assert "« à l’œuvre »" in text and "20 €" in text and "ç" in text


def test_pdf_in_english():
    pages = pdf_pages(render(make_pack("en"), "pdf"))
    assert "Summary" in pages[0] and "What I ask of the board" in pages[0]
    assert "Sommaire" not in pages[0]
    assert "Page 1 of" in pages[0]


def test_pdf_embeds_the_four_charts_as_images():
    reader = PdfReader(io.BytesIO(render(make_pack("fr"), "pdf")))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 4


@pytest.mark.parametrize(("paper", "width"), [("A4", 595), ("Letter", 612), ("letter", 612)])
def test_pdf_paper_size(paper, width):
    reader = PdfReader(io.BytesIO(render(make_pack("en"), "pdf", paper=paper)))
    assert round(float(reader.pages[0].mediabox.width)) == width


def test_pdf_survives_hostile_text_and_emoji():
    pack = make_pack(
        "fr", name=HOSTILE["emoji"], note=HOSTILE["formula"] + HOSTILE["cr"] + HOSTILE["emoji"]
    )
    text = "\n".join(pdf_pages(render(pack, "pdf")))
    assert "Bravo" in text


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

    def handle_endtag(self, tag):
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
    charts = html_charts(render(make_pack("fr"), "html"))
    assert len(charts) == 4
    posts, response_time, rate, burnup = charts
    assert posts.findall(f"{svg_ns}rect")[1:]  # the bars (after the white background)
    for chart, has_target in ((posts, True), (response_time, True), (rate, False)):
        texts = [t.text or "" for t in chart.iter(f"{svg_ns}text")]
        # the dashed target is named, and only where the goal has one
        assert any(text.startswith("Cible") for text in texts) is has_target
    assert response_time.findall(f"{svg_ns}polyline")
    assert len(burnup.findall(f"{svg_ns}polyline")) == 2  # planned and done


def test_html_charts_escape_text_inside_the_svg():
    charts = html_charts(render(hostile_pack("en"), "html"))
    assert len(charts) == 4  # parsed as XML: nothing typed broke the markup


def test_html_language_summary_and_paper():
    page = parse_html(render(make_pack("fr"), "html", paper="Letter"))
    assert ("html", {"lang": "fr"}) in page.tags
    text = " ".join(page.text)
    assert "Sommaire" in text and "Hors cible" in text and "Méthode" in text
    assert "size: letter" in page.style
    assert "size: A4" in parse_html(render(make_pack("en"), "html")).style


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
    text = preview_markdown(make_pack("fr"))
    for heading in (
        "## Sommaire",
        "### Maturité actuelle et cible",
        "## Le plan",
        "## Progrès",
        "## Méthode",
    ):
        assert heading in text
    assert "Hors cible" in text and "executive-presence" in text
    assert render(make_pack("fr"), "md").decode("utf-8") == text


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
    pack = make_pack(lang, note=HOSTILE["formula"])
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
    rows = read_csv(render(make_pack("fr"), "csv"), "fr")
    effort = rows[0].index("Effort (h)")
    assert rows[1][effort] == "1,5"
    assert "Soigner l’œuvre de votre profil" in [cell for row in rows for cell in row]


@pytest.mark.parametrize("key", ["formula", "plus", "minus", "at", "tab", "cr"])
def test_csv_neutralise_every_formula_start(key):
    assert neutralise(HOSTILE[key]) == "'" + HOSTILE[key]
    assert neutralise("Publier chaque semaine") == "Publier chaque semaine"


def test_csv_hostile_values_survive_a_round_trip():
    for key in ("plus", "minus", "at", "tab", "cr"):
        rows = read_csv(render(make_pack("en", note=HOSTILE[key]), "csv"), "en")
        assert "'" + HOSTILE[key] in [cell for row in rows for cell in row], key


# ---- ICS ------------------------------------------------------------------------------------------


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_ics_one_all_day_event_per_step_on_its_due_date():
    pack = make_pack("fr")
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
    first = {str(ev["UID"]) for ev in events(render(make_pack("fr"), "ics"))}
    later = replace(make_pack("fr"), generated_on=TODAY + timedelta(days=30))
    assert {str(ev["UID"]) for ev in events(render(later, "ics"))} == first


def test_ics_weekly_posting_reminder_follows_the_target():
    cal = Calendar.from_ical(render(make_pack("en"), "ics"))
    recurring = [ev for ev in cal.walk("VEVENT") if "RRULE" in ev]
    assert len(recurring) == 2  # posting cadence and check-in
    posting = next(ev for ev in recurring if "Publish" in str(ev["SUMMARY"]))
    rule = posting["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU", "TH"]  # two posts a week
    assert str(posting["DTSTART"].params.get("TZID")) == "America/Toronto"
    assert cal.walk("VTIMEZONE")  # Outlook needs the zone definition
    assert b"RRULE:FREQ=WEEKLY" in render(make_pack("en"), "ics")


# ---- no assessment, no check-ins ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_profile_exports_every_format_with_not_yet(lang):
    pack = make_pack(lang, empty=True)
    not_yet = "Pas encore" if lang == "fr" else "Not yet"
    assert not_yet in pdf_pages(render(pack, "pdf"))[0]
    assert not_yet in " ".join(parse_html(render(pack, "html")).text)
    assert not_yet in render(pack, "md").decode("utf-8")
    assert len(read_csv(render(pack, "csv"), lang)) == 1  # header only
    recurring = [ev for ev in events(render(pack, "ics")) if "RRULE" in ev]
    assert len(recurring) == 1  # the check-in reminder; no posting target yet


# ---- API for the app ------------------------------------------------------------------------------


def test_filename_and_mime_for_every_format():
    pack = make_pack("fr", name=HOSTILE["script"] + " Œuvre")
    for fmt, mime in MIME.items():
        name = filename(pack, fmt)
        assert name.isascii() and "/" not in name and "<" not in name
        assert name.endswith("." + fmt) and "oeuvre" in name
        assert mime
    assert filename(make_pack("en"), "pdf") == "board-pack-marie-eve-cote-2026-03-02.pdf"


def test_unknown_format_is_a_sentence():
    from coach.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        render(make_pack("fr"), "docx")
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

PLAYBOOK_FILE = FIXTURES / "exports" / "playbook.yaml"
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


def _utc(*parts):
    from datetime import UTC, datetime

    return datetime(*parts, 9, tzinfo=UTC)


def test_build_pack_from_the_store(tmp_path):
    from coach.exports import build_pack

    store, playbook, plan = seeded_store(tmp_path)
    pack = build_pack(store, HOSTILE_NAME, today=STORE_TODAY, playbook=playbook)
    assert pack.lang == "fr" and pack.profile_name == HOSTILE_NAME
    assert pack.maturity and pack.maturity.previous_on == date(2025, 12, 1)
    assert [s.id for s in pack.steps] == [s.id for s in plan.steps]
    assert pack.steps[0].state == "done" and pack.steps[0].note == HOSTILE["img"]
    # priorities: the first open steps, the done one is behind us
    assert pack.priorities and all(s.state in ("todo", "doing") for s in pack.priorities)
    assert {g.id for g in pack.goals} == {g.id for g in plan.goals}
    assert all(g.status_label for g in pack.goals)
    assert pack.completion.steps_done == 1
    assert any("Répondre en moins d’une journée" in line for line in pack.changes)
    assert any("en retard" in line for line in pack.risks)  # the two open steps are past due
    assert any("conformité" in line for line in pack.asks)  # regulated sector
    assert pack.series and pack.series[0].points[0][0] == "2026-W02"  # starts at the first check-in
    assert pack.burnup[-1].planned == pytest.approx(sum(s.effort_hours for s in plan.steps))
    assert pack.posting_target == next(g.target for g in plan.goals if g.metric == "posts")
    assert "exports-mini" in pack.method[0]


def test_build_pack_translates_a_french_plan_into_english(tmp_path):
    from coach.exports import build_pack

    store, playbook, _ = seeded_store(tmp_path)
    pack = build_pack(store, HOSTILE_NAME, lang="en", today=STORE_TODAY, playbook=playbook)
    titles = {s.title for s in pack.steps}
    assert "Reply within a day" in titles and "Répondre en moins d’une journée" not in titles
    assert any(reason.startswith("Because") for s in pack.steps for reason in s.why)
    assert pack.maturity.dimensions[0].title == "Presence"


def test_every_format_from_the_store_is_safe(tmp_path):
    from coach.exports import build_pack

    store, playbook, plan = seeded_store(tmp_path)
    pack = build_pack(store, HOSTILE_NAME, today=STORE_TODAY, playbook=playbook)
    pages = pdf_pages(render(pack, "pdf"))
    assert "Sommaire" in pages[0] and HOSTILE_NAME in pages[0]
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


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_new_profile_exports_with_not_yet(tmp_path, lang):
    from coach.exports import build_pack
    from coach.store import Store

    store = Store(tmp_path / "coach.db")
    store.create_profile("Nouveau", language=lang, playbook_id="exports-mini")
    pack = build_pack(store, "Nouveau", today=STORE_TODAY)
    assert pack.maturity is None and not pack.steps and not pack.checkins
    not_yet = "Pas encore" if lang == "fr" else "Not yet"
    for fmt in ("pdf", "html", "md"):
        data = render(pack, fmt)
        text = "\n".join(pdf_pages(data)) if fmt == "pdf" else data.decode("utf-8")
        assert not_yet in text, fmt
    assert len(read_csv(render(pack, "csv"), lang)) == 1
    assert events(render(pack, "ics"))  # the weekly check-in reminder


# ---- the command line -----------------------------------------------------------------------------


def test_cli_exports_in_the_profile_language(tmp_path, monkeypatch, capsys):
    from coach.cli import main

    seeded_store(tmp_path, name="Chloé")
    monkeypatch.setenv("COACH_LANG", "en")  # messages in English, the pack stays French
    monkeypatch.setattr("coach.exports.pack._load_playbook", lambda _id: _fixture_playbook())
    out = tmp_path / "pack.pdf"
    db = str(tmp_path / "coach.db")
    code = main(["export", "--db", db, "--profile", "Chloé", "--format", "pdf", "-o", str(out)])
    assert code == 0
    assert "Board pack written" in capsys.readouterr().out
    first = pdf_pages(out.read_bytes())[0]
    assert "Sommaire" in first
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter in America/Toronto

    out = tmp_path / "pack.html"
    args = ["--profile", "Chloé", "--format", "html", "-o", str(out), "--lang", "en"]
    assert main(["export", "--db", db, *args, "--paper", "a4"]) == 0
    assert "Summary" in out.read_text(encoding="utf-8")


def test_cli_unknown_profile_is_a_sentence(tmp_path, capsys):
    from coach.cli import main

    code = main(["export", "--db", str(tmp_path / "x.db"), "--profile", "Nobody", "--format", "md"])
    err = capsys.readouterr().err
    assert code == 1 and "Nobody" in err and "Traceback" not in err


def _fixture_playbook():
    from coach.playbook import load_playbook

    return load_playbook(PLAYBOOK_FILE)


def test_markdown_escapes_dollars_for_the_app_preview():
    # Streamlit's Markdown reads $…$ as LaTeX: a note about budgets must stay text.
    assert md_escape("Budget $5 or $10") == "Budget \\$5 or \\$10"


# ---- charts ---------------------------------------------------------------------------------------


def test_charts_are_valid_vega_lite_with_inline_data_only():
    from coach.exports.charts import build_charts

    charts = build_charts(make_pack("fr"), validate=True)  # Altair checks the schema
    assert [c.name for c in charts] == ["posts", "median_response_hours", "response_rate", "burnup"]
    assert all(c.spec is not None for c in charts)
    assert charts[0].title == "Publications par semaine et cible"

    def urls(node):
        if isinstance(node, dict):
            return [v for k, v in node.items() if k == "url"] + [
                u for v in node.values() for u in urls(v)
            ]
        if isinstance(node, list):
            return [u for v in node for u in urls(v)]
        return []

    assert urls([c.spec for c in charts]) == []  # nothing to fetch


def test_chart_svg_speaks_the_pack_language():
    from coach.exports.charts import build_charts, to_png, to_svg

    chart = build_charts(make_pack("fr"))[0]
    svg = to_svg(chart.spec, "fr")
    assert "Semaine" in svg and "Cible 2" in svg and "S09" in svg
    assert to_png(chart.spec, "fr").startswith(b"\x89PNG")


def test_no_data_means_no_chart():
    from coach.exports.charts import build_charts

    assert all(c.spec is None for c in build_charts(make_pack("en", empty=True)))


# ---- the demo profile, end to end through the command line ---------------------------------------


def test_demo_profile_exports_every_format(tmp_path):
    import subprocess
    import sys

    from coach.cli import main

    db = str(tmp_path / "demo.db")
    env = {"COACH_LANG": "fr", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "coach"]
    made = subprocess.run([*run, "demo", "--db", db], cwd=ROOT, env=env, capture_output=True)
    assert made.returncode == 0, made.stderr.decode()
    pdf = tmp_path / "demo.pdf"
    done = subprocess.run(
        [*run, "export", "--db", db, "--profile", "demo", "--format", "pdf", "-o", str(pdf)],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr.decode()
    pages = pdf_pages(pdf.read_bytes())
    assert "Sommaire" in pages[0] and "Ce que je demande au conseil" in pages[0]
    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages[3].images) == 4  # the progress page

    for fmt in ("html", "md", "csv", "ics"):
        out = tmp_path / f"demo.{fmt}"
        assert (
            main(["export", "--db", db, "--profile", "demo", "--format", fmt, "-o", str(out)]) == 0
        )
    page = parse_html((tmp_path / "demo.html").read_bytes())
    assert "Sommaire" in " ".join(page.text)
    assert "## Le plan" in (tmp_path / "demo.md").read_text(encoding="utf-8")
    rows = read_csv((tmp_path / "demo.csv").read_bytes(), "fr")
    assert len(rows) > 20
    evs = events((tmp_path / "demo.ics").read_bytes())
    assert any("RRULE" in ev for ev in evs)


def test_a_crowded_summary_still_fits_on_the_first_page():
    pack = make_pack("fr")
    dims = tuple(
        replace(pack.maturity.dimensions[0], id=f"d{i}", title=f"Dimension numéro {i}")
        for i in range(10)
    )
    goals = tuple(replace(pack.goals[i % 2], id=f"g{i}") for i in range(7))
    long = "Une phrase assez longue pour occuper toute une ligne du sommaire, ou presque. " * 2
    pack = replace(
        pack,
        maturity=replace(pack.maturity, dimensions=dims),
        goals=goals,
        changes=(long,) * 4,
        risks=(long,) * 4,
        asks=(long,) * 3,
    )
    pages = pdf_pages(render(pack, "pdf", paper="A4"))
    assert "Ce que je demande au conseil" in pages[0]
    assert pages[1].split("Page")[0].count("Le plan") == 1 and "Sommaire" not in pages[1]


def test_warm_up_starts_the_chart_engine_and_charts_are_rendered_once():
    from coach.exports import warm_up
    from coach.exports.charts import _svg, build_charts, to_png, to_svg

    warm_up()
    spec = {**build_charts(make_pack("en"))[1].spec, "description": "not rendered before"}
    first = to_svg(spec, "en")
    hits = _svg.cache_info().hits
    assert to_svg(spec, "en") == first and _svg.cache_info().hits == hits + 1
    assert to_png(spec, "en").startswith(b"\x89PNG")  # from the cached SVG
    assert _svg.cache_info().hits == hits + 2
