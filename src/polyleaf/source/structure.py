"""What gives a text block structure in the .txt and Markdown grammars: line breaks, and what starts a block of its
own at the beginning of a line in CommonMark (and GitHub's extensions). A translation may not add either: QA
reports it, the text writers neutralise it.

A segment's translation sits where its source sat; in a Markdown leaflet the first segment of a block, and any
segment the source begins on a new line, starts a line of the block's content. There, a translation shaped like
``# …``, ``> …``, ``- …``, ``1. …``, a fence, an HTML tag, a thematic break or a setext underline, a table's
delimiter row, a link reference definition ``[x]: …`` (which a renderer removes from the page), a task box or an
alert, or four spaces of indentation (a code block) would become that block.
"""

from __future__ import annotations

import re

#: What ends a line in the .txt and Markdown grammars (polyleaf's parsers and CommonMark alike). U+2028 and other
#: characters Python's ``splitlines`` breaks at are ordinary characters there, as they are in a PO file.
LINE_BREAKS = re.compile(r"[\r\n]+")
#: Autolinks look like HTML tags but are none: ``<https://…>``, ``<name@host>``.
AUTOLINK = r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>"
#: What starts a Markdown block when it begins a line (after at most three spaces), by the block it starts; the
#: first that matches names it.
_BLOCK_STARTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("a heading", r"#{1,6}(?=[ \t]|$)"),
        ("a block quote", r">"),
        ("a thematic break", r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$"),
        ("a setext heading underline", r"(?:=+|-+)[ \t]*$"),
        ("a list item", r"[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)"),
        ("a code fence", r"`{3,}|~{3,}"),
        ("an HTML block", rf"(?!{AUTOLINK})<[A-Za-z!/?]"),
        ("a table delimiter row", r"(?=[^|]*\|)(?=[^-]*-)[ \t|:-]+$"),
        ("a link reference definition", r"\[(?:[^\[\]\\]|\\.)+\]:"),
        ("a task box or an alert", r"\[[ xX]\](?=[ \t]|$)|\[![A-Za-z]+\]"),
    )
)
#: Indentation that makes a code block (four columns; a tab reaches the next multiple of four).
_CODE_INDENT = re.compile(r" {0,3}\t| {4}")
_INDENTED = "an indented code block"


def block_start(text: str) -> str:
    """The Markdown block ``text`` would start at the beginning of a line (``"a heading"``…), or ``""``."""
    if _CODE_INDENT.match(text):
        return _INDENTED
    stripped = text.lstrip(" ")
    if stripped[:1].isalpha():  # every block starts with a mark or a digit, most sentences with a letter
        return ""
    return next((name for name, pattern in _BLOCK_STARTS if pattern.match(stripped)), "")


def starts_block(text: str) -> bool:
    """Whether ``text`` at the start of a line would open a Markdown block of its own."""
    return bool(block_start(text))


def added_structure(source: str, translation: str) -> list[str]:
    """What block structure ``translation`` has that ``source`` has not (one message per kind)."""
    problems = []
    if LINE_BREAKS.search(translation) and not LINE_BREAKS.search(source):
        problems.append("a line break: it would start a new paragraph or heading in the built text")
    kind = block_start(translation)
    if kind and kind != block_start(source):
        start = "spaces or a tab" if kind == _INDENTED else repr(translation.lstrip(" ").split(" ", 1)[0][:4])
        problems.append(f"starts with {start}: in a Markdown leaflet it would start {kind}")
    return problems
