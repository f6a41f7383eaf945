"""``Config``, everything a run needs to know about a content project, and ``load_config``, which finds the
project's configuration file and reads it (each table by its own module: ``leaflet``, ``mt``, ``sections``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from polyleaf.config.leaflet import PAGE_SIZES, LeafletConfig, check_web_pages, read_leaflet
from polyleaf.config.mt import MtConfig, read_mt
from polyleaf.config.reader import Reader
from polyleaf.config.sections import (
    ClusterConfig,
    ReadabilityConfig,
    ReleaseConfig,
    TmConfig,
    read_cluster,
    read_readability,
    read_release,
    read_tm,
)
from polyleaf.errors import ConfigError
from polyleaf.formats import DEFAULT_FORMATS, FORMAT_NAMES
from polyleaf.fsio import read_regular

SEGMENTATIONS = ("sentence", "paragraph")
#: The configured paths, by key: what ``outside_root`` may name.
PATH_KEYS = ("source_dir", "locales_dir", "build_dir", "disclaimer", "glossary")


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
    formats: tuple[str, ...] = DEFAULT_FORMATS
    segmentation: str = "sentence"
    page_size: str = "A4"
    project_name: str = "polyleaf"
    #: No ``project_name`` is configured (nor ``[project] name`` in pyproject.toml): the folder's name stands in.
    project_name_from_folder: bool = False
    #: Worker processes for machine translation and rendering; 0: as many as there are cores.
    workers: int = 0
    mt: MtConfig = field(default_factory=MtConfig)
    tm: TmConfig = field(default_factory=TmConfig)
    release: ReleaseConfig = field(default_factory=ReleaseConfig)
    leaflet: LeafletConfig = field(default_factory=LeafletConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    readability: ReadabilityConfig = field(default_factory=ReadabilityConfig)
    #: (key, resolved path) of every configured path outside the project root (allowed by ``outside_root``).
    outside: tuple[tuple[str, Path], ...] = ()

    @property
    def publisher(self) -> str:
        """Whose leaflets these are: the organisation's name, else the project's."""
        return self.leaflet.organisation or self.project_name

    def relative(self, path: Path) -> Path:
        """``path`` relative to the project root when it is inside it (for references and messages)."""
        try:
            return path.resolve().relative_to(self.root.resolve())
        except (ValueError, RuntimeError):  # outside, or a loop of links (before Python 3.13)
            return path

    @property
    def written_folders(self) -> tuple[Path, ...]:
        """The folders polyleaf writes in, where the temp files of a killed run's writes may be (``project_lock``)."""
        return (self.locales_dir, self.build_dir)

    @property
    def write_roots(self) -> tuple[Path, ...]:
        """Where a symlinked folder under ``locales/`` or ``build/`` may lead for polyleaf to write through it: the
        project, and the folders ``outside_root`` allows (resolved)."""
        return (self.root.resolve(), *(path for _key, path in self.outside))

    def is_inside(self, path: Path, base: Path | None = None) -> bool:
        """Whether ``path`` resolves (symlinks included) inside ``base`` (default: the project root)."""
        return path.resolve().is_relative_to((base or self.root).resolve())


CONFIG_NAMES = ("polyleaf.toml", "pyproject.toml")


