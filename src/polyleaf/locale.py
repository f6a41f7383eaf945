"""The only module that touches Babel: locale parsing, autonyms, text direction, plural forms, dates."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol

from polyleaf.errors import ConfigError


@cache
def _known_identifiers() -> tuple[str, ...]:
    return tuple(sorted(localedata.locale_identifiers()))


def identifiers() -> tuple[str, ...]:
    """Every Babel locale identifier (``es``, ``pt_BR``, ``zh_Hans``), sorted: what a language is configured as."""
    return tuple(identifier for identifier in _known_identifiers() if identifier != "root")


#: Names people write instead of a code, that CLDR does not list under that name.
_NAME_ALIASES = {
    "farsi": "fa",
    "tagalog": "fil",
    "filipino": "fil",
    "mandarin": "zh_Hans",
    "cantonese": "yue",
    "brazilian": "pt_BR",
    "brazilian portuguese": "pt_BR",
    "simplified chinese": "zh_Hans",
    "chinese simplified": "zh_Hans",
    "traditional chinese": "zh_Hant",
    "chinese traditional": "zh_Hant",
}


def _folded(text: str) -> str:
    """Case- and accent-insensitive form of a language name (``Español`` → ``espanol``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("-", " ").replace("_", " "))
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


@cache
def _language_names() -> dict[str, str]:
    """Folded English name and autonym of every CLDR language → its code (``spanish``/``espanol`` → ``es``)."""
    names: dict[str, str] = {}
    for identifier in _known_identifiers():
        if "_" in identifier:
            continue
        language = Locale.parse(identifier)
        for name in (language.english_name, language.get_display_name(language)):
            if name:
                names.setdefault(_folded(name), identifier)
    for alias, identifier in _NAME_ALIASES.items():
        names[alias] = identifier
    return names


def language_suggestions(identifier: str) -> list[str]:
    """Codes the user may have meant by an unknown ``identifier``: a language name (``Spanish``, ``español``,
    ``espanol``), the start of one (``sp``), a misspelled name (``spansh``), the language of an unknown region
    (``pt_XX`` → ``pt``) or a near code."""
    names = _language_names()
    folded = _folded(identifier)
    if folded in names:
        return [names[folded]]
    language, _, rest = folded.partition(" ")
    if rest and language in _known_identifiers():  # a known language with an unknown region or script
        return [language]
    if len(folded) >= 2:
        starting = sorted({code for name, code in names.items() if name.startswith(folded)})
        if 0 < len(starting) <= 3:
            return starting
    close = difflib.get_close_matches(folded, names, n=2, cutoff=0.75)
    if close:
        return list(dict.fromkeys(names[name] for name in close))
    return difflib.get_close_matches(identifier, _known_identifiers(), n=1, cutoff=0.6)


