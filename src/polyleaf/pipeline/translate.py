"""The translate stage: fill empty PO entries from translation memory first, then by machine translation.

Translation memory reuses a reviewed translation of the same text from any catalog of the language; MT then
translates each distinct remaining text once, longest first, in chunks (on worker processes when there are
several: ``translate_task``), each journaled as it comes back (``polyleaf.pipeline.journal``), so an interrupted
run keeps all but the chunks in progress. ``Workspace`` saves the PO files a run works on without overwriting a
translator who saved the same file meanwhile. The MT modules (argos, CTranslate2) are imported inside the
functions that use them.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf import clock
from polyleaf.catalog import merge
from polyleaf.catalog import model as catalog
from polyleaf.catalog.imports import Imported, Outcome, apply_to
from polyleaf.catalog.model import Catalog, Fill
from polyleaf.config.model import Config
from polyleaf.errors import CatalogError
from polyleaf.mt.engine import Recipe
from polyleaf.mt.registry import configured_engine
from polyleaf.pipeline.catalogs import Catalogs, Key
from polyleaf.pipeline.journal import Journal
from polyleaf.pipeline.memory import LanguageMemory
from polyleaf.project import catalog_path

if TYPE_CHECKING:
    from polyleaf.glossary import Glossary
    from polyleaf.mt.engine import Engine
    from polyleaf.mt.run import MtResult

#: The translate stage journals its work after every chunk of this many distinct texts of a language: an interrupted
#: run (Ctrl-C, ``kill -9``, a power cut) loses at most the chunk in progress (one per worker process), and the
#: next run carries on from there. Big enough that the engine still decodes in full token-budget batches.
CHUNK_SEGMENTS = 128


# ----------------------------------------------------------------------------------------------- memory


def memory_fills(catalogs: Catalogs, language: str, memory: LanguageMemory) -> list[Fill]:
    """Translation memory: for every empty entry of ``language``, a reviewed translation of the same msgid (not
    fuzzy: a translator already approved that exact text). Taken from the language's ``memory`` — its catalogs'
    current entries first, then their obsolete ones, then the catalogs of renamed or deleted articles (orphans),
    so a renamed article does not start again from nothing (``pipeline.memory``)."""
    wanted = catalogs.untranslated(language)
    exact = memory.exact()
    return [Fill(msgid, *exact[msgid], fuzzy=False) for msgid in sorted(wanted) if msgid in exact]


def fill_language(catalogs: Catalogs, language: str, fills: Sequence[Fill]) -> int:
    """Put ``fills`` into the empty entries of every catalog of ``language``, and machine translations among them
    beside changed entries as suggestions; how many empty entries were filled."""
    if not any(fill.text for fill in fills):  # nothing to put anywhere: no pass over a library's catalogs
        return 0
    machine = [fill for fill in fills if fill.comment.startswith(catalog.MT_COMMENT)]
    for _, cat in catalogs.of_language(language):
        cat.suggest(machine)
    return sum(cat.fill(fills) for _, cat in catalogs.of_language(language))


# ----------------------------------------------------------------------------------------------- machine translation


def pending_texts(catalogs: Catalogs, language: str) -> list[str]:
    """What machine translation has to do for ``language``: the distinct msgids still empty in some catalog, and
    those of changed entries that have no suggestion for their current English; longest first."""
    return longest_first(catalogs.untranslated(language) | catalogs.unsuggested(language))


def longest_first(texts: Iterable[str]) -> list[str]:
    """Distinct ``texts``, longest first: the engine's own decoding order. Cut into chunks, each chunk then holds
    texts of similar length, so its token-budget batches stay as full as in one pass over everything."""
    return sorted(set(texts), key=lambda text: (-len(text), text))


def chunked(texts: Sequence[str], size: int) -> list[Sequence[str]]:
    """``texts`` cut into consecutive chunks of at most ``size`` (the last one may be smaller)."""
    size = max(1, size)
    return [texts[start : start + size] for start in range(0, len(texts), size)]


def translate_chunks(
    engine: Engine,
    texts: Iterable[str],
    source: str,
    target: str,
    glossary: Glossary,
    *,
    chunk_size: int = CHUNK_SEGMENTS,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[MtResult]]:
    """Machine-translate the distinct ``texts`` (longest first) one chunk at a time, yielding each chunk's
    results as soon as it is done, so the caller can save them before the next chunk starts."""
    from polyleaf.mt.run import machine_translate

    for chunk in chunked(longest_first(texts), chunk_size):
        yield machine_translate(engine, chunk, source, target, glossary, progress=progress)


#: The engine factory of a run: the engines ``[mt] engine`` and ``[mt.languages]`` name, made by the engine
#: registry over the models installed here.
default_engine: Callable[[Config], Engine] = configured_engine


@dataclass(frozen=True, slots=True)
class EngineRecipe:
    """How a worker process makes the run's engine: ``factory(config)``, once per worker process (recipes are
    told apart by ``key`` alone, so a recipe sent again with every task still finds the engine already made)."""

    key: str
    factory: Recipe = field(compare=False)
    config: Config = field(compare=False)


@lru_cache(maxsize=4)
def worker_engine(recipe: EngineRecipe) -> Engine:
    """The engine of ``recipe`` in this worker process: made once, its models loaded once (on first use)."""
    return recipe.factory(recipe.config)


def translate_task(
    engine: Engine | EngineRecipe,
    texts: Sequence[str],
    source: str,
    target: str,
    glossary: Glossary,
    progress: Callable[[int], None] | None = None,
) -> list[MtResult]:
    """One chunk of machine translation, in whichever process runs it (an engine here, a recipe in a worker)."""
    from polyleaf.mt.run import machine_translate

    if isinstance(engine, EngineRecipe):
        engine = worker_engine(engine)
    return machine_translate(engine, texts, source, target, glossary, progress=progress)


def mt_fills(results: Iterable[MtResult]) -> list[Fill]:
    """The fills for machine translations: fuzzy, with the ``# mt:`` provenance comment; empty output fills nothing."""
    return [
        Fill(result.source_text, result.text, f"{catalog.MT_COMMENT} {result.provenance}")
        for result in results
        if result.text.strip()
    ]


