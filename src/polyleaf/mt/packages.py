"""Argos packages on disk: which are installed, which package(s) translate a pair, installing an ``.argosmodel``
file safely, downloading from the argos index.

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

Discovery reads each package folder's ``metadata.json`` itself (as ``argostranslate.package.Package`` does) and skips
hidden folders, so an install in progress is invisible. argostranslate itself is not a dependency (it requires stanza,
hence torch, which pip would install): where packages live and which index to download from are read here the way
argos reads them (``ARGOS_PACKAGES_DIR``/``ARGOS_PACKAGE_INDEX`` from the environment, else argos' ``settings.json``,
else its default folder under ``XDG_DATA_HOME``), at call time, and nothing is created until a package is installed.
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
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polyleaf.errors import TranslationError
from polyleaf.fsio import read_regular
from polyleaf.jsonio import load_json
from polyleaf.progress import Advance, ProgressFactory, in_megabytes

PIVOT = "en"
INSTALL_HINT = "install one with `polyleaf models install FILE.argosmodel`"
NETWORK_TIMEOUT = 10.0
DEFAULT_PACKAGE_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"

#: Limits on an ``.argosmodel`` archive. Real packages hold a dozen files, 30 MB to 1.5 GB unpacked, and compress
#: at most about 3:1 (int8 weights); a member that inflates more than 200:1 is a zip bomb.
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 8 * 1024**3
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1024**2
MAX_METADATA_BYTES = 1024**2
STAGING_PREFIX = ".polyleaf-install-"

_PACKAGE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,8}(?:[_-][A-Za-z0-9]{1,8}){0,3}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,31}")
_DRIVE = re.compile(r"[A-Za-z]:")
#: The language pair a package's folder or file name spells, as argos names them (``translate-en_es-1_0``).
_PAIR_IN_NAME = re.compile(r"(?:^|[^A-Za-z])([A-Za-z]{2,3})_([A-Za-z]{2,3})(?=$|[^A-Za-z])")
_SPECIAL_CODES = {("pt", "BR"): "pb", ("zh", "Hant"): "zt", ("zh", "TW"): "zt", ("zh", "HK"): "zt", ("zh", "MO"): "zt"}


def argos_code(identifier: str) -> str:
    """The argos language code for a Babel identifier: ``pt_BR`` → ``pb``, ``zh_Hans`` → ``zh``, ``zh_Hant`` →
    ``zt``, otherwise the language part (``es_MX`` → ``es``)."""
    parts = identifier.replace("-", "_").split("_")
    language = parts[0].lower()
    for subtag in parts[1:]:
        special = _SPECIAL_CODES.get((language, subtag))
        if special is not None:
            return special
    return language


def route_pairs(source: str, target: str, available: Collection[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The argos pairs that translate ``source`` into ``target`` (Babel identifiers): the direct pair, else the two
    legs of a pivot through English; empty when ``available`` has neither."""
    src, tgt = argos_code(source), argos_code(target)
    if (src, tgt) in available:
        return ((src, tgt),)
    legs = ((src, PIVOT), (PIVOT, tgt))
    if PIVOT not in (src, tgt) and all(leg in available for leg in legs):
        return legs
    return ()


def missing_message(source: str, target: str) -> str:
    return f"no package for {target} ({source} → {target}): {INSTALL_HINT}"


@dataclass(frozen=True, slots=True)
class ArgosPackage:
    """An installed translation package (argos codes, not Babel identifiers)."""

    from_code: str
    to_code: str
    version: str
    path: Path
    target_prefix: str = ""

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"


def one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", version))


def _home() -> Path:
    """The home argos uses: the snap's own data folder inside a snap."""
    return Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()


def argos_setting(key: str) -> str | None:
    """An argos setting as argostranslate reads it: the environment first, else argos' ``settings.json``."""
    from_env = os.environ.get(key)
    if from_env is not None:
        return from_env
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config")
    path = config_home / "argos-translate" / "settings.json"
    try:
        settings = load_json(read_regular(path))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:  # also UnicodeDecodeError
        raise TranslationError(f"cannot read argos' settings: {one_line(error)}", path) from None
    value = settings.get(key) if isinstance(settings, dict) else None
    return None if value is None else str(value)


