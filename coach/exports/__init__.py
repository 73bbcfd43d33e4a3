"""Board pack exports: one module per format, one entry point.

    pack = service.build_pack(store, "Marie")  # make_pack(**domain objects from the snapshot)
    data = render(pack, "pdf", paper="Letter")
    write_file(Path(filename(pack, "pdf")), data)  # temporary file, then renamed

`MIME[fmt]` gives the media type for a download button; `preview_markdown(pack)`
is the Markdown the app shows before anyone downloads anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from coach.errors import InvalidInput
from coach.exports.pack import ALL_FORMATS, FORMATS, BoardPack, make_pack

__all__ = [
    "ALL_FORMATS",
    "FORMATS",
    "MIME",
    "PAPERS",
    "BoardPack",
    "default_paper",
    "filename",
    "make_pack",
    "preview_markdown",
    "render",
    "warm_up",
    "write_file",
]

PAPERS = ("A4", "Letter")
EXTENSIONS = {"pdf": "pdf", "html": "html", "pptx": "pptx", "md": "md", "csv": "csv", "ics": "ics"}
MIME = {
    "pdf": "application/pdf",
    "html": "text/html",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "md": "text/markdown",
    "csv": "text/csv",
    "ics": "text/calendar",
}
ALIASES = {"markdown": "md", "htm": "html", "ical": "ics", "ical2": "ics", "slides": "pptx"}


def normalize_format(fmt: str) -> str:
    key = ALIASES.get(fmt.lower().strip(), fmt.lower().strip())
    if key not in ALL_FORMATS:
        raise InvalidInput("exports.cli.unknown_format", format=fmt)
    return key


def default_paper(pack: BoardPack) -> str:
    """Letter in the Americas (Canada and the US print on it), A4 elsewhere."""
    return "Letter" if pack.timezone.startswith("America/") else "A4"


def render(pack: BoardPack, fmt: str, paper: str = "A4") -> bytes:
    """The pack in one format, as the bytes of the file to write or download."""
    fmt = normalize_format(fmt)
    if fmt == "pdf":
        from coach.exports.pdf import render_pdf

        return render_pdf(pack, paper)
    if fmt == "html":
        from coach.exports.html import render_html

        return render_html(pack, paper)
    if fmt == "pptx":
        from coach.exports.slides import render_pptx

        return render_pptx(pack)
    if fmt == "md":
        from coach.exports.markdown import render_markdown

        return render_markdown(pack)
    if fmt == "csv":
        from coach.exports.csv_export import render_csv

        return render_csv(pack)
    from coach.exports.ics import render_ics

    return render_ics(pack)


def warm_up() -> None:
    """Load the PDF library ahead of a first export (charts need no engine any more)."""
    import fpdf  # noqa: F401


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    A full disk or a size limit leaves the older file as it was; OSError is raised.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def preview_markdown(pack: BoardPack) -> str:
    """The pack as Markdown, cheap to build (no chart rendering): for an on-screen preview."""
    from coach.exports.markdown import to_markdown

    return to_markdown(pack)


def filename(pack: BoardPack, fmt: str) -> str:
    """'board-pack-marie-eve-cote-2026-02-16.pdf' (ASCII, safe on every system)."""
    fmt = normalize_format(fmt)
    stem = "dossier-conseil" if pack.lang == "fr" else "board-pack"
    return f"{stem}-{slug(pack.profile_name)}-{pack.generated_on.isoformat()}.{EXTENSIONS[fmt]}"


def slug(text: str) -> str:
    for letter, spelled in (("œ", "oe"), ("Œ", "Oe"), ("æ", "ae"), ("Æ", "Ae"), ("ß", "ss")):
        text = text.replace(letter, spelled)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:40].strip("-") or "profile"
