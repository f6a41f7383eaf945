"""Font files for web pages: WOFF2 subsets with the characters a set of pages shows (fontTools, brotli).

A browser downloads every font file a page declares for the text it shows, so a Chinese page linking the whole
Noto CJK files loads 20 MB; a subset of the characters its pages use is a few hundred KB. Printing is not
concerned: WeasyPrint embeds its own subsets of the installed files.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import io
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, overload

from polyleaf.cache import Store, user_store
from polyleaf.errors import RenderError

#: Part of every subset's name: change it when the subsetter's options change, so no page keeps an older file.
SUBSET_VERSION = "3"
#: The variation axes a web page uses, narrowed to what its style sheets ask for (normal width; regular to bold):
#: the rest of a variable font's design space would double its subsets.
WEB_AXES: dict[str, float | tuple[float, float]] = {"wdth": 100.0, "wght": (400.0, 700.0)}
_UNSAFE_NAME = re.compile(r"[^\w-]+")
#: The subset cache's folder, in this user's polyleaf cache folder, and the most it holds.
SUBSET_CACHE_FOLDER = "web-fonts"
SUBSET_CACHE_BYTES = 256 * 2**20
#: The character maps of the font files, in this user's polyleaf cache folder.
CMAP_CACHE_FOLDER = "font-characters"


def page_characters(page: str) -> set[str]:
    """Every character of a rendered page, its markup and style sheet included (a superset of what it shows, so
    no text is left without a glyph: entities decoded, generated content and attributes counted)."""
    return set(html.unescape(page))


@dataclass(frozen=True, slots=True)
class Coverage:
    """The code points a font maps to glyphs, as runs: a build keeps each font's for its whole length, and a CJK
    font's tens of thousands of code points as a set of ints took 17 MB of its peak."""

    firsts: tuple[int, ...]
    lasts: tuple[int, ...]  # each run's last code point, included

    @classmethod
    def of(cls, points: Iterable[int]) -> Coverage:
        firsts: list[int] = []
        lasts: list[int] = []
        for point in sorted(set(points)):
            if lasts and lasts[-1] + 1 == point:
                lasts[-1] = point
            else:
                firsts.append(point)
                lasts.append(point)
        return cls(tuple(firsts), tuple(lasts))

    def __contains__(self, point: object) -> bool:
        if not isinstance(point, int):
            return False
        run = bisect.bisect_right(self.firsts, point) - 1
        return run >= 0 and point <= self.lasts[run]

    def __iter__(self) -> Iterator[int]:
        for first, last in zip(self.firsts, self.lasts, strict=True):
            yield from range(first, last + 1)

    def covered(self, points: Iterable[int]) -> frozenset[int]:
        """Those of ``points`` the font has."""
        return frozenset(point for point in points if point in self)


@cache
def font_characters(path: Path, digest: str) -> Coverage:
    """The code points a font file maps to glyphs (``digest``: its content, so a file changed in place is read
    again), kept in this user's cache (reading a CJK font's character map is most of what the web pages of a
    run that changed one leaflet cost)."""
    store = user_store(CMAP_CACHE_FOLDER)
    stored = None if store is None else store.lookup(digest, digest)
    points = _points(stored.get("ranges") if stored is not None else None)
    if points is not None:
        return points
    from fontTools.ttLib import TTFont, TTLibError  # only here: importing it is most of a cached answer's time

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            if "maxp" in font:  # glyph names of our own: a CFF font's are its whole charset (tens of MB for CJK)
                font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
            points = Coverage.of(font.getBestCmap() or {})
    # a table cut short or a length that is off: fontTools raises what it happens to meet
    except (OSError, TTLibError, KeyError, ValueError, IndexError, AssertionError, struct.error) as error:
        raise RenderError(f"{path}: not a usable font file ({error})") from None
    if store is not None:
        store.stage(digest, digest, {"ranges": unicode_range(points)})
        store.commit()
    return points


def _points(ranges: object) -> Coverage | None:
    """The code points of a ``unicode_range`` (None for anything else)."""
    if not isinstance(ranges, str):
        return None
    firsts: list[int] = []
    lasts: list[int] = []
    try:
        for part in filter(None, ranges.split(", ")):
            start, _, end = part.removeprefix("U+").partition("-")
            firsts.append(int(start, 16))
            lasts.append(int(end or start, 16))
    except ValueError:
        return None
    runs = Coverage(tuple(firsts), tuple(lasts))
    apart = all(last + 1 < first for last, first in zip(lasts, firsts[1:], strict=False))
    return runs if apart and all(map(int.__le__, firsts, lasts)) else Coverage.of(runs)  # else: made canonical


def subset_name(path: Path, digest: str, codepoints: Iterable[int]) -> str:
    """The file name of a subset: the font's name and a hash of what the subset is made of (the font's content,
    the code points, ``SUBSET_VERSION``), so equal subsets share one file and a browser never keeps an older one
    under a name a page links to."""
    stem = _UNSAFE_NAME.sub("-", path.stem).strip("-") or "font"
    return f"{stem}.{_made_of(digest, codepoints)[:16]}.woff2"


