"""Fuzzy translation memory: for a sentence nobody reviewed yet, the most similar sentences a translator reviewed.

Similarity is rapidfuzz's normalized InDel similarity of the two English sentences (``fuzz.ratio``: 100 % the same,
87 % one word of a dozen different), the measure CAT tools show. Comparing every sentence with every reviewed one
would grow with their product; ``FuzzyIndex`` reads only what a sentence's own words lead to instead. Each reviewed
sentence is indexed under its words (cut to their first letters, so "tablet" finds "tablets") and numbers; a
lookup gathers the reviewed sentences that share the sentence's rarest words (a bounded number of postings: the
cost of a lookup does not grow with the memory), ranks them by what they share, rare words weighing more (inverse
document frequency, with numpy), and scores only the best few dozen with rapidfuzz.

``suggestion`` turns the best match into what a translator is offered (``Suggestion``): its translation, adapted
when the sentences differ only in numbers, units or do-not-translate terms (``fuzzy_adapt``), and what differs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from polyleaf.catalog.fuzzy_adapt import Difference, adapt, compare, slot_shape

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from polyleaf.qa.model import CheckContext

#: Index keys are words cut to this many characters (an inflection rarely changes the first four), and numbers.
_KEY_LENGTH = 4
_KEY = re.compile(r"[^\W\d_]+|\d+")
#: A lookup reads the postings of a sentence's keys rarest first, at least two keys, and stops before it has read
#: more than this many: the sentences that share its rarest words are found, a word most of the memory has ("the",
#: "take") is not read, and a lookup costs the same however large the memory grows.
_BUDGET = 8192
#: How many candidates, those that share the most (rarest) keys, are scored with rapidfuzz.
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
    """The distinct index keys of ``text``: its words, lower case, cut to their first letters, and its numbers."""
    return list(dict.fromkeys(word[:_KEY_LENGTH] for word in _KEY.findall(text.casefold())))


class FuzzyIndex:
    """The reviewed sentences of one language, indexed for similarity lookups: for each key, the sentences that
    have it (a numpy array), and its weight (its inverse document frequency: a rare word says more)."""

    def __init__(self, memory: Iterable[Reviewed]) -> None:
        unique: dict[str, Reviewed] = {}
        for item in memory:
            unique.setdefault(item.english, item)  # the first one given: the caller orders memory by preference
        self.memory = list(unique.values())
        self._texts = [item.english for item in self.memory]
        postings: dict[str, list[int]] = {}
        for number, item in enumerate(self.memory):
            for key in _keys(item.english):
                postings.setdefault(key, []).append(number)
        size = len(self.memory)
        self._postings: dict[str, npt.NDArray[np.int32]] = {}
        self._weights = {key: math.log((size + 1) / (len(found) + 0.5)) for key, found in postings.items()}
        #: Each lookup's scores, by sentence: zero but for the sentences a lookup is scoring.
        self._scores: npt.NDArray[np.float64] | None = None
        if postings:  # numpy is imported only for a memory to index (a run of a project without reviews has none)
            import numpy as np

            self._postings = {key: np.asarray(found, dtype=np.int32) for key, found in postings.items()}
            self._scores = np.zeros(size, dtype=np.float64)

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
        """The reviewed sentences whose shared keys weigh the most, at most ``_CANDIDATES``: only the postings of
        ``english``'s rarest keys are read and written (``_scores`` is all zeros between lookups), never the whole
        memory."""
        keys = sorted((key for key in _keys(english) if key in self._postings), key=lambda k: len(self._postings[k]))
        probed: list[str] = []
        read = 0
        for key in keys:
            read += len(self._postings[key])
            if len(probed) >= 2 and read > _BUDGET:
                break
            probed.append(key)
        if not probed:
            return []
        import numpy as np

        assert self._scores is not None, "keys were probed: the memory has postings"
        postings = [self._postings[key] for key in probed]
        numbers = np.concatenate(postings)
        np.add.at(self._scores, numbers, np.repeat([self._weights[key] for key in probed], [len(p) for p in postings]))
        scores = self._scores[numbers]
        self._scores[numbers] = 0.0
        if len(numbers) > 4 * _CANDIDATES:  # the best few dozen, by a partial sort of what was read
            kept = np.argpartition(-scores, 4 * _CANDIDATES)[: 4 * _CANDIDATES]
            numbers, scores = numbers[kept], scores[kept]
        best = sorted(zip((-scores).tolist(), numbers.tolist(), strict=True))
        return list(dict.fromkeys(number for _score, number in best))[:_CANDIDATES]


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
    if not matches:
        return None
    wanted = slot_shape(english, context.dnt_terms)
    for match in matches:
        if slot_shape(match.reviewed.english, context.dnt_terms) == wanted:
            found = offer(english, match, context)
            if found.complete:
                return found
    return offer(english, matches[0], context)


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


#: The QA checks an adaptation must not fail: those that compare what the numbers, units and terms say.
_ADAPTATION_CHECKS = frozenset({"numbers", "units", "quantities", "schedule", "negation", "dnt", "glossary"})


def _new_errors(english: str, adapted: str, reviewed: Reviewed, context: CheckContext) -> set[str]:
    """The QA checks (``_ADAPTATION_CHECKS``) that find a problem in the adapted text and found none in the
    reviewed one."""
    from polyleaf.qa.registry import CHECKS

    checks = [check for check in CHECKS if check.id in _ADAPTATION_CHECKS]
    failing = {check.id for check in checks if check.function(english, adapted, context)}
    return {
        check.id
        for check in checks
        if check.id in failing and not check.function(reviewed.english, reviewed.translation, context)
    }


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
