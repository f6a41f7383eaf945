"""Font stacks per writing system, the fonts that come with polyleaf, and the check that a script can be printed.

Leaflets are printed offline, so fonts never come from the web. Fonts packaged on PyPI are dependencies of
polyleaf (Noto Serif and Noto Sans: Latin, Greek, Cyrillic, Vietnamese; Noto Serif SC and Noto Sans SC, the sans
with a bold; for Arabic, Amiri and Tajawal; Noto Sans Devanagari, see ``_PACKAGED``) and are declared with
``@font-face`` rules under names of their own ("Noto Serif polyleaf"), each right after the family fontconfig
knows from Debian's fonts-noto-core/fonts-noto-cjk: a font installed on the system wins, the packaged one is there
when it is not. Families named in ``[leaflet] fonts`` (a clinic's own, installed or as files) come before both.
Body text uses the reading face of each script (serif, Naskh, Song; Nastaliq for Urdu); headings use the sans.
Scripts with no maintained font package on PyPI (Ethiopic, Bengali, Gurmukhi, Myanmar, Nastaliq) need Debian's
fonts-noto-core: a PDF in one says so in one line (``polyleaf.render.pdf.check_fonts``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from polyleaf import locale
from polyleaf.errors import RenderError
from polyleaf.render import fontconfig

NOTO_CORE = "fonts-noto-core"
NOTO_CJK = "fonts-noto-cjk"

#: Suffixes of the font files ``[leaflet] fonts`` may name (anything else there is a family name).
FONT_FILE_SUFFIXES = (".ttf", ".otf", ".ttc", ".woff", ".woff2")

_LATIN_FALLBACK = ("Noto Sans", "DejaVu Sans")
_MONO = ("Noto Sans Mono", "DejaVu Sans Mono")
# A family name goes into a quoted CSS string inside <style>: no quotes, backslashes, markup or rule syntax.
_SAFE_FAMILY = re.compile(r"[^\"'\\<>{};\n\r\t]+")


@dataclass(frozen=True, slots=True)
class FontFace:
    """One font file declared with ``@font-face``: a packaged Noto font or a file named in ``[leaflet] fonts``."""

    family: str  # the family the rule declares
    path: Path
    style: str = "normal"  # normal | italic
    weight: str = "400"  # a CSS weight, or "min max" for a variable font's weight axis
    features: str = ""  # a font-feature-settings descriptor, e.g. '"ccmp" 0'
    stands_for: str = ""  # for a packaged font: the system family it stands in for, e.g. "Noto Serif"

    def css(self, subset: WebFont | None = None) -> str:
        """The rule: for printing, the installed file (a ``file:`` URL); for a web page, its ``subset``.

        WeasyPrint takes weight and style from the file itself and rejects weight ranges, so a variable font's
        range is declared for browsers only. A browser shows the text in a fallback font while a subset loads
        (``font-display: swap``) and loads a subset only for a page with a character in its ``unicode-range``.
        """
        src = f'url("{self.path.as_uri() if subset is None else subset.url}")'
        if subset is not None and subset.url.endswith(".woff2"):
            src += ' format("woff2")'
        descriptors = f'font-family: "{self.family}"; src: {src}; font-style: {self.style};'
        if subset is not None or " " not in self.weight:
            descriptors += f" font-weight: {self.weight};"
        if self.features:
            descriptors += f" font-feature-settings: {self.features};"
        if subset is not None and subset.unicode_range:
            descriptors += f" unicode-range: {subset.unicode_range};"
        if subset is not None:
            descriptors += " font-display: swap;"
        return f"@font-face {{ {descriptors} }}"


@dataclass(frozen=True, slots=True)
class WebFont:
    """A font file as web pages get it: a WOFF2 subset with the characters of the pages that share it."""

    url: str  # relative to the page
    unicode_range: str = ""  # the characters it has, as CSS says it: ``U+20-7E, U+4E2D``; "": the whole file


class WebFonts:
    """The ``@font-face`` rules of one web page: each face its font stacks name, declared by its ``subset`` (faces
    without one — none of the page's characters — are left out). Without subsets (a page not yet given any), the
    rules are a ``placeholder``, and the faces asked for are recorded in ``asked``: so a build learns the characters
    and faces of its pages before it makes their subsets, and puts the rules in (``rules``) without a second
    rendering. The placeholder is random: no text of a page can forge it."""

    def __init__(self, subsets: Mapping[FontFace, WebFont] | None = None) -> None:
        self.subsets = subsets
        self.asked: dict[FontFace, None] = {}
        self.placeholder = f"/* font faces {secrets.token_hex(16)} */"

    def css(self, faces: Iterable[FontFace]) -> Markup:
        faces = tuple(faces)
        self.asked.update(dict.fromkeys(faces))
        if self.subsets is None:
            return Markup(self.placeholder)
        return Markup("\n".join(face.css(self.subsets[face]) for face in faces if face in self.subsets))


@dataclass(frozen=True, slots=True)
class _Packaged:
    """A font file of a Python package standing in for a family of Debian's Noto packages."""

    family: str  # the family its @font-face rule declares
    module: str  # the package that installs it
    file: str  # path inside the package
    style: str = "normal"
    weight: str = "400"
    features: str = ""  # a font-feature-settings descriptor


# Text in a PDF is extractable (copy, search, screen readers) only when each glyph stands for one piece of text,
# so fonts that build letters from shared parts are avoided or told not to: the current Noto Arabic fonts compose
# letters from dotless shapes and dots (Amiri and Tajawal stand in for Naskh and Sans Arabic), and Noto Sans'
# 'ccmp' splits ẹ ị ọ ụ into a base letter and a dot (turned off: the precomposed glyphs look the same).
_NO_CCMP = '"ccmp" 0'
_PACKAGED: dict[str, tuple[_Packaged, ...]] = {
    "Noto Serif": (
        _Packaged("Noto Serif polyleaf", "fontpkg_noto_serif", "files/NotoSerif[wdth,wght].ttf", weight="100 900"),
        _Packaged(
            "Noto Serif polyleaf", "fontpkg_noto_serif", "files/NotoSerif-Italic[wdth,wght].ttf", "italic", "100 900"
        ),
    ),
    "Noto Sans": (
        _Packaged(
            "Noto Sans polyleaf", "fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf", "normal", "100 900", _NO_CCMP
        ),
        _Packaged(
            "Noto Sans polyleaf",
            "fontpkg_noto_sans",
            "files/NotoSans-Italic[wdth,wght].ttf",
            "italic",
            "100 900",
            _NO_CCMP,
        ),
    ),
    "Noto Naskh Arabic": (
        _Packaged("Amiri polyleaf", "fontpkg_amiri", "files/Amiri-Regular.ttf", features='"kern" 0'),
        _Packaged("Amiri polyleaf", "fontpkg_amiri", "files/Amiri-Bold.ttf", weight="700", features='"kern" 0'),
    ),
    "Noto Sans Arabic": (
        _Packaged("Tajawal polyleaf", "fontpkg_tajawal", "files/Tajawal-Regular.ttf"),
        _Packaged("Tajawal polyleaf", "fontpkg_tajawal", "files/Tajawal-Bold.ttf", weight="700"),
    ),
    "Noto Sans Devanagari": (
        _Packaged(
            "Noto Sans Devanagari polyleaf",
            "fontpkg_noto_sans_devanagari",
            "files/NotoSansDevanagari[wdth,wght].ttf",
            weight="100 900",
        ),
    ),
    # The region-specific subsets: Simplified forms without relying on 'locl', regular weight. No package on PyPI
    # has a bold Simplified Chinese subset, so the bold of the sans is the Pan-CJK Noto Sans CJK (Japanese default
    # forms): it has every Simplified character, and the page's language (zh-Hans) selects its Simplified forms
    # through 'locl' in WeasyPrint (Pango/HarfBuzz) and browsers alike. The serif has no bold: strong emphasis in
    # CJK is set in the sans, as Chinese print does (Hei against Song).
    "Noto Serif CJK SC": (_Packaged("Noto Serif SC polyleaf", "pylopdf_fonts_zh_cn", "NotoSerifSC-Regular.otf"),),
    "Noto Sans CJK SC": (
        _Packaged("Noto Sans SC polyleaf", "pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf"),
        _Packaged("Noto Sans SC polyleaf", "noto_cjk_sans_jp_bold", "NotoSansCJKjp-Bold.otf", weight="700"),
    ),
}


@cache
def _package_dir(module: str) -> Path | None:
    """Where an installed font package keeps its files, found without importing it."""
    spec = importlib.util.find_spec(module)
    locations = spec.submodule_search_locations if spec is not None else None
    return Path(next(iter(locations))) if locations else None


def packaged_faces(family: str) -> tuple[FontFace, ...]:
    """The packaged files standing in for ``family`` (a Debian family name); empty when there are none here."""
    faces = []
    for packaged in _PACKAGED.get(family, ()):
        folder = _package_dir(packaged.module)
        if folder is not None and (folder / packaged.file).is_file():
            path = folder / packaged.file
            faces.append(FontFace(packaged.family, path, packaged.style, packaged.weight, packaged.features, family))
    return tuple(faces)


@dataclass(frozen=True, slots=True)
class FontStack:
    """The families a leaflet in one script is set in; ``required`` must be available to print it correctly."""

    script: str  # ISO 15924 code from CLDR, e.g. "Latn", "Arab", "Hans"
    body: tuple[str, ...]
    heading: tuple[str, ...]
    generic_body: str = "serif"
    scale: float = 1.0  # body size relative to 12pt Latin: Naskh and CJK faces look smaller or larger at one size
    line_height: float = 1.55
    preferred: tuple[str, ...] = ()  # families from ``[leaflet] fonts``, tried first for all text
    custom_faces: tuple[FontFace, ...] = ()  # the font files among them

    @property
    def css_class(self) -> str:
        """The class put on ``<html>``, e.g. ``script-arab``."""
        return f"script-{self.script.lower()}"

    @property
    def required(self) -> tuple[str, ...]:
        """Primary body and heading families, plus the Latin sans used for the UI lines. A body face that only
        the system may have (Noto Serif Devanagari) is not required when the packaged heading face stands in."""
        body = self.body[0]
        if len(self.body) > 1 and self.body[1] == self.heading[0] and packaged_faces(self.heading[0]):
            body = self.heading[0]
        return tuple(dict.fromkeys((body, self.heading[0], _LATIN_FALLBACK[0])))

    @property
    def faces(self) -> tuple[FontFace, ...]:
        """The files to declare with ``@font-face``: the custom ones, then the packaged stand-ins."""
        families = (*self.body, *self.heading, *_LATIN_FALLBACK)
        packaged = (face for family in dict.fromkeys(families) for face in packaged_faces(family))
        return tuple(dict.fromkeys((*self.custom_faces, *packaged)))

    def body_css(self) -> Markup:
        return _css_family_list((*self.preferred, *self.body, *_LATIN_FALLBACK), self.generic_body)

    def heading_css(self) -> Markup:
        return _css_family_list((*self.preferred, *self.heading, *_LATIN_FALLBACK), "sans-serif")

    def mono_css(self) -> Markup:
        return _css_family_list((*_MONO, *self.heading), "monospace")


def _css_family_list(families: Iterable[str], generic: str) -> Markup:
    """Quoted families, each followed by its packaged stand-in; names are checked safe (``check_family``)."""
    names: list[str] = []
    for family in families:
        names.append(check_family(family))
        names.extend(face.family for face in packaged_faces(family))
    return Markup(", ".join([*(f'"{name}"' for name in dict.fromkeys(names)), generic]))


def check_family(name: str) -> str:
    """``name`` if it can be written into a CSS string as it is; RenderError otherwise."""
    if not _SAFE_FAMILY.fullmatch(name):
        raise RenderError(f"font family {name!r} has characters a stylesheet cannot hold")
    return name


def font_faces_css(stacks: Iterable[FontStack], web: WebFonts | str | None) -> Markup:
    """``@font-face`` rules for every file the stacks use: the installed files for printing (``web`` None), the
    page's subsets on the web (see ``WebFonts``), or whole copies of the files in the folder at the URL ``web``.

    For printing, packaged fonts whose family the system has are left out: WeasyPrint keeps a declared font's own
    family name beside the declared one, so the packaged Noto Sans would compete with the system's. A browser goes
    by the declared names only and finds the reader's own "Noto Sans" first.
    """
    faces = list(dict.fromkeys(face for stack in stacks for face in stack.faces))
    if isinstance(web, WebFonts):
        return web.css(faces)
    if web is not None:
        return Markup("\n".join(face.css(WebFont(web + quote(face.path.name))) for face in faces))
    installed = fontconfig.installed_families({face.stands_for for face in faces if face.stands_for})
    return Markup("\n".join(face.css() for face in faces if face.stands_for not in installed))


def _cjk(region: str) -> FontStack:
    script = {"SC": "Hans", "TC": "Hant", "JP": "Jpan", "KR": "Kore"}[region]
    return FontStack(script, (f"Noto Serif CJK {region}",), (f"Noto Sans CJK {region}",), scale=0.92, line_height=1.85)


def _tall(script: str, name: str, *, sans_fallback: bool = False) -> FontStack:
    """Scripts with tall stacked marks (Indic, Thai…) need more leading. ``sans_fallback``: the body falls back
    to the sans (packaged with polyleaf) where the serif is not installed."""
    body = (f"Noto Serif {name}", f"Noto Sans {name}") if sans_fallback else (f"Noto Serif {name}",)
    return FontStack(script, body, (f"Noto Sans {name}",), line_height=1.75)


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
    "Deva": _tall("Deva", "Devanagari", sans_fallback=True),
    "Beng": _tall("Beng", "Bengali"),
    "Guru": _tall("Guru", "Gurmukhi"),
    "Mymr": FontStack("Mymr", ("Noto Serif Myanmar",), ("Noto Sans Myanmar",), line_height=2.0),
    "Taml": _tall("Taml", "Tamil"),
    "Thai": _tall("Thai", "Thai"),
    "Khmr": _tall("Khmr", "Khmer"),
    "Hans": _cjk("SC"),
    "Hant": _cjk("TC"),
    "Jpan": _cjk("JP"),
    "Kore": _cjk("KR"),
}

