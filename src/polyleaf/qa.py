"""Translation quality checks that protect patients: numbers, doses, markup, terms, punctuation.

Every check is a plain function ``(source, target, context) -> list[str]`` returning one message per problem;
``CHECKS`` registers it with an id, a default severity and a one-line explanation. ``check_entry`` runs them all
on one segment and ``check_catalog_entries`` turns a catalog's entries into ``path:line`` diagnostics.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from polyleaf import locale

Severity = Literal["error", "warning", "info"]

_LOWER: dict[Severity, Severity] = {"error": "warning", "warning": "info", "info": "info"}


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What the checks know besides the two texts: the language pair and the terms that must survive."""

    source_language: str
    target_language: str
    dnt_terms: tuple[str, ...] = ()
    required_terms: Mapping[str, str] = field(default_factory=dict)
    lost_placeholders: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one segment."""

    check: str
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding located in a catalog, printed as ``path:line: severity [check] message``."""

    path: Path
    line: int
    severity: Severity
    check: str
    message: str
    msgid: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"


@dataclass(frozen=True, slots=True)
class EntryView:
    """The part of a PO entry QA needs; the review stage maps catalog entries onto it (qa.py knows no PO format).

    ``lost_placeholders`` are the placeholders machine translation lost in this entry, added to the context's.
    """

    msgid: str
    msgstr: str
    line: int
    fuzzy: bool
    lost_placeholders: tuple[str, ...] = ()


