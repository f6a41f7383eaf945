"""Quantities in a sentence: each number with what it counts (its unit or counted noun) and its role.

``quantities(text, language)`` reads digits of any script with the locale's separators (Babel, through
``polyleaf.locale``), fractions, Chinese numerals and spelled-out numbers bound to a unit, then binds ranges
("10–15 minutes", "between 5 and 10") and bound words ("at most 20 mg", "start with 5 mg", "under 12 years").
The words come from ``vocabulary`` and ``unit_vocabulary``, compiled by ``quantity_words``; the checks compare
source and translation quantity by quantity.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from polyleaf import locale
from polyleaf.qa import clock, numerals, unit_vocabulary
from polyleaf.qa.negation_words import FAR, NEAR, negated_before, negates, turnable
from polyleaf.qa.numerals import HALF
from polyleaf.qa.quantity_words import SAID, Words, words_for
from polyleaf.qa.text import SOURCE_SENTENCES_KEPT, base_language, numbers_read_as, prepared

#: What a role is called in messages.
ROLE_NAMES = {
    "min": "a lower bound",
    "max": "an upper bound",
    "bound": "a bound (at most or at least)",
    "start": "the starting dose",
    "every": "an interval (every …)",
    "for": "a duration (for …)",
    "after": "a delay (after …)",
}
#: Roles that only a word right before a time gives: "every 6 hours", "for 6 hours", "after 6 hours".
_TIME_ROLES = frozenset({"every", "for", "after"})

_PERCENT = ("%", "٪", "％")  # written before the number in Turkish: %20
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \u00a0\u202f\u2009-]{0,2}")
_FILLER_GAP = re.compile(r"[ \u00a0\u202f\u2009'’-]{0,2}")
_PHRASE = re.compile(r"([^\W\d_]+)(?:\.? ?([^\W\d_]+))?(?:\.? ?([^\W\d_]+))?")
_SPACE = re.compile(r"[ \u00a0\u202f\u2009-]?")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as read in a sentence. ``optional`` marks the word "one" (un, một, 一, a): it may stand for an
    article, so it is matched when it can be but never reported missing or added."""

    value: Decimal
    unit: str | None
    role: str  # "", "min", "max" or "start"
    text: str  # the number as written
    shown: str  # the number with its unit as written, for messages
    start: int
    end: int
    optional: bool = False
    worded: bool = False  # the role is given by words ("at most"), not by a range


# --- reading -----------------------------------------------------------------------------------------------


def _unit_at(text: str, pos: int, words: Words) -> tuple[str | None, Decimal | None, int] | None:
    """The unit written at ``pos`` (after an optional space): (unit, its own value, end), or None; the unit is None
    where the words leave it open (4次喷雾)."""
    pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
    for length in words.chars:
        found = words.units.get(text[pos : pos + length])
        if found:
            end = pos + length
            for more in words.chars:  # a measure word may name what it counts: 三粒胶囊 are three capsules
                named = words.units.get(text[end : end + more])
                if named and unit_vocabulary.KINDS[named[0]] == "count":  # 4次喷雾: four sprays or four times
                    return (named[0] if found[0] != "times" else None), None, end + more
            return found[0], found[1], end
    char = text[pos : pos + 1]
    if not char or char.isdigit():
        return None
    if not char.isalnum():
        for length in (3, 2, 1):  # %, ٪, °C, ° C
            if (symbol := text[pos : pos + length].casefold()) in words.units:
                return words.units[symbol][0], None, pos + length
        return None
    phrase = _PHRASE.match(text, pos)
    if phrase is None:
        return None
    word = phrase.group(1).casefold()
    if word in words.multiword and phrase.lastindex and phrase.lastindex > 1:  # mm Hg, мм рт. ст., viên nang
        for count in range(phrase.lastindex, 1, -1):
            found = words.units.get(numerals.normalize_words(text[pos : phrase.end(count)].replace(".", " ")))
            if found:
                return found[0], found[1], phrase.end(count)
    if found := words.units.get(word):
        return found[0], found[1], phrase.end(1)
    for length in words.stem_lengths:
        if length <= len(word) and word[:length] in words.stems:
            return words.stems[word[:length]], None, phrase.end(1)
    return None


