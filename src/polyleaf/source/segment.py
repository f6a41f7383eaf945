"""Sentence segmentation: pysbd's abbreviation-aware boundaries, mapped to exact character spans.

pysbd decides where sentences end; ``pysbd_spans`` turns its output into ``(start, end)`` spans of the
original text (whitespace excluded), and this module applies polyleaf's own rules on top: a boundary never falls
inside inline markup (emphasis, links, inline code), a few abbreviations pysbd misses (``approx. 5``)
don't end a sentence, a sentence never starts with a lowercase letter, and punctuation-only fragments
join their neighbour.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Sequence
from itertools import accumulate

from polyleaf.source.pysbd_boundaries import pysbd_spans, strip_span

Span = tuple[int, int]
Splitter = Callable[[str, str, Sequence[int]], list[Span]]
"""``(text, language, breaks)`` → sentence spans: ``split_sentences``, or a cache in front of it."""

#: Abbreviations (lowercase, without the period) after which a sentence never ends.
_ALWAYS_JOIN = frozenset(
    {"approx", "appr", "ca", "cf", "vs", "viz", "fig", "figs", "eq", "eqs", "ref", "refs", "resp", "incl"}
)
#: Abbreviations that don't end a sentence when a number follows (``No. 5``, ``p. 12``).
_JOIN_BEFORE_NUMBER = frozenset({"no", "nos", "nr", "p", "pp", "vol", "ch", "sec", "tab", "para", "art"})

_WORD_BEFORE_PERIOD = re.compile(r"(\w+)\.\W*$")
_CLOSERS = frozenset("*_`\"'”’»)")
_OPENERS = frozenset("*_`\"'“‘«(")

_LINK = re.compile(
    r"!?\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\](?:\([^()\s]*(?:\([^()]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)|\[[^\]]*\])?"
)
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s@]+>")
_STAR_EMPHASIS = re.compile(r"(?<!\*)(\*{1,3})(?![*\s])(.+?)(?<![\s*])\1(?!\*)", re.DOTALL)
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w_])(_{1,3})(?![_\s])(.+?)(?<![\s_])\1(?![\w_])", re.DOTALL)


def code_spans(text: str) -> list[Span]:
    """Inline code spans: a backtick run up to the next run of the same length (CommonMark)."""
    spans: list[Span] = []
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    of_size: dict[int, list[int]] = {}  # run length → the indexes of the runs that long, in order
    for index, (start, end) in enumerate(runs):
        of_size.setdefault(end - start, []).append(index)
    index = 0
    while index < len(runs):
        start, end = runs[index]
        if start > 0 and _escaped(text, start):
            start += 1
            if start == end:
                index += 1
                continue
        same = of_size.get(end - start, [])
        closing = bisect_right(same, index)  # the next run as long
        if closing < len(same):
            spans.append((start, runs[same[closing]][1]))
            index = same[closing]
        index += 1
    return spans


def _escaped(text: str, position: int) -> bool:
    """True when the character at ``position`` is preceded by an odd number of backslashes."""
    count = 0
    while position - count - 1 >= 0 and text[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def markup_spans(text: str) -> list[Span]:
    """Spans of inline markup a sentence boundary must not cut: code, links, autolinks, emphasis.

    Approximate (regular expressions, not a full CommonMark inline parser), erring on the side of
    protecting too much: the worst case is two sentences kept together.
    """
    spans = code_spans(text)
    masked = list(text)
    for start, end in spans:
        masked[start:end] = "x" * (end - start)
    for pattern in (_AUTOLINK, _LINK):
        for match in pattern.finditer("".join(masked)):
            spans.append(match.span())
            masked[match.start() : match.end()] = "x" * (match.end() - match.start())
    # Emphasis may contain code and links, so it is searched in the text with only code masked.
    flat = "".join(masked)
    for pattern in (_STAR_EMPHASIS, _UNDERSCORE_EMPHASIS):
        spans.extend(match.span() for match in pattern.finditer(flat))
    return sorted(spans)


def _first_letter(segment: str) -> str:
    for char in segment:
        if char.isalnum():
            return char
    return ""


def _keeps_going(text: str, prev: Span, nxt: Span) -> bool:
    """True when the sentence ``prev`` obviously continues in ``nxt`` (abbreviation, lowercase start)."""
    first = _first_letter(text[nxt[0] : nxt[1]])
    if first.islower():
        return True
    match = _WORD_BEFORE_PERIOD.search(text[prev[0] : prev[1]])
    if match is None:
        return False
    word = match.group(1).lower()
    return word in _ALWAYS_JOIN or (word in _JOIN_BEFORE_NUMBER and first.isdigit())


class _Markup:
    """The markup spans of a text (sorted), and the first of them a boundary would cut, found by bisection: a long
    paragraph has thousands of them, and a boundary is looked at for every sentence."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.starts = [start for start, _end in spans]
        self.reach = list(accumulate((end for _start, end in spans), max))  # the furthest end so far

    def straddling(self, before: int, after: int) -> Span | None:
        """The first span (in sorted order) that starts before ``after`` and ends after ``before``."""
        first = bisect_right(self.reach, before)  # the first span that ends after ``before``
        return self.spans[first] if first < bisect_left(self.starts, after) else None


