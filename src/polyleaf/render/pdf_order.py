"""Reading-order hints for PDF readers: on a right-to-left line, glyphs carry their text (``/ActualText``) so that
readers that rebuild the reading order from glyph positions, pdftotext (poppler) and pypdfium2 (pdfium, Chrome's
reader), give the words back as written, vowel marks, punctuation, numbers and Latin words in place.

A PDF holds glyphs where the eye sees them; a reader turns a line back into text by its own bidi heuristics, and
the two differ:

- poppler orders glyphs by position and reads a right-to-left line from its right end, taking any stretch with a
  letter read left to right, a digit or a number's punctuation as one left-to-right section (the neutral characters
  on its left included). A vowel mark starts to the right of its letter's start (it sits over the letter), so poppler
  put it before the letter and cut the word there ("كبيًر ا"). The text of a ``/Span`` covering several glyphs is
  laid out left to right over them and turned around with the line.
- pdfium reads glyphs in the order they are drawn, cuts a line into runs by direction (a vowel mark, a digit, ``/``
  or ``,`` are weak runs of their own) and takes the runs from the right, turning around and mirroring the
  right-to-left ones (and the neutral ones met after one) but not the others: "Dr. Zachary Lipman" came back as
  "Lipman Zachary .Dr". It takes the innermost ``ActualText`` of a glyph, whatever the span's tag, as given; poppler
  only that of a ``/Span``.

So a span may carry two texts: the one poppler needs in a ``/Span``, and inside it, in a ``/Reading`` span, the one
pdfium needs (``Hint``). Both give the same words; only the invisible order they are stored in differs.

- A word with vowel marks (or a tatweel) is one span over all its glyphs: for poppler the word turned around, for
  pdfium the word with each run of letters turned around and the marks in place.
- A run of Latin words (or numbers with units) in a right-to-left line gets, for pdfium only, the text that its
  run-by-run reading turns into the run as written (``_pdfium_text``), after U+2060 WORD JOINER: pdfium skips a space
  glyph and puts its own space where it sees a gap, and the joiner (a weak character to pdfium) keeps that space from
  joining the run's first bracket ("(MRI )و"). poppler reads those glyphs as they are.
- A neutral or number-like glyph of the right-to-left text whose right-hand neighbour reads left to right (or
  belongs to a left-to-right run) is followed by U+200F RIGHT-TO-LEFT MARK; a glyph that ends a left-to-right run on
  the right by U+200E LEFT-TO-RIGHT MARK when it is a bracket or quote, by U+200F when a number-like glyph of the
  right-to-left text comes next ("38 °C"): the marks end poppler's left-to-right sections where the page ends them
  ("الحياة، وكثيرًا" came back as "الحياة ،وكثيرًا", "(VVM)" as ") (VVM"). A bracket mirrored on a right-to-left line
  keeps, for pdfium, the bracket its glyph shows, which pdfium mirrors back.
- A tatweel keeps its own text: fonts draw it with the kashida glyph their substitutions insert elsewhere, whose
  text map says "nothing" (``pdf_text``).

A span's glyphs are shown inside ``/Span <</ActualText …>> BDC … EMC`` (``TJ`` operators split there, with the same
pen positions, so the page is drawn the same). The marks are invisible format characters, as a plain-text author
would write them. What stays beyond reach: a line that pdfium takes for left to right because it holds more Latin
runs than Arabic ones (names wrapped onto a line of their own); a full stop after digits that pdfium keeps with the
number (a weak character, like the digits); URLs inside right-to-left text, whose ``/`` and ``.`` each reader moves
by its own rules; and poppler's order of lines across blocks (a band in the margin), which no span changes.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

RLM = "\u200f"
LRM = "\u200e"
TATWEEL = "\u0640"
WORD_JOINER = "\u2060"
#: Bidi classes of what readers take as left-to-right text: letters read left to right, digits, number punctuation.
_LEFT_TO_RIGHT = frozenset({"L", "EN", "AN", "ES", "ET", "CS"})
_RIGHT_TO_LEFT = frozenset({"R", "AL"})
#: pdfium's own direction classes (CFX_BidiChar): strong left, weak (kept in order, a run of its own), right.
_PDFIUM_CLASSES = {"L": "L", "R": "R", "AL": "R"} | dict.fromkeys(("EN", "AN", "NSM", "CS", "ES", "ET", "BN"), "W")
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_TOKEN = re.compile(rb"<[0-9A-Fa-f]*>|[^<>\s\[\]]+")
_SHOW = b"] TJ"


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph a line draws, in drawing order: its id, the text of its cluster (the characters its glyphs stand
    for together), its bidi embedding level (odd: right to left), where it starts on the line (to find its
    neighbours as the eye does), whether it is the only glyph of its cluster (the text is its own), and which text
    box of the line drew it (a span stays inside one)."""

    id: int
    text: str
    level: int
    x: float
    alone: bool = True
    box: int = 0

    @property
    def right_to_left(self) -> bool:
        return self.level % 2 == 1


