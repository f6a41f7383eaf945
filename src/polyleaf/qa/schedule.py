"""When, how often and per what a dose is given, compared between source and translation: "daily" → "weekly",
"at night" → "in the morning", "before meals" → "after meals", "10 mg/kg" → "10 mg", "8 pm" → "9:00" are errors.

Four kinds of marks (``schedule_vocabulary``): a frequency (per hour, day, week, month, year, or per dose; a day of
the week is weekly), a time of day (morning, midday, afternoon, evening, night, bedtime; a translation may give a
neighbouring one, or a clock time in it), a dose per body weight (per kg, per m²), and the timing against meals
(before, after, with food, on an empty stomach; read with their own table). Marks are compared as multisets, so
"once a week, the same day each week" → "once a day, the same day each week" is a swap although "week" is still
there. A mark of the source that the translation lacks is an error when the translation has another mark of the
same kind instead (a swap), or when the source gives a dose or a count ("2 tablets daily"): "return to daily life"
may lose its "daily". A frequency the translation adds is an error where the source gives a dose and no time at
all ("a single dose of 3 g" → "3 g a day"; "in the morning" may become "每天早上"). A dose per body weight is
always bound to its dose, so losing or adding one is an error. Words left in the source language keep their
meaning. Times of day on a clock are read by ``clock`` and paired by ``quantities.compared``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from polyleaf.qa import clock, schedule_vocabulary, unit_vocabulary, vocabulary
from polyleaf.qa.model import CheckContext
from polyleaf.qa.phrases import Table, compile_table
from polyleaf.qa.quantities import Comparison, compared, reading, reading_of
from polyleaf.qa.text import SOURCE_SENTENCES_KEPT, base_language, prepared

_KINDS: dict[str, dict[str, dict[str, str]]] = {
    "frequency": schedule_vocabulary.FREQUENCIES,
    "time of day": schedule_vocabulary.TIMES_OF_DAY,
    "body": schedule_vocabulary.PER_BODY,
    "meal": schedule_vocabulary.MEALS,
}
#: Kinds read with one table; meals with their own, since their words overlap times of day ("после обеда").
_MAIN = ("frequency", "time of day", "body")
_DIFFERS = {
    "frequency": "the frequency differs",
    "time of day": "the time of day differs",
    "body": "the dose per body weight differs",
    "meal": "the timing against meals differs",
}
_GAP = " ,\u00a0\u202f"
_SPACE = re.compile(r"[ ,\u00a0\u202f]*")
_WORD_SPACE = re.compile(r"[^\W\d_]+[ \u00a0]+")


def _next(lowered: str, end: int) -> set[int]:
    """Where the next word after ``end`` starts, and the one after it ("ngày 2 lần", "ngày uống 2 lần")."""
    first = _SPACE.match(lowered, end).end()  # type: ignore[union-attr]
    word = _WORD_SPACE.match(lowered, first)
    return {first, word.end()} if word else {first}


@dataclass(frozen=True, slots=True)
class Mark:
    """A frequency, time of day or per-body-weight word found in a text; ``sure`` unless the form only may say it."""

    kind: str
    value: str
    sure: bool
    shown: str
    start: int = 0
    end: int = 0


@cache
def _table(language: str, kinds: tuple[str, ...] = _MAIN) -> Table | None:
    """One table for the ``kinds``: a form's value is ``kind:value``."""
    if language not in schedule_vocabulary.FREQUENCIES["day"]:
        return None
    forms = {
        f"{kind}:{value}": "|".join(filter(None, (spellings.get("*"), spellings.get(language))))
        for kind in kinds
        for value, spellings in _KINDS[kind].items()
    }
    return compile_table(forms, edges=language not in {"zh", "ja"}, arabic=language == "ar")


def marks(text: str, language: str, *, meals: bool = True, source: bool = False) -> tuple[Mark, ...]:
    """The marks of every kind in ``text``: frequencies, times of day, per body weight, then meals (a translation's
    are wanted only where the source has some); ``source``: ``text`` is a source sentence."""
    read = _source_marks if source else _marks
    return read(text, language, _MAIN, source) + (read(text, language, ("meal",), source) if meals else ())


@lru_cache(maxsize=8192)
def _marks(text: str, language: str, kinds: tuple[str, ...], source: bool) -> tuple[Mark, ...]:
    """The marks of ``kinds`` in ``text``, in text order; a ``+`` form is sure only right after a quantity ("2
    tablets a day"), a ``>`` form is one only right before a quantity ("ngày 2 lần"). ``source``: ``text`` is a
    source sentence (read once for all languages)."""
    table = _table(base_language(language), kinds)
    if table is None:
        return ()
    stripped, lowered = prepared(text)
    found = table.find(lowered)
    if not found:
        return ()
    quantities = reading_of(text, language, source=source).quantities if any(p.tag in "+>" for p in found) else ()
    ends, starts = {quantity.end for quantity in quantities}, {quantity.start for quantity in quantities}
    result = []
    for phrase in found:
        kind, _, value = phrase.value.partition(":")
        if phrase.tag == ">" and not starts & _next(lowered, phrase.end):
            continue  # "ngày" says daily only before a count ("ngày 2 lần", "ngày uống 2 lần"), else it is a day
        sure = phrase.tag != "~" and (phrase.tag != "+" or len(lowered[: phrase.start].rstrip(_GAP)) in ends)
        result.append(Mark(kind, value, sure, stripped[phrase.start : phrase.end].strip(), phrase.start, phrase.end))
    return tuple(result)


