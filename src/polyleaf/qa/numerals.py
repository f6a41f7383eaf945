"""Reading numbers as written: digits of any script with the locale's separators, fractions (½, 1/2), Chinese
numerals (三, 两, 十五, 半), and spelled-out numbers (``num2words``' own words, read backwards).

``num2words`` (imported lazily, ~0.1 s) writes 1–100 in every language here but Chinese; the reverse tables add the
forms a sentence needs that it does not write: feminine (una, une, duas), Russian cases (двух, тремя), the Arabic
genitive and feminine (اثنين، ثلاث), without hand-written number tables. Writing them takes num2words thousands of
calls per language (the most of checking an edited sentence in every language), so each language's table is kept in
this user's cache folder (``$XDG_CACHE_HOME/polyleaf/numbers/``, signed like every polyleaf cache: see
``polyleaf.cache``), by num2words' version and this module's code.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

from polyleaf.cache import content_digest, user_store

SPACE_GROUP = r"[\u00a0\u202f\u2009'’](?=\d{3}(?!\d))"
NUMBER = re.compile(rf"\d+(?:(?:[.,٫٬．]|{SPACE_GROUP})\d+)*")
NUMBER_SPACE_GROUPS = re.compile(rf"\d+(?:(?:[.,٫٬．]|{SPACE_GROUP}| (?=\d{{3}}(?!\d)))\d+)*")
_DIGIT_RUN = re.compile(r"(\d+)")
#: ``1/2``, ``3⁄4``: a fraction when the numerator is smaller and the denominator small (not a date or 24/7).
FRACTION = re.compile(r"\s?[/⁄]\s?(\d{1,2})(?![\d/⁄.,])")
VULGAR = "½⅓⅔¼¾⅕⅛"

HALF = Decimal("0.5")


@lru_cache(maxsize=4096)
def read_digits(token: str, decimal_sep: str, group_sep: str) -> tuple[Decimal, ...]:
    """The value(s) of one digit run with separators, read the locale's way but tolerant of the source's way (kept:
    a library writes the same few numbers thousands of times).

    A separator followed by three digits that is the locale's group symbol (or repeats, or precedes another
    separator) groups; otherwise ``.``/``,`` is a decimal point. Anything that reads as two decimal points
    (dates, versions) is taken as separate integers.
    """
    if token.isascii() and token.isdigit():
        return (Decimal(token),)
    parts = _DIGIT_RUN.split(token)[1:-1]
    digits = ["".join(str(unicodedata.decimal(c)) for c in run) for run in parts[::2]]
    separators = [s.replace("．", ".") for s in parts[1::2]]
    kinds: list[str] = []
    for index, sep in enumerate(separators):
        following = digits[index + 1]
        later = separators[index + 1 :]
        if sep == "٫":
            kinds.append("decimal")
        elif sep not in ".," or (sep == group_sep and len(following) == 3):
            kinds.append("group")
        elif sep == decimal_sep:
            kinds.append("decimal")
        elif len(following) == 3 and (sep in later or any(s in ".,٫" and s != sep for s in later)):
            kinds.append("group")
        else:
            kinds.append("decimal")
    if kinds.count("decimal") > 1 or ("decimal" in kinds and kinds[-1] == "group"):
        return tuple(Decimal(run) for run in digits)
    whole, fraction = digits[0], ""
    for kind, run in zip(kinds, digits[1:], strict=True):
        if kind == "group":
            whole += run
        else:
            fraction = run
    return (Decimal(f"{whole}.{fraction}" if fraction else whole),)


def vulgar(char: str) -> Decimal:
    return Decimal(str(unicodedata.numeric(char))).quantize(Decimal("0.001")).normalize()


def fraction(numerator: Decimal, denominator: str) -> Decimal | None:
    """``numerator/denominator`` when it reads as a fraction of a dose (1/2, 3/4), else None."""
    below = Decimal(int(denominator))
    if numerator != numerator.to_integral() or not 0 < numerator < below <= 10:
        return None
    return (numerator / below).quantize(Decimal("0.001")).normalize()


# --- Chinese numerals --------------------------------------------------------------------------------------

_CJK_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}


def read_cjk(numeral: str) -> Decimal | None:
    """三 → 3, 十五 → 15, 二十 → 20, 两百 → 200, 一万 → 10000; None for what is not a number (一一)."""
    total, section, digit = 0, 0, None
    for char in numeral:
        if char in _CJK_DIGITS:
            if digit is not None and digit != 0:
                return None
            digit = _CJK_DIGITS[char]
        elif char in _CJK_UNITS:
            section += (1 if digit is None else digit) * _CJK_UNITS[char]
            digit = None
        else:  # 万
            total = (total + section + (digit or 0)) * 10000
            section, digit = 0, None
    return Decimal(total + section + (digit or 0))


# --- spelled-out numbers -----------------------------------------------------------------------------------

#: num2words' language for a base language code (pt_BR and pt write 1–100 alike but for a few spellings).
_NUM2WORDS = {"en": ("en",), "es": ("es",), "fr": ("fr",), "pt": ("pt_BR", "pt"), "ru": ("ru",), "vi": ("vi",)}
_NUM2WORDS["ar"] = ("ar",)
_LARGEST = 100
#: Word endings that num2words does not write but sentences do: feminine, plural, case (regular rules, not tables).
_VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "es": (("uno", "una"), ("uno", "un"), ("iuno", "iún"), ("ientos", "ientas")),
    "fr": (("un", "une"),),
    "pt": (("um", "uma"), ("dois", "duas"), ("entos", "entas")),
    "ar": (
        ("ة", ""),
        ("ان", "ين"),
        ("ون", "ين"),
        ("اثنان", "اثنتان"),
        ("اثنان", "اثنتين"),
        ("اثنا", "اثنتا"),
        ("اثنا", "اثني"),
        ("اثنا", "اثنتي"),
        ("عشر", "عشرة"),
    ),
    "vi": (("bốn", "tư"), ("năm", "lăm")),
}


def normalize_words(text: str) -> str:
    """The form number words are looked up in: lower case, one space between words (and after Arabic و)."""
    return " ".join(text.casefold().replace("-", " ").replace("و ", "و").split())


_HARAKAT = re.compile("[\u064b-\u0652\u0640]")


def strip_harakat(text: str) -> str:
    """Arabic without short vowels and tatweel, as it is mostly written (يومًا → يوما)."""
    return _HARAKAT.sub("", text)


#: The part of this user's cache folder that holds the number words.
FOLDER = "numbers"


@cache
def number_words(language: str) -> dict[str, Decimal]:
    """Spelled-out numbers 1–100 of ``language`` (a base code), normalized, → value; empty where num2words lacks it.
    From this user's cache when it holds them (see the module's docstring), else written and kept there."""
    if language not in _NUM2WORDS:
        return {}
    digest = content_digest(_made_by(), language)
    store = user_store(FOLDER)
    forms = _decoded(None if store is None else store.lookup(language, digest))
    if forms is not None:
        return forms
    forms = _written(language)
    if store is not None:
        store.stage(language, digest, {"words": {form: int(value) for form, value in forms.items()}})
        store.commit()
    return forms


@cache
def _made_by() -> str:
    """What every language's cached words depend on besides the language: num2words' version and this code (read
    once: each lookup of the package's version reads its metadata from disk)."""
    return content_digest(metadata.version("num2words"), Path(__file__).read_bytes())


def _decoded(entry: dict[str, object] | None) -> dict[str, Decimal] | None:
    words = None if entry is None else entry.get("words")
    if not isinstance(words, dict) or not words:
        return None
    if not all(type(value) is int and 1 <= value <= _LARGEST for value in words.values()):
        return None
    return {form: Decimal(value) for form, value in words.items()}


def _written(language: str) -> dict[str, Decimal]:
    """What num2words writes of 1–100 in ``language``, and the variants sentences use."""
    from num2words import num2words

    forms: dict[str, Decimal] = {}
    for lang in _NUM2WORDS[language]:
        for value in range(1, _LARGEST + 1):
            written = [num2words(value, lang=lang)]
            if language == "ru":
                written += [
                    num2words(value, lang=lang, case=case, gender=gender, animate=animate)
                    for case in ("n", "g", "d", "a", "i", "p")
                    for gender in ("m", "f", "n")
                    for animate in (True, False)
                ]
            for text in written:
                for form in _with_variants(normalize_words(strip_harakat(text)), _VARIANTS.get(language, ())):
                    forms.setdefault(form, Decimal(value))
    return forms


def _with_variants(form: str, rules: tuple[tuple[str, str], ...]) -> set[str]:
    """``form`` and what each rule makes of its words (a rule applies to a word's ending)."""
    variants = {form}
    for old, new in rules:
        for variant in list(variants):
            words = variant.split()
            changed = [word[: -len(old)] + new if word.endswith(old) else word for word in words]
            variants.add(" ".join(changed))
    return variants
