"""Text helpers shared by the checks: plain text without bidi controls and link targets, URLs, term matching."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from polyleaf import locale
from polyleaf.errors import ConfigError
from polyleaf.qa.numerals import strip_harakat
from polyleaf.source.inline_structure import may_have_urls

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_ANY_BIDI_CONTROL = re.compile(f"[{''.join(map(chr, _BIDI_CONTROLS))}]")
_CLOSING_PUNCT = "。，、；：？！）」』】»”’"
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
URL = re.compile(
    rf"(?:https?://|www\.)[^\s<>\"'()\[\]{_CLOSING_PUNCT}（「،]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def plain(text: str) -> str:
    """Text without bidi controls and without link targets (those are compared by the markup check)."""
    if _ANY_BIDI_CONTROL.search(text):  # translating a text char by char, rarely to remove anything, cost more
        text = text.translate(_BIDI_CONTROLS)
    return _LINK_TARGET.sub("]", text) if "](" in text else text


#: How many source sentences QA keeps read, apart from the translations it reads (a cache of each reader for the
#: source side): a check reads a library one language after the other, thousands of translations between two uses
#: of a source sentence, which would push it out of a cache they share.
SOURCE_SENTENCES_KEPT = 16384


@lru_cache(maxsize=4096)
def prepared(text: str) -> tuple[str, str]:
    """The text the readers of quantities, times and negations work on — plain, Arabic without short vowels, URLs
    blanked — and the same in lower case with one apostrophe (at the same positions, or as it is)."""
    stripped = strip_harakat(plain(text))
    if may_have_urls(stripped):
        stripped = URL.sub(" ", stripped)
    lowered = stripped.casefold().replace("’", "'")
    return stripped, lowered if len(lowered) == len(stripped) else stripped


def urls(text: str) -> list[str]:
    if not may_have_urls(text):
        return []
    return [url.rstrip(".,;:!?") for url in URL.findall(plain(text))]


@cache
def base_language(identifier: str) -> str:
    """``pt`` for ``pt_BR``, ``zh`` for ``zh-Hans``."""
    return identifier.replace("-", "_").split("_")[0].lower()


@cache
def numbers_read_as(language: str) -> str:
    """The language a text of ``language`` is read as for its quantities: the base language where the two write
    numbers alike (a reading depends on nothing else of the language), so that a sentence read for "pt_BR", as the
    checks name the language, and for "pt", as the negation check does, is read once."""
    base = base_language(language)
    try:
        alike = locale.number_separators(base) == locale.number_separators(language)
    except ConfigError:
        return language
    return base if alike else language