#: Languages whose own tradition sets them in another face than their script's default: Urdu in Nastaliq (tall
#: diagonal joins: more leading), Naskh where Nastaliq is missing; Persian, Dari and Pashto keep Naskh.
_LANGUAGE_STACKS: dict[str, FontStack] = {
    "ur": FontStack(
        "Arab", ("Noto Nastaliq Urdu", "Noto Naskh Arabic"), ("Noto Sans Arabic",), scale=1.0, line_height=2.3
    ),
}


def font_stack(language: str, preferred: Iterable[str] = ()) -> FontStack:
    """The font stack for a language (by the script CLDR says it is written in), after the ``preferred`` fonts.

    ``preferred`` holds ``[leaflet] fonts`` entries: family names, or absolute paths of font files.
    """
    script = locale.script(language)
    stack = _STACKS.get(script, FontStack(script, _LATIN.body, _LATIN.heading))
    own = _LANGUAGE_STACKS.get(language.replace("-", "_").split("_")[0])
    if own is not None and own.script == script:
        stack = own
    faces: list[FontFace] = []
    families: list[str] = []
    for entry in preferred:
        if is_font_file(entry):
            faces.append(font_file_face(Path(entry)))
            families.append(faces[-1].family)
        else:
            families.append(check_family(entry))
    if not families:
        return stack
    return dataclasses.replace(stack, preferred=tuple(dict.fromkeys(families)), custom_faces=tuple(faces))


