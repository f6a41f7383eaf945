"""What gives a text block structure in the .txt and Markdown grammars: line breaks, and the markers that start a
Markdown block at the beginning of a line. A translation may not add either (QA reports it; the text writers
neutralise it)."""

from __future__ import annotations

import re

#: What ends a line in the .txt and Markdown grammars (polyleaf's parsers and CommonMark alike). U+2028 and other
#: characters Python's ``splitlines`` breaks at are ordinary characters there, as they are in a PO file.
LINE_BREAKS = re.compile(r"[\r\n]+")
#: What starts a Markdown block when it begins a line: ATX heading, quote, list item, fence, HTML, table, rule.
_MARKDOWN_BLOCK = re.compile(
    r"\#{1,6}(?=[ \t]|$) | > | [-+*](?=[ \t]|$) | \d{1,9}[.)](?=[ \t]|$) | `{3} | ~{3} | <[A-Za-z!/?] | \| | =+\s*$",
    re.VERBOSE,
)


def starts_block(text: str) -> bool:
    """Whether ``text`` at the start of a line would open a Markdown block of its own."""
    return _MARKDOWN_BLOCK.match(text) is not None


def added_structure(source: str, translation: str) -> list[str]:
    """What block structure ``translation`` has that ``source`` has not (one message per kind)."""
    problems = []
    if LINE_BREAKS.search(translation) and not LINE_BREAKS.search(source):
        problems.append("a line break: it would start a new paragraph or heading in the built text")
    if starts_block(translation.lstrip()) and not starts_block(source.lstrip()):
        marker = translation.lstrip().split(" ", 1)[0][:4]
        problems.append(f"starts with {marker!r}: it would start a Markdown heading, list, quote or HTML block")
    return problems
