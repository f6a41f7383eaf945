"""Load ``polyleaf.toml`` or ``[tool.polyleaf]`` of ``pyproject.toml`` into one frozen Config, once, at the edge.

Every key is validated here, with its type and range: a wrong value or an unknown key (a typo such as ``beem``)
is one line naming the key and its line in the file, exit code 2 — never a traceback, never silently ignored.

Paths are confined to the project root: a content repository is untrusted input, so ``source_dir``,
``locales_dir``, ``build_dir``, ``disclaimer`` and ``glossary`` must resolve (symlinks included) inside it. A path
deliberately kept elsewhere is allowed only when its key is listed in ``outside_root`` (e.g.
``outside_root = ["build_dir"]`` to publish into a web server's folder); every run names such paths.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from polyleaf import locale
from polyleaf.errors import ConfigError
from polyleaf.formats import DEFAULT_FORMATS, FORMAT_NAMES, SOURCE_SUFFIXES, WEB_PAGE
from polyleaf.fsio import read_regular

#: The paper sizes ``page_size`` may name: ISO A4 and A5 (a folded A4 sheet), US Letter and Legal.
PAGE_SIZES = ("A4", "A5", "Letter", "Legal")
#: The printed editions ``[leaflet] editions`` may name, each a PDF of its own: the ``standard`` leaflet and a
#: ``large-print`` one (body text 16 pt or larger, for readers with low vision).
STANDARD_EDITION = "standard"
LARGE_PRINT = "large-print"
EDITIONS = (STANDARD_EDITION, LARGE_PRINT)
SEGMENTATIONS = ("sentence", "paragraph")
DEVICES = ("auto", "cpu", "cuda")
#: The machine translation engines ``[mt] engine`` may name (``polyleaf.mt.registry`` makes them): ``argos``, or
#: ``ctranslate2`` (any installed CTranslate2 model that covers the pair) or ``ctranslate2:<model name>``.
ENGINES = ("argos", "ctranslate2")
_ENGINE_CHOICE = re.compile(r"(?P<engine>[a-z0-9]+)(?::(?P<model>[A-Za-z0-9][A-Za-z0-9._+-]{0,99}))?")
#: CTranslate2's compute types (``auto`` picks the fastest one the device supports).
COMPUTE_TYPES = (
    "auto",
    "default",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
#: The configured paths, by key: what ``outside_root`` may name.
PATH_KEYS = ("source_dir", "locales_dir", "build_dir", "disclaimer", "glossary")


@dataclass(frozen=True, slots=True)
class MtConfig:
    """Machine translation settings (``[tool.polyleaf.mt]``).

    ``engine``: the engines tried in order for every language (the first that covers the pair translates it);
    ``languages``: per target language (or ``en-so`` pair), its own order instead.
    """

    engine: tuple[str, ...] = ("argos",)
    languages: tuple[tuple[str, tuple[str, ...]], ...] = ()
    beam_size: int = 4
    device: str = "auto"
    threads: int = 0
    compute_type: str = "auto"
    max_batch_tokens: int | None = None  # None: the device's measured budget (polyleaf.mt.decoding.BATCH_TOKENS)
    max_length_ratio: float = 3.0

    def engines_for(self, target: str) -> tuple[str, ...]:
        """The engine choices tried, in order, for translating into ``target``."""
        return dict(self.languages).get(target, self.engine)


@dataclass(frozen=True, slots=True)
class TmConfig:
    """Translation memory settings (``[tool.polyleaf.tm]``): the least similarity, in percent, of a reviewed
    sentence offered as a fuzzy suggestion (``polyleaf.catalog.fuzzy_memory``)."""

    min_similarity: float = 75.0


@dataclass(frozen=True, slots=True)
class ReleaseConfig:
    """Release build rules (``[tool.polyleaf.release]``)."""

    threshold: float = 100.0


#: Image files a logo may be (raster only, as for a leaflet's images: an SVG could pull in other files).
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")


@dataclass(frozen=True, slots=True)
class LeafletIdentity:
    """What tells one printed leaflet from another: the clinic's reference code, its version, and the date by
    which it must be reviewed again (set for all leaflets, or per document)."""

    reference: str = ""
    version: str = ""
    review_by: dt.date | None = None

    def __bool__(self) -> bool:
        return bool(self.reference or self.version or self.review_by)


#: The ``[leaflet]`` texts a clinic may have translated through ``interface.po`` (``translate``).
TRANSLATABLE_LEAFLET_TEXTS = ("organisation", "contact", "approved_by", "sources", "history")


@dataclass(frozen=True, slots=True)
class Change:
    """One line of a leaflet's change history: the version, when it was made, and what changed (``[leaflet]
    history``)."""

    version: str
    date: dt.date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Authorship:
    """Who stands behind a leaflet: who wrote it, who approved it, what it is based on, and how it changed (set
    for all leaflets, per document, or in a Markdown source's front matter)."""

    author: str = ""
    approved_by: str = ""
    sources: tuple[str, ...] = ()
    history: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class LeafletConfig:
    """How leaflets look and whose they are (``[tool.polyleaf.leaflet]``).

    ``fonts``: font families (installed on the system) or font files (paths relative to the project root, ending
    in .ttf, .otf, .ttc, .woff or .woff2) tried before polyleaf's own font stack, e.g. a clinic's house font.
    ``organisation`` replaces the project name above the title and as the PDF's author; ``logo`` (an image file in
    the project, absolute here) is shown beside it; ``contact`` (lines of text) is printed at the end of every
    leaflet. ``reference``, ``version`` and ``review_by`` identify the printed sheet (footer of every PDF page);
    ``documents`` overrides them per document (file stem). ``commercial``: the leaflets are used commercially
    (``check`` warns about a non-commercial translation model).
    ``author``, ``approved_by``, ``sources`` and ``history`` say who stands behind the leaflets (``authorship``
    per document); ``translators`` credits a language's translators (else the PO file's Last-Translator);
    ``credits = false`` prints none of these. ``translate``: which of the clinic's texts go through
    ``interface.po`` (``TRANSLATABLE_LEAFLET_TEXTS``; many clinics keep their name as it is). ``base_url``: where
    the build folder's pages are published (``https://…/``, ending in a slash); each PDF then carries a QR code and
    the address of its web page. ``editions``: the printed editions (``EDITIONS``) a PDF leaflet is made in.
    """

    fonts: tuple[str, ...] = ()
    organisation: str = ""
    logo: Path | None = None
    contact: str = ""
    reference: str = ""
    version: str = ""
    review_by: dt.date | None = None
    documents: tuple[tuple[str, LeafletIdentity], ...] = ()
    commercial: bool = False
    author: str = ""
    approved_by: str = ""
    sources: tuple[str, ...] = ()
    history: tuple[Change, ...] = ()
    authors: tuple[tuple[str, Authorship], ...] = ()  # per document (file stem)
    translators: tuple[tuple[str, str], ...] = ()  # per language
    credits: bool = True
    translate: tuple[str, ...] = ("contact", "history")
    base_url: str = ""
    editions: tuple[str, ...] = (STANDARD_EDITION,)

    def authorship(self, document: str) -> Authorship:
        """Who stands behind ``document``: its own settings, else the shared ones (each key on its own)."""
        own = dict(self.authors).get(document, Authorship())
        return Authorship(
            author=own.author or self.author,
            approved_by=own.approved_by or self.approved_by,
            sources=own.sources or self.sources,
            history=own.history or self.history,
        )

    def identity(self, document: str) -> LeafletIdentity:
        """The reference, version and review-by date of ``document``: its own settings, else the shared ones."""
        own = dict(self.documents).get(document, LeafletIdentity())
        return LeafletIdentity(
            reference=own.reference or self.reference,
            version=own.version or self.version,
            review_by=own.review_by or self.review_by,
        )


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """A Dask cluster to run machine translation and rendering on (``[tool.polyleaf.cluster]``): ``scheduler`` is
    its scheduler's address (``tcp://host:8786``); empty: worker processes on this machine."""

    scheduler: str = ""


@dataclass(frozen=True, slots=True)
class ReadabilityConfig:
    """Plain-language checks of the English source (``[tool.polyleaf.readability]``), run by ``check`` before
    translation multiplies a hard sentence by every language. Warnings only: they never hold a release back.

    ``max_grade``: the highest Flesch–Kincaid grade a document may read at (patient leaflets aim at 6–8);
    ``max_sentence_grade`` the same for one sentence; ``max_sentence_words``: longer sentences are flagged;
    ``passive_voice``: hint at passive verbs; ``known_acronyms``: acronyms readers know without a spelled-out form.
    """

    enabled: bool = True
    max_grade: float = 8.0
    max_sentence_grade: float = 12.0
    max_sentence_words: int = 25
    passive_voice: bool = True
    known_acronyms: tuple[str, ...] = ()


#: A web address a leaflet may print and encode: http(s), a host name (or IPv4 address), a port, a path of plain
#: URL characters — no user name, query, fragment, quote, bracket, backslash or whitespace.
_BASE_URL = re.compile(
    r"https?://(?P<host>[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)"
    r"(?::(?P<port>[0-9]{1,5}))?(?P<path>/(?:[a-z0-9._~!$&+,;=-]|%[0-9a-f]{2})*)*",
    re.IGNORECASE,
)
#: The longest base URL: every leaflet's printed address and QR code starts with it.
MAX_BASE_URL = 200


def base_url_problem(value: str) -> str:
    """What is wrong with ``value`` as ``[leaflet] base_url`` (empty: nothing)."""
    example = "an http:// or https:// address such as 'https://leaflets.example.org/'"
    matched = _BASE_URL.fullmatch(value)
    if matched is None:
        shown = repr(value) if len(value) <= 80 else f"{value[:80]!r}…"
        return f"must be {example} (no spaces, quotes, query or user name), not {shown}"
    if matched["port"] is not None and not 0 < int(matched["port"]) < 2**16:
        return f"has no valid port: {value!r}"
    segments = value.split("://", 1)[1].split("/")[1:]
    if any(segment in ("", ".", "..") for segment in segments[:-1]) or segments[-1:] in (["."], [".."]):
        return f"must not have '//', '.' or '..' in its path: {value!r}"
    if len(value) > MAX_BASE_URL:
        return f"is longer than {MAX_BASE_URL} characters (every leaflet prints it): {value[:40]!r}…"
    return ""


#: The address schemes of the Dask communication layers a scheduler in another process can be reached by (``inproc``
#: is this process only; ``ucx`` needs a package Dask no longer provides).
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")


#: ``scheme://host:port``; the host a name, an IPv4 address or a bracketed IPv6 one.
_SCHEDULER_ADDRESS = re.compile(rf"(?:{'|'.join(SCHEDULER_SCHEMES)})://(?:[\w.-]+|\[[0-9A-Fa-f:.]+\]):(\d{{1,5}})")


def scheduler_problem(address: str) -> str:
    """What is wrong with ``address`` as a Dask scheduler's (empty: nothing). ``[cluster] scheduler`` and
    ``--scheduler`` both say it, before anything runs: Dask itself would fail only at the first task, with a
    traceback, and then wait a minute to close its half-made client."""
    matched = _SCHEDULER_ADDRESS.fullmatch(address)
    if matched is None or not 0 < int(matched.group(1)) < 2**16:
        return f"must be a Dask scheduler address such as 'tcp://host:8786', not {address!r}"
    return ""


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
        except ValueError:
            return path

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
    return _Reader(root, config_file, text, table).config(settings, default_name)


class _Reader:
    """Validates one configuration table; every error names the key and the line it is on."""

    def __init__(self, root: Path, config_file: Path, text: str, table: str) -> None:
        self.root = root
        self.config_file = config_file
        self.lines = text.split("\n")
        self.table = table

    def error(self, message: str, key: str = "", value: object = None) -> ConfigError:
        return ConfigError(message, self.config_file, self._line_of(key, value))

    def config(self, raw: dict[str, Any], default_name: str | None) -> Config:
        """The configuration; the project is called ``default_name`` unless it says otherwise (None: after its
        folder, which a clone into another folder changes: ``project_name_from_folder`` says so)."""
        tables = {"mt", "tm", "release", "leaflet", "cluster", "readability"}
        known = {"project_name", "outside_root"} | tables
        derived = ("root", "config_file", "outside", "project_name_from_folder")
        known |= {item.name for item in fields(Config) if item.name not in (*tables, *derived)}
        self._no_unknown_keys(raw, known, self.table)
        languages_raw = self.value(raw, "languages", list, [])
        if not languages_raw:
            raise self.error("languages must be a non-empty list of language codes", "languages")
        languages = tuple(dict.fromkeys(self.language(code, "languages") for code in languages_raw))
        formats = tuple(self.value(raw, "formats", list, list(DEFAULT_FORMATS)))
        for fmt in formats:
            if fmt not in FORMAT_NAMES:
                raise self.error(f"formats: unknown format {fmt!r} (known: {', '.join(FORMAT_NAMES)})", "formats")
        paths = self.paths(raw)
        source_language = self.language(self.value(raw, "source_language", str, "en"), "source_language")
        return Config(
            root=self.root,
            config_file=self.config_file,
            source_language=source_language,
            languages=languages,
            formats=formats,
            segmentation=self.choice(raw, "segmentation", SEGMENTATIONS, "sentence"),
            page_size=self.choice(raw, "page_size", PAGE_SIZES, "A4"),
            project_name=self.value(raw, "project_name", str, "") or default_name or self.root.name,
            project_name_from_folder=not self.value(raw, "project_name", str, "") and not default_name,
            workers=self.number(raw, "workers", int, (0, 1024), 0, ""),
            mt=self.mt(self.value(raw, "mt", dict, {}), source_language),
            tm=self.tm(self.value(raw, "tm", dict, {})),
            release=self.release(self.value(raw, "release", dict, {})),
            leaflet=self.web_pages(self.leaflet(self.value(raw, "leaflet", dict, {}), paths["source_dir"]), formats),
            cluster=self.cluster(self.value(raw, "cluster", dict, {})),
            readability=self.readability(self.value(raw, "readability", dict, {})),
            outside=tuple((key, path.resolve()) for key, path in paths.items() if not self._inside(path)),
            **paths,
        )

    def paths(self, raw: dict[str, Any]) -> dict[str, Path]:
        """Every configured path, absolute, and confined to the project root unless listed in ``outside_root``."""
        outside_ok = self.value(raw, "outside_root", list, [])
        for key in outside_ok:
            if key not in PATH_KEYS:
                raise self.error(
                    f"outside_root: {key!r} is not a path setting ({', '.join(PATH_KEYS)})", "outside_root"
                )
        source_dir = self.value(raw, "source_dir", str, "source")
        locales_dir = self.value(raw, "locales_dir", str, "locales")
        defaults = {
            "source_dir": source_dir,
            "locales_dir": locales_dir,
            "build_dir": "build",
            "disclaimer": str(Path(source_dir) / "disclaimer.txt"),
            "glossary": str(Path(locales_dir) / "glossary.csv"),
        }
        derived_from = {"disclaimer": "source_dir", "glossary": "locales_dir"}  # their defaults live in those
        allowed = set(outside_ok) | {
            key for key, parent in derived_from.items() if key not in raw and parent in outside_ok
        }
        paths = {}
        for key, default in defaults.items():
            value = self.value(raw, key, str, default)
            if not value.strip() or "\x00" in value:
                raise self.error(f"{key} must be a path", key)
            path = self.root / value
            if key not in allowed and not self._inside(path):
                raise self.error(
                    f"{key} {value!r} is outside the project (resolved: {path.resolve()}); list it in "
                    f'outside_root = ["{key}"] if that is intended',
                    key,
                )
            paths[key] = path
        if not paths["source_dir"].is_dir():
            raise self.error(f"source directory {source_dir!r} does not exist", "source_dir")
        return paths

    def mt(self, raw: dict[str, Any], source_language: str) -> MtConfig:
        self._no_unknown_keys(raw, {item.name for item in fields(MtConfig)}, self._sub("mt"))
        defaults = MtConfig()
        per_language = self.value(raw, "languages", dict, {}, "mt")
        languages = {
            self._target_of(key, source_language): self.engines(per_language, key, f"mt.languages.{key}")
            for key in per_language
        }
        config = MtConfig(
            engine=self.engines(raw, "engine", "mt.engine") if "engine" in raw else defaults.engine,
            languages=tuple(sorted(languages.items())),
            beam_size=self.number(raw, "beam_size", int, (1, 64), defaults.beam_size, "mt"),
            device=self.choice(raw, "device", DEVICES, defaults.device, "mt"),
            threads=self.number(raw, "threads", int, (0, 1024), defaults.threads, "mt"),
            compute_type=self.choice(raw, "compute_type", COMPUTE_TYPES, defaults.compute_type, "mt"),
            max_batch_tokens=self.number(raw, "max_batch_tokens", int, (1, 65536), defaults.max_batch_tokens, "mt"),
            max_length_ratio=self.number(raw, "max_length_ratio", float, (0.1, 100), defaults.max_length_ratio, "mt"),
        )
        return config

    def _target_of(self, key: str, source_language: str) -> str:
        """The target language a ``[mt.languages]`` key names: a language (``so``), or a pair from the source
        language (``en-so``)."""
        source, dash, target = key.partition("-")
        with contextlib.suppress(ConfigError):
            if dash and locale.normalize(source) == source_language:
                return self.language(target, key)
        return self.language(key, key)

    def engines(self, raw: dict[str, Any], key: str, name: str) -> tuple[str, ...]:
        """An engine choice or a list of them (tried in order): ``argos``, ``ctranslate2``, ``ctranslate2:<model>``."""
        value = raw[key]
        choices = [value] if isinstance(value, str) else value
        if not isinstance(choices, list) or not choices or not all(isinstance(item, str) for item in choices):
            raise self.error(f"{name} must be an engine or a list of engines, not {_shown(value)}", key, value)
        for choice in choices:
            match = _ENGINE_CHOICE.fullmatch(choice)
            if match is None or match["engine"] not in ENGINES or (match["model"] and match["engine"] == "argos"):
                raise self.error(
                    f"{name}: {choice!r} is not an engine ({', '.join(ENGINES)}, or ctranslate2:<model name>)",
                    key,
                    choice,
                )
        return tuple(dict.fromkeys(choices))

    def tm(self, raw: dict[str, Any]) -> TmConfig:
        self._no_unknown_keys(raw, {item.name for item in fields(TmConfig)}, self._sub("tm"))
        least = self.number(raw, "min_similarity", float, (50, 100), TmConfig().min_similarity, "tm")
        return TmConfig(min_similarity=least)

    def release(self, raw: dict[str, Any]) -> ReleaseConfig:
        self._no_unknown_keys(raw, {item.name for item in fields(ReleaseConfig)}, self._sub("release"))
        threshold = self.number(raw, "threshold", float, (0, 100), 100.0, "release")
        if 0 < threshold < 1:
            raise self.error(
                f"release.threshold is a percentage (0–100); {threshold:g} looks like a fraction: "
                f"write {threshold * 100:g} for {threshold * 100:g}%",
                "threshold",
                threshold,
            )
        return ReleaseConfig(threshold=threshold)

    def leaflet(self, raw: dict[str, Any], source_dir: Path) -> LeafletConfig:
        table = self._sub("leaflet")
        self._no_unknown_keys(raw, {item.name for item in fields(LeafletConfig)} - {"authors"}, table)
        fonts = self.value(raw, "fonts", list, [], "leaflet")
        if not all(name.strip() for name in fonts):
            raise self.error("leaflet.fonts must be a list of font family names or font file paths", "fonts")
        documents = self.value(raw, "documents", dict, {}, "leaflet")
        names = _document_names(source_dir)
        overrides, authors = [], []
        for name, settings in documents.items():
            where = f"{table}.documents.{name}"
            if name not in names:
                hint = _closest(name, names) if names else ""
                line = self._line_of_table("documents", name) or self._line_of(name, None)
                raise ConfigError(f"unknown document {name!r} in [{table}.documents]{hint}", self.config_file, line)
            if not isinstance(settings, dict):
                raise self.error(f"leaflet.documents.{name} must be a table, not {_shown(settings)}", name)
            own_keys = {item.name for item in (*fields(LeafletIdentity), *fields(Authorship))}
            self._no_unknown_keys(settings, own_keys, where)
            overrides.append((name, self.identity(settings, f"leaflet.documents.{name}")))
            authors.append((name, self.authorship(settings, f"leaflet.documents.{name}")))
        shared = self.identity(raw, "leaflet")
        shared_authorship = self.authorship(raw, "leaflet")
        return LeafletConfig(
            fonts=tuple(name.strip() for name in fonts),
            organisation=self.text(raw, "organisation", "leaflet"),
            logo=self.logo(raw),
            contact=self.text(raw, "contact", "leaflet", lines=True),
            reference=shared.reference,
            version=shared.version,
            review_by=shared.review_by,
            documents=tuple(sorted(overrides)),
            commercial=self.value(raw, "commercial", bool, False, "leaflet"),
            author=shared_authorship.author,
            approved_by=shared_authorship.approved_by,
            sources=shared_authorship.sources,
            history=shared_authorship.history,
            authors=tuple(sorted((name, own) for name, own in authors if own != Authorship())),
            translators=self.translators(self.value(raw, "translators", dict, {}, "leaflet")),
            credits=self.value(raw, "credits", bool, True, "leaflet"),
            translate=self.translate(raw),
            base_url=self.base_url(raw),
            editions=self.editions(raw),
        )

    def authorship(self, raw: dict[str, Any], table: str) -> Authorship:
        sources = self.value(raw, "sources", list, [], table)
        odd = next((item for item in sources if not item.strip() or any(ord(c) < 32 for c in item)), None)
        if odd is not None:
            raise self.error(f"{table}.sources: {odd!r} must be one line of text", "sources", odd)
        return Authorship(
            author=self.text(raw, "author", table),
            approved_by=self.text(raw, "approved_by", table),
            sources=tuple(item.strip() for item in sources),
            history=self.history(raw, table),
        )

    def history(self, raw: dict[str, Any], table: str) -> tuple[Change, ...]:
        """``history = [{version = "2.1", date = 2026-03-01, note = "…"}, …]``: every entry needs a version."""
        entries = raw.get("history", [])
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise self.error(
                f'{table}.history must be a list of tables ({{version = "2.1", date = 2026-03-01, note = "…"}}), '
                f"not {_shown(entries)}",
                "history",
            )
        changes = []
        try:
            for entry in entries:
                self._no_unknown_keys(entry, {item.name for item in fields(Change)}, f"{table}.history")
                version = self.text(entry, "version", f"{table}.history")
                if not version:
                    raise self.error(f"{table}.history: every change needs a version", "history")
                note = self.text(entry, "note", f"{table}.history")
                changes.append(Change(version, self.date(entry, "date", f"{table}.history"), note))
        except ConfigError as error:  # a key of an inline table: the line where the history starts
            raise ConfigError(error.message, self.config_file, self._line_of("history", None)) from None
        return tuple(changes)

    def translators(self, raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        """``[leaflet.translators]``: a language's credit line (``es = "Ana Ruiz; reviewed by Dr Gil"``)."""
        found = {self.language(code, code): self.text(raw, code, "leaflet.translators") for code in raw}
        return tuple(sorted(found.items()))

    def translate(self, raw: dict[str, Any]) -> tuple[str, ...]:
        chosen = self.value(raw, "translate", list, list(LeafletConfig().translate), "leaflet")
        for item in chosen:
            if item not in TRANSLATABLE_LEAFLET_TEXTS:
                hint = _closest(item, set(TRANSLATABLE_LEAFLET_TEXTS))
                raise self.error(f"leaflet.translate: {item!r} is not a [leaflet] text{hint}", "translate", item)
        return tuple(dict.fromkeys(chosen))

    def base_url(self, raw: dict[str, Any]) -> str:
        """``[leaflet] base_url``, normalised (scheme and host in lower case, a slash at the end): it is printed on
        paper and put in QR codes and links, so anything but a plain web address is refused."""
        value: str = self.value(raw, "base_url", str, "", "leaflet")
        if not value:
            return ""
        problem = base_url_problem(value)
        if problem:
            raise self.error(f"leaflet.base_url {problem}", "base_url", value)
        scheme, rest = value.split("://", 1)
        host, _slash, path = rest.partition("/")
        return f"{scheme.lower()}://{host.lower()}/{path.removesuffix('/')}{'/' if path else ''}"

    def web_pages(self, leaflet: LeafletConfig, formats: tuple[str, ...]) -> LeafletConfig:
        """``leaflet``, checked against ``formats``: a QR code must lead to a web page the build makes."""
        if leaflet.base_url and WEB_PAGE not in formats:
            raise self.error(
                "leaflet.base_url: the QR code leads to the leaflet's web page: add 'html' to formats", "base_url"
            )
        return leaflet

    def editions(self, raw: dict[str, Any]) -> tuple[str, ...]:
        """``[leaflet] editions``: known names, at least one, each once (a typo stops the run)."""
        editions = self.value(raw, "editions", list, [STANDARD_EDITION], "leaflet")
        unknown = [name for name in editions if name not in EDITIONS]
        if unknown or not editions or len(set(editions)) != len(editions):
            shown = f"unknown edition {unknown[0]!r}" if unknown else "must name each edition once, at least one"
            raise self.error(f"leaflet.editions: {shown} (known: {', '.join(EDITIONS)})", "editions")
        return tuple(editions)

    def identity(self, raw: dict[str, Any], table: str) -> LeafletIdentity:
        return LeafletIdentity(
            reference=self.text(raw, "reference", table),
            version=self.text(raw, "version", table),
            review_by=self.date(raw, "review_by", table),
        )

    def logo(self, raw: dict[str, Any]) -> Path | None:
        """The logo's file: an image in the project (symlinks resolved), checked now so a typo stops the run."""
        value = self.text(raw, "logo", "leaflet")
        if not value:
            return None
        path = self.root / value
        if not path.name.lower().endswith(LOGO_SUFFIXES):
            raise self.error(f"leaflet.logo must be a PNG, JPEG, GIF or WebP file, not {value!r}", "logo", value)
        if not self._inside(path):
            raise self.error(f"leaflet.logo {value!r} is outside the project (resolved: {path.resolve()})", "logo")
        if not path.is_file():
            raise self.error(f"leaflet.logo: no such file {value!r}", "logo", value)
        return path

    # --- typed values ---------------------------------------------------------------------------------------

    def text(self, raw: dict[str, Any], key: str, table: str, *, lines: bool = False) -> str:
        """A string setting, stripped; one line unless ``lines`` (no control characters either way)."""
        value: str = self.value(raw, key, str, "", table).strip()
        allowed = "\n" if lines else ""
        odd = next((char for char in value if ord(char) < 32 and char not in allowed), None)
        if odd is not None:
            what = "control characters" if lines else "line breaks or control characters"
            raise self.error(f"{table}.{key} must not contain {what} (U+{ord(odd):04X})", key)
        return value

    def date(self, raw: dict[str, Any], key: str, table: str) -> dt.date | None:
        """A TOML date (``2027-06-30``) or a string holding one."""
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        shown = f"a date and time ({value.isoformat()})" if isinstance(value, dt.datetime) else _shown(value)
        raise self.error(f"{table}.{key} must be a date (YYYY-MM-DD), not {shown}", key, value)

    def cluster(self, raw: dict[str, Any]) -> ClusterConfig:
        self._no_unknown_keys(raw, {item.name for item in fields(ClusterConfig)}, self._sub("cluster"))
        scheduler = self.value(raw, "scheduler", str, "", "cluster").strip()
        problem = scheduler_problem(scheduler) if scheduler else ""
        if problem:
            raise self.error(f"cluster.scheduler {problem}", "scheduler", scheduler)
        return ClusterConfig(scheduler=scheduler)

    def readability(self, raw: dict[str, Any]) -> ReadabilityConfig:
        self._no_unknown_keys(raw, {item.name for item in fields(ReadabilityConfig)}, self._sub("readability"))
        defaults = ReadabilityConfig()
        known = self.value(raw, "known_acronyms", list, [], "readability")
        odd = next((name for name in known if not re.fullmatch(r"[A-Z][A-Z0-9&]*[A-Z0-9]", name)), None)
        if odd is not None:
            message = f"readability.known_acronyms: {odd!r} is not an acronym (capital letters and digits, e.g. 'DNA')"
            raise self.error(message, "known_acronyms", odd)
        return ReadabilityConfig(
            enabled=self.value(raw, "enabled", bool, defaults.enabled, "readability"),
            max_grade=self.number(raw, "max_grade", float, (0, 30), defaults.max_grade, "readability"),
            max_sentence_grade=self.number(
                raw, "max_sentence_grade", float, (0, 50), defaults.max_sentence_grade, "readability"
            ),
            max_sentence_words=self.number(
                raw, "max_sentence_words", int, (3, 500), defaults.max_sentence_words, "readability"
            ),
            passive_voice=self.value(raw, "passive_voice", bool, defaults.passive_voice, "readability"),
            known_acronyms=tuple(dict.fromkeys(known)),
        )

    # --- typed values ---------------------------------------------------------------------------------------

    def value(self, raw: dict[str, Any], key: str, kind: type, default: Any, table: str = "") -> Any:
        """``raw[key]`` checked against ``kind`` (lists: of strings), or ``default`` when absent."""
        if key not in raw:
            return default
        value = raw[key]
        name = f"{table}.{key}" if table else key
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise self.error(f"{name} must be a list of strings, not {_shown(value)}", key, value)
        elif kind is dict:
            if not isinstance(value, dict):
                raise self.error(f"{name} must be a table ([{self._sub(key)}]), not {_shown(value)}", key)
        elif not isinstance(value, kind):
            raise self.error(f"{name} must be a {kind.__name__}, not {_shown(value)}", key, value)
        return value

    def number(
        self, raw: dict[str, Any], key: str, kind: type, bounds: tuple[float, float], default: Any, table: str
    ) -> Any:
        if key not in raw:
            return default
        value = raw[key]
        name = f"{table}.{key}" if table else key
        wanted = "an integer" if kind is int else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and isinstance(value, float)):
            raise self.error(f"{name} must be {wanted}, not {_shown(value)}", key, value)
        low, high = bounds
        if not low <= value <= high:
            raise self.error(f"{name} must be between {low:g} and {high:g}, not {value:g}", key, value)
        return kind(value)

    def choice(self, raw: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, table: str = "") -> str:
        value: str = self.value(raw, key, str, default, table)
        if value not in allowed:
            name = f"{table}.{key}" if table else key
            raise self.error(f"{name} must be one of {', '.join(allowed)}, not {value!r}", key, value)
        return value

    def language(self, code: object, key: str) -> str:
        if not isinstance(code, str):
            raise self.error(f"language codes must be strings, got {code!r}", key)
        try:
            return locale.normalize(code)
        except ConfigError as error:
            raise self.error(error.message, key, code) from None

    # --- where ----------------------------------------------------------------------------------------------

    def _inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root.resolve())

    def _sub(self, name: str) -> str:
        return f"{self.table}.{name}" if self.table else name

    def _no_unknown_keys(self, raw: dict[str, Any], known: set[str], table: str) -> None:
        for key in raw:
            if key not in known:
                where = f" in [{table}]" if table else ""
                hint = _closest(key, known)
                raise self.error(f"unknown setting {key!r}{where}{hint}", key)

    def _line_of_table(self, *names: str) -> int | None:
        """The line of the ``[….<names…>]`` table header (names may be quoted)."""
        dot = r"\s*\.\s*"
        parts = dot.join(rf"[\"']?{re.escape(name)}[\"']?" for name in names)
        pattern = re.compile(rf"^\s*\[[^\]]*{parts}\s*\]")
        return next((number for number, line in enumerate(self.lines, 1) if pattern.match(line)), None)

    def _line_of(self, key: str, value: object) -> int | None:
        """The line of the file where ``key`` is set (or, failing that, where ``value`` is written)."""
        if key:
            pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
            for number, line in enumerate(self.lines, 1):
                if pattern.match(line):
                    return number
        if isinstance(value, str):
            quoted = (f'"{value}"', f"'{value}'")
            for number, line in enumerate(self.lines, 1):
                if any(q in line for q in quoted):
                    return number
        return None


def _document_names(source_dir: Path) -> set[str]:
    """The names (file stems) of the articles in ``source_dir``, which ``[leaflet.documents]`` may name."""
    try:
        return {path.stem for path in source_dir.iterdir() if path.suffix.lower() in SOURCE_SUFFIXES and path.is_file()}
    except OSError:
        return set()


def _closest(key: str, known: set[str]) -> str:
    """A did-you-mean hint: the known key most like ``key`` (whole, without underscores, or its first word)."""
    from difflib import SequenceMatcher

    def likeness(candidate: str) -> float:
        forms = (candidate, candidate.replace("_", ""), candidate.split("_")[0])
        return max(SequenceMatcher(None, key.lower(), form).ratio() for form in forms)

    best = max(sorted(known), key=likeness)
    return f" (did you mean {best!r}?)" if likeness(best) >= 0.7 else f" (known: {', '.join(sorted(known))})"


def _shown(value: object) -> str:
    return f"{type(value).__name__} {value!r}"
