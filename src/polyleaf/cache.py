"""Caches a content repository cannot steer: entries signed with this machine's key, read without following links.

What polyleaf keeps to save time (sentence splits, parsed PO files, QA results, render stamps, the run record) lives
in ``build/.cache/``, inside a content repository that may come from anyone, so a cache must never decide what a
leaflet says: a committed or hand-made entry could otherwise make a release print a dose its PO file does not hold.
Each entry is therefore signed (HMAC-SHA256 over its place in the cache and its bytes) with a key only this
machine's user holds — ``$XDG_CACHE_HOME/polyleaf/cache-key`` (``~/.cache/…``), made on first use with mode 0600,
never inside a project. An entry is used only when it carries this key's signature and was read as a regular file
without following a symbolic link anywhere below the build folder; anything else is absent (a cache only saves
time). Entries are written atomically (``fsio``), only when they change, and never through a link, but not flushed to
disk (no fsync): a power cut may lose an entry or leave it torn, which its signature then fails. A key file others
could read or write, or one that is a link or not this user's, is replaced by a new private key (what the old one
signed is no longer trusted); where no key can be kept (no home folder, a cache folder that cannot be written)
nothing is cached.

``Store`` is the one cache primitive every cache of polyleaf is made of (sentence splits, parsed PO files, QA and
``check`` findings, readability measures, web pages' characters, render stamps, and this user's web-font subsets,
kept beside the key): each cache only says what its digest is made of and what its entries hold.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
import zlib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from polyleaf.errors import PolyleafError
from polyleaf.fsio import open_folder_below, read_below, write_atomic

#: The folder of every cache, inside the build folder.
FOLDER = ".cache"
KEY_FILE = Path("polyleaf") / "cache-key"
_KEY_BYTES = 32
#: An entry's first line: this, then its signature in hex; its payload (JSON) follows.
_MAGIC = b"polyleaf-cache-1 "
#: The name a ``counted`` store keeps its count under, beside its entries (a name no entry has: hidden).
_COUNT = ".bytes"
#: A part found over its size is brought down to this share of it (7/8), so that the runs after it, a few entries
#: each, find their count within the size and list no file: a library's full cache is listed once in many runs.
_KEPT_EIGHTHS = 7


def key_path() -> Path:
    """Where this user's cache key lives: the XDG cache folder (``~/.cache`` unless ``XDG_CACHE_HOME`` says)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / KEY_FILE


def user_store(
    part: str, *, suffix: str = ".json", max_bytes: int | None = None, reads_renew: bool = False
) -> Store | None:
    """A part of this user's own cache, beside the key (``$XDG_CACHE_HOME/polyleaf/<part>/``, never in a project:
    a content repository cannot reach it); None where nothing can be cached (no home folder, no cache key)."""
    try:
        folder = key_path().parent
    except RuntimeError:  # no home folder
        return None
    if machine_key() is None:
        return None
    with contextlib.suppress(OSError):
        (folder / part).mkdir(mode=0o700, exist_ok=True)
    # processes of several projects write it at once: its size is looked up, not counted
    return Store(folder, part, folder="", suffix=suffix, max_bytes=max_bytes, reads_renew=reads_renew, counted=False)


def machine_key() -> bytes | None:
    """This user's cache key, made on first use; None when there is no usable one (then nothing is cached)."""
    try:
        path = key_path()
    except RuntimeError:  # no home folder
        return None
    return _key_at(path)


@cache
def _key_at(path: Path) -> bytes | None:
    key = _read_key(path)
    if key is None:
        with contextlib.suppress(OSError):
            _make_key(path)
            key = _read_key(path)
    return key


def _read_key(path: Path) -> bytes | None:
    """The key at ``path`` when it is one: a regular file of this user's that no one else can read or write."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        private = stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o077
        key = file.read(_KEY_BYTES + 1) if private else b""
    return key if len(key) == _KEY_BYTES else None


def _make_key(path: Path) -> None:
    """Write a new random key at ``path`` (mode 0600); a key another process made meanwhile wins, one that is not
    usable (another owner, readable by others, damaged) is replaced."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".cache-key-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(_KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temp, path)  # never replaces a key another process just made
        except FileExistsError:
            if _read_key(path) is None:
                os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def sign(place: str, payload: bytes) -> str:
    """This machine's signature of ``payload`` kept at ``place`` (a name for where it is: the same bytes elsewhere
    are not the same entry); empty without a key."""
    key = machine_key()
    return "" if key is None else _sign(key, place, payload)