_CJK_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万]+|半")


def _and_a_half(text: str, pos: int, words: Words) -> int | None:
    match = words.and_a_half.match(text, pos)
    return match.end() if match else None


@dataclass(slots=True)
class _Read:
    """A number being read (local to one call of ``quantities``)."""

    value: Decimal
    unit: str | None
    text: str
    start: int
    end: int
    bound: bool  # a unit follows
    spelled: bool  # words, not digits: they count only where they count something
    role: str = ""  # given by the phrase itself ("every other day")
    optional: bool = False  # may be left unsaid ("between doses" names two)


def _bind(text: str, value: Decimal, start: int, pos: int, words: Words, *, spelled: bool = False) -> _Read:
    """The number ending at ``pos`` with the unit that follows (and "and a half" after either)."""
    number_end = pos
    if (end := _and_a_half(text, pos, words)) is not None:
        value, pos = value + HALF, end
    found = _unit_at(text, pos, words)
    if found:
        pos = found[2]
        if (end := _and_a_half(text, pos, words)) is not None:
            value, pos = value + HALF, end
    return _Read(value, found[0] if found else None, text[start:number_end], start, pos, found is not None, spelled)


_VULGAR = re.compile(f"(?<!\\d)[{numerals.VULGAR}]")


def _digits(text: str, language: str, words: Words) -> list[_Read]:
    decimal_sep, group_sep = locale.number_separators(language)
    pattern = numerals.NUMBER_SPACE_GROUPS if group_sep.isspace() else numerals.NUMBER
    found: list[_Read] = []
    slashed = "/" in text or "⁄" in text
    for match in pattern.finditer(text):
        number, start, end = match.group(), match.start(), match.end()
        values = numerals.read_digits(number, decimal_sep, group_sep)
        if len(values) == 1 and text[end : end + 1] and text[end] in numerals.VULGAR:
            values, end = (values[0] + numerals.vulgar(text[end]),), end + 1
        elif slashed and len(values) == 1 and (fraction := numerals.FRACTION.match(text, end)):
            share = numerals.fraction(values[0], fraction.group(1))
            if share is not None:
                values, end = (share,), fraction.end()
        if len(values) > 1:
            found += [_Read(value, None, number, start, end, False, False) for value in values[:-1]]
        read = _bind(text, values[-1], start, end, words)
        if read.unit is None and text[max(0, start - 2) : start].rstrip(" \u00a0\u202f")[-1:] in _PERCENT:
            read.unit = "%"
        found.append(read)
    found += [_bind(text, numerals.vulgar(m.group()), m.start(), m.end(), words) for m in _VULGAR.finditer(text)]
    return found


def _spelled(text: str, lowered: str, words: Words) -> list[_Read]:
    """Spelled-out numbers, half words and words with their own value (twice, يومين), read where they count."""
    found: list[_Read] = []
    halves = words.half_prefix and words.half_prefix in lowered
    if not halves and words.first_words.isdisjoint(_WORD.findall(lowered)):
        return found
    matches = list(_WORD.finditer(text))
    for index, match in enumerate(matches):
        word = match.group().casefold()
        if word not in words.first_words:
            if halves and word.startswith(words.half_prefix):  # полтаблетки
                unit = _unit_at(word, len(words.half_prefix), words)
                if unit and unit[2] == len(word):
                    found.append(_Read(HALF, unit[0], match.group(), match.start(), match.end(), True, True))
            continue
        value, end = _number_at(text, matches, index, words)
        if value is None:
            own = _unit_at(text, match.start(), words)
            if own and own[1] is not None:
                value, end = own[1], own[2]
                if (half := _and_a_half(text, end, words)) is not None:  # قرصا ونصف
                    value, end = value + HALF, half
                found.append(_Read(value, own[0], text[match.start() : end], match.start(), end, True, True))
            continue
        value, end = _skip_fillers(text, end, words, value)
        found.append(_bind(text, value, match.start(), end, words, spelled=True))
    return found


