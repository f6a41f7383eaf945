"""File-system edge: atomic writes, compare-before-replace, the project lock, and write-only-when-changed."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from polyleaf.errors import LockError, PolyleafError

LOCK_NAME = ".polyleaf.lock"
#: Temp files of atomic writes are named ``.<file>.polyleaf-<random>.tmp`` next to their target.
TEMP_MARK = ".polyleaf-"
TEMP_SUFFIX = ".tmp"
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
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise PolyleafError(f"cannot read: {error.strerror or error}", path) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory + fsync + os.replace: readers see old or new, never half.

    Any failure (ENOSPC, EACCES, Ctrl-C) leaves the original file intact and removes the temp file.
    """
    _write(path, data, None)


def replace_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> None:
    """``write_atomic``, unless the file no longer holds ``expected`` (None: it did not exist).

    The comparison happens after the temp file is complete, just before the replace, so the window in which
    someone else's save could still be overwritten is one read and one rename. Raises ChangedOnDisk (nothing
    replaced, no temp file left) when the file changed.
    """

    def check() -> None:
        current = read_or_none(path)
        if current != expected:
            raise ChangedOnDisk(path, current)

    _write(path, data, check)


def _write(path: Path, data: bytes, check: Callable[[], None] | None) -> None:
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
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write ``data`` unless the file already holds exactly it; True when written."""
    if read_or_none(path) == data:
        return False
    write_atomic(path, data)
    return True


def remove_stale_temp_files(directory: Path, older_than: float = 0.0) -> list[Path]:
    """Delete the temp files a killed run left behind under ``directory`` (older than ``older_than`` seconds).

    Call it only while holding the project lock, so that no other run is writing there.
    """
    removed = []
    if directory.is_dir():
        deadline = time.time() - older_than
        for temp in directory.rglob(f".*{TEMP_MARK}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime <= deadline:
                    temp.unlink()
                    removed.append(temp)
    return removed


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold ``<root>/.polyleaf.lock`` for the duration; a second run fails at once naming the holder.

    Two mechanisms, so that taking over a stale lock is race-free:

    * ``flock(LOCK_EX | LOCK_NB)`` on the lock file is the lock itself. The kernel releases it when its process
      ends, however it ends (``kill -9`` included), so a dead run never blocks the next one, and of several runs
      starting at once exactly one gets it: looking at the pid record and replacing it happens only while
      holding the flock, so two processes that both find a stale record cannot both proceed.
    * The file's content, ``<pid> <start time>``, names the holder for the message of the run that is refused.
      A record naming another live process is respected even when its flock is free (a polyleaf without flock,
      or a file system that ignores it); a record of a dead process is stale and is overwritten.

    The holder deletes the file while still holding the flock. A run that opened the old file before that and
    gets its flock afterwards sees that the path no longer leads to the file it locked, and starts over.
    """
    lock = root / LOCK_NAME
    for _attempt in range(20):
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise PolyleafError(f"cannot create the project lock: {error.strerror or error}", lock) from None
        try:
            _take(fd, lock)
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
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(fd)


class _Replaced(Exception):
    """The lock file was deleted or replaced between our open and our flock."""


def _take(fd: int, lock: Path) -> None:
    """flock ``fd``, check it is still the file at ``lock``, and write our record over a stale one."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise PolyleafError(f"cannot lock: {error.strerror or error}", lock) from None
        raise _held(fd, lock) from None
    try:
        same = os.fstat(fd).st_ino == os.stat(lock).st_ino
    except FileNotFoundError:
        same = False
    if not same:
        raise _Replaced
    holder = _parse_record(_read_fd(fd))
    if holder is not None and holder[0] != os.getpid() and _pid_alive(holder[0]):
        raise _busy(holder, lock)
    record = f"{os.getpid()} {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n".encode("ascii")
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
        os.fsync(fd)
    except OSError as error:
        raise PolyleafError(f"cannot write the project lock: {error.strerror or error}", lock) from None


def _held(fd: int, lock: Path) -> LockError:
    """The error for a lock whose flock another process holds (its record may still be being written)."""
    deadline = time.monotonic() + _RECORD_WAIT
    while True:
        holder = _parse_record(_read_fd(fd))
        if holder is not None and _pid_alive(holder[0]):
            return _busy(holder, lock)
        if time.monotonic() >= deadline:
            return LockError("another polyleaf run is working on this project", lock)
        time.sleep(0.02)


def _busy(holder: tuple[int, str], lock: Path) -> LockError:
    return LockError(f"another polyleaf run (pid {holder[0]}, since {holder[1]}) is working on this project", lock)


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
        try:
            done = subprocess.run(
                ["git", *args, "--", path.name], cwd=path.parent, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    if git("status", "--porcelain") == "":
        committed = git("log", "-1", "--format=%ct")
        if committed and committed.isdigit():
            return dt.datetime.fromtimestamp(int(committed), dt.UTC)
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
