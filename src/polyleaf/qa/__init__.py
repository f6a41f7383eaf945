"""Translation quality checks that protect patients: quantities, schedules, negations, markup, terms, acronyms,
completeness, typography.

Every check is a plain function ``(source, target, context) -> list[str]`` returning one message per problem;
``CHECKS`` registers it with an id, a default severity and a one-line explanation. ``check_entry`` runs them all
on one segment; ``check_catalog_entries`` turns a catalog's entries (``EntryView``) into ``path:line`` diagnostics.
A fuzzy (unreviewed) entry gets each severity one step lower: only reviewed entries can block a release.

**Quantities, not numbers.** Source and translation are read as quantities (``quantities.py``): a number (digits
of any script with the language's separators from Babel, ``½``/``¼``/``1/2``, Chinese numerals and 四分之一, or a
spelled-out number bound to what it counts, through num2words) with its unit or counted noun (mg, mcg, ml, l, °C,
%, tablets, drops, puffs, patches, times, minutes … years; ``vocabulary.py``, with plural and case endings and the
Arabic dual ``يومين`` = 2 days) and its role: the ends of a range (``10–15``, "between 5 and 10", "de 10 a 15")
and bounds given by words ("at most 20 mg", "under 12 years", "do not take more than 4 g" and "do not store above
25 °C" — negation understood —, "start with 5 mg", "12岁以下", "4 غ يوميا على الأقل"), an interval, a duration
and a delay ("every 8 hours", "for 7 days", "after 7 days", "7天后"). Phrases say quantities too: "every other day"
is every 2 days ("en días alternos", "через день", "隔日").

It catches: a number lost, added or changed (``numbers``; "1,000" read as one in Spanish; "every other day" →
"every day"); a dose that changed its unit, mg→g, or whose numbers were swapped between units, "2 tablets every 6
hours" → "6 … every 2 hours" (``units``); a reversed range "10–15" → "15–10", bounds or starting doses swapped,
"start with 5 mg, at most 20 mg" → "start with 20 mg, at most 5 mg", "every 8 hours" → "for 8 hours", "for 7
days" → "after 7 days", and a bound dropped, "do not take more than 8 tablets" → "take 8 tablets" (``quantities``:
a bound with a number is theirs, not the negation check's); how often, when and per what a dose is given, "daily"
→ "weekly", "every Monday" → "every day", "at night" → "in the morning", "8 pm" → "8 am", "12 pm" → "midnight",
"before meals" → "after meals", "on an empty stomach" → "with food", "10 mg/kg" → "10 mg", a frequency swapped
even where the sentence names the right one elsewhere ("once a week, the same day each week" → "once a day, the
same day each week"), and a frequency a single dose does not have ("a single dose of 3 g" → "3 g a day")
(``schedule``: ``schedule.py``, ``clock.py``); a negation or prohibition lost or added, "Do not take with
alcohol" → "Take with alcohol", "Avoid driving" → "Drive", "Do not stop … without" → "Stop … without" (the
without is the source's own), "Take it just before bed" → "Do not take it just before bed", one of two negations
lost, "Do not take aspirin and do not drink alcohol" → "No tome aspirina y beba alcohol" (``negation``). It
accepts ½ = half = una mitad = 0.5 = 1/2, ¼ = a quarter = un cuarto = một phần tư, 2,5 in decimal-comma languages,
Arabic-Indic and full-width digits, 两/二/半, spelled-out numbers, duals and clitics (قرصا واحدا، قرصا ونصف،
بثلاثين، خمس عشرة), 8 pm = 20:00 = 20 h = 20.00 = ٢٠:٠٠ = 8:00 م = 晚上8点, 12 am = midnight = medianoche = 午夜,
"ngày 2 lần" for twice a day, a negation said another way (请勿, "avoid", "sin"), "Don't forget" for "Remember", a
negation for "persist" ("no mejoran", "не проходят"), the French and Russian expletive negation ("avant que la
douleur ne devienne", "пока … не") and a negated storage bound ("ne dépassant pas 25 °C", "No conservar por
encima de 25 °C" for "Store below 25 °C").

It cannot catch — and these are choices, to keep correct translations from being withheld: a number written as a
word with nothing counted after it ("one in two people" reads as no number, so "1 in 2" → "uno de cada dos" is
reported as lost); a unit, counted noun, bound, meal or frequency word missing from the vocabulary (then the
number counts as unitless or without a role, and a swap involving it is missed; a bound the translation says in
unlisted words is reported dropped); a role given by sentence structure ("after 3 days, 2 tablets"); a bound
with other words between it and its negation, whose direction those words decide ("No conservar a temperatura
superior a 25 °C" may be at most or at least: either is accepted); a frequency dropped from a sentence that doses
nothing, or added where the source gives a time of day, a meal, a clock time or a period (the morning dose may
become "每天早上", "in 24 hours" "par 24 heures"); noon or midnight said in words with no clock time in the other
text (midday may be lunchtime); two clock times swapped between two doses of one sentence; a negation the
translation renders with a negative word of a kind the source also has, elsewhere (negative words are counted by
kind, not understood: "Do not take unless…" → "Tome solo si…, salvo…" is reported), and a negation added where the
two texts differ in another negative word ("Take only at night" → "No lo tome por la noche"), or one of two
negations lost where the translation joins the rest with "or" ("No tome aspirina o beba alcohol"; two negations
said as one, "No tome aspirina y alcohol", is reported); a conversion (500
mg → 0.5 g is reported); a quantity moved to another sentence.

**Release gates.** A reviewed translation identical to the English is an error unless the source is only terms,
numbers and symbols, or the entry is marked ``no-translate`` (a ``#,`` flag, or a translator comment line
``keep: reason``). An acronym the source gives in brackets must stay in brackets ("(LBP)" → "LBP" is an error).

**Waivers.** A reviewer waives one check on one entry with a translator comment line ``ignore-numbers: reason``
(or a flag ``#, ignore-numbers``, as in Weblate): its findings stay visible, as ``info`` and ``waived``, and no
longer block a release — as long as the English, the translation and the finding are those it was given for
(``waivers``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from polyleaf.qa.characters import check_invisible
from polyleaf.qa.checks import (
    check_acronyms,
    check_dnt,
    check_empty,
    check_glossary,
    check_length,
    check_markup,
    check_numbers,
    check_placeholders,
    check_quantities,
    check_structure,
    check_units,
    check_untranslated,
    check_urls,
)
from polyleaf.qa.model import (
    Check,
    CheckContext,
    CheckFunction,
    Diagnostic,
    EntryView,
    Finding,
    Severity,
)
from polyleaf.qa.negation import check_negation
from polyleaf.qa.schedule import check_schedule
from polyleaf.qa.typography import check_brackets, check_punctuation, check_spaces
from polyleaf.qa.waivers import NO_TRANSLATE, WAIVER_CHECK, WAIVER_PREFIX, Waivers, bind

__all__ = [
    "CHECKS",
    "NO_TRANSLATE",
    "WAIVER_CHECK",
    "WAIVER_PREFIX",
    "Check",
    "CheckContext",
    "CheckFunction",
    "Diagnostic",
    "EntryView",
    "Finding",
    "FindingsMemo",
    "Severity",
    "bind",
    "check_catalog_entries",
    "check_entry",
]

_LOWER: dict[Severity, Severity] = {"error": "warning", "warning": "info", "info": "info"}

CHECKS: tuple[Check, ...] = (
    Check(
        "numbers",
        "error",
        "Every number of the source (doses, ranges, percentages) is in the translation.",
        check_numbers,
    ),
    Check("units", "error", "Each number keeps its unit or counted noun (mg, ml, %, tablets, hours…).", check_units),
    Check(
        "quantities", "error", "Ranges keep their order; bounds and starting doses are not swapped.", check_quantities
    ),
    Check(
        "schedule",
        "error",
        "How often, when and per what a dose is given is kept: daily, at night, 8 pm, per kg.",
        check_schedule,
    ),
    Check("negation", "error", "A negation (do not, never) is kept, and none is added.", check_negation),
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
    Check("acronyms", "error", "An acronym given in brackets keeps its brackets.", check_acronyms),
    Check(
        "structure", "error", "The translation adds no line break or block marker (#, >, -, <tag>).", check_structure
    ),
    Check(
        "invisible",
        "error",
        "No control character, and no invisible direction character that makes a number print otherwise.",
        check_invisible,
    ),
    Check("empty", "error", "The translation is not just whitespace.", check_empty),
    Check(
        "untranslated",
        "error",
        "The translation is not a copy of the source (unless marked no-translate).",
        check_untranslated,
    ),
    Check("glossary", "warning", "Glossary terms use their required translation.", check_glossary),
    Check("length", "warning", "The translation's length is within the language pair's norm.", check_length),
    Check("punctuation", "warning", "Sentence-final punctuation follows the target script.", check_punctuation),
    Check("spaces", "warning", "No stray leading, trailing or double spaces.", check_spaces),
    Check("brackets", "warning", "Brackets and quotes are balanced.", check_brackets),
)


def check_entry(
    source: str, target: str, context: CheckContext, *, fuzzy: bool, flags: frozenset[str] = frozenset()
) -> list[Finding]:
    """All checks on one segment; fuzzy (unreviewed machine) translations get each severity one step lower.

    ``flags`` are the entry's markers (``EntryView.markers``): ``no-translate`` allows a copy of the source,
    ``ignore-<check>`` reports that check's findings as waived info while the waiver applies (``waivers``); one
    that no longer applies is a ``waiver`` warning.
    """
    if not target:
        return [Finding("untranslated", "info", "not translated yet")]
    checks = CHECKS if target.strip() else tuple(c for c in CHECKS if c.id == "empty")
    if context.plain_text:
        checks = tuple(check for check in checks if check.id != "markup")
    waivers = Waivers.of(flags) if flags else _NO_WAIVERS
    findings = []
    for check in checks:
        if check.id == "untranslated" and NO_TRANSLATE in flags:
            continue
        messages = check.function(source, target, context)
        verdict = waivers.verdict(check.id, source, target, messages) if waivers else False
        severity = "info" if verdict is True else _LOWER[check.severity] if fuzzy else check.severity
        findings += [Finding(check.id, severity, message, verdict is True) for message in messages]
        if isinstance(verdict, str):
            findings.append(Finding(WAIVER_CHECK, "info" if fuzzy else "warning", verdict))
    return findings


_NO_WAIVERS = Waivers()


class FindingsMemo:
    """Findings of entries already checked, by everything they depend on, for the length of one run (its QA cache
    holds one): a run checks each entry up to three times (QA notes before and after machine translation, the
    dashboard), a library has thousands. At most ``kept`` entries: then it starts again."""

    def __init__(self, kept: int = 500_000) -> None:
        self.kept = kept
        self._findings: dict[tuple[object, ...], tuple[Finding, ...]] = {}

    def get(self, key: tuple[object, ...]) -> tuple[Finding, ...] | None:
        """The findings known for ``key``."""
        return self._findings.get(key)

    def keep(self, key: tuple[object, ...], findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """Remember ``findings`` for ``key``; they are returned."""
        if len(self._findings) >= self.kept:
            self._findings.clear()
        kept = self._findings[key] = tuple(findings)
        return kept


def _context_key(context: CheckContext) -> tuple[object, ...]:
    required = tuple(sorted(context.required_terms.items()))
    return (
        context.source_language,
        context.target_language,
        context.dnt_terms,
        required,
        context.lost_placeholders,
        context.plain_text,
    )


def check_catalog_entries(
    entries: Iterable[EntryView], context: CheckContext, path: Path, memo: FindingsMemo | None = None
) -> list[Diagnostic]:
    """Diagnostics for a catalog's entries, in entry order; the header (empty msgid) is skipped. ``memo``: the
    findings of entries checked before in the same run."""
    memo = memo or FindingsMemo()
    diagnostics = []
    catalog_key = _context_key(context)
    for entry in entries:
        if not entry.msgid:
            continue
        entry_context, context_key = context, catalog_key
        if entry.lost_placeholders:
            lost = (*context.lost_placeholders, *entry.lost_placeholders)
            entry_context = replace(context, lost_placeholders=lost)
            context_key = _context_key(entry_context)
        key = (context_key, entry.msgid, entry.msgstr, entry.fuzzy, entry.markers)
        findings = memo.get(key)
        if findings is None:
            found = check_entry(entry.msgid, entry.msgstr, entry_context, fuzzy=entry.fuzzy, flags=entry.markers)
            findings = memo.keep(key, found)
        diagnostics += [
            Diagnostic(path, entry.line, f.severity, f.check, f.message, entry.msgid, f.waived) for f in findings
        ]
    return diagnostics
