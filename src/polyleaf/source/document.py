"""The Document model: a source article as skeleton + translatable segments, and ``assemble``.

The parsers that build Documents live in ``polyleaf.source.parse`` (one module per source format).

A Document keeps the decoded source text verbatim (a BOM stays as U+FEFF, CRLF stays CRLF). Each Segment
knows its exact span in that text, so everything outside the spans is skeleton and
``assemble(doc, lambda s: s.text)`` reproduces the source byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

BlockKind = Literal[
    "title",
    "heading",
    "paragraph",
    "list_item",
    "blockquote",
    "table",
    "image",
    "footnote",
    "front_matter",
    "link_definition",
    "separator",
    "code",
    "html",
    "comment",
]
SourceFormat = Literal["txt", "md"]
Span = tuple[int, int]

#: Block kinds that are skeleton only; all the others have translatable text.
SKELETON_KINDS: frozenset[str] = frozenset({"separator", "code", "html", "comment"})
#: Block kinds whose text is translated.
TRANSLATABLE_KINDS: frozenset[str] = frozenset(get_args(BlockKind)) - SKELETON_KINDS
#: GitHub's alert kinds (``> [!WARNING]``), in the order GitHub documents them.
CALLOUT_KINDS = ("note", "tip", "important", "warning", "caution")
#: The callouts that are safety text: a release never shows their text unreviewed.
URGENT_CALLOUTS: frozenset[str] = frozenset({"important", "warning", "caution"})
#: Block kinds no page shows: Markdown link definitions (their titles appear on the links) and HTML comments.
INVISIBLE_KINDS: frozenset[str] = frozenset({"link_definition", "comment"})


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
class ListLevel:
    """One (possibly nested) Markdown list a block sits in.

    ``list`` identifies the list (the 0-based source line where it starts), so two lists that follow each other are
    never merged; ``item`` is the 0-based number of the item the block belongs to.
    """

    list: int
    ordered: bool
    start: int = 1  # an ordered list's first number
    item: int = 0


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its source text (inline Markdown, comments removed) and its segment, if it has one."""

    text: str
    segment: int = -1  # index into the block's segments; -1 when the cell has nothing to translate


@dataclass(frozen=True, slots=True)
class Table:
    """A GFM pipe table: one segment per cell (a cell is never split into sentences). Row 0 is the header."""

    align: tuple[str, ...]  # per column: "", "left", "center" or "right"
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class Callout:
    """A block quote that is a GitHub alert: its kind (``warning``…) and the 0-based line of its ``[!WARNING]``
    marker, which tells two callouts in a row apart. The marker is skeleton; the label is a page's own word."""

    kind: str
    line: int

    @property
    def urgent(self) -> bool:
        return self.kind in URGENT_CALLOUTS


