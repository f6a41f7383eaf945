"""Fuzzy translation memory: for a sentence nobody reviewed yet, the most similar sentences a translator reviewed.

Similarity is rapidfuzz's normalized InDel similarity of the two English sentences (``fuzz.ratio``: 100 % the same,
87 % one word of a dozen different), the measure CAT tools show. Comparing every sentence with every reviewed one
would grow with their product; ``FuzzyIndex`` keeps a lookup near constant instead. Each reviewed sentence is
indexed under its words (cut to their first letters, so "tablet" finds "tablets"; numbers left out, since they are
what changes most); a lookup collects the reviewed sentences that share the rarest words of the sentence — as many
words as a sentence similar enough must share at least one of (prefix filtering, as in set-similarity joins) —
keeps those that share the most, and scores only them with rapidfuzz.

``suggestion`` turns the best match into what a translator is offered (``Suggestion``): its translation, adapted
when the sentences differ only in numbers, units or do-not-translate terms (``fuzzy_adapt``), and what differs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from polyleaf.fuzzy_adapt import Difference, adapt, compare

if TYPE_CHECKING:
    from polyleaf.qa import CheckContext

#: Index keys are words cut to this many characters (an inflection rarely changes the first four).
_KEY_LENGTH = 4
_WORD = re.compile(r"[^\W\d_]+")
#: Share of a sentence's distinct keys a match must share at least (a looser bound than the similarity asked for:
#: a sentence 75 % alike can differ in many short words).
_SHARED = 0.4
#: How many candidates, those sharing the most keys, are scored with rapidfuzz.
_CANDIDATES = 48
#: How many of the best-scored matches are compared word by word for an adaptable one.
_COMPARED = 4


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A reviewed translation in memory: its English, its text, and the catalog it was reviewed in."""

    english: str
    translation: str
    catalog: str


@dataclass(frozen=True, slots=True)
class Match:
    """A reviewed sentence similar to the one looked up, and how similar (percent, rounded down)."""

    reviewed: Reviewed
    similarity: int


def _keys(text: str) -> list[str]:
    """The distinct index keys of ``text``: its words, lower case, cut to their first letters."""
    return list(dict.fromkeys(word[:_KEY_LENGTH] for word in _WORD.findall(text.casefold())))


class FuzzyIndex:
    """The reviewed sentences of one language, indexed for similarity lookups."""

    def __init__(self, memory: Iterable[Reviewed]) -> None:
        unique: dict[str, Reviewed] = {}
        for item in memory:
            unique.setdefault(item.english, item)  # the first one given: the caller orders memory by preference
        self.memory = list(unique.values())
        self._texts = [item.english for item in self.memory]
        self._postings: dict[str, list[int]] = {}
        for number, item in enumerate(self.memory):
            for key in _keys(item.english):
                self._postings.setdefault(key, []).append(number)

    def __len__(self) -> int:
        return len(self.memory)

    def matches(self, english: str, least: float, limit: int = _COMPARED) -> list[Match]:
        """Up to ``limit`` reviewed sentences at least ``least`` % similar to ``english``, most similar first (then
        in memory order)."""
        candidates = self._candidates(english)
        if not candidates:
            return []
        found = process.extract(
            english,
            [self._texts[number] for number in candidates],
            scorer=fuzz.ratio,
            score_cutoff=least,
            limit=limit,
        )
        ranked = sorted(found, key=lambda item: (-item[1], candidates[item[2]]))
        return [Match(self.memory[candidates[index]], int(score)) for _text, score, index in ranked]

    def _candidates(self, english: str) -> list[int]:
        """The reviewed sentences that share the most of ``english``'s rarest keys, at most ``_CANDIDATES``."""
        keys = sorted((key for key in _keys(english) if key in self._postings), key=lambda k: len(self._postings[k]))
        if not keys:
            return []
        probed = len(keys) - math.ceil(_SHARED * len(keys)) + 1
        counts: Counter[int] = Counter()
        for key in keys[:probed]:
            counts.update(self._postings[key])
        return [number for number, _count in counts.most_common(_CANDIDATES)]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What a translator is offered for an unreviewed sentence: a reviewed translation of a similar sentence,
    ``adapted`` to this one's numbers, units and do-not-translate terms where they differ."""

    text: str
    similarity: int
    catalog: str
    match_english: str
    differences: tuple[Difference, ...]
    adapted: bool = False

    @property
    def complete(self) -> bool:
        """Whether it says what this English says: the same English, or one whose every difference was adapted.
        Only such a suggestion can stand in a draft for machine translation (``tmcomments.draft_translations``)."""
        return all(difference.slot for difference in self.differences) and (self.adapted or not self.differences)


def suggestion(english: str, index: FuzzyIndex, least: float, context: CheckContext) -> Suggestion | None:
    """The best suggestion for ``english``: the first of the most similar matches that says what it says once
    adapted, else the most similar one (adapted where it can be, its differences listed). None below ``least``."""
    matches = index.matches(english, least)
    offered = [offer(english, match, context) for match in matches]
    return next((found for found in offered if found.complete), offered[0] if offered else None)


def offer(english: str, match: Match, context: CheckContext) -> Suggestion:
    """``match`` as a suggestion for ``english``: adapted to its numbers, units and terms when they can be placed
    and the adapted text passes the QA checks that compare it with ``english`` as well as the reviewed text passed
    them with its own."""
    reviewed = match.reviewed
    comparison = compare(english, reviewed.english, context.dnt_terms)
    languages = (context.source_language, context.target_language)
    adapted = adapt(reviewed.translation, comparison, reviewed.english, languages, context.dnt_terms)
    if adapted is not None and _new_errors(english, adapted, reviewed, context):
        adapted = None
    return Suggestion(
        adapted if adapted is not None else reviewed.translation,
        match.similarity,
        reviewed.catalog,
        reviewed.english,
        comparison.differences,
        adapted is not None,
    )


def _new_errors(english: str, adapted: str, reviewed: Reviewed, context: CheckContext) -> set[str]:
    """The QA checks that find an error in the adapted text and found none in the reviewed one."""
    from polyleaf import qa

    def errors(source: str, target: str) -> set[str]:
        return {
            found.check for found in qa.check_entry(source, target, context, fuzzy=False) if found.severity == "error"
        }

    return errors(english, adapted) - errors(reviewed.english, reviewed.translation)


def suggestions(
    englishes: Sequence[str], index: FuzzyIndex, least: float, context: CheckContext
) -> dict[str, Suggestion]:
    """The suggestion for each distinct English of ``englishes`` that has one."""
    found: dict[str, Suggestion] = {}
    for english in dict.fromkeys(englishes):
        offered = suggestion(english, index, least, context)
        if offered is not None:
            found[english] = offered
    return found