def _join_pair(text: str, prev: Span, nxt: Span, markup: _Markup, forced: bool) -> tuple[Span, Span] | None:
    """The (possibly shifted) pair when the boundary between ``prev`` and ``nxt`` holds, else None.

    A boundary just before a closing delimiter (``*One.|* Two.``) moves after it; one just after an
    opening delimiter moves before it; a boundary still inside markup means the two sentences join.
    """
    for _ in range(8):
        if not any(c.isalnum() for c in text[prev[0] : prev[1]]):
            return None
        if not any(c.isalnum() for c in text[nxt[0] : nxt[1]]):
            return None
        straddling = markup.straddling(prev[1], nxt[0])
        if straddling is None:
            break
        start, end = straddling
        if end <= nxt[1] and all(c in _CLOSERS for c in text[prev[1] : end]):
            prev, nxt = (prev[0], end), strip_span(text, end, nxt[1])
        elif start > prev[0] and all(c in _OPENERS for c in text[start : prev[1]]):
            prev, nxt = strip_span(text, prev[0], start), (start, nxt[1])
        else:
            return None
        if prev[0] >= prev[1] or nxt[0] >= nxt[1]:
            return None
    else:
        return None
    if not forced and _keeps_going(text, prev, nxt):
        return None
    return prev, nxt


def split_sentences(text: str, language: str = "en", *, breaks: Collection[int] = ()) -> list[Span]:
    """Character spans ``(start, end)`` of the sentences of ``text``, whitespace excluded from each span.

    ``breaks`` are offsets where a split is forced (hard line breaks); line breaks in ``text`` are
    splits too. Forced splits still never cut inline markup. Languages pysbd doesn't know use English
    rules.
    """
    cuts = sorted({b for b in breaks if 0 < b < len(text)})
    spans: list[Span] = []
    for start, end in pysbd_spans(text, language):
        for cut in cuts[bisect_right(cuts, start) : bisect_left(cuts, end)]:
            head = strip_span(text, start, cut)
            if head[0] < head[1]:
                spans.append(head)
            start = cut
        tail = strip_span(text, start, end)
        if tail[0] < tail[1]:
            spans.append(tail)
    if not spans:
        return []
    markup = _Markup(markup_spans(text) if any(c in text for c in "*_`[<") else [])
    result = [spans[0]]
    for nxt in spans[1:]:
        prev = result[-1]
        gap = text[prev[1] : nxt[0]]
        after = bisect_left(cuts, prev[1])
        forced = "\n" in gap or "\r" in gap or (after < len(cuts) and cuts[after] <= nxt[0])
        pair = _join_pair(text, prev, nxt, markup, forced)
        if pair is None:
            result[-1] = (prev[0], nxt[1])
        else:
            result[-1], shifted = pair
            result.append(shifted)
    return result
