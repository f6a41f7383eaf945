"""The first stages, all in memory: parse → extract.

The source articles and the standard disclaimer parsed, and the templates made from them (``catalogs`` reads the
PO files and merges them with these templates). Nothing here writes a file. The other pipeline modules build on
this one, and it imports none of them (no cycles). Where files live is ``polyleaf.project``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from polyleaf import locale
from polyleaf.catalog.model import Catalog, TemplateEntry
from polyleaf.catalog.template import build_template
from polyleaf.clinic import clinic_texts
from polyleaf.config.model import Config
from polyleaf.errors import ConfigError, SourceError
from polyleaf.formats import SOURCE_FORMATS, SOURCE_SUFFIXES
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.project import (
    DISCLAIMER,
    IMAGE_SUFFIXES,
    INTERFACE,
    check_readable,
    name_problem,
    readable_base,
    template_path,
)
from polyleaf.source.document import Document
from polyleaf.source.parse.reading import read_source


@dataclass(frozen=True, slots=True)
class Sources:
    """The parsed source articles and the standard disclaimer."""

    documents: tuple[Document, ...]
    disclaimer: Document


@dataclass(frozen=True, slots=True)
class Selection:
    """What a command works on: languages and documents (empty = all configured)."""

    languages: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def languages_of(self, config: Config) -> tuple[str, ...]:
        if not self.languages:
            return config.languages
        chosen = tuple(locale.normalize(code) for code in self.languages)
        unknown = [code for code in chosen if code not in config.languages]
        if unknown:
            raise ConfigError(
                f"language {unknown[0]!r} is not configured (configured: {', '.join(config.languages)})",
                config.relative(config.config_file),
            )
        return chosen


#: The default of every command: all configured languages, all source documents.
EVERYTHING = Selection()
#: The stages a run does unless told otherwise (``polyleaf run``).
ALL_STEPS = frozenset({"extract", "update", "translate", "build"})
#: The source file types a message names (each format's usual suffix: ".txt or .md").
_SUFFIXES_NAMED = " or ".join(source.suffixes[0] for source in SOURCE_FORMATS)


# ----------------------------------------------------------------------------------------------- parse


def load_sources(config: Config, only: Sequence[str] = (), cache: SegmentCache | None = None) -> Sources:
    """Parse every article in ``source_dir`` (or the ones named in ``only``) and the disclaimer, sentence splits
    answered from the segmentation cache (``cache``: the caller commits what it kept; without one, the cache is
    only read)."""
    if not config.disclaimer.exists():
        raise ConfigError("the standard disclaimer file does not exist", config.relative(config.disclaimer))
    check_readable(config, config.disclaimer, "disclaimer")
    cache = cache or SegmentCache(config)
    disclaimer = _read(config, config.disclaimer, cache, DISCLAIMER)  # a name no article may have
    paths = source_paths(config, only)
    documents = tuple(_read(config, path, cache, path.stem) for path in paths)
    if not only:
        cache.complete()
    return Sources(documents, disclaimer)


def source_paths(config: Config, only: Sequence[str] = ()) -> list[Path]:
    """The article files of ``source_dir`` (all, or those named in ``only``), checked but not read: supported
    type, a usable name, inside the project, one file per name."""
    try:
        found = sorted(_listed(config), key=lambda item: item[0].name)  # one folder's: its names' order
    except OSError as error:
        raise SourceError(
            f"cannot list the source files: {error.strerror or error}", config.relative(config.source_dir)
        ) from None
    paths = [path for path, _real in found]
    base = readable_base(config, "source_dir")
    folders = {real.parent for _path, real in found}
    inside = {folder for folder in folders if folder.is_relative_to(base)}  # each folder looked at once
    for path, real in found:
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            raise SourceError(
                f"unsupported source file type {path.suffix or '(none)'!r} (use {_SUFFIXES_NAMED})",
                config.relative(path),
            )
        problem = name_problem(path.stem)
        if problem:
            raise SourceError(problem, config.relative(path))
        if real.parent not in inside:
            check_readable(config, path, "source_dir")  # it leads outside: says so
    names = [path.stem for path in paths]
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise SourceError(f"two source files share the name {duplicates[0]!r}", config.relative(config.source_dir))
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise ConfigError(f"no source document named {unknown[0]!r} (known: {', '.join(names)})")
        paths = [path for path in paths if path.stem in only]
    return paths


def _listed(config: Config) -> list[tuple[Path, Path]]:
    """The files of ``source_dir`` that may be articles, each with its path resolved: not hidden, not an image nor
    the disclaimer, not a folder (a FIFO or a device is: refused when it is read), not a link that leads nowhere.
    Only a symbolic link is resolved on its own; a file is the resolved folder's (a library has thousands)."""
    folder, disclaimer = config.source_dir.resolve(), config.disclaimer.resolve()
    found = []
    with os.scandir(config.source_dir) as entries:
        for entry in entries:
            path = config.source_dir / entry.name
            if entry.name.startswith(".") or path.suffix.lower() in IMAGE_SUFFIXES:
                continue
            if entry.is_symlink():
                if not path.exists() or path.is_dir():
                    continue
                real = path.resolve()
            elif entry.is_dir(follow_symlinks=False):
                continue
            else:
                real = folder / entry.name
            if real != disclaimer:
                found.append((path, real))
    return found


