"""CTranslate2 model folders: the manifest that describes one, which are installed, installing one from a folder
or a zip archive with the safety of argos packages (``polyleaf.mt.package_install``), and removing one.

A model folder is what ``ct2-transformers-converter --copy_files …`` writes (``model.bin``, ``config.json``, the
vocabulary files) with the sentencepiece model(s) beside it and ``polyleaf-model.json``::

    {"name": "nllb-200-distilled-600M", "family": "nllb", "version": "1.0", "licence": "CC-BY-NC-4.0",
     "languages": {"en": "eng_Latn", "so": "som_Latn", "ti": "tir_Ethi"}}

``family`` is one of ``polyleaf.mt.families.FAMILIES``; ``languages`` maps Babel identifiers to the model's codes
(or lists codes that are the same in both), for both directions, or ``sources`` and ``targets`` do so for each side
(a one-pair Marian model); ``source_prefix``/``target_prefix`` and ``source_tokenizer``/``target_tokenizer``
override the family's defaults; ``non_commercial`` defaults to whether the licence is a ``-NC`` one.

A model is checked whole before it is installed: the archive's members (as for argos packages), the manifest, the
files it names, and that every language token the manifest implies is in the model's vocabulary (a manifest that
promises ``som_Latn`` to a model that has no such token would make it translate into the wrong language). Models
live in ``POLYLEAF_MODELS_DIR``, else ``$XDG_DATA_HOME/polyleaf/models``, one folder per model name, and are
swapped in atomically.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polyleaf import locale
from polyleaf.errors import ConfigError, TranslationError
from polyleaf.mt.decoding import Framing
from polyleaf.mt.families import END_OF_SENTENCE, FAMILIES
from polyleaf.mt.package_install import MAX_UNPACKED_BYTES, STAGING_PREFIX, check_archive, extract, read_member, swap_in
from polyleaf.mt.packages import MAX_METADATA_BYTES, one_line, version_key
from polyleaf.progress import ProgressFactory, in_megabytes

MANIFEST = "polyleaf-model.json"
KIND = "CTranslate2 model"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
_KEYS = {
    "name",
    "family",
    "version",
    "licence",
    "non_commercial",
    "languages",
    "sources",
    "targets",
    "source_prefix",
    "target_prefix",
    "source_tokenizer",
    "target_tokenizer",
    "description",
}
_VOCABULARIES = {
    "source": ("source_vocabulary.json", "source_vocabulary.txt", "shared_vocabulary.json", "shared_vocabulary.txt"),
    "target": ("target_vocabulary.json", "target_vocabulary.txt", "shared_vocabulary.json", "shared_vocabulary.txt"),
}


@dataclass(frozen=True, slots=True)
class CtModel:
    """An installed CTranslate2 model folder, as its manifest describes it (languages: Babel identifier → the
    model's code)."""

    name: str
    family: str
    version: str
    licence: str
    non_commercial: bool
    sources: tuple[tuple[str, str], ...]
    targets: tuple[tuple[str, str], ...]
    source_tokenizer: str
    target_tokenizer: str
    source_prefix: str
    target_prefix: str
    path: Path

    def code(self, identifier: str, side: str) -> str | None:
        """The model's code for ``identifier`` on the ``source`` or ``target`` side: the identifier itself, else
        without its territory (``pt_BR`` → ``pt``); never another script."""
        codes = dict(self.sources if side == "source" else self.targets)
        return next((codes[key] for key in _candidates(identifier) if key in codes), None)

    def covers(self, source: str, target: str) -> bool:
        return self.code(source, "source") is not None and self.code(target, "target") is not None

    def codes(self, source: str, target: str) -> tuple[str, str]:
        return self.code(source, "source") or "", self.code(target, "target") or ""

    def framing(self, source: str, target: str) -> Framing:
        """The tokens around a ``source`` → ``target`` text (Babel identifiers) for this model's family."""
        return FAMILIES[self.family].framing(self.source_prefix, self.target_prefix, *self.codes(source, target))


def _candidates(identifier: str) -> list[str]:
    parts = identifier.replace("-", "_").split("_")
    kept = [part for part in parts[1:] if not (part.isupper() or part.isdigit())]
    return list(dict.fromkeys([identifier, "_".join([parts[0], *kept]), parts[0]]))


def models_dir() -> Path:
    """Where CTranslate2 models are installed (``POLYLEAF_MODELS_DIR``, else under ``XDG_DATA_HOME``)."""
    configured = os.environ.get("POLYLEAF_MODELS_DIR")
    if configured:
        return Path(configured)
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "polyleaf" / "models"


def installed_ct2_models() -> list[CtModel]:
    """Installed models, by name; a folder that is not a readable model is an error naming it (hidden folders,
    such as an install in progress, are skipped)."""
    root = models_dir()
    try:
        folders = sorted(path for path in root.iterdir() if not path.name.startswith(".") and path.is_dir())
    except FileNotFoundError:
        return []
    except OSError as error:
        raise TranslationError(f"cannot read the installed models: {one_line(error)}", root) from None
    return [read_model(folder) for folder in folders]


def best_models(models: Iterable[CtModel]) -> list[CtModel]:
    """The models sorted by name (the order ``ctranslate2`` without a model name tries them in), newest first."""
    return sorted(models, key=lambda model: (model.name, [-part for part in version_key(model.version)]))


def read_model(folder: Path) -> CtModel:
    """The model in ``folder``, its manifest checked (not its files: see ``check_files``)."""
    path = folder / MANIFEST
    try:
        return parse_manifest(_manifest_bytes(folder), folder)
    except (OSError, ValueError) as error:
        raise TranslationError(f"cannot read the installed model: {one_line(error)}", path) from None


def parse_manifest(data: bytes, folder: Path) -> CtModel:
    """A manifest's model (ValueError says what is wrong)."""
    if len(data) > MAX_METADATA_BYTES:
        raise ValueError(f"{MANIFEST} is larger than 1 MB")
    try:
        raw = json.loads(data.decode("utf-8"))
    except ValueError as error:  # also UnicodeDecodeError
        raise ValueError(f"{MANIFEST}: {one_line(error)}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{MANIFEST} is not an object")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ValueError(f"{MANIFEST}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    name = _text(raw, "name", _NAME)
    family = _text(raw, "family")
    if family not in FAMILIES:
        raise ValueError(f"{MANIFEST}: family {family[:40]!r} is not one of {', '.join(FAMILIES)}")
    licence = _text(raw, "licence")
    non_commercial = raw.get("non_commercial", bool(re.search(r"(^|[-_ ])NC($|[-_ ])", licence, re.IGNORECASE)))
    if not isinstance(non_commercial, bool):
        raise ValueError(f"{MANIFEST}: non_commercial must be true or false")
    defaults = FAMILIES[family]
    if "languages" in raw and ("sources" in raw or "targets" in raw):
        raise ValueError(f"{MANIFEST}: give languages, or sources and targets, not both")
    sources = _languages(raw, "languages" if "languages" in raw else "sources")
    targets = _languages(raw, "languages" if "languages" in raw else "targets")
    source_tokenizer = _text(raw, "source_tokenizer", _FILE, defaults.source_tokenizer)
    return CtModel(
        name=name,
        family=family,
        version=_text(raw, "version", _NAME, "1"),
        licence=licence,
        non_commercial=non_commercial,
        sources=sources,
        targets=targets,
        source_tokenizer=source_tokenizer,
        target_tokenizer=_text(
            raw,
            "target_tokenizer",
            _FILE,
            source_tokenizer if "source_tokenizer" in raw and family != "marian" else defaults.target_tokenizer,
        ),
        source_prefix=_template(raw, "source_prefix", defaults.source_prefix),
        target_prefix=_template(raw, "target_prefix", defaults.target_prefix),
        path=folder,
    )


def _text(raw: Mapping[str, Any], key: str, pattern: re.Pattern[str] | None = None, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{MANIFEST} has no {key}")
    if pattern is not None and not pattern.fullmatch(value):
        raise ValueError(f"{MANIFEST}: {key} {value[:40]!r} is not a plain name")
    return value.strip()


def _template(raw: Mapping[str, Any], key: str, default: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or len(value) > 64 or any(char.isspace() for char in value):
        raise ValueError(f"{MANIFEST}: {key} must be one token (with {{source}} or {{target}})")
    try:
        value.format(source="x", target="y")
    except (KeyError, IndexError, ValueError):
        raise ValueError(f"{MANIFEST}: {key} {value!r} may only use {{source}} and {{target}}") from None
    return value


def _languages(raw: Mapping[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    """Babel identifier → model code, from a table or a list of codes that are both."""
    value = raw.get(key)
    pairs = value.items() if isinstance(value, dict) else [(code, code) for code in value or []]
    if not isinstance(value, dict | list) or not value:
        raise ValueError(f"{MANIFEST}: {key} must map language identifiers to the model's codes")
    mapping: dict[str, str] = {}
    for identifier, code in pairs:
        if not isinstance(identifier, str) or not isinstance(code, str) or not _CODE.fullmatch(code):
            raise ValueError(f"{MANIFEST}: {key}: {str(code)[:40]!r} is not a language code")
        try:
            mapping[locale.normalize(identifier)] = code
        except ConfigError:
            raise ValueError(f"{MANIFEST}: {key}: {identifier[:40]!r} is not a language identifier") from None
    return tuple(sorted(mapping.items()))


def vocabulary(folder: Path, side: str) -> set[str]:
    """The tokens of the model's ``source`` or ``target`` vocabulary (CTranslate2's JSON or text files)."""
    for name in _VOCABULARIES[side]:
        path = folder / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if name.endswith(".json"):
            tokens = json.loads(text)
            if not isinstance(tokens, list):
                raise ValueError(f"{name} is not a list of tokens")
            return {str(token) for token in tokens}
        return set(text.split("\n"))
    raise ValueError(f"no {side} vocabulary ({' or '.join(_VOCABULARIES[side][::2])})")


def check_files(model: CtModel) -> None:
    """The files the manifest names are there, and every token it frames a text with is in the vocabulary."""
    folder = model.path
    for name in ("model.bin", model.source_tokenizer, model.target_tokenizer):
        if not (folder / name).is_file():
            raise ValueError(f"no {name} in the model folder")
    source_vocabulary, target_vocabulary = vocabulary(folder, "source"), vocabulary(folder, "target")
    for source, _ in model.sources:
        for target, _ in model.targets:
            if source == target:
                continue
            framing = model.framing(source, target)
            for token in (*framing.source_prefix, *framing.source_suffix):
                if token not in source_vocabulary:
                    raise ValueError(f"{MANIFEST}: {source}→{target} needs {token!r}, not in the source vocabulary")
            for token in framing.target_prefix:
                if token not in target_vocabulary:
                    raise ValueError(f"{MANIFEST}: {source}→{target} needs {token!r}, not in the target vocabulary")
    if END_OF_SENTENCE not in source_vocabulary:
        raise ValueError(f"the source vocabulary has no {END_OF_SENTENCE}")


# ----------------------------------------------------------------------------------------------- install


def install_ct2_model(path: Path, progress: ProgressFactory | None = None) -> CtModel:
    """Check and install a model folder or a zip archive of one (see the module docstring); an installed model of
    the same name is replaced atomically, and nothing else is ever touched."""
    if path.is_dir():
        files = _folder_files(path)
        needed = sum(size for _, size in files)
    elif zipfile.is_zipfile(path):
        files, needed = [], 0
    elif path.is_file():
        raise TranslationError(f"not a {KIND} (neither a folder nor a zip archive)", path)
    else:
        raise TranslationError("no such file or folder", path)
    root = models_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=root, prefix=STAGING_PREFIX))
        try:
            unpacked = staging / "model"
            if files:
                parse_manifest(_manifest_bytes(path), path)  # before copying gigabytes
                _copy(path, files, unpacked, in_megabytes(progress, f"installing {path.name}", needed))
            else:
                _unzip(path, unpacked, progress)
            model = parse_manifest(_manifest_bytes(unpacked), unpacked)
            check_files(model)
            destination = root / model.name
            _check_replaceable(destination, path)
            swap_in(unpacked, destination, staging / ".previous")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise TranslationError(f"corrupt archive: {one_line(error)}", path) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise TranslationError(f"not a {KIND} ({one_line(error)})", path) from None
    except OSError as error:
        raise TranslationError(f"cannot install: {error.strerror or one_line(error)}", path) from None
    return read_model(destination)


def _manifest_bytes(folder: Path) -> bytes:
    with (folder / MANIFEST).open("rb") as stream:
        return stream.read(MAX_METADATA_BYTES + 1)


def _folder_files(folder: Path) -> list[tuple[Path, int]]:
    """The files of a model folder (relative paths, sizes); links and special files are refused."""
    found: list[tuple[Path, int]] = []
    total = 0
    for current, directories, names in os.walk(folder, followlinks=False):
        for name in [*directories, *names]:
            entry = Path(current) / name
            mode = entry.lstat().st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise TranslationError(f"not a {KIND} ({entry.relative_to(folder)} is not a regular file)", folder)
            if stat.S_ISREG(mode):
                size = entry.lstat().st_size
                total += size
                found.append((entry.relative_to(folder), size))
    if total > MAX_UNPACKED_BYTES:
        raise TranslationError(f"not a {KIND} (more than {MAX_UNPACKED_BYTES // 1024**3} GB)", folder)
    if not any(relative == Path(MANIFEST) for relative, _ in found):
        raise TranslationError(f"not a {KIND} (no {MANIFEST} in the folder)", folder)
    return found


def _copy(folder: Path, files: list[tuple[Path, int]], into: Path, advance: Any) -> None:
    """Copy ``files`` of ``folder`` below ``into``, each file created here and never followed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for relative, _size in files:
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with (
            open(folder / relative, "rb", opener=lambda name, mode: os.open(name, mode | os.O_NOFOLLOW)) as source,
            open(os.open(target, flags, 0o644), "wb") as sink,
        ):
            while chunk := source.read(1024 * 1024):
                sink.write(chunk)
                if advance is not None:
                    advance(len(chunk))
            sink.flush()
            os.fsync(sink.fileno())


def _unzip(path: Path, into: Path, progress: ProgressFactory | None) -> None:
    """Unpack a model archive after the structural checks of argos packages (one folder holding the manifest)."""
    with zipfile.ZipFile(path) as archive:
        top, files = check_archive(archive, path, MANIFEST, KIND)
        parse_manifest(read_member(archive, archive.getinfo(f"{top}/{MANIFEST}"), MAX_METADATA_BYTES), into)
        needed = sum(info.file_size for info in files)
        if shutil.disk_usage(into.parent).free < needed:
            raise TranslationError(f"not enough disk space in {into.parent} ({needed / 1e6:.0f} MB needed)", path)
        extract(archive, files, into.parent, in_megabytes(progress, f"installing {path.name}", needed))
        (into.parent / top).rename(into)


def _check_replaceable(destination: Path, path: Path) -> None:
    """A model may replace only an installed model (of its name: the folder is the name)."""
    if not os.path.lexists(destination):
        return
    if destination.is_symlink() or not destination.is_dir():
        raise TranslationError(f"refused: {destination} is not a model folder (remove it yourself)", path)
    try:
        read_model(destination)
    except TranslationError:
        raise TranslationError(
            f"refused: {destination} is not an installed model (remove that folder yourself if it should go)", path
        ) from None


def remove_ct2_model(name: str) -> CtModel:
    """Remove the installed model ``name`` (renamed aside first, so a half-removed model is never seen)."""
    root = models_dir()
    folder = root / name
    if not _NAME.fullmatch(name) or not folder.is_dir() or folder.is_symlink():
        known = ", ".join(model.name for model in installed_ct2_models()) or "none"
        raise TranslationError(f"no installed model {name!r} (installed: {known})")
    model = read_model(folder)
    aside = Path(tempfile.mkdtemp(dir=root, prefix=STAGING_PREFIX))
    os.rename(folder, aside / name)
    shutil.rmtree(aside, ignore_errors=True)
    return model
