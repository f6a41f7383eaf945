"""The Markdown parser: CommonMark via markdown-it-py (block tokens carry line maps), mapped to exact spans.

Blocks are headings (the first ``#`` heading, when it is the first heading, is the title), paragraphs, list items
and block quotes (the paragraphs inside them), separators (thematic breaks), code and HTML. Code and HTML blocks
are skeleton. A block whose text cannot be mapped exactly onto the source lines is left untranslated rather than
guessed at.
"""

from __future__ import annotations

import re
from pathlib import Path

from polyleaf.document import BlockKind, Document
from polyleaf.parse.spans import BOM, BlockBuilder, Lines, Span, is_disclaimer_text, strip_span
from polyleaf.segment import code_spans

_SKELETON_BLOCKS: dict[str, BlockKind] = {
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "separator",
}
_ATX_OPENER = re.compile(r"#{1,6}(?=[ \t]|$)")


def _line_pieces(text: str, lines: Lines, first: int, stop: int, content: str) -> list[tuple[int, int]] | None:
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


def _atx_piece(text: str, lines: Lines, number: int, content: str) -> list[tuple[int, int]] | None:
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
    text: str, lines: Lines, pieces: list[tuple[int, int]]
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
                    start, end = strip_span(text, start, end - 1)
        if start < end:
            if hard:
                breaks.add(len(kept))
            kept.append((start, end))
        elif hard and kept:
            breaks.add(len(kept) - 1)
    return kept, frozenset(breaks)


def parse_markdown(text: str, path: Path, segmentation: str = "sentence", *, language: str = "en") -> Document:
    """Parse a CommonMark article with markdown-it-py; code and HTML blocks are skeleton.

    Segment spans are exact: heading markers, container markers, indentation and line endings stay in the
    skeleton; a block that cannot be mapped exactly is left untranslated.
    """
    from markdown_it import MarkdownIt  # imported here: not needed by commands that parse nothing

    builder = BlockBuilder(text, segmentation, language)
    lines = builder.lines
    source = text[1:] if text.startswith(BOM) else text
    tokens = MarkdownIt("commonmark").parse(source)
    containers: list[str] = []
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
            pieces: list[Span] | None = None
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
            _add_text_block(builder, kind, level, pieces, (first, last))
        elif token.type in _SKELETON_BLOCKS:
            builder.add(_SKELETON_BLOCKS[token.type], _line_span(builder, first, last), line=first + 1)
    return Document(path=path, format="md", text=text, blocks=tuple(builder.blocks))


def _line_span(builder: BlockBuilder, first: int, last: int) -> Span:
    """The stripped span of the 0-based source lines ``first`` to ``last`` (included)."""
    lines = builder.lines
    return strip_span(builder.text, lines.starts[first], lines.ends[min(last, len(lines) - 1)])


def _add_text_block(
    builder: BlockBuilder, kind: BlockKind, level: int, pieces: list[Span] | None, line_range: tuple[int, int]
) -> None:
    """A translatable Markdown block; without exact ``pieces`` it keeps no segments (all skeleton)."""
    if pieces:
        pieces, breaks = _hard_breaks(builder.text, builder.lines, pieces)
    if not pieces:
        builder.add(kind, _line_span(builder, *line_range), level=level, line=line_range[0] + 1)
        return
    segments = builder.segments(pieces, whole=kind in ("title", "heading"), breaks_after=breaks)
    flat = " ".join(segment.text for segment in segments)
    disclaimer = kind in ("paragraph", "blockquote", "list_item") and is_disclaimer_text(flat)
    builder.add(kind, (pieces[0][0], pieces[-1][1]), segments, level=level, is_disclaimer=disclaimer)
