"""The Document model: a source article as skeleton + translatable segments, and ``assemble``.

A Document keeps the decoded source text verbatim (a BOM stays as U+FEFF, CRLF stays CRLF). Each Segment
knows its exact span in that text, so everything outside the spans is skeleton and
``assemble(doc, lambda s: s.text)`` reproduces the source byte for byte.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from polyleaf.errors import SourceError
from polyleaf.segment import code_spans, split_sentences

BlockKind = Literal["title", "heading", "paragraph", "list_item", "blockquote", "separator", "code", "html"]
SourceFormat = Literal["txt", "md"]

#: Block kinds whose text is translated; the others are skeleton only.
TRANSLATABLE_KINDS: frozenset[str] = frozenset({"title", "heading", "paragraph", "list_item", "blockquote"})


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit (a sentence, a heading, or a whole block in paragraph mode).

    ``text`` is the msgid: inline markup kept, soft line breaks and container markers (``> ``) folded to
    single spaces. ``raw`` is the exact source slice ``doc.text[start:end]``; it equals ``text`` for .txt.
    """

    text: str
    raw: str
    start: int
    end: int
    line: int
    block: int
    index: int
    count: int


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the article: title, heading, paragraph, list item, separator, code…"""

    kind: BlockKind
    start: int
    end: int
    line: int
    segments: tuple[Segment, ...]
    section: str = ""
    level: int = 0
    is_disclaimer: bool = False
    ordinal: int = 0

    def describe(self) -> str:
        """Human description for the PO extracted comment, e.g. ``paragraph 3``."""
        label = self.kind.replace("_", " ")
        return f"{label} {self.ordinal}" if self.ordinal else label


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed source article. ``path`` is as given (relative to the project root for references)."""

    path: Path
    format: SourceFormat
    text: str
    blocks: tuple[Block, ...]

    @property
    def name(self) -> str:
        """The document id used for catalog and output file names (the file stem)."""
        return self.path.stem

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(seg for block in self.blocks for seg in block.segments)

    @property
    def title(self) -> str:
        for block in self.blocks:
            if block.kind in ("title", "heading") and block.segments:
                return " ".join(seg.text for seg in block.segments)
        return self.name

    def has_disclaimer(self) -> bool:
        return any(block.is_disclaimer for block in self.blocks)

    def comment_for(self, segment: Segment) -> str:
        """The extracted comment for a segment: block, position, section."""
        block = self.blocks[segment.block]
        where = block.describe()
        if segment.count > 1:
            where += f", sentence {segment.index + 1} of {segment.count}"
        if block.section and block.kind not in ("title", "heading"):
            where += f' — section "{block.section}"'
        return where


def assemble(document: Document, translate: Callable[[Segment], str | None]) -> str:
    """Rebuild the document text with each segment replaced by ``translate(segment)``.

    ``None`` or a translation equal to the segment's msgid keeps the exact source slice, so the identity
    translation reproduces the source byte for byte (line wrapping and markers included).
    """
    parts: list[str] = []
    position = 0
    for segment in document.segments:
        parts.append(document.text[position : segment.start])
        translated = translate(segment)
        parts.append(segment.raw if translated is None or translated == segment.text else translated)
        position = segment.end
    parts.append(document.text[position:])
    return "".join(parts)


# --- reading -------------------------------------------------------------------------------------------------

SEGMENTATIONS = ("sentence", "paragraph")

#: File suffixes (lowercase) and the format they are parsed as.
SOURCE_SUFFIXES: dict[str, SourceFormat] = {".txt": "txt", ".md": "md", ".markdown": "md"}

_BOM = "\ufeff"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def source_format(path: Path) -> SourceFormat:
    """The source format for a file name, or SourceError for an unsupported suffix."""
    try:
        return SOURCE_SUFFIXES[path.suffix.lower()]
    except KeyError:
        known = ", ".join(SOURCE_SUFFIXES)
        raise SourceError(f"unsupported source file type {path.suffix!r} (expected {known})", path) from None


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
    if not text.lstrip(_BOM).strip():
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
) -> Document:
    """Read and parse a source article; ``display_path`` (project-relative) becomes ``Document.path``.

    Errors name ``path`` as given, so the user can open the file the message points at.
    """
    parser = parse_txt if source_format(path) == "txt" else parse_markdown
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read source file: {exc.strerror or exc}", path) from None
    text = decode_source(data, path)
    shown = display_path if display_path is not None else path
    return parser(text, shown, segmentation, language=language)


