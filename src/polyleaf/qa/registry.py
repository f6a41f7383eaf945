"""The checks registered — id, default severity, a one-line explanation, the function — and running them: on one
segment (``check_entry``) and over a catalog's entries as ``path:line`` diagnostics (``check_catalog_entries``).

What each check catches, and what it accepts, is the package's docstring (``polyleaf.qa``).
"""

from __future__ import annotations

import hashlib
from collections import deque
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
    Diagnostic,
    EntryView,
    Finding,
    Severity,
)
from polyleaf.qa.negation import check_negation
from polyleaf.qa.schedule import check_schedule
from polyleaf.qa.typography import check_brackets, check_punctuation, check_spaces
from polyleaf.qa.waivers import NO_TRANSLATE, WAIVER_CHECK, Waivers

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
    waiving = bool(waivers)
    findings = []
    for check in checks:
        if check.id == "untranslated" and NO_TRANSLATE in flags:
            continue
        messages = check.function(source, target, context)
        if not (messages or waiving):
            continue
        verdict = waivers.verdict(check.id, source, target, messages) if waiving else False
        severity = "info" if verdict is True else _LOWER[check.severity] if fuzzy else check.severity
        findings += [Finding(check.id, severity, message, verdict is True) for message in messages]
        if isinstance(verdict, str):
            findings.append(Finding(WAIVER_CHECK, "info" if fuzzy else "warning", verdict))
    return findings


_NO_WAIVERS = Waivers()


class FindingsMemo:
    """Findings of entries already checked, by everything they depend on, for the length of one run (its QA cache
    holds one): a run checks each entry up to three times (QA notes before and after machine translation, the
    dashboard), a library has hundreds of thousands. At most ``kept`` entries, the oldest forgotten first, so that a
    run's memory does not grow with the library (a catalog the run did not change is answered by the QA cache).
    Their order is a queue of its own: a dict's first key, once its oldest were deleted, is found by skipping every
    deleted slot (400,000 entries kept took 32 s of CPU, not 0.3)."""

    def __init__(self, kept: int = 100_000) -> None:
        self.kept = kept
        self._findings: dict[tuple[object, ...], tuple[Finding, ...]] = {}
        self._oldest_first: deque[tuple[object, ...]] = deque()

    def get(self, key: tuple[object, ...]) -> tuple[Finding, ...] | None:
        """The findings known for ``key``."""
        return self._findings.get(key)

    def keep(self, key: tuple[object, ...], findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """Remember ``findings`` for ``key``; they are returned."""
        if key not in self._findings:
            if len(self._findings) >= self.kept:
                del self._findings[self._oldest_first.popleft()]
            self._oldest_first.append(key)
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


def _text_digest(msgid: str, msgstr: str) -> bytes:
    """What stands for an entry's texts in ``FindingsMemo``: a digest, so that the memo does not keep every text of
    the library alive."""
    both = msgid.encode("utf-8", "surrogatepass") + b"\0" + msgstr.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(both, digest_size=16).digest()


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
        markers = entry.markers
        key = (context_key, _text_digest(entry.msgid, entry.msgstr), entry.fuzzy, markers)
        findings = memo.get(key)
        if findings is None:
            found = check_entry(entry.msgid, entry.msgstr, entry_context, fuzzy=entry.fuzzy, flags=markers)
            findings = memo.keep(key, found)
        diagnostics += [
            Diagnostic(path, entry.line, f.severity, f.check, f.message, entry.msgid, f.waived) for f in findings
        ]
    return diagnostics
