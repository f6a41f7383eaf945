"""The Document model: a source article as skeleton + translatable segments, and ``assemble``.

The parsers that build Documents live in ``polyleaf.parse`` (one module per source format).

A Document keeps the decoded source text verbatim (a BOM stays as U+FEFF, CRLF stays CRLF). Each Segment
knows its exact span in that text, so everything outside the spans is skeleton and
``assemble(doc, lambda s: s.text)`` reproduces the source byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