CheckFunction = Callable[[str, str, CheckContext], list[str]]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its id (shown in brackets), default severity, what it protects, and the function."""

    id: str
    severity: Severity
    explanation: str
    function: CheckFunction


# --- text helpers -----------------------------------------------------------------------------------------

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_CLOSING_PUNCT = "。，、；：？！）」』】»”’"
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(
    rf"(?:https?://|www\.)[^\s<>\"'()\[\]{_CLOSING_PUNCT}（「،]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def _plain(text: str) -> str:
    """Text without bidi controls and without link targets (those are compared by the markup check)."""
    return _LINK_TARGET.sub("]", text.translate(_BIDI_CONTROLS))


def _urls(text: str) -> list[str]:
    return [url.rstrip(".,;:!?") for url in _URL.findall(_plain(text))]


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"


def _word_edge(char: str) -> bool:
    return char.isalnum() and not _is_cjk(char)


@cache
def _term_pattern(term: str, ignore_case: bool) -> re.Pattern[str]:
    """``term`` as a whole word where words have edges (not inside CJK text)."""
    before = r"(?<!\w)" if _word_edge(term[0]) else ""
    after = r"(?!\w)" if _word_edge(term[-1]) else ""
    return re.compile(before + re.escape(term) + after, re.IGNORECASE if ignore_case else 0)


def _mentions(text: str, term: str, *, ignore_case: bool = False) -> bool:
    return bool(term) and _term_pattern(term, ignore_case).search(text) is not None


@cache
def _script(language: str) -> str:
    return locale.script(language)


def _language(identifier: str) -> str:
    return identifier.replace("-", "_").split("_")[0].lower()


# --- numbers ----------------------------------------------------------------------------------------------

_SPACE_GROUP = r"[\u00a0\u202f\u2009'’](?=\d{3}(?!\d))"
_NUMBER = re.compile(rf"\d+(?:(?:[.,٫٬．]|{_SPACE_GROUP})\d+)*")
_NUMBER_SPACE_GROUPS = re.compile(rf"\d+(?:(?:[.,٫٬．]|{_SPACE_GROUP}| (?=\d{{3}}(?!\d)))\d+)*")
_DIGIT_RUN = re.compile(r"(\d+)")

# Canonical unit -> spellings used next to numbers in the source and target languages.
_UNITS: dict[str, tuple[str, ...]] = {
    "mg": ("mg", "мг", "ملغ", "ملغم", "مجم", "مغ", "毫克"),
    "ml": ("ml", "mL", "мл", "مل", "ملل", "毫升"),
    "g": ("g", "г", "غ", "غم", "جم", "غرام", "克"),
    "kg": ("kg", "кг", "كغ", "كغم", "كجم", "كيلوغرام", "公斤", "千克"),
    "mcg": ("mcg", "µg", "μg", "мкг", "مكغ", "ميكروغرام", "微克"),
    "mmHg": ("mmHg", "mm Hg", "мм рт. ст.", "мм рт.ст.", "ملم زئبق", "مم زئبقي", "毫米汞柱"),
    "%": ("%", "٪", "％"),
    "IU": ("IU", "UI", "IE", "I.E.", "МЕ", "وحدة دولية", "国际单位"),
    "cm": ("cm", "см", "سم", "厘米", "公分"),
    "mm": ("mm", "мм", "مم", "ملم", "毫米"),
}
_UNIT_OF = {alias: unit for unit, aliases in _UNITS.items() for alias in aliases}
_UNIT_AFTER = re.compile(
    r"[ \u00a0\u202f\u2009]?("
    + "|".join(
        re.escape(alias) + (r"(?![^\W\d_])" if _word_edge(alias[-1]) else "")
        for alias in sorted(_UNIT_OF, key=len, reverse=True)
    )
    + ")"
)
_PERCENT_BEFORE = re.compile(r"[%٪％][ \u00a0\u202f]?$")
_RANGE_JOIN = re.compile(r"\s*(?:[-–—~～]|to|a|à|al|bis|até|hasta|đến|до|至|到|إلى)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Number:
    value: Decimal
    text: str  # the digits and separators as written
    shown: str  # with the unit as written, for messages
    unit: str | None
    start: int
    end: int


def _read(token: str, decimal_sep: str, group_sep: str) -> list[Decimal]:
    """The value(s) of one digit run with separators, read the locale's way but tolerant of the source's way.

    A separator followed by three digits that is the locale's group symbol (or repeats, or precedes another
    separator) groups; otherwise ``.``/``,`` is a decimal point. Anything that reads as two decimal points
    (dates, versions) is taken as separate integers.
    """
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
        return [Decimal(run) for run in digits]
    whole, fraction = digits[0], ""
    for kind, run in zip(kinds, digits[1:], strict=True):
        if kind == "group":
            whole += run
        else:
            fraction = run
    return [Decimal(f"{whole}.{fraction}" if fraction else whole)]


def _numbers(text: str, language: str) -> list[_Number]:
    """Every number in ``text`` (URLs and link targets left out) with the unit written right after it."""
    plain = _URL.sub(" ", _plain(text))
    decimal_sep, group_sep = locale.number_separators(language)
    pattern = _NUMBER_SPACE_GROUPS if group_sep.isspace() else _NUMBER
    found: list[_Number] = []
    for match in pattern.finditer(plain):
        unit_match = _UNIT_AFTER.match(plain, match.end())
        unit = _UNIT_OF[unit_match.group(1)] if unit_match else None
        if unit is None and _PERCENT_BEFORE.search(plain, 0, match.start()):
            unit = "%"
        end = unit_match.end() if unit_match else match.end()
        values = _read(match.group(), decimal_sep, group_sep)
        shown = plain[match.start() : end]
        found += [_Number(value, match.group(), shown, unit, match.start(), end) for value in values]
    for index in range(len(found) - 2, -1, -1):  # "2–3 mg": the 2 is in mg too
        number, following = found[index], found[index + 1]
        gap = plain[number.end : following.start]
        if number.unit is None and following.unit and _RANGE_JOIN.fullmatch(gap):
            found[index] = replace(number, unit=following.unit)
    return found


def check_numbers(source: str, target: str, context: CheckContext) -> list[str]:
    """Every number of the source, by value, read with each language's decimal and group separators."""
    source_numbers = _numbers(source, context.source_language)
    target_numbers = _numbers(target, context.target_language)
    lost, added = _unmatched(source_numbers, target_numbers), _unmatched(target_numbers, source_numbers)
    messages = []
    for before, after in zip(lost, added, strict=False):
        hint = ""
        if before.text == after.text:  # "1,000" is one thousand in English and one in Spanish
            hint = f" ({after.text} reads as {after.value.normalize():f} in {context.target_language})"
        messages.append(f"{before.shown} → {after.shown}: a number differs{hint}")
    messages += [f"{n.shown}: missing in the translation" for n in lost[len(added) :]]
    messages += [f"{n.shown}: not in the source" for n in added[len(lost) :]]
    return messages


def _unmatched(numbers: list[_Number], others: list[_Number]) -> list[_Number]:
    """The numbers whose value has no counterpart in ``others`` (compared as multisets), in text order."""
    remaining = Counter(n.value for n in others)
    unmatched = []
    for number in numbers:
        if remaining[number.value] > 0:
            remaining[number.value] -= 1
        else:
            unmatched.append(number)
    return unmatched


