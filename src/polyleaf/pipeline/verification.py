"""``polyleaf verify-release``: a release folder (or a copy of it elsewhere) checked against its ``release.json``,
file by file, so a web server's copy can be trusted to be the release that was built — nothing missing, changed
or left over from a leaflet the release withdrew.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from polyleaf.errors import PolyleafError
from polyleaf.fsio import open_folder_below, read_below
from polyleaf.jsonio import load_json
from polyleaf.pipeline.manifest import SHARED_FOLDERS, leaflet_records
from polyleaf.project import MANIFEST


@dataclass(frozen=True, slots=True)
class Problem:
    """A file of a release that does not match its ``release.json``, or one it does not list."""

    path: str  # relative to the release folder
    problem: str


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``verify-release`` found: how many files ``release.json`` lists and how many of them match, the
    leaflets it publishes (language, document), and every problem — files not listed among them."""

    folder: Path
    files: int
    matching: int
    publishes: tuple[tuple[str, str], ...]
    problems: tuple[Problem, ...]

    @property
    def unlisted(self) -> int:
        return sum(1 for problem in self.problems if problem.problem.startswith(NOT_LISTED))


#: How ``verify-release`` starts the problem of a file the release does not list, and of a release of nothing.
NOT_LISTED = "not part of the release"
EMPTY = "lists no leaflet"


def verify_release(folder: Path) -> Verification:
    """Check the whole release folder against its ``release.json``: every file it lists is there with the SHA-256
    it records and is a leaflet's or an index page, font or logo, and every file there is listed (a copy made with
    ``rsync -a`` and no ``--delete`` keeps the files of leaflets a release withdrew); a manifest that publishes
    nothing fails too. The folder is opened once and every file read relative to it (never through a link), so a
    release swapped in meanwhile is not mixed with the one being checked."""
    handle = open_folder_below(folder, PurePosixPath())
    if handle is None:
        raise PolyleafError("no release here (not a folder): `polyleaf build --release` makes one", folder)
    try:
        raw = read_below(handle, PurePosixPath(MANIFEST))
        if raw is None:
            raise PolyleafError(f"no {MANIFEST} (not a release folder)", folder)
        listed, records = _manifest(raw, folder / MANIFEST)
        found = _files_below(handle)
    finally:
        os.close(handle)
    problems = [Problem(MANIFEST, f"{EMPTY}: the release publishes nothing")] if not records else []
    problems += _listed_problems(listed, found, records)
    unlisted = sorted(found.keys() - listed.keys() - {MANIFEST})
    problems += [Problem(path, f"{NOT_LISTED}: {MANIFEST} does not list it") for path in unlisted]
    matching = sum(1 for path, digest in listed.items() if found.get(path) == digest)
    publishes = tuple((str(record.get("language")), str(record.get("document"))) for record in records)
    return Verification(folder, len(listed), matching, publishes, tuple(problems))


def _listed_problems(
    listed: dict[str, str], found: dict[str, str | None], records: list[dict[str, Any]]
) -> list[Problem]:
    """What is wrong with the files ``release.json`` lists: not there, changed, not a path in the release, or not
    a file a release has (a leaflet's, as its record says, or an index page, font or logo)."""
    owned = {path: digest for record in records for path, digest in record["files"].items()}
    problems = []
    for path, expected in listed.items():
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts or path == MANIFEST:
            problems.append(Problem(path, "not a path inside the release"))
        elif path not in owned and not _shared(relative):
            problems.append(Problem(path, "listed, but no leaflet's file, index page, font or logo"))
        elif found.get(path) is None:
            problems.append(Problem(path, "missing (or not a regular file)"))
        elif found[path] != expected:
            problems.append(Problem(path, f"changed: its SHA-256 is not the one {MANIFEST} records"))
    disagree = sorted(path for path, digest in owned.items() if listed.get(path) != digest)
    problems += [
        Problem(path, f"its leaflet's record in {MANIFEST} does not match the list of files") for path in disagree
    ]
    return problems


def _shared(path: PurePosixPath) -> bool:
    """Whether ``path`` is where a release keeps a file no leaflet owns: an index page, a font, the logo."""
    parts = path.parts
    return parts == ("index.html",) or (len(parts) == 2 and (parts[1] == "index.html" or parts[0] in SHARED_FOLDERS))


def _manifest(raw: bytes, where: Path) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The ``files`` of a release manifest (path → SHA-256) and its leaflets' records; PolyleafError when ``raw``
    is not one."""
    try:
        manifest = load_json(raw)
    except (ValueError, RecursionError):
        manifest = None
    if isinstance(manifest, list):
        raise PolyleafError(
            "lists the leaflets only, not every file of the release (an older polyleaf made it)",
            where,
        )
    records = leaflet_records(manifest)
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if records is not None and isinstance(files, dict) and all(_digests(x.get("files")) for x in (manifest, *records)):
        return {str(path): str(digest) for path, digest in files.items()}, records
    raise PolyleafError("not a release manifest (its leaflets, and every file of the release with its SHA-256)", where)


def _digests(value: object) -> bool:
    """Whether ``value`` maps paths to hashes, as a manifest's ``files`` do."""
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _files_below(folder: int) -> dict[str, str | None]:
    """Every entry below the open ``folder``, by path: a regular file's SHA-256, None for anything else that is
    not a folder (a link, a FIFO…). Folders are entered one at a time, without following a link and without
    recursion (a copy may hold a folder of any depth); a folder is opened from its parent while few are pending,
    else from ``folder`` when its turn comes."""
    found: dict[str, str | None] = {}
    pending: list[tuple[PurePosixPath, int | None]] = [(PurePosixPath(), os.dup(folder))]
    held = 1  # descriptors held by ``pending``
    try:
        while pending:
            relative, here = pending.pop()
            held -= here is not None
            here = open_folder_below(folder, relative) if here is None else here
            if here is None:
                found[relative.as_posix()] = None
                continue
            try:
                with os.scandir(here) as entries:
                    for entry in entries:
                        path = relative / entry.name
                        if entry.is_dir(follow_symlinks=False):
                            below = open_folder_below(here, PurePosixPath(entry.name)) if held < 64 else None
                            pending.append((path, below))
                            held += below is not None
                        else:
                            regular = entry.is_file(follow_symlinks=False)
                            found[path.as_posix()] = _digest_at(here, entry.name) if regular else None
            finally:
                os.close(here)
    finally:
        for _relative, left in pending:
            if left is not None:
                os.close(left)
    return found


def _digest_at(folder: int, name: str) -> str | None:
    """The SHA-256 of the regular file ``name`` in the open ``folder`` (None when it is not one any more)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return hashlib.file_digest(file, "sha256").hexdigest()