def parse_document(text: str, path: Path, segmentation: str = "sentence", *, language: str = "en") -> Document:
    """Parse decoded source text with the parser its suffix calls for (.txt, .md/.markdown)."""
    parser = parse_txt if source_format(path) == "txt" else parse_markdown
    return parser(text, path, segmentation, language=language)


# --- shared helpers ------------------------------------------------------------------------------------------


class _Lines:
    """Line table of a text: CRLF, CR and LF each end a line (as in CommonMark); a BOM is not content."""

    def __init__(self, text: str) -> None:
        starts = [0]
        ends: list[int] = []
        for match in _LINE_BREAK.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        if text.startswith(_BOM):
            starts[0] = 1
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return max(1, bisect_right(self.starts, offset))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_text(text: str) -> bool:
    """Whether there is anything to translate: at least one letter or digit."""
    return any(char.isalnum() for char in text)


def _check_segmentation(segmentation: str) -> None:
    if segmentation not in SEGMENTATIONS:
        raise ValueError(f"segmentation must be 'sentence' or 'paragraph', not {segmentation!r}")


def _make_segments(
    text: str,
    pieces: Sequence[tuple[int, int]],
    block: int,
    lines: _Lines,
    *,
    whole: bool,
    language: str,
    breaks_after: frozenset[int] = frozenset(),
) -> tuple[Segment, ...]:
    """Segments of a block whose text is ``pieces`` (stripped spans of ``text``, one per source line).

    The msgid joins the pieces with single spaces (folding line breaks, container markers and
    indentation); ``breaks_after`` are piece indexes followed by a hard line break, where a sentence split
    is forced. ``whole`` makes the block one segment.
    """
    flat_starts: list[int] = []
    parts: list[str] = []
    breaks: list[int] = []
    position = 0
    for number, (start, end) in enumerate(pieces):
        flat_starts.append(position)
        parts.append(text[start:end])
        position += end - start
        if number in breaks_after and number + 1 < len(pieces):
            breaks.append(position)
        position += 1
    flat = " ".join(parts)
    spans = [_strip_span(flat, 0, len(flat))] if whole else split_sentences(flat, language, breaks=breaks)
    spans = [(a, b) for a, b in spans if a < b and _has_text(flat[a:b])]

    def original(offset: int, *, is_end: bool) -> int:
        index = (bisect_left(flat_starts, offset) if is_end else bisect_right(flat_starts, offset)) - 1
        return pieces[index][0] + offset - flat_starts[index]

    segments = []
    for index, (a, b) in enumerate(spans):
        start, end = original(a, is_end=False), original(b, is_end=True)
        segments.append(
            Segment(
                text=flat[a:b],
                raw=text[start:end],
                start=start,
                end=end,
                line=lines.line_of(start),
                block=block,
                index=index,
                count=len(spans),
            )
        )
    return tuple(segments)


_DISCLAIMER = re.compile(r"(?:\*{1,3}|_{1,3})?\s*disclaimer\s*(?:\*{1,3}|_{1,3})?\s*:", re.IGNORECASE)


def is_disclaimer_text(text: str) -> bool:
    """A block is the disclaimer when it starts with ``Disclaimer:``, bold or italic or not."""
    return _DISCLAIMER.match(text.lstrip()) is not None