def _number_at(text: str, matches: list[re.Match[str]], index: int, words: Words) -> tuple[Decimal | None, int]:
    """The longest spelled-out number starting at word ``index`` (words joined by spaces or hyphens)."""
    most, joined = min(words.longest, len(matches) - index), 1  # the words from ``index`` that gaps join
    while joined < most and _GAP.fullmatch(text, matches[index + joined - 1].end(), matches[index + joined].start()):
        joined += 1
    for count in range(joined, 0, -1):
        span = matches[index : index + count]
        phrase = (
            span[0].group().casefold()
            if count == 1
            else numerals.normalize_words(text[span[0].start() : span[-1].end()])
        )
        if phrase in words.numbers:
            return words.numbers[phrase], span[-1].end()
    return None, matches[index].end()


def _skip_fillers(text: str, pos: int, words: Words, value: Decimal) -> tuple[Decimal, int]:
    """After a number word: "una mitad" halves it, and fillers ("of a", "de un") may come before the unit."""
    end = pos
    while match := _WORD.match(text, _FILLER_GAP.match(text, end).end()):  # type: ignore[union-attr]
        word = match.group().casefold()
        if words.numbers.get(word) == HALF and value != HALF:
            value, pos = value * HALF, match.end()
        elif word not in words.fillers:
            break
        end = match.end()
    return (value, end) if _unit_at(text, end, words) else (value, pos)


def _said_quantities(lowered: str, words: Words) -> list[_Read]:
    """Phrases that say a quantity without a number: "every other day" (every 2 days), "between doses"."""
    found = []
    for phrase in words.said.find(lowered) if words.said else ():
        value, unit, role, optional = SAID[phrase.value]
        text = lowered[phrase.start : phrase.end]
        found.append(_Read(value, unit, text, phrase.start, phrase.end, True, False, role, optional))
    return found


_CJK_FRACTION = re.compile(r"([一二三四五六七八九十两]|\d+)分之([一二三四五六七八九]|\d+)")


def _cjk(text: str, words: Words) -> list[_Read]:
    """Chinese numerals bound to a measure word or unit: 三次, 两片, 十五分钟, 半片, 一个半小时, 四分之一片."""
    found = []
    for match in _CJK_FRACTION.finditer(text):  # 四分之一: one of four parts
        below, above = (Decimal(part) if part.isdigit() else numerals.read_cjk(part) for part in match.groups())
        if below and above is not None and above < below:
            share = (above / below).quantize(Decimal("0.001")).normalize()
            found.append(_bind(text, share, match.start(), match.end(), words, spelled=True))
    for match in _CJK_NUMBER.finditer(text):
        value = HALF if match.group() == "半" else numerals.read_cjk(match.group())
        if value is None:
            continue
        pos = match.end()
        if text.startswith("个半", pos):
            value, pos = value + HALF, pos + 2
        found.append(_bind(text, value, match.start(), pos, words, spelled=True))
    return found


def _repeated(text: str, found: list[_Read], words: Words) -> set[int]:
    """Every 12 hours written "de 12 em 12 horas": the first 12 leaves ``found``; the indexes of the seconds
    return."""
    if words.repeat is None:
        return set()
    pairs = {match.start("first"): match.start("second") for match in words.repeat.finditer(text)}
    if not pairs:
        return set()
    found[:] = [read for read in found if read.start not in pairs]
    seconds = set(pairs.values())
    return {index for index, read in enumerate(found) if read.start in seconds}


def _join(text: str, first: _Read, second: _Read, words: Words) -> str:
    """How two neighbouring numbers are joined: "range", "or" or ""."""
    gap = text[first.end : second.start]
    if words.range_join.fullmatch(gap):
        return "range"
    if words.and_join.fullmatch(gap) and (
        words.between.search(text, max(0, first.start - 20), first.start) or text.startswith("之间", second.end)
    ):
        return "range"
    return "or" if words.or_join.fullmatch(gap) else ""


