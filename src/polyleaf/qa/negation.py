"""Negations compared between source and translation: "Do not take with alcohol" → "Take with alcohol" is an error,
and so is a negation the translation adds, or a prohibition lost ("Avoid driving" → "Drive").

A negation that belongs to a bound with a number ("do not take more than 4 g", "не более 20 мг", "不超过") is the
quantity checks' business and is left out here (they report a bound dropped or turned around); one without a number
("do not take more than the prescribed dose") is compared here, as is a negation only near a bound ("Not for children
under 12" keeps its "not"). Either side may say "not" in other words (``NEGATIVE_WORDS`` of ``negation_vocabulary``,
by kind: avoid, stop, without, only, except, persist, other): a lost negation is reported unless the translation has
more words of some kind than the source — a word that renders the negation, "Do not drink alcohol" → "Evite el
alcohol" — and an added one unless the two texts differ in their negative words ("unclear" → "n'est pas claire", "If
symptoms persist" → "Si los síntomas no mejoran", "Take with food" → "No lo tome sin comida"). So "Do not stop …
without" → "Deje de … sin" is a lost negation: the stop and the without are the source's own. Idioms that are not
negations ("Don't forget" is "Remember") and the French and Russian expletive negation ("avant que la douleur ne
devienne", "пока боль не стала") are not counted. Words left in the source language keep their negation. Where the
source negates two things side by side ("Do not take aspirin and do not drink alcohol"), the translation must too
("ni", "ولا", a negation before "or": ``_heads``): "No tome aspirina y beba alcohol" lost one.

Limitations: negative words are counted, not understood. A translation that renders a negation with a word of a
kind the source also has, in another place, is reported ("Do not take unless…" → "Tome solo si… salvo…" is rare);
an added negation is missed when the texts differ in some other negative word ("Take only at night" → "No lo tome
por la noche"); "Пока не принимайте" ("do not take for now") is read as the expletive "пока … не".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from polyleaf.qa import unit_vocabulary
from polyleaf.qa.model import CheckContext
from polyleaf.qa.negation_words import (
    CLAUSE_END,
    FAR,
    NEAR,
    PROHIBITION_REACH,
    STRICT,
    WORD,
    Tables,
    governs,
    language_tables,
    negates,
    separation,
    turnable,
)
from polyleaf.qa.phrases import Phrase
from polyleaf.qa.quantities import reading_of
from polyleaf.qa.text import SOURCE_SENTENCES_KEPT, base_language, prepared

_ONLY_REACH = 5  # words between a negation and the word that makes it "only": "لا يقدم إلا"
_EXPLETIVE_REACH = 4  # words between "avant que" and its expletive "ne"
_INSIDE, _TURNED, _DURATION = "inside", "turned", "duration"  # what a bound does to the negations around it
_SENTENCE_BREAK = re.compile(r"[.;:!?()\[\]\"“”«»。；：！？（）]")  # a clause end but the comma


@dataclass(frozen=True, slots=True)
class _Negative:
    """A negative word of a text, and what the rest of the sentence makes of it."""

    phrase: Phrase
    kind: str  # STRICT for a negation ("not"), else the kind of negative word ("avoid", "without"…)
    bound: str  # NEAR: part of a bound with a number ("do not take more than 4 g"), FAR: perhaps, "": not
    only: bool  # means "only" ("لا … إلا"), or is expletive ("avant que … ne")


@lru_cache(maxsize=8192)
def _read(text: str, language: str, source: bool) -> tuple[_Negative, ...]:
    """The negative words of ``text``; ``source``: a source sentence (its quantities read once for all languages)."""
    tables = language_tables(language)
    if tables is None:
        return ()
    lowered = prepared(text)[1]
    found = tables.words.find(lowered)
    if not found:
        return ()
    bounds = [
        (cue, reach)
        for cue in tables.bounds.find(lowered)
        if (reach := _bounding(text, language, lowered, cue, source))
    ]
    bound = [
        max((_binds(lowered, cue, phrase, tables, reach) for cue, reach in bounds), key=_RANK.__getitem__, default="")
        for phrase in found
    ]
    for index in range(1, len(found)):  # "ne prenez pas plus de": "ne" goes with its "pas"
        if bound[index] and separation(lowered, found[index - 1].end, found[index].start, tables) in {0, 1}:
            bound[index - 1] = max(bound[index - 1], bound[index], key=_RANK.__getitem__)
    strict = any(phrase.value == STRICT for phrase in found)  # only a negation can mean "only" or be expletive
    restrictive = tables.restrictive.find(lowered) if strict else []
    expletive = tables.expletive.find(lowered) if strict and tables.expletive else []
    return tuple(
        _Negative(
            phrase,
            phrase.value,
            belongs,
            phrase.value == STRICT
            and (
                any(_within(lowered, phrase.end, only.start, tables, _ONLY_REACH) for only in restrictive)
                or any(_within(lowered, cue.end, phrase.start, tables, _EXPLETIVE_REACH) for cue in expletive)
            ),
        )
        for phrase, belongs in zip(found, bound, strict=True)
    )


def _bounding(text: str, language: str, lowered: str, cue: Phrase, source: bool) -> str:
    """Which negations a bound ``cue`` takes, where a number follows it in its clause ("more than 4 g", not "more
    than the prescribed dose", which the negation check compares): ``_INSIDE`` those in its words ("no more than",
    "не более", "دون 12" for "under 12"), ``_TURNED`` also one before it that turns it around ("do not take more
    than 4 g": ``turnable``; ``_DURATION`` before a time, "do not use for more than 3 days"), "" none."""
    end = CLAUSE_END.search(lowered, cue.end)
    limit = end.start() if end else len(lowered)
    quantities = reading_of(text, language, source=source).quantities
    following = next((q for q in quantities if cue.end <= q.start < limit), None)
    if following is None:
        return ""
    if negates(lowered[cue.start : cue.end], language) or not turnable(cue.value, following.unit):
        return _INSIDE
    return _DURATION if following.unit and unit_vocabulary.KINDS[following.unit] == "time" else _TURNED


def _kept(text: str, language: str, *, source: bool = False) -> list[_Negative]:
    read = _source_read if source else _read
    return [negative for negative in read(text, base_language(language), source) if negative.bound != NEAR]


#: A source sentence's negations, kept apart from the translations' (``text.SOURCE_SENTENCES_KEPT``).
_source_read = lru_cache(maxsize=SOURCE_SENTENCES_KEPT)(_read.__wrapped__)


def _negations(text: str, language: str) -> list[Phrase]:
    """The negations of ``text`` that belong to no bound with a number, and do not mean "only" ("لا … إلا")."""
    return [negative.phrase for negative in _kept(text, language) if negative.kind == STRICT and not negative.only]


def _binds(lowered: str, bound: Phrase, phrase: Phrase, tables: Tables, reach: str) -> str:
    """Whether a negation belongs to a bound (``NEAR``): in it ("no more than", "не более"), governing it ("do not
    exceed", "do not store above") where the bound may be turned around (``reach``), or the rest of a negation
    that governs it ("ne dépassez pas"); ``FAR`` if it may govern it."""
    if bound.start <= phrase.start and phrase.end <= bound.end:
        return NEAR
    if reach == _INSIDE:
        return ""
    after = separation(lowered, bound.end, phrase.start, tables)
    if after is not None and after <= (0 if tables.cjk else 1):
        return NEAR
    return governs(lowered, phrase, bound.start, tables, duration=reach == _DURATION)


_RANK = {"": 0, FAR: 1, NEAR: 2}
_NONE: Counter[str] = Counter()


def _within(lowered: str, end: int, position: int, tables: Tables, reach: int) -> bool:
    apart = separation(lowered, end, position, tables)
    return apart is not None and apart <= (PROHIBITION_REACH if tables.cjk else reach)


def _shown(text: str, phrase: Phrase) -> str:
    """The negation with the word after it ("not take"), for messages."""
    stripped = prepared(text)[0]
    following = WORD.search(stripped, phrase.end)
    end = following.end() if following and following.start() - phrase.end <= 1 else phrase.end
    return stripped[phrase.start : end]


def _kinds(found: list[_Negative]) -> Counter[str]:
    return Counter(negative.kind for negative in found if negative.kind != STRICT) if found else _NONE


def _heads(text: str, language: str, negations: list[Phrase], *, translation: bool) -> int:
    """How many things ``text`` negates side by side: "Do not take aspirin and do not drink alcohol" two, as "No
    tome aspirina ni beba alcohol" and "لا تتناول الأسبرين ولا تشرب الكحول"; "Ne prenez pas d'aspirine" one. Negations
    are apart when "and", a "nor" or a clause end comes between them. A translation is read generously (a comma
    also parts them, and a negation carries over each "or" after it in its sentence, in Chinese over 和 and 、 too:
    "请勿压碎、咀嚼或掰开"), the source strictly (no comma: "If you cannot swallow, do not crush it" is one), so that
    a count the translation falls short of is a negation it lost."""
    tables = language_tables(base_language(language))
    if tables is None or not negations:
        return 0
    lowered = prepared(text)[1]
    parts = [match.start() for match in (CLAUSE_END if translation else _SENTENCE_BREAK).finditer(lowered)]
    sentences = [match.start() for match in _SENTENCE_BREAK.finditer(lowered)]
    carriers = [match.start() for match in re.finditer("、", lowered)] if translation and tables.cjk else []
    for joint in tables.joints.find(lowered):
        if joint.value == "nor" or (joint.value == "and" and not tables.cjk):
            parts.append(joint.start)
        elif translation:
            carriers.append(joint.start)
    parts.sort()
    first: dict[int, int] = {}  # sentence → where its first negation starts
    for phrase in negations:
        sentence = bisect_right(sentences, phrase.start)
        first[sentence] = min(first.get(sentence, phrase.start), phrase.start)
    carried = sum(first.get(bisect_right(sentences, position), position) < position for position in carriers)
    return len({bisect_right(parts, phrase.start) for phrase in negations}) + carried


def _left_prohibitions(target: str, context: CheckContext) -> int:
    """How many prohibitions ("avoid …") the translation keeps in the source's words (a passage left in English),
    besides those it says in its own."""
    own = [n.phrase for n in _kept(target, context.target_language) if n.kind == "avoid"]
    return sum(
        1
        for n in _kept(target, context.source_language)
        if n.kind == "avoid" and not any(n.phrase.start < p.end and p.start < n.phrase.end for p in own)
    )


def check_negation(source: str, target: str, context: CheckContext) -> list[str]:
    """A negation or prohibition of the source is in the translation, and the translation adds none: "Do not take
    with alcohol" must not become "Take with alcohol", nor "Avoid driving" "Drive", nor "Take with food" "No tome
    con alimentos"."""
    if (
        language_tables(base_language(context.source_language)) is None
        or language_tables(base_language(context.target_language)) is None
    ):
        return []
    source_found = _kept(source, context.source_language, source=True)
    target_found = _kept(target, context.target_language)
    if not source_found and not target_found:
        return []
    source_kinds, target_kinds = _kinds(source_found), _kinds(target_found)
    strict = [n.phrase for n in source_found if n.kind == STRICT and not n.only]
    prohibitions = [n.phrase for n in source_found if n.kind == "avoid"]
    added = [n.phrase for n in target_found if n.kind == STRICT and not n.only and not n.bound]
    messages = []
    present = [n.phrase for n in target_found if n.kind == STRICT and not n.only]
    rendering = sum(max(0, target_kinds[kind] - source_kinds[kind]) for kind in target_kinds)
    left = _negations(target, context.source_language)  # words left in English keep their negation
    if (strict or prohibitions) and not any(n.kind == STRICT for n in target_found) and not left:
        needed = bool(strict) + max(
            0, source_kinds["avoid"] - target_kinds["avoid"] - _left_prohibitions(target, context)
        )
        if rendering < needed:
            lost = strict[0] if strict else prohibitions[0]
            messages.append(f"{_shown(source, lost)}: the negation is missing in the translation")
    elif present:
        english = [p for p in left if not any(p.start < n.end and n.start < p.end for n in present)]
        said = _heads(source, context.source_language, strict, translation=False)
        kept = _heads(target, context.target_language, [*present, *english], translation=True)
        if said - kept > rendering:
            shown = f"{_shown(source, strict[0])} … {_shown(source, strict[-1])}"
            messages.append(f"{shown}: {said} negations in the source, {kept} in the translation")
    if added and not strict and source_kinds == target_kinds:
        messages.append(f"{_shown(target, added[0])}: a negation the source does not have")
    return messages
