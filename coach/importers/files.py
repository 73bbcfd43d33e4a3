"""Read export files safely: size cap, guarded ZIP entries, tolerant CSV tables.

Nothing here knows a platform. Every problem a user can cause becomes
`InvalidInput(key, file=..., line=... | entry=...)`; `file` is what the user
recognises: the file name, or "archive.zip › messages.csv" for a ZIP entry.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from coach import safejson
from coach.errors import InvalidInput

MB = 1024 * 1024
MAX_FILE_BYTES = 200 * MB  # an uploaded file, a ZIP entry once uncompressed
MAX_ZIP_TOTAL_BYTES = 500 * MB  # everything read from one ZIP, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, past BOMB_FLOOR bytes
BOMB_FLOOR = 1 * MB  # small files may compress very well without being bombs
# A LinkedIn export holds about a hundred files; an X archive with its media, tens of thousands.
MAX_ZIP_ENTRIES = 100_000
MAX_ZIP_DIRECTORY_BYTES = 64 * MB  # the archive's table of contents, read before any entry
HEADER_SEARCH_ROWS = 200  # rows scanned for the header after a "Notes:" block
ENCODINGS = ("utf-8-sig", "cp1252")  # exports are UTF-8; Excel re-saves in cp1252

# LinkedIn message bodies can be long; the csv module's default cap is 128 KiB.
csv.field_size_limit(16 * MB)


def _mb(size: int) -> int:
    """Megabytes, rounded up: a 200.4 MB file reads "201 MB", over a 200 MB limit."""
    return -(-size // MB)


@dataclass
class Budget:
    """Uncompressed bytes still allowed for one ZIP (shared by its entries)."""

    left: int = field(default_factory=lambda: MAX_ZIP_TOTAL_BYTES)


@dataclass(frozen=True)
class Input:
    """One readable file: a file on disk, uploaded bytes or a ZIP entry."""

    display: str  # shown in messages
    name: str  # base name, for detection ("messages.csv")
    open: Callable[[], IO[bytes]] = field(repr=False)  # a fresh binary stream each call
    entry: str | None = None  # the ZIP entry name, when inside a ZIP

    def error(self, key: str, **params: Any) -> InvalidInput:
        if self.entry is not None:
            params.setdefault("entry", self.entry)
        return InvalidInput(key, file=self.display, **params)


# ---- the file given by the user -----------------------------------------------------------------


def open_source(
    path_or_bytes: str | os.PathLike | bytes, filename: str | None
) -> tuple[Input, int]:
    """The user's file as an Input plus its size; checks that it exists, is not empty, not too big."""
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        data = bytes(path_or_bytes)
        name = Path(filename or "upload").name
        inp = Input(name, name, lambda: io.BytesIO(data))
        size = len(data)
    else:
        path = Path(path_or_bytes)
        name = Path(filename).name if filename else path.name
        if path.is_dir():
            raise InvalidInput("importers.error.is_folder", file=str(path))
        if not path.is_file():
            raise InvalidInput("importers.error.not_found", file=str(path))
        inp = Input(name, name, lambda: path.open("rb"))
        size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise inp.error("importers.error.too_big", size=_mb(size), limit=_mb(MAX_FILE_BYTES))
    if size == 0:
        raise inp.error("importers.error.empty")
    return inp, size


def head(inp: Input, size: int = 4096) -> bytes:
    with inp.open() as stream:
        return stream.read(size)


def read_all(inp: Input) -> str:
    """The whole file as text (JSON exports); size already capped by open_source/zip guards."""
    with inp.open() as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise inp.error("importers.error.too_big", size=_mb(len(data)), limit=_mb(MAX_FILE_BYTES))
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 with errors only on 5 unused bytes
        text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise inp.error("importers.error.empty")
    return text


_SPACE = re.compile(r"\s*")


def json_array_items(inp: Input, text: str, start: int) -> Iterator[Any]:
    """The items of the JSON array opening at text[start], decoded one at a time.

    A large archive never becomes one big Python list; a truncated or broken file
    raises bad_json with the line where reading stopped. Nesting and numbers are
    bounded (coach.safejson): a hostile file is refused with a sentence, not a crash.
    """
    safejson.check_depth(text, file=inp.display)
    decoder = safejson.decoder(inp.display)
    pos = _SPACE.match(text, start).end()
    if not text.startswith("[", pos):
        raise inp.error("importers.error.not_an_export")
    pos = _SPACE.match(text, pos + 1).end()
    if text.startswith("]", pos):
        return
    while True:
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise inp.error("importers.error.bad_json", line=err.lineno) from None
        yield item
        pos = _SPACE.match(text, pos).end()
        if text.startswith(",", pos):
            pos = _SPACE.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            return
        else:
            raise inp.error("importers.error.bad_json", line=text.count("\n", 0, pos) + 1)


