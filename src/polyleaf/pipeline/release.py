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
``release/release.json`` for scripts that read it there. ``verification`` checks a release (or a copy of it)
against its manifest.
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
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.fsio import fsync_directory, read_below
from polyleaf.jsonio import load_json
from polyleaf.pipeline.sources import Selection, source_paths
from polyleaf.pipeline.verification import EMPTY, verify_release
from polyleaf.project import MANIFEST, building_release_in, legacy_manifest_path, release_dir

if TYPE_CHECKING:
    from polyleaf.pipeline.build import BuildResult

#: New releases are built in ``build/.release-<random>``; the fallback swap parks the old one in ``…-previous``.
STAGING_PREFIX = ".release-"
PREVIOUS = ".release-previous"
#: No release polyleaf makes has folders this deep (a language, an image's folders): deeper is never carried over.
MAX_DEPTH = 12
#: The leaflets a release builds, as (language, document); None: every configured language and source document.
Leaflets = frozenset[tuple[str, str]] | None
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def build_release(config: Config, build: Callable[[], BuildResult]) -> BuildResult:
    """Run ``build`` (a release build) in a new folder and swap it in for ``build/release/`` when it returns; when
    it raises (a PDF that could not be rendered, say) or is interrupted, the previous release stays as it was. The
    caller holds the project lock."""
    current = release_dir(config)
    _recover(config, current)
    staging = config.build_dir / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
    try:
        _stage(staging, current)
        with building_release_in(staging):
            try:
                result = build()
            except PolyleafError as error:
                if error.path is not None and error.path.is_relative_to(staging):  # named as it would have been
                    error.path = current / error.path.relative_to(staging)
                error.message += f" (nothing was published: {config.relative(current)}/ holds the previous release)"
                raise
        _renamed(result, config, staging, current)
        try:
            _keep_only_the_release(staging)
            old, new = _tree(current) if current.is_dir() else {}, _tree(staging)
        except OSError as error:
            raise PolyleafError(f"cannot prepare the new release: {error.strerror or error}", staging) from None
        if not current.is_dir() or old != new:
            _sync_tree(staging)
            _swap(staging, current)
            result.written += _link_legacy_manifest(config)
            result.removed += [
                current / path for path, (kind, _) in old.items() if kind == stat.S_IFREG and path not in new
            ]
        return result
    finally:
        _remove_tree(staging)  # the abandoned new release, or the old one it replaced


def replaced_whole(config: Config) -> list[Path]:
    """What a release build replaces whole, so the run record counts every change below it as the build's own:
    the release folder (even unchanged, its files' change times move with the hard links), and the link to its
    manifest."""
    return [release_dir(config), legacy_manifest_path(config)]


def carry_over(config: Config, selection: Selection, steps: frozenset[str]) -> tuple[Selection, Leaflets, list[str]]:
    """What a release of ``selection`` builds, and reads to build it: the selected leaflets and, in a partial release
    (``--lang``, ``--doc``), every other leaflet of the current release that is still current (its language
    configured, its source there). Those are built again like the rest, through the release gate and from the
    files as they are now, so that a leaflet whose English or translation changed since, or that the gate would now
    withhold, does not stay published as if it were current; render stamps make rebuilding an unchanged leaflet
    write nothing. A partial release keeps the rest of the release only when it verifies (``verify_release``):
    anything else — a damaged or hand-made ``release.json``, a file changed or added — is an error that asks for a
    full release, never a release that silently drops or keeps leaflets. Returns the selection to read, the
    leaflets to build (None: all of it) and warnings. The caller holds the project lock."""
    current_folder = release_dir(config)
    _recover(config, current_folder)
    languages = selection.languages_of(config)
    names = [path.stem for path in source_paths(config)]
    chosen = set(selection.documents or names)
    selected = {(language, name) for language in languages for name in names if name in chosen}
    current = {(language, name) for language in config.languages for name in names}
    problem, published = _previous(config, current_folder)
    if problem and current - selected:
        raise PolyleafError(
            f"{problem} — a partial release (--lang, --doc) keeps the rest of the release only when it verifies: "
            "make a full release (`polyleaf build --release`)"
        )
    warnings = [f"{problem} (this release replaces the previous one whole)"] if problem else []
    carried = (published & current) - selected
    if not carried:
        return selection, None, warnings
    if steps != {"build"}:
        raise PolyleafError("a partial release is built from the PO files as they are: `polyleaf build --release`")
    also = {language for language, _name in carried}
    wider = Selection(
        tuple(language for language in config.languages if language in languages or language in also),
        tuple(sorted(chosen | {name for _language, name in carried})) if selection.documents else (),
    )
    return wider, frozenset(selected | carried), warnings


