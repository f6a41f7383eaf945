"""Consistency across a language's catalogs: checks that look at every reviewed entry of a language at once.

- ``consistency``: the same English (case and runs of whitespace aside) reviewed to different translations, in one
  document or in several (Weblate calls its check the same);
- ``same-translation``: one translation (case and whitespace aside) reviewed for different English sentences — two
  sentences a reader can no longer tell apart;
- ``term-consistency``: a glossary term with no required translation in the language (the ``glossary`` check
  enforces those) translated two ways. How a term is translated is what a reviewed entry whose English is the term
  alone says (a heading, a table cell, a label); a reviewed sentence that mentions the term but has none of its
  translations (compared loosely, so an inflected form still counts) is reported.

Each finding is one diagnostic, at the first place it concerns, naming every place ``path:line``. A reviewer who
means an entry to differ waives the check on it, as any other check (``# ignore-consistency: reason``): the entry
is then left out of the comparison, and a finding that only it caused is reported as waived.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from polyleaf.po.pocomments import short_hash
from polyleaf.qa.model import Diagnostic, Severity
from polyleaf.qa.waivers import Waivers
from polyleaf.terms import mentions


@dataclass(frozen=True, slots=True)
class ConsistencyCheck:
    """A check over all reviewed entries of a language: its id (what a waiver names), severity, and what it
    checks."""

    id: str
    severity: Severity
    explanation: str


CONSISTENCY = ConsistencyCheck(
    "consistency", "warning", "The same English is reviewed to the same translation everywhere in a language."
)
SAME_TRANSLATION = ConsistencyCheck(
    "same-translation", "warning", "Different English sentences are not reviewed to one translation."
)
TERM_CONSISTENCY = ConsistencyCheck(
    "term-consistency", "warning", "A glossary term is translated the same way in every reviewed sentence."
)
CONSISTENCY_CHECKS = (CONSISTENCY, SAME_TRANSLATION, TERM_CONSISTENCY)
#: How alike (rapidfuzz ``partial_ratio``) a translation's words must be to a term's translation to count as using it.
_TERM_LIKENESS = 85


@dataclass(frozen=True, slots=True)
class Place:
    """A reviewed entry as the consistency checks see it; ``markers`` are its QA markers (``waivers.markers_of``)."""

    path: Path
    line: int
    msgid: str
    msgstr: str
    msgctxt: str | None = None
    markers: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return f"{self.path.as_posix()}:{self.line}"

    def waives(self, check: str) -> bool:
        """Whether a waiver of ``check`` on this entry holds: not bound yet, or bound to its English and
        translation (an edit of either re-opens it, as with every waiver)."""
        waivers = Waivers.of(self.markers)
        binding = (short_hash(self.msgid), short_hash(self.msgstr))
        return check in waivers.fresh or any(
            (english, text) == binding for english, text, _ in waivers.bound.get(check, ())
        )


def normalized(text: str) -> str:
    """``text`` as the checks compare it: case and runs of whitespace aside."""
    return " ".join(text.split()).casefold()


def consistency_diagnostics(places: Sequence[Place], terms: Iterable[str] = ()) -> list[Diagnostic]:
    """Every consistency finding among the reviewed entries ``places`` of one language; ``terms``: the glossary
    terms that have no required translation in it."""
    terms = list(dict.fromkeys(terms))
    alone: dict[str, list[Place]] = {}  # entries by their English as a term would be written alone
    for place in places if terms else ():
        alone.setdefault(_bare(place.msgid), []).append(place)
    return [
        *_grouped(places, CONSISTENCY, lambda place: (place.msgctxt, normalized(place.msgid)), _translations_of),
        *_grouped(places, SAME_TRANSLATION, lambda place: (place.msgctxt, normalized(place.msgstr)), _englishes_of),
        *(found for term in terms for found in _term(places, term, alone.get(_bare(term), []))),
    ]


def _bare(text: str) -> str:
    """``text`` normalized, without the punctuation and emphasis a heading or label may put around a term."""
    return normalized(text).strip(" .:*_")


def _grouped(
    places: Sequence[Place],
    check: ConsistencyCheck,
    key: Callable[[Place], object],
    describe: Callable[[Mapping[str, list[Place]]], str],
) -> list[Diagnostic]:
    """A finding for each group of places with the same ``key`` whose other side differs (``describe`` says how)."""
    groups: dict[object, list[Place]] = {}
    for place in places:
        groups.setdefault(key(place), []).append(place)
    other = _translation if check is CONSISTENCY else _english
    found = []
    for members in groups.values():
        if len(members) < 2:
            continue  # one place has one other side: most of a library's groups
        sides = _sides(members, other)
        if len(sides) < 2:
            continue
        kept = _sides([place for place in members if not place.waives(check.id)], other)
        message = describe(sides if len(kept) < 2 else kept)
        first = members[0] if len(kept) < 2 else next(iter(kept.values()))[0]
        found.append(_diagnostic(first, check, message, waived=len(kept) < 2))
    return found


def _translation(place: Place) -> str:
    return place.msgstr


def _english(place: Place) -> str:
    return place.msgid


def _sides(places: Iterable[Place], side: Callable[[Place], str]) -> dict[str, list[Place]]:
    """Places by the normalized text of their other side, in the order first met."""
    sides: dict[str, list[Place]] = {}
    for place in places:
        sides.setdefault(normalized(side(place)), []).append(place)
    return sides


def _listed(sides: Mapping[str, list[Place]], side: Callable[[Place], str]) -> str:
    return "; ".join(f"“{side(members[0])}” ({', '.join(map(str, members))})" for members in sides.values())


def _translations_of(sides: Mapping[str, list[Place]]) -> str:
    english = next(iter(sides.values()))[0].msgid
    return f"“{english}” is translated {len(sides)} ways: {_listed(sides, _translation)}"


def _englishes_of(sides: Mapping[str, list[Place]]) -> str:
    translation = next(iter(sides.values()))[0].msgstr
    return f"“{translation}” translates {len(sides)} different English sentences: {_listed(sides, _english)}"


def _term(places: Sequence[Place], term: str, alone: Sequence[Place]) -> list[Diagnostic]:
    """The finding for one glossary term: reviewed sentences that mention it without any of its translations (those
    of the entries ``alone`` whose English is the term)."""
    renderings = _sides(alone, _translation)
    if not renderings:
        return []
    using = [_bare(members[0].msgstr) for members in renderings.values()]
    other = [
        place
        for place in places
        if place not in alone
        and mentions(place.msgid, term)
        and not any(fuzz.partial_ratio(rendering, normalized(place.msgstr)) >= _TERM_LIKENESS for rendering in using)
    ]
    if not other:
        return []
    kept = [place for place in other if not place.waives(TERM_CONSISTENCY.id)]
    shown = kept or other
    message = (
        f"glossary term “{term}” is translated {_listed(renderings, _translation)}, but not in "
        f"{', '.join(map(str, shown))}"
    )
    return [_diagnostic(shown[0], TERM_CONSISTENCY, message, waived=not kept)]


def _diagnostic(place: Place, check: ConsistencyCheck, message: str, *, waived: bool) -> Diagnostic:
    severity: Severity = "info" if waived else check.severity
    return Diagnostic(place.path, place.line, severity, check.id, message, place.msgid, waived)
