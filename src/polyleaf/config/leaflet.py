"""The ``[leaflet]`` table: how leaflets look and whose they are — the clinic's name, logo and contact, each
printed sheet's reference, version and review date, who wrote and approved it, its web address and editions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from polyleaf.config.reader import Reader, closest, shown
from polyleaf.errors import ConfigError
from polyleaf.formats import SOURCE_SUFFIXES, WEB_PAGE

#: The paper sizes ``page_size`` may name: ISO A4 and A5 (a folded A4 sheet), US Letter and Legal.
PAGE_SIZES = ("A4", "A5", "Letter", "Legal")
#: The printed editions ``[leaflet] editions`` may name, each a PDF of its own: the ``standard`` leaflet and a
#: ``large-print`` one (body text 16 pt or larger, for readers with low vision).
STANDARD_EDITION = "standard"
LARGE_PRINT = "large-print"
EDITIONS = (STANDARD_EDITION, LARGE_PRINT)
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


def read_leaflet(reader: Reader, raw: dict[str, Any], source_dir: Path) -> LeafletConfig:
    table = reader.sub("leaflet")
    reader.no_unknown_keys(raw, {item.name for item in fields(LeafletConfig)} - {"authors"}, table)
    fonts = reader.value(raw, "fonts", list, [], "leaflet")
    if not all(name.strip() for name in fonts):
        raise reader.error("leaflet.fonts must be a list of font family names or font file paths", "fonts")
    documents = reader.value(raw, "documents", dict, {}, "leaflet")
    names = _document_names(source_dir)
    overrides, authors = [], []
    for name, settings in documents.items():
        where = f"{table}.documents.{name}"
        if name not in names:
            hint = closest(name, names) if names else ""
            line = reader.line_of_table("documents", name) or reader.line_of(name, None)
            raise ConfigError(f"unknown document {name!r} in [{table}.documents]{hint}", reader.config_file, line)
        if not isinstance(settings, dict):
            raise reader.error(f"leaflet.documents.{name} must be a table, not {shown(settings)}", name)
        own_keys = {item.name for item in (*fields(LeafletIdentity), *fields(Authorship))}
        reader.no_unknown_keys(settings, own_keys, where)
        overrides.append((name, _identity(reader, settings, f"leaflet.documents.{name}")))
        authors.append((name, _authorship(reader, settings, f"leaflet.documents.{name}")))
    shared = _identity(reader, raw, "leaflet")
    shared_authorship = _authorship(reader, raw, "leaflet")
    return LeafletConfig(
        fonts=tuple(name.strip() for name in fonts),
        organisation=reader.text(raw, "organisation", "leaflet"),
        logo=_logo(reader, raw),
        contact=reader.text(raw, "contact", "leaflet", lines=True),
        reference=shared.reference,
        version=shared.version,
        review_by=shared.review_by,
        documents=tuple(sorted(overrides)),
        commercial=reader.value(raw, "commercial", bool, False, "leaflet"),
        author=shared_authorship.author,
        approved_by=shared_authorship.approved_by,
        sources=shared_authorship.sources,
        history=shared_authorship.history,
        authors=tuple(sorted((name, own) for name, own in authors if own != Authorship())),
        translators=_translators(reader, reader.value(raw, "translators", dict, {}, "leaflet")),
        credits=reader.value(raw, "credits", bool, True, "leaflet"),
        translate=_translate(reader, raw),
        base_url=_base_url(reader, raw),
        editions=_editions(reader, raw),
    )


def _authorship(reader: Reader, raw: dict[str, Any], table: str) -> Authorship:
    sources = reader.value(raw, "sources", list, [], table)
    odd = next((item for item in sources if not item.strip() or any(ord(c) < 32 for c in item)), None)
    if odd is not None:
        raise reader.error(f"{table}.sources: {odd!r} must be one line of text", "sources", odd)
    return Authorship(
        author=reader.text(raw, "author", table),
        approved_by=reader.text(raw, "approved_by", table),
        sources=tuple(item.strip() for item in sources),
        history=_history(reader, raw, table),
    )


def _history(reader: Reader, raw: dict[str, Any], table: str) -> tuple[Change, ...]:
    """``history = [{version = "2.1", date = 2026-03-01, note = "…"}, …]``: every entry needs a version."""
    entries = raw.get("history", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise reader.error(
            f'{table}.history must be a list of tables ({{version = "2.1", date = 2026-03-01, note = "…"}}), '
            f"not {shown(entries)}",
            "history",
        )
    changes = []
    try:
        for entry in entries:
            reader.no_unknown_keys(entry, {item.name for item in fields(Change)}, f"{table}.history")
            version = reader.text(entry, "version", f"{table}.history")
            if not version:
                raise reader.error(f"{table}.history: every change needs a version", "history")
            note = reader.text(entry, "note", f"{table}.history")
            changes.append(Change(version, reader.date(entry, "date", f"{table}.history"), note))
    except ConfigError as error:  # a key of an inline table: the line where the history starts
        raise ConfigError(error.message, reader.config_file, reader.line_of("history", None)) from None
    return tuple(changes)


def _translators(reader: Reader, raw: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """``[leaflet.translators]``: a language's credit line (``es = "Ana Ruiz; reviewed by Dr Gil"``)."""
    found = {reader.language(code, code): reader.text(raw, code, "leaflet.translators") for code in raw}
    return tuple(sorted(found.items()))


