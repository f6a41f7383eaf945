"""The file formats, declared once: the leaflet formats a build writes and the source formats articles come in.

Everything that depends on a format derives from these records — the configuration's ``formats`` and the CLI's
``--format`` choice, the build (what renders where, what is stamped), the release manifest, the dashboard's
links, the index pages' links and their labels, source discovery and parsing — so adding a format is a record
here and its renderer (``polyleaf.render.leaflet_files``, or a parser in ``polyleaf.source.parse``).

A foundation module: it imports nothing of polyleaf, so the configuration (layer 2) can validate names with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

#: How a leaflet format is made: a ``file`` rendered in this process by its renderer in
#: ``polyleaf.render.leaflet_files``; the leaflet's ``web_page`` (set in web fonts, linked by the index pages);
#: or ``printed``, one file per printed edition, rendered on worker processes (WeasyPrint is slow).
FormatKind = Literal["file", "web_page", "printed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LeafletFormat:
    """One output format of a leaflet."""

    name: str  # as the configuration's ``formats`` and ``--format`` name it
    kind: FormatKind = "file"
    extension: str = ""  # its files' extension; "" for the text leaflet: the source's own (``SourceFormat``)
    #: What a language index's link to it says (label ``format_<ext>``; the text leaflet's: its source's).
    label: str = ""
    on_index: bool = True  # a language index links the file (and the dashboard, when it is the first there is)

    @property
    def on_workers(self) -> bool:
        """Rendered on the run's worker processes, before the web pages that link it."""
        return self.kind == "printed"

    @property
    def sets_fonts(self) -> bool:
        """Set in the leaflet's fonts (``[leaflet] fonts`` is checked for it) and shows the logo."""
        return self.kind in ("web_page", "printed")

    @property
    def extensions(self) -> tuple[str, ...]:
        """Every extension its files may have."""
        return (self.extension,) if self.extension else tuple(source.name for source in SOURCE_FORMATS)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFormat:
    """One format source articles come in; its text leaflet has the source's format (``<doc>.<lang>.<name>``)."""

    name: str  # ``Document.format``, and the extension of its text leaflet
    suffixes: tuple[str, ...]  # lowercase file suffixes of such sources
    label: str  # what a language index's link to its text leaflet says


#: The text leaflet: the source's format, translated (``.txt`` or ``.md``).
TEXT = "txt"
#: The leaflet's web page, which the index pages and the QR code of a printed leaflet lead to.
WEB_PAGE = "html"
#: The printed leaflet.
PRINTED = "pdf"

#: Every leaflet format, in the order a language index offers its files (of those it links).
LEAFLET_FORMATS: tuple[LeafletFormat, ...] = (
    LeafletFormat(name=WEB_PAGE, kind="web_page", extension="html", label="Web page"),
    LeafletFormat(name=PRINTED, kind="printed", extension="pdf", label="PDF file"),
    LeafletFormat(name=TEXT, kind="file"),
    # the leaflet as HTML a clinic pastes into its own web site; not for patients to pick on an index
    LeafletFormat(name="fragment", kind="file", extension="fragment.html", on_index=False),
)
#: Every source format (``.markdown`` is Markdown too).
SOURCE_FORMATS: tuple[SourceFormat, ...] = (
    SourceFormat(name="txt", suffixes=(".txt",), label="Plain text"),
    SourceFormat(name="md", suffixes=(".md", ".markdown"), label="Markdown file"),
)

#: The formats the configuration may name, in the order its messages list them.
FORMAT_NAMES: tuple[str, ...] = tuple(sorted(leaflet.name for leaflet in LEAFLET_FORMATS))
#: What a project builds when its configuration names no formats.
DEFAULT_FORMATS: tuple[str, ...] = (TEXT, WEB_PAGE)
#: Source file suffixes (lowercase) and the source format each is parsed as.
SOURCE_SUFFIXES: dict[str, str] = {suffix: source.name for source in SOURCE_FORMATS for suffix in source.suffixes}
#: Every extension a leaflet's file may have.
LEAFLET_EXTENSIONS: tuple[str, ...] = tuple(ext for leaflet in LEAFLET_FORMATS for ext in leaflet.extensions)
#: The extensions of the files a language index links, in the order it offers them (the dashboard's too).
OFFERED_EXTENSIONS: tuple[str, ...] = tuple(
    ext for leaflet in LEAFLET_FORMATS if leaflet.on_index for ext in leaflet.extensions
)


def leaflet_format(name: str) -> LeafletFormat:
    """The format of a configured name (KeyError for an unknown one: the configuration refuses those)."""
    return _BY_NAME[name]


def of_extension(extension: str) -> LeafletFormat:
    """The format a leaflet's file of ``extension`` belongs to (``md`` → the text leaflet)."""
    return next(leaflet for leaflet in LEAFLET_FORMATS if extension in leaflet.extensions)


def selected(names: Iterable[str]) -> tuple[LeafletFormat, ...]:
    """The formats of ``names``, in the registry's order."""
    wanted = set(names)
    return tuple(leaflet for leaflet in LEAFLET_FORMATS if leaflet.name in wanted)


def has_kind(names: Iterable[str], *kinds: FormatKind) -> bool:
    """Whether any of the formats ``names`` is of one of ``kinds`` (``has_kind(formats, "web_page")``)."""
    return any(leaflet.kind in kinds for leaflet in selected(names))


def sets_fonts(names: Iterable[str]) -> bool:
    """Whether any of the formats ``names`` sets text in the leaflet's fonts (and shows the logo)."""
    return any(leaflet.sets_fonts for leaflet in selected(names))


def registry_problem(leaflets: Iterable[LeafletFormat], sources: Iterable[SourceFormat]) -> str:
    """Why these records cannot be the registry ("" when they can): two formats of one name, two source formats
    of one suffix, or two leaflet files of one name — a source format whose text leaflet has another format's
    extension (an ``.html`` source's text leaflet would overwrite the leaflet's web page, ``<doc>.<lang>.html``)."""
    leaflets, sources = tuple(leaflets), tuple(sources)
    owners: dict[str, str] = {}
    for owner, extension in [
        *((f"leaflet format {leaflet.name!r}", leaflet.extension) for leaflet in leaflets if leaflet.extension),
        *((f"the text leaflet of source format {source.name!r}", source.name) for source in sources),
    ]:
        if extension in owners:
            return f"{owner} and {owners[extension]} would both write <doc>.<lang>.{extension}"
        owners[extension] = owner
    names = [leaflet.name for leaflet in leaflets]
    suffixes = [suffix for source in sources for suffix in source.suffixes]
    if len(set(names)) < len(names) or len(set(suffixes)) < len(suffixes):
        return "two formats of one name, or two source formats of one suffix"
    return ""


_BY_NAME = {leaflet.name: leaflet for leaflet in LEAFLET_FORMATS}
_PROBLEM = registry_problem(LEAFLET_FORMATS, SOURCE_FORMATS)
if _PROBLEM:  # a registry that would let one file overwrite another never loads
    raise ImportError(f"polyleaf.formats: {_PROBLEM}")