def check_units(source: str, target: str, context: CheckContext) -> list[str]:
    """A dose keeps its unit: a number the translation kept must carry the same unit (mg stays mg)."""
    target_numbers = _numbers(target, context.target_language)
    available = Counter((n.value, n.unit) for n in target_numbers)
    messages = []
    for number in _numbers(source, context.source_language):
        if number.unit is None:
            continue
        if available[number.value, number.unit] > 0:
            available[number.value, number.unit] -= 1
            continue
        same_value = [n for n in target_numbers if n.value == number.value]
        other_unit = next((n for n in same_value if n.unit and n.unit != number.unit), None)
        if other_unit:
            messages.append(f"{number.shown} → {other_unit.shown}: a unit differs")
        elif same_value:
            messages.append(f"{number.shown}: the unit {number.unit} is missing in the translation")
    return messages


# --- markup, placeholders, terms, URLs --------------------------------------------------------------------

_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")


def _markup(text: str) -> Counter[str]:
    return Counter({"**": text.count("**"), "*": text.replace("**", "").count("*"), "`": text.count("`")})


def check_markup(source: str, target: str, context: CheckContext) -> list[str]:
    """Inline markup survives: as many ``**``, ``*``, backticks and links, and every link URL unchanged."""
    source_marks, target_marks = _markup(source), _markup(target)
    messages = [
        f"{mark}: {source_marks[mark]} in the source, {target_marks[mark]} in the translation"
        for mark in ("**", "*", "`")
        if source_marks[mark] != target_marks[mark]
    ]
    source_links, target_links = _LINK.findall(source), _LINK.findall(target)
    if len(source_links) != len(target_links):
        messages.append(f"links: {len(source_links)} in the source, {len(target_links)} in the translation")
    changed = Counter(source_links) - Counter(target_links)
    messages += [f"link to {url}: missing or changed in the translation" for url in changed.elements()]
    return messages


def check_placeholders(source: str, target: str, context: CheckContext) -> list[str]:
    """Machine translation lost a placeholder: the markup or term it stood for may be missing or misplaced."""
    return [f"{p}: placeholder lost in machine translation" for p in context.lost_placeholders]


def check_dnt(source: str, target: str, context: CheckContext) -> list[str]:
    """Do-not-translate terms (drug and brand names, acronyms) of the source appear verbatim in the target."""
    return [
        f"{term}: do-not-translate term missing or changed"
        for term in context.dnt_terms
        if _mentions(source, term) and term not in target
    ]


def check_glossary(source: str, target: str, context: CheckContext) -> list[str]:
    """A glossary term of the source is translated with its required translation (case-insensitive)."""
    return [
        f"{term}: the glossary requires “{required}”"
        for term, required in context.required_terms.items()
        if _mentions(source, term, ignore_case=True) and required.casefold() not in target.casefold()
    ]


def check_urls(source: str, target: str, context: CheckContext) -> list[str]:
    """URLs and e-mail addresses of the source appear unchanged in the translation."""
    missing = Counter(_urls(source)) - Counter(_urls(target))
    return [f"{url}: missing or changed in the translation" for url in missing.elements()]


# --- completeness -----------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _needs_translation(source: str, context: CheckContext) -> bool:
    """False when the source is only terms kept as they are, numbers, punctuation, or one short word/acronym."""
    text = _URL.sub(" ", _plain(source))
    kept = [*context.dnt_terms, *(t for t, r in context.required_terms.items() if t.casefold() == r.casefold())]
    for term in filter(None, kept):
        text = _term_pattern(term, ignore_case=True).sub(" ", text)
    words = [word for word in _WORD.findall(text) if word not in _UNIT_OF]
    return len(words) > 1 or any(len(word) > 4 and not word.isupper() for word in words)


def check_untranslated(source: str, target: str, context: CheckContext) -> list[str]:
    """The translation is a copy of the source (machine translation passed it through)."""
    same = target.strip() == source.strip() and _needs_translation(source, context)
    return ["the translation is identical to the source"] if same else []


def check_empty(source: str, target: str, context: CheckContext) -> list[str]:
    """The translation is only whitespace: a build would print a blank line instead of the text."""
    return ["the translation is empty (whitespace only)"] if source.strip() and not target.strip() else []


_LENGTH_FACTORS = {"Hans": 0.45, "Hant": 0.45, "Jpan": 0.55, "Kore": 0.6}
_MIN_LENGTH = 20


