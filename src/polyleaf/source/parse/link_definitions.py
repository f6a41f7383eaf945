"""Link reference definitions (``[label]: destination "title"``) found in a Markdown source's lines.

markdown-it-py reads them into its ``references`` and leaves no token for them, so they are found again in the
lines between leaf blocks: a definition is one markdown-it read (its label is in ``references``), and its title is
translatable only where it stands on one line and says what markdown-it read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from polyleaf.source.document import Span
from polyleaf.source.parse.spans import Lines
from polyleaf.source.pysbd_boundaries import strip_span

_LINK_DEFINITION = re.compile(r"[ \t>]*\[((?:[^\[\]\\]|\\.)+)\]:")
_LINK_TITLE = re.compile(r"""[ \t]*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|\(((?:[^()\\]|\\.)*)\))[ \t]*$""")
_DESTINATION = re.compile(r"[ \t]*(?:<(?:[^<>\n\\]|\\.)*>|[^ \t<][^ \t]*)")
_CONTAINER_MARKERS = re.compile(r"[ \t>]*")


@dataclass(frozen=True, slots=True)
class LinkDefinition:
    """One definition: its first and last source lines (0-based), its normalized label and its title's span."""

    first: int
    last: int
    label: str
    title: Span | None


def link_definitions(
    text: str, lines: Lines, references: Mapping[str, Any], first: int, stop: int
) -> Iterator[LinkDefinition]:
    """The definitions markdown-it read (``references``) in source lines ``first`` to ``stop`` (excluded)."""
    from markdown_it.common.utils import normalizeReference

    number = first
    while number < min(stop, len(lines)):
        start, end = lines.starts[number], lines.ends[number]
        match = _LINK_DEFINITION.match(text, start, end)
        label = normalizeReference(match.group(1)) if match else ""
        if not match or label not in references:
            number += 1
            continue
        last = number
        destination = _DESTINATION.match(text, match.end(), end)
        if destination is None and number + 1 < stop:  # the destination on the next line
            last = number + 1
            nested = lines.starts[last]
            destination = _DESTINATION.match(text, nested + _prefix(text, nested), lines.ends[last])
        title_span: Span | None = None
        if destination is not None:
            title, last = _title(text, lines, (destination.end(), last), stop)
            if title is not None:
                group = next(g for g in (1, 2, 3) if title.group(g) is not None)
                if unescape(title.group(group)) == references[label].get("title", ""):
                    title_span = strip_span(text, title.start(group), title.end(group))
        yield LinkDefinition(number, last, label, title_span)
        number = last + 1


def _title(text: str, lines: Lines, after: tuple[int, int], stop: int) -> tuple[re.Match[str] | None, int]:
    """The title after a destination (``after``: where it ends, and its line), on that line or alone on the next,
    and the definition's last line."""
    position, last = after
    line_end = lines.ends[last]
    title = _LINK_TITLE.match(text, position, line_end)
    if title is None and text[position:line_end].strip() == "" and last + 1 < stop:
        following = lines.starts[last + 1]
        title = _LINK_TITLE.match(text, following + _prefix(text, following), lines.ends[last + 1])
        last = last + 1 if title is not None else last
    return title, last


def _prefix(text: str, start: int) -> int:
    """Length of the container markers and indentation at ``start``."""
    match = _CONTAINER_MARKERS.match(text, start)
    return match.end() - start if match else 0


def unescape(text: str) -> str:
    """``text`` with its backslash escapes and character references resolved, as markdown-it reads a title."""
    from markdown_it.common.utils import unescapeAll

    return unescapeAll(text)
