"""Where a content project's files live: sources, templates, PO files, build outputs, and the reserved names.

Every stage asks this module for paths instead of building them, so the layout is written down once:

    <source_dir>/<doc>.txt|.md                     articles (and the standard disclaimer)
    <locales_dir>/templates/<catalog>.pot          generated templates
    <locales_dir>/<lang>/LC_MESSAGES/<catalog>.po  translators' files
    <build_dir>/<lang>/<doc>.<lang>.<ext>          drafts;  <build_dir>/release/<lang>/…  the last release
    <build_dir>/<lang>/<doc>.<lang>.large-print.pdf  a printed edition other than the standard one
    <build_dir>/<lang>/index.html                  a language's index page; <build_dir>/index.html the site's
    <build_dir>/fonts/, <build_dir>/assets/        font files and the organisation's logo the pages link to
    <build_dir>/release/release.json               what the last release published (``build/release.json`` links it)
    <build_dir>/.cache/                            what re-runs need not compute again (``polyleaf.cache``)
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import quote

from polyleaf.config.leaflet import EDITIONS, STANDARD_EDITION
from polyleaf.config.model import Config
from polyleaf.errors import ConfinementError
from polyleaf.formats import WEB_PAGE, leaflet_format, of_extension

#: The catalogs that belong to no article: the standard disclaimer, and the words of the leaflet itself.
DISCLAIMER = "disclaimer"
INTERFACE = "interface"
#: Names a source article may not have (compared case-insensitively): a catalog or a generated file of that name
#: exists already (``build/<lang>/index.html`` is the language's index page).
RESERVED_NAMES = frozenset({DISCLAIMER, INTERFACE, "index"})
#: Images an article may show: copied next to its leaflets, and not articles themselves when in ``source/``.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
#: Why an image or logo file whose bytes are none of those kinds is not shown.
NOT_RASTER = "not a PNG, JPEG, GIF or WebP image"


def is_raster_image(data: bytes) -> bool:
    """Whether ``data`` starts as a PNG, JPEG, GIF or WebP file does. Its name does not tell: WeasyPrint reads a file
    it cannot read as a raster image as SVG, and an SVG can pull in other files."""
    signatures = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
    return data.startswith(signatures) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


#: The categories of characters a document name cannot have (control, format, line and paragraph separators,
#: surrogates, private use): ``str.isprintable`` is false for each of them.
_ODD = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a document name (empty when it can): reserved, or not representable in a PO
    reference, a file name and a URL alike (line breaks and other control or format characters)."""
    if name.casefold() in RESERVED_NAMES:
        return f"{name!r} is a reserved name (a catalog or page of that name exists); rename the file"
    printable = name.isprintable()  # none of those (a library has thousands of names: most are looked at no further)
    odd = None if printable else next((char for char in name if unicodedata.category(char) in _ODD), None)
    if odd is not None:
        return f"the file name contains the control character U+{ord(odd):04X}; rename the file"
    if name != name.strip():
        return "the file name starts or ends with whitespace; rename the file"
    return ""


def readable_base(config: Config, key: str) -> Path:
    """The folder, resolved, below which the files of setting ``key`` may be read (``check_readable``)."""
    return dict(config.outside).get(key, config.root).resolve()


def check_readable(config: Config, path: Path, key: str) -> None:
    """Refuse to read ``path`` when it resolves (symlinks included) outside the project — or outside the folder of
    setting ``key`` when the configuration lets that one live elsewhere (``outside_root``)."""
    try:
        resolved = path.resolve()
    except RuntimeError:  # a loop of links, before Python 3.13 (which leaves it unresolved: reading it fails)
        raise ConfinementError("refusing to read: it is a loop of symbolic links", config.relative(path)) from None
    if not resolved.is_relative_to(readable_base(config, key)):
        raise ConfinementError(
            f"refusing to read: it leads outside the project (to {resolved}); polyleaf reads only project files",
            config.relative(path),
        )


def template_path(config: Config, name: str) -> Path:
    return config.locales_dir / "templates" / f"{name}.pot"


def catalog_path(config: Config, language: str, name: str) -> Path:
    return config.locales_dir / language / "LC_MESSAGES" / f"{name}.po"


#: The folder a release is being built in, while ``pipeline.release`` builds one (``building_release_in``).
_STAGED_RELEASE: ContextVar[Path | None] = ContextVar("polyleaf_staged_release", default=None)


