"""Argos packages on disk: which are installed, where they live, and which package(s) translate a pair. Installing
one (from an ``.argosmodel`` file or the argos index) is ``package_install``.

Discovery reads each package folder's ``metadata.json`` itself (as ``argostranslate.package.Package`` does) and skips
hidden folders, so an install in progress is invisible. argostranslate itself is not a dependency (it requires stanza,
hence torch, which pip would install): where packages live and which index to download from are read here the way
argos reads them (``ARGOS_PACKAGES_DIR``/``ARGOS_PACKAGE_INDEX`` from the environment, else argos' ``settings.json``,
else its default folder under ``XDG_DATA_HOME``), at call time, and nothing is created until a package is installed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polyleaf.errors import TranslationError
from polyleaf.fsio import read_regular
from polyleaf.jsonio import load_json

PIVOT = "en"
INSTALL_HINT = "install one with `polyleaf models install FILE.argosmodel`"
DEFAULT_PACKAGE_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"

#: A package's ``metadata.json`` is read only up to this size (real ones are a few hundred bytes).
MAX_METADATA_BYTES = 1024**2

_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,8}(?:[_-][A-Za-z0-9]{1,8}){0,3}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,31}")
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
                package = read_installed(folder)
                if package is not None:
                    packages.append(package)
    return sorted(packages, key=lambda package: (package.from_code, package.to_code, version_key(package.version)))


def read_installed(folder: Path) -> ArgosPackage | None:
    """The translation package in ``folder`` (None for other package types, e.g. argos' sentence splitters)."""
    metadata_path = folder / "metadata.json"
    try:
        metadata = read_metadata(read_regular(metadata_path, MAX_METADATA_BYTES + 1))
    except (OSError, ValueError) as error:
        raise TranslationError(f"cannot read the installed argos packages: {one_line(error)}", metadata_path) from None
    if metadata.get("type", "translate") != "translate":
        return None
    return package_of(metadata, folder)


def read_metadata(data: bytes) -> dict[str, Any]:
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


def package_of(metadata: dict[str, Any], folder: Path) -> ArgosPackage:
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
