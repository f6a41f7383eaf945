"""A run after an edit of some articles does the work of those articles: their catalogs, QA, machine translation
and leaflets in every language, and the pages every document shares (the language indexes, the site index, the
dashboard) from what the last run left of the others (``pipeline.library``) — not the library's work.

It is taken only where it writes exactly what a run over everything writes: the last run went through over
everything (``polyleaf run`` with no selection, a draft) and left its record and library; since then only the text
of existing articles changed (no file added or removed, no PO file, template, output, configuration, glossary,
image or git commit, nor the code, the request or the day: ``RunRecord.changes``); and no catalog of any language
holds translation memory (reviewed text, whose exact and fuzzy matches cross documents). Every other run does all
its work. When the edit would change what the other documents' pages link (a language's font subsets take a new
character), the build does every document (``runner``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from polyleaf.catalog.model import Catalog
from polyleaf.config.model import Config
from polyleaf.formats import SOURCE_SUFFIXES
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.library import Library
from polyleaf.pipeline.run_record import RunRecord


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
    if library is None or any(library.memory(language) for language in config.languages):
        return None
    return tuple(sorted(edited)), library


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


def memory_holders(catalogs: Catalogs, language: str) -> list[str]:
    """The catalogs of ``language`` that hold translation memory: reviewed text, obsolete entries' included."""
    return [name for name, cat in catalogs.of_language(language) if _holds_memory(cat)]


def holds_memory(catalogs: Iterable[Catalog]) -> bool:
    return any(_holds_memory(cat) for cat in catalogs)


def _holds_memory(cat: Catalog) -> bool:
    return bool(cat.memory()) or any(translation.reviewed for translation in cat.translations().values())