def _role(lowered: str, start: int, end: int, after: int, following: int, unit: str | None, words: Words) -> str:
    """The role words give the number at ``start:end``: right after it ("or more", 以下) unless they lead to the
    next number ("5 mg, at most 20 mg"), else before it, since the previous number; a negation before them may
    turn a bound around ("do not take more than", "do not store above": ``negation_words.turnable``)."""
    post = words.post_cues.match(lowered, end, following)
    if post and (following == len(lowered) or lowered[post.end() : following].strip(" \u00a0")):
        role = words.post_roles[post.group(1)]
        if role not in _TIME_ROLES or (unit and unit_vocabulary.KINDS[unit] == "time"):
            return role
    cue = None
    for cue in words.cues.finditer(lowered, max(after, start - 40), start):  # noqa: B007 - the last one counts
        pass
    if cue is None or start - cue.end() > 25:
        return ""
    role = words.cue_roles[cue.group(1)]
    if role in _TIME_ROLES:  # "every 6 hours", not "every day, 2 tablets"
        right_before = not lowered[cue.end() : start].strip(" \u00a0")
        return role if right_before and unit and unit_vocabulary.KINDS[unit] == "time" else ""
    negated = ""
    if turnable(role, unit) and not negates(cue.group(1), words.language):
        duration = bool(unit) and unit_vocabulary.KINDS[str(unit)] == "time"
        negated = negated_before(lowered, cue.start(), words.language, duration=duration)
    if negated == FAR:  # "ne pas conserver à une température supérieure à 25 °C" may go either way
        return "bound"
    if negated == NEAR:  # "do not take more than 4 g", "do not store above 25 °C"
        return "min" if role == "max" else "max"
    return "min" if role == "more" else role


def quantities(text: str, language: str) -> list[Quantity]:
    """Every quantity of ``text`` (URLs and link targets left out), in text order, with its unit and role; the
    numbers of a time of day ("20:00", "8 pm") are not quantities."""
    return list(reading(text, language).quantities)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a sentence says in numbers: its quantities and its times of day (``clock``), both with spans in
    ``prepared(text)``. A time that may be a duration ("20 h") is in both until a comparison decides (``compared``)."""

    quantities: tuple[Quantity, ...]
    clocks: tuple[clock.Clock, ...]


def reading(text: str, language: str) -> Reading:
    """The quantities and times of ``text``, read once for all the checks of an entry, and a source sentence once
    for all the languages it is translated into."""
    return _reading(text, numbers_read_as(language))


@lru_cache(maxsize=8192)
def _reading(text: str, language: str) -> Reading:
    stripped, lowered = prepared(text)
    base = base_language(language)
    found = _quantities(stripped, lowered, language, base)
    clocks = [
        time
        for time in clock.times(stripped, base)
        if not any(q.start == time.number_start and q.unit not in {None, "hour"} for q in found)  # a las 2 semanas
    ]
    sure = [time for time in clocks if time.sure or time.number_start < 0]  # "meio-dia" is no half day
    if sure:
        found = [q for q in found if not any(time.start <= q.start < time.end for time in sure)]
    return Reading(tuple(found), tuple(clocks))


def _quantities(stripped: str, lowered: str, language: str, base: str) -> list[Quantity]:
    words = words_for(base)
    reads = _digits(stripped, language, words)
    if words.first_words:
        reads += _spelled(stripped, lowered, words)
    if words.chars:
        reads += _cjk(stripped, words)
    if words.said:
        reads += _said_quantities(lowered, words)
    reads.sort(key=lambda read: (read.start, -read.end))
    found: list[_Read] = []
    for read in reads:
        if read.start and stripped[read.start - 1] == "第":  # 第二剂 is the second dose, not two doses
            continue
        if not found or read.start >= found[-1].end:
            found.append(read)
    every = _repeated(stripped, found, words)
    joins = [_join(stripped, a, b, words) for a, b in itertools.pairwise(found)] + [""]
    for index in range(len(found) - 2, -1, -1):  # "2–3 mg", "two or three tablets": the first is in mg too
        if joins[index] and found[index].unit is None and found[index + 1].unit:
            found[index].unit, found[index].bound = found[index + 1].unit, True
    result = []
    for index, read in enumerate(found):
        if read.spelled and not read.bound:
            continue  # a spelled-out number that counts nothing ("one of them") is not read
        worded = False
        if read.role:
            role = read.role
        elif index in every and read.unit and unit_vocabulary.KINDS[read.unit] == "time":
            role = "every"
        elif joins[index] == "range":
            role = "max" if index and joins[index - 1] == "range" else "min"
        elif index and joins[index - 1] == "range":
            role = "max"
        else:
            following = found[index + 1].start if index + 1 < len(found) else len(stripped)
            previous_end = found[index - 1].end if index else 0
            role = _role(lowered, read.start, read.end, previous_end, following, read.unit, words)
            worded = bool(role)
        shown = stripped[read.start : read.end]
        optional = read.optional or (read.spelled and read.value == 1)
        result.append(Quantity(read.value, read.unit, role, read.text, shown, read.start, read.end, optional, worded))
    return result


@dataclass(frozen=True, slots=True)
class Comparison:
    """A source and its translation read together. A time the translation may write like a duration ("20 h" for
    "8 pm") is a time where the source has one, and its number is then not a quantity. Times: the ``same``, the
    ``changed`` (a time of the source, another in the translation), the source's ``missing`` and the ``added``."""

    source: tuple[Quantity, ...]
    target: tuple[Quantity, ...]
    same: tuple[tuple[clock.Clock, clock.Clock], ...] = ()
    changed: tuple[tuple[clock.Clock, clock.Clock], ...] = ()
    missing: tuple[clock.Clock, ...] = ()
    added: tuple[clock.Clock, ...] = ()


