"""File-system edge: atomic writes, the project lock, and write-only-when-changed (no churn)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from polyleaf.errors import LockError, PolyleafError

LOCK_NAME = ".polyleaf.lock"


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory + fsync + os.replace: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise PolyleafError(f"cannot write: {error.strerror}", path) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise PolyleafError(f"cannot write: {error.strerror or error}", path) from None
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
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as error:
        raise PolyleafError(f"cannot read: {error.strerror}", path) from None
    write_atomic(path, data)
    return True


def _pid_alive(pid: int) -> bool:
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

    The lock file holds ``pid`` and the start time. A lock whose process is gone is stale and is taken over.
    """
    lock = root / LOCK_NAME
    content = f"{os.getpid()} {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n".encode()
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _read_lock(lock)
            if holder is not None and _pid_alive(holder[0]) and holder[0] != os.getpid():
                raise LockError(
                    f"another polyleaf run (pid {holder[0]}, since {holder[1]}) is working on this project",
                    lock,
                ) from None
            lock.unlink(missing_ok=True)  # stale: its process is gone
            continue
        except OSError as error:
            raise PolyleafError(f"cannot create the project lock: {error.strerror}", lock) from None
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
        break
    else:
        raise LockError("could not take the project lock", lock)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _read_lock(lock: Path) -> tuple[int, str] | None:
    try:
        pid_text, _, since = lock.read_text(encoding="ascii").strip().partition(" ")
        return int(pid_text), since or "an unknown time"
    except (OSError, ValueError, UnicodeDecodeError):
        return None