def parse_locale(identifier: str) -> Locale:
    """Parse a Babel identifier (``pt_BR``, ``zh_Hans``, ``pt-BR``); unknown codes raise ConfigError with a hint."""
    try:
        return Locale.parse(identifier.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        pass
    close = language_suggestions(identifier)
    if close:
        named = [f"{code!r} ({Locale.parse(code).english_name})" for code in close]
        hint = f"did you mean {' or '.join(named)}?"
    else:
        hint = "use a language code such as 'es', 'pt_BR' or 'zh_Hans'"
    raise ConfigError(f"unknown language code {identifier!r} ({hint})") from None


def normalize(identifier: str) -> str:
    """The canonical Babel identifier, used for directory names and the PO ``Language`` header."""
    return str(parse_locale(identifier))


def autonym(identifier: str) -> str:
    """The language's name in its own language, e.g. ``español``, ``العربية``, ``中文 (简体)``."""
    locale = parse_locale(identifier)
    return locale.get_display_name(locale) or identifier


def english_name(identifier: str) -> str:
    return parse_locale(identifier).get_display_name("en") or identifier


def direction(identifier: str) -> str:
    """``rtl`` or ``ltr`` for the HTML ``dir`` attribute."""
    return "rtl" if parse_locale(identifier).character_order == "right-to-left" else "ltr"


def html_lang(identifier: str) -> str:
    """BCP 47 tag for ``<html lang>``: ``pt-BR``, ``zh-Hans``."""
    return normalize(identifier).replace("_", "-")


#: GNU gettext 0.21's plural table (plural-table.c, what msginit writes), and Arabic from its manual ("Plural
#: forms"). Other languages get CLDR's rules in CLDR's category order (zero, one, two, few, many, other), as
#: GNU's ``cldr-plurals`` numbers them.
GNU_PLURAL_FORMS = {
    **dict.fromkeys(("ja", "vi", "ko"), "nplurals=1; plural=0;"),
    **dict.fromkeys(
        [
            "en",
            "de",
            "nl",
            "sv",
            "da",
            "no",
            "nb",
            "nn",
            "fo",
            "es",
            "pt",
            "it",
            "bg",
            "el",
            "fi",
            "et",
            "he",
            "eo",
            "hu",
            "tr",
        ],
        "nplurals=2; plural=(n != 1);",
    ),
    **dict.fromkeys(("pt_BR", "fr"), "nplurals=2; plural=(n > 1);"),
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    **dict.fromkeys(
        ("ru", "uk", "be", "sr", "hr"),
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    ),
    **dict.fromkeys(("cs", "sk"), "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
}
_CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
#: Where CLDR categories are looked for: integers only (a PO plural form counts things).
_SAMPLES = (*range(1001), 10**4, 10**5, 10**6, 10**7)


@cache
def plural_forms(identifier: str) -> str:
    """The PO ``Plural-Forms`` value GNU gettext uses for this language (msginit's table, else CLDR; computed
    once per language: every catalog's header asks)."""
    parsed = parse_locale(identifier)
    for key in (str(parsed), f"{parsed.language}_{parsed.territory}", parsed.language):
        if key in GNU_PLURAL_FORMS:
            return GNU_PLURAL_FORMS[key]
    return _cldr_plural_forms(parsed)


def _cldr_plural_forms(parsed: Locale) -> str:
    rule = parsed.plural_form
    conditions = dict(rule.abstract)
    used = [tag for tag in _CLDR_ORDER if any(rule(n) == tag for n in _SAMPLES)]
    if len(used) <= 1:
        return "nplurals=1; plural=0;"
    tests = [f"{_condition(conditions[tag])[0]} ? {index} : " for index, tag in enumerate(used[:-1])]
    return f"nplurals={len(used)}; plural=({''.join(tests)}{len(used) - 1});"


#: A compiled CLDR condition: C text and its precedence (0 atom, 1 &&, 2 ||), or a constant.
_Compiled = tuple[str, int] | bool | int


def _condition(node: tuple[str, Any]) -> tuple[str, int]:
    """A C expression for a CLDR condition on an integer count ``n`` (operands v, f, t, e… are 0)."""
    compiled = _compile(node)
    if isinstance(compiled, bool | int):
        return ("1" if compiled else "0"), 0
    return compiled


def _compile(node: tuple[str, Any]) -> _Compiled:
    kind, args = node
    if kind in ("n", "i"):
        return "n", 0
    if kind in ("v", "w", "f", "t", "e", "c"):
        return 0
    if kind == "value":
        return int(args[0])
    if kind == "mod":
        left, right = _compile(args[0]), _compile(args[1])
        if isinstance(left, tuple) and isinstance(right, int):
            return f"{left[0]}%{right}", 0
        assert isinstance(left, int) and isinstance(right, int)
        return left % right
    if kind == "relation":
        return _relation(args)
    if kind == "not":
        inner = args[0]
        if inner[0] == "relation":
            return _relation(inner[1], negate=True)
        compiled = _compile(inner)
        if isinstance(compiled, tuple):
            return f"!({compiled[0]})", 0
        return not compiled
    parts = [_compile(part) for part in args]
    absorbing = kind == "or"
    if any(part is absorbing for part in parts):
        return absorbing
    texts = [part for part in parts if isinstance(part, tuple)]
    if not texts:
        return not absorbing
    precedence = 2 if absorbing else 1
    joined = (" || " if absorbing else " && ").join(f"({t})" if p > precedence else t for t, p in texts)
    return (joined, precedence) if len(texts) > 1 else texts[0]


def _relation(args: tuple[Any, ...], negate: bool = False) -> _Compiled:
    _operator, expression, (_name, ranges) = args
    value = _compile(expression)
    bounds = [(int(low[1][0]), int(high[1][0])) for low, high in ranges]
    if isinstance(value, int):
        return any(low <= value <= high for low, high in bounds) != negate
    text = value[0]
    if negate:
        tests = [f"{text}!={low}" if low == high else f"({text}<{low} || {text}>{high})" for low, high in bounds]
        return (" && ".join(tests), 1 if len(tests) > 1 else 0)
    tests = [f"{text}=={low}" if low == high else f"{text}>={low} && {text}<={high}" for low, high in bounds]
    if len(tests) == 1:
        return tests[0], (1 if "&&" in tests[0] else 0)
    return " || ".join(f"({test})" if "&&" in test else test for test in tests), 2


@cache
def script(identifier: str) -> str:
    """The writing system the language is printed in (``Latn``, ``Arab``, ``Hans``, ``Cyrl``…), from CLDR (once per
    identifier: localizing asks for every sentence)."""
    locale = parse_locale(identifier)
    if locale.script:
        return str(locale.script)
    likely = str(get_global("likely_subtags").get(locale.language, ""))
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else "Latn"


#: The zero of each decimal numbering system of CLDR that a language may use by default (its digits follow it).
_ZERO_DIGIT = {
    "arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "deva": 0x0966, "gujr": 0x0AE6, "guru": 0x0A66,
    "knda": 0x0CE6, "khmr": 0x17E0, "laoo": 0x0ED0, "mlym": 0x0D66, "mymr": 0x1040, "orya": 0x0B66,
    "tamldec": 0x0BE6, "telu": 0x0C66, "thai": 0x0E50, "tibt": 0x0F20,
}  # fmt: skip


def format_day(day: dt.date, identifier: str) -> str:
    """A localized long date for 'updated on' lines, in the language's own digits where CLDR says it writes them
    (Nepali २०२६, Bengali ২০২৬, Pashto ۲۰۲۶; Babel formats dates in ASCII digits only)."""
    locale = parse_locale(identifier)
    text = format_date(day, format="long", locale=locale)
    zero = _ZERO_DIGIT.get(str(locale.default_numbering_system))
    return text if zero is None else text.translate({ord("0") + digit: zero + digit for digit in range(10)})


@cache
def number_separators(identifier: str) -> tuple[str, str]:
    """The ``(decimal, group)`` separators of the locale's Latin-digit numbers: ``(",", ".")`` for es,
    ``(",", "\\u202f")`` for fr; QA uses them to read the numbers of a translation."""
    locale = parse_locale(identifier)
    return get_decimal_symbol(locale), get_group_symbol(locale)
