"""A run after an edit of some articles does the work of those articles: their catalogs, QA, machine translation
and leaflets in every language, and the pages every document shares (the language indexes, the site index, the
dashboard) from what the last run left of the others (``pipeline.library``) — not the library's work.

It is taken only where it writes exactly what a run over everything writes: the last run went through over
everything (``polyleaf run`` with no selection, a draft) and left its record and library; since then only the text
of existing articles changed (no file added or removed, no PO file, template, output, configuration, glossary,
image or git commit, nor the code, the request or the day: ``RunRecord.changes``). That run left nothing for
machine translation to do (no empty entry anywhere), and every PO file is as it left it, so translation memory —
whose exact and fuzzy matches cross documents — is what it kept of each catalog (``pipeline.memory``), with the
edited catalogs' part new. The edited catalogs take their fills and suggestions from that memory; the others are
left alone only when nothing they get from memory changes (``memory_unchanged``), else the run does every
document. When the edit would change what the other documents' pages link (a language's font subsets take a new
character), the build does every document (``runner``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from polyleaf.catalog.model import Catalog, Fill
from polyleaf.config.model import Config
from polyleaf.formats import SOURCE_SUFFIXES
from polyleaf.pipeline.build import Outputs
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.library import Library
from polyleaf.pipeline.memory import Held, held, language_memory
from polyleaf.pipeline.run_record import RunRecord
from polyleaf.pipeline.sources import Selection
from polyleaf.pipeline.translate import memory_fills


def run_record(config: Config, steps: frozenset[str], selection: Selection, outputs: Outputs) -> RunRecord:
    """The record of a run of ``steps`` over ``selection`` that writes ``outputs`` (the fonts of its PDFs among
    its inputs)."""
    pdfs = "build" in steps and "pdf" in (outputs.formats or config.formats)
    return RunRecord(config, (sorted(steps), selection, outputs), pdfs=pdfs)


def edited_documents(config: Config, record: RunRecord) -> tuple[tuple[str, ...], Library] | None:
    """The articles an edit changed since the last run and what that run left of the others, when a run of those
    articles writes what a run of everything would (see the module's docstring); None otherwise."""
    changes = record.changes()
    if changes is None or not changes.paths:
        return None
    source_dir = config.source_dir.absolute()
    edited = []
    for path in changes.paths:
        if path == source_dir:
            continue  # a folder's times change with its entries, which are compared themselves
        if path.parent != source_dir or not _article(config, path) or path not in changes.kept:
            return None
        edited.append(path.stem)
    library = Library.load(config, changes.since)
    if library is None:
        return None
    return tuple(sorted(edited)), library


def memory_unchanged(catalogs: Catalogs, library: Library, languages: Iterable[str], orphans: Catalogs) -> bool:
    """Whether the edited documents' ``catalogs`` (and the shared ones), filled from translation memory, leave
    every other catalog as the last run left it: the sentences fuzzy memory offers are the same (a sentence
    reviewed, gone or taken from another catalog would change every other catalog's suggestions), and none of the
    texts machine translation will take is a changed entry's English elsewhere (which would get the translation as
    a suggestion: ``Catalog.suggest``). The other catalogs have no empty entry (the last run left nothing to
    translate), so exact memory fills nothing of theirs."""
    for language in languages:
        kept = library.memory(language)
        memory = language_memory(catalogs, language, orphans, kept)
        fills = memory_fills(catalogs, language, memory)
        filled = {name: _filled(cat, fills) for name, cat in catalogs.of_language(language)}
        after = memory.replaced({name: held(name, cat) for name, cat in filled.items()})
        before = memory.replaced({name: kept.get(name, Held()) for name in filled})
        if after.indexed() != before.indexed():
            return False
        pending = {msgid for cat in filled.values() for msgid in (*cat.untranslated(), *cat.unsuggested())}
        if pending & library.changed(language, besides=filled):
            return False
    return True


def _filled(cat: Catalog, fills: Sequence[Fill]) -> Catalog:
    """A copy of ``cat`` with ``fills`` in its empty entries (``cat`` is left as it is)."""
    copy = Catalog(cat.po, cat.path)
    copy.fill(fills)
    return copy


def _article(config: Config, path: Path) -> bool:
    """Whether ``path`` is an article's source: a file of a source type directly in ``source_dir``, not hidden,
    not the disclaimer, not a symbolic link."""
    return (
        path.suffix.lower() in SOURCE_SUFFIXES
        and not path.name.startswith(".")
        and path.is_file()
        and not path.is_symlink()
        and path.resolve() != config.disclaimer.resolve()
    )
