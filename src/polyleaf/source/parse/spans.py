"""What every parser shares: the line table of a source text and the builder that turns exact spans into blocks.

Parsers find *where* translatable text is (spans of the source text, one per source line); ``BlockBuilder`` turns
those spans into segments (sentences by ``polyleaf.source.segment``, or whole blocks) and numbers the blocks, so that
every format produces Documents the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import TypedDict, Unpack

from polyleaf.source.document import CALLOUT_KINDS, Block, BlockKind, Callout, Image, ListLevel, Segment, Span, Table
from polyleaf.source.pysbd_boundaries import strip_span
from polyleaf.source.segment import Splitter, split_sentences

SEGMENTATIONS = ("sentence", "paragraph")
BOM = "\ufeff"
LINE_BREAK = re.compile(r"\r\n|\r|\n")

#: GitHub's alert marker (``[!WARNING]``, any case) and the blanks after it: alone on the first line of a Markdown
#: block quote, at the start of a .txt line.
CALLOUT_MARKER = re.compile(rf"\[!({'|'.join(CALLOUT_KINDS)})\][ \t]*", re.IGNORECASE)
_FOOTNOTE_REFS = re.compile(r"(?:\[\^[^\]\s]+\])+")
_DISCLAIMER = re.compile(r"(?:\*{1,3}|_{1,3})?\s*disclaimer\s*(?:\*{1,3}|_{1,3})?\s*:", re.IGNORECASE)


def is_disclaimer_text(text: str) -> bool:
    """A block is the disclaimer when it starts with ``Disclaimer:``, bold or italic or not."""
    return _DISCLAIMER.match(text.lstrip()) is not None


def has_text(text: str) -> bool:
    """Whether there is anything to translate: at least one letter or digit."""
    return any(char.isalnum() for char in text)


class Lines:
    """Line table of a text: CRLF, CR and LF each end a line (as in CommonMark); a BOM is not content."""

    def __init__(self, text: str) -> None:
        starts = [0]
        ends: list[int] = []
        for match in LINE_BREAK.finditer(text):
            ends.append(match.start())
            starts.append(match.end())
        ends.append(len(text))
        if text.startswith(BOM):
            starts[0] = 1
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return max(1, bisect_right(self.starts, offset))


def _split_sentences(text: str, language: str, breaks: Sequence[int]) -> list[Span]:
    return split_sentences(text, language, breaks=breaks)


class BlockDetails(TypedDict, total=False):
    """What a parser may say about a block besides its kind, span and segments (``Block``'s other fields)."""

    level: int
    is_disclaimer: bool
    lists: tuple[ListLevel, ...]
    footnote: str
    roles: tuple[str, ...]
    table: Table | None
    image: Image | None
    label: str
    quoted: bool
    callout: Callout | None


class BlockBuilder:
    """Collects the blocks of one document in order: block numbers, 1-based ordinals per kind, sections, segments.

    ``segmentation`` is ``sentence`` (paragraph-like blocks are split into sentences) or ``paragraph`` (one
    segment per block); ``language`` picks the sentence rules; ``splitter`` splits sentences (``split_sentences``,
    or a cache in front of it).
    """

    def __init__(self, text: str, segmentation: str, language: str, splitter: Splitter | None = None) -> None:
        if segmentation not in SEGMENTATIONS:
            raise ValueError(f"segmentation must be 'sentence' or 'paragraph', not {segmentation!r}")
        self.text = text
        self.lines = Lines(text)
        self.whole_blocks = segmentation == "paragraph"
        self.language = language
        self.split: Splitter = splitter or _split_sentences
        self.blocks: list[Block] = []
        self.section = ""
        self._ordinals: dict[str, int] = {}

    def add(
        self,
        kind: BlockKind,
        span: Span,
        segments: tuple[Segment, ...] = (),
        *,
        line: int = 0,
        **details: Unpack[BlockDetails],
    ) -> Block:
        """Append a block covering ``span`` (starting on ``line``, by default the line of its first character);
        a title or heading with text starts a new section. The other fields are ``Block``'s."""
        self._ordinals[kind] = self._ordinals.get(kind, 0) + 1
        block = Block(
            kind=kind,
            start=span[0],
            end=span[1],
            line=line or self.lines.line_of(span[0]),
            segments=segments,
            section=self.section,
            ordinal=self._ordinals[kind],
            **details,
        )
        if kind in ("title", "heading") and segments:
            self.section = " ".join(segment.text for segment in segments)
            block = replace(block, section=self.section)
        self.blocks.append(block)
        return block

    def segments(
        self,
        pieces: Sequence[Span],
        *,
        whole: bool,
        breaks_after: frozenset[int] = frozenset(),
        glued: frozenset[int] = frozenset(),
    ) -> tuple[Segment, ...]:
        """Segments of the next block, whose text is ``pieces`` (stripped spans, one per source line).

        The msgid joins the pieces with single spaces (folding line breaks, container markers and indentation), or
        with nothing after the pieces in ``glued`` (a comment cut out of a word); ``breaks_after`` are piece
        indexes followed by a hard line break, where a sentence split is forced. ``whole`` (or paragraph
        segmentation) makes the block one segment.
        """
        flat = Flat(self.text, pieces, glued)
        breaks = [flat.ends[number] for number in sorted(breaks_after) if number + 1 < len(pieces)]
        if whole or self.whole_blocks:
            spans = [strip_span(flat.text, 0, len(flat.text))]
        else:
            spans = _footnote_refs_stay_behind(flat.text, self.split(flat.text, self.language, breaks))
        return self._make(flat, [(a, b) for a, b in spans if a < b and has_text(flat.text[a:b])])

    def units(self, units: Sequence[tuple[Sequence[Span], frozenset[int]]]) -> tuple[tuple[Segment, ...], list[int]]:
        """One whole segment per unit (table cells, an image's alt and title…): each unit is its pieces and the
        pieces glued to the next. Units without text get no segment; the second value maps each unit to the index
        of its segment (-1 when it has none)."""
        flats = [Flat(self.text, pieces, glued) for pieces, glued in units]
        indexes: list[int] = []
        kept: list[Flat] = []
        for flat in flats:
            indexes.append(len(kept) if flat.text and has_text(flat.text) else -1)
            if indexes[-1] >= 0:
                kept.append(flat)
        segments: list[Segment] = []
        for flat in kept:
            (segment,) = self._make(flat, [(0, len(flat.text))])
            segments.append(replace(segment, index=len(segments), count=len(kept)))
        return tuple(segments), indexes

    def _make(self, flat: Flat, spans: Sequence[Span]) -> tuple[Segment, ...]:
        segments = []
        for index, (a, b) in enumerate(spans):
            start, end = flat.original(a, is_end=False), flat.original(b, is_end=True)
            segments.append(
                Segment(
                    text=flat.text[a:b],
                    raw=self.text[start:end],
                    start=start,
                    end=end,
                    line=self.lines.line_of(start),
                    block=len(self.blocks),
                    index=index,
                    count=len(spans),
                )
            )
        return tuple(segments)


def _footnote_refs_stay_behind(text: str, spans: Sequence[Span]) -> list[Span]:
    """Footnote references after a sentence's full stop (``dose.[^1] Next``) belong to that sentence."""
    fixed: list[Span] = []
    for start, end in spans:
        refs = _FOOTNOTE_REFS.match(text, start, end)
        if refs is None or not fixed:
            fixed.append((start, end))
            continue
        fixed[-1] = (fixed[-1][0], refs.end())
        rest = strip_span(text, refs.end(), end)
        if rest[0] < rest[1]:
            fixed.append(rest)
    return fixed


class Flat:
    """The msgid text of some source pieces joined by single spaces (or nothing after ``glued`` pieces), and the
    way back from an offset in it to an offset in the source."""

    def __init__(self, text: str, pieces: Sequence[Span], glued: frozenset[int] = frozenset()) -> None:
        self.source = text
        self.pieces = list(pieces)
        self.starts: list[int] = []  # where each piece starts in the flat text
        self.ends: list[int] = []
        parts: list[str] = []
        position = 0
        for number, (start, end) in enumerate(self.pieces):
            if number:
                joiner = "" if number - 1 in glued else " "
                parts.append(joiner)
                position += len(joiner)
            self.starts.append(position)
            parts.append(text[start:end])
            position += end - start
            self.ends.append(position)
        self.text = "".join(parts)

    def sub_pieces(self, start: int, end: int) -> list[Span]:
        """The source pieces (stripped, non-empty) of the flat text ``[start:end]``."""
        pieces: list[Span] = []
        for number, (piece_start, _piece_end) in enumerate(self.pieces):
            a, b = max(start, self.starts[number]), min(end, self.ends[number])
            if a < b:
                offset = piece_start - self.starts[number]
                a, b = strip_span(self.source, a + offset, b + offset)
                if a < b:
                    pieces.append((a, b))
        return pieces

    def original(self, offset: int, *, is_end: bool) -> int:
        """The source offset of flat ``offset`` (an end offset belongs to the piece it ends)."""
        index = (bisect_left(self.starts, offset) if is_end else bisect_right(self.starts, offset)) - 1
        index = max(index, 0)
        return self.pieces[index][0] + offset - self.starts[index]