def _previous(config: Config, folder: Path) -> tuple[str, set[tuple[str, str]]]:
    """Why the current release cannot be trusted ('' when it verifies, or when there is none: no folder, or an
    empty one), and the leaflets it publishes."""
    if not folder.is_dir() or not any(folder.iterdir()):
        return "", set()
    try:
        found = verify_release(folder)
    except PolyleafError as error:
        return str(PolyleafError(error.message, config.relative(error.path) if error.path else None)), set()
    problems = [problem for problem in found.problems if not problem.problem.startswith(EMPTY)]
    if not problems:
        return "", set(found.publishes)
    first, more = problems[0], len(problems) - 1
    return f"{config.relative(folder / first.path)}: {first.problem}{f' (and {more} more)' if more else ''}", set()


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


def _link_copy(source: Path, target: Path, depth: int = 1) -> None:
    """Fill ``target`` with hard links to ``source``'s files, folder by folder, down to ``MAX_DEPTH`` (no release
    polyleaf makes is deeper: anything below is not carried)."""
    for entry in os.scandir(source):
        destination = target / entry.name
        if entry.is_dir(follow_symlinks=False) and depth < MAX_DEPTH:
            os.mkdir(destination)
            os.chmod(destination, stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode))
            _link_copy(Path(entry.path), destination, depth + 1)
        elif entry.is_file(follow_symlinks=False):
            try:
                os.link(entry.path, destination, follow_symlinks=False)
            except OSError:  # a file system without hard links, or one that protects them
                shutil.copy2(entry.path, destination, follow_symlinks=False)


def _keep_only_the_release(staging: Path) -> None:
    """Remove every file the new ``release.json`` does not list (``files``): a language no longer configured, a
    retired or withheld document, anything a content repository put there — in any folder."""
    keep = {MANIFEST, *_listed(read_below(staging, PurePosixPath(MANIFEST)))}
    for folder, dirs, names in os.walk(staging, topdown=False):
        here = Path(folder)
        relative = here.relative_to(staging)
        for name in names:
            if (relative / name).as_posix() not in keep:
                (here / name).unlink()
        for name in dirs:
            with contextlib.suppress(OSError):
                (here / name).rmdir()  # only when empty


def _listed(raw: bytes | None) -> dict[str, str]:
    """The ``files`` of a ``release.json`` (path → SHA-256); empty when there is none or it is not one."""
    try:
        files = load_json(raw).get("files") if raw is not None else None
    except (ValueError, RecursionError, AttributeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {path: digest for path, digest in files.items() if isinstance(digest, str)}


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry below ``folder`` by relative path, down to ``MAX_DEPTH``: its type and inode (files) — enough to
    tell whether a new release differs from the current one, whose unchanged files it holds as hard links."""
    found: dict[str, tuple[int, int]] = {}
    for here, dirs, names in os.walk(folder):
        for name in (*dirs, *names):
            info = os.lstat(os.path.join(here, name))
            inode = info.st_ino if stat.S_ISREG(info.st_mode) else 0
            found[os.path.relpath(os.path.join(here, name), folder)] = (stat.S_IFMT(info.st_mode), inode)
        if len(Path(here).relative_to(folder).parts) + 1 >= MAX_DEPTH:
            dirs.clear()  # deeper is not a release's (and os.walk would recurse past Python's limit)
    return found


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
    result.warnings[:] = [line.replace(built_in, now_in) for line in result.warnings]


def _remove_tree(folder: Path) -> None:
    """Delete ``folder`` and everything in it (links are removed, never followed), whatever its depth; best
    effort."""
    with contextlib.suppress(FileNotFoundError):
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink()
            return
        _flatten(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _flatten(folder: Path) -> None:
    """Move every folder found at ``MAX_DEPTH`` below ``folder`` up to its top (then those below the moved ones),
    until none is that deep: what a content repository put in a release folder may be thousands of levels deep,
    and ``shutil.rmtree`` recurses."""
    moved, roots = 0, [folder]
    while roots:
        deep: list[Path] = []
        for root in roots:
            for here, dirs, _names in os.walk(root):
                if len(Path(here).relative_to(root).parts) + 1 >= MAX_DEPTH:
                    deep += [Path(here) / name for name in dirs]
                    dirs.clear()
        roots = []
        for path in deep:
            with contextlib.suppress(OSError):
                os.rename(path, folder / f".deep-{moved}")
                roots.append(folder / f".deep-{moved}")
                moved += 1
