"""Installing argos packages: an ``.argosmodel`` file checked and installed safely, or downloaded from the argos
index.

An ``.argosmodel`` file is untrusted input (a content repository or a download may carry one). Installing it
checks the whole archive before a byte is written: one top folder with a plain name, member paths without ``.``,
``..``, absolute, backslash or drive parts, only regular files and folders (no symbolic links or devices, read from
the zip's Unix mode bits), no duplicate names (also case-insensitively), bounded member count, sizes and
compression ratios (zip bombs), valid ``metadata.json``, and a package that is what it says: a folder or file
name that names a pair (``translate-en_es-1_0``) must name its metadata's pair, and a package may only replace an
installed package of the same pair (an en→fr archive whose folder is named like the installed en→es package would
otherwise swap it out). It then extracts into a fresh hidden folder inside the
packages directory, creating every file itself (``O_EXCL | O_NOFOLLOW``, at most the declared size), and swaps
atomically: the installed package of the same name is renamed aside, the new one renamed in, then the old one
removed. Nothing outside the new package's own folder and that fresh folder is ever deleted or written.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from polyleaf.errors import TranslationError
from polyleaf.jsonio import load_json
from polyleaf.mt.packages import (
    MAX_METADATA_BYTES,
    ArgosPackage,
    best_packages,
    install_dir,
    installed_packages,
    one_line,
    package_index_url,
    package_of,
    read_installed,
    read_metadata,
    route_pairs,
)
from polyleaf.progress import Advance, ProgressFactory, in_megabytes

NETWORK_TIMEOUT = 10.0
#: Limits on an ``.argosmodel`` archive. Real packages hold a dozen files, 30 MB to 1.5 GB unpacked, and compress
#: at most about 3:1 (int8 weights); a member that inflates more than 200:1 is a zip bomb.
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 8 * 1024**3
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1024**2
STAGING_PREFIX = ".polyleaf-install-"

_PACKAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
_DRIVE = re.compile(r"[A-Za-z]:")
#: The language pair a package's folder or file name spells, as argos names them (``translate-en_es-1_0``).
_PAIR_IN_NAME = re.compile(r"(?:^|[^A-Za-z])([A-Za-z]{2,3})_([A-Za-z]{2,3})(?=$|[^A-Za-z])")


def _not_a_kind(reason: str, path: Path, kind: str) -> TranslationError:
    article = "an" if kind[:1] in "aeiou" else "a"
    return TranslationError(f"not {article} {kind} ({reason})", path)


def _not_a_package(reason: str, path: Path) -> TranslationError:
    return _not_a_kind(reason, path, "argos package")


def _member_parts(info: zipfile.ZipInfo, path: Path, what_archive: str = "argos package") -> tuple[str, ...]:
    """The folder/file names of one archive member, refused unless each is a plain relative name."""
    name = info.filename
    shown = repr(name[:80])
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or _DRIVE.match(name):
        raise _not_a_kind(f"unsafe path {shown} in the archive", path, what_archive)
    parts = tuple(name[:-1].split("/") if name.endswith("/") else name.split("/"))
    if any(part in ("", ".", "..") or any(ord(char) < 32 for char in part) for part in parts):
        raise _not_a_kind(f"unsafe path {shown} in the archive", path, what_archive)
    mode = stat.S_IFMT(info.external_attr >> 16)
    if mode not in (0, stat.S_IFREG, stat.S_IFDIR):
        what = "a symbolic link" if mode == stat.S_IFLNK else "not a regular file"
        raise _not_a_kind(f"{shown} is {what}", path, what_archive)
    if mode == stat.S_IFDIR and not info.is_dir():
        raise _not_a_kind(f"{shown} is not a regular file", path, what_archive)
    return parts


def check_archive(
    archive: zipfile.ZipFile, path: Path, manifest: str = "metadata.json", kind: str = "argos package"
) -> tuple[str, list[zipfile.ZipInfo]]:
    """The package folder name and the file members, after every structural check (nothing decompressed);
    ``manifest`` is the file the folder must hold, ``kind`` what errors call the archive."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _not_a_kind(f"more than {MAX_MEMBERS} members", path, kind)
    seen: dict[str, str] = {}
    folders: set[tuple[str, ...]] = set()
    files: dict[tuple[str, ...], zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        parts = _member_parts(info, path, kind)
        key = "/".join(parts).casefold()
        if key in seen:
            raise _not_a_kind(f"duplicate member {info.filename[:80]!r}", path, kind)
        seen[key] = info.filename
        folders.update(parts[:end] for end in range(1, len(parts)))
        if info.is_dir():
            folders.add(parts)
            continue
        files[parts] = info
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise _not_a_kind(f"more than {MAX_UNPACKED_BYTES // 1024**3} GB unpacked", path, kind)
        if info.file_size > RATIO_CHECKED_ABOVE and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise _not_a_kind(f"{info.filename[:80]!r} inflates more than {MAX_RATIO}:1 (a zip bomb?)", path, kind)
    clash = next((parts for parts in files if parts in folders), None)
    if clash is not None:
        raise _not_a_kind(f"{'/'.join(clash)[:80]!r} is both a file and a folder", path, kind)
    tops = {parts[0] for parts in [*files, *folders]}
    top = next(iter(tops)) if len(tops) == 1 else ""
    if not top or (top,) in files or (top, manifest) not in files:
        raise _not_a_kind(f"expected one folder with {manifest} at the archive root", path, kind)
    if not _PACKAGE_NAME.fullmatch(top):
        raise _not_a_kind(f"package folder name {top[:80]!r} is not a plain name", path, kind)
    return top, [files[parts] for parts in sorted(files)]


def _check_contents(top: str, files: list[zipfile.ZipInfo], path: Path) -> None:
    names = {info.filename for info in files}
    if f"{top}/model/model.bin" not in names:
        raise _not_a_package("no model/model.bin", path)
    if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
        raise _not_a_package("no sentencepiece.model or bpe.model", path)


def _check_identity(metadata: dict[str, Any], top: str, path: Path, destination: Path) -> None:
    """Refuse a package that is not what it says: its folder or file name names another pair than its metadata,
    or it would replace an installed package that is not one of the same pair (or not a readable package)."""
    pair = (str(metadata["from_code"]).lower(), str(metadata["to_code"]).lower())
    for name in (top, path.stem):
        named = _PAIR_IN_NAME.search(name)
        if named is not None and (named.group(1).lower(), named.group(2).lower()) != pair:
            says = f"{named.group(1)}-{named.group(2)}"
            raise _not_a_package(f"{name[:80]!r} names the pair {says}, its metadata.json {'-'.join(pair)}", path)
    if not os.path.lexists(destination):
        return
    try:
        installed = read_installed(destination) if destination.is_dir() and not destination.is_symlink() else None
    except TranslationError:
        installed = None
    if installed is None or (installed.from_code.lower(), installed.to_code.lower()) != pair:
        what = f"the installed {installed.pair} package" if installed is not None else "something that is not a package"
        raise TranslationError(
            f"refused: this {'-'.join(pair)} package would replace {what} in {destination} (remove that folder "
            "yourself if it should go)",
            path,
        )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{info.filename} is larger than {limit} bytes")
    return data


def extract(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo], into: Path, advance: Advance | None) -> None:
    """Write ``files`` below ``into``, each file created here (never followed, never replaced) and at most its
    declared size, telling ``advance`` the bytes written; the zip module checks every CRC as the data is read."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for info in files:
        target = into.joinpath(*info.filename.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with archive.open(info) as source, open(os.open(target, flags, 0o644), "wb") as sink:
            while chunk := source.read(1024 * 1024):
                written += len(chunk)
                if written > info.file_size:
                    raise zipfile.BadZipFile(f"{info.filename} is larger than its declared size")
                sink.write(chunk)
                if advance is not None:
                    advance(len(chunk))
            sink.flush()
            os.fsync(sink.fileno())


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(new: Path, destination: Path, aside: Path) -> None:
    """Replace ``destination`` by ``new`` with two renames (the old one goes to ``aside``, removed by the caller);
    if the second rename fails the old package is put back."""
    had_previous = os.path.lexists(destination)
    if had_previous:
        os.rename(destination, aside)
    try:
        os.rename(new, destination)
    except OSError:
        if had_previous:
            os.rename(aside, destination)
        raise
    _fsync_dir(destination.parent)


def install_package(path: Path, progress: ProgressFactory | None = None) -> ArgosPackage:
    """Check and install an ``.argosmodel`` file (see the module docstring); a package installed in the same folder
    is replaced atomically. ``progress`` counts the megabytes unpacked (a real package is 30 MB to 1.5 GB)."""
    if not path.is_file():
        raise TranslationError("not a regular file" if path.exists() else "no such file", path)
    if not zipfile.is_zipfile(path):
        raise _not_a_package("not a zip archive", path)
    root = install_dir()
    try:
        with zipfile.ZipFile(path) as archive:
            top, files = check_archive(archive, path)
            metadata = read_metadata(read_member(archive, archive.getinfo(f"{top}/metadata.json"), MAX_METADATA_BYTES))
            if metadata.get("type", "translate") != "translate":
                raise TranslationError(f"not a translation package (type {metadata.get('type')!r})", path)
            _check_contents(top, files, path)
            _check_identity(metadata, top, path, root / top)
            needed = sum(info.file_size for info in files)
            root.mkdir(parents=True, exist_ok=True)
            if shutil.disk_usage(root).free < needed:
                raise TranslationError(f"not enough disk space in {root} ({needed / 1e6:.0f} MB needed)", path)
            staging = Path(tempfile.mkdtemp(dir=root, prefix=STAGING_PREFIX))
            try:
                extract(archive, files, staging, in_megabytes(progress, f"installing {path.name}", needed))
                swap_in(staging / top, root / top, staging / ".previous")
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise TranslationError(f"corrupt archive: {one_line(error)}", path) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise _not_a_package(one_line(error), path) from None
    except OSError as error:
        raise TranslationError(f"cannot install: {error.strerror or one_line(error)}", path) from None
    return package_of(metadata, root / top)


# ----------------------------------------------------------------------------------------------- download


def _fetch(url: str, what: str, timeout: float, progress: ProgressFactory | None = None, label: str = "") -> bytes:
    """The body at ``url`` (``what`` it is, for an error); with ``progress``, counted in MB under ``label`` when the
    server says how long it is."""
    request = urllib.request.Request(url, headers={"User-Agent": "polyleaf"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            size = int(response.headers.get("Content-Length") or 0) if progress is not None else 0
            advance = in_megabytes(progress, label, size)
            if advance is None:
                return bytes(response.read())
            chunks = []
            while chunk := response.read(1024 * 1024):
                chunks.append(chunk)
                advance(len(chunk))
            return b"".join(chunks)
    except urllib.error.URLError as error:
        reason = one_line(error.reason) if isinstance(error.reason, BaseException) else str(error.reason)
    except (OSError, http.client.HTTPException, ValueError) as error:
        reason = one_line(error)
    raise TranslationError(
        f"cannot reach {what} ({reason}); get the .argosmodel file another way and run "
        "`polyleaf models install FILE.argosmodel`"
    )


def _available(timeout: float) -> dict[tuple[str, str], tuple[str, ...]]:
    """The download links of each translation package of the argos index (fetched now). Entries are read as
    argostranslate reads them (``type`` defaults to ``translate``); one without a pair is skipped."""
    url = package_index_url()
    try:
        index = load_json(_fetch(url, "the argos package index", timeout))
    except (ValueError, UnicodeDecodeError):
        raise TranslationError(f"the argos package index is not valid JSON ({url})") from None
    if not isinstance(index, list):
        raise TranslationError(f"the argos package index is not a list of packages ({url})")
    available: dict[tuple[str, str], tuple[str, ...]] = {}
    for entry in index:
        if not isinstance(entry, dict) or entry.get("type", "translate") != "translate":
            continue
        pair = (entry.get("from_code"), entry.get("to_code"))
        links = entry.get("links")
        if all(isinstance(code, str) and code for code in pair) and isinstance(links, list):
            available[(str(pair[0]), str(pair[1]))] = tuple(str(link) for link in links)
    return available


def download_packages(
    languages: Sequence[str],
    source: str = "en",
    timeout: float = NETWORK_TIMEOUT,
    progress: ProgressFactory | None = None,
) -> list[ArgosPackage]:
    """Download and install from the argos index what translating ``source`` into ``languages`` needs (the rule of
    ``route_pairs``); packages already installed are skipped."""
    available = _available(timeout)
    installed = best_packages(installed_packages())
    wanted: dict[tuple[str, str], tuple[str, ...]] = {}
    unavailable: list[str] = []
    for language in languages:
        legs = route_pairs(source, language, installed.keys() | available.keys())
        if not legs:
            unavailable.append(language)
        wanted.update({leg: available[leg] for leg in legs if leg not in installed})
    if unavailable:
        raise TranslationError(f"the argos index has no package for {', '.join(unavailable)} (from {source})")
    result: list[ArgosPackage] = []
    for (src, tgt), links in wanted.items():
        if not links:
            raise TranslationError(f"the argos index lists no download link for {src}-{tgt}")
        data = b""
        for number, link in enumerate(links):
            try:
                data = _fetch(link, f"the download of {src}-{tgt}", timeout, progress, f"downloading {src}-{tgt}")
                break
            except TranslationError:
                if number == len(links) - 1:
                    raise
        with tempfile.TemporaryDirectory(prefix="polyleaf-download-") as work:
            archive = Path(work) / f"translate-{src}_{tgt}.argosmodel"
            archive.write_bytes(data)
            result.append(install_package(archive, progress))
    return result
