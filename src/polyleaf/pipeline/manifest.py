"""The release manifest ``build/release/release.json`` and the release folder's contents: what a release
published, built from what (source, catalogs, hashes of every file), and removing what is no longer released."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf import clock
from polyleaf.catalog.imports import as_reviewed_comment
from polyleaf.catalog.model import MT_COMMENT
from polyleaf.config.model import Config
from polyleaf.formats import LEAFLET_EXTENSIONS
from polyleaf.fsio import read_regular
from polyleaf.jsonio import load_json
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.project import (
    DISCLAIMER,
    INTERFACE,
    leaflet_file_names,
    legacy_manifest_path,
    manifest_path,
    output_dir,
    output_path,
)

if TYPE_CHECKING:
    from polyleaf.source.document import Document


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
    #: Machine translation models under a non-commercial licence that translated some of its text, as the
    #: ``# mt:`` comments name them, with the licence (recorded only when there is one).
    non_commercial_mt: tuple[str, ...] = ()


_IDENTITY = ("language", "document", "source_sha256", "catalog_sha256", "disclaimer_sha256", "interface_sha256")
#: What a release folder holds besides its leaflets, when it has web pages: the fonts and the logo they link to.
SHARED_FOLDERS = ("fonts", "assets")


def write_manifest(
    config: Config, published: Sequence[Published], web: bool, write: Callable[[Path, bytes], None]
) -> None:
    """Record the release in its ``release.json`` (through ``write``): its ``leaflets`` — what each was built from
    and the hash of each of its files — and ``files``: every file the release folder holds, each with its SHA-256,
    so that ``verify-release`` can tell a file that is not part of it. Besides the leaflets' files that is, when the
    release has web pages (``web``), the index pages of the site and of each language it publishes in, and the fonts
    and logo in ``fonts/`` and ``assets/``. Anything else in the folder is removed before the release is swapped in
    (``pipeline.release``). A leaflet built from the same source and catalogs as before keeps the date it was first
    published (no churn)."""
    path = manifest_path(config)
    if not path.is_file():  # the first release since the manifest moved into the release folder
        path = legacy_manifest_path(config)
    previous = {tuple(record.get(key) for key in _IDENTITY): record.get("date") for record in _old_records(path)}
    records: list[dict[str, Any]] = []
    files: dict[str, str] = {}
    for item in published:
        record = dataclasses.asdict(item)
        date = previous.get(tuple(record[key] for key in _IDENTITY))
        record["date"] = date if isinstance(date, str) else item.date
        record["files"] = dict(item.files)
        if not item.non_commercial_mt:
            del record["non_commercial_mt"]
        files.update(item.files)
        records.append(record)
    records.sort(key=lambda record: (record["language"], record["document"]))
    base = output_dir(config, release=True)
    if web:
        shared = ["index.html", *(f"{language}/index.html" for language in {item.language for item in published})]
        for folder in SHARED_FOLDERS:
            with contextlib.suppress(OSError), os.scandir(base / folder) as entries:
                shared += [f"{folder}/{entry.name}" for entry in entries if entry.is_file(follow_symlinks=False)]
        files.update((name, digest) for name in shared if (digest := file_sha256(base / name)))
    manifest = {"leaflets": records, "files": dict(sorted(files.items()))}
    write(manifest_path(config), (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def leaflet_records(manifest: object) -> list[dict[str, Any]] | None:
    """The leaflets' records of a ``release.json`` as loaded (an older polyleaf wrote a list of them); None when it
    is not one."""
    records = manifest.get("leaflets") if isinstance(manifest, dict) else manifest
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        return None
    return records


def _old_records(path: Path) -> list[dict[str, Any]]:
    """The leaflets of the release before this one, for their dates (none when its manifest cannot be read)."""
    try:
        if path.is_symlink():
            raise ValueError("the link to the release's own manifest")
        return leaflet_records(load_json(read_regular(path))) or []
    except (OSError, ValueError, RecursionError):
        return []


def unpublish(config: Config, language: str, name: str, keep: Sequence[str] = ()) -> None:
    """Remove released files of a document (all, or all but ``keep``): withheld, retired or not rebuilt."""
    folder = output_path(config, language, name, "x", release=True).parent
    for file in leaflet_file_names(name, language, LEAFLET_EXTENSIONS):
        if file not in keep:
            (folder / file).unlink(missing_ok=True)
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
    config: Config, leaflet: tuple[str, Document], catalogs: Catalogs, files: Sequence[Path]
) -> Published:
    """What release.json records of a leaflet (language, document) published now, with its ``files``."""
    language, document = leaflet
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
        non_commercial_mt=_non_commercial_mt(catalogs, language, (document.name, DISCLAIMER, INTERFACE)),
    )


def _non_commercial_mt(catalogs: Catalogs, language: str, names: Sequence[str]) -> tuple[str, ...]:
    """The ``# mt:`` provenances in these catalogs that name an installed non-commercial CTranslate2 model."""
    from polyleaf.errors import TranslationError
    from polyleaf.mt.model_archives import installed_ct2_models

    try:
        restricted = {model.name: model.licence for model in installed_ct2_models() if model.non_commercial}
    except TranslationError:  # an unreadable models folder says nothing about this release's text
        return ()
    if not restricted:
        return ()
    found: dict[str, None] = {}
    for name in names:
        for entry in catalogs[language, name].entries():
            for comment in entry.comments:
                words = comment.split()
                if words[:2] == [MT_COMMENT, "ctranslate2"] and len(words) > 2 and words[2] in restricted:
                    found[f"{' '.join(words[1:4])} ({restricted[words[2]]})"] = None
    return tuple(sorted(found))


def file_sha256(path: Path) -> str:
    """The hash of a file's bytes ('' when it cannot be read)."""
    try:
        return hashlib.sha256(read_regular(path)).hexdigest()
    except OSError:
        return ""