def signed_here(place: str, payload: bytes, signature: str) -> bool:
    """Whether ``signature`` is this machine's for ``payload`` at ``place``."""
    expected = sign(place, payload)
    return bool(expected) and hmac.compare_digest(signature.encode("ascii", "replace"), expected.encode("ascii"))


def content_digest(*parts: str | bytes) -> str:
    """The SHA-256 naming what a cache entry was computed from: ``parts`` (texts, or bytes as they are) one after
    another, separated by NUL bytes."""
    digest = hashlib.sha256()
    for index, part in enumerate(parts):
        if index:
            digest.update(b"\0")
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def json_digest(value: Any) -> str:
    """``content_digest`` of plain JSON (lists, names, settings): its text, as ``json.dumps`` writes it."""
    return content_digest(json.dumps(value, ensure_ascii=False))


class Store:
    """The signed entries of one part of a cache: ``<base>/<folder>/<part>/<name><suffix>`` (the build's caches:
    ``<build>/.cache/<part>/<name>.json``).

    What every cache of polyleaf shares: entries signed with this machine's key and read without following a link
    (``load_bytes``; anything else is absent), written atomically and only when they change (``save_bytes``), plain
    JSON (``load``, ``save``), looked up by the content digest of what they were computed from (``lookup``), kept
    for the end of a run that went through (``stage``, then ``commit``: a run that stops writes nothing), and at
    most ``max_bytes`` large: the entries written longest ago go first or, with ``reads_renew``, those used least
    recently (reading an entry then sets its file's time; a project's caches are not touched by reading them). A
    cache keeps only what is its own: what its digest is made of and what its entries hold.

    A ``counted`` store (one process writes it at a time: a project's caches, under the project lock) keeps how many
    bytes it holds at most beside its entries (``_COUNT``: the bytes its entries held when they were last looked at,
    plus every entry written since — a replaced entry's old bytes not taken off, so the count says too much, never
    too little), and looks at its files only when that count is over ``max_bytes``: a library's caches hold tens of
    thousands of entries, and a run after an edit writes a few. The count is taken away before the first write and
    kept again by ``bound``, so a process that stops between them leaves none (the next ``bound`` looks).
    """

    def __init__(
        self,
        base: Path,
        part: str,
        *,
        folder: str = FOLDER,
        suffix: str = ".json",
        max_bytes: int | None = None,
        reads_renew: bool = False,
        counted: bool = True,
    ) -> None:
        self.build_dir = base
        self.folder = PurePosixPath(folder)
        self.part = PurePosixPath(part)
        self.suffix = suffix
        self.max_bytes = max_bytes
        self.reads_renew = reads_renew
        self.counted = counted and max_bytes is not None
        #: the bytes the part holds at most (``_COUNT``, taken away at the first write, plus what was written since);
        #: None while the count is where it is kept (or there is none)
        self._count: int | None = None
        self._uncounted = False  # a write found no count: ``bound`` looks at the files
        #: each staged entry as the JSON ``save`` writes, compressed (a run stages one for each of thousands of
        #: files and holds them to its end)
        self._staged: dict[str, bytes] = {}

    def path(self, name: str) -> Path:
        """Where the entry ``name`` is kept (``name`` may hold folders: ``es/leaflet``)."""
        return self.build_dir / self.folder / self.part / f"{name}{self.suffix}"

    def load_bytes(self, name: str) -> bytes | None:
        """The entry ``name`` as it was saved on this machine; None when it is missing or not trusted."""
        where = self._where(name)
        if where is None:
            return None
        raw = read_below(self.build_dir, self.folder / where)
        if raw is None or not raw.startswith(_MAGIC):
            return None
        signature, _, payload = raw[len(_MAGIC) :].partition(b"\n")
        if not signed_here(where.as_posix(), payload, signature.decode("ascii", "replace")):
            return None
        if self.reads_renew:  # recently used: kept longest
            with contextlib.suppress(OSError):
                os.utime(self.path(name), follow_symlinks=False)
        return payload

    def save_bytes(self, name: str, payload: bytes) -> bool:
        """Keep ``payload`` as the entry ``name``, signed; True when the file was written. A full disk or a folder
        that cannot be written is no error: a cache only saves time."""
        return self._save(name, payload, counts=self.counted)

    def _save(self, name: str, payload: bytes, *, counts: bool) -> bool:
        """``save_bytes``; ``counts``: the write changes the part's count (see the class docstring)."""
        where = self._where(name)
        if where is None:
            return False
        signature = sign(where.as_posix(), payload)
        if not signature:
            return False
        data = _MAGIC + signature.encode("ascii") + b"\n" + payload
        if read_below(self.build_dir, self.folder / where) == data:
            return False
        if not self._folder_is_ours(where.parent):
            return False
        if counts and self._count is None and not self._uncounted:  # the count goes while the part changes
            self._count = self._take_count()
            self._uncounted = self._count is None
        try:
            write_atomic(self.path(name), data, within=self.build_dir, durable=False)  # signed: a torn entry is absent
        except PolyleafError:
            return False
        if counts and self._count is not None:
            self._count += len(data)
        return True

    def load(self, name: str) -> Any:
        """The entry ``name`` as JSON (``load_bytes``); None when it is missing, not trusted or not JSON."""
        payload = self.load_bytes(name)
        if payload is None:
            return None
        try:
            return signed_json(payload)
        except ValueError:
            return None

    def save(self, name: str, value: Any) -> bool:
        """Keep ``value`` (plain JSON) as the entry ``name`` (``save_bytes``); a value JSON cannot hold is no error."""
        try:
            payload = encoded(value)
        except (TypeError, ValueError):  # ValueError: a lone surrogate, say
            return False
        return self.save_bytes(name, payload)

    def lookup(self, name: str, digest: str) -> dict[str, Any] | None:
        """The entry ``name`` (staged in this run, else kept) when it was computed from what ``digest`` names (its
        ``sha256``); None otherwise. The caller checks the shape of what it holds."""
        entry = self.latest(name)
        return entry if entry is not None and entry.get("sha256") == digest else None

    def latest(self, name: str) -> dict[str, Any] | None:
        """The entry ``name`` staged in this run, else kept, whatever it was computed from (None: none, or not an
        entry). The caller checks the shape of what it holds."""
        staged = self._staged.get(name)
        try:
            entry = self.load(name) if staged is None else signed_json(zlib.decompress(staged))
        except ValueError:
            return None
        return entry if isinstance(entry, dict) else None

    def stage(self, name: str, digest: str, fields: Mapping[str, Any] | Callable[[], Mapping[str, Any]]) -> None:
        """Keep ``fields`` (or what the function makes) as the entry ``name`` computed from ``digest``, written at
        ``commit``: encoded now, so that the run holds bytes, not what they were made from. An entry whose function
        raises ValueError, or that JSON cannot hold, is left out."""
        self._staged.pop(name, None)
        try:
            payload = encoded({"sha256": digest, **_fields(fields)})
        except (TypeError, ValueError):  # ValueError: a lone surrogate, say
            return
        self._staged[name] = zlib.compress(payload, 1)

    def staged(self) -> dict[str, bytes]:
        """The entries staged so far, as ``adopt`` takes them (a worker process hands them to the one that commits)."""
        return dict(self._staged)

    def adopt(self, staged: Mapping[str, bytes]) -> None:
        """Stage the entries another store of the same part staged (``staged``)."""
        self._staged.update(staged)

    def unstage(self, name: str) -> None:
        """Forget what was staged as the entry ``name`` (its caller keeps a newer one itself)."""
        self._staged.pop(name, None)

    def commit(self) -> None:
        """Write the staged entries (a file only when it changed), then keep the part within ``max_bytes``."""
        written = False
        for name, staged in sorted(self._staged.items()):
            written |= self.save_bytes(name, zlib.decompress(staged))
        self._staged.clear()
        if written:
            self.bound()

    def prune(self, keep: set[str]) -> None:
        """Remove the entries directly in this part of the cache whose names are not in ``keep``."""
        folder = open_folder_below(self.build_dir, self.folder / self.part)
        if folder is None:
            return
        try:
            for entry in os.scandir(folder):
                stem = entry.name.removesuffix(self.suffix)
                if entry.name.endswith(self.suffix) and stem not in keep and entry.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.name, dir_fd=folder)
        finally:
            os.close(folder)

    def bound(self) -> None:
        """Remove the oldest entries of a part over ``max_bytes`` (none without one) until it holds at most 7/8 of
        it (``_KEPT_EIGHTHS``); a ``counted`` store whose count is within ``max_bytes`` looks at no file, and keeps
        its count for the next."""
        if self.max_bytes is None:
            return
        count = self._count
        if self.counted and count is None and not self._uncounted:  # nothing written by this process since
            count = self._read_count()
        self._count, self._uncounted = None, False
        if count is not None and count <= self.max_bytes:
            self._keep_count(count)
            return
        folder = open_folder_below(self.build_dir, self.folder / self.part)
        if folder is None:
            return
        try:
            found = _files_below(folder, PurePosixPath())
            count_file = PurePosixPath(f"{_COUNT}{self.suffix}")
            entries = sorted((entry for entry in found if entry[1] != count_file), key=lambda entry: entry[0].st_mtime)
            total = sum(info.st_size for info, _ in entries)
            kept = self.max_bytes if total <= self.max_bytes else self.max_bytes * _KEPT_EIGHTHS // 8
            for info, relative in entries:
                if total <= kept:
                    break
                parent = open_folder_below(folder, relative.parent)
                if parent is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(relative.name, dir_fd=parent)
                        total -= info.st_size
                    os.close(parent)
        finally:
            os.close(folder)
        if self.counted:
            self._keep_count(total)

    def _read_count(self) -> int | None:
        """The count kept beside the entries (see the class docstring), if there is a well-formed one."""
        payload = self.load_bytes(_COUNT)
        if payload is None or not payload.isdigit():
            return None
        return int(payload)

    def _take_count(self) -> int | None:
        """The count kept beside the entries, removed (a process that stops before ``bound`` leaves none)."""
        count = self._read_count()
        folder = open_folder_below(self.build_dir, self.folder / self.part)  # never through a link
        if folder is not None:
            with contextlib.suppress(OSError):
                os.unlink(f"{_COUNT}{self.suffix}", dir_fd=folder)
            os.close(folder)
        return count

    def _keep_count(self, count: int) -> None:
        """Keep ``count`` beside the entries (it is not an entry: its own bytes are not counted)."""
        self._save(_COUNT, str(count).encode("ascii"), counts=False)

    def _where(self, name: str) -> PurePosixPath | None:
        """The entry's path inside the cache's folder (None for a name that would lead elsewhere)."""
        where = self.part / f"{name}{self.suffix}"
        return None if where.is_absolute() or ".." in where.parts or "" in name.split("/") else where

    def _folder_is_ours(self, folder: PurePosixPath) -> bool:
        """Whether the entry's folder is a real folder below the base folder, or can be made one (no link on the
        way: a cache is never written through one)."""
        here = self.build_dir
        for part in (*self.folder.parts, *folder.parts):
            here = here / part
            try:
                if not stat.S_ISDIR(here.lstat().st_mode):
                    return False
            except FileNotFoundError:
                return True  # created by the write, as a real folder
            except OSError:
                return False
        return True


