"""pysbd's sentence boundaries as exact character spans of the original text, and pysbd made to run in linear time.

pysbd decides where sentences end but returns sentences, not where they are; its own character spans come back
misplaced for repeated or altered sentences. Here each sentence is found again in the text (``_char_spans``), the
spans trusted only when they tile it, else the starts counted by non-whitespace characters. pysbd's regular
expressions are compiled once, its per-occurrence rewrites made once each, and a long text is segmented in windows,
so a long paragraph costs what its length costs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

Span = tuple[int, int]


@cache
def pysbd_language(language: str) -> str:
    """The pysbd language code for a locale (``pt_BR`` → ``en`` fallback, ``zh_Hans`` → ``zh``)."""
    from pysbd.languages import LANGUAGE_CODES  # type: ignore[import-untyped]

    primary = re.split(r"[-_@.]", language.strip(), maxsplit=1)[0].lower()
    return primary if primary in LANGUAGE_CODES else "en"


@cache
def _segmenter(language: str) -> Any:
    """One pysbd Segmenter per language: building one compiles many regexes (pysbd is imported here,
    not at module import, to keep ``polyleaf --help`` fast)."""
    import pysbd

    _compile_pysbd_patterns_once()
    _make_each_replacement_once()
    return pysbd.Segmenter(language=language, clean=False, char_span=True)


class _CompiledOnce:
    """The ``re`` module as pysbd's modules see it: the same functions, but every pattern compiled once.

    pysbd calls ``re.sub``, ``re.findall``… with pattern *strings*, many built per abbreviation found in the text
    (``(?<=\\s{abbr})\\.(?=…)``): a few thousand distinct patterns for a page of medical English. Python's own
    cache of compiled patterns holds 512 and is emptied half by half when full, so pysbd recompiled most patterns
    on every call. This cache is large enough for every pattern a language's rules produce, and it is pysbd's
    alone: other code's ``re`` is untouched.
    """

    def __init__(self) -> None:
        self.compile = lru_cache(maxsize=16384)(re.compile)

    def __getattr__(self, name: str) -> Any:  # flags, escape, error, Pattern…: the module's own
        return getattr(re, name)

    def sub(self, pattern: Any, repl: Any, string: str, count: int = 0, flags: int = 0) -> Any:
        return self.compile(pattern, flags).sub(repl, string, count)

    def subn(self, pattern: Any, repl: Any, string: str, count: int = 0, flags: int = 0) -> Any:
        return self.compile(pattern, flags).subn(repl, string, count)

    def search(self, pattern: Any, string: str, flags: int = 0) -> Any:
        return self.compile(pattern, flags).search(string)

    def match(self, pattern: Any, string: str, flags: int = 0) -> Any:
        return self.compile(pattern, flags).match(string)

    def fullmatch(self, pattern: Any, string: str, flags: int = 0) -> Any:
        return self.compile(pattern, flags).fullmatch(string)

    def findall(self, pattern: Any, string: str, flags: int = 0) -> Any:
        return self.compile(pattern, flags).findall(string)

    def finditer(self, pattern: Any, string: str, flags: int = 0) -> Any:
        return self.compile(pattern, flags).finditer(string)

    def split(self, pattern: Any, string: str, maxsplit: int = 0, flags: int = 0) -> Any:
        return self.compile(pattern, flags).split(string, maxsplit)


@cache
def _compile_pysbd_patterns_once() -> None:
    """Point every loaded pysbd module's ``re`` at one ``_CompiledOnce`` (once per process; see there why)."""
    compiled = _CompiledOnce()
    for name, module in list(sys.modules.items()):
        if (name == "pysbd" or name.startswith("pysbd.")) and getattr(module, "re", None) is re:
            module.re = compiled  # type: ignore[attr-defined]


#: An abbreviation that means itself as a regular expression, matched case-insensitively as ``str.lower`` does.
_PLAIN = re.compile(r"[a-z0-9]+")