@dataclass(frozen=True, slots=True)
class Image:
    """A paragraph that is only an image: ``src`` as written (or resolved from its reference), alt and title as
    source text. Their segments are named by ``Block.roles`` (``alt``, ``title``)."""

    src: str
    alt: str
    title: str = ""


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
    lists: tuple[ListLevel, ...] = ()  # the lists it is in, outermost first
    footnote: str = ""  # the label of the footnote definition it belongs to
    roles: tuple[str, ...] = ()  # per segment, what it is when not body text: alt/title, title/description
    table: Table | None = None
    image: Image | None = None
    label: str = ""  # a link definition's normalized label
    quoted: bool = False  # inside a block quote (a warning or callout: safety text), whatever its own kind
    callout: Callout | None = None  # the innermost GitHub alert it is in

    def describe(self) -> str:
        """Human description for the PO extracted comment, e.g. ``paragraph 3``."""
        label = self.kind.replace("_", " ")
        if self.footnote:
            return (
                f"{label} [^{self.footnote}]" if self.kind == "footnote" else f"{label} in footnote [^{self.footnote}]"
            )
        return f"{label} {self.ordinal}" if self.ordinal and self.kind != "front_matter" else label

    def role_of(self, segment: Segment) -> str:
        """What a segment of this block is (``alt``, ``title``, ``description``…), or ``""`` for body text."""
        return self.roles[segment.index] if segment.index < len(self.roles) else ""

    def cell_of(self, segment: Segment) -> tuple[int, int] | None:
        """The (row, column) of a table cell's segment, 0-based."""
        if self.table is None:
            return None
        for row, cells in enumerate(self.table.rows):
            for column, cell in enumerate(cells):
                if cell.segment == segment.index:
                    return row, column
        return None


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed source article. ``path`` is as given (relative to the project root for references)."""

    path: Path
    format: SourceFormat
    text: str
    blocks: tuple[Block, ...]
    comments: tuple[Span, ...] = ()  # HTML comments (``<!-- … -->``): never shown, never translated
    references: tuple[tuple[str, str, str], ...] = ()  # Markdown link definitions: (label, href, title)
    footnotes: tuple[str, ...] = ()  # footnote labels in the order they are numbered
    images: tuple[str, ...] = ()  # the sources of the images it shows (standalone and inline), as written

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
        for block in self.blocks:
            for segment in block.segments:
                if block.kind == "front_matter" and block.role_of(segment) == "title":
                    return segment.text
        return self.name

    def has_disclaimer(self) -> bool:
        return any(block.is_disclaimer for block in self.blocks)

    def comment_for(self, segment: Segment) -> str:
        """The extracted comment for a segment: block, position, section."""
        block = self.blocks[segment.block]
        where = block.describe()
        cell = block.cell_of(segment)
        if cell is not None:
            where += ", header" if cell[0] == 0 else f", row {cell[0]}"
            where += f", column {cell[1] + 1}"
        elif block.role_of(segment):
            where += f", {block.role_of(segment)}"
        elif segment.count > 1:
            where += f", sentence {segment.index + 1} of {segment.count}"
        if block.section and block.kind not in ("title", "heading"):
            where += f' — section "{block.section}"'
        return where


def assemble(
    document: Document,
    translate: Callable[[Segment], str | None],
    *,
    keep_comments: bool = True,
    start: int = 0,
    end: int | None = None,
    between: Callable[[Segment, Segment, str], str] | None = None,
) -> str:
    """Rebuild the document text (or its part from ``start`` to ``end``, block boundaries) with each segment
    replaced by ``translate(segment)``.

    ``None`` or a translation equal to the segment's msgid keeps the exact source slice, so the identity
    translation reproduces the source byte for byte (line wrapping and markers included). Without
    ``keep_comments`` the HTML comments are left out (what a leaflet shows). ``between(left, right, skeleton)``
    may replace the skeleton between two sentences of one block (the space a language puts there).
    """
    stop = len(document.text) if end is None else end

    def source(first: int, last: int) -> str:
        return document.text[first:last] if keep_comments else without_comments(document, first, last)

    parts: list[str] = []
    position = start
    previous: Segment | None = None
    for segment in document.segments:
        if segment.start < start or segment.end > stop:
            continue
        skeleton = source(position, segment.start)
        if between is not None and previous is not None and previous.block == segment.block:
            skeleton = between(previous, segment, skeleton)
        parts.append(skeleton)
        previous = segment
        translated = translate(segment)
        if translated is None or translated == segment.text:
            translated = source(segment.start, segment.end)
        parts.append(translated)
        position = segment.end
    parts.append(source(position, stop))
    return "".join(parts)


def without_comments(document: Document, start: int, end: int) -> str:
    """``document.text[start:end]`` with the HTML comments in it removed (a comment alone on its lines goes with
    its line break, so no stray blank line is left where it was)."""
    parts: list[str] = []
    position = start
    for comment_start, comment_end in document.comments:
        if comment_end <= position or comment_start >= end:
            continue
        parts.append(document.text[position : max(position, comment_start)])
        position = min(max(position, comment_end), end)
    parts.append(document.text[position:end])
    return "".join(parts)