class _Counter:
    """1-based ordinals per block kind."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind]


# --- plain text ----------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(r"[-\u2013\u2014\u2012\u2015\u2212]+")
_SENTENCE_END = frozenset(".!?:;…。！？：；‽")
_TRAILING_CLOSERS = "\"'”’»)]}*_`"
HEADING_MAX_WORDS = 12


def is_txt_heading(line: str) -> bool:
    """A .txt line is a heading when it is short and doesn't end in sentence punctuation.

    Closing quotes, brackets and emphasis markers after the punctuation still count as ending in it.
    """
    stripped = line.strip()
    if not stripped or len(stripped.split()) > HEADING_MAX_WORDS:
        return False
    core = stripped.rstrip(_TRAILING_CLOSERS).rstrip()
    return bool(core) and core[-1] not in _SENTENCE_END


def parse_txt(text: str, path: Path, segmentation: str = "sentence", *, language: str = "en") -> Document:
    """Parse a .txt article: one block per non-empty line; first text line title, short lines headings.

    A line without any letter or digit (``—``, ``---``, ``* * *``) is a separator; a line starting with
    ``Disclaimer:`` is a paragraph (never the title). Leading and trailing whitespace, line endings and a
    BOM are skeleton.
    """
    _check_segmentation(segmentation)
    lines = _Lines(text)
    counter = _Counter()
    blocks: list[Block] = []
    section = ""
    has_title = False
    for number in range(len(lines)):
        start, end = _strip_span(text, lines.starts[number], lines.ends[number])
        if start == end:
            continue
        content = text[start:end]
        kind: BlockKind
        disclaimer = is_disclaimer_text(content)
        if _SEPARATOR.fullmatch(content) or not _has_text(content):
            kind, level = "separator", 0
        elif disclaimer:
            kind, level = "paragraph", 0
        elif not has_title:
            kind, level = "title", 1
        elif is_txt_heading(content):
            kind, level = "heading", 2
        else:
            kind, level = "paragraph", 0
        if kind in ("title", "heading"):
            section = content
            has_title = True
        segments: tuple[Segment, ...] = ()
        if kind != "separator":
            whole = kind != "paragraph" or segmentation == "paragraph"
            segments = _make_segments(text, [(start, end)], len(blocks), lines, whole=whole, language=language)
        blocks.append(
            Block(
                kind=kind,
                start=start,
                end=end,
                line=number + 1,
                segments=segments,
                section=section,
                level=level,
                is_disclaimer=disclaimer and kind == "paragraph",
                ordinal=counter.next(kind),
            )
        )
    return Document(path=path, format="txt", text=text, blocks=tuple(blocks))


# --- Markdown ------------------------------------------------------------------------------------------------

_SKELETON_BLOCKS: dict[str, BlockKind] = {
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "separator",
}
_ATX_OPENER = re.compile(r"#{1,6}(?=[ \t]|$)")


def _line_pieces(text: str, lines: _Lines, first: int, stop: int, content: str) -> list[tuple[int, int]] | None:
    """Exact spans of markdown-it's inline ``content`` in the source lines ``first`` to ``stop`` (excluded).

    markdown-it removes container markers and indentation from each line (and turns NUL into U+FFFD), so
    each content line (stripped) must be a suffix of its source line (right-stripped). Lines that are only
    (Unicode) whitespace at either end are stripped from ``content`` altogether, so the content lines are
    tried at each possible first line. None when nothing fits: the caller then leaves the block
    untranslated rather than guess.
    """
    parts = [part.strip() for part in content.split("\n")]
    stop = min(stop, len(lines))
    for lead in range(stop - first - len(parts) + 1):
        pieces: list[tuple[int, int]] = []
        for offset, core in enumerate(parts):
            number = first + lead + offset
            start, end = lines.starts[number], lines.ends[number]
            line = text[start:end].replace("\x00", "\ufffd").rstrip()
            if not line.endswith(core):
                break
            pieces.append((start + len(line) - len(core), start + len(line)))
        else:
            return pieces
    return None


def _atx_piece(text: str, lines: _Lines, number: int, content: str) -> list[tuple[int, int]] | None:
    """The span of an ATX heading's text: after the opening ``#``s, before any closing sequence."""
    if number >= len(lines):
        return None
    start, end = lines.starts[number], lines.ends[number]
    line = text[start:end].replace("\x00", "\ufffd")
    opener = _ATX_OPENER.search(line)
    if opener is None:
        return None
    position = opener.end()
    while position < len(line) and line[position].isspace():
        position += 1
    core = content.strip()
    if line[position : position + len(core)] != core:
        return None
    return [(start + position, start + position + len(core))]


def _hard_breaks(
    text: str, lines: _Lines, pieces: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], frozenset[int]]:
    """Pieces without empty ones and with a backslash hard-break marker moved to the skeleton, and the
    indexes of the pieces followed by a hard line break (two trailing spaces or a backslash)."""
    flat_starts: list[int] = []
    position = 0
    for start, end in pieces:
        flat_starts.append(position)
        position += end - start + 1
    flat = " ".join(text[start:end] for start, end in pieces)
    in_code = code_spans(flat) if "`" in flat else []

    def inside_code(offset: int) -> bool:
        return any(a < offset < b for a, b in in_code)

    kept: list[tuple[int, int]] = []
    breaks: set[int] = set()
    for number, (start, end) in enumerate(pieces):
        hard = False
        if number + 1 < len(pieces) and not inside_code(flat_starts[number] + end - start):
            line_end = lines.ends[lines.line_of(start) - 1]
            if text[end:line_end].endswith("  "):
                hard = True
            elif text[start:end].endswith("\\"):
                backslashes = len(text[start:end]) - len(text[start:end].rstrip("\\"))
                if backslashes % 2 == 1:
                    hard = True
                    start, end = _strip_span(text, start, end - 1)
        if start < end:
            if hard:
                breaks.add(len(kept))
            kept.append((start, end))
        elif hard and kept:
            breaks.add(len(kept) - 1)
    return kept, frozenset(breaks)


