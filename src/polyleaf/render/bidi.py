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

import html
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup

from polyleaf import locale

_STRONG = {"L": "ltr", "R": "rtl", "AL": "rtl"}
#: Classes that end a left-to-right run: right-to-left letters, Arabic digits, paragraph and segment separators.
_BREAKS = frozenset({"R", "AL", "AN", "B", "S"})
#: Classes a run may end with (a trailing space or full stop belongs to the surrounding sentence).
_ENDS = frozenset({"L", "EN"})
_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "«": "»"}
_URL = re.compile(r"(?:https?://|mailto:|www\.)[^\s<>\"]*[^\s<>\".,;:!?'’”)\]]", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset({"br", "img", "wbr", "hr"})
LTR_SPAN = '<span dir="ltr">'


def first_strong(text: str, default: str = "") -> str:
    """``ltr`` or ``rtl``: the direction of the first strongly directional character (HTML's ``dir="auto"``)."""
    for char in text:
        found = _STRONG.get(unicodedata.bidirectional(char))
        if found:
            return found
    return default


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of ``text`` that reads left to right inside right-to-left text: a URL, or a stretch
    from a Latin letter to the last Latin letter or digit before the next right-to-left character, with the
    brackets (or quotes) around it."""
    runs: list[tuple[int, int]] = []
    urls = [match.span() for match in _URL.finditer(text)]
    position = 0
    while position < len(text):
        if unicodedata.bidirectional(text[position]) != "L" and all(start != position for start, _ in urls):
            position += 1
            continue
        runs.append(_with_brackets(text, position, _run_end(text, position, urls)))
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


@dataclass(frozen=True, slots=True)
class _Piece:
    """A tag (``text`` empty), or a stretch of text (unescaped) and where it starts in the fragment's text."""

    markup: str
    text: str = ""
    at: int = 0
    depth_change: int = 0  # +1 opening tag, -1 closing tag


def in_direction(fragment: Markup, language: str) -> Markup:
    """Inline HTML of a page in ``language``: its left-to-right runs isolated when the language is right-to-left."""
    return isolate_ltr(fragment) if locale.direction(language) == "rtl" else fragment


def isolate_ltr(fragment: Markup) -> Markup:
    """Inline HTML of right-to-left text with each left-to-right run in a ``<span dir="ltr">``.

    A run that crosses the edge of an element is wrapped whole when the tags inside it balance, widened to the
    element when the run starts or ends with it ("<strong>Dr.</strong> Zachary Lipman" is one span), and wrapped
    piece by piece otherwise ("<em>see www.x.org</em> now": two spans).
    """
    pieces = _pieces(str(fragment))
    runs = ltr_runs("".join(piece.text for piece in pieces))
    if not runs:
        return fragment
    opens: dict[tuple[int, int], int] = {}
    closes: dict[tuple[int, int], int] = {}
    for start, end in runs:
        for first, last in _spans(pieces, start, end):
            opens[first] = opens.get(first, 0) + 1
            closes[last] = closes.get(last, 0) + 1
    out: list[str] = []
    for index, piece in enumerate(pieces):
        for offset in range(len(piece.text) + 1) if piece.text else (0,):
            out.append("</span>" * closes.get((index, offset), 0))
            out.append(LTR_SPAN * opens.get((index, offset), 0))
            if offset < len(piece.text):
                out.append(html.escape(piece.text[offset], quote=False))
        if not piece.text:
            out.append(piece.markup)
    out.append("</span>" * closes.get((len(pieces), 0), 0))
    return Markup("".join(out))


def _spans(pieces: list[_Piece], start: int, end: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where to open and close the span(s) of the run ``start``..``end``: (piece index, offset in its text)."""
    first = next(i for i, p in enumerate(pieces) if p.text and p.at <= start < p.at + len(p.text))
    last = next(i for i, p in enumerate(pieces) if p.text and p.at < end <= p.at + len(p.text))
    open_at = (first, start - pieces[first].at)
    close_at = (last, end - pieces[last].at)
    widest_open, widest_close = open_at, close_at
    if open_at[1] == 0:
        while widest_open[0] > 0 and pieces[widest_open[0] - 1].depth_change > 0:
            widest_open = (widest_open[0] - 1, 0)
    if close_at[1] == len(pieces[last].text):
        index = last + 1
        while index < len(pieces) and pieces[index].depth_change < 0:
            index += 1
        widest_close = (index, 0)
    for candidate in (
        (open_at, close_at),
        (widest_open, close_at),
        (open_at, widest_close),
        (widest_open, widest_close),
    ):
        if _balanced(pieces, *candidate):
            return [candidate]
    return [
        ((index, max(start, piece.at) - piece.at), (index, min(end, piece.at + len(piece.text)) - piece.at))
        for index, piece in enumerate(pieces)
        if piece.text and piece.at < end and piece.at + len(piece.text) > start
    ]


def _pieces(fragment: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    at = position = 0
    for match in [*_TAG.finditer(fragment), None]:
        text_end = match.start() if match else len(fragment)
        if text_end > position:
            text = html.unescape(fragment[position:text_end])
            pieces.append(_Piece(fragment[position:text_end], text, at))
            at += len(text)
        if match is None:
            break
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        change = 0 if self_closing or name in _VOID else (-1 if closing else 1)
        pieces.append(_Piece(match.group(), at=at, depth_change=change))
        position = match.end()
    return pieces


def _balanced(pieces: list[_Piece], open_at: tuple[int, int], close_at: tuple[int, int]) -> bool:
    """Whether the tags between the two points open and close between them."""
    depth = 0
    for piece in pieces[open_at[0] : close_at[0]]:
        depth += piece.depth_change
        if depth < 0:
            return False
    return depth == 0
