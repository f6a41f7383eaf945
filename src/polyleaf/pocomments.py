"""polyleaf's own PO comments that carry data (``# mt-suggestion (…)``, bound waivers), read back whole after another
tool re-saved the file.

Tools that re-save PO files wrap long comment lines: polib (at 78 columns by default) and Babel (76) use Python's
``textwrap``, where a break replaces one space or follows a hyphen; Poedit, translate-toolkit, msgcat and msgmerge
keep translator comments as they are. A comment that carries data also carries a short hash of it, so a reader
can join the lines that follow it the way such a tool split them and knows when the whole comment is there: no
fragment is ever read as the whole, and no line of someone else's is taken for part of ours.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: A comment is looked for over at most this many lines, and through at most this many ways of joining them.
_MAX_LINES = 400
_MAX_JOINS = 1024


def short_hash(text: str) -> str:
    """The first 8 hex digits of the text's SHA-256: enough to tell one sentence from another in a comment."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def unwrapped(
    lines: Sequence[str], start: int, read: Callable[[str], T | None], most: int = _MAX_LINES
) -> tuple[T, int] | None:
    """What ``read`` makes of comment line ``start`` joined with the lines after it, and how many lines that took.

    ``read`` returns None until its text is whole (its hash verifies). Joins tried: the lines as polyleaf wrote
    them (a newline in the text is a new comment line), then as ``textwrap`` broke them (a space between lines,
    or none after a hyphen), over at most ``most`` lines. None when no join within the limits reads.
    """
    end = min(len(lines), start + most)
    text = lines[start]
    for stop in range(start, end):
        text = text if stop == start else f"{text}\n{lines[stop]}"
        found = read(text)
        if found is not None:
            return found, stop - start + 1
    pending = [(lines[start], start + 1)]
    for _ in range(_MAX_JOINS):
        if not pending:
            break
        text, following = pending.pop()
        found = read(text) if following > start + 1 else None  # the first line alone was read above
        if found is not None:
            return found, following - start
        if following < end:
            pending.append((f"{text} {lines[following]}", following + 1))
            if text.endswith("-"):
                pending.append((text + lines[following], following + 1))  # tried first: a hyphen broken
    return None