# ----------------------------------------------------------------------------------------------- save


#: How often a save may be retried when a translator keeps saving the same PO file while polyleaf writes it.
SAVE_ATTEMPTS = 5


class Workspace:
    """The PO files a run works on, what each held on disk when this run last read or wrote it, and the fills
    and imported translations polyleaf applied, so that every save can protect a translator who saved the same
    file meanwhile.

    Machine translation comes back chunk by chunk (``translated``: journaled, the checkpoint) and goes into the
    catalogs when a language is complete (``finish``: the catalogs filled and saved once, the journal dropped);
    ``replay`` fills in what a killed run journaled.

    ``save`` writes a catalog only when its content changed (dates aside), atomically, and only if the file on
    disk is still what this run last saw (compared just before the replace). If a translator saved it in the
    meantime, their file is re-read and merged again: ``catalog.update`` with the template keeps every one of
    their entries (reviewed, edited, un-fuzzied, commented), the recorded fills go only into entries still
    empty on disk and imported translations are applied again by their rules (``imports.apply``: a translation
    the translator reviewed meanwhile is kept unless the import is final); then the save is tried again. A file
    that no longer parses is not touched: the run stops with its ``path:line: message``.
    """

    def __init__(
        self, config: Config, templates: Mapping[str, Catalog], catalogs: Catalogs, existing: Catalogs
    ) -> None:
        self.config = config
        self.templates = templates
        self.catalogs = catalogs
        #: each PO file as this run last saw it, compressed (a library's PO files are held so): ``seen``
        self.on_disk: dict[Key, bytes | None] = {}
        for key in catalogs:
            self.saw(key, existing.loaded(key))
        #: every fill of the run, by language, kept for re-merges (rare): packed, as a library's are held to the end
        self._fills: dict[str, list[bytes]] = {}
        self._unsaved: dict[str, list[Fill]] = {}
        self._replayed: dict[str, int] = {}
        #: what machine translation has to do per language, as last noted with its catalogs at hand (``pending``)
        self._pending: dict[str, list[str]] = {}
        self.imports: dict[Key, list[Imported]] = {}
        #: What the imports of each catalog did, as last applied (a re-merge applies them again).
        self.outcomes: dict[Key, list[Outcome]] = {}
        self.written: list[Path] = []
        #: the SHA-256 of what the run wrote to each of ``written``, last: a file that holds anything else at the
        #: run's end was saved by someone after that write, unread (``RunRecord.save``)
        self.left: dict[Path, str] = {}
        #: what gives a catalog its QA notes before it is saved (the run sets it): a re-merge gets them too
        self.annotate: Callable[[Catalog, str], None] = lambda cat, language: None

    def fill(self, language: str, fills: Sequence[Fill]) -> int:
        """Fill empty entries of ``language`` and remember the fills for re-merges."""
        self.record(language, fills)
        return fill_language(self.catalogs, language, fills)

    def apply(self, key: Key, imports: Sequence[Imported]) -> list[Outcome]:
        """Apply imported translations to one catalog (``imports.apply``) and remember them for re-merges."""
        self.imports.setdefault(key, []).extend(imports)
        outcomes = apply_to(self.catalogs[key], imports)
        self.outcomes.setdefault(key, []).extend(outcomes)
        return outcomes

    def record(self, language: str, fills: Sequence[Fill]) -> None:
        if fills:
            rows = json.dumps([[fill.msgid, fill.text, fill.comment, fill.fuzzy] for fill in fills], ensure_ascii=False)
            self._fills.setdefault(language, []).append(zlib.compress(rows.encode("utf-8", "surrogatepass"), 1))

    def recorded(self, language: str) -> list[Fill]:
        """Every fill ``record`` kept for ``language``, in order."""
        return [
            Fill(str(msgid), str(text), str(comment), bool(fuzzy))
            for packed in self._fills.get(language, [])
            for msgid, text, comment, fuzzy in json.loads(zlib.decompress(packed).decode("utf-8", "surrogatepass"))
        ]

    def note_pending(self, language: str) -> None:
        """Note what machine translation has to do for ``language`` now, its catalogs just saved and at hand."""
        self._pending[language] = pending_texts(self.catalogs, language)

    def pending(self, language: str) -> list[str]:
        """What machine translation has to do for ``language`` (``pending_texts``): as noted, when its catalogs are
        still exactly what was saved then (a library's catalogs are not all held: this spares reading them again)."""
        noted = self._pending.pop(language, None)
        return (
            noted
            if noted is not None and not self.catalogs.changed(language)
            else pending_texts(self.catalogs, language)
        )

    def journal(self, language: str) -> Journal:
        return Journal(self.config.locales_dir, language)

    def replay(self, language: str) -> int:
        """Fill in the machine translations a killed run journaled for ``language``, as that run would have (only
        into entries still empty), so that they are not translated again; how many entries they filled."""
        filled = self.fill(language, self.journal(language).read())
        self._replayed[language] = filled
        return filled

    def translated(self, language: str, fills: Sequence[Fill]) -> None:
        """A chunk of machine translation is in: journal it (the checkpoint) and keep it for ``finish``."""
        self.journal(language).append(fills)
        self.record(language, fills)
        self._unsaved.setdefault(language, []).extend(fills)

    def finish(self, language: str, annotate: Callable[[str], None], saved: Callable[[str], None]) -> int:
        """All machine translation of ``language`` is in: fill the catalogs once, ``annotate`` them (QA notes: so
        that they are written with the translations, not in a second write), save the language's PO files once
        and tell ``saved``, and drop the journal. How many entries MT filled (journaled by a killed run, or by this
        one). Catalogs it leaves as they were are not passed over again: the run annotated and saved them before."""
        filled = fill_language(self.catalogs, language, self._unsaved.pop(language, []))
        if self.catalogs.changed(language):
            annotate(language)
            self.save_language(language)
            saved(language)
        self.journal(language).remove()
        return filled + self._replayed.pop(language, 0)

    def save_language(self, language: str) -> None:
        for name, _ in self.catalogs.of_language(language):
            self.save((language, name))

    def save(self, key: Key) -> None:
        from polyleaf.fsio import ChangedOnDisk, replace_if_unchanged

        path = catalog_path(self.config, *key)
        for _attempt in range(SAVE_ATTEMPTS):
            data = self.catalogs[key].to_bytes(clock.now())
            previous = self.seen(key)
            if catalog.same_but_dates(data, previous):
                if previous is not None:  # the file holds it: as a file's bytes, the catalog can be let go (Catalogs)
                    self.catalogs[key].saved(previous)
                return
            try:
                replace_if_unchanged(
                    path, data, previous, within=self.config.locales_dir, roots=self.config.write_roots
                )
            except ChangedOnDisk as changed:
                self._remerge(key, changed.current)
                continue
            self.saw(key, data)
            self.catalogs[key].saved(data)
            if path not in self.written:
                self.written.append(path)
            self.left[path] = hashlib.sha256(data).hexdigest()
            return
        raise CatalogError(
            f"the file keeps changing while polyleaf saves it ({SAVE_ATTEMPTS} attempts); run polyleaf again",
            self.config.relative(path),
        )

    def _remerge(self, key: Key, current: bytes | None) -> None:
        """Take the translator's version of the file as the new base and re-apply this run's fills."""
        language, name = key
        path = catalog_path(self.config, language, name)
        theirs = None
        if current is not None:
            try:
                theirs = catalog.parse_po(current, path)
            except CatalogError as error:
                raise CatalogError(
                    f"{error.message} (the file was changed during this run; polyleaf did not overwrite it)",
                    self.config.relative(path),
                    error.line,
                ) from None
        merged = merge.update(self.templates[name], theirs, language, path, self.config.project_name)
        fills = self.recorded(language)
        merged.fill(fills)
        merged.suggest([fill for fill in fills if fill.comment.startswith(catalog.MT_COMMENT)])
        if key in self.imports:
            self.outcomes[key] = apply_to(merged, self.imports[key])
        self.annotate(merged, language)
        self.catalogs[key] = merged
        self.saw(key, current)

    def seen(self, key: Key) -> bytes | None:
        """The PO file of ``key`` as this run last saw it (read or saved); None: there was none."""
        data = self.on_disk[key]
        return None if data is None else zlib.decompress(data)

    def saw(self, key: Key, data: bytes | None) -> None:
        """Remember ``data`` as the PO file of ``key`` as this run last saw it (compressed: a library's worth)."""
        self.on_disk[key] = None if data is None else zlib.compress(data, 1)
