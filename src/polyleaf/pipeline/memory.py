"""A language's translation memory as what each catalog gives it (``Held``), so that a run of some documents
can take the other catalogs' part from what the last run kept (``pipeline.library``) instead of reading them.

Exact memory (``translate.memory_fills``) and fuzzy memory (``fuzzy.suggest_from_memory``) read the same reviewed
text in their own orders: every catalog's reviewed translations (by catalog name), then every catalog's and every
orphan's kept text, obsolete entries' included (``Catalog.memory``). ``LanguageMemory`` holds each catalog's part
and gives both, in those orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from polyleaf.catalog import model as catalog
from polyleaf.catalog.fuzzy_memory import Reviewed
from polyleaf.catalog.imports import vouched
from polyleaf.catalog.model import Catalog
from polyleaf.pipeline.catalogs import Catalogs

Texts = tuple[tuple[str, str, str], ...]
"""(msgid, reviewed text, where it was reviewed: the provenance exact memory gives a fill)"""


@dataclass(frozen=True, slots=True)
class Held:
    """What one catalog gives its language's memory: its reviewed translations (``Catalog.translations``, for
    exact memory), its reviewed entries (msgid and text, for fuzzy memory) and the reviewed text it keeps,
    obsolete entries' included (``Catalog.memory``)."""

    reviewed: Texts = ()
    entries: tuple[tuple[str, str], ...] = ()
    kept: Texts = ()

    def __bool__(self) -> bool:
        return bool(self.reviewed or self.entries or self.kept)

    def to_json(self, name: str) -> list[Any]:
        """Plain JSON, short: a provenance that is the usual one is left out, and so are ``entries`` and ``kept``
        where they say what ``reviewed`` says (a catalog without plurals or obsolete reviewed text)."""
        usual = reviewed_in(name)
        reviewed = [[msgid, text, "" if where == usual else where] for msgid, text, where in self.reviewed]
        entries = None if self.entries == _pairs(self.reviewed) else [list(pair) for pair in self.entries]
        kept = None
        if self.kept != self.reviewed:
            kept = [[msgid, text, "" if where == usual else where] for msgid, text, where in self.kept]
        return [reviewed, entries, kept]

    @classmethod
    def from_json(cls, name: str, stored: Any) -> Held:
        """What ``to_json`` gave; ValueError, TypeError or KeyError when ``stored`` is not that."""
        usual = reviewed_in(name)
        raw_reviewed, raw_entries, raw_kept = stored
        reviewed = tuple((str(msgid), str(text), str(where) or usual) for msgid, text, where in raw_reviewed)
        kept = reviewed
        if raw_kept is not None:
            kept = tuple((str(msgid), str(text), str(where) or usual) for msgid, text, where in raw_kept)
        entries = _pairs(reviewed)
        if raw_entries is not None:
            entries = tuple((str(msgid), str(text)) for msgid, text in raw_entries)
        return cls(reviewed, entries, kept)


def reviewed_in(name: str) -> str:
    """The provenance of a fill from a translation reviewed in catalog ``name``."""
    return f"{catalog.TM_COMMENT} reviewed in {name}.po"


def held(name: str, cat: Catalog) -> Held:
    """What catalog ``name`` gives its language's memory. Text a coordinator imported as reviewed keeps saying so
    (``imports.AS_REVIEWED``) wherever memory copies it: it was never reviewed in this project."""
    reviewed = [(msgid, found.text) for msgid, found in cat.translations().items() if found.reviewed]
    kept = cat.memory()
    if not reviewed and not kept:  # a reviewed entry's text is kept text too
        return Held()
    trusted = vouched(cat.po)
    usual = reviewed_in(name)
    return Held(
        tuple((msgid, text, trusted.get(msgid) or usual) for msgid, text in reviewed),
        tuple((entry.msgid, entry.msgstr) for entry in cat.entries() if entry.state == "reviewed" and not entry.plural),
        tuple((msgid, text, trusted.get(msgid) or usual) for msgid, text in kept.items()),
    )


def _pairs(texts: Texts) -> tuple[tuple[str, str], ...]:
    return tuple((msgid, text) for msgid, text, _where in texts)


@dataclass(frozen=True, slots=True)
class LanguageMemory:
    """One language's memory: each catalog's part (sorted by name), then the orphans' (catalogs of renamed or
    deleted articles, sorted by name)."""

    catalogs: tuple[tuple[str, Held], ...]
    orphans: tuple[tuple[str, Held], ...] = ()

    def exact(self) -> dict[str, tuple[str, str]]:
        """msgid → (reviewed text, provenance): the catalogs' reviewed translations first, then every kept text."""
        memory: dict[str, tuple[str, str]] = {}
        for _name, part in self.catalogs:
            for msgid, text, where in part.reviewed:
                memory.setdefault(msgid, (text, where))
        for _name, part in (*self.catalogs, *self.orphans):
            for msgid, text, where in part.kept:
                memory.setdefault(msgid, (text, where))
        return memory

    def reviewed(self) -> Iterator[Reviewed]:
        """Fuzzy memory's sentences: current reviewed entries first, then kept text (``fuzzy.memory_of``)."""
        every = (*self.catalogs, *self.orphans)
        for name, part in every:
            for msgid, text in part.entries:
                yield Reviewed(msgid, text, name)
        for name, part in every:
            for msgid, text, _where in part.kept:
                yield Reviewed(msgid, text, name)

    def indexed(self) -> list[Reviewed]:
        """What a ``FuzzyIndex`` of this memory is made of: each English once, as first given."""
        unique: dict[str, Reviewed] = {}
        for item in self.reviewed():
            unique.setdefault(item.english, item)
        return list(unique.values())

    def replaced(self, parts: Mapping[str, Held]) -> LanguageMemory:
        """This memory with the catalogs of ``parts`` given those parts."""
        merged = {**dict(self.catalogs), **parts}
        return LanguageMemory(_sorted(merged.items()), self.orphans)


def language_memory(
    catalogs: Catalogs, language: str, orphans: Catalogs | None = None, others: Mapping[str, Held] | None = None
) -> LanguageMemory:
    """The memory of ``language``: its ``catalogs``' parts, ``others`` for catalogs not among them (what the last
    run kept of them), and the ``orphans``'."""
    parts = {**(others or {}), **{name: held(name, cat) for name, cat in catalogs.of_language(language)}}
    orphaned = ((name, held(name, cat)) for name, cat in (orphans or Catalogs()).of_language(language))
    return LanguageMemory(_sorted(parts.items()), _sorted(orphaned))


def _sorted(parts: Iterable[tuple[str, Held]]) -> tuple[tuple[str, Held], ...]:
    """The parts that hold something, by catalog name."""
    return tuple(sorted(((name, part) for name, part in parts if part), key=lambda item: item[0]))
