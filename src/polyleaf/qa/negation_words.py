"""The negation words of each language, and how a negation bears on a bound with a number: what the quantity
checks read to see a bound turned around ("do not take more than 4 g") and the negation check builds on.

Kept apart from the negation check (``negation``), which reads quantities (``quantities.reading``) to know which
negations belong to a bound: the quantities need these words, the check needs the quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from polyleaf.qa import negation_vocabulary, unit_vocabulary, vocabulary
from polyleaf.qa.phrases import Phrase, Table, compile_table

CLAUSE_END = re.compile(r"[.;:!?()\[\]\"“”«»，。；：！？、（）,]")
WORD = re.compile(r"[^\W\d_]+")
PROHIBITION_REACH = 12  # characters: "请勿在一天内服用超过" (a ``+`` negation in Chinese)
_NEAR = 2  # characters between a plain Chinese negation and a bound: "不超过", "不要超过", not "不适用于超过"
_GOVERN_REACH = 3  # words between a negation and the "more than" it makes an upper bound: "do not use it for more"
_DURATION_REACH = 4  # the same before a time: "do not use the spray for more than 5 days"
STRICT = "strict"
NEAR, FAR = "near", "far"
_JOINTS = {"and": vocabulary.AND, "or": vocabulary.OR, "nor": negation_vocabulary.NOR}


@dataclass(frozen=True, slots=True)
class Tables:
    """A language's negative words, bound cues and the small words between them, compiled once."""

    words: Table  # negations ("strict") and the other negative words (by kind)
    bounds: Table
    restrictive: Table
    expletive: Table | None
    gap: frozenset[str]  # small words between a negated verb and the "more than" it governs
    joints: Table  # "and", "or" and "nor": what coordinates two negations, or carries one over
    cjk: bool


@cache
def language_tables(language: str) -> Tables | None:
    strict = negation_vocabulary.NEGATIONS.get(language)
    if strict is None:
        return None
    cjk = language in {"zh", "ja"}
    arabic = language == "ar"
    words = {STRICT: strict} | negation_vocabulary.NEGATIVE_WORDS.get(language, {})
    bounds = {role: vocabulary.CUES.get(language, {}).get(role, "") for role in ("max", "min", "more")}
    expletive = negation_vocabulary.EXPLETIVE.get(language)
    return Tables(
        compile_table(words, edges=not cjk, arabic=arabic),
        compile_table(bounds, edges=not cjk, arabic=arabic),
        compile_table({"only": negation_vocabulary.RESTRICTIVE.get(language, "")}, edges=not cjk, arabic=arabic),
        compile_table({"expletive": expletive}, edges=not cjk, arabic=arabic) if expletive else None,
        frozenset(negation_vocabulary.GOVERNED_GAP.get(language, "").split("|")),
        compile_table(
            {joint: table.get(language, "") for joint, table in _JOINTS.items()}, edges=not cjk, arabic=arabic
        ),
        cjk,
    )


def clause_start(lowered: str, position: int) -> int:
    start = 0
    for match in CLAUSE_END.finditer(lowered, 0, position):
        start = match.end()
    return start


def separation(lowered: str, end: int, position: int, tables: Tables) -> int | None:
    """How far what ends at ``end`` is from ``position`` (characters in Chinese, else words); None if either side
    of a clause break or in the wrong order."""
    if end > position or clause_start(lowered, position) > end:
        return None
    gap = lowered[end:position]
    return len(gap.strip()) if tables.cjk else len(WORD.findall(gap))


def governs(lowered: str, phrase: Phrase, position: int, tables: Tables, *, duration: bool = False) -> str:
    """How a negation bears on the "more than" at ``position``: ``NEAR`` makes it an upper bound (a few words
    before it, all but the verb small words: "do not use it for more than", "ne dépassez pas"; before a time, one
    more of each: "do not use the spray for more than 5 days"; in Chinese right before it, or a prohibition anywhere
    before it in the clause, 请勿), ``FAR`` may or may not ("no conservar a temperatura superior a 25 °C"), ""
    does not."""
    apart = separation(lowered, phrase.end, position, tables)
    if apart is None:
        return ""
    if tables.cjk:
        near = apart <= PROHIBITION_REACH if phrase.tag == "+" else position - phrase.start <= _NEAR + 1
    else:
        gap = WORD.findall(lowered[phrase.end : position])
        reach, content = (_DURATION_REACH, 2) if duration else (_GOVERN_REACH, 1)
        near = apart <= reach and sum(word not in tables.gap for word in gap) <= content
    return NEAR if near else FAR


def negated_before(lowered: str, position: int, language: str, *, duration: bool = False) -> str:
    """Whether a negation makes the "more than" at ``position`` an upper bound ("do not take more than"): ``NEAR``
    if it does, ``FAR`` if a negation earlier in the clause may, "" if none; ``duration`` for a time."""
    tables = language_tables(language)
    if tables is None:
        return ""
    start = max(clause_start(lowered, position), position - 60)
    found = {
        governs(
            lowered,
            replace(phrase, start=start + phrase.start, end=start + phrase.end),
            position,
            tables,
            duration=duration,
        )
        for phrase in tables.words.find(lowered[start:position])
        if phrase.value == STRICT
    }
    return NEAR if NEAR in found else FAR if FAR in found else ""


def turnable(role: str, unit: str | None) -> bool:
    """Whether a negation before a bound of ``role`` ("more", "min", "max") on a number of ``unit`` turns it around:
    "do not take more than 4 g", "do not use for more than 3 days", "do not store above 25 °C", "не принимайте
    менее 2 таблеток". Not an age ("ne convient pas aux enfants de plus de 12 ans": who, not how much), nor at
    least or at most a time ("do not drive for at least 24 hours" stays a lower bound)."""
    if unit == "year":
        return False
    return role == "more" or (role in {"min", "max"} and (unit is None or unit_vocabulary.KINDS[unit] != "time"))


@lru_cache(maxsize=1024)
def negates(cue: str, language: str) -> bool:
    """Whether a bound's own words have a negation: "no more than", "pas plus de", "не более", "不超过"."""
    tables = language_tables(language)
    return tables is not None and any(phrase.value == STRICT for phrase in tables.words.find(cue))
