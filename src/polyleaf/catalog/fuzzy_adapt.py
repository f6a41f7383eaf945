"""What differs between a sentence and a similar reviewed one, and the reviewed translation adapted to it.

Both English sentences are cut into tokens; numbers, unit symbols written after a number (mg, ml, %…) and
do-not-translate terms of the glossary are *slots*, compared by kind: "Take 400 mg" and "Take 500 mg" have the same
shape and differ in one slot's value. The reviewed translation is adapted to the slot values (where the sentences
also differ in words, those are left for the translator): each changed value is replaced where the translation
writes it — a number found by its value in the translation's own digits and separators and written back the same
way (``٤٠٠`` → ``٥٠٠``, ``2,5`` → ``3,5``), a unit symbol or a term found verbatim — so every other word stays
where the reviewer put it.

An adaptation is offered only when every changed value can be placed without guessing at word order — each time
the English has it, it changes the same way, and the translation writes it as often (a value it spells out as a
word, or has once where the English has it twice, cannot be placed) —, a changed
number keeps the plural form of the words it counts in the target language (1 → 2 tablets does not: the noun would
have to change with it), and the QA checks that compare the translation with its English (numbers, units,
quantities, terms…) find no error in the adapted text that they did not already find in the reviewed one.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from polyleaf.locale import number_separators, parse_locale
from polyleaf.qa.numerals import NUMBER, read_digits
from polyleaf.terms import term_pattern

#: Unit symbols a translation writes as the English does (Latin letters or signs), after a number.
UNIT_SYMBOLS = frozenset({"mg", "g", "kg", "mcg", "µg", "μg", "ml", "mL", "l", "L", "IU", "mmol", "%", "cm", "mm"})
_TOKEN = re.compile(r"(\d+(?:[.,٫٬．]\d+)*)|[^\W\d_]+(?:['’][^\W\d_]+)*|\S")
_SLOT_KEY = "\x00"


@dataclass(frozen=True, slots=True)
class Token:
    """A word, a sign, or a slot (``number``, ``unit``, ``term``) of a sentence, with where it is."""

    kind: str  # word | number | unit | term
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """What the comparison of shapes sees: a word itself, a slot its kind."""
        return self.text if self.kind == "word" else _SLOT_KEY + self.kind


def tokens(text: str, dnt_terms: Sequence[str] = ()) -> tuple[Token, ...]:
    """The tokens of ``text``; do-not-translate terms (by the glossary's matching rules) are one token each."""
    return _tokens(text, tuple(dnt_terms))


@lru_cache(maxsize=4096)  # a sentence is compared with a few matches, a match with many sentences
def _tokens(text: str, dnt_terms: tuple[str, ...]) -> tuple[Token, ...]:
    pattern = term_pattern(dnt_terms)
    found: list[Token] = []
    position = 0
    for match in pattern.finditer(text) if pattern is not None else ():
        found += _plain_tokens(text, position, match.start())
        found.append(Token("term", match.group(), match.start(), match.end()))
        position = match.end()
    found += _plain_tokens(text, position, len(text))
    for index, token in enumerate(found):
        if token.text in UNIT_SYMBOLS and index and found[index - 1].kind == "number":
            found[index] = Token("unit", token.text, token.start, token.end)
    return tuple(found)


_NUMBER_RUN = re.compile(r"\d+(?:[.,٫٬．]\d+)*")
_UNIT_AFTER = re.compile(
    rf"#(\s?)(?:{'|'.join(re.escape(unit) for unit in sorted(UNIT_SYMBOLS, key=len, reverse=True))})(?![^\W\d_])"
)


def slot_shape(text: str, dnt_terms: Sequence[str] = ()) -> str:
    """``text`` with its slots' values taken out (numbers ``#``, a unit after one ``U``, terms ``T``): two sentences
    of the same shape differ at most in slot values. A quick test, before ``compare``, of whether a match can be
    adapted whole."""
    pattern = term_pattern(dnt_terms)
    text = pattern.sub("\x00T", text) if pattern is not None else text
    return _UNIT_AFTER.sub(r"#\1U", _NUMBER_RUN.sub("#", text))


def _plain_tokens(text: str, start: int, end: int) -> list[Token]:
    return [
        Token("word" if match.lastindex is None else "number", match.group(), match.start(), match.end())
        for match in _TOKEN.finditer(text, start, end)
    ]


@dataclass(frozen=True, slots=True)
class Difference:
    """One place where this sentence's English differs from the match's: ``before`` in the match, ``after`` here
    (either may be empty: a word added or left out). ``slot`` is the kind of a slot whose value changed (number,
    unit, term), empty for a difference in words."""

    before: str
    after: str
    slot: str = ""
    #: For a slot: which one of the match's tokens it is (its index), so that the adaptation can place it.
    index: int = -1

    def __str__(self) -> str:
        if self.slot:
            return f"{self.before} → {self.after}"
        if not self.before:
            return f"+ “{self.after}”"
        if not self.after:
            return f"− “{self.before}”"
        return f"“{self.before}” → “{self.after}”"


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a sentence differs from a similar reviewed one."""

    differences: tuple[Difference, ...]

    @property
    def only_slots(self) -> bool:
        """Whether every difference is a slot's value (numbers, units, terms): the match can be adapted."""
        return bool(self.differences) and all(difference.slot for difference in self.differences)


def compare(english: str, match_english: str, dnt_terms: Sequence[str] = ()) -> Comparison:
    """What differs between ``english`` and ``match_english``: their shapes compared token by token (runs of
    changed words merged into one difference), then the values of the slots the shapes share."""
    theirs, ours = tokens(match_english, dnt_terms), tokens(english, dnt_terms)
    differences: list[Difference] = []
    pending: list[tuple[int, int, int, int]] = []
    for opcode in Levenshtein.opcodes([token.key for token in theirs], [token.key for token in ours]):
        if opcode.tag != "equal":
            pending.append((opcode.src_start, opcode.src_end, opcode.dest_start, opcode.dest_end))
            continue
        if pending:
            differences.append(_words(match_english, english, theirs, ours, pending))
            pending = []
        for offset in range(opcode.src_end - opcode.src_start):
            before, after = theirs[opcode.src_start + offset], ours[opcode.dest_start + offset]
            if before.kind != "word" and not _same_value(before, after):
                differences.append(Difference(before.text, after.text, before.kind, opcode.src_start + offset))
    if pending:
        differences.append(_words(match_english, english, theirs, ours, pending))
    return Comparison(tuple(differences))


def _words(
    match_english: str,
    english: str,
    theirs: Sequence[Token],
    ours: Sequence[Token],
    spans: Sequence[tuple[int, int, int, int]],
) -> Difference:
    """One difference in words, from consecutive changed spans of tokens."""
    return Difference(
        _text_of(match_english, theirs, spans[0][0], spans[-1][1]), _text_of(english, ours, spans[0][2], spans[-1][3])
    )


def _text_of(text: str, found: Sequence[Token], start: int, end: int) -> str:
    return text[found[start].start : found[end - 1].end] if end > start else ""


def _same_value(first: Token, second: Token) -> bool:
    if first.kind == "number":
        return _value(first.text) == _value(second.text)
    return first.text == second.text


def _value(number: str, language: str = "en") -> Decimal | None:
    """The value of a number as ``language`` writes it (None: not one number, e.g. a date 1.2.2025)."""
    values = read_digits(number, *number_separators(language))
    return values[0] if len(values) == 1 else None


# ----------------------------------------------------------------------------------------------- adapting


def adapt(
    translation: str,
    comparison: Comparison,
    match_english: str,
    languages: tuple[str, str],
    dnt_terms: Sequence[str] = (),
) -> str | None:
    """``translation`` (of ``match_english``) with every slot difference of ``comparison`` replaced where it
    stands (differences in words stay for the translator), or None when there is none or one cannot be placed.

    A value is placed without guessing at word order: every occurrence of it in the match's English must change to
    the same new value, and the translation must write it exactly as often. ``languages``: (source, target)."""
    changed = {difference.index: difference for difference in comparison.differences if difference.slot}
    if not changed:
        return None
    source = languages[0]
    theirs = tokens(match_english, dnt_terms)
    edits: list[tuple[int, int, str]] = []
    done: set[int] = set()
    for index, difference in changed.items():
        if index in done:
            continue
        token = theirs[index]
        same = [
            number
            for number, other in enumerate(theirs)
            if other.kind == token.kind and _same_slot(other, token, source)
        ]
        afters = {_key(changed[number].after, token.kind, source) if number in changed else None for number in same}
        places = _places(translation, token, languages)
        if len(afters) != 1 or places is None or len(places) != len(same):
            return None  # the value changes in one place and not in another, or the translation has it elsewhere
        done.update(same)
        for start, end in places:
            replacement = _replacement(difference, translation[start:end], token, languages)
            if replacement is None:
                return None
            edits.append((start, end, replacement))
    edits.sort()
    if any(first[1] > second[0] for first, second in itertools.pairwise(edits)):
        return None
    adapted = translation
    for start, end, replacement in reversed(edits):
        adapted = adapted[:start] + replacement + adapted[end:]
    return adapted


def _key(text: str, kind: str, source: str) -> object:
    return _value(text, source) if kind == "number" else text


def _replacement(difference: Difference, written: str, token: Token, languages: tuple[str, str]) -> str | None:
    """What replaces ``written`` (the translation's form of ``token``): a number written the translation's way,
    if the words it counts keep their plural form; a unit or term as this English has it."""
    if token.kind != "number":
        return difference.after
    if not _same_plural(token.text, difference.after, languages):
        return None
    return _written_like(difference.after, written, *languages)


def _same_plural(before: str, after: str, languages: tuple[str, str]) -> bool:
    """Whether the target language puts the words a number counts in the same plural form for both values (1 and
    2 tablets do not agree: "1 comprimido", "2 comprimidos"; Arabic has six forms): only then can the number change
    alone."""
    source, target = languages
    old, new = _value(before, source), _value(after, source)
    if old is None or new is None:
        return False
    rules = parse_locale(target)
    return bool(rules.plural_form(old) == rules.plural_form(new))


def _same_slot(first: Token, second: Token, source: str) -> bool:
    if first.kind != second.kind:
        return False
    if first.kind == "number":
        return _value(first.text, source) == _value(second.text, source)
    return first.text == second.text


def _places(translation: str, token: Token, languages: tuple[str, str]) -> list[tuple[int, int]] | None:
    """Where ``translation`` writes the slot ``token`` of the match's English: a number by its value (in the
    translation's digits and separators), a unit symbol or a term as it is written."""
    source, target = languages
    if token.kind == "number":
        wanted = _value(token.text, source)
        if wanted is None:
            return None
        return [match.span() for match in NUMBER.finditer(translation) if _value(match.group(), target) == wanted]
    if token.kind == "term":
        pattern = term_pattern([token.text])
        return [match.span() for match in pattern.finditer(translation)] if pattern is not None else None
    symbol = re.compile(rf"(?<![^\W\d_]){re.escape(token.text)}(?![^\W\d_])")
    return [match.span() for match in symbol.finditer(translation)]


def _written_like(number: str, example: str, source: str, target: str) -> str | None:
    """``number`` (as the source writes it) written the way the translation wrote ``example``: the same digits
    (Arabic-Indic, full-width…), its decimal separator, its thousands separator when it had one."""
    value, example_value = _value(number, source), _value(example, target)
    if value is None or example_value is None:
        return None
    zero = ord(example[0]) - unicodedata.decimal(example[0])
    decimal, _group = ("٫", "٬") if zero == 0x0660 else number_separators(target)  # Arabic-Indic digits
    separator = next((char for char in example if not char.isdigit()), "")
    grouped = bool(separator) and example_value == example_value.to_integral_value()
    if separator and not grouped:
        decimal = separator
    whole, _point, fraction = format(value, "f").partition(".")
    if grouped and len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", separator)
    digits = whole + (decimal + fraction if fraction else "")
    return "".join(chr(zero + int(char)) if char.isdigit() else char for char in digits)
