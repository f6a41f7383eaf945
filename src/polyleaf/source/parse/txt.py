"""The plain-text parser: one block per non-empty line; the first line is the title, short lines are headings."""

from __future__ import annotations

import re
from pathlib import Path

from polyleaf.source.document import BlockKind, Callout, Document
from polyleaf.source.parse.spans import CALLOUT_MARKER, BlockBuilder, has_text, is_disclaimer_text
from polyleaf.source.pysbd_boundaries import strip_span
from polyleaf.source.segment import Splitter

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


def parse_txt(
    text: str, path: Path, segmentation: str = "sentence", *, language: str = "en", splitter: Splitter | None = None
) -> Document:
    """Parse a .txt article: one block per non-empty line; first text line title, short lines headings.

    A line without any letter or digit (``—``, ``---``, ``* * *``) is a separator; a line starting with
    ``Disclaimer:`` is a paragraph (never the title); a line starting with a GitHub alert marker (``[!WARNING] Do not
    drive.``) is a callout, its marker skeleton. Leading and trailing whitespace, line endings and a
    BOM are skeleton.
    """
    builder = BlockBuilder(text, segmentation, language, splitter)
    lines = builder.lines
    has_title = False
    for number in range(len(lines)):
        start, end = strip_span(text, lines.starts[number], lines.ends[number])
        if start == end:
            continue
        content = text[start:end]
        marker = CALLOUT_MARKER.match(content)
        if marker and has_text(content[marker.end() :]):
            callout = Callout(marker.group(1).lower(), number)
            segments = builder.segments([(start + marker.end(), end)], whole=False)
            builder.add("blockquote", (start, end), segments, callout=callout)
            continue
        kind: BlockKind
        disclaimer = is_disclaimer_text(content)
        if _SEPARATOR.fullmatch(content) or not has_text(content):
            kind, level = "separator", 0
        elif disclaimer:
            kind, level = "paragraph", 0
        elif not has_title:
            kind, level = "title", 1
        elif is_txt_heading(content):
            kind, level = "heading", 2
        else:
            kind, level = "paragraph", 0
        has_title = has_title or kind in ("title", "heading")
        segments = () if kind == "separator" else builder.segments([(start, end)], whole=kind != "paragraph")
        builder.add(kind, (start, end), segments, level=level, is_disclaimer=disclaimer and kind == "paragraph")
    return Document(path=path, format="txt", text=text, blocks=tuple(builder.blocks))
