"""Reading a source article: its format from its suffix, strict UTF-8 decoding (a bad byte is ``path:line``), and
the parser its format calls for."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from polyleaf.errors import SourceError
from polyleaf.formats import SOURCE_SUFFIXES
from polyleaf.fsio import read_regular
from polyleaf.source.document import Document, SourceFormat
from polyleaf.source.parse.markdown import parse_markdown
from polyleaf.source.parse.spans import BOM
from polyleaf.source.parse.txt import parse_txt
from polyleaf.source.segment import Splitter


class Parser(Protocol):
    """A source format's parser: its decoded text → the document model."""

    def __call__(
        self,
        text: str,
        path: Path,
        segmentation: str = "sentence",
        *,
        language: str = "en",
        splitter: Splitter | None = None,
    ) -> Document: ...


#: The parser of each source format (``polyleaf.formats.SOURCE_FORMATS`` declares them, and their suffixes).
PARSERS: dict[SourceFormat, Parser] = {"txt": parse_txt, "md": parse_markdown}

_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def source_format(path: Path) -> SourceFormat:
    """The source format for a file name, or SourceError for an unsupported suffix."""
    name = SOURCE_SUFFIXES.get(path.suffix.lower())
    found = next((format for format in PARSERS if format == name), None)
    if found is None:
        known = ", ".join(SOURCE_SUFFIXES)
        raise SourceError(f"unsupported source file type {path.suffix!r} (expected {known})", path)
    return found


def decode_source(data: bytes, path: Path) -> str:
    """Decode a source file strictly as UTF-8; a BOM stays in the text (as U+FEFF), line endings untouched.

    Raises SourceError, with the line of the offending byte, for empty, binary and non-UTF-8 input.
    """
    if not data:
        raise SourceError("empty file: nothing to translate", path, 1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("file is UTF-16; save it as UTF-8", path, 1)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SourceError("binary file (contains NUL bytes), not a text article", path, _byte_line(data, nul))
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        line = _byte_line(data, exc.start)
        line_start = max(data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)) + 1
        column = exc.start - line_start + 1
        raise SourceError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at column {column} (save the file as UTF-8)",
            path,
            line,
        ) from None
    if not text.lstrip(BOM).strip():
        raise SourceError("empty file: nothing to translate", path, 1)
    return text


def _byte_line(data: bytes, offset: int) -> int:
    """1-based line of a byte offset (CRLF, CR and LF each end a line)."""
    return len(_LINE_BREAK_BYTES.findall(data, 0, offset)) + 1


def read_source(
    path: Path,
    display_path: Path | None = None,
    *,
    segmentation: str = "sentence",
    language: str = "en",
    splitter: Splitter | None = None,
) -> Document:
    """Read and parse a source article; ``display_path`` (project-relative) becomes ``Document.path``.

    Errors name ``path`` as given, so the user can open the file the message points at.
    """
    text = decode_source(source_bytes(path), path)
    shown = display_path if display_path is not None else path
    return parse_document(text, shown, segmentation, language=language, splitter=splitter)


def source_bytes(path: Path) -> bytes:
    """The bytes of a source article (a regular file of a supported type; SourceError naming ``path`` if not)."""
    source_format(path)  # an unsupported file type is refused before it is read
    try:
        return read_regular(path)
    except OSError as exc:
        raise SourceError(f"cannot read source file: {exc.strerror or exc}", path) from None


def parse_document(
    text: str, path: Path, segmentation: str = "sentence", *, language: str = "en", splitter: Splitter | None = None
) -> Document:
    """Parse decoded source text with the parser its suffix calls for (.txt, .md/.markdown); ``splitter`` splits
    sentences (default: ``polyleaf.source.segment.split_sentences``)."""
    return PARSERS[source_format(path)](text, path, segmentation, language=language, splitter=splitter)
