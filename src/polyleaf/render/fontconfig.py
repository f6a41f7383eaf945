"""What fontconfig knows, asked through its C library (ctypes): whether a family is installed, and which files and
folders a printed leaflet's fonts depend on. WeasyPrint finds fonts through fontconfig, so this is what it will
print with; where fontconfig cannot be loaded, nothing is known to be missing (nothing to check)."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Iterable


def installed_families(families: Iterable[str]) -> set[str]:
    """The families fontconfig knows; none when fontconfig itself cannot be loaded."""
    library = _load_fontconfig()
    return set() if library is None else {family for family in families if _has_family(library, family)}


def missing_families(families: Iterable[str]) -> list[str]:
    """The families fontconfig does not know; empty when fontconfig itself cannot be loaded (nothing to check)."""
    library = _load_fontconfig()
    if library is None:
        return []
    return [family for family in families if not _has_family(library, family)]


def fontconfig_answer(families: Iterable[str]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """What the fonts of a printed leaflet depend on, as fontconfig sees it: the font files it has for each of
    ``families``, and the folders and configuration files it reads (a font installed there changes a folder).
    Empty when fontconfig cannot be loaded."""
    library = _load_fontconfig()
    if library is None:
        return {}, ()
    files: dict[str, list[str]] = {family: [] for family in families}
    for names, path in _all_fonts(library):
        for name in names:
            if name in files:
                files[name].append(path)
    inputs = (*_strings(library, library.FcConfigGetFontDirs), *_strings(library, library.FcConfigGetConfigFiles))
    return {family: tuple(sorted(paths)) for family, paths in files.items()}, tuple(dict.fromkeys(inputs))


def _all_fonts(library: ctypes.CDLL) -> list[tuple[list[str], str]]:
    """Every font fontconfig knows: its family names (one per language it names itself in) and its file."""
    pattern = library.FcPatternCreate()
    objects = library.FcObjectSetBuild(b"family", b"file", None)
    found: list[tuple[list[str], str]] = []
    try:
        fonts = library.FcFontList(None, pattern, objects)
        if not fonts:
            return []
        patterns = ctypes.cast(fonts.contents.fonts, ctypes.POINTER(ctypes.c_void_p))
        for index in range(int(fonts.contents.nfont)):
            found.append(
                (_values(library, patterns[index], b"family"), "".join(_values(library, patterns[index], b"file")))
            )
        library.FcFontSetDestroy(fonts)
    finally:
        library.FcObjectSetDestroy(objects)
        library.FcPatternDestroy(pattern)
    return found


def _values(library: ctypes.CDLL, pattern: int, name: bytes) -> list[str]:
    """The string values of ``name`` in a fontconfig pattern."""
    found: list[str] = []
    value = ctypes.c_char_p()
    while library.FcPatternGetString(pattern, name, len(found), ctypes.byref(value)) == 0 and value.value is not None:
        found.append(value.value.decode("utf-8", "surrogateescape"))
    return found


def _strings(library: ctypes.CDLL, listing: Callable[[None], int]) -> list[str]:
    """The strings of an ``FcStrList`` from ``listing`` (of the current configuration)."""
    strings = listing(None)
    found: list[str] = []
    try:
        while value := library.FcStrListNext(strings):
            found.append(value.decode("utf-8", "surrogateescape"))
    finally:
        library.FcStrListDone(strings)
    return found


class _FontSet(ctypes.Structure):
    _fields_ = (("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p))


def _load_fontconfig() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    library.FcPatternCreate.restype = ctypes.c_void_p
    library.FcPatternAddString.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p)
    library.FcObjectSetBuild.restype = ctypes.c_void_p
    library.FcFontList.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
    library.FcFontList.restype = ctypes.POINTER(_FontSet)
    library.FcFontSetDestroy.argtypes = (ctypes.POINTER(_FontSet),)
    library.FcPatternDestroy.argtypes = (ctypes.c_void_p,)
    library.FcObjectSetDestroy.argtypes = (ctypes.c_void_p,)
    library.FcPatternGetString.argtypes = (
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_char_p),
    )
    for listing in (library.FcConfigGetFontDirs, library.FcConfigGetConfigFiles):
        listing.argtypes = (ctypes.c_void_p,)
        listing.restype = ctypes.c_void_p
    library.FcStrListNext.argtypes = (ctypes.c_void_p,)
    library.FcStrListNext.restype = ctypes.c_char_p
    library.FcStrListDone.argtypes = (ctypes.c_void_p,)
    return library


def _has_family(library: ctypes.CDLL, family: str) -> bool:
    pattern = library.FcPatternCreate()
    objects = library.FcObjectSetBuild(b"family", None)
    try:
        library.FcPatternAddString(pattern, b"family", family.encode())
        fonts = library.FcFontList(None, pattern, objects)
        if not fonts:
            return False
        count = int(fonts.contents.nfont)
        library.FcFontSetDestroy(fonts)
        return count > 0
    finally:
        library.FcObjectSetDestroy(objects)
        library.FcPatternDestroy(pattern)
