"""Content checks: quantities (numbers, units, roles), markup, placeholders, terms, URLs, acronyms, completeness.

Each is a plain function ``(source, target, context) -> list[str]`` returning one message per problem.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from polyleaf.locale import script
from polyleaf.qa import unit_vocabulary, vocabulary
from polyleaf.qa.model import CheckContext
from polyleaf.qa.quantities import ROLE_NAMES, Quantity, compared
from polyleaf.qa.quantity_words import unit_words
from polyleaf.qa.text import URL, base_language, plain, urls
from polyleaf.source.inline_structure import InlineShape, literal_runs, may_have_urls, paired_like, shape
from polyleaf.source.structure import added_structure
from polyleaf.terms import mentions, term_pattern

# --- quantities -------------------------------------------------------------------------------------------


#: The comparison the quantity checks read last, and whether its quantities may differ: the three checks of an
#: entry read the same one (``compared`` keeps it), and ``_may_differ`` costs as much as one check's pairing.
_LAST_READ: list[Any] = [None, True]


def _read(source: str, target: str, context: CheckContext) -> tuple[tuple[Quantity, ...], tuple[Quantity, ...], bool]:
    """The quantities of source and translation, times of day left out (``quantities.compared``), and whether they
    may differ (``_may_differ``)."""
    comparison = compared(source, target, context.source_language, context.target_language)
    if _LAST_READ[0] is not comparison:
        _LAST_READ[:] = [comparison, _may_differ(comparison.source, comparison.target)]
    return comparison.source, comparison.target, _LAST_READ[1]


def _may_differ(numbers: tuple[Quantity, ...], others: tuple[Quantity, ...]) -> bool:
    """False when the translation has the source's quantities in the source's order, each with its value, unit and
    role, but for the word "one" (optional: "a day"), which neither text has with a value and unit the other has
    (most entries): each number then pairs with its counterpart — the first quantity left that fits, in order —, a
    "one" with none, and the three quantity checks have nothing to report, without pairing them one by one."""
    kept, kept_others = [q for q in numbers if not q.optional], [q for q in others if not q.optional]
    if len(kept) != len(kept_others):
        return True
    for a, b in zip(kept, kept_others, strict=True):
        if a.value != b.value or a.unit != b.unit or a.role != b.role:
            return True
    for ones, them in ((numbers, others), (others, numbers)):
        for one in ones:
            if one.optional:
                for other in them:
                    if other.value == one.value and _agree(one.unit, other.unit):
                        return True
    return False


def _agree(unit: str | None, other: str | None) -> bool:
    """Same unit, or loosely the same (a pill is a tablet or a capsule); a missing unit agrees with any."""
    if unit is None or other is None or unit == other:
        return True
    return other in unit_vocabulary.LOOSE.get(unit, ()) or unit in unit_vocabulary.LOOSE.get(other, ())


def _same_unit(unit: str | None, other: str | None) -> bool:
    return unit == other


def _written_alike(unit: str | None, other: str | None) -> bool:
    return other is not None and _agree(unit, other)


def _unsaid(unit: str | None, other: str | None) -> bool:
    return other is None


def _disagree(unit: str | None, other: str | None) -> bool:
    return not _agree(unit, other)


def _any_unit(unit: str | None, other: str | None) -> bool:
    return True


def _valued(number: Quantity, units: Callable[[str | None, str | None], bool]) -> Callable[[Quantity], bool]:
    """Whether another quantity has ``number``'s value and a unit that ``units`` accepts."""

    def fits(other: Quantity) -> bool:
        return other.value == number.value and units(number.unit, other.unit)

    return fits


def _take(available: list[Quantity], fits: Callable[[Quantity], bool]) -> Quantity | None:
    """Remove and return the first quantity of ``available`` that fits."""
    for index, quantity in enumerate(available):
        if fits(quantity):
            return available.pop(index)
    return None


