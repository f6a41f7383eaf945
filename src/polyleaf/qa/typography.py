"""Typography checks: sentence-final punctuation of the target script, whitespace, balanced brackets and quotes."""

from __future__ import annotations

import re

from polyleaf.locale import script
from polyleaf.qa.model import CheckContext
from polyleaf.qa.text import base_language

_KIND = {".": ".", "。": ".", "．": ".", "।": ".", "։": ".", "۔": ".", "።": ".", "။": ".", "។": "."}
_KIND |= {"?": "?", "？": "?", "؟": "?", "፧": "?", "!": "!", "！": "!"}
_CJK_FINALS = {".": "。", "?": "？", "!": "！"}
# Acceptable sentence ends, by language first, then by script; the default is . ? !
_FINALS: dict[str, dict[str, str]] = {
    "zh": _CJK_FINALS,
    "yue": _CJK_FINALS,
    "ja": {".": "。", "?": "？。", "!": "！。"},
    "Arab": {".": ".", "?": "؟", "!": "!"},
    "ur": {".": "۔.", "?": "؟", "!": "!"},
    "hi": {".": "।", "?": "?", "!": "!"},
    "ne": {".": "।", "?": "?", "!": "!"},
    "bn": {".": "।", "?": "?", "!": "!"},
    "pa": {".": "।", "?": "?", "!": "!"},
    "hy": {".": "։:", "?": "։:՞?", "!": "։:՜!"},
    "el": {".": ".", "?": ";\u037e", "!": "!"},
    "Ethi": {".": "።", "?": "፧?", "!": "!"},  # Amharic, Tigrinya: the Ethiopic full stop
    "my": {".": "။", "?": "။?", "!": "။!"},
    "km": {".": "។", "?": "?", "!": "!"},
    "th": {"?": "?", "!": "!"},
    "lo": {"?": "?", "!": "!"},
}
_SENTENCE_ENDS = "".join(_KIND) + "։"
_TRAILING_CLOSERS = " \t\n\u00a0\u202f\"'”’»)]）」』*`"


def _finals(language: str) -> dict[str, str]:
    default = {".": ".", "?": "?", "!": "!"}
    return _FINALS.get(base_language(language)) or _FINALS.get(script(language), default)


def check_punctuation(source: str, target: str, context: CheckContext) -> list[str]:
    """A sentence ends with the target script's full stop, question or exclamation mark; a heading with none."""
    source_text, target_text = source.rstrip(_TRAILING_CLOSERS), target.rstrip(_TRAILING_CLOSERS)
    source_end, target_end = source_text[-1:], target_text[-1:]
    if source_text.endswith(".."):  # an ellipsis may become "…" or be dropped
        return []
    if source_end in _KIND:
        allowed = _finals(context.target_language).get(_KIND[source_end])
        if allowed and target_end not in allowed:
            expected = " or ".join(f"“{c}”" for c in allowed)
            return [f"the source ends with “{source_end}”; the translation should end with {expected}"]
    elif source_end.isalnum() and target_end and target_end in _SENTENCE_ENDS:
        return [f"the source has no final punctuation (a heading?); the translation ends with “{target_end}”"]
    return []


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def check_spaces(source: str, target: str, context: CheckContext) -> list[str]:
    """Leading/trailing whitespace as in the source (it is layout), and no double spaces the source lacks."""
    (source_lead, source_trail), (target_lead, target_trail) = _edges(source), _edges(target)
    messages = []
    if source_lead != target_lead:
        messages.append("leading whitespace differs from the source")
    if source_trail != target_trail:
        messages.append("trailing whitespace differs from the source")
    if target.strip().count("  ") > source.strip().count("  "):
        messages.append("double space in the translation")
    return messages


_BRACKETS = tuple(
    (opening, closing, re.compile(f"[{re.escape(opening + closing)}]"))
    for opening, closing in (("(（", ")）"), ("[［【", "]］】"), ("{｛", "}｝"), ("「『", "」』"))
)


def _unbalanced(text: str) -> list[str]:
    """Bracket pairs that do not nest, and quotes that do not pair up, in ``text``."""
    problems = []
    for opening, closing, both in _BRACKETS:
        depth = 0
        for char in both.findall(text):  # only the brackets, not every character
            depth += 1 if char in opening else -1
            if depth < 0:
                break
        if depth:
            problems.append(f"{opening[0]} {closing[0]}")
    if text.count("«") != text.count("»"):
        problems.append("« »")
    if sum(map(text.count, "“”„")) % 2:  # “…”, „…“ (de), ”…” (sv): pairs of double quotes
        problems.append("“ ”")
    if text.count('"') % 2:
        problems.append('"')
    return problems


#: Every character ``_unbalanced`` counts: a translation without any has nothing unbalanced.
_BRACKETS_AND_QUOTES = re.compile("[" + re.escape("".join(o + c for o, c, _ in _BRACKETS) + '«»“”„"') + "]")


def _has_brackets_or_quotes(text: str) -> bool:
    return _BRACKETS_AND_QUOTES.search(text) is not None


def check_brackets(source: str, target: str, context: CheckContext) -> list[str]:
    """Brackets and quotes in the translation are balanced (unless the source itself leaves one open)."""
    if not _has_brackets_or_quotes(target):
        return []
    already = set(_unbalanced(source))
    return [f"unbalanced {pair} in the translation" for pair in _unbalanced(target) if pair not in already]
