"""Runs of text wrapped in an element inside inline HTML, whatever inline markup they cross: the Latin runs of
right-to-left text (``bidi``), the quantities kept on one line (``nowrap``)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset({"br", "img", "wbr", "hr"})
_Point = tuple[int, int]  # (index of a piece, offset in its text)


def wrap_runs(fragment: Markup, find_runs: Callable[[str], Sequence[tuple[int, int]]], opening: str) -> Markup:
    """``fragment`` with each run ``find_runs`` finds in its text (start, end) inside ``opening`` … ``</span>``.

    A run that crosses the edge of an element is wrapped whole when the tags inside it balance, widened to the
    element when the run starts or ends with it ("<strong>Dr.</strong> Zachary Lipman" is one span), and wrapped
    piece by piece otherwise ("<em>see www.x.org</em> now": two spans). Runs must not overlap.
    """
    pieces = _pieces(str(fragment))
    runs = find_runs("".join(piece.text for piece in pieces))
    if not runs:
        return fragment
    opens: dict[_Point, int] = {}
    closes: dict[_Point, int] = {}
    for start, end in runs:
        for first, last in _spans(pieces, start, end):
            opens[first] = opens.get(first, 0) + 1
            closes[last] = closes.get(last, 0) + 1
    out: list[str] = []
    for index, piece in enumerate(pieces):
        for offset in range(len(piece.text) + 1) if piece.text else (0,):
            out.append("</span>" * closes.get((index, offset), 0))
            out.append(opening * opens.get((index, offset), 0))
            if offset < len(piece.text):
                out.append(html.escape(piece.text[offset], quote=False))
        if not piece.text:
            out.append(piece.markup)
    out.append("</span>" * closes.get((len(pieces), 0), 0))
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class _Piece:
    """A tag (``text`` empty), or a stretch of text (unescaped) and where it starts in the fragment's text."""

    markup: str
    text: str = ""
    at: int = 0
    depth_change: int = 0  # +1 opening tag, -1 closing tag


def _spans(pieces: list[_Piece], start: int, end: int) -> list[tuple[_Point, _Point]]:
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


def _balanced(pieces: list[_Piece], open_at: _Point, close_at: _Point) -> bool:
    """Whether the tags between the two points open and close between them."""
    depth = 0
    for piece in pieces[open_at[0] : close_at[0]]:
        depth += piece.depth_change
        if depth < 0:
            return False
    return depth == 0
