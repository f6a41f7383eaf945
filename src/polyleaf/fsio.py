"""File-system edge: atomic writes, compare-before-replace, the project lock, and write-only-when-changed.

Every write names the directory it must stay ``within`` (the project's ``locales/`` or ``build/``, say): a content
repository is untrusted, so a symlinked directory that leads elsewhere is refused before anything is created, and
the final rename replaces a symlink at the target path instead of writing through it. A write may also name the
``roots`` a symlinked directory may lead into (the project, and folders ``outside_root`` allows): the layout
``locales/es -> ../translations/es`` is written through, a link that leaves the project never is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import fnmatch
import os
import re
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePath

from polyleaf.errors import LockError, PolyleafError

LOCK_NAME = ".polyleaf.lock"
#: Temp files of atomic writes are named ``.<file>.polyleaf-<random>.tmp`` next to their target.
TEMP_MARK = ".polyleaf-"
TEMP_SUFFIX = ".tmp"
#: The name of a temp file a run writes (``.<name>.polyleaf-<random>.tmp``).
_TEMP_NAME = re.compile(fnmatch.translate(f".*{TEMP_MARK}*{TEMP_SUFFIX}"))
#: How long a second run waits for a lock holder that is still writing its pid record (it never waits for the run).
_RECORD_WAIT = 0.5


class ChangedOnDisk(Exception):
    """The file changed since the caller read it; ``current`` is what it holds now (None: it was deleted)."""

    def __init__(self, path: Path, current: bytes | None) -> None:
        super().__init__(f"{path} changed on disk")
        self.path = path
        self.current = current


def read_or_none(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise PolyleafError(f"cannot read: {error.strerror or error}", path) from None


def read_regular(path: Path, limit: int = -1) -> bytes:
    """``path.read_bytes()`` (its first ``limit`` bytes, when given) for a regular file, links followed; anything
    else is refused by its type before a byte is read, with an OSError that says what it is: a FIFO would block the
    run forever, ``/dev/zero`` never end, a folder is no file. Every file of a project polyleaf reads comes through
    here."""
    kind = _special_kind(os.stat(path).st_mode)
    if kind:
        raise NotRegularFile(kind)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # O_NONBLOCK: a FIFO swapped in meanwhile
    with os.fdopen(fd, "rb") as stream:
        kind = _special_kind(os.fstat(fd).st_mode)
        if kind:
            raise NotRegularFile(kind)
        return stream.read(limit)


class NotRegularFile(OSError):
    """What ``read_regular`` refuses: a FIFO, a device, a socket or a folder (its message says which)."""

    def __init__(self, kind: str) -> None:
        super().__init__(errno.EINVAL, f"{kind}, not a regular file")

    def __str__(self) -> str:
        return str(self.strerror)


def _special_kind(mode: int) -> str:
    """What a file of ``mode`` is when it is not a regular file ('' when it is one)."""
    if stat.S_ISREG(mode):
        return ""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "a device")


def write_atomic(path: Path, data: bytes, *, within: Path, roots: Sequence[Path] = (), durable: bool = True) -> None:
    """Write via a temp file in the same directory + fsync + os.replace: readers see old or new, never half.

    Any failure (ENOSPC, EACCES, Ctrl-C) leaves the original file intact and removes the temp file. ``durable``
    False leaves out the fsyncs (the file and its folder, two disk flushes): for a file whose reader checks it and
    can do without it (a signed cache entry), which a power cut may lose or leave torn.
    """
    _write(path, data, None, within, roots, durable)


def replace_if_unchanged(
    path: Path, data: bytes, expected: bytes | None, *, within: Path, roots: Sequence[Path] = ()
) -> None:
    """``write_atomic``, unless the file no longer holds ``expected`` (None: it did not exist).

    The comparison happens after the temp file is complete, just before the replace, so the window in which
    someone else's save could still be overwritten is one read and one rename. Raises ChangedOnDisk (nothing
    replaced, no temp file left) when the file changed.
    """

    def check() -> None:
        current = read_or_none(path)
        if current != expected:
            raise ChangedOnDisk(path, current)

    _write(path, data, check, within, roots)


def confine(path: Path, within: Path, roots: Sequence[Path] = ()) -> None:
    """Refuse (PolyleafError naming ``path``) when ``path``'s folder leads outside ``within`` through a symlink,
    unless it leads into one of ``roots`` (resolved folders: the project, those ``outside_root`` allows), and not
    into a ``.git`` folder there.

    Folders that do not exist yet resolve as written, so nothing is created outside ``within`` either.
    """
    folder = path.parent.resolve()
    if folder.is_relative_to(within.resolve()):
        return
    inside = [root for root in roots if folder.is_relative_to(root)]
    if inside and ".git" not in folder.relative_to(inside[0]).parts:
        return
    where = "into a .git folder" if inside else f"outside {'the project' if roots else within}"
    raise PolyleafError(f"refusing to write: the folder leads {where} (to {folder}) through a symbolic link", path)


def _write(
    path: Path,
    data: bytes,
    check: Callable[[], None] | None,
    within: Path,
    roots: Sequence[Path] = (),
    durable: bool = True,
) -> None:
    confine(path, within, roots)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as error:
        raise PolyleafError(f"cannot write: {error.strerror or error}", path) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temp, mode)
        if check is not None:
            check()
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise PolyleafError(f"cannot write: {error.strerror or error}", path) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable (best effort: not every file system can)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def open_folder_below(base: Path | int, relative: PurePath) -> int | None:
    """A descriptor of the folder ``base/relative`` (``base`` a path or a folder's descriptor), opened without
    following a symbolic link anywhere below ``base``; None when there is no such folder. The caller closes it."""
    if relative.is_absolute() or ".." in relative.parts:
        return None
    try:
        fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC) if not isinstance(base, int) else os.dup(base)
    except OSError:
        return None
    for part in relative.parts:
        try:
            below = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
        except OSError:
            below = None
        os.close(fd)
        if below is None:
            return None
        fd = below
    return fd


def read_below(base: Path | int, relative: PurePath) -> bytes | None:
    """The bytes of the regular file ``base/relative``, read without following a symbolic link anywhere below
    ``base`` and without waiting on a FIFO; None when there is no such file (a link, a device, a folder…)."""
    folder = open_folder_below(base, relative.parent) if relative.parts else None
    if folder is None:
        return None
    try:
        fd = os.open(relative.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder)
    except OSError:
        return None
    finally:
        os.close(folder)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a folder opens too, and cannot be read as a file
            return None
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write_if_changed(path: Path, data: bytes, *, within: Path, roots: Sequence[Path] = ()) -> bool:
    """Atomically write ``data`` unless the file already holds exactly it; True when written."""
    try:
        regular = stat.S_ISREG(path.lstat().st_mode)  # a link or a FIFO is replaced, never read or written through
    except OSError:
        regular = False
    if regular and read_or_none(path) == data:
        return False
    write_atomic(path, data, within=within, roots=roots)
    return True


def remove_stale_temp_files(directory: Path, older_than: float = 0.0) -> list[Path]:
    """Delete the temp files a killed run left behind under ``directory`` (older than ``older_than`` seconds).
    Names are looked at as strings, not paths: a library's folders hold tens of thousands of files.

    Call it only while holding the project lock, so that no other run is writing there (``project_lock`` calls it
    when it finds that the last holder was killed).
    """
    removed = []
    if directory.is_dir():
        deadline = time.time() - older_than
        for folder, folders, files in os.walk(directory):  # not into linked folders, as ``Path.rglob``
            for name in (*folders, *files):
                if _TEMP_NAME.match(name):
                    temp = Path(folder, name)
                    with contextlib.suppress(OSError):
                        if temp.stat().st_mtime <= deadline:
                            temp.unlink()
                            removed.append(temp)
    return removed


@contextlib.contextmanager
def project_lock(root: Path, tidy: Sequence[Path]) -> Iterator[None]:
    """Hold ``<root>/.polyleaf.lock`` for the duration; a second run fails at once naming the holder. ``tidy``: the
    folders the holder writes in, where a killed holder's writes may have left temp files (removed, see below).

    ``flock(LOCK_EX | LOCK_NB)`` on the lock file is the lock itself, and the only thing that decides: the kernel
    releases it when its process ends, however it ends (``kill -9``, a reboot, a container restart), so a dead run
    never blocks the next one, and of several runs starting at once exactly one gets it. The file's content,
    ``<pid> <start time>``, only names the holder in the message of the run that is refused (after a reboot that pid
    may belong to an unrelated process; it is never used to decide who holds the lock). A holder deletes the file
    on its way out, however its code ends (interrupted by Ctrl-C, which may land between a temp file's creation and
    its clean-up, it first removes the temp files from ``tidy``); a file that still holds a record when the lock is
    taken was left by a holder that was killed, whose writes may have left temp files: those are removed from
    ``tidy`` then (a library's build folder holds tens of thousands of files: walking it on every run took 0.1 s at
    512× the seed articles).

    The lock file is opened with ``O_NOFOLLOW``: a lock committed as a symbolic link is refused, never followed (it
    would truncate its target). The holder deletes the file while still holding the flock; a run that opened the
    old file before that and gets its flock afterwards sees that the path no longer leads to the file it locked,
    and starts over.
    """
    lock = root / LOCK_NAME
    for _attempt in range(20):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise LockError(
                    "the lock file is a symbolic link; polyleaf never writes through links: delete it", lock
                ) from None
            raise PolyleafError(f"cannot create the project lock: {error.strerror or error}", lock) from None
        try:
            abandoned = _take(fd, lock)
        except _Replaced:
            os.close(fd)
            continue
        except BaseException:
            os.close(fd)  # releases the flock
            raise
        break
    else:
        raise LockError("could not take the project lock (it keeps being replaced)", lock)
    try:
        if abandoned:
            _tidy(tidy)
        yield
    except Exception:
        _release(fd, lock)
        raise
    except BaseException:  # Ctrl-C may land between a temp file's creation and its clean-up, or stop the tidying
        try:
            _tidy(tidy)
        except BaseException:
            os.close(fd)  # interrupted again: the record stays, and the next holder tidies
            raise
        _release(fd, lock)
        raise
    _release(fd, lock)


def _tidy(folders: Sequence[Path]) -> None:
    for folder in folders:
        remove_stale_temp_files(folder)


def _release(fd: int, lock: Path) -> None:
    """Delete the lock file (its holder left no temp file), then let its flock go."""
    with contextlib.suppress(OSError):
        lock.unlink()
    os.close(fd)


class _Replaced(Exception):
    """The lock file was deleted or replaced between our open and our flock."""


def _take(fd: int, lock: Path) -> bool:
    """flock ``fd``, check it is still the file at ``lock``, and write our record; whether the file held a record
    (its holder was killed)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise PolyleafError(f"cannot lock: {error.strerror or error}", lock) from None
        raise _held(fd, lock) from None
    try:
        same = os.fstat(fd).st_ino == os.lstat(lock).st_ino
    except FileNotFoundError:
        same = False
    if not same:
        raise _Replaced
    abandoned = bool(_read_fd(fd))
    record = f"{os.getpid()} {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n".encode("ascii")
    try:  # not flushed to disk: the record only names the holder to a run that is refused, which reads it at once
        os.pwrite(fd, record, 0)  # over a killed holder's, never truncated first: were this one killed before the
        os.ftruncate(fd, len(record))  # write, or were it to fail, the file would not look like a clean ending
    except OSError as error:
        raise PolyleafError(f"cannot write the project lock: {error.strerror or error}", lock) from None
    return abandoned


def _held(fd: int, lock: Path) -> LockError:
    """The error for a lock whose flock another process holds (its record may still be being written)."""
    deadline = time.monotonic() + _RECORD_WAIT
    while True:
        holder = _parse_record(_read_fd(fd))
        if holder is not None:
            return LockError(
                f"another polyleaf run (pid {holder[0]}, since {holder[1]}) is working on this project", lock
            )
        if time.monotonic() >= deadline:
            return LockError("another polyleaf run is working on this project", lock)
        time.sleep(0.02)


def _read_fd(fd: int) -> bytes:
    try:
        return os.pread(fd, 200, 0)
    except OSError:
        return b""


def _parse_record(data: bytes) -> tuple[int, str] | None:
    try:
        pid_text, _, since = data.decode("ascii").strip().partition(" ")
        return int(pid_text), since or "an unknown time"
    except (ValueError, UnicodeDecodeError):
        return None


def last_change(path: Path) -> dt.datetime:
    """When ``path`` last changed: its last git commit when it is committed and unmodified (the same on every
    clone, so a fresh checkout does not re-date every leaflet), else its modification time."""

    def git(*args: str) -> str | None:
        # --no-optional-locks: `git status` would otherwise refresh (rewrite) the user's index, racing their git
        try:
            done = subprocess.run(
                ["git", "--no-optional-locks", *args, "--", path.name],
                cwd=path.parent,
                capture_output=True,
                text=True,
                timeout=10,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    if git("status", "--porcelain") == "":
        committed = git("log", "-1", "--format=%ct")
        if committed and committed.isdigit():
            return dt.datetime.fromtimestamp(int(committed), dt.UTC)
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