#: A source sentence's reading, kept apart from the translations' (``text.SOURCE_SENTENCES_KEPT``).
_source_reading = lru_cache(maxsize=SOURCE_SENTENCES_KEPT)(_reading.__wrapped__)


def reading_of(text: str, language: str, *, source: bool) -> Reading:
    """``reading``, from the source sentences' cache for a ``source`` sentence: every reader of a source sentence
    (quantities, schedule, negation) shares one reading of it across the languages it is translated into."""
    return _source_reading(text, numbers_read_as(language)) if source else reading(text, language)


@lru_cache(maxsize=8192)
def compared(source: str, target: str, source_language: str, target_language: str) -> Comparison:
    """``source`` and ``target`` read and their times of day paired (cached: the quantity checks all use it)."""
    read, other = reading_of(source, source_language, source=True), reading(target, target_language)
    if not read.clocks and not other.clocks:
        return Comparison(read.quantities, other.quantities)
    pairs = clock.pair(read.clocks, other.clocks)
    left = [time for index, time in enumerate(read.clocks) if index not in pairs and time.sure]
    taken = set(pairs.values())
    values = {q.value for q in read.quantities}
    candidates = [
        time
        for index, time in enumerate(other.clocks)
        if index not in taken and (time.sure or not values & {Decimal(hour) for hour in time.hours})
    ]
    candidates.sort(key=lambda time: not time.sure)
    changed = list(zip(left, candidates, strict=False))
    same = [(read.clocks[index], other.clocks[target_index]) for index, target_index in pairs.items()]
    times = same + changed
    return Comparison(
        _without(read.quantities, [a for a, _ in times]),
        _without(other.quantities, [b for _, b in times]),
        tuple(same),
        tuple(changed),
        tuple(left[len(changed) :]),
        tuple(time for time in candidates[len(changed) :] if time.sure),
    )


def _without(found: tuple[Quantity, ...], times: list[clock.Clock]) -> tuple[Quantity, ...]:
    """``found`` without the numbers of ``times`` (those of sure times are already left out)."""
    weak = [time for time in times if not time.sure]
    return tuple(q for q in found if not any(time.start <= q.start < time.end for time in weak))