def install_dir() -> Path:
    """Where ``install_package`` puts packages (argos' ``package_data_dir``)."""
    configured = argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    data_home = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def package_dirs() -> list[Path]:
    """Where packages are looked for: ``install_dir``, and inside a snap the packages it bundles (argos'
    ``package_dirs``)."""
    found = [install_dir()]
    snap = os.environ.get("SNAP")
    if snap:
        bundled = Path(snap) / "snap_custom"
        found += [bundled / "packages"] if (bundled / "packages").is_dir() else []
        content = bundled / "content_snap_packages"
        found += sorted(path for path in content.iterdir() if path.is_dir()) if content.is_dir() else []
    return found


def package_index_url() -> str:
    """The argos package index (``ARGOS_PACKAGE_INDEX`` names the folder that holds ``index.json``)."""
    return (argos_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_PACKAGE_INDEX) + "index.json"


def installed_packages() -> list[ArgosPackage]:
    """Installed translation packages, sorted by pair and version; a folder that is not a readable package is an
    error naming it (hidden folders, such as an install in progress, are skipped)."""
    packages = []
    for directory in package_dirs():
        try:
            folders = sorted(path for path in directory.iterdir() if not path.name.startswith("."))
        except FileNotFoundError:
            continue
        except OSError as error:
            raise TranslationError(f"cannot read the installed argos packages: {one_line(error)}", directory) from None
        for folder in folders:
            if folder.is_dir():
                package = _read_installed(folder)
                if package is not None:
                    packages.append(package)
    return sorted(packages, key=lambda package: (package.from_code, package.to_code, version_key(package.version)))


def _read_installed(folder: Path) -> ArgosPackage | None:
    """The translation package in ``folder`` (None for other package types, e.g. argos' sentence splitters)."""
    metadata_path = folder / "metadata.json"
    try:
        metadata = _metadata(read_regular(metadata_path, MAX_METADATA_BYTES + 1))
    except (OSError, ValueError) as error:
        raise TranslationError(f"cannot read the installed argos packages: {one_line(error)}", metadata_path) from None
    if metadata.get("type", "translate") != "translate":
        return None
    return _package(metadata, folder)


def _metadata(data: bytes) -> dict[str, Any]:
    """Parsed and checked ``metadata.json`` (ValueError says what is wrong)."""
    if len(data) > MAX_METADATA_BYTES:
        raise ValueError("metadata.json is larger than 1 MB")
    try:
        metadata = load_json(data.decode("utf-8"))
    except ValueError as error:  # also UnicodeDecodeError
        raise ValueError(f"metadata.json: {one_line(error)}") from None
    if not isinstance(metadata, dict):
        raise ValueError("metadata.json is not an object")
    if metadata.get("type", "translate") != "translate":
        return metadata
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not value:
            raise ValueError(f"metadata.json has no {key}")
        if not _LANGUAGE_CODE.fullmatch(value):
            raise ValueError(f"metadata.json: {key} {value[:40]!r} is not a language code")
    version = str(metadata.get("package_version") or "0")
    if not _VERSION.fullmatch(version):
        raise ValueError(f"metadata.json: package_version {version[:40]!r} is not a version")
    prefix = metadata.get("target_prefix", "")
    if not isinstance(prefix, str) or len(prefix) > 64 or any(char.isspace() for char in prefix):
        raise ValueError("metadata.json: target_prefix is not a single token")
    return metadata


def _package(metadata: dict[str, Any], folder: Path) -> ArgosPackage:
    return ArgosPackage(
        from_code=str(metadata["from_code"]),
        to_code=str(metadata["to_code"]),
        version=str(metadata.get("package_version") or "0"),
        path=folder,
        target_prefix=str(metadata.get("target_prefix", "")),
    )


def best_packages(packages: Iterable[ArgosPackage]) -> dict[tuple[str, str], ArgosPackage]:
    """The newest package of every pair."""
    best: dict[tuple[str, str], ArgosPackage] = {}
    for package in packages:
        key = (package.from_code, package.to_code)
        if key not in best or version_key(package.version) > version_key(best[key].version):
            best[key] = package
    return best


# ----------------------------------------------------------------------------------------------- install


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
        installed = _read_installed(destination) if destination.is_dir() and not destination.is_symlink() else None
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
            metadata = _metadata(read_member(archive, archive.getinfo(f"{top}/metadata.json"), MAX_METADATA_BYTES))
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
    return _package(metadata, root / top)


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