def _translate(reader: Reader, raw: dict[str, Any]) -> tuple[str, ...]:
    chosen = reader.value(raw, "translate", list, list(LeafletConfig().translate), "leaflet")
    for item in chosen:
        if item not in TRANSLATABLE_LEAFLET_TEXTS:
            hint = closest(item, set(TRANSLATABLE_LEAFLET_TEXTS))
            raise reader.error(f"leaflet.translate: {item!r} is not a [leaflet] text{hint}", "translate", item)
    return tuple(dict.fromkeys(chosen))


def _base_url(reader: Reader, raw: dict[str, Any]) -> str:
    """``[leaflet] base_url``, normalised (scheme and host in lower case, a slash at the end): it is printed on
    paper and put in QR codes and links, so anything but a plain web address is refused."""
    value: str = reader.value(raw, "base_url", str, "", "leaflet")
    if not value:
        return ""
    problem = base_url_problem(value)
    if problem:
        raise reader.error(f"leaflet.base_url {problem}", "base_url", value)
    scheme, rest = value.split("://", 1)
    host, _slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}/{path.removesuffix('/')}{'/' if path else ''}"


def check_web_pages(reader: Reader, leaflet: LeafletConfig, formats: tuple[str, ...]) -> LeafletConfig:
    """``leaflet``, checked against ``formats``: a QR code must lead to a web page the build makes."""
    if leaflet.base_url and WEB_PAGE not in formats:
        raise reader.error(
            "leaflet.base_url: the QR code leads to the leaflet's web page: add 'html' to formats", "base_url"
        )
    return leaflet


def _editions(reader: Reader, raw: dict[str, Any]) -> tuple[str, ...]:
    """``[leaflet] editions``: known names, at least one, each once (a typo stops the run)."""
    editions = reader.value(raw, "editions", list, [STANDARD_EDITION], "leaflet")
    unknown = [name for name in editions if name not in EDITIONS]
    if unknown or not editions or len(set(editions)) != len(editions):
        what = f"unknown edition {unknown[0]!r}" if unknown else "must name each edition once, at least one"
        raise reader.error(f"leaflet.editions: {what} (known: {', '.join(EDITIONS)})", "editions")
    return tuple(editions)


def _identity(reader: Reader, raw: dict[str, Any], table: str) -> LeafletIdentity:
    return LeafletIdentity(
        reference=reader.text(raw, "reference", table),
        version=reader.text(raw, "version", table),
        review_by=reader.date(raw, "review_by", table),
    )


def _logo(reader: Reader, raw: dict[str, Any]) -> Path | None:
    """The logo's file: an image in the project (symlinks resolved), checked now so a typo stops the run."""
    value = reader.text(raw, "logo", "leaflet")
    if not value:
        return None
    path = reader.root / value
    if not path.name.lower().endswith(LOGO_SUFFIXES):
        raise reader.error(f"leaflet.logo must be a PNG, JPEG, GIF or WebP file, not {value!r}", "logo", value)
    if not reader.inside(path):
        raise reader.error(f"leaflet.logo {value!r} is outside the project (resolved: {path.resolve()})", "logo")
    if not path.is_file():
        raise reader.error(f"leaflet.logo: no such file {value!r}", "logo", value)
    return path


def _document_names(source_dir: Path) -> set[str]:
    """The names (file stems) of the articles in ``source_dir``, which ``[leaflet.documents]`` may name."""
    try:
        return {path.stem for path in source_dir.iterdir() if path.suffix.lower() in SOURCE_SUFFIXES and path.is_file()}
    except OSError:
        return set()
