"""The only module that touches Babel: locale parsing, autonyms, text direction, plural forms, dates."""

from __future__ import annotations

import datetime as dt
import difflib
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


def parse_locale(identifier: str) -> Locale:
    """Parse a Babel identifier (``pt_BR``, ``zh_Hans``, ``pt-BR``); unknown codes raise ConfigError with a hint."""
    try:
        return Locale.parse(identifier.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        close = difflib.get_close_matches(identifier, _known_identifiers(), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"unknown language code {identifier!r}{hint}") from None


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