@cache
def _make_each_replacement_once() -> None:
    """Replace two methods of pysbd with ones that make each distinct replacement once.

    pysbd rewrites the whole text once per *occurrence* of an abbreviation (every " a", " st", " no"… that starts
    a word) and once per number of a numbered list ("1. … 2. …"), with the same regular expression each time:
    time that grows with the square of the text. Each such rewrite is decided by what it is given alone (the
    occurrence's text and the character after it; the number), and made a second time it changes nothing (what it
    replaces is gone, and it creates nothing another would match), so making each distinct one once, in the same
    order, gives the same text. The abbreviations searched are also only those some word starts with.
    """
    from pysbd import abbreviation_replacer, lists_item_replacer

    def search_for_abbreviations_in_string(self: Any, text: str) -> str:
        pattern = abbreviation_replacer.re  # pysbd's ``re``: ``_CompiledOnce``
        lowered = text.lower()
        word_starts = " " + pattern.sub(r"\s", " ", lowered)  # " st" in it: a word starts with "st"
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped not in lowered or (_PLAIN.fullmatch(stripped) and " " + stripped not in word_starts):
                continue  # (a plain abbreviation inside words only, "st" in "first": nothing for the search below)
            occurrences = pattern.findall(rf"(?:^|\s|\r|\n){stripped}", text, flags=re.IGNORECASE)
            if not occurrences:
                continue
            following = pattern.findall(r"(?<={" + str(re.escape(stripped)) + "} ).{1}", text)
            made = set()
            for index, occurrence in enumerate(occurrences):
                decided_by = (occurrence, following[index] if index < len(following) else "")
                if decided_by not in made:
                    made.add(decided_by)
                    text = self.scan_for_replacements(text, occurrence, index, following)
        return text

    def scan_lists(self: Any, regex1: str, regex2: str, replacement: str, strip: bool = False) -> None:
        numbers = [int(found) for found in lists_item_replacer.re.findall(regex1, self.text)]
        made = set()
        for index, number in enumerate(numbers):
            before = numbers[index - 1] if index > 0 else None
            listed = (index < len(numbers) - 1 and number + 1 == numbers[index + 1]) or (
                before is not None and (number - 1 == before or (number, before) in ((0, 9), (9, 0)))
            )
            if listed and number not in made:
                made.add(number)
                self.substitute_found_list_items(regex2, number, strip, replacement)

    abbreviation_replacer.AbbreviationReplacer.search_for_abbreviations_in_string = search_for_abbreviations_in_string
    lists_item_replacer.ListItemReplacer.scan_lists = scan_lists


def _char_spans(text: str, sentences: Sequence[str]) -> list[tuple[str, int, int]]:
    """pysbd's sentences as (sentence, start, end) in ``text``: pysbd's own char-span search, without a regex.

    pysbd (``segment`` with ``char_span=True``) finds each sentence with ``re.finditer(re.escape(sentence) +
    "\\s*", text)``, compiling one pattern per sentence, each used once; this is the same search with
    ``str.find``: the first occurrence, scanning as ``finditer`` does (on from the end of a rejected match), whose
    end (trailing whitespace included) lies past the previous sentence's end. A sentence is looked for first where
    it almost always is, right after the previous one: a paragraph that repeats a sentence a thousand times would
    otherwise be searched from its start a thousand times. (Were an occurrence overlapping the previous sentence
    found first, the spans would not tile the text and the starts would come from ``_boundaries_by_alignment``, the
    same ones.)
    """
    spans: list[tuple[str, int, int]] = []
    previous_end = 0
    for sentence in sentences:
        after = _skip_space(text, previous_end)
        if sentence and text.startswith(sentence, after):
            end = _skip_space(text, after + len(sentence))
            spans.append((text[after:end], after, end))
            previous_end = end
            continue
        position = 0
        while sentence and (start := text.find(sentence, position)) >= 0:
            end = start + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > previous_end:
                spans.append((text[start:end], start, end))
                previous_end = end
                break
            position = end
    return spans


def _skip_space(text: str, position: int) -> int:
    """The first position from ``position`` on that is not whitespace (or the end of ``text``)."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def strip_span(text: str, start: int, end: int) -> Span:
    """``(start, end)`` narrowed to exclude leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _boundaries_from_spans(text: str, spans: list[tuple[str, int, int]]) -> list[int] | None:
    """Start offsets of pysbd's char spans, or None when they don't tile ``text`` exactly.

    pysbd finds each sentence again with a regex search over the whole text; repeated or altered
    sentences can come back misplaced or missing, so the spans are only trusted when they are contiguous
    and each one matches the text it claims.
    """
    position = 0
    starts: list[int] = []
    for sent, start, end in spans:
        if start < position or text[position:start].strip() or text[start:end] != sent:
            return None
        starts.append(start)
        position = end
    if text[position:].strip():
        return None
    return starts


def _boundaries_by_alignment(text: str, sentences: list[str]) -> list[int]:
    """Start offsets found by counting non-whitespace characters: robust to whitespace changes."""
    starts: list[int] = []
    position = 0
    length = len(text)
    for sentence in sentences:
        wanted = sum(1 for char in sentence if not char.isspace())
        if not wanted:
            continue
        while position < length and text[position].isspace():
            position += 1
        if position >= length:
            break
        starts.append(position)
        while position < length and wanted:
            if not text[position].isspace():
                wanted -= 1
            position += 1
    return starts


