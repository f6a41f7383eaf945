"""Where markdown-it's inline content lies in the source: exact spans per source line, hard line breaks, and the
HTML comments inside a paragraph cut out of its segments. The Markdown parser maps every block through these, so a
segment's span is exactly its text in the file (container markers, indentation and line ends stay skeleton)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from polyleaf.source.document import Span
from polyleaf.source.parse.spans import Flat, Lines
from polyleaf.source.pysbd_boundaries import strip_span
from polyleaf.source.segment import code_spans

if TYPE_CHECKING:
    from markdown_it.token import Token

_ATX_OPENER = re.compile(r"#{1,6}(?=[ \t]|$)")


def line_pieces(text: str, lines: Lines, first: int, stop: int, content: str) -> list[tuple[int, int]] | None:
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


def atx_piece(text: str, lines: Lines, number: int, content: str) -> list[tuple[int, int]] | None:
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


def hard_breaks(text: str, lines: Lines, pieces: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], frozenset[int]]:
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
                    start, end = strip_span(text, start, end - 1)
        if start < end:
            if hard:
                breaks.add(len(kept))
            kept.append((start, end))
        elif hard and kept:
            breaks.add(len(kept) - 1)
    return kept, frozenset(breaks)


class Pieces:
    """The source pieces of one inline text, with its inline HTML comments cut out (they go to the skeleton)."""

    def __init__(self, text: str, pieces: Sequence[Span], inline: Token, breaks: frozenset[int] = frozenset()) -> None:
        self.comments = _inline_comments(text, pieces, inline)
        self.pieces, self.breaks, self.glued = _cut(text, pieces, breaks, self.comments)


def _inline_comments(text: str, pieces: Sequence[Span], inline: Token) -> list[Span]:
    """Source spans of the HTML comments markdown-it found in an inline text (located in order, never inside a
    code span; one that cannot be located exactly stays where it is)."""
    wanted = [
        re.sub(r"[ \t]*\n[ \t]*", " ", child.content)
        for child in inline.children or []
        if child.type == "html_inline" and child.content.startswith("<!--")
    ]
    if not wanted:
        return []
    flat = Flat(text, pieces)
    in_code = code_spans(flat.text) if "`" in flat.text else []
    found: list[Span] = []
    position = 0
    for comment in wanted:
        start = flat.text.find(comment, position)
        while start >= 0 and any(a <= start < b for a, b in in_code):
            start = flat.text.find(comment, start + 1)
        if start < 0:
            continue
        end = start + len(comment)
        found.append((flat.original(start, is_end=False), flat.original(end, is_end=True)))
        position = end
    return found


def _cut(
    text: str, pieces: Sequence[Span], breaks: frozenset[int], comments: Sequence[Span]
) -> tuple[list[Span], frozenset[int], frozenset[int]]:
    """``pieces`` without the ``comments`` in them; the hard breaks renumbered; and the pieces to join to the next
    without a space (a comment that sat inside a word, with no space on either side)."""
    kept: list[Span] = []
    new_breaks: set[int] = set()
    glued: set[int] = set()
    glue_at = -1  # a piece starting here is glued to the previous one
    for number, (start, end) in enumerate(pieces):
        position = start
        for comment_start, comment_end in comments:
            if comment_end <= start or comment_start >= end:
                continue
            a, b = strip_span(text, position, max(position, comment_start))
            if a < b:
                if a == glue_at and kept:
                    glued.add(len(kept) - 1)
                kept.append((a, b))
                glue_at = comment_end if b == comment_start else -1
            position = max(position, min(comment_end, end))
        a, b = strip_span(text, position, end)
        if a < b:
            if a == glue_at and kept:
                glued.add(len(kept) - 1)
            kept.append((a, b))
        glue_at = -1
        if number in breaks and kept:
            new_breaks.add(len(kept) - 1)
    return kept, frozenset(new_breaks), frozenset(glued)