@dataclass(frozen=True, slots=True)
class Hint:
    """The texts of a span that starts at a glyph: ``text`` for a ``/Span`` (poppler), ``reading`` for a
    ``/Reading`` span inside it (pdfium takes the innermost); ``None``: no such span."""

    text: str | None
    reading: str | None = None


#: The glyph belongs to the span begun at a glyph drawn before it.
CONTINUES = Hint(None, None)


def _kind(text: str) -> str:
    """``rtl``, ``ltr`` (left-to-right letters, digits and number punctuation) or ``neutral``: of its first char."""
    bidi = unicodedata.bidirectional(text[0]) if text else ""
    if bidi in _RIGHT_TO_LEFT:
        return "rtl"
    return "ltr" if bidi in _LEFT_TO_RIGHT and not text[0].isspace() else "neutral"


def line_hints(glyphs: Sequence[Glyph]) -> list[Hint | None]:
    """The span each glyph of a right-to-left line starts or continues (``None``: its font's text map is right), in
    the order of ``glyphs``."""
    hints: list[Hint | None] = [None] * len(glyphs)
    order = sorted(range(len(glyphs)), key=lambda index: glyphs[index].x)
    for position, index in enumerate(order):
        glyph = glyphs[index]
        if glyph.alone and len(glyph.text) == 1:
            right = glyphs[order[position + 1]] if position + 1 < len(order) else None
            hints[index] = _hint(glyph, right)
    _word_spans(glyphs, hints)
    _latin_spans(glyphs, hints)
    return hints


def _hint(glyph: Glyph, right: Glyph | None) -> Hint | None:
    """The hint of ``glyph`` (one character, its own) given its right-hand neighbour (``None``: it ends the line on
    the right, where a right-to-left line starts)."""
    if glyph.text == TATWEEL:
        return Hint(TATWEEL)
    kind = _kind(glyph.text)
    right_kind = _kind(right.text) if right is not None else "rtl"
    right_rtl = right.right_to_left if right is not None else True
    if glyph.right_to_left:  # a neutral or number-like glyph of the right-to-left text, before one that reads ltr
        if kind == "rtl" or not (right_kind == "ltr" or not right_rtl):
            return None
        shown = glyph.text.translate(_MIRRORED)  # the bracket its mirrored glyph shows, which pdfium mirrors back
        return Hint(glyph.text + RLM, shown + RLM if shown != glyph.text else None)
    if right_rtl and kind == "neutral":  # a bracket or quote that closes a left-to-right run
        return Hint(glyph.text + LRM)
    if right_rtl and right_kind == "ltr":  # a left-to-right run next to a number-like glyph of the right-to-left text
        return Hint(glyph.text + RLM)
    return None


def _runs(glyphs: Sequence[Glyph], belongs: Callable[[int], bool]) -> Iterator[range]:
    """The maximal runs of consecutive glyphs of one text box for which ``belongs(index)`` holds."""
    start = 0
    while start < len(glyphs):
        end = start
        while end < len(glyphs) and glyphs[end].box == glyphs[start].box and belongs(end):
            end += 1
        if end > start:
            yield range(start, end)
        start = max(end, start + 1)


