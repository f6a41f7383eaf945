"""Finding glossary terms in text: the one matcher machine translation and QA share.

A term written in lower case matches any capitalisation (``nerve ablation`` finds ``Nerve ablation``); a term with
capitals (``BVNA``, ``MRI``) matches exactly. Spaces inside a term match any run of whitespace. Matches are whole
words in the scripts that separate words with spaces: a term may not touch a Latin, Greek or Cyrillic letter or a
digit, but it may touch Chinese, Japanese, Arabic or Thai letters, since those texts write a Latin acronym right
against their own words (``使用BVNA治疗``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

#: Characters a whole-word term may not touch: letters and digits of space-separated alphabets, and ``_``.
_JOINING = r"0-9A-Za-z_\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1fff"
_BEFORE = rf"(?<![{_JOINING}])"
_AFTER = rf"(?![{_JOINING}])"


def _term_regex(term: str) -> str:
    words = r"\s+".join(re.escape(word) for word in term.split())
    return f"(?i:{words})" if term == term.lower() else words


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    unique = sorted({term.strip() for term in terms if term.strip()}, key=lambda term: (-len(term), term))
    if not unique:
        return None
    return re.compile(_BEFORE + "(?:" + "|".join(_term_regex(term) for term in unique) + ")" + _AFTER)


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One matcher for all ``terms`` (longest first, so ``nerve ablation`` wins over ``nerve``); None if none."""
    return _pattern(tuple(terms))


def mentions(text: str, term: str) -> bool:
    """Whether ``text`` contains ``term`` as a whole word (by the case rule above)."""
    pattern = _pattern((term,))
    return pattern is not None and pattern.search(text) is not None


def canonical(found: str, terms: Sequence[str]) -> str | None:
    """The term of ``terms`` that the matched text ``found`` is an occurrence of."""
    normalized = " ".join(found.split())
    for term in terms:
        candidate = " ".join(term.split())
        if candidate == normalized or (candidate == candidate.lower() and candidate == normalized.lower()):
            return term
    return None