def parse_markdown(text: str, path: Path, segmentation: str = "sentence", *, language: str = "en") -> Document:
    """Parse a CommonMark article with markdown-it-py; code and HTML blocks are skeleton.

    Blocks are headings (the first ``#`` heading, when it is the first heading, is the title), paragraphs,
    list items and block quotes (the paragraphs inside them), separators (thematic breaks), code and HTML.
    Segment spans are exact: heading markers, container markers, indentation and line endings stay in
    the skeleton; a block that cannot be mapped exactly is left untranslated.
    """
    from markdown_it import MarkdownIt  # imported here: not needed by commands that parse nothing

    _check_segmentation(segmentation)
    lines = _Lines(text)
    source = text[1:] if text.startswith(_BOM) else text
    tokens = MarkdownIt("commonmark").parse(source)
    counter = _Counter()
    blocks: list[Block] = []
    containers: list[str] = []
    section = ""
    seen_heading = False
    for index, token in enumerate(tokens):
        kind: BlockKind
        if token.type in ("blockquote_open", "list_item_open"):
            containers.append(token.type)
            continue
        if token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
            continue
        if token.map is None:
            continue
        first, last = token.map[0], token.map[1] - 1
        if token.type in ("heading_open", "paragraph_open"):
            inline = tokens[index + 1]
            pieces: list[tuple[int, int]] | None = None
            if inline.type == "inline" and inline.map is not None:
                if token.type == "heading_open" and token.markup.startswith("#"):
                    pieces = _atx_piece(text, lines, inline.map[0], inline.content)
                else:
                    pieces = _line_pieces(text, lines, inline.map[0], inline.map[1], inline.content)
            level = 0
            if token.type == "heading_open":
                level = int(token.tag[1:])
                kind = "title" if level == 1 and not seen_heading else "heading"
                seen_heading = True
            elif containers and containers[-1] == "blockquote_open":
                kind = "blockquote"
            elif containers:
                kind = "list_item"
            else:
                kind = "paragraph"
            blocks.append(
                _markdown_block(
                    text,
                    lines,
                    kind,
                    level,
                    pieces,
                    len(blocks),
                    first,
                    last,
                    section,
                    counter,
                    whole=kind in ("title", "heading") or segmentation == "paragraph",
                    language=language,
                )
            )
            if kind in ("title", "heading") and blocks[-1].segments:
                section = " ".join(segment.text for segment in blocks[-1].segments)
                blocks[-1] = replace(blocks[-1], section=section)
        elif token.type in _SKELETON_BLOCKS:
            kind = _SKELETON_BLOCKS[token.type]
            start, end = _strip_span(text, lines.starts[first], lines.ends[min(last, len(lines) - 1)])
            blocks.append(
                Block(
                    kind=kind,
                    start=start,
                    end=end,
                    line=first + 1,
                    segments=(),
                    section=section,
                    ordinal=counter.next(kind),
                )
            )
    return Document(path=path, format="md", text=text, blocks=tuple(blocks))


def _markdown_block(
    text: str,
    lines: _Lines,
    kind: BlockKind,
    level: int,
    pieces: list[tuple[int, int]] | None,
    number: int,
    first: int,
    last: int,
    section: str,
    counter: _Counter,
    *,
    whole: bool,
    language: str,
) -> Block:
    """A translatable Markdown block; without exact ``pieces`` it keeps no segments (all skeleton)."""
    segments: tuple[Segment, ...] = ()
    if pieces:
        pieces, breaks = _hard_breaks(text, lines, pieces)
    if pieces:
        segments = _make_segments(text, pieces, number, lines, whole=whole, language=language, breaks_after=breaks)
        start, end, line = pieces[0][0], pieces[-1][1], lines.line_of(pieces[0][0])
    else:
        start, end = _strip_span(text, lines.starts[first], lines.ends[min(last, len(lines) - 1)])
        line = first + 1
    flat = " ".join(segment.text for segment in segments)
    return Block(
        kind=kind,
        start=start,
        end=end,
        line=line,
        segments=segments,
        section=section,
        level=level,
        is_disclaimer=kind in ("paragraph", "blockquote", "list_item") and is_disclaimer_text(flat),
        ordinal=counter.next(kind),
    )