def check_numbers(source: str, target: str, context: CheckContext) -> list[str]:
    """Every number of the source, by value, read with each language's digits, separators and number words."""
    numbers, others, differ = _read(source, target, context)
    if not differ:
        return []
    lost, added = _unmatched(numbers, others)
    messages = []
    for before, after in zip(lost, added, strict=False):
        hint = ""
        if before.text == after.text:  # "1,000" is one thousand in English and one in Spanish
            hint = f" ({after.text} reads as {after.value.normalize():f} in {context.target_language})"
        messages.append(f"{before.shown} → {after.shown}: a number differs{hint}")
    messages += [f"{n.shown}: missing in the translation" for n in lost[len(added) :]]
    messages += [f"{n.shown}: not in the source" for n in added[len(lost) :]]
    return messages


def _unmatched(numbers: tuple[Quantity, ...], others: tuple[Quantity, ...]) -> tuple[list[Quantity], list[Quantity]]:
    """The numbers of each side whose value has no counterpart on the other (multisets, a number paired with one of
    the same unit first), in text order; the word "one" (optional) is never reported."""
    available = list(others)
    by_value = [n for n in numbers if not _take(available, _valued(n, _same_unit))]
    lost = [n for n in by_value if not _take(available, _valued(n, _any_unit)) and not n.optional]
    return lost, [o for o in available if not o.optional]


def check_units(source: str, target: str, context: CheckContext) -> list[str]:
    """A number keeps what it counts: mg stays mg, and "2 tablets every 6 hours" does not become "6 tablets every
    2 hours". A measure (mg, ml, %) must be written; a counted noun may be left implicit. The word "a" (one) and
    "between doses" (two) may stand for other words ("If you forget a dose" → "如漏服一次")."""
    numbers, others, differ = _read(source, target, context)
    if not differ:
        return []
    available = list(others)
    pending = [
        number
        for number in numbers
        if number.unit and not _take(available, _valued(number, _written_alike)) and not number.optional
    ]
    messages, conflicts = [], []
    for number in pending:
        if _take(available, _valued(number, _unsaid)):  # "1 miếng" for "1 patch": left implicit, not another
            if unit_vocabulary.KINDS[str(number.unit)] == "measure":
                messages.append(f"{number.shown}: the unit {number.unit} is missing in the translation")
        elif other := _take(available, _valued(number, _disagree)):
            conflicts.append((number, other))
    return messages + _pairs_of(conflicts, _units_swapped, lambda s, t: f"{s.shown} → {t.shown}: a unit differs")


def _units_swapped(first: tuple[Quantity, Quantity], second: tuple[Quantity, Quantity]) -> str:
    (a, ta), (b, tb) = first, second
    if not (_agree(a.unit, tb.unit) and _agree(b.unit, ta.unit)):
        return ""
    shown = ", ".join(t.shown for t in sorted((ta, tb), key=lambda t: t.start))
    return f"{a.shown}, {b.shown} → {shown}: the numbers of {a.unit} and {b.unit} are swapped"


def check_quantities(source: str, target: str, context: CheckContext) -> list[str]:
    """A number keeps its role: range ends in order, lower and upper bounds and starting doses not swapped, and a
    bound given in words not dropped ("do not take more than 8 tablets" → "take 8 tablets")."""
    numbers, others, differ = _read(source, target, context)
    if not differ:
        return []
    available = list(others)
    same = [n for n in numbers if not _take(available, _fits(n, exact_role=True))]
    messages, unsure = [], []
    # Only a language whose bound words QA knows can be told to have dropped one (Nepali ४ भन्दा बढी is a bound too).
    reads_bounds = base_language(context.target_language) in vocabulary.CUES
    for number in same:
        other = _take(available, _fits(number, exact_role=False))
        if other is None:
            unsure.append(number)
        elif reads_bounds and number.worded and number.role in _BOUNDS and not other.role:
            messages.append(f"{number.shown}: {ROLE_NAMES[number.role]} in the source, not in the translation")
    conflicts = []
    for number in unsure:
        if number.role and (other := _take(available, _valued(number, _agree))):
            conflicts.append((number, other))
    return messages + _pairs_of(conflicts, _roles_swapped, _role_changed)


