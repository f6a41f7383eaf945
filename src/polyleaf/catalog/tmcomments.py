"""Translation memory in PO files: fuzzy suggestions as translator comments, what a draft shows, and where a
reviewed translation came from.

A suggestion is two translator comments, which Poedit, Lokalize and Weblate show beside the entry::

    # tm-suggestion (92 %, knee-pain, adapted, for 3f2a9c1b, text 9e8d7c6b): Tome 500 mg cada 8 horas.
    # tm-match (for 3f2a9c1b, text 0c4d1e2f): “Take 400 mg every 6 hours.” adapted: 400 → 500, 6 → 8

the reviewed translation offered, how similar its English is, the catalog it was reviewed in, and that English with
what differs. Numbers, units and do-not-translate terms that differ are replaced in the suggestion where its
translator wrote them (``fuzzy_adapt``): ``adapted`` when nothing else differs, ``partly adapted`` when words
differ too (``“naproxen” → “paracetamol”``: those are the translator's to change). Like ``# mt-suggestion``
(``suggestions``), each line is bound by a hash to the English it was made for and carries the hash of its own text, so
it is read back whole after an editor wrapped it (``pocomments``) and never shown for English it was not made for.
They are never the msgstr and never mark anything reviewed.

**What a draft shows** (``draft_translations``), best evidence first: a reviewed translation; then a suggestion from
memory that says what this English says — the same English reviewed elsewhere, or a match whose every difference was
adapted and passed QA (``Suggestion.complete``): a translator's wording with the numbers and terms of this
sentence; then the machine translation of this English; then the English. A suggestion that still differs in words
(another drug, another body part) is never shown: machine translation of the right sentence is better evidence
than a human translation of another one.

**Where a reviewed translation came from** (``origin``): a translator who reviews an entry keeps its translator
comments (Poedit, Lokalize and Weblate do). A reviewed entry whose text is at least as similar to its memory
suggestion as the configured minimum came from fuzzy memory: the next run replaces the suggestion by the
provenance line ``# tm: reviewed from a fuzzy match (92 %, knee-pain)``. Else a ``# tm:`` line (filled from
exact memory, imported) makes it exact memory, a ``# mt:`` line machine translation; an entry with neither was
translated from scratch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from polyleaf.catalog.model import MT_COMMENT, TM_COMMENT, Catalog, EntryState, Translation, count_words
from polyleaf.catalog.notes import split_notes
from polyleaf.po import pofile
from polyleaf.po.pocomments import short_hash, unwrapped

if TYPE_CHECKING:
    from polyleaf.catalog.fuzzy_memory import Suggestion

SUGGESTION = "tm-suggestion"
MATCH = "tm-match"
#: The provenance line of an entry reviewed from a fuzzy suggestion.
FUZZY_PROVENANCE = f"{TM_COMMENT} reviewed from a fuzzy match"
#: Where reviewed words come from, as ``status`` counts them.
ORIGINS = ("exact_tm", "fuzzy_tm", "mt", "scratch")

_TAGGED = re.compile(
    r"(?P<tag>tm-suggestion|tm-match) \((?:(?P<meta>.{0,300}?), )?for (?P<english>[0-9a-f]{8}), "
    r"text (?P<hash>[0-9a-f]{8})\): ",
    re.DOTALL,
)
_META = re.compile(r"(?P<similarity>\d{1,3}) %, (?P<catalog>.*?)(?:, (?P<how>adapted|partly adapted))?")
_STARTS = (f"{SUGGESTION} (", f"{MATCH} (")


@dataclass(frozen=True, slots=True)
class MemorySuggestion:
    """A memory suggestion as read back from an entry's comments."""

    text: str
    similarity: int
    catalog: str
    adapted: bool

    @property
    def complete(self) -> bool:
        """Same English, or every difference adapted: what a draft may show (see the module's docstring)."""
        return self.adapted or self.similarity == 100


@dataclass(frozen=True, slots=True)
class _Tagged:
    tag: str
    meta: str
    english: str
    text: str
    start: int
    lines: int


def suggestion_lines(msgid: str, suggestion: Suggestion) -> tuple[str, ...]:
    """The comment lines of ``suggestion`` for the entry of ``msgid`` (a line of text in it is a line here)."""
    how = (", adapted" if suggestion.complete else ", partly adapted") if suggestion.adapted else ""
    meta = f"{suggestion.similarity} %, {suggestion.catalog}{how}"
    adapted = [str(item) for item in suggestion.differences if item.slot and suggestion.adapted]
    differs = [str(item) for item in suggestion.differences if not (item.slot and suggestion.adapted)]
    said = f"“{suggestion.match_english}”" + (f" differs: {', '.join(differs)}" if differs else "")
    said += f"{';' if differs else ''} adapted: {', '.join(adapted)}" if adapted else ""
    english = short_hash(msgid)
    lines = (
        f"{SUGGESTION} ({meta}, for {english}, text {short_hash(suggestion.text)}): {suggestion.text}",
        f"{MATCH} (for {english}, text {short_hash(said)}): {said}",
    )
    return tuple(pofile.safe_comment(line) for comment in lines for line in comment.split("\n"))