def _clusters(glyphs: Sequence[Glyph], indexes: range) -> list[str]:
    """The texts of the clusters the glyphs draw, in drawing order, each once (a cluster's glyphs share its text)."""
    return [
        glyphs[index].text
        for index in indexes
        if index == indexes.start or glyphs[index].alone or glyphs[index - 1].text != glyphs[index].text
    ]


def _word_spans(glyphs: Sequence[Glyph], hints: list[Hint | None]) -> None:
    """One span over each right-to-left word that has a vowel mark or a tatweel."""

    def in_word(index: int) -> bool:
        glyph, hint = glyphs[index], hints[index]
        letters = all(_is_mark(char) or unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in glyph.text)
        return glyph.right_to_left and bool(glyph.text) and letters and (hint is None or hint.text == TATWEEL)

    for word in _runs(glyphs, in_word):
        if len(word) > 1 and any(_is_mark(glyphs[index].text) or glyphs[index].text == TATWEEL for index in word):
            # drawn left to right: the glyphs' texts backwards are the word as written
            written = "".join(reversed(_clusters(glyphs, word)))
            pdfium = re.sub(r"\w+", lambda letters: _turned(letters.group()), written)
            hints[word.start] = Hint(written[::-1], pdfium)
            hints[word.start + 1 : word.stop] = [CONTINUES] * (len(word) - 1)


def _turned(letters: str) -> str:
    """A run of letters turned around, the vowel marks in it left in place (pdfium reads them as runs apart)."""
    parts = re.split(r"([\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+)", letters)
    return "".join(part if _is_mark(part) else part[::-1] for part in parts)


def _latin_spans(glyphs: Sequence[Glyph], hints: list[Hint | None]) -> None:
    """A span, for pdfium only, over each left-to-right run with a Latin letter; the glyphs that end the run with a
    hint of their own keep it, their pdfium text taken from the run's."""
    for run in _runs(glyphs, lambda index: not glyphs[index].right_to_left):
        stop = run.stop
        while stop > run.start and hints[stop - 1] is not None:
            stop -= 1
        body, tail = range(run.start, stop), range(stop, run.stop)
        text = "".join(_clusters(glyphs, body))
        latin = any(unicodedata.bidirectional(char) == "L" for char in text)
        if len(body) < 2 or not latin or any(hints[index] is not None for index in body):
            continue
        tail_text = "".join(glyphs[index].text for index in tail)
        page = _pdfium_text(text + tail_text, _after_right_to_left(glyphs, run))
        if page == text + tail_text:
            continue
        hints[body.start] = Hint(None, WORD_JOINER + page[: len(page) - len(tail_text)])
        hints[body.start + 1 : body.stop] = [CONTINUES] * (len(body) - 1)
        offset = len(page) - len(tail_text)
        for index in tail:
            hint = hints[index]
            size = len(glyphs[index].text)
            if hint is not None:
                hints[index] = Hint(hint.text, page[offset : offset + size] + RLM)  # the mark ends pdfium's run there
            offset += size


def _after_right_to_left(glyphs: Sequence[Glyph], run: range) -> bool:
    """Whether the strong text that comes before ``run`` (on its right) reads right to left, as at a line's start."""
    end = max(glyphs[index].x for index in run)
    right = sorted((glyph for glyph in glyphs if glyph.x > end), key=lambda glyph: glyph.x)
    return next((_kind(glyph.text) == "rtl" for glyph in right if _kind(glyph.text) != "neutral"), True)


def _pdfium_text(reading: str, after_right_to_left: bool) -> str:
    """The text pdfium must find, in the glyphs' order on the page, to read ``reading``: it cuts a line into runs by
    its own classes, takes them from the right, and turns around and mirrors the right-to-left ones and the neutral
    ones met while the last strong run read right to left."""
    current = "R" if after_right_to_left else "L"
    page: list[str] = []
    for kind, characters in itertools.groupby(
        reading, lambda char: _PDFIUM_CLASSES.get(unicodedata.bidirectional(char), "N")
    ):
        run = "".join(characters)
        if kind == "R" or (kind == "N" and current == "R"):
            page.append(run[::-1].translate(_MIRRORED))
            current = "R"
        else:
            page.append(run)
            current = "L" if kind == "L" else current
    return "".join(reversed(page))


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(char) == "Mn" for char in text)


