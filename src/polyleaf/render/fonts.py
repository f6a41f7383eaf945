"""Font stacks per writing system, and the check that their system fonts are installed.

Leaflets are printed offline, so fonts come from the system (Debian's ``fonts-noto-core`` and ``fonts-noto-cjk``),
never from the web. The family names below are the exact names fontconfig reports for those packages (``fc-list``).
Body text uses the reading face of each script (serif, Naskh, Song/Ming/Mincho/Myeongjo); headings use the sans.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from polyleaf import locale

NOTO_CORE = "fonts-noto-core"
NOTO_CJK = "fonts-noto-cjk"

_LATIN_FALLBACK = ("Noto Sans", "DejaVu Sans")
_MONO = ("Noto Sans Mono", "DejaVu Sans Mono")


@dataclass(frozen=True, slots=True)
class FontStack:
    """The families a leaflet in one script is set in; ``required`` must be installed to print it correctly."""

    script: str  # ISO 15924 code from CLDR, e.g. "Latn", "Arab", "Hans"
    body: tuple[str, ...]
    heading: tuple[str, ...]
    generic_body: str = "serif"
    scale: float = 1.0  # body size relative to 12pt Latin: Naskh and CJK faces look smaller or larger at one size
    line_height: float = 1.55

    @property
    def css_class(self) -> str:
        """The class put on ``<html>``, e.g. ``script-arab``."""
        return f"script-{self.script.lower()}"

    @property
    def required(self) -> tuple[str, ...]:
        """Primary body and heading families, plus the Latin sans used for the UI lines."""
        families = (self.body[0], self.heading[0], _LATIN_FALLBACK[0])
        return tuple(dict.fromkeys(families))

    def body_css(self) -> Markup:
        return _css_family_list((*self.body, *_LATIN_FALLBACK), self.generic_body)

    def heading_css(self) -> Markup:
        return _css_family_list((*self.heading, *_LATIN_FALLBACK), "sans-serif")

    def mono_css(self) -> Markup:
        return _css_family_list((*_MONO, *self.heading), "monospace")


def _css_family_list(families: Iterable[str], generic: str) -> Markup:
    # Families are constants of this module (never user text), so marking the quoted list safe is sound.
    return Markup(", ".join([*(f'"{name}"' for name in dict.fromkeys(families)), generic]))


def _cjk(region: str) -> FontStack:
    script = {"SC": "Hans", "TC": "Hant", "JP": "Jpan", "KR": "Kore"}[region]
    return FontStack(script, (f"Noto Serif CJK {region}",), (f"Noto Sans CJK {region}",), scale=0.92, line_height=1.85)


def _tall(script: str, name: str) -> FontStack:
    """Scripts with tall stacked marks (Indic, Thai…) need more leading."""
    return FontStack(script, (f"Noto Serif {name}",), (f"Noto Sans {name}",), line_height=1.75)


_LATIN = FontStack("Latn", ("Noto Serif",), ("Noto Sans",))

_STACKS: dict[str, FontStack] = {
    "Latn": _LATIN,
    "Cyrl": FontStack("Cyrl", ("Noto Serif",), ("Noto Sans",)),
    "Grek": FontStack("Grek", ("Noto Serif",), ("Noto Sans",)),
    "Arab": FontStack("Arab", ("Noto Naskh Arabic",), ("Noto Sans Arabic",), scale=1.12, line_height=1.8),
    "Hebr": FontStack("Hebr", ("Noto Serif Hebrew",), ("Noto Sans Hebrew",), scale=1.05, line_height=1.6),
    "Armn": FontStack("Armn", ("Noto Serif Armenian",), ("Noto Sans Armenian",)),
    "Geor": FontStack("Geor", ("Noto Serif Georgian",), ("Noto Sans Georgian",)),
    "Ethi": FontStack("Ethi", ("Noto Serif Ethiopic",), ("Noto Sans Ethiopic",), line_height=1.7),
    "Deva": _tall("Deva", "Devanagari"),
    "Beng": _tall("Beng", "Bengali"),
    "Taml": _tall("Taml", "Tamil"),
    "Thai": _tall("Thai", "Thai"),
    "Khmr": _tall("Khmr", "Khmer"),
    "Hans": _cjk("SC"),
    "Hant": _cjk("TC"),
    "Jpan": _cjk("JP"),
    "Kore": _cjk("KR"),
}


def font_stack(language: str) -> FontStack:
    """The font stack for a language, chosen by the script CLDR says it is written in."""
    script = locale.script(language)
    return _STACKS.get(script, FontStack(script, _LATIN.body, _LATIN.heading))


def debian_package(family: str) -> str:
    """The Debian package that provides a family of our stacks."""
    return NOTO_CJK if " CJK " in f"{family} " else NOTO_CORE


def missing_families(families: Iterable[str]) -> list[str]:
    """The families fontconfig does not know; empty when fontconfig itself cannot be loaded (nothing to check)."""
    library = _load_fontconfig()
    if library is None:
        return []
    return [family for family in families if not _has_family(library, family)]


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