#: A source sentence's marks, kept apart from the translations' (``text.SOURCE_SENTENCES_KEPT``).
_source_marks = lru_cache(maxsize=2 * SOURCE_SENTENCES_KEPT)(_marks.__wrapped__)  # (two kinds of marks a sentence)


def _covers(offered: str, wanted: str) -> bool:
    return offered == wanted or frozenset({offered, wanted}) in schedule_vocabulary.NEIGHBOURS


def _at(time: clock.Clock, part: str) -> bool:
    """Whether a clock time falls in a part of the day ("20:00" is an evening and a night)."""
    low, high = schedule_vocabulary.HOURS[part]
    return any(low <= hour < high or low <= hour + 24 < high for hour in time.hours)


def _clock_messages(comparison: Comparison) -> list[str]:
    if not (comparison.changed or comparison.missing or comparison.added):
        return []
    messages = [f"{a.shown} → {b.shown}: the time differs" for a, b in comparison.changed]
    messages += [f"{time.shown}: the time is missing in the translation" for time in comparison.missing]
    return messages + [f"{time.shown}: a time not in the source" for time in comparison.added]


def _unmatched(wanted: list[Mark], offered: list[Mark]) -> tuple[list[Mark], list[Mark]]:
    """The sure marks of each side left without a counterpart on the other, as multisets: the same value first,
    then a neighbour. "once a week, the same day each week" → "once a day, the same day each week" leaves one
    week and one day."""
    available, lost = list(offered), list(wanted)
    for exact in (True, False):
        pending, lost = lost, []
        for mark in pending:
            fits = (o for o in available if o.value == mark.value or (not exact and _covers(o.value, mark.value)))
            other = next(fits, None)
            if other is None:
                lost.append(mark)
            else:
                available.remove(other)
    return [mark for mark in lost if mark.sure], [mark for mark in available if mark.sure]


def _kind_messages(
    kind: str,
    wanted: list[Mark],
    offered: list[Mark],
    clocks: list[clock.Clock],
    *,
    bound: bool = False,
    added: bool = False,
) -> list[str]:
    """Messages for one kind of mark: ``wanted`` are the source's, ``offered`` the translation's; a clock time of
    the translation gives the times of day it falls in. A mark left over on each side is a swap; one the
    translation lacks altogether is missing where the source gives a dose (``bound``: "2 tablets daily"); one the
    translation adds is reported for a dose per body weight, and for a frequency where ``added``."""
    lost, extra = _unmatched(wanted, offered)
    if kind == "time of day":
        lost = [mark for mark in lost if not any(_at(time, mark.value) for time in clocks)]
    absent = [mark for mark in lost if not any(_covers(other.value, mark.value) for other in offered)]
    new = [mark for mark in extra if not any(_covers(mark.value, other.value) for other in wanted)]
    # a swap pairs a mark with one of another value, at least one of them new to its text
    lost = absent + [mark for mark in lost if mark not in absent]
    extra = new + [mark for mark in extra if mark not in new]
    pairs = [(mark, other) for mark, other in zip(lost, extra, strict=False) if mark in absent or other in new]
    messages = [f"{mark.shown} → {other.shown}: {_DIFFERS[kind]}" for mark, other in pairs]
    paired = {id(mark) for pair in pairs for mark in pair}
    if bound or kind == "body":
        messages += [f"{mark.shown}: missing in the translation" for mark in absent if id(mark) not in paired]
    new = [mark for mark in new if id(mark) not in paired]
    if kind == "body":
        messages += [f"{mark.shown}: not in the source (a dose per body weight)" for mark in new]
    if kind == "frequency" and added:  # how often per dose ("每次服用2片") is no frequency of its own
        messages += [f"{mark.shown}: a frequency the source does not have" for mark in new if mark.value != "dose"]
    return messages


def _adds_frequency(comparison: Comparison, source_marks: tuple[Mark, ...]) -> bool:
    """Whether a frequency the translation adds is an error: the source gives a dose, and no time of day, clock
    time, meal or period a translation may render as one ("Take a single dose of 3 g" → "… 3 g al día", but "in
    the morning" → "每天早上", "in 24 hours" → "par 24 heures")."""
    if not any(q.unit and unit_vocabulary.KINDS[q.unit] != "time" for q in comparison.source):
        return False
    if any(q.unit and unit_vocabulary.KINDS[q.unit] == "time" and not q.optional for q in comparison.source):
        return False
    if comparison.same or comparison.changed or comparison.missing:
        return False
    return all(mark.kind in {"frequency", "body"} for mark in source_marks)