def check_length(source: str, target: str, context: CheckContext) -> list[str]:
    """The translation is far shorter or longer than the language pair's norm: a sentence may be dropped or added."""
    if len(source.strip()) < _MIN_LENGTH:
        return []
    target_factor = _LENGTH_FACTORS.get(_script(context.target_language), 1.0)
    expected = target_factor / _LENGTH_FACTORS.get(_script(context.source_language), 1.0)
    ratio = len(target.strip()) / len(source.strip())
    if expected / 3 <= ratio <= expected * 3:
        return []
    return [f"the translation is {ratio:.0%} of the source length (about {expected:.0%} expected)"]


# --- typography -------------------------------------------------------------------------------------------

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
    "am": {".": "።", "?": "፧?", "!": "!"},
    "my": {".": "။", "?": "။?", "!": "။!"},
    "km": {".": "។", "?": "?", "!": "!"},
    "th": {"?": "?", "!": "!"},
    "lo": {"?": "?", "!": "!"},
}
_SENTENCE_ENDS = "".join(_KIND) + "։"
_TRAILING_CLOSERS = " \t\n\u00a0\u202f\"'”’»)]）」』*`"


def _finals(language: str) -> dict[str, str]:
    default = {".": ".", "?": "?", "!": "!"}
    return _FINALS.get(_language(language)) or _FINALS.get(_script(language), default)


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


_BRACKETS = (("(（", ")）"), ("[［【", "]］】"), ("{｛", "}｝"), ("「『", "」』"))


def _unbalanced(text: str) -> list[str]:
    """Bracket pairs that do not nest, and quotes that do not pair up, in ``text``."""
    problems = []
    for opening, closing in _BRACKETS:
        depth = 0
        for char in text:
            depth += (char in opening) - (char in closing)
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


def check_brackets(source: str, target: str, context: CheckContext) -> list[str]:
    """Brackets and quotes in the translation are balanced (unless the source itself leaves one open)."""
    already = set(_unbalanced(source))
    return [f"unbalanced {pair} in the translation" for pair in _unbalanced(target) if pair not in already]


CHECKS: tuple[Check, ...] = (
    Check(
        "numbers",
        "error",
        "Every number of the source (doses, ranges, percentages) is in the translation.",
        check_numbers,
    ),
    Check("units", "error", "Doses keep their unit (mg, ml, g, mcg, IU, %…) next to the same number.", check_units),
    Check(
        "placeholders",
        "error",
        "Machine translation lost a placeholder for markup or a protected term.",
        check_placeholders,
    ),
    Check(
        "dnt", "error", "Do-not-translate terms (drug names, acronyms) appear verbatim in the translation.", check_dnt
    ),
    Check("urls", "error", "URLs and e-mail addresses are copied unchanged.", check_urls),
    Check("markup", "error", "Bold, italics, code and links are kept, with the same link targets.", check_markup),
    Check("empty", "error", "The translation is not just whitespace.", check_empty),
    Check("glossary", "warning", "Glossary terms use their required translation.", check_glossary),
    Check("untranslated", "warning", "The translation is not a copy of the source.", check_untranslated),
    Check("length", "warning", "The translation's length is within the language pair's norm.", check_length),
    Check("punctuation", "warning", "Sentence-final punctuation follows the target script.", check_punctuation),
    Check("spaces", "warning", "No stray leading, trailing or double spaces.", check_spaces),
    Check("brackets", "warning", "Brackets and quotes are balanced.", check_brackets),
)


def check_entry(source: str, target: str, context: CheckContext, *, fuzzy: bool) -> list[Finding]:
    """All checks on one segment; fuzzy (unreviewed machine) translations get each severity one step lower."""
    if not target:
        return [Finding("untranslated", "info", "not translated yet")]
    checks = CHECKS if target.strip() else tuple(c for c in CHECKS if c.id == "empty")
    return [
        Finding(check.id, _LOWER[check.severity] if fuzzy else check.severity, message)
        for check in checks
        for message in check.function(source, target, context)
    ]


def check_catalog_entries(entries: Iterable[EntryView], context: CheckContext, path: Path) -> list[Diagnostic]:
    """Diagnostics for a catalog's entries, in entry order; the header (empty msgid) is skipped."""
    diagnostics = []
    for entry in entries:
        if not entry.msgid:
            continue
        entry_context = context
        if entry.lost_placeholders:
            lost = (*context.lost_placeholders, *entry.lost_placeholders)
            entry_context = replace(context, lost_placeholders=lost)
        for finding in check_entry(entry.msgid, entry.msgstr, entry_context, fuzzy=entry.fuzzy):
            diagnostics.append(
                Diagnostic(path, entry.line, finding.severity, finding.check, finding.message, entry.msgid)
            )
    return diagnostics