_BOUNDS = frozenset({"min", "max", "bound"})


def _roles_agree(role: str, other: str) -> bool:
    """The same role, or a bound that may go either way ("ne convient pas aux enfants de plus de 12 ans") and a
    bound."""
    return role == other or ("bound" in {role, other} and {role, other} <= _BOUNDS)


def _fits(number: Quantity, *, exact_role: bool) -> Callable[[Quantity], bool]:
    def fits(other: Quantity) -> bool:
        role = _roles_agree(number.role, other.role) if exact_role else not (other.role and number.role)
        return role and other.value == number.value and _agree(number.unit, other.unit)

    return fits


def _roles_swapped(first: tuple[Quantity, Quantity], second: tuple[Quantity, Quantity]) -> str:
    (a, ta), (b, tb) = first, second
    if (a.role, b.role) != (tb.role, ta.role):
        return ""
    if {a.role, b.role} == {"min", "max"}:
        low, high = sorted((ta, tb), key=lambda t: t.start)
        return f"{a.shown}–{b.shown} → {low.shown}–{high.shown}: the range is reversed"
    return (
        f"{a.shown}, {b.shown}: {ROLE_NAMES[a.role]} and {ROLE_NAMES[b.role]} in the source, swapped in the translation"
    )


def _role_changed(number: Quantity, other: Quantity) -> str:
    return f"{number.shown}: {ROLE_NAMES[number.role]} in the source, {ROLE_NAMES[other.role]} in the translation"


Pair = tuple[Quantity, Quantity]


def _pairs_of(
    conflicts: list[Pair], swapped: Callable[[Pair, Pair], str], single: Callable[[Quantity, Quantity], str]
) -> list[str]:
    """One message per conflict, two conflicts that mirror each other (a swap) in one message."""
    messages, used = [], set()
    for index, conflict in enumerate(conflicts):
        if index in used:
            continue
        for later in range(index + 1, len(conflicts)):
            if later not in used and (message := swapped(conflict, conflicts[later])):
                messages.append(message)
                used.add(later)
                break
        else:
            messages.append(single(*conflict))
    return messages


# --- markup, placeholders, terms, URLs, acronyms ----------------------------------------------------------

_MARKUP_CHARACTERS = re.compile(r"[*_~`\[\]<>]|://|www\.|@")

#: The constructs delimiter runs make, and the characters of the leftover runs that explain a missing one.
_MARKERS = {"**": "*_", "*": "*_", "~~": "~", "`": "`"}


def check_markup(source: str, target: str, context: CheckContext) -> list[str]:
    """Inline markup renders as the source's does: as many bold, italic, struck-through and code spans (two
    markers each), links (to the same targets and reference labels), images and footnote references (with the
    same labels) — no delimiter or bracket is printed as characters, and no raw HTML is added. The translation is
    read as the leaflets render it (``paired_like``), so ``**警告：**如果`` is bold, while ``** 警告**`` prints
    its asterisks. A bracket nothing pairs is an error: next to a neighbouring sentence's it could make a link."""
    if not (_MARKUP_CHARACTERS.search(source) or _MARKUP_CHARACTERS.search(target)):
        return []
    expected, shown = shape(source), shape(paired_like(source, target))
    literal = literal_runs(shown, expected)
    messages = [_printed(run) for run in literal]
    messages += [
        f"{marker}: {2 * expected.count(marker)} in the source, {2 * shown.count(marker)} in the translation"
        for marker, characters in _MARKERS.items()
        if expected.count(marker) != shown.count(marker) and not any(run[0] in characters for run in literal)
    ]
    for name, before, after in (
        ("links", expected.links, shown.links),
        ("images", expected.images, shown.images),
        ("footnote references", expected.footnotes, shown.footnotes),
    ):
        if len(before) != len(after):
            messages.append(f"{name}: {len(before)} in the source, {len(after)} in the translation")
    messages += _targets(expected, shown)
    tags = Counter(shown.tags) - Counter(expected.tags)
    if tags:
        messages.append(f"raw HTML not in the source: {', '.join(tags.elements())} (written as text in the leaflets)")
    return messages