#: Several of pysbd's rules rescan the whole text for each thing they meet (abbreviations and list numbers did, see
#: ``_make_each_replacement_once``), so its time grows faster than the text. Longer texts are segmented in windows
#: of about this many characters. Only boundaries at least ``_WINDOW_MARGIN`` characters before a window's end
#: count (pysbd decided them with that much text after them); the next window starts at the last of them, so
#: long texts split where pysbd would have split them.
_WINDOW = 2000
_WINDOW_MARGIN = 300


def _pysbd_starts(text: str, segmenter: Any) -> list[int]:
    """Start offsets of pysbd's sentences in ``text`` (one call; see ``pysbd_spans`` for long texts)."""
    try:
        sentences = list(segmenter.processor(text).process() or []) if text else []
        starts = _boundaries_from_spans(text, _char_spans(text, sentences))
        if starts is None:
            starts = _boundaries_by_alignment(text, sentences)
    except Exception:  # pysbd is regex-heavy and has crashed on odd input; the text then stays one unit.
        starts = []
    return starts


def _windowed_starts(text: str, segmenter: Any) -> list[int]:
    """``_pysbd_starts`` over ``text`` in overlapping windows (linear time instead of quadratic)."""
    starts: list[int] = []
    position = 0
    size = _WINDOW
    while position < len(text):
        end = min(len(text), position + size)
        space = text.find(" ", end, end + 100)  # don't cut a word (text without spaces is cut anywhere)
        end = space if space > 0 else end
        local = [position + start for start in _pysbd_starts(text[position:end], segmenter)]
        if end >= len(text):
            starts.extend(local)
            break
        decided = [start for start in local if start < end - _WINDOW_MARGIN]
        if not decided or decided[-1] <= position:
            size *= 2  # no boundary pysbd could decide in this window: one long sentence so far
            continue
        starts.extend(decided[:-1])
        position = decided[-1]  # its sentence may run past the window: the next window starts with it
        size = _WINDOW
    return starts


#: A text pysbd's English rules leave one sentence, whatever it says: ASCII words and numbers (a decimal point only
#: between digits), spaces, commas, %, hyphens and dashes, words in brackets that a lower-case word follows ("pain
#: (LBP) affects"), and at most one . ! or ? at its end. Each of pysbd's rules that can end a sentence needs another
#: mark (a period before a space, a bracket before a capital, a list item, a quote, a line break, an ellipsis…).
#: Most sentences of a leaflet are such a text, and pysbd is most of the time of reading a source. A bracket that
#: closes on a number, a letter or a roman numeral ("(ab 1)", "(ab c)", "(ii)") is a list item to pysbd: two in a row
#: ("option (ii) or (iii) today") make a list, which it splits.
_UNMARKED = r"[A-Za-z0-9 ,%\-–]"
_NO_LIST_ITEM = r"(?<!\d)(?<!\b[A-Za-z])" + "".join(rf"(?<!\b[ivxIVX]{{{n}}})" for n in range(2, 6))
_ONE_SENTENCE = re.compile(
    rf" *(?:{_UNMARKED}|(?<=\d)\.(?=\d)|\((?=[A-Za-z]{{2}}){_UNMARKED}+{_NO_LIST_ITEM}\)(?= [a-z]))*[.!?]? *"
)


def pysbd_spans(text: str, language: str) -> list[Span]:
    """Stripped, ordered, non-overlapping sentence spans covering all non-whitespace text."""
    pysbd_code = pysbd_language(language)
    if pysbd_code == "en" and len(text) <= _WINDOW and _ONE_SENTENCE.fullmatch(text):
        start, end = strip_span(text, 0, len(text))
        return [(start, end)] if start < end else []
    return _pysbd_spans(text, pysbd_code)


def _pysbd_spans(text: str, pysbd_code: str) -> list[Span]:
    """``pysbd_spans`` as pysbd gives them (``pysbd_code``: ``pysbd_language``)."""
    segmenter = _segmenter(pysbd_code)
    if len(text) <= _WINDOW + _WINDOW_MARGIN:
        starts = _pysbd_starts(text, segmenter)
    else:
        starts = _windowed_starts(text, segmenter)
    cuts = sorted({0, *starts, len(text)})
    spans = [strip_span(text, a, b) for a, b in pairwise(cuts)]
    return [span for span in spans if span[0] < span[1]]
