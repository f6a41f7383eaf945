"""YAML front matter (``---`` … ``---`` at the top of a Markdown file): which values are translatable (how a
translation is written back so the YAML stays valid is the renderer's: ``render.text.yaml_value``).

Only ``title`` and ``description`` are translated, and only when their value is one line: a plain scalar, or a
double- or single-quoted one without escapes. Everything else in the front matter is skeleton, kept byte for byte.
"""

from __future__ import annotations

import re

from polyleaf.source.document import Span
from polyleaf.source.parse.spans import Lines

TRANSLATED_KEYS = ("title", "description")

_ENTRY = re.compile(r"(title|description):[ \t]+(?=\S)")
_DOUBLE = re.compile(r'"([^"\\]*)"[ \t]*(?:#.*)?$')
_SINGLE = re.compile(r"'([^']*)'[ \t]*(?:#.*)?$")
_PLAIN = re.compile(r"([^\s\"'#&*!|>%@`{}\[\],?:-][^#\n]*?|-[^\s#][^#\n]*?)[ \t]*(?:[ \t]#.*)?$")


def front_matter_values(text: str, lines: Lines, first: int, stop: int) -> list[tuple[str, Span]]:
    """The translatable values between the front matter's fences (0-based lines ``first`` to ``stop``, excluded):
    ``(key, span of the value without its quotes)``, top-level keys only."""
    found: list[tuple[str, Span]] = []
    for number in range(first, min(stop, len(lines))):
        start, end = lines.starts[number], lines.ends[number]
        entry = _ENTRY.match(text, start, end)
        if entry is None:
            continue
        for pattern in (_DOUBLE, _SINGLE, _PLAIN):
            value = pattern.match(text, entry.end(), end)
            if value is not None:
                if value.start(1) < value.end(1) and (pattern is not _PLAIN or ": " not in value.group(1)):
                    found.append((entry.group(1), (value.start(1), value.end(1))))
                break
    return found


_FIELD = re.compile(r"([A-Za-z_][\w-]*):(?:[ \t]+(.*?))?[ \t]*$")
_ITEM = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*$")


def front_matter_fields(front_matter: str) -> dict[str, str | tuple[str, ...]]:
    """The top-level one-line values (``author: Dr Ana Ruiz``) and lists of one-line items (``sources:`` then
    ``- NICE NG59``) of a front matter (the text between its fences): what a leaflet prints of it (``author``,
    ``approved_by``, ``sources``). Anything more intricate (nested maps, block scalars, escapes) is left out."""
    values: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    listing: list[str] | None = None
    for line in front_matter.splitlines():
        item = _ITEM.match(line)
        if item is not None and listing is not None:
            value = _scalar(item.group(1))
            if value:
                listing.append(value)
            continue
        field = _FIELD.match(line)
        listing = None
        if field is None:
            continue
        raw = field.group(2) or ""
        if raw and not raw.startswith("#"):
            value = _scalar(raw)
            if value:
                values[field.group(1)] = value
        else:
            listing = lists.setdefault(field.group(1), [])
    return {**values, **{key: tuple(items) for key, items in lists.items() if items}}


def _scalar(raw: str) -> str | None:
    """A one-line YAML scalar's value: double- or single-quoted without escapes, or plain; None for anything else."""
    for pattern in (_DOUBLE, _SINGLE, _PLAIN):
        value = pattern.match(raw)
        if value is not None:
            text = value.group(1)
            return text.replace("''", "'") if pattern is _SINGLE else text
    return None
