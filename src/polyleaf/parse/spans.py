"""What every parser shares: the line table of a source text and the builder that turns exact spans into blocks.

Parsers find *where* translatable text is (spans of the source text, one per source line); ``BlockBuilder`` turns
those spans into segments (sentences by ``polyleaf.segment``, or whole blocks) and numbers the blocks, so that
every format produces Documents the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from polyleaf.document import Block, BlockKind, Segment
from polyleaf.segment import split_sentences

SEGMENTATIONS = ("sentence", "paragraph")
BOM = "\ufeff"
LINE_BREAK = re.compile(r"\r\n|\r|\n")

Span = tuple[int, int]

_DISCLAIMER = re.compile(r"(?:\*{1,3}|_{1,3})?\s*disclaimer\s*(?:\*{1,3}|_{1,3})?\s*:", re.IGNORECASE)


def is_disclaimer_text(text: str) -> bool:
    """A block is the disclaimer when it starts with ``Disclaimer:``, bold or italic or not."""
    return _DISCLAIMER.match(text.lstrip()) is not None


def strip_span(text: str, start: int, end: int) -> Span:
    """``(start, end)`` narrowed to exclude leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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


class BlockBuilder:
    """Collects the blocks of one document in order: block numbers, 1-based ordinals per kind, sections, segments.

    ``segmentation`` is ``sentence`` (paragraph-like blocks are split into sentences) or ``paragraph`` (one
    segment per block); ``language`` picks the sentence rules.
    """

    def __init__(self, text: str, segmentation: str, language: str) -> None:
        if segmentation not in SEGMENTATIONS:
            raise ValueError(f"segmentation must be 'sentence' or 'paragraph', not {segmentation!r}")
        self.text = text
        self.lines = Lines(text)
        self.whole_blocks = segmentation == "paragraph"
        self.language = language
        self.blocks: list[Block] = []
        self.section = ""
        self._ordinals: dict[str, int] = {}

    def add(
        self,
        kind: BlockKind,
        span: Span,
        segments: tuple[Segment, ...] = (),
        *,
        level: int = 0,
        is_disclaimer: bool = False,
        line: int = 0,
    ) -> Block:
        """Append a block covering ``span`` (starting on ``line``, by default the line of its first character);
        a title or heading with text starts a new section."""
        self._ordinals[kind] = self._ordinals.get(kind, 0) + 1
        block = Block(
            kind=kind,
            start=span[0],
            end=span[1],
            line=line or self.lines.line_of(span[0]),
            segments=segments,
            section=self.section,
            level=level,
            is_disclaimer=is_disclaimer,
            ordinal=self._ordinals[kind],
        )
        if kind in ("title", "heading") and segments:
            self.section = " ".join(segment.text for segment in segments)
            block = replace(block, section=self.section)
        self.blocks.append(block)
        return block

    def segments(
        self, pieces: Sequence[Span], *, whole: bool, breaks_after: frozenset[int] = frozenset()
    ) -> tuple[Segment, ...]:
        """Segments of the next block, whose text is ``pieces`` (stripped spans, one per source line).

        The msgid joins the pieces with single spaces (folding line breaks, container markers and indentation);
        ``breaks_after`` are piece indexes followed by a hard line break, where a sentence split is forced.
        ``whole`` (or paragraph segmentation) makes the block one segment.
        """
        text = self.text
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
        if whole or self.whole_blocks:
            spans = [strip_span(flat, 0, len(flat))]
        else:
            spans = split_sentences(flat, self.language, breaks=breaks)
        spans = [(a, b) for a, b in spans if a < b and has_text(flat[a:b])]

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
                    line=self.lines.line_of(start),
                    block=len(self.blocks),
                    index=index,
                    count=len(spans),
                )
            )
        return tuple(segments)
