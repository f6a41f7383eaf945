"""A look at every file a run reads or writes (``pipeline.run_record``): what identifies each one's state, as git's
index compares files — where it is, its inode, size and times, and its content when it changed at or after the
time a record is made — and which files and folders there are.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from polyleaf.fsio import read_regular


def kind(state: bytes | None) -> list[bytes]:
    """What a state (``Seen.state``) says a file is: its mode and, for a symbolic link, what it names; nothing
    when there was none. A file the run read that became a folder is no folder whose times changed."""
    parts = (state or b"").split(b"\0")
    return [] if len(parts) < 2 or parts[1].startswith(b"missing") else parts[1:7:5]


def tree(folders: Iterable[Path], skip: Path, readable: tuple[Path, ...]) -> tuple[list[str], set[str]]:
    """Every entry below ``folders``, ``skip`` aside, sorted, and which of them are folders (``folders``, and links
    to folders: told apart without a look at each file). A symbolic link to a folder the run may read
    (inside one of ``readable``: ``locales/es -> ../translations/es``) is walked too, under the link's name, unless
    it leads to a folder around itself (``locales/all -> ..``: a loop); each folder once. Paths as strings: a
    library's folders hold tens of thousands of files, and path objects would cost more than looking at them."""
    found: list[str] = []
    walked: set[Path] = set()
    pending = [str(folder) for folder in folders]
    listed = set(pending)
    skipped = str(skip)
    while pending:
        folder = pending.pop()
        found.append(folder)
        real = _resolved(Path(folder))
        if real is None or real in walked:
            continue
        walked.add(real)
        for root, dirs, names in os.walk(folder):
            dirs[:] = [name for name in dirs if os.path.join(root, name) != skipped]
            within = f"{root}{os.sep}"  # joined by hand: os.path.join costs more than the look at a file
            subfolders = [within + name for name in dirs]  # links to folders too (not walked here)
            found += subfolders
            listed.update(subfolders)
            found += [within + name for name in names]
            pending += [path for path in subfolders if os.path.islink(path) and _leads(Path(path), readable)]
    return sorted(set(found)), listed


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of links
        return None


def _leads(link: Path, readable: tuple[Path, ...]) -> bool:
    """Whether ``link`` leads inside one of the ``readable`` folders, and not to a folder that holds the link."""
    target, around = _resolved(link), _resolved(link.parent)
    if target is None or around is None or around.is_relative_to(target):
        return False
    return any(target.is_relative_to(folder) for folder in readable)


@dataclass(slots=True)
class Seen:
    """One file as a look found it (``look_at``): what identifies it, and the regular file whose content counts
    when it changed at a look's ``since`` or later — read at most once, however many states are made of it."""

    identity: str
    changed: int = -1  # the content file's latest modification or change time (ns); -1: no content counts
    content: str | None = None  # that file's path
    digest: str | None = None  # its SHA-256, once read ("": unreadable)

    def state(self, since: int) -> bytes:
        """What identifies the file's state for a record made at ``since`` (``look_at``)."""
        text = self.identity
        if self.changed >= since and (digest := self.read()):
            text = f"{text}\0{digest}"
        return text.encode("utf-8", "surrogateescape")

    def read(self) -> str:
        """The content file's SHA-256, read once; "" when no content counts or it cannot be read."""
        if self.digest is None:
            self.digest = ""
            if self.content is not None:
                with contextlib.suppress(OSError):
                    self.digest = _content_digest(self.content)
        return self.digest


@dataclass(frozen=True, slots=True)
class Look:
    """Every file a run reads or writes as one look found them, and when it began (ns)."""

    started: int
    seen: dict[str, Seen]
    #: ``RunRecord.save``'s look: the files taken as the run's first look found them, not looked at again
    kept: tuple[str, ...] = ()

    def states(self, since: int) -> dict[str, bytes]:
        return {path: seen.state(since) for path, seen in self.seen.items()}


def read_digest(seen: Seen | None) -> str:
    """The SHA-256 of the file a look found (``Seen.read``); "" when it found none."""
    return "" if seen is None else seen.read()


def look_at(path: str | Path, readable: tuple[Path, ...]) -> Seen:
    """What identifies a file's state: where it is, its inode, size and times — for a symlink, what it names and
    that file's inode, size and times (``_link_seen``) — and a regular file's content when it changed at a
    record's ``since`` or later. A look makes one per file of the library: the plain file's way is kept short."""
    path = os.fspath(path)
    try:
        info = os.lstat(path)
    except OSError as error:
        return Seen(f"{path}\0missing {error.errno}")
    mode = info.st_mode
    identity = f"{path}\0{mode}\0{info.st_ino}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
    if stat.S_ISREG(mode):
        return Seen(identity, max(info.st_mtime_ns, info.st_ctime_ns), path)
    return _link_seen(path, identity, readable) if stat.S_ISLNK(mode) else Seen(identity)


def _link_seen(path: str, identity: str, readable: tuple[Path, ...]) -> Seen:
    """A symlink's state (``look_at``): its file's content counts only when it lies inside one of the ``readable``
    folders (the run reads it)."""
    try:
        target = os.stat(path)
        named = os.readlink(path)
    except OSError:
        return Seen(identity)
    identity += f"\0{named}\0{target.st_ino}\0{target.st_size}\0{target.st_mtime_ns}\0{target.st_ctime_ns}"
    if stat.S_ISREG(target.st_mode):
        real = _resolved(Path(path))
        if real is not None and any(real.is_relative_to(folder) for folder in readable):
            return Seen(identity, max(target.st_mtime_ns, target.st_ctime_ns), str(real))
    return Seen(identity)


def _content_digest(path: str | Path) -> str:
    """The SHA-256 of a regular file, read in blocks; opened without following a symlink or waiting on a FIFO (the
    file may have been replaced since it was looked at)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return "not a regular file"
        return hashlib.file_digest(file, "sha256").hexdigest()


def git_files(root: Path) -> list[Path]:
    """The files of the git repository around ``root`` that say what is committed and staged (``last_change``
    dates a committed, unmodified source by its commit): HEAD, the branch it names, packed refs, the index."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            git_dir = dot_git
        elif dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            try:
                text = read_regular(dot_git).decode("utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return [dot_git]
            git_dir = (folder / text.removeprefix("gitdir:").strip()).resolve()
        else:
            continue
        common = git_dir
        with contextlib.suppress(OSError, UnicodeDecodeError):
            common = (git_dir / read_regular(git_dir / "commondir").decode("utf-8").strip()).resolve()
        found = [dot_git, git_dir / "HEAD", git_dir / "index", common / "packed-refs"]
        with contextlib.suppress(OSError, UnicodeDecodeError):
            ref = read_regular(git_dir / "HEAD").decode("utf-8").strip().removeprefix("ref:").strip()
            if ref.startswith("refs/") and ".." not in ref.split("/"):  # a branch, as git names one
                found.append(common / ref)
        return found
    return []
