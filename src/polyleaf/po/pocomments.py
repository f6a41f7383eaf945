"""polyleaf's own PO comments that carry data (``# mt-suggestion (…)``, bound waivers, QA notes), read back whole
after another tool re-saved the file.

Tools that re-save PO files wrap long comment lines: polib (at 78 columns by default) and Babel (76) use Python's
``textwrap``, where a break replaces one space or follows a hyphen; Poedit, translate-toolkit, msgcat and msgmerge
keep translator comments as they are. A comment that carries data also carries a short hash of it, so a reader
can join the lines that follow it the way such a tool split them and knows when the whole comment is there: no
fragment is ever read as the whole, and no line of someone else's is taken for part of ours.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from polyleaf.errors import CatalogError
from polyleaf.po.pofile import Message, Origin
from polyleaf.po.poread import parse_po_file

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
    or none after a hyphen or before a dash ``--``), over at most ``most`` lines. None when no join within the
    limits reads.
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
            if text.endswith("-") or lines[following].startswith("--"):  # a hyphen or dash broken: tried first
                pending.append((text + lines[following], following + 1))
    return None


def rewrapped(lines: Sequence[str], originals: Sequence[str]) -> bool:
    """Whether comment ``lines`` say what ``originals`` say, as a tool that wraps comments wrote them: each original
    line broken where ``textwrap`` breaks (polib, Babel), runs of blanks aside. Then the lines are kept as they are:
    rewriting them would only fight the tool."""
    if tuple(lines) == tuple(originals):
        return True
    start = 0
    for original in originals:
        found = joined_to(lines, start, original)
        if found is None:
            return False
        start += found
    return start == len(lines)


def joined_to(lines: Sequence[str], start: int, text: str) -> int | None:
    """How many comment lines from ``start`` say ``text`` once joined as a tool wrapped it (None: they do not)."""
    wanted = collapsed(text)
    if start >= len(lines):
        return None
    found = unwrapped(lines, start, lambda joined: True if collapsed(joined) == wanted else None)
    return found[1] if found is not None else None


def wrapped_alike(lines: Sequence[str]) -> bool:
    """Whether ``lines`` can be one comment line as a tool that wraps comments at one width broke it (``textwrap``'s
    greedy breaking, polib's and Babel's): there is a width that every line with a space fits in, and at which no
    line had room left for the first word of the next. Lines a person wrote one by one rarely are."""
    if len(lines) < 2:
        return True
    fits = max((len(line) for line in lines if " " in line.strip()), default=0)
    room = min(len(line) + 1 + len(following.split(" ", 1)[0]) for line, following in pairwise(lines))
    return fits < room


def collapsed(text: str) -> str:
    """``text`` with each run of blanks (a line break among them) one space: what survives a tool's re-wrapping."""
    return " ".join(text.split())


# ------------------------------------------------------------------------------------------------ Babel's ``#|``

#: How Babel (2.18) writes back the previous fields it read as a translator comment: ``# | msgid "…"``.
_BABEL_PREVIOUS = re.compile(r'\| (?:msgctxt|msgid|msgid_plural) "')
_WHOLE_PREVIOUS_LINE = re.compile(r'#\| (?:[a-z_]+ )?"(?:[^"\\]|\\.)*"[ \t]*\Z', re.DOTALL)
#: The most comment lines a previous field written by Babel is looked for over.
_BABEL_LINES = 200


def babel_previous(message: Message) -> Message:
    """``message`` with the previous fields Babel turned into translator comments read back as such.

    Babel's ``read_po`` reads ``#| msgid "…"`` as a translator comment, so after a Babel save the previous English
    is ``# | msgid "…"`` lines (a long one wrapped at a space onto lines of their own). They still say which English
    a changed entry's translation was made for — what its state, a waiver's binding and the merge go by — so they
    are read as that; their lines stay as Babel wrote them while the entry does not change, and an entry polyleaf
    changes gets its ``#|`` lines back. Lines that do not read as previous fields stay comments."""
    if message.previous_msgid is not None or not any(_BABEL_PREVIOUS.match(line) for line in message.comments):
        return message
    start = next(index for index, line in enumerate(message.comments) if _BABEL_PREVIOUS.match(line))
    block: list[str] = []
    end = start
    while end < min(len(message.comments), start + _BABEL_LINES):
        line = message.comments[end]
        if line.startswith("| "):
            block.append(f"#{line}")
        elif block and not _closed(block[-1]):
            block[-1] = f"{block[-1]} {line}"  # Babel wrapped it at a space
        else:
            break
        end += 1
    try:
        read = parse_po_file(("\n".join(block) + '\nmsgid "-"\nmsgstr ""\n').encode("utf-8"), Path("-")).messages[0]
    except CatalogError:
        return message
    if read.previous_msgid is None:
        return message
    changed = replace(
        message,
        comments=message.comments[:start] + message.comments[end:],
        previous_msgctxt=read.previous_msgctxt,
        previous_msgid=read.previous_msgid,
        previous_msgid_plural=read.previous_msgid_plural,
    )
    origin = message.origin
    if origin is not None and origin.message == message:  # unchanged, it keeps the lines Babel wrote
        changed = replace(changed, origin=Origin(origin.text, changed, origin.msgid_offset))
    return changed


def _closed(line: str) -> bool:
    """Whether a ``#|`` line holds its whole string (Babel wrapped none of it onto the next line)."""
    return _WHOLE_PREVIOUS_LINE.match(line) is not None
