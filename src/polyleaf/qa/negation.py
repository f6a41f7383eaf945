"""Negations compared between source and translation: "Do not take with alcohol" → "Take with alcohol" is an error,
and so is a negation the translation adds.

A negation that belongs to a bound ("do not take more than 4 g", "не более 20 мг", "不超过") is the quantity checks'
business and is left out here, with or without its number ("Not for children under 12" keeps its "not"). Either
side may say "not" in other words: a lost negation is reported only when the translation has none of the
language's negative words (avoid, without, only…: ``vocabulary.NEGATIVE_WORDS``), an added one only when the source
has none ("unclear" may become "n'est pas claire"). Words left in the source language keep their negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from polyleaf.qa import vocabulary
from polyleaf.qa.model import CheckContext
from polyleaf.qa.phrases import Phrase, Table, compile_table
from polyleaf.qa.text import base_language, prepared

_CLAUSE_END = re.compile(r"[.;:!?()\[\]\"“”«»，。；：！？、（）,]")
_WORD = re.compile(r"[^\W\d_]+")
_PROHIBITION_REACH = 12  # characters: "请勿在一天内服用超过" (a ``+`` negation in Chinese)
_NEAR = 2  # characters between a plain Chinese negation and a bound: "不超过", "不要超过", not "不适用于超过"
_ONLY_REACH = 5  # words between a negation and the word that makes it "only": "لا يقدم إلا"


@dataclass(frozen=True, slots=True)
class _Tables:
    words: Table  # negations ("strict") and the other negative words ("other")
    bounds: Table
    restrictive: Table
    cjk: bool


@cache
def _tables(language: str) -> _Tables | None:
    strict = vocabulary.NEGATIONS.get(language)
    if strict is None:
        return None
    cjk = language in {"zh", "ja"}
    arabic = language == "ar"
    words = {"strict": strict, "other": vocabulary.NEGATIVE_WORDS.get(language, "")}
    bounds = {role: vocabulary.CUES.get(language, {}).get(role, "") for role in ("max", "min", "more")}
    return _Tables(
        compile_table(words, edges=not cjk, arabic=arabic),
        compile_table(bounds, edges=not cjk, arabic=arabic),
        compile_table({"only": vocabulary.RESTRICTIVE.get(language, "")}, edges=not cjk, arabic=arabic),
        cjk,
    )


def _clause_start(lowered: str, position: int) -> int:
    start = 0
    for match in _CLAUSE_END.finditer(lowered, 0, position):
        start = match.end()
    return start


def _apart(lowered: str, end: int, position: int, tables: _Tables) -> int | None:
    """How far what ends at ``end`` is from ``position`` (characters in Chinese, else words); None if either side
    of a clause break or in the wrong order."""
    if end > position or _clause_start(lowered, position) > end:
        return None
    gap = lowered[end:position]
    return len(gap.strip()) if tables.cjk else len(_WORD.findall(gap))


def _governs(lowered: str, phrase: Phrase, position: int, tables: _Tables) -> bool:
    """Whether a negation makes the "more than" at ``position`` an upper bound: among the two words before it, or in
    Chinese right before it, or anywhere before it in the clause for a prohibition (请勿)."""
    apart = _apart(lowered, phrase.end, position, tables)
    if apart is None:
        return False
    if tables.cjk:
        return apart <= _PROHIBITION_REACH if phrase.tag == "+" else position - phrase.start <= _NEAR + 1
    return apart <= 1


def negated_before(lowered: str, position: int, language: str) -> bool:
    """Whether a negation makes the "more than" at ``position`` an upper bound ("do not take more than")."""
    tables = _tables(language)
    if tables is None:
        return False
    start = max(_clause_start(lowered, position), position - 60)
    return any(
        _governs(lowered, replace(phrase, start=start + phrase.start, end=start + phrase.end), position, tables)
        for phrase in tables.words.find(lowered[start:position])
        if phrase.value == "strict"
    )


@dataclass(frozen=True, slots=True)
class _Negative:
    """A negative word of a text, and what the rest of the sentence makes of it."""

    phrase: Phrase
    strict: bool  # a negation, not just a negative word ("not", not "avoid")
    bound: bool  # part of a bound ("do not take more than")
    only: bool  # means "only" ("لا … إلا")


@lru_cache(maxsize=8192)
def _read(text: str, language: str) -> tuple[_Negative, ...]:
    tables = _tables(language)
    if tables is None:
        return ()
    lowered = prepared(text)[1]
    found = tables.words.find(lowered)
    if not found:
        return ()
    bounds = tables.bounds.find(lowered)
    bound = [any(_binds(lowered, cue, phrase, tables) for cue in bounds) for phrase in found]
    for index in range(1, len(found)):  # "ne prenez pas plus de": "ne" goes with its "pas"
        if bound[index] and _apart(lowered, found[index - 1].end, found[index].start, tables) in {0, 1}:
            bound[index - 1] = True
    restrictive = tables.restrictive.find(lowered)
    return tuple(
        _Negative(
            phrase,
            phrase.value == "strict",
            belongs,
            any(_only(lowered, phrase, only.start, tables) for only in restrictive),
        )
        for phrase, belongs in zip(found, bound, strict=True)
    )


def negations(text: str, language: str, *, broad: bool) -> list[Phrase]:
    """The negations of ``text`` that belong to no bound; ``broad`` adds the other negative words, and negations
    that mean "only" ("لا … إلا")."""
    return [
        negative.phrase
        for negative in _read(text, base_language(language))
        if not negative.bound and (broad or (negative.strict and not negative.only))
    ]


def _binds(lowered: str, bound: Phrase, phrase: Phrase, tables: _Tables) -> bool:
    """Whether a negation belongs to a bound: in it ("no more than", "не более"), governing it ("do not exceed"),
    or the rest of a negation that governs it ("ne dépassez pas")."""
    if bound.start <= phrase.start and phrase.end <= bound.end:
        return True
    if bound.value != "more":
        return False
    after = _apart(lowered, bound.end, phrase.start, tables)
    return _governs(lowered, phrase, bound.start, tables) or (after is not None and after <= (0 if tables.cjk else 1))


def _only(lowered: str, phrase: Phrase, position: int, tables: _Tables) -> bool:
    apart = _apart(lowered, phrase.end, position, tables)
    return apart is not None and apart <= (_PROHIBITION_REACH if tables.cjk else _ONLY_REACH)


def _shown(text: str, phrase: Phrase) -> str:
    """The negation with the word after it ("not take"), for messages."""
    stripped = prepared(text)[0]
    following = _WORD.search(stripped, phrase.end)
    end = following.end() if following and following.start() - phrase.end <= 1 else phrase.end
    return stripped[phrase.start : end]


def check_negation(source: str, target: str, context: CheckContext) -> list[str]:
    """A negation of the source is in the translation, and the translation adds none: "Do not take with alcohol"
    must not become "Take with alcohol", nor "Take with food" "No tome con alimentos"."""
    if (
        _tables(base_language(context.source_language)) is None
        or _tables(base_language(context.target_language)) is None
    ):
        return []
    messages = []
    lost = negations(source, context.source_language, broad=False)
    if lost and not (
        negations(target, context.target_language, broad=True)
        or negations(target, context.source_language, broad=False)
    ):
        messages.append(f"{_shown(source, lost[0])}: the negation is missing in the translation")
    added = negations(target, context.target_language, broad=False)
    if added and not negations(source, context.source_language, broad=True):
        messages.append(f"{_shown(target, added[0])}: a negation the source does not have")
    return messages
