"""A release is a transaction: built aside, swapped in whole, and verifiable (``polyleaf verify-release``).

``build --release`` never writes into ``build/release/``. It builds into a new folder next to it
(``build/.release-<random>/``), which starts as a copy of the current release made of hard links (so unchanged
leaflets are neither rendered nor written again, and keep their dates), writes ``release.json`` last, removes what
the new manifest does not account for (a language no longer configured, a retired document, anything a content
repository put there), and then swaps the two folders in one system call: ``renameat2(RENAME_EXCHANGE)``, so at
every instant ``build/release/`` is one complete release — the old one or the new one. The old one is deleted
afterwards. Every write of the build is atomic and lands in the new folder only (a hard link is replaced, never
written into), so Ctrl-C, a full disk or any other error at any step leaves the previous release as it was, its
``release.json`` matching every file. A web server serving ``build/release/`` sees the old files or the new ones,
never a mix of the two in one folder; a request already reading a file finishes with the old bytes.

Where the file system cannot exchange two folders (some network and overlay file systems), the old release is
renamed to ``build/.release-previous`` and the new one into place: for that instant there is no
``build/release/``, and a run killed then is repaired by the next release build, which moves the previous one back.

``build/release.json``, where the manifest was before it moved into the release, is kept as a symbolic link to
``release/release.json`` for scripts that read it there.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from polyleaf.config import Config
from polyleaf.errors import PolyleafError
from polyleaf.fsio import fsync_directory, open_folder_below, read_below
from polyleaf.jsonio import load_json
from polyleaf.project import MANIFEST, building_release_in, legacy_manifest_path, release_dir

if TYPE_CHECKING:
    from polyleaf.pipeline.build import BuildResult

#: New releases are built in ``build/.release-<random>``; the fallback swap parks the old one in ``…-previous``.
STAGING_PREFIX = ".release-"
PREVIOUS = ".release-previous"
#: What a release folder holds besides the files its manifest lists: the site's and languages' index pages, the
#: fonts and the logo they link to.
SHARED_FOLDERS = ("fonts", "assets")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def build_release(config: Config, build: Callable[[], BuildResult]) -> BuildResult:
    """Run ``build`` (a release build) in a new folder and swap it in for ``build/release/`` when it returns (a
    release whose PDF could not be rendered too: it publishes, and records, the formats it has); when it raises or
    is interrupted, the previous release stays as it was. The caller holds the project lock."""
    current = release_dir(config)
    _recover(config, current)
    staging = config.build_dir / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
    try:
        _stage(staging, current)
        with building_release_in(staging):
            try:
                result = build()
            except PolyleafError as error:
                error.message += f" (nothing was published: {config.relative(current)}/ holds the previous release)"
                raise
        _renamed(result, config, staging, current)
        try:
            _keep_only_the_release(staging)
            unchanged = _same_tree(staging, current)
        except OSError as error:
            raise PolyleafError(f"cannot prepare the new release: {error.strerror or error}", staging) from None
        if not unchanged:
            _sync_tree(staging)
            _swap(staging, current)
            result.written += _link_legacy_manifest(config)
        return result
    finally:
        _remove_tree(staging)  # the abandoned new release, or the old one it replaced


def replaced_whole(config: Config) -> list[Path]:
    """What a release build replaces whole, so the run record counts every change below it as the build's own:
    the release folder (even unchanged, its files' change times move with the hard links), and the link to its
    manifest."""
    return [release_dir(config), legacy_manifest_path(config)]


# ----------------------------------------------------------------------------------------------- staging


def _recover(config: Config, current: Path) -> None:
    """Refuse a release folder that is a link (it is swapped, never written through one); bring back a release a
    killed fallback swap left aside; delete the folders killed builds left behind."""
    if current.is_symlink() or (current.exists() and not current.is_dir()):
        raise PolyleafError(
            "not a folder (a symbolic link?): a release is built aside and swapped in whole; remove it", current
        )
    previous = config.build_dir / PREVIOUS
    if not current.exists() and previous.is_dir() and not previous.is_symlink():
        try:
            os.rename(previous, current)
        except OSError as error:
            raise PolyleafError(
                f"cannot bring back the previous release: {error.strerror or error}", previous
            ) from None
    if not config.build_dir.is_dir():
        return
    for entry in os.scandir(config.build_dir):
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
            _remove_tree(Path(entry.path))


def _stage(staging: Path, current: Path) -> None:
    """Make the new folder beside the release, holding hard links to the current release's files (copies where a
    link cannot be made). Links, FIFOs and devices are not carried over: polyleaf never makes them."""
    try:
        staging.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(staging)
        if current.is_dir():
            os.chmod(staging, stat.S_IMODE(current.stat().st_mode))
            _link_copy(current, staging)
    except OSError as error:
        raise PolyleafError(f"cannot prepare the new release: {error.strerror or error}", staging) from None


def _link_copy(source: Path, target: Path) -> None:
    for entry in os.scandir(source):
        destination = target / entry.name
        if entry.is_dir(follow_symlinks=False):
            os.mkdir(destination)
            os.chmod(destination, stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode))
            _link_copy(Path(entry.path), destination)
        elif entry.is_file(follow_symlinks=False):
            try:
                os.link(entry.path, destination, follow_symlinks=False)
            except OSError:  # a file system without hard links, or one that protects them
                shutil.copy2(entry.path, destination, follow_symlinks=False)


def _keep_only_the_release(staging: Path) -> None:
    """Remove every file the new ``release.json`` does not account for: a release folder holds its leaflets, their
    images, the index pages of the languages it publishes, the fonts and logo they link to, and the manifest."""
    records = _records(read_below(staging, PurePosixPath(MANIFEST)))
    keep = {MANIFEST, "index.html"}
    for record in records:
        files = record.get("files")
        keep.add(f"{record.get('language')}/index.html")
        keep.update(str(path) for path in (files if isinstance(files, dict) else ()))
    for folder, dirs, names in os.walk(staging, topdown=False):
        here = Path(folder)
        relative = here.relative_to(staging)
        shared = bool(relative.parts) and relative.parts[0] in SHARED_FOLDERS
        for name in names:
            if not shared and (relative / name).as_posix() not in keep:
                (here / name).unlink()
        for name in dirs:
            with contextlib.suppress(OSError):
                (here / name).rmdir()  # only when empty


def _records(raw: bytes | None) -> list[dict[str, Any]]:
    """The records of a ``release.json`` (empty when there is none or it is not one)."""
    try:
        records = load_json(raw) if raw is not None else []
    except ValueError:
        return []
    return [record for record in records if isinstance(record, dict)] if isinstance(records, list) else []


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry below ``folder`` by relative path: its type and inode (files) — enough to tell whether a new
    release differs from the current one, whose unchanged files it holds as hard links."""
    found: dict[str, tuple[int, int]] = {}
    for here, dirs, names in os.walk(folder):
        for name in (*dirs, *names):
            info = os.lstat(os.path.join(here, name))
            inode = info.st_ino if stat.S_ISREG(info.st_mode) else 0
            found[os.path.relpath(os.path.join(here, name), folder)] = (stat.S_IFMT(info.st_mode), inode)
    return found