def memory_suggestion(comments: Sequence[str], msgid: str) -> MemorySuggestion | None:
    """The memory suggestion among ``comments`` made for ``msgid`` (None: none, one made for other English, or one
    that cannot be read back whole)."""
    wanted = short_hash(msgid)
    for found in _tagged(comments):
        if found.tag == SUGGESTION and found.english == wanted:
            meta = _META.fullmatch(found.meta)
            if meta is not None:
                adapted = meta["how"] == "adapted"
                return MemorySuggestion(found.text, int(meta["similarity"]), meta["catalog"], adapted)
    return None


def without_memory(comments: Sequence[str]) -> tuple[str, ...]:
    """``comments`` without their memory suggestions, every line of each (one that cannot be read whole: its first
    line)."""
    return _split(comments)[0]


def memory_lines(comments: Sequence[str]) -> tuple[str, ...]:
    """The lines of ``comments`` that are memory suggestions, in order."""
    return _split(comments)[1]


def _split(comments: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    ours = {index for found in _tagged(comments) for index in range(found.start, found.start + found.lines)}
    others = tuple(line for index, line in enumerate(comments) if index not in ours)
    return others, tuple(line for index, line in enumerate(comments) if index in ours)


def _tagged(comments: Sequence[str]) -> list[_Tagged]:
    """Every memory comment, read back whole (joined as an editor may have wrapped it)."""
    found: list[_Tagged] = []
    index = 0
    while index < len(comments):
        line = comments[index]
        if not (line.startswith(_STARTS) or (len(line) > 2 and any(start.startswith(line) for start in _STARTS))):
            index += 1  # not one, nor one a narrow editor broke inside its first words ("tm-", "suggestion (")
            continue
        read = unwrapped(comments, index, _read)
        if read is None:
            found.append(_Tagged("", "", "", "", index, 1))
            index += 1
            continue
        (tag, meta, english, text), lines = read
        if not meta.startswith(TM_COMMENT):  # "tm: imported from FILE": an import's suggestion, not memory's
            found.append(_Tagged(tag, meta, english, text, index, lines))
        index += lines
    return found


def _read(comment: str) -> tuple[str, str, str, str] | None:
    """(tag, meta, English hash, text) of a whole memory comment: its text's hash verifies; None for a part."""
    match = _TAGGED.match(comment)
    if match is None:
        return None
    text = comment[match.end() :]
    text = text[:-1] if text.endswith("\\ ") else text  # pofile.safe_comment's space after a final backslash
    if short_hash(text) != match["hash"]:
        return None
    return match["tag"], match["meta"] or "", match["english"], text


# ----------------------------------------------------------------------------------------------- drafts


def draft_translations(cat: Catalog) -> dict[str, Translation]:
    """``cat.translations()`` with the evidence rule of drafts applied: an unreviewed entry whose memory suggestion
    says what its English says shows that suggestion (a release shows reviewed translations only, whatever this
    holds)."""
    translations = cat.translations()
    for entry in cat.entries():
        if entry.state == "reviewed" or entry.plural:
            continue
        found = memory_suggestion(entry.comments, entry.msgid)
        if found is not None and found.complete:
            translations[entry.msgid] = Translation(found.text, False, entry.line, "machine")
    return translations


# ----------------------------------------------------------------------------------------------- provenance


def origin(entry: EntryState, least: float) -> str:
    """Where a reviewed entry's translation came from, one of ``ORIGINS`` (see the module's docstring)."""
    comments = split_notes(entry.comments)[0]
    if any(line.startswith(FUZZY_PROVENANCE) for line in comments) or _from_suggestion(entry, least) is not None:
        return "fuzzy_tm"
    if any(line.startswith(TM_COMMENT) for line in comments):
        return "exact_tm"
    if any(line.startswith(MT_COMMENT) for line in comments):
        return "mt"
    return "scratch"


def _from_suggestion(entry: EntryState, least: float) -> MemorySuggestion | None:
    """The memory suggestion a reviewed entry's translation was made from: it still carries it, and its text is at
    least ``least`` % like it."""
    found = memory_suggestion(entry.comments, entry.msgid)
    if found is None or fuzz.ratio(found.text, entry.msgstr) < least:
        return None
    return found


def reviewed_provenance(entry: EntryState, least: float) -> tuple[str, ...] | None:
    """The translator comments a reviewed entry keeps: its memory suggestion dropped, and replaced by the provenance
    line when the translator took it (None: nothing to change)."""
    if not _tagged(entry.comments):
        return None
    taken = _from_suggestion(entry, least)
    kept = without_memory(entry.comments)
    if taken is None or any(line.startswith(FUZZY_PROVENANCE) for line in kept):
        return kept
    kept_lines, notes = split_notes(kept)
    line = f"{FUZZY_PROVENANCE} ({taken.similarity} %, {taken.catalog})"
    return (*kept_lines, pofile.safe_comment(line), *notes)


def reviewed_words(cat: Catalog, least: float) -> dict[str, int]:
    """Source words of the reviewed entries of ``cat`` by where their translation came from (``ORIGINS``)."""
    words = dict.fromkeys(ORIGINS, 0)
    for entry in cat.entries():
        if entry.state == "reviewed":
            words[origin(entry, least)] += count_words(entry.msgid)
    return words
