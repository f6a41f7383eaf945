"""One language's quantity words compiled for reading: the units and their spellings, spelled-out numbers and
fractions, and the joins and cues around numbers, each table made once per language from the data in
``unit_vocabulary`` and ``vocabulary`` and read by ``quantities``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from polyleaf.qa import numerals, unit_vocabulary, vocabulary
from polyleaf.qa.numerals import HALF
from polyleaf.qa.phrases import Table, compile_table
from polyleaf.qa.text import base_language

QUARTER = Decimal("0.25")


@dataclass(frozen=True, slots=True)
class Words:
    """One language's vocabulary, compiled for lookups."""

    units: dict[str, tuple[str, Decimal | None]]  # form → (unit, the form's own value: twice, يومين)
    stems: dict[str, str]
    multiword: frozenset[str]  # first words of units written in several words
    stem_lengths: tuple[int, ...]
    chars: tuple[int, ...]  # lengths of forms looked up character by character (CJK), longest first
    numbers: dict[str, Decimal]  # spelled-out numbers, half and "one and a half" words
    first_words: frozenset[str]  # first words of numbers and of forms with their own value
    half_prefix: str  # glued to a noun for its half: полтаблетки
    longest: int  # words in the longest spelled-out number
    fillers: frozenset[str]
    and_a_half: re.Pattern[str]
    range_join: re.Pattern[str]
    and_join: re.Pattern[str]
    or_join: re.Pattern[str]
    between: re.Pattern[str]
    repeat: re.Pattern[str] | None  # "de 12 em 12": the gap between the two numbers, then the word before them
    cues: re.Pattern[str]
    cue_roles: dict[str, str]
    post_cues: re.Pattern[str]
    post_roles: dict[str, str]
    said: Table | None  # phrases that say a quantity without a number: "every other day"
    language: str


def _alternation(forms: list[str], *, edges: bool, prefix: str = "") -> str:
    """One regex for ``forms``, longest first, as whole words where words have edges; the form is group 1."""
    alternatives = "|".join(re.escape(form) for form in sorted(set(forms), key=len, reverse=True) if form)
    if not alternatives:
        return "((?!))"
    if not edges:
        return f"({alternatives})"
    return rf"(?<![^\W\d_]){prefix}({alternatives})(?![^\W\d_])"


def _split(table: dict[str, str], language: str) -> list[str]:
    """The forms a table gives ``language`` and every language ("*"), in lower case."""
    return [form.casefold() for key in (language, "*") for form in table.get(key, "").split("|") if form]


def _arabic_forms(singular: str, unit: str) -> dict[str, tuple[str, Decimal | None]]:
    """An Arabic noun, its dual (قرصين = 2 tablets), its accusative (قرصا: after 11–99, or alone "a tablet", an
    optional one) and "one" after it (قرصا واحدا), each also after "and", "by" or "for" (وقرصا واحدا، بساعتين، ليومين);
    "by" before the noun alone is one too (بساعة), and so is a counted noun alone ("قرص أو قرصان")."""
    dual = singular[:-1] + "ت" if singular.endswith("ة") else singular
    alone = (
        Decimal(1) if unit_vocabulary.KINDS[unit] == "count" and not singular.endswith("ة") else None
    )  # قرص أو قرصان
    forms: dict[str, tuple[str, Decimal | None]] = {singular: (unit, alone)}
    forms |= {dual + "ين": (unit, Decimal(2)), dual + "ان": (unit, Decimal(2))}
    if singular.endswith("ة"):
        forms |= {f"{singular} واحدة": (unit, Decimal(1))}
    else:
        forms |= {
            singular + "ا": (unit, Decimal(1)),
            f"{singular} واحد": (unit, Decimal(1)),
            f"{singular}ا واحدا": (unit, Decimal(1)),
        }
    forms[f"ب{singular}"] = (unit, Decimal(1))  # قبل الإفطار بساعة: an hour before breakfast
    return forms | {clitic + form: value for form, value in forms.items() for clitic in "وبل"}


def _repeat(language: str) -> re.Pattern[str] | None:
    if language not in vocabulary.REPEAT:
        return None
    before, between = vocabulary.REPEAT[language]
    return re.compile(
        rf"(?<![^\W\d_]){before}\s+(?P<first>\d+)\s+{between}\s+(?P<second>(?P=first))(?!\d)", re.IGNORECASE
    )