def _same_tree(staging: Path, current: Path) -> bool:
    return current.is_dir() and _tree(staging) == _tree(current)


def _sync_tree(folder: Path) -> None:
    """Make the new release's folders durable (its files were synced as they were written; links and folders
    made by ``_stage`` were not)."""
    for here, _dirs, _names in os.walk(folder):
        fsync_directory(Path(here))


# ----------------------------------------------------------------------------------------------- the swap


def _swap(staging: Path, current: Path) -> None:
    """Put the new release in place in one step: after this, ``staging`` holds the old release (or nothing)."""
    try:
        if not os.path.lexists(current):
            os.rename(staging, current)  # nothing there yet: a rename is atomic
        elif not _exchange(staging, current):
            _swap_by_renames(staging, current)
    except OSError as error:
        raise PolyleafError(f"cannot put the new release in place: {error.strerror or error}", current) from None
    fsync_directory(current.parent)


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not possible."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library without it
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False  # the file system cannot exchange
    raise OSError(code, os.strerror(code))


def _swap_by_renames(staging: Path, current: Path) -> None:
    """The fallback swap: the old release aside, the new one in place (``_recover`` repairs a kill in between)."""
    previous = current.parent / PREVIOUS
    _remove_tree(previous)
    os.rename(current, previous)
    try:
        os.rename(staging, current)
    except BaseException:
        os.rename(previous, current)
        raise
    os.rename(previous, staging)