def with_actual_text(
    operators: Sequence[object], glyph_ids: Sequence[int], hints: Sequence[Hint | None]
) -> list[object] | None:
    """``operators`` (a text box's content-stream operators as WeasyPrint writes them, ``[<00120034>-12<0056>] TJ``:
    four hex digits a glyph) with the glyphs of each span in ``hints`` shown inside marked-content spans carrying
    its texts as ``ActualText``; ``None`` when the operators do not show exactly ``glyph_ids``."""
    shows = [_tokens(operator) for operator in operators]
    strings = [token for tokens in shows if tokens is not None for token in tokens if token.startswith(b"<")]
    if any(len(string) % 4 != 2 for string in strings) or [
        int(glyph, 16) for string in strings for glyph in _glyphs(string)
    ] != list(glyph_ids):
        return None
    remaining = iter(hints)
    spans = _Spans()
    for operator, tokens in zip(operators, shows, strict=True):
        if tokens is None:
            spans.operator(operator)
            continue
        for token in tokens:
            if not token.startswith(b"<"):
                spans.pending.append(token)
                continue
            for glyph in _glyphs(token):
                spans.glyph(b"<" + glyph + b">", next(remaining))
        spans.show()
    spans.close()
    return spans.result


class _Spans:
    """The operators being written: glyphs and the shifts between them gathered into show operators, and spans
    opened before a glyph with a hint and closed after the glyphs that continue it."""

    def __init__(self) -> None:
        self.result: list[object] = []
        self.pending: list[bytes] = []  # what the next show operator holds: glyphs, and the shifts between them
        self.open = 0  # spans open

    def glyph(self, glyph: bytes, hint: Hint | None) -> None:
        if not (hint is CONTINUES and self.open):
            self.close()
            if hint is not None and hint is not CONTINUES:
                self._show_to_last_glyph()  # the shifts before the glyph go with it: the pen moves as before
                for tag, text in ((b"/Span", hint.text), (b"/Reading", hint.reading)):
                    if text is not None:
                        self.result.append(tag + b" <</ActualText " + _utf16(text) + b">> BDC")
                        self.open += 1
        self.pending.append(glyph)

    def operator(self, operator: object) -> None:
        """An operator other than a show: a span goes on over a text rise (a mark set higher), not beyond."""
        if not (isinstance(operator, bytes) and operator.endswith(b" Ts")):
            self.close()
        self.result.append(operator)

    def show(self) -> None:
        if self.pending:
            self.result.append(_show(self.pending))
            self.pending = []

    def close(self) -> None:
        if self.open:
            self._show_to_last_glyph()
            self.result += [b"EMC"] * self.open
            self.open = 0

    def _show_to_last_glyph(self) -> None:
        glyphs = [index for index, token in enumerate(self.pending) if token.startswith(b"<")]
        if glyphs:
            self.result.append(_show(self.pending[: glyphs[-1] + 1]))
            self.pending = self.pending[glyphs[-1] + 1 :]


def _tokens(operator: object) -> list[bytes] | None:
    """The strings and numbers of a ``TJ`` operator (``None`` for any other operator)."""
    if not (isinstance(operator, bytes) and operator.startswith(b"[") and operator.endswith(_SHOW)):
        return None
    return _TOKEN.findall(operator[1 : -len(_SHOW)])


def _glyphs(string: bytes) -> list[bytes]:
    """The glyph ids (four hex digits each) of a hex string token ``<…>``."""
    return [string[start : start + 4] for start in range(1, len(string) - 1, 4)]


def _show(tokens: list[bytes]) -> bytes:
    return b"[" + b" ".join(tokens) + _SHOW


def _utf16(text: str) -> bytes:
    """A PDF text string in UTF-16BE with its byte-order mark, as a hex string."""
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"