def find_config_file(start: Path) -> Path:
    """The project's configuration, found like git finds its repository: in ``start`` or the nearest folder above it
    that has a ``polyleaf.toml``, or a ``pyproject.toml`` with a ``[tool.polyleaf]`` table (``polyleaf.toml`` wins
    in the same folder)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "polyleaf.toml").is_file():
            return folder / "polyleaf.toml"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_polyleaf_table(pyproject):
            return pyproject
    raise ConfigError(
        "not a polyleaf project (no polyleaf.toml, or pyproject.toml with [tool.polyleaf], here or in any parent "
        "folder); create one with `polyleaf init`",
        start,
    )


def _has_polyleaf_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(read_regular(pyproject).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True  # let load_config report what is wrong with it
    tool = data.get("tool")
    return isinstance(tool, dict) and "polyleaf" in tool


def load_config(start: Path | None = None) -> Config:
    """Read and validate the configuration of the project at or above ``start`` (default: the working directory)."""
    config_file = find_config_file(start or Path.cwd())
    root = config_file.parent
    try:
        text = read_regular(config_file).decode("utf-8")
        data = tomllib.loads(text)
    except RecursionError:  # tomllib parses nested arrays and tables by recursion
        raise ConfigError("invalid TOML: arrays or tables nested too deeply", config_file) from None
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column \d+\)$", str(error))
        line = int(where.group(1)) if where else None
        raise ConfigError(f"invalid TOML: {error}", config_file, line) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", config_file) from None
    if config_file.name == "pyproject.toml":
        settings = data.get("tool", {}).get("polyleaf")
        if not isinstance(settings, dict):
            raise ConfigError("[tool.polyleaf] must be a table", config_file)
        project = data.get("project", {})
        named = project.get("name") if isinstance(project, dict) else None
        default_name = str(named) if named else None
        table = "tool.polyleaf"
    else:
        settings, default_name, table = data, None, ""
    return _read_config(Reader(root, config_file, text, table), settings, default_name)


def _read_config(reader: Reader, raw: dict[str, Any], default_name: str | None) -> Config:
    """The configuration; the project is called ``default_name`` unless it says otherwise (None: after its
    folder, which a clone into another folder changes: ``project_name_from_folder`` says so)."""
    tables = {"mt", "tm", "release", "leaflet", "cluster", "readability"}
    known = {"project_name", "outside_root"} | tables
    derived = ("root", "config_file", "outside", "project_name_from_folder")
    known |= {item.name for item in fields(Config) if item.name not in (*tables, *derived)}
    reader.no_unknown_keys(raw, known, reader.table)
    languages_raw = reader.value(raw, "languages", list, [])
    if not languages_raw:
        raise reader.error("languages must be a non-empty list of language codes", "languages")
    languages = tuple(dict.fromkeys(reader.language(code, "languages") for code in languages_raw))
    formats = tuple(reader.value(raw, "formats", list, list(DEFAULT_FORMATS)))
    for fmt in formats:
        if fmt not in FORMAT_NAMES:
            raise reader.error(f"formats: unknown format {fmt!r} (known: {', '.join(FORMAT_NAMES)})", "formats")
    paths = _paths(reader, raw)
    source_language = reader.language(reader.value(raw, "source_language", str, "en"), "source_language")
    return Config(
        root=reader.root,
        config_file=reader.config_file,
        source_language=source_language,
        languages=languages,
        formats=formats,
        segmentation=reader.choice(raw, "segmentation", SEGMENTATIONS, "sentence"),
        page_size=reader.choice(raw, "page_size", PAGE_SIZES, "A4"),
        project_name=reader.value(raw, "project_name", str, "") or default_name or reader.root.name,
        project_name_from_folder=not reader.value(raw, "project_name", str, "") and not default_name,
        workers=reader.number(raw, "workers", int, (0, 1024), 0, ""),
        mt=read_mt(reader, reader.value(raw, "mt", dict, {}), source_language),
        tm=read_tm(reader, reader.value(raw, "tm", dict, {})),
        release=read_release(reader, reader.value(raw, "release", dict, {})),
        leaflet=check_web_pages(
            reader, read_leaflet(reader, reader.value(raw, "leaflet", dict, {}), paths["source_dir"]), formats
        ),
        cluster=read_cluster(reader, reader.value(raw, "cluster", dict, {})),
        readability=read_readability(reader, reader.value(raw, "readability", dict, {})),
        outside=tuple((key, path.resolve()) for key, path in paths.items() if not reader.inside(path)),
        **paths,
    )


def _paths(reader: Reader, raw: dict[str, Any]) -> dict[str, Path]:
    """Every configured path, absolute, and confined to the project root unless listed in ``outside_root``."""
    outside_ok = reader.value(raw, "outside_root", list, [])
    for key in outside_ok:
        if key not in PATH_KEYS:
            raise reader.error(f"outside_root: {key!r} is not a path setting ({', '.join(PATH_KEYS)})", "outside_root")
    source_dir = reader.value(raw, "source_dir", str, "source")
    locales_dir = reader.value(raw, "locales_dir", str, "locales")
    defaults = {
        "source_dir": source_dir,
        "locales_dir": locales_dir,
        "build_dir": "build",
        "disclaimer": str(Path(source_dir) / "disclaimer.txt"),
        "glossary": str(Path(locales_dir) / "glossary.csv"),
    }
    derived_from = {"disclaimer": "source_dir", "glossary": "locales_dir"}  # their defaults live in those
    allowed = set(outside_ok) | {key for key, parent in derived_from.items() if key not in raw and parent in outside_ok}
    paths = {}
    for key, default in defaults.items():
        value = reader.value(raw, key, str, default)
        if not value.strip() or "\x00" in value:
            raise reader.error(f"{key} must be a path", key)
        path = reader.root / value
        if key not in allowed and not reader.inside(path):
            raise reader.error(
                f"{key} {value!r} is outside the project (resolved: {path.resolve()}); list it in "
                f'outside_root = ["{key}"] if that is intended',
                key,
            )
        paths[key] = path
    if not paths["source_dir"].is_dir():
        raise reader.error(f"source directory {source_dir!r} does not exist", "source_dir")
    return paths