# ---- ZIP archives -------------------------------------------------------------------------------


def unsafe_entry(name: str) -> bool:
    """True for entries that would escape a folder if extracted: absolute, drive or `..` paths."""
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return True
    return ".." in path.split("/")


class GuardedEntry(io.RawIOBase):
    """A ZIP entry stream that stops at the size cap and a suspicious compression ratio."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, inp: Input, budget: Budget):
        super().__init__()
        self._inp = inp
        self._info = info
        self._budget = budget
        self._limit = min(info.file_size, MAX_FILE_BYTES)
        self._read = 0
        try:
            self._stream = archive.open(info)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, ValueError) as err:
            # encrypted entries, unknown compression methods, broken headers
            raise inp.error("importers.error.zip_corrupt", detail=type(err).__name__) from None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            chunk = self._stream.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
            raise self._inp.error(
                "importers.error.zip_corrupt", detail=type(err).__name__
            ) from None
        count = len(chunk)
        self._read += count
        self._budget.left -= count
        compressed = max(self._info.compress_size, 1)
        if (
            self._read > self._limit
            or self._budget.left < 0
            or (self._read > BOMB_FLOOR and self._read / compressed > MAX_RATIO)
        ):
            raise self._inp.error(
                "importers.error.zip_bomb", limit=_mb(MAX_FILE_BYTES), ratio=MAX_RATIO
            )
        buffer[:count] = chunk
        return count

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


_END = b"PK\x05\x06"  # end of central directory record (22 bytes + comment)
_END64_LOCATOR = b"PK\x06\x07"  # 20 bytes, just before _END
_END64 = b"PK\x06\x06"  # 56 bytes, just before the locator
_DIRECTORY_ENTRY = b"PK\x01\x02"


def zip_entry_count(handle: IO[bytes]) -> int | None:
    """How many entries the ZIP's table of contents holds, read without listing them.

    zipfile builds one object per entry before anything can be refused (2 million
    entries: 19 s and 1.1 GB), so the count is taken from the end record and from
    the directory bytes themselves (an end record can lie about the count, not about
    the bytes zipfile will read). None when there is no end record: zipfile will say so.
    """
    size = handle.seek(0, os.SEEK_END)
    tail_start = max(0, size - (22 + 65_535))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        return None
    declared, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    location = tail_start + at
    extra = 0
    if tail_start + at >= 76:
        handle.seek(location - 76)
        before = handle.read(76)
        if before[56:60] == _END64_LOCATOR and before[:4] == _END64:
            declared, directory_size = struct.unpack("<QQ", before[32:48])
            extra = 76
    if declared > MAX_ZIP_ENTRIES or directory_size > MAX_ZIP_DIRECTORY_BYTES:
        return max(int(declared), int(directory_size) // 46)  # 46: the smallest directory entry
    handle.seek(max(0, location - directory_size - extra))
    counted = handle.read(directory_size + extra).count(_DIRECTORY_ENTRY)
    return max(int(declared), counted)


class Archive:
    """A ZIP checked entry by entry: no unsafe paths; entries read through GuardedEntry."""

    def __init__(self, source: Input):
        self.source = source
        self.budget = Budget()
        self._handle = source.open()
        try:
            count = zip_entry_count(self._handle)
        except (OSError, struct.error):
            count = None
        if count is not None and count > MAX_ZIP_ENTRIES:
            self._handle.close()
            raise source.error("importers.error.zip_too_many", limit=MAX_ZIP_ENTRIES)
        try:
            self._handle.seek(0)
            self.zip = zipfile.ZipFile(self._handle)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
            self._handle.close()
            raise source.error(
                "importers.error.zip_corrupt", entry="", detail=type(err).__name__
            ) from None
        for info in infos:
            if unsafe_entry(info.filename):
                self.close()
                raise source.error("importers.error.zip_unsafe_path", entry=info.filename)
        self.infos = [info for info in infos if not info.is_dir()]

    def close(self) -> None:
        if hasattr(self, "zip"):
            self.zip.close()
        self._handle.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def find(self, pattern: str) -> list[zipfile.ZipInfo]:
        """Entries whose base name matches `pattern` (a regex, case-insensitive), in archive order."""
        regex = re.compile(pattern, re.IGNORECASE)
        return [
            i
            for i in self.infos
            if regex.fullmatch(i.filename.replace("\\", "/").rsplit("/", 1)[-1])
        ]

    def entry(self, info: zipfile.ZipInfo) -> Input:
        """An Input for one entry; declared size and ratio are checked before anything is read."""
        display = f"{self.source.display} › {info.filename}"
        inp = Input(
            display, info.filename.rsplit("/", 1)[-1], lambda: self._open(info, inp), info.filename
        )
        if info.file_size > MAX_FILE_BYTES:
            raise inp.error(
                "importers.error.too_big", size=_mb(info.file_size), limit=_mb(MAX_FILE_BYTES)
            )
        if info.file_size > BOMB_FLOOR and info.file_size / max(info.compress_size, 1) > MAX_RATIO:
            raise inp.error("importers.error.zip_bomb", limit=_mb(MAX_FILE_BYTES), ratio=MAX_RATIO)
        if info.file_size == 0:
            raise inp.error("importers.error.empty")
        return inp

    def _open(self, info: zipfile.ZipInfo, inp: Input) -> IO[bytes]:
        return io.BufferedReader(
            GuardedEntry(self.zip, info, inp, self.budget), buffer_size=256 * 1024
        )


# ---- CSV tables ---------------------------------------------------------------------------------


def norm_column(name: str) -> str:
    """Header cells compared without case, BOM, surrounding spaces or repeated spaces/underscores."""
    return re.sub(r"[\s_]+", " ", name.replace("\ufeff", "")).strip().casefold()


class Table:
    """A CSV file positioned after its header; rows come with the line where they start."""

    def __init__(
        self,
        inp: Input,
        stream: IO[str],
        looks_like_header: Callable[[set[str]], bool],
        delimiter: str = ",",
    ):
        self.inp = inp
        self._reader = csv.reader(stream, delimiter=delimiter)
        self._last_line = 0
        self.header, self.header_line = self._find_header(looks_like_header)
        self.columns = {norm_column(c): i for i, c in reversed(list(enumerate(self.header)))}

    def _next(self) -> list[str] | None:
        try:
            row = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as err:
            raise self.inp.error(
                "importers.error.bad_csv", line=self._last_line + 1, detail=str(err)
            ) from None
        return row

    def _find_header(self, looks_like_header: Callable[[set[str]], bool]) -> tuple[list[str], int]:
        """The first non-empty row, or after a leading `Notes:` block the first header-like row."""
        in_notes = False
        scanned = 0
        while (row := self._next()) is not None:
            line = self._last_line + 1
            self._last_line = self._reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = {norm_column(c) for c in row}
            if not in_notes and norm_column(row[0]).startswith("notes"):
                in_notes = True
                continue
            if not in_notes or looks_like_header(cells):
                return row, line
            scanned += 1
            if scanned > HEADER_SEARCH_ROWS:
                break
        if in_notes:
            raise self.inp.error("importers.error.not_an_export")
        raise self.inp.error("importers.error.empty")

    def column(self, *names: str) -> int | None:
        """Index of the first present column among `names` (normalized), or None."""
        for name in names:
            index = self.columns.get(norm_column(name))
            if index is not None:
                return index
        return None

    def require(self, label: str, *names: str) -> int:
        index = self.column(label, *names)
        if index is None:
            raise self.inp.error(
                "importers.error.missing_column", line=self.header_line, column=label
            )
        return index

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the row starts, cells) for each non-empty row."""
        while (row := self._next()) is not None:
            line = self._last_line + 1
            self._last_line = self._reader.line_num
            if row and any(row):
                yield line, row


_HEADER_HINT = re.compile(r"conversation id|timestamp|sharelink|\bdate\b|\bkind\b", re.IGNORECASE)


def sniff_delimiter(sample: str) -> str:
    """ "," unless the header line is clearly split by ";" (Excel in French) or by tabs."""
    for line in sample.splitlines():
        if _HEADER_HINT.search(line):
            counts = {d: line.count(d) for d in (",", ";", "\t")}
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] > counts[","] else ","
    return ","


def read_table(
    inp: Input, looks_like_header: Callable[[set[str]], bool], handle: Callable[[Table], Any]
) -> Any:
    """Open `inp` as CSV and run `handle(table)`; retried as cp1252 when the file is not UTF-8."""
    with inp.open() as raw:
        delimiter = sniff_delimiter(raw.read(64 * 1024).decode("utf-8", errors="replace"))
    for encoding in ENCODINGS:
        try:
            with inp.open() as raw:
                stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
                return handle(Table(inp, stream, looks_like_header, delimiter))
        except UnicodeDecodeError:
            continue
    raise inp.error("importers.error.bad_encoding")


def cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()