def _link_legacy_manifest(config: Config) -> list[Path]:
    """``build/release.json`` → ``release/release.json`` (replacing the old file, atomically); the link when it
    was made now."""
    legacy = legacy_manifest_path(config)
    target = f"{release_dir(config).name}/{MANIFEST}"
    with contextlib.suppress(OSError):
        if legacy.is_symlink() and os.readlink(legacy) == target:
            return []
        temp = legacy.with_name(f".{legacy.name}.{secrets.token_hex(6)}")
        os.symlink(target, temp)
        try:
            os.replace(temp, legacy)
        except OSError:
            temp.unlink()
            raise
        return [legacy]
    return []


def _renamed(result: BuildResult, config: Config, staging: Path, current: Path) -> None:
    """The build's report with the new folder's paths named as they will be, in ``build/release/``."""
    result.written[:] = [
        current / path.relative_to(staging) if path.is_relative_to(staging) else path for path in result.written
    ]
    built_in, now_in = str(config.relative(staging)), str(config.relative(current))
    for lines in (result.warnings, result.errors):
        lines[:] = [line.replace(built_in, now_in) for line in lines]


def _remove_tree(folder: Path) -> None:
    """Delete ``folder`` and everything in it (links are removed, never followed); best effort."""
    with contextlib.suppress(FileNotFoundError):
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink()
            return
        shutil.rmtree(folder, ignore_errors=True)


# ----------------------------------------------------------------------------------------------- verify-release


@dataclass(frozen=True, slots=True)
class Problem:
    """A file of a release that does not match its ``release.json``."""

    path: str  # relative to the release folder
    problem: str


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``verify-release`` found: the files ``release.json`` lists, its leaflets, and every mismatch."""

    folder: Path
    files: int
    leaflets: int
    problems: tuple[Problem, ...]


def verify_release(folder: Path) -> Verification:
    """Check that every file ``folder/release.json`` lists is in ``folder`` with the SHA-256 it records. The folder
    is opened once and every file read relative to it (never through a link), so a release swapped in meanwhile
    is not mixed with the one being checked."""
    import hashlib

    handle = open_folder_below(folder, PurePosixPath())
    if handle is None:
        raise PolyleafError("no release here (not a folder): `polyleaf build --release` makes one", folder)
    try:
        raw = read_below(handle, PurePosixPath(MANIFEST))
        if raw is None:
            raise PolyleafError(f"no {MANIFEST} (not a release folder)", folder)
        records = _manifest_records(raw, folder / MANIFEST)
        problems: list[Problem] = []
        count = 0
        for record in records:
            for path, expected in record.items():
                count += 1
                relative = PurePosixPath(path)
                if relative.is_absolute() or ".." in relative.parts or not relative.parts:
                    problems.append(Problem(path, "not a path inside the release"))
                    continue
                data = read_below(handle, relative)
                if data is None:
                    problems.append(Problem(path, "missing (or not a regular file)"))
                elif hashlib.sha256(data).hexdigest() != expected:
                    problems.append(Problem(path, f"changed: its SHA-256 is not the one {MANIFEST} records"))
    finally:
        os.close(handle)
    return Verification(folder, count, len(records), tuple(problems))


def _manifest_records(raw: bytes, where: Path) -> list[dict[str, str]]:
    """Each record's ``files`` (path → SHA-256); PolyleafError when ``raw`` is not a release manifest."""
    try:
        records = load_json(raw)
        listed = [dict(record["files"]) for record in records]
        if all(isinstance(path, str) and isinstance(digest, str) for files in listed for path, digest in files.items()):
            return listed
    except (ValueError, TypeError, KeyError):
        pass
    raise PolyleafError("not a release manifest (a list of records, each with its files and their SHA-256)", where)
