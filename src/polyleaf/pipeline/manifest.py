"""The release manifest ``build/release/release.json`` and the release folder's contents: what a release
published, built from what (source, catalogs, hashes of every file), and removing what is no longer released."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf import clock
from polyleaf.config import Config
from polyleaf.fsio import read_regular
from polyleaf.imports import as_reviewed_comment
from polyleaf.jsonio import load_json
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.pipeline.sources import Sources, source_paths
from polyleaf.project import (
    DISCLAIMER,
    INTERFACE,
    language_index_path,
    legacy_manifest_path,
    manifest_path,
    output_dir,
    output_name,
    output_path,
)

if TYPE_CHECKING:
    from polyleaf.localize import LocalizedDocument

#: The formats a leaflet may have, and the order a language index offers them in.
LEAFLET_EXTENSIONS = ("html", "pdf", "txt", "md")


@dataclass(frozen=True, slots=True)
class Published:
    """One document published by a release build, as recorded in ``build/release.json``: what it was built from,
    which printed version it is, and the hash of every file published for it (paths relative to
    ``build/release/``), so a sheet in a clinic's hands can be traced to its sources."""

    language: str
    document: str
    source_sha256: str
    catalog_sha256: str
    disclaimer_sha256: str  # the disclaimer's catalog: its translation is part of every leaflet
    interface_sha256: str  # the leaflet's own words (interface.po)
    date: str
    waived: tuple[str, ...] = ()  # QA findings reviewers waived, as ``path:line: [check] message``
    reference: str = ""
    version: str = ""
    review_by: str = ""  # ISO date
    files: tuple[tuple[str, str], ...] = ()  # (path, sha256)
    #: Entries published on the coordinator's word, not reviewed here (``polyleaf import --as-reviewed``), as
    #: ``path:line: tm: imported as reviewed from FILE …``.
    imported_as_reviewed: tuple[str, ...] = ()


_IDENTITY = ("language", "document", "source_sha256", "catalog_sha256", "disclaimer_sha256", "interface_sha256")


def write_manifest(
    config: Config,
    published: Sequence[Published],
    languages: Sequence[str],
    sources: Sources,
    write: Callable[[Path, bytes], None],
) -> None:
    """Record the release in its ``release.json`` (through ``write``) and remove what is no longer released: a
    document whose source is gone, a language no longer configured."""
    covered = {(language, document.name) for language in languages for document in sources.documents}
    path = manifest_path(config)
    if not path.is_file():  # the first release since the manifest moved into the release folder
        path = legacy_manifest_path(config)
    current = {(language, name) for language in config.languages for name in _source_names(config)}
    records, retired = _manifest(path, published, covered, current)
    path = manifest_path(config)
    for language, name in retired:
        unpublish(config, language, name)
    for language in languages:  # no leaflet left in a language: no index page pointing at removed files
        if not any(record["language"] == language for record in records):
            language_index_path(config, language, release=True).unlink(missing_ok=True)
    write(path, (json.dumps(records, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _manifest(
    path: Path, published: Sequence[Published], covered: set[tuple[str, str]], current: set[tuple[str, str]]
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """release.json's records after this build, and the (language, document) releases to remove.

    What this build covered is replaced by what it published; entries it did not cover (``--lang``/``--doc``)
    are kept while they are ``current`` (a configured language, a source file that exists). An entry built from
    the same source and catalogs as before keeps its original date (no churn).
    """
    try:
        if path.is_symlink():
            raise ValueError("the link to the release's own manifest")
        old_records = [dict(record) for record in load_json(read_regular(path))]
        previous = {tuple(record.get(key) for key in _IDENTITY): record["date"] for record in old_records}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        old_records, previous = [], {}
    records: list[dict[str, Any]] = []
    retired: list[tuple[str, str]] = []
    for record in old_records:
        where = (record.get("language"), record.get("document"))
        if where in covered:
            continue
        if where in current:
            records.append(record)
        else:
            retired.append((str(where[0]), str(where[1])))
    for item in published:
        new = dataclasses.asdict(item)
        new["date"] = previous.get(tuple(new[key] for key in _IDENTITY), item.date)
        new["files"] = dict(item.files)
        records.append(new)
    records.sort(key=lambda record: (record["language"], record["document"]))
    return records, retired


def _source_names(config: Config) -> set[str]:
    """The names of every source document there is (whatever ``--doc`` selected)."""
    return {path.stem for path in source_paths(config)}


def unpublish(config: Config, language: str, name: str, keep: Sequence[str] = ()) -> None:
    """Remove released files of a document (all, or all but ``keep``): withheld, retired or not rebuilt."""
    folder = output_path(config, language, name, "x", release=True).parent
    for extension in LEAFLET_EXTENSIONS:
        if output_name(name, language, extension) not in keep:
            (folder / output_name(name, language, extension)).unlink(missing_ok=True)
    remove_old_names(folder, name, language)


def remove_old_names(folder: Path, name: str, language: str) -> None:
    """Remove a leaflet's files named as before they carried the language (``<doc>.pdf``): left beside the new
    ones, an index or a clinic could pick up the older version. A document whose name ends like a language's
    files (``x.es``) keeps them: ``x.es.pdf`` may be document ``x``'s."""
    if name.endswith(f".{language}"):
        return
    for extension in LEAFLET_EXTENSIONS:
        old = folder / f"{name}.{extension}"
        if old.is_file() and not old.is_symlink():
            old.unlink()


def published_record(
    config: Config, localized: LocalizedDocument, catalogs: Catalogs, files: Sequence[Path]
) -> Published:
    """What release.json records of a leaflet published now, with its ``files``."""
    document, language = localized.source, localized.language
    source = read_regular(config.root / document.path)
    identity = config.leaflet.identity(document.name)
    base = output_dir(config, release=True)
    return Published(
        language=language,
        document=document.name,
        source_sha256=hashlib.sha256(source).hexdigest(),
        catalog_sha256=catalogs[language, document.name].fingerprint(),
        disclaimer_sha256=catalogs[language, DISCLAIMER].fingerprint(),
        interface_sha256=catalogs[language, INTERFACE].fingerprint(),
        date=clock.now().date().isoformat(),
        reference=identity.reference,
        version=identity.version,
        review_by=identity.review_by.isoformat() if identity.review_by else "",
        files=tuple(sorted((path.relative_to(base).as_posix(), file_sha256(path)) for path in files)),
        imported_as_reviewed=tuple(
            f"{config.relative(cat.path).as_posix()}:{entry.line}: {comment}"
            for cat in (catalogs[language, name] for name in (document.name, DISCLAIMER, INTERFACE))
            for entry in cat.entries()
            if entry.state == "reviewed" and (comment := as_reviewed_comment(entry.comments)) is not None
        ),
    )


def file_sha256(path: Path) -> str:
    """The hash of a file's bytes ('' when it cannot be read)."""
    try:
        return hashlib.sha256(read_regular(path)).hexdigest()
    except OSError:
        return ""
