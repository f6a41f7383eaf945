"""Load ``polyleaf.toml`` or ``[tool.polyleaf]`` of ``pyproject.toml`` into one frozen Config, once, at the edge."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polyleaf import locale
from polyleaf.errors import ConfigError

KNOWN_FORMATS = ("txt", "html", "pdf")
PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True, slots=True)
class MtConfig:
    """Machine translation settings (``[tool.polyleaf.mt]``)."""

    engine: str = "argos"
    beam_size: int = 4
    device: str = "auto"
    threads: int = 0
    compute_type: str = "auto"
    max_batch_tokens: int | None = None  # None: suited to the device (polyleaf.mt.argos.resolve_device)
    max_length_ratio: float = 3.0


@dataclass(frozen=True, slots=True)
class ReleaseConfig:
    """Release build rules (``[tool.polyleaf.release]``)."""

    threshold: float = 100.0


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a run needs to know about a content project; paths are absolute."""

    root: Path
    config_file: Path
    source_language: str = "en"
    languages: tuple[str, ...] = ()
    source_dir: Path = Path("source")
    locales_dir: Path = Path("locales")
    build_dir: Path = Path("build")
    disclaimer: Path = Path("source/disclaimer.txt")
    glossary: Path = Path("locales/glossary.csv")
    formats: tuple[str, ...] = ("txt", "html")
    segmentation: str = "sentence"
    page_size: str = "A4"
    project_name: str = "polyleaf"
    mt: MtConfig = field(default_factory=MtConfig)
    release: ReleaseConfig = field(default_factory=ReleaseConfig)

    def relative(self, path: Path) -> Path:
        """``path`` relative to the project root when it is inside it (for references and messages)."""
        try:
            return path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return path


def find_config_file(root: Path) -> Path:
    """``polyleaf.toml`` wins over ``pyproject.toml``; one of them must exist in ``root``."""
    for name in ("polyleaf.toml", "pyproject.toml"):
        candidate = root / name
        if candidate.is_file():
            return candidate
    raise ConfigError("no polyleaf.toml or pyproject.toml here (run polyleaf from a content project)", root)


def load_config(root: Path | None = None) -> Config:
    """Read and validate the project configuration found in ``root`` (default: the working directory)."""
    root = (root or Path.cwd()).resolve()
    config_file = find_config_file(root)
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", config_file) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", config_file) from None
    if config_file.name == "pyproject.toml":
        settings = data.get("tool", {}).get("polyleaf")
        if settings is None:
            raise ConfigError("no [tool.polyleaf] table", config_file)
        project_name = str(data.get("project", {}).get("name", root.name))
    else:
        settings = data
        project_name = str(settings.get("project_name", root.name))
    return _build(root, config_file, settings, project_name)


def _build(root: Path, config_file: Path, raw: dict[str, Any], project_name: str) -> Config:
    def path(key: str, default: str) -> Path:
        value = raw.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(f"{key} must be a path string", config_file)
        return root / value

    def validated_language(code: object) -> str:
        if not isinstance(code, str):
            raise ConfigError(f"language codes must be strings, got {code!r}", config_file)
        try:
            return locale.normalize(code)
        except ConfigError as error:
            raise ConfigError(error.message, config_file, _line_of(config_file, code)) from None

    languages_raw = raw.get("languages", [])
    if not isinstance(languages_raw, list) or not languages_raw:
        raise ConfigError("languages must be a non-empty list of language codes", config_file)
    languages = tuple(dict.fromkeys(validated_language(code) for code in languages_raw))
    source_language = validated_language(raw.get("source_language", "en"))

    formats = tuple(raw.get("formats", ["txt", "html"]))
    for fmt in formats:
        if fmt not in KNOWN_FORMATS:
            raise ConfigError(f"unknown format {fmt!r} (known: {', '.join(KNOWN_FORMATS)})", config_file)
    segmentation = raw.get("segmentation", "sentence")
    if segmentation not in ("sentence", "paragraph"):
        raise ConfigError(f"segmentation must be 'sentence' or 'paragraph', not {segmentation!r}", config_file)
    page_size = raw.get("page_size", "A4")
    if page_size not in PAGE_SIZES:
        raise ConfigError(f"page_size must be one of {', '.join(PAGE_SIZES)}", config_file)

    mt_raw = raw.get("mt", {})
    release_raw = raw.get("release", {})
    try:
        mt = MtConfig(**mt_raw)
        release = ReleaseConfig(**release_raw)
    except TypeError as error:
        raise ConfigError(f"unknown setting: {error}", config_file) from None
    if mt.device not in ("auto", "cpu", "cuda"):
        raise ConfigError(f"mt.device must be auto, cpu or cuda, not {mt.device!r}", config_file)
    if not 0 <= release.threshold <= 100:
        raise ConfigError("release.threshold must be between 0 and 100", config_file)

    source_dir = path("source_dir", "source")
    if not source_dir.is_dir():
        raise ConfigError(f"source directory {source_dir.name!r} does not exist", config_file)
    locales_dir = path("locales_dir", "locales")
    return Config(
        root=root,
        config_file=config_file,
        source_language=source_language,
        languages=languages,
        source_dir=source_dir,
        locales_dir=locales_dir,
        build_dir=path("build_dir", "build"),
        disclaimer=path("disclaimer", str(Path(raw.get("source_dir", "source")) / "disclaimer.txt")),
        glossary=path("glossary", str(Path(raw.get("locales_dir", "locales")) / "glossary.csv")),
        formats=formats,
        segmentation=segmentation,
        page_size=page_size,
        project_name=project_name,
        mt=mt,
        release=release,
    )


def _line_of(config_file: Path, value: str) -> int | None:
    """The line of the config file where the string ``value`` is written, for ``path:line:`` messages."""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    quoted = (f'"{value}"', f"'{value}'")
    return next((number for number, line in enumerate(lines, 1) if any(q in line for q in quoted)), None)