def shown_paths(config: Config, paths: Sequence[Path]) -> tuple[Path, ...]:
    """``config.relative`` of each of the article ``paths`` (``source_paths``): the source folder's made once, and
    a file's own only for a symbolic link, which ``relative`` resolves."""
    folder = config.relative(config.source_dir)
    return tuple(
        config.relative(path) if path.parent != config.source_dir or path.is_symlink() else folder / path.name
        for path in paths
    )


def _read(config: Config, path: Path, cache: SegmentCache, name: str) -> Document:
    """Parse one source, its sentence splits answered from (and saved to) the segmentation cache as ``name``."""
    splitter, used = cache.splitter(name)
    document = read_source(
        path,
        config.relative(path),
        segmentation=config.segmentation,
        language=config.source_language,
        splitter=splitter,
    )
    cache.keep(name, used)
    return document


def disclaimer_text(document: Document) -> str:
    return " ".join(segment.text for segment in document.segments)


def disclaimer_warnings(sources: Sources) -> list[str]:
    """A document's own disclaimer is replaced by the standard one; say so when the wording differs."""
    standard = _normalized(disclaimer_text(sources.disclaimer))
    warnings = []
    for document in sources.documents:
        for block in document.blocks:
            own = " ".join(segment.text for segment in block.segments)
            if block.is_disclaimer and _normalized(own) != standard:
                warnings.append(
                    f"{document.path}:{block.line}: disclaimer wording differs from the standard one "
                    f"({sources.disclaimer.path}); leaflets use the standard disclaimer"
                )
    return warnings


def _normalized(text: str) -> str:
    return " ".join(text.split()).casefold()


# ----------------------------------------------------------------------------------------------- extract


def template_entries(document: Document, *, skip_disclaimer: bool = True) -> list[TemplateEntry]:
    """One entry per distinct segment text (identical sentences share an entry), in document order.

    A document's disclaimer block is left out: the disclaimer has its own catalog shared by every document.
    """
    references: dict[str, list[tuple[str, int]]] = {}
    comments: dict[str, dict[str, None]] = {}  # each comment once, in order (a sentence may recur thousands of times)
    for block in document.blocks:
        if block.is_disclaimer and skip_disclaimer:
            continue
        for segment in block.segments:
            references.setdefault(segment.text, []).append((document.path.as_posix(), segment.line))
            comments.setdefault(segment.text, {})[document.comment_for(segment)] = None
    return [TemplateEntry(msgid, tuple(refs), tuple(comments[msgid])) for msgid, refs in references.items()]


def interface_entries(config: Config) -> list[TemplateEntry]:
    """polyleaf's labels, then the clinic's own words it has translated (``clinic.clinic_texts``): one entry per
    distinct text, with a comment for every place it comes from."""
    comments: dict[str, dict[str, None]] = {}
    for key, text in INTERFACE_MESSAGES.items():
        comments.setdefault(text, {})[f"leaflet interface: {key}"] = None
    for item in clinic_texts(config):
        comments.setdefault(item.text, {})[f"the clinic's words: {item.where}"] = None
    return [TemplateEntry(text, (), tuple(where)) for text, where in comments.items()]


def make_templates(config: Config, sources: Sources) -> dict[str, Catalog]:
    """catalog name → template, for every document plus the disclaimer and interface catalogs."""
    entries = {document.name: template_entries(document) for document in sources.documents}
    entries[DISCLAIMER] = template_entries(sources.disclaimer, skip_disclaimer=False)
    entries[INTERFACE] = interface_entries(config)
    return {
        name: build_template(
            items, config.project_name, template_path(config, name), source_language=config.source_language
        )
        for name, items in entries.items()
    }