def encoded(value: Any) -> bytes:
    """An entry's bytes: compact JSON, UTF-8 (``Store.save`` of ``value`` saves these)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signed_json(payload: bytes) -> Any:
    """An entry's JSON (``load_bytes``: signed on this machine, so written by polyleaf from its own values) — parsed
    without ``load_json``'s pass over the brackets, which guards against hand-made files and costs as much as the
    parse: a library's entries are megabytes. ValueError when it is not JSON."""
    return json.loads(payload)


def _fields(fields: Mapping[str, Any] | Callable[[], Mapping[str, Any]]) -> Mapping[str, Any]:
    return fields() if callable(fields) else fields


def _files_below(folder: int, relative: PurePosixPath) -> list[tuple[os.stat_result, PurePosixPath]]:
    """Every regular file in the open folder ``folder`` and the folders below it (links are not followed), with
    its status and its path relative to ``folder``."""
    found: list[tuple[os.stat_result, PurePosixPath]] = []
    inner = open_folder_below(folder, relative)
    if inner is None:
        return found
    try:
        for entry in os.scandir(inner):
            if entry.is_file(follow_symlinks=False):
                found.append((entry.stat(follow_symlinks=False), relative / entry.name))
            elif entry.is_dir(follow_symlinks=False):
                found += _files_below(folder, relative / entry.name)
    except OSError:
        pass
    finally:
        os.close(inner)
    return found


def _sign(key: bytes, place: str, payload: bytes) -> str:
    """The signature of an entry: its place (an entry moved elsewhere is not the same) and its bytes."""
    mac = hmac.new(key, place.encode("utf-8", "surrogateescape") + b"\0", hashlib.sha256)
    mac.update(payload)
    return mac.hexdigest()