@lru_cache(maxsize=64)
def subset_woff2(path: Path, digest: str, codepoints: frozenset[int]) -> bytes:
    """The WOFF2 subset of a font file (``digest``: its content) with the glyphs of ``codepoints``
    (``make_subset_woff2``). Making one takes a second or more, so the last few made are kept for the builds that
    follow in the same process, and every one made is kept in this user's subset cache for the other builds and
    projects on the machine."""
    cache = _user_subsets()
    name = _cache_name(digest, codepoints)
    if cache is not None and (kept := cache.load_bytes(name)) is not None:
        return kept
    data = make_subset_woff2(path, codepoints)
    if cache is not None and cache.save_bytes(name, data):
        cache.bound()
    return data


def make_subset_woff2(path: Path, codepoints: frozenset[int]) -> bytes:
    """The WOFF2 subset of a font file with the glyphs of ``codepoints`` (and what its layout features reach from
    them: Arabic joining forms, ligatures, marks), a variable font's axes narrowed to ``WEB_AXES``. The same input
    gives the same bytes: the file's timestamp is kept, not set to now.

    HarfBuzz's subsetter cuts it (fontTools' keeps the same glyphs, but reads the whole font's layout tables in
    Python first, which took most of a first build's time); fontTools writes the WOFF2."""
    import uharfbuzz as harfbuzz
    from fontTools.ttLib import TTFont, TTLibError

    try:
        face = harfbuzz.Face(harfbuzz.Blob(_sfnt_bytes(path)))  # of a collection (.ttc), the first font
    except (OSError, TTLibError, AssertionError, struct.error) as error:
        raise RenderError(f"{path}: not a usable font file ({error})") from None
    wanted = harfbuzz.SubsetInput()
    for point in sorted(codepoints):
        wanted.unicode_set.add(point)
    for axis in face.axis_infos:
        limit = WEB_AXES.get(axis.tag)
        if isinstance(limit, tuple):
            low, high = _within(limit, axis)
            wanted.set_axis_range(face, axis.tag, low, high)
        elif limit is not None:
            wanted.pin_axis_location(face, axis.tag, _within(limit, axis))
    try:
        subset = harfbuzz.subset(face, wanted).blob.data
        with TTFont(io.BytesIO(subset), recalcTimestamp=False) as font:
            font.flavor = "woff2"
            data = io.BytesIO()
            font.save(data)
    except (RuntimeError, TTLibError, AssertionError, struct.error) as error:
        raise RenderError(f"{path}: not a usable font file ({error})") from None
    return data.getvalue()


def _sfnt_bytes(path: Path) -> bytes:
    """The font file's bytes as HarfBuzz reads them: a WOFF or WOFF2 file (a clinic's house font may be one)
    unpacked by fontTools, any other as it is."""
    from fontTools.ttLib import TTFont

    data = path.read_bytes()
    if data[:4] not in (b"wOFF", b"wOF2"):
        return data
    with TTFont(io.BytesIO(data), recalcTimestamp=False) as font:
        font.flavor = None
        unpacked = io.BytesIO()
        font.save(unpacked)
    return unpacked.getvalue()


def _cache_name(digest: str, codepoints: Iterable[int]) -> str:
    """The subset cache's name for a subset: the whole hash of what it is made of."""
    return f"{_made_of(digest, codepoints)}.woff2"


def _made_of(digest: str, codepoints: Iterable[int]) -> str:
    """The hash of what a subset is made of: the font's content, the code points, ``SUBSET_VERSION``."""
    made_of = f"{SUBSET_VERSION}\n{digest}\n{','.join(f'{point:x}' for point in sorted(codepoints))}"
    return hashlib.sha256(made_of.encode()).hexdigest()


def _user_subsets() -> Store | None:
    """This user's web font subsets, ``$XDG_CACHE_HOME/polyleaf/web-fonts/`` (beside the cache key, never in a
    project): a content repository cannot reach it, and each entry is signed with the machine's key, so one that is
    damaged, cut short, moved or not written by polyleaf here is ignored and made again (``polyleaf.cache``). When
    it grows past ``SUBSET_CACHE_BYTES`` the entries used least recently go. None where nothing can be cached (no
    home folder, no cache key)."""
    return user_store(SUBSET_CACHE_FOLDER, suffix="", max_bytes=SUBSET_CACHE_BYTES, reads_renew=True)


@overload
def _within(limit: float, axis: Any) -> float: ...
@overload
def _within(limit: tuple[float, float], axis: Any) -> tuple[float, float]: ...
def _within(limit: float | tuple[float, float], axis: Any) -> float | tuple[float, float]:
    """``limit`` inside the axis' own range (a font whose widths start at 75 keeps 100 only if it has it)."""
    low, high = float(axis.min_value), float(axis.max_value)
    if isinstance(limit, tuple):
        return (min(max(limit[0], low), high), max(min(limit[1], high), low))
    return min(max(limit, low), high)


def unicode_range(codepoints: Iterable[int]) -> str:
    """The CSS ``unicode-range`` of a set of code points, runs of consecutive ones as one range."""
    ranges: list[str] = []
    points = sorted(set(codepoints))
    start = 0
    for index, point in enumerate(points):
        if index + 1 == len(points) or points[index + 1] != point + 1:
            first = points[start]
            ranges.append(f"U+{first:X}" if first == point else f"U+{first:X}-{point:X}")
            start = index + 1
    return ", ".join(ranges)