def _doses_by_time(text: str, language: str, found: tuple[Mark, ...], *, source: bool) -> dict[Decimal, set[str]]:
    """Each dose of a sentence that gives two or more, with the times of day bound to it: the nearest dose in the
    same clause ("2 tablets in the morning and 1 at night", "早上2片，晚上1片"); a time as near to two is left out."""
    read = reading_of(text, language, source=source)
    doses = [q for q in read.quantities if not q.unit or unit_vocabulary.KINDS[q.unit] != "time"]
    times = [mark for mark in found if mark.kind == "time of day" and mark.sure]
    if len(doses) < 2 or len(times) < 2:
        return {}
    lowered = prepared(text)[1]
    breaks = [match.start() for match in _clause_breaks(base_language(language)).finditer(lowered)]
    bound: dict[Decimal, set[str]] = {}
    for mark in times:
        clause = [q for q in doses if not any(min(q.start, mark.start) < cut < max(q.end, mark.end) for cut in breaks)]
        # nearest first, the dose before the time first when as near ("قرصين ليلا وقرصا واحدا صباحا")
        distances = sorted(
            ((max(q.start - mark.end, mark.start - q.end), q.start > mark.start, q) for q in clause),
            key=lambda item: item[:2],
        )
        if distances and (len(distances) == 1 or distances[0][:2] < distances[1][:2]):
            bound.setdefault(distances[0][2].value, set()).add(mark.value)
    return bound


@cache
def _clause_breaks(language: str) -> re.Pattern[str]:
    """Punctuation, and "and" between two doses in languages that write it as a word."""
    joins = vocabulary.AND.get(language, "") if language not in {"ar", "zh", "ja"} else ""
    words = [re.escape(word) for word in joins.split("|") if word]
    return re.compile("|".join([r"[,;:()，；：（）]", *(rf"(?<![^\W\d_]){word}(?![^\W\d_])" for word in words)]))


def _swapped_times(source: dict[Decimal, set[str]], target: dict[Decimal, set[str]]) -> list[str]:
    """Doses whose times of day changed: "2 in the morning, 1 at night" → "2 at night, 1 in the morning"."""
    if len(source) < 2 or len(target) < 2:
        return []

    def meets(offered: set[str], wanted: set[str]) -> bool:
        return any(_covers(other, time) for other in offered for time in wanted)

    changed = [value for value, times in source.items() if value in target and not meets(target[value], times)]
    if (
        len(changed) == 2
        and meets(target[changed[0]], source[changed[1]])
        and meets(target[changed[1]], source[changed[0]])
    ):
        first, second = (f"{value.normalize():f}" for value in changed)
        times = ", ".join(" and ".join(sorted(source[value])) for value in changed)
        return [f"{first}, {second}: the times of day ({times}) are swapped"]
    return [
        f"{value.normalize():f}: {' and '.join(sorted(source[value]))} in the source, "
        f"{' and '.join(sorted(target[value]))} in the translation"
        for value in changed
    ]


def check_schedule(source: str, target: str, context: CheckContext) -> list[str]:
    """Frequency words, times of day and doses per body weight keep their meaning, and so do clock times."""
    comparison = compared(source, target, context.source_language, context.target_language)
    messages = _clock_messages(comparison)
    if _table(base_language(context.target_language)) is None:
        return messages
    source_marks = marks(source, context.source_language, source=True)
    if not source_marks:  # only an added frequency or dose per body weight to look for
        added = _marks(target, context.target_language, _MAIN, False)
        if not added:
            return messages
        adds = any(mark.kind == "frequency" for mark in added) and _adds_frequency(comparison, source_marks)
        for kind in ("frequency", "body"):
            messages += _kind_messages(kind, [], [mark for mark in added if mark.kind == kind], [], added=adds)
        return messages
    meals = any(mark.kind == "meal" for mark in source_marks)
    target_marks = marks(target, context.target_language, meals=meals)
    if base_language(context.source_language) != base_language(context.target_language) and not all(
        any(_covers(other.value, mark.value) for other in target_marks) for mark in source_marks
    ):
        target_marks += marks(target, context.source_language, meals=meals)
    bound = any(q.unit and unit_vocabulary.KINDS[q.unit] != "time" for q in comparison.source)
    clocks = [b for _, b in (*comparison.same, *comparison.changed)]
    clocks += [time for time in reading(target, context.target_language).clocks if time.sure]
    messages += _swapped_times(
        _doses_by_time(source, context.source_language, source_marks, source=True),
        _doses_by_time(target, context.target_language, target_marks, source=False),
    )
    present = {mark.kind for mark in (*source_marks, *target_marks)}
    adds = _adds_frequency(comparison, source_marks)
    for kind in (kind for kind in _KINDS if kind in present):
        wanted = [mark for mark in source_marks if mark.kind == kind]
        offered = [mark for mark in target_marks if mark.kind == kind]
        messages += _kind_messages(kind, wanted, offered, clocks, bound=bound, added=adds)
    return messages
