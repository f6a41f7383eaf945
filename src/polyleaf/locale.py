"""The only module that touches Babel: locale parsing, autonyms, text direction, plural forms, dates."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global
from babel.dates import format_date
from babel.messages.plurals import get_plural
from babel.numbers import get_decimal_symbol, get_group_symbol

from polyleaf.errors import ConfigError


@cache
def _known_identifiers() -> tuple[str, ...]:
    return tuple(sorted(localedata.locale_identifiers()))


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


def suggestions(identifier: str) -> list[str]:
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
    close = suggestions(identifier)
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


def plural_forms(identifier: str) -> str:
    """The PO ``Plural-Forms`` header value from CLDR data."""
    plural = get_plural(parse_locale(identifier))
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def script(identifier: str) -> str:
    """The writing system the language is printed in (``Latn``, ``Arab``, ``Hans``, ``Cyrl``…), from CLDR."""
    locale = parse_locale(identifier)
    if locale.script:
        return str(locale.script)
    likely = str(get_global("likely_subtags").get(locale.language, ""))
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else "Latn"


def format_day(day: dt.date, identifier: str) -> str:
    """A localized long date for 'updated on' lines."""
    return format_date(day, format="long", locale=parse_locale(identifier))


@cache
def number_separators(identifier: str) -> tuple[str, str]:
    """The ``(decimal, group)`` separators of the locale's Latin-digit numbers: ``(",", ".")`` for es,
    ``(",", "\\u202f")`` for fr; QA uses them to read the numbers of a translation."""
    locale = parse_locale(identifier)
    return get_decimal_symbol(locale), get_group_symbol(locale)
