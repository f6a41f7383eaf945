"""PDF output: the HTML leaflet laid out by WeasyPrint, with real (extractable) text and embedded fonts.

WeasyPrint is imported inside :func:`render_pdf` (its import takes about a second and needs Pango). Rendering is
offline: only ``file:`` and ``data:`` URLs may be fetched (the fonts polyleaf brings are ``file:`` URLs). The PDF's
title, language, author and generator come from the HTML's ``<title>``, ``<html lang>`` and ``<meta>`` elements, and
its other named ``<meta>`` elements (publisher, reference, version, review-by) become custom entries of the PDF's
document information (``/publisher``, ``/reference``…), so a PDF tells which printed version it is. The fonts'
text maps are rewritten from the fonts themselves (``render.pdf_text``), and on right-to-left lines words with vowel
marks, punctuation and Latin runs carry their text in ``/ActualText`` spans (``render.pdf_order``): Arabic copies,
searches and reads aloud as written.
"""

from __future__ import annotations

import functools
import gc
import importlib
import itertools
import logging
import os
import re
import struct
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

from polyleaf.errors import ConfigError, RenderError
from polyleaf.render.fonts import debian_package, font_stack, unavailable_families
from polyleaf.render.pdf_order import Glyph, line_hints, with_actual_text
from polyleaf.render.pdf_text import repair_text_maps

_PANGO_HINT = "install the Debian packages libpango-1.0-0 and libpangoft2-1.0-0"
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=\"([^\"]+)\"", re.IGNORECASE)
# what WeasyPrint logs when no font has a character (the message of weasyprint.draw.text, WeasyPrint 63 to 70)
_NOTDEF = re.compile(r"\.notdef glyph rendered .*\(U\+([0-9A-F]{4,6})\)")
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
#: The first bytes of a TrueType or OpenType font file.
_SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
#: Seconds from 1904-01-01 (OpenType's epoch) to 1970-01-01.
_EPOCH_1904 = 2082844800


def render_pdf(html: str, base_url: Path | None = None) -> bytes:
    """Lay out ``html`` as a PDF (``unprinted_characters`` tells which characters no font had).

    Raises RenderError, one line naming the Debian package to install, when Pango or the fonts of a script that
    polyleaf brings none for (Hebrew, Thai, Japanese…) are missing.
    """
    language = document_language(html)
    if language:
        check_fonts(language)
    weasyprint = _import_weasyprint()
    base = str(base_url) if base_url is not None else None
    html, css = _without_stylesheet(html)
    document = weasyprint.HTML(
        string=html,
        base_url=_BUILD_URL + quote(base_url.name) + "/" if base_url is not None else None,
        url_fetcher=_offline_fetcher(weasyprint, base_url.absolute().parent if base_url is not None else None),
        media_type="print",
    )
    try:
        stylesheets, font_config = _stylesheet(css, base, threading.get_ident()) if css else ([], None)
        with _reading_order_hints(weasyprint):
            pdf = document.write_pdf(
                stylesheets=stylesheets,
                font_config=font_config,
                pdf_tags=True,
                custom_metadata=True,
                finisher=functools.partial(_finish, started=time.time()),
            )
    except OSError as exc:  # a font file or library that fontconfig listed but cannot be opened
        raise RenderError(f"PDF rendering failed: {exc}") from None
    if not isinstance(pdf, bytes):  # pragma: no cover - WeasyPrint returns bytes when no target is given
        raise RenderError("PDF rendering returned no data")
    return pdf


def document_language(html: str) -> str | None:
    """The ``lang`` of the ``<html>`` element, if any (BCP 47, e.g. ``zh-Hans``)."""
    match = _HTML_LANG.search(html)
    return match.group(1) if match else None


def check_fonts(language: str) -> None:
    """Raise RenderError naming the Debian package to install when the fonts for ``language`` are unavailable."""
    try:
        stack = font_stack(language)
    except ConfigError:  # a language tag Babel does not know (hand-written HTML): nothing to check
        return
    missing = unavailable_families(stack)
    if missing:
        packages = sorted({debian_package(family) for family in missing})
        raise RenderError(
            f"font {missing[0]!r} for {language} is not installed: install the Debian package {' and '.join(packages)}"
        )