def _unit_forms(language: str) -> tuple[dict[str, tuple[str, Decimal | None]], dict[str, str]]:
    """Each unit's spellings in ``language`` (form → unit and the form's own value) and its stems (form → unit)."""
    units: dict[str, tuple[str, Decimal | None]] = {}
    stems: dict[str, str] = {}
    for unit, spellings in unit_vocabulary.UNITS.items():
        for form in _split(spellings, language):
            form = numerals.normalize_words(numerals.strip_harakat(form)) if form[0].isalpha() else form
            if form.endswith("*"):
                stems[form[:-1]] = unit
            elif form.endswith("²"):
                units |= _arabic_forms(form[:-1], unit)
            else:
                form, _, own = form.partition("=")
                units[form] = (unit, Decimal(own) if own else None)
    return units, stems


def _numbers(language: str) -> dict[str, Decimal]:
    """The words ``language`` reads as a number: spelled-out numbers, fractions and the article "a"."""
    numbers = dict(numerals.number_words(language)) | dict.fromkeys(_split(vocabulary.HALF, language), HALF)
    numbers |= dict.fromkeys(_split(vocabulary.QUARTER, language), QUARTER)
    numbers |= dict.fromkeys(_split(vocabulary.ONE_AND_A_HALF, language), Decimal("1.5"))
    if language == "ar":  # a clitic before a number word: بثلاثين دقيقة
        numbers |= {clitic + form: value for form, value in numbers.items() for clitic in "بل"}
    if language == "en":
        numbers |= {"a": Decimal(1), "an": Decimal(1)}
    return numbers


@cache
def words_for(language: str) -> Words:
    """``language``'s vocabulary compiled for lookups, once per language."""
    units, stems = _unit_forms(language)
    numbers = _numbers(language)
    first = {form.split()[0] for form in numbers} | {form.split()[0] for form, (_, own) in units.items() if own}
    cjk = language in {"zh", "ja"}
    cues = {
        phrase.casefold(): role
        for role, phrases in vocabulary.CUES.get(language, {}).items()
        for phrase in phrases.split("|")
    }
    post = {
        phrase.casefold(): role
        for role, phrases in vocabulary.POST_CUES.get(language, {}).items()
        for phrase in phrases.split("|")
    }
    return Words(
        units=units,
        stems=stems,
        multiword=frozenset(form.split()[0] for form in units if " " in form),
        stem_lengths=tuple(sorted({len(stem) for stem in stems}, reverse=True)),
        chars=tuple(sorted({len(form) for form in units if form[0] >= "\u2e80"}, reverse=True)) if cjk else (),
        numbers=numbers,
        first_words=frozenset(first),
        half_prefix="пол" if language == "ru" else "",
        longest=max((len(form.split()) for form in numbers), default=1),
        fillers=frozenset(_split(vocabulary.FILLERS, language)),
        and_a_half=re.compile(
            r"[ \u00a0]?" + _alternation(_split(vocabulary.AND_A_HALF, language), edges=not cjk), re.IGNORECASE
        ),
        range_join=re.compile(r"\s*" + _alternation(_split(vocabulary.RANGE, language), edges=False) + r"\s*"),
        and_join=re.compile(r"\s*" + _alternation(_split(vocabulary.AND, language), edges=False) + r"\s*"),
        or_join=re.compile(r"\s*" + _alternation(_split(vocabulary.OR, language), edges=False) + r"\s*"),
        between=re.compile(_alternation(_split(vocabulary.BETWEEN, language), edges=not cjk), re.IGNORECASE),
        repeat=_repeat(language),
        cues=re.compile(_alternation(list(cues), edges=not cjk, prefix="[وفلب]?" if language == "ar" else "")),
        cue_roles=cues,
        # Arabic puts "at least" after the adverb too: "4 غ يوميا على الأقل"
        post_cues=re.compile(
            r"[\s,]*" + (r"(?:[^\W\d_]+\s+){0,2}" if language == "ar" else "") + _alternation(list(post), edges=not cjk)
        ),
        post_roles=post,
        said=_said(language, cjk=cjk),
        language=language,
    )


#: What a phrase of ``_said`` says: value, unit, role, whether it may be left unsaid.
SAID: dict[str, tuple[Decimal, str, str, bool]] = {
    "alternate": (Decimal(2), "day", "every", False),
    "between": (Decimal(2), "dose", "", True),
}


def _said(language: str, *, cjk: bool) -> Table | None:
    forms = {
        "alternate": vocabulary.ALTERNATE_DAYS.get(language, ""),
        "between": vocabulary.BETWEEN_DOSES.get(language, ""),
    }
    if not any(forms.values()):
        return None
    return compile_table(forms, edges=not cjk, arabic=language == "ar")


def unit_words(language: str) -> frozenset[str]:
    """The spellings of measures in ``language`` (a lone "mg" needs no translation; "tablets" does)."""
    units = words_for(base_language(language)).units
    return frozenset(form for form, (unit, _) in units.items() if unit_vocabulary.KINDS[unit] == "measure")
