"""JSON from files: nesting bounded, so a hand-made file is a ValueError like any malformed JSON, never a
RecursionError (Python's parser recurses once per level).

Every JSON polyleaf reads comes through ``load_json``: the MT journal, ``release.json``, the metadata and index of
argos packages — all but the cache entries this machine signed (``cache.signed_json``), which polyleaf wrote itself.
Depth is measured on the bytes before they are parsed, in a few passes of bytes operations over the brackets outside
strings (strings' brackets are text), each removing the innermost pairs.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Deeper than anything polyleaf writes or reads (its own files nest a few levels), far below the recursion limit.
MAX_DEPTH = 64

_KEEP = b'[]{}"'
_OTHERS = bytes(sorted(set(range(256)) - set(_KEEP)))
_QUOTED = re.compile(rb'"[^"]*"')


def load_json(data: bytes | str) -> Any:
    """``json.loads(data)``; ValueError for JSON nested deeper than ``MAX_DEPTH`` too."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if not within_depth(raw, MAX_DEPTH):
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(data)
    except RecursionError:  # brackets that do not pair up, deep enough to reach the limit before the parser sees it
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels") from None


def within_depth(data: bytes, limit: int) -> bool:
    """Whether the arrays and objects of the JSON ``data`` nest at most ``limit`` levels deep (brackets that do not
    pair up are left for the parser to report)."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return True
    brackets = _brackets_outside_strings(data)
    too_deep = re.compile(rb"[\[{]{%d}" % (limit + 1))  # that many opening brackets in a row
    for _level in range(limit):
        if not brackets:
            return True
        if too_deep.search(brackets):
            return False
        inner_removed = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(inner_removed) == len(brackets):
            return True  # unpaired: not JSON
        brackets = inner_removed
    return not brackets


def _brackets_outside_strings(data: bytes) -> bytes:
    """The brackets of ``data`` that are not inside a string, in order."""
    unescaped = data
    for escape in (b"\\\\", b'\\"'):  # an escaped backslash, then an escaped quote: no quote inside a string is left
        if escape in unescaped:
            unescaped = unescaped.replace(escape, b"")
    marks = unescaped.translate(None, _OTHERS).replace(b'""', b"")  # strings with no bracket in them go
    if b'"' in marks:
        marks = _QUOTED.sub(b"", marks).replace(b'"', b"")
    return marks
