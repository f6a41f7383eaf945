"""Text direction made explicit for HTML and PDF: a block's direction from its first strong character, and runs of
Latin text (names, words, URLs, with the brackets around them) isolated inside right-to-left text.

Browsers resolve ``dir="auto"`` and the Unicode bidi algorithm over a whole paragraph; WeasyPrint ignores
``dir="auto"`` and ``unicode-bidi``, and resolves direction per inline box and per line: "Dr. Zachary Lipman:" broken
after "Dr." prints ".Dr" at the end of an Arabic line, a link's printed URL has its slash and brackets thrown about.
So direction is decided here and written where both honour it: a ``dir`` attribute on a block or line whose text
is not in the page's direction, and each Latin run in a ``<span dir="ltr">``, laid out as one left-to-right box.

A run starts at a Latin letter, so the page still looks as the bidi algorithm says, as a browser shows the same
text and as PDF readers assume when they turn glyph positions back into text: a number before a Latin unit ("400
mg") or a bare number or range ("020 7946 0000", "6–8 ساعات") stays in the right-to-left flow, read number first,
as Arabic print sets it (quantities are kept on one line elsewhere).
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup

from polyleaf import locale
from polyleaf.render.wrap import wrap_runs

_STRONG = {"L": "ltr", "R": "rtl", "AL": "rtl"}
#: Classes that end a left-to-right run: right-to-left letters, Arabic digits, paragraph and segment separators.
_BREAKS = frozenset({"R", "AL", "AN", "B", "S"})
#: Classes a run may end with (a trailing space or full stop belongs to the surrounding sentence).
_ENDS = frozenset({"L", "EN"})
_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "«": "»"}
#: Signs that belong to the Latin unit after them: "38 °C" would print "C° 38" with the sign left in the flow.
_UNIT_SIGNS = frozenset("°")
_URL = re.compile(r"(?:https?://|mailto:|www\.)[^\s<>\"]*[^\s<>\".,;:!?'’”)\]]", re.IGNORECASE)


def first_strong(text: str, default: str = "") -> str:
    """``ltr`` or ``rtl``: the direction of the first strongly directional character (HTML's ``dir="auto"``)."""
    for char in text:
        found = _STRONG.get(unicodedata.bidirectional(char))
        if found:
            return found
    return default


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of ``text`` that reads left to right inside right-to-left text: a URL, or a stretch
    from a Latin letter (or the degree sign before it) to the last Latin letter or digit before the next
    right-to-left character, with the brackets (or quotes) around it."""
    runs: list[tuple[int, int]] = []
    urls = [match.span() for match in _URL.finditer(text)]
    position = 0
    while position < len(text):
        if unicodedata.bidirectional(text[position]) != "L" and all(start != position for start, _ in urls):
            position += 1
            continue
        start = position - 1 if text[position - 1 : position] in _UNIT_SIGNS else position
        runs.append(_with_brackets(text, start, _run_end(text, position, urls)))
        position = runs[-1][1]
    return runs


def _run_end(text: str, start: int, urls: list[tuple[int, int]]) -> int:
    """End of the left-to-right stretch starting at ``start`` (a URL inside it is taken whole)."""
    end = position = start
    while position < len(text):
        url = next((span for span in urls if span[0] == position), None)
        if url is not None:
            end = position = url[1]
            continue
        kind = unicodedata.bidirectional(text[position])
        if kind in _BREAKS:
            break
        position += 1
        if kind in _ENDS:
            end = position
    return end


def _with_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """The run widened to the brackets (or quotes) around it, and to closing brackets whose opener it holds."""
    while True:
        opener = text[start - 1] if start else ""
        if opener in _PAIRS and text[end : end + 1] == _PAIRS[opener]:
            start, end = start - 1, end + 1
            continue
        closer = text[end : end + 1]
        inner = text[start:end]
        if closer and any(_PAIRS[o] == closer and inner.count(o) > inner.count(closer) for o in _PAIRS):
            end += 1
            continue
        return start, end


def in_direction(fragment: Markup, language: str) -> Markup:
    """Inline HTML of a page in ``language``: its left-to-right runs isolated when the language is right-to-left."""
    return isolate_ltr(fragment) if locale.direction(language) == "rtl" else fragment


def isolate_ltr(fragment: Markup) -> Markup:
    """Inline HTML of right-to-left text with each Latin run in a ``<span dir="ltr">`` (see ``wrap_runs`` for runs
    that cross an element's edge)."""
    return wrap_runs(fragment, ltr_runs, '<span dir="ltr">')