def _printed(run: str) -> str:
    if run in "[]":
        return (
            f"{run}: printed as characters: no bracket pairs it, and next to a neighbouring sentence's it could make "
            f"a link (write \\{run} for a bracket)"
        )
    return f"{run}: printed as characters: nothing pairs it (a space just inside it, or its other half missing)"


def _targets(expected: InlineShape, shown: InlineShape) -> list[str]:
    """Link targets (``[label]`` for a reference link) and footnote labels the translation changed or added."""
    lost, added = _difference(expected.links, shown.links)
    messages = [f"link to {url}: missing or changed in the translation" for url in lost]
    if len(shown.links) > len(expected.links):
        hint = " (a reference link; write \\[ and \\] for brackets)"
        messages += [f"link to {url}: not in the source{hint if url.startswith('[') else ''}" for url in added]
    if len(expected.footnotes) == len(shown.footnotes):
        lost, added = _difference(expected.footnotes, shown.footnotes)
        messages += [
            f"footnote [^{label}]: missing or changed in the translation (it refers to [^{other}])"
            for label, other in zip(lost, added, strict=False)
        ]
    return messages


def _difference(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """What ``before`` has that ``after`` has not, and the other way round (multisets)."""
    return list((Counter(before) - Counter(after)).elements()), list((Counter(after) - Counter(before)).elements())


def check_placeholders(source: str, target: str, context: CheckContext) -> list[str]:
    """Machine translation lost a placeholder: the markup or term it stood for may be missing or misplaced."""
    return [f"{p}: placeholder lost in machine translation" for p in context.lost_placeholders]


def check_dnt(source: str, target: str, context: CheckContext) -> list[str]:
    """Do-not-translate terms (drug and brand names, acronyms) of the source appear verbatim in the target."""
    return [
        f"{term}: do-not-translate term missing or changed"
        for term in context.dnt_terms
        if mentions(source, term) and not mentions(target, term)
    ]


def check_glossary(source: str, target: str, context: CheckContext) -> list[str]:
    """A glossary term of the source is translated with its required translation (case-insensitive)."""
    return [
        f"{term}: the glossary requires “{required}”"
        for term, required in context.required_terms.items()
        if mentions(source, term) and required.casefold() not in target.casefold()
    ]


def check_urls(source: str, target: str, context: CheckContext) -> list[str]:
    """URLs and e-mail addresses of the source appear unchanged in the translation, and the leaflets link the
    same addresses: read as they show it, a URL glued to the next word (as Chinese is written) is bounded where
    the source's ends; one that still runs on into the words after it, or one the source does not have, is
    reported."""
    if not (_may_link(source) or _may_link(target)):
        return []
    paired = paired_like(source, target)
    missing = Counter(urls(source)) - Counter(urls(paired))
    messages = [f"{url}: missing or changed in the translation" for url in missing.elements()]
    may_link = any("[" in text or "<" in text or may_have_urls(text) for text in (source, paired))
    lost, added = _difference(shape(source).urls, shape(paired).urls) if may_link else ([], [])
    reported = set(missing)
    for index, href in enumerate(lost):
        shown = _address(href)
        if shown not in reported:
            instead = f" (the leaflet links {_address(added[index])})" if index < len(added) else ""
            messages.append(f"{shown}: missing or changed in the translation{instead}")
    messages += [f"{_address(href)}: not in the source (the leaflet links it)" for href in added[len(lost) :]]
    return messages


def _may_link(text: str) -> bool:
    """Whether ``text`` may have a URL, an e-mail address or a link; if neither text of an entry has, the markup
    pairing of the translation (``paired_like``) adds none, and ``check_urls`` has nothing to compare."""
    return "[" in text or "<" in text or may_have_urls(text)


def _address(href: str) -> str:
    """A link target as a reader would write it (``www.x.org``, ``name@host``, unescaped)."""
    href = href.removeprefix("mailto:")
    return unquote(href.removeprefix("http://") if href.startswith("http://www.") else href)


_BRACKETED = re.compile(r"[(（\[［【]([^()（）\[\]［］【】]*)[)）\]］】]")
_ACRONYM = re.compile(r"(?<!\w)[A-Z][A-Z0-9]*[A-Z](?:-\d+)?s?(?!\w)")


def check_acronyms(source: str, target: str, context: CheckContext) -> list[str]:
    """An acronym the source gives in brackets, "low back pain (LBP)", keeps its brackets: the reader learns it
    there. The acronym may be localized ("(AINE)" for "(NSAID)"), but the bracketed group may not go."""
    groups = [match for match in _BRACKETED.finditer(source) if _ACRONYM.search(match.group(1))]
    if not groups:
        return []
    target_groups = [match.group(1) for match in _BRACKETED.finditer(target)]
    messages, missing = [], []
    for group in groups:
        acronyms = _ACRONYM.findall(group.group(1))
        kept = next((inner for inner in target_groups if any(mentions(inner, a) for a in acronyms)), None)
        if kept is not None:
            target_groups.remove(kept)
        elif loose := next((a for a in acronyms if mentions(target, a)), None):
            messages.append(f"{group.group()} → {loose}: the brackets around the acronym are lost")
        else:
            missing.append(group.group())
    messages += [
        f"{group}: the bracketed acronym is missing in the translation" for group in missing[len(target_groups) :]
    ]
    return messages


# --- completeness -----------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _needs_translation(source: str, context: CheckContext) -> bool:
    """False when the source is only terms kept as they are, numbers, punctuation, or one short word/acronym."""
    text = URL.sub(" ", plain(source))
    kept = [*context.dnt_terms, *(t for t, r in context.required_terms.items() if t.casefold() == r.casefold())]
    pattern = term_pattern(kept)
    if pattern is not None:
        text = pattern.sub(" ", text)
    units = unit_words(context.source_language)
    words = [word for word in _WORD.findall(text) if word.casefold() not in units]
    return len(words) > 1 or any(len(word) > 4 and not word.isupper() for word in words)


def check_untranslated(source: str, target: str, context: CheckContext) -> list[str]:
    """The translation is a copy of the source: not reviewed, unless the entry is marked to stay as it is."""
    same = target.strip() == source.strip() and _needs_translation(source, context)
    return ["the translation is identical to the source"] if same else []


def check_structure(source: str, target: str, context: CheckContext) -> list[str]:
    """A translation adds no block structure its source segment has not: a line break, or a leading ``#``, ``>``,
    ``-``, ``<tag>``… would turn part of it into a paragraph, heading, list or raw HTML of its own."""
    return added_structure(source, target)


def check_empty(source: str, target: str, context: CheckContext) -> list[str]:
    """The translation is only whitespace: a build would print a blank line instead of the text."""
    return ["the translation is empty (whitespace only)"] if source.strip() and not target.strip() else []


_LENGTH_FACTORS = {"Hans": 0.45, "Hant": 0.45, "Jpan": 0.55, "Kore": 0.6}
_MIN_LENGTH = 20


def check_length(source: str, target: str, context: CheckContext) -> list[str]:
    """The translation is far shorter or longer than the language pair's norm: a sentence may be dropped or added."""
    if len(source.strip()) < _MIN_LENGTH:
        return []
    target_factor = _LENGTH_FACTORS.get(script(context.target_language), 1.0)
    expected = target_factor / _LENGTH_FACTORS.get(script(context.source_language), 1.0)
    ratio = len(target.strip()) / len(source.strip())
    if expected / 3 <= ratio <= expected * 3:
        return []
    return [f"the translation is {ratio:.0%} of the source length (about {expected:.0%} expected)"]