def release_dir(config: Config) -> Path:
    """``build/release/``: the last release, replaced whole by the next one (``pipeline.release``)."""
    return config.build_dir / "release"


def output_dir(config: Config, release: bool) -> Path:
    """Drafts go to ``build/``, releases to ``build/release/`` (while a release is being built: the folder it is
    built in, swapped in for ``build/release/`` when it is complete): a clinic never picks up a draft by mistake."""
    if not release:
        return config.build_dir
    return _STAGED_RELEASE.get() or release_dir(config)


@contextlib.contextmanager
def building_release_in(folder: Path) -> Iterator[None]:
    """Let every release path of this block lead into ``folder`` instead of ``build/release/``."""
    token = _STAGED_RELEASE.set(folder)
    try:
        yield
    finally:
        _STAGED_RELEASE.reset(token)


def output_path(
    config: Config, language: str, name: str, extension: str, release: bool = False, edition: str = STANDARD_EDITION
) -> Path:
    """A leaflet's file: ``build/<lang>/<doc>.<lang>.<ext>`` (see ``output_name``)."""
    return output_dir(config, release) / language / output_name(name, language, extension, edition)


def output_name(name: str, language: str, extension: str, edition: str = STANDARD_EDITION) -> str:
    """Every file of a leaflet names its language (``bvna-chronic-low-back-pain.es.pdf``): files downloaded or
    mailed from several languages never collide, and ``<doc>.<lang>.md`` is the name static site generators (Hugo,
    MkDocs' i18n plugin) give a page's translation. A printed edition other than the standard one names itself
    after the language (``<doc>.<lang>.large-print.pdf``). The one place a leaflet's file names are made."""
    printed = "" if edition == STANDARD_EDITION else f".{edition}"
    return f"{name}.{language}{printed}.{extension}"


def leaflet_kinds(extensions: Iterable[str]) -> list[tuple[str, str]]:
    """Every (extension, edition) a leaflet's files may have: each format, PDFs in each printed edition."""
    return [
        (extension, edition)
        for extension in extensions
        for edition in (EDITIONS if of_extension(extension).kind == "printed" else (STANDARD_EDITION,))
    ]


def leaflet_file_names(name: str, language: str, extensions: Iterable[str]) -> list[str]:
    """Every name a file of leaflet ``name`` in ``language`` may have (``leaflet_kinds``)."""
    return [output_name(name, language, *kind) for kind in leaflet_kinds(extensions)]


def site_path(language: str, file_name: str) -> str:
    """A leaflet's file as a URL path below the build folder (``es/x.es.html``): the build and the release folder
    are laid out alike, and a web server serves either as it is."""
    return f"{quote(language)}/{quote(file_name)}"


def web_page_url(config: Config, language: str, name: str) -> str:
    """The address of a leaflet's web page where the build is published (``[leaflet] base_url``), which its PDF
    prints and encodes in a QR code; "" when no base URL is configured."""
    base = config.leaflet.base_url
    page = output_name(name, language, leaflet_format(WEB_PAGE).extension)
    return f"{base}{site_path(language, page)}" if base else ""


def language_index_path(config: Config, language: str, release: bool = False) -> Path:
    return output_dir(config, release) / language / "index.html"


def assets_dir(config: Config, release: bool) -> Path:
    """Where the organisation's logo is copied for the pages that show it."""
    return output_dir(config, release) / "assets"


#: The release manifest's name, in the release folder.
MANIFEST = "release.json"


def manifest_path(config: Config) -> Path:
    """``build/release/release.json``: what the release published, inside it (it is swapped in with it)."""
    return output_dir(config, release=True) / MANIFEST


def legacy_manifest_path(config: Config) -> Path:
    """``build/release.json``, where the manifest was before it moved into the release: now a link to it."""
    return config.build_dir / MANIFEST


def status_page_path(config: Config) -> Path:
    return config.build_dir / "status.html"


def render_stamp_name(config: Config, output: Path) -> str:
    """The name of the stamp recording what an output was rendered from: its path in the build folder (a file of
    a release being built has the name it will have in ``build/release/``, so an unchanged one keeps its stamp)."""
    staged = _STAGED_RELEASE.get()
    if staged is not None and output.is_relative_to(staged):
        output = release_dir(config) / output.relative_to(staged)
    return output.relative_to(config.build_dir).as_posix()