def is_font_file(entry: str) -> bool:
    """A ``[leaflet] fonts`` entry naming a file rather than a family."""
    return entry.lower().endswith(FONT_FILE_SUFFIXES)


@cache
def font_file_face(path: Path) -> FontFace:
    """The ``@font-face`` of a font file: its family, style and weight (range) as the file itself states them."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            family = font["name"].getBestFamilyName()
            italic = bool(font["OS/2"].fsSelection & 1)
            axes = {axis.axisTag: axis for axis in font["fvar"].axes} if "fvar" in font else {}
            if "wght" in axes:
                weight = f"{_css_weight(axes['wght'].minValue)} {_css_weight(axes['wght'].maxValue)}"
            else:
                weight = str(_css_weight(font["OS/2"].usWeightClass))
    except (OSError, TTLibError, KeyError, ImportError) as error:
        raise RenderError(f"{path}: not a usable font file ({error})") from None
    if not family:
        raise RenderError(f"{path}: the font file names no family")
    return FontFace(check_family(str(family)), path, "italic" if italic else "normal", weight)


def _css_weight(value: float) -> int:
    return min(900, max(100, round(value / 100) * 100))


def debian_package(family: str) -> str:
    """The Debian package that provides a family of our stacks."""
    return NOTO_CJK if " CJK " in f"{family} " else NOTO_CORE


def unavailable_families(stack: FontStack) -> list[str]:
    """The required families of ``stack`` that neither the system nor polyleaf's font packages provide."""
    unpackaged = [family for family in stack.required if not packaged_faces(family)]
    return fontconfig.missing_families(unpackaged) if unpackaged else []


def families_of(languages: Iterable[str], preferred: Iterable[str] = ()) -> tuple[str, ...]:
    """Every family the leaflets of ``languages`` name, in their stacks or first (``preferred``: family names):
    what fontconfig is asked for when they are printed."""
    preferred = tuple(preferred)
    found: list[str] = list(preferred)
    for language in languages:
        stack = font_stack(language)
        found += (*stack.body, *stack.heading, *_LATIN_FALLBACK, *_MONO)
    return tuple(dict.fromkeys(found))