class _Unprinted(logging.Handler):
    """Collects what WeasyPrint logs as drawn with the ``.notdef`` glyph: characters no font has."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = _NOTDEF.search(record.getMessage())
        if match and chr(int(match.group(1), 16)) not in self.characters:
            self.characters.append(chr(int(match.group(1), 16)))


@contextmanager
def unprinted_characters() -> Iterator[list[str]]:
    """The characters the PDFs rendered in the block draw as an empty box, because no available font has them."""
    logger = logging.getLogger("weasyprint")
    handler = _Unprinted()
    logger.addHandler(handler)
    try:
        yield handler.characters
    finally:
        logger.removeHandler(handler)


def describe_unprinted(character: str, language: str) -> str:
    """A warning for a character printed as an empty box."""
    name = unicodedata.name(character, "unnamed character")
    return (
        f"{character!r} (U+{ord(character):04X} {name}) has no glyph in the fonts for {language}: it prints as an"
        " empty box (name a font that has it in [leaflet] fonts)"
    )


def _without_stylesheet(html: str) -> tuple[str, str]:
    """The page without its one ``<style>`` element, and the element's text ("" and the page as it is when it has
    none or several)."""
    found = _STYLE.findall(html)
    return (_STYLE.sub("", html, count=1), found[0]) if len(found) == 1 else (html, "")


@functools.lru_cache(maxsize=4)
def _stylesheet(css: str, base_url: str | None, thread: int) -> tuple[list[Any], Any]:
    """The leaflet style sheet ``css`` parsed, with the font configuration its ``@font-face`` rules were added to:
    once per process (and thread: a configuration is not shared between threads) for the leaflets that have the same
    style sheet, those of one language, instead of once per leaflet. The last few are kept: a build renders the
    leaflets language by language, and a worker process is replaced now and then (``pipeline.build``).

    The sheet is a "user" style sheet for WeasyPrint: with no other author sheet and no ``!important`` rule, it
    cascades as the page's own ``<style>`` did.
    """
    weasyprint = _import_weasyprint()
    font_config = _font_config("\n".join(_FONT_FACE.findall(css)), thread)
    sheet = weasyprint.CSS(
        string=css,
        base_url=base_url,
        url_fetcher=_offline_fetcher(weasyprint),
        media_type="print",
        font_config=font_config,
    )
    return [sheet], font_config


@functools.lru_cache(maxsize=4)
def _font_config(font_faces: str, thread: int) -> Any:
    """A font configuration for the style sheets whose ``@font-face`` rules are ``font_faces`` (sheets that differ
    in a leaflet's reference line only share it). Each set of rules has one of its own, so a leaflet finds only the
    fonts its own rules declare (and the system's), never those another leaflet declared before it in the process.
    """
    from weasyprint.text.fonts import FontConfiguration

    _clean_at_exit(os.getpid())
    return FontConfiguration()


@functools.cache
def _clean_at_exit(process: int) -> None:
    """When ``process`` ends, its style sheets and font configurations go, and with them the copies of the font
    files WeasyPrint keeps in a temporary folder for each configuration. A worker process ends without running
    ``atexit`` functions, but it runs ``multiprocessing``'s finalizers, as the main process does at its exit."""
    from multiprocessing.util import Finalize

    Finalize(None, _forget_stylesheets, exitpriority=0)


def _forget_stylesheets() -> None:
    """Drop the kept style sheets and their font configurations (they are in reference cycles: collected now, which
    removes their temporary folders)."""
    _stylesheet.cache_clear()
    _font_config.cache_clear()
    gc.collect()


def _finish(document: Any, pdf: Any, started: float) -> None:
    """WeasyPrint's finisher for a PDF whose rendering ``started`` then: the fonts' text maps (``render.pdf_text``),
    and the fonts' times fixed (``fixed_font_time``) unless ``SOURCE_DATE_EPOCH`` says which time to give them."""
    repair_text_maps(document, pdf)
    if "SOURCE_DATE_EPOCH" not in os.environ:
        for entry in pdf.objects:
            chunks = getattr(entry, "stream", None)
            if isinstance(chunks, list) and len(chunks) == 1 and isinstance(chunks[0], bytes):
                chunks[0] = fixed_font_time(chunks[0], started)


def fixed_font_time(font: bytes, started: float) -> bytes:
    """``font`` (an embedded font file; any other bytes are returned as they are) with the time fontTools stamped on
    it since ``started`` (it stamps the fonts it saves for WeasyPrint, a variable font's static instance, with the
    time of day) replaced by 1970-01-01, as fontTools writes it when ``SOURCE_DATE_EPOCH`` is 0: so a PDF is
    byte-identical from run to run, and the process's environment is left alone. A font with another time (as its
    file has it) is left as it is."""
    if font[:4] not in _SFNT_VERSIONS or len(font) < 12:
        return font
    tables = struct.unpack_from(">H", font, 4)[0]
    for record in range(12, min(12 + 16 * tables, len(font) - 15), 16):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", font, record)
        if tag == b"head" and length >= 36 and offset + length <= len(font):
            stamped = int(struct.unpack_from(">q", font, offset + 28)[0]) - _EPOCH_1904
            if not started - 1 <= stamped <= time.time() + 1:
                return font
            data = bytearray(font)
            struct.pack_into(">q", data, offset + 28, _EPOCH_1904)
            struct.pack_into(">I", data, offset + 8, 0)
            struct.pack_into(">I", data, record + 4, _checksum32(data[offset : offset + length]))
            struct.pack_into(">I", data, offset + 8, (0xB1B0AFBA - _checksum32(data)) & 0xFFFFFFFF)
            return bytes(data)
    return font


def _checksum32(data: bytes | bytearray) -> int:
    """An OpenType checksum: the sum of the big-endian 32-bit words, the last one padded with zeros."""
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    return int(sum(struct.unpack(f">{len(padded) // 4}I", padded))) & 0xFFFFFFFF


#: A line being drawn: for each text box, the stream it drew into, where its operators start and end, its glyphs.
_LINE: ContextVar[list[tuple[Any, int, int, list[Glyph]]] | None] = ContextVar("polyleaf_pdf_line", default=None)
_HINTING: ContextVar[bool] = ContextVar("polyleaf_pdf_hinting", default=False)
_HOOK_LOCK = threading.Lock()
_HOOK = "_polyleaf_reading_order"  # on weasyprint.draw while installed: (original functions, renders using them)
_WEASYPRINT_DRAWING = "70."  # the versions whose draw_inline_level/draw_first_line and operators the hook knows


@contextmanager
def _reading_order_hints(weasyprint: ModuleType) -> Iterator[None]:
    """While a PDF is written, WeasyPrint's line and text drawing are wrapped so that right-to-left lines get the
    reading-order hints of ``render.pdf_order``.

    Only for the WeasyPrint versions whose drawing code this was written against; with any other the PDF is
    written as WeasyPrint writes it. The wrappers are installed while a render of this process needs them, act
    only inside one (``_HINTING``), and WeasyPrint's functions are put back when the last render ends.
    """
    if not str(getattr(weasyprint, "__version__", "")).startswith(_WEASYPRINT_DRAWING):
        yield
        return
    draw: Any = importlib.import_module("weasyprint.draw")
    text: Any = importlib.import_module("weasyprint.draw.text")
    line_box: Any = importlib.import_module("weasyprint.formatting_structure.boxes").LineBox
    with _HOOK_LOCK:
        originals, users = draw.__dict__.get(_HOOK, ((draw.draw_inline_level, text.draw_first_line), 0))
        if not users:
            draw.draw_inline_level = _hinted_line(originals[0], line_box)
            text.draw_first_line = _recorded_text(originals[1])
        setattr(draw, _HOOK, (originals, users + 1))
    token = _HINTING.set(True)
    try:
        yield
    finally:
        _HINTING.reset(token)
        with _HOOK_LOCK:
            originals, users = getattr(draw, _HOOK)
            setattr(draw, _HOOK, (originals, users - 1))
            if users == 1:
                draw.draw_inline_level, text.draw_first_line = originals
                delattr(draw, _HOOK)


def _hinted_line(draw_inline_level: Callable[..., Any], line_box: Any) -> Callable[..., Any]:
    """WeasyPrint's ``draw_inline_level``: a right-to-left line box, once drawn, gets its hints."""

    def draw_line(stream: Any, page: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        if not (_HINTING.get() and isinstance(box, line_box) and box.style["direction"] == "rtl"):
            return draw_inline_level(stream, page, box, *args, **kwargs)
        drawn: list[tuple[Any, int, int, list[Glyph]]] = []
        token = _LINE.set(drawn)
        try:
            result = draw_inline_level(stream, page, box, *args, **kwargs)
        finally:
            _LINE.reset(token)
        line = [replace(glyph, box=number) for number, (*_, glyphs) in enumerate(drawn) for glyph in glyphs]
        hints = iter(line_hints(line))
        boxes = [(target, start, end, glyphs, [next(hints) for _ in glyphs]) for target, start, end, glyphs in drawn]
        for target, start, end, glyphs, box_hints in reversed(boxes):  # from the end: earlier positions stay valid
            if any(box_hints):
                operators = with_actual_text(target.stream[start:end], [glyph.id for glyph in glyphs], box_hints)
                if operators is not None:
                    target.stream[start:end] = operators
        return result

    return draw_line


def _recorded_text(draw_first_line: Callable[..., Any]) -> Callable[..., Any]:
    """WeasyPrint's ``draw_first_line``: inside a right-to-left line, what a text box drew is noted for the line."""

    def draw_text(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        start = len(stream.stream)
        result = draw_first_line(stream, textbox, *args, **kwargs)
        drawn = _LINE.get()
        if drawn is not None:
            drawn.append((stream, start, len(stream.stream), _glyphs(textbox)))
        return result

    return draw_text


def _glyphs(textbox: Any) -> list[Glyph]:
    """The glyphs ``draw_first_line`` drew for ``textbox``, in the same order (Pango's runs), with their clusters'
    text, bidi level and place on the line."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    glyphs: list[Glyph] = []
    x = textbox.position_x
    run = line.runs[0]
    while run != ffi.NULL:
        item = run.data
        run = run.next
        count = item.glyphs.num_glyphs
        infos, clusters = item.glyphs.glyphs[0:count], list(item.glyphs.log_clusters[0:count])
        starts = sorted({*clusters, item.item.length})
        ends = dict(itertools.pairwise(starts))
        shown = [info.glyph != pango.PANGO_GLYPH_EMPTY for info in infos]  # an empty glyph is a shift, no glyph
        drawn = [cluster for cluster, visible in zip(clusters, shown, strict=True) if visible]
        for info, cluster, visible in zip(infos, clusters, shown, strict=True):
            if visible:
                text = utf8[item.item.offset + cluster : item.item.offset + ends[cluster]].decode(errors="replace")
                level = (
                    item.item.analysis.level & 0xFF
                )  # WeasyPrint's cdef reads the next fields of PangoAnalysis with it
                glyphs.append(Glyph(info.glyph, text, level, x, drawn.count(cluster) == 1))
            x += info.geometry.width * FROM_UNITS
    return glyphs


def _import_weasyprint() -> ModuleType:
    try:
        import weasyprint
    except OSError as exc:  # cffi could not dlopen Pango/HarfBuzz/fontconfig
        raise RenderError(f"PDF rendering needs Pango ({_first_line(exc)}): {_PANGO_HINT}") from None
    except ImportError as exc:
        raise RenderError(f"PDF rendering needs WeasyPrint ({_first_line(exc)})") from None
    module: ModuleType = weasyprint
    return module


#: Where WeasyPrint is told a leaflet's folder is (``<this>/<folder's name>/``, and ``<this>`` its parent, the
#: build folder: a leaflet shows the clinic's logo from there): a PDF names each image by a hash of its URL, so the
#: real path would make one leaflet's PDF differ between two copies of a project. The fetcher reads the real files.
_BUILD_URL = "file:///polyleaf-build/"


def _offline_fetcher(weasyprint: ModuleType, build: Path | None = None) -> Any:
    """A URL fetcher that refuses the network: leaflets may only use local files and data: URLs; ``_BUILD_URL``
    stands for the folder ``build``, and a leaflet's document reads no file outside it (WeasyPrint reads a file it
    cannot read as a raster image as SVG, whatever its name, and an SVG's images could be any file)."""

    def located(url: str) -> str:
        if build is None:
            return url
        if url.startswith(_BUILD_URL):
            url = build.as_uri().rstrip("/") + "/" + url.removeprefix(_BUILD_URL)
        if url[:5].lower() == "file:" and not _within(Path(url2pathname(urlsplit(url).path)), build):
            raise ValueError(f"refusing to read {url} (a leaflet reads only files of its build folder)")
        return url

    fetcher_class = getattr(weasyprint, "URLFetcher", None)
    if fetcher_class is not None:

        class LocatedFetcher(fetcher_class):  # type: ignore[misc,valid-type]
            def fetch(self, url: str, headers: Any = None) -> Any:
                return super().fetch(located(url), headers)

        return LocatedFetcher(allowed_protocols=("file", "data"))

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # WeasyPrint < 70
        if not url.startswith(("file:", "data:")):
            raise ValueError(f"refusing to fetch {url} (leaflets are rendered offline)")
        return weasyprint.default_url_fetcher(located(url), *args, **kwargs)

    return fetch


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is in ``folder`` once both are resolved (``..`` and symbolic links followed)."""
    return path.resolve().is_relative_to(folder.resolve())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
