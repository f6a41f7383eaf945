"""Finding a language's listed phrases in a text: the one matcher behind frequency words, times of day and negations.

A table is written as data (``schedule_vocabulary``, ``negation_vocabulary``): a value → forms separated by ``|``.
A form may end (or start) with ``*`` for any ending (or beginning) of its word; ``!`` before a form makes it an
exception that is matched and then ignored ("no obstante" is not a negation, "tối đa" not an evening), so it hides
the shorter forms it contains. The text is searched once, longest form first at each position, as whole words in
scripts that have word edges; Arabic forms also match behind a clitic (و، ف، ب، ل، ك).

Forms are grouped by their first two letters (first character in Chinese), so a text is only tried, at the word
starts where a form can begin, against those forms: one pattern of hundreds of alternatives tried at every position
is a hundred times slower. A small table is not searched at all in a text without a word of one of its forms. A
group's pattern is compiled the first time a text has a word start it serves: a process that checks a few edited
sentences compiles a few of a language's hundreds of groups, not all of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

_LETTER_AFTER = r"(?![^\W\d_])"
_SPACE = r"[\s\u00a0\u202f]+"
_CLITICS = "وفبلك"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A listed form found in a text; ``value`` is what the table gives it, ``tag`` the form's leading mark
    (``+``, ``~`` or ``>``: what the table's reader makes of it)."""

    value: str
    tag: str
    start: int
    end: int


def _fragment(form: str, *, edges: bool) -> str:
    core = form.strip("*")
    pattern = _SPACE.join(re.escape(word) for word in core.split(" "))
    if core.startswith("/"):  # "10 mg/kg", "10 mg / kg"
        pattern = r"/\s?" + pattern[1:]
    if form.startswith("*"):
        pattern = r"[^\W\d_]*" + pattern
    if form.endswith("*"):
        pattern += r"[^\W\d_]*"
    elif edges and core[-1:].isalpha():
        pattern += _LETTER_AFTER
    return pattern


class _Buckets(dict[str, "re.Pattern[str] | None"]):
    """First characters → their forms' pattern (None: no form begins with them), each compiled when first asked."""

    __slots__ = ("sources",)

    def __init__(self, sources: Mapping[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, key: str) -> re.Pattern[str] | None:
        source = self.sources.get(key)
        if source is None:  # not kept: a library's texts have tens of thousands of first characters no form has
            return None
        pattern = self[key] = re.compile(source)
        return pattern


@dataclass(frozen=True, slots=True)
class Table:
    """One language's forms, compiled by first character; each form is its own group, named after its index."""

    starts: re.Pattern[str] | None  # where a form may begin
    buckets: _Buckets  # first characters → the forms that begin with them
    anywhere: re.Pattern[str] | None  # forms that begin with ``*`` (any beginning of a word)
    anywhere_cores: tuple[str, ...]  # what the text must contain for one of them to be there
    forms: tuple[tuple[str | None, str], ...]  # group index → (value or None for an exception, tag)
    arabic: bool
    needles: tuple[str, ...] | None  # a small table: a word of each form, one of which the text must contain

    def find(self, lowered: str) -> list[Phrase]:
        """The phrases of ``lowered`` (the text in lower case), exceptions left out, in text order."""
        needles = self.needles
        if needles is not None:
            for needle in needles:
                if needle in lowered:
                    break
            else:
                return []
        matches = []
        if self.anywhere is not None and any(core in lowered for core in self.anywhere_cores):
            matches = list(self.anywhere.finditer(lowered))
        anywhere = bool(matches)
        if self.starts is not None:
            end = 0
            buckets, sources, arabic = self.buckets, self.buckets.sources, self.arabic
            for start in self.starts.finditer(lowered):
                position = start.start()
                if position < end:
                    continue
                # ``sources`` first: a pair of letters no form begins with is most of those a text has
                key = lowered[position : position + 2]
                bucket = buckets[key] if key in sources else None
                if bucket is None:
                    key = lowered[position]
                    bucket = buckets[key] if key in sources else None
                match = bucket.match(lowered, position) if bucket else None
                if match is None and arabic:
                    match = self._behind_clitics(lowered, position)
                if match:
                    matches.append(match)
                    end = match.end()
        if not matches:
            return []
        if anywhere and len(matches) > 1:  # those at word starts come in order, one after the other
            matches.sort(key=lambda match: (match.start(), -match.end()))
        found, end = [], 0
        forms = self.forms
        for match in matches:
            if match.start() < end:
                continue
            end = match.end()
            value, tag = forms[int(match.lastgroup[1:])]  # type: ignore[index]
            if value is not None:
                found.append(Phrase(value, tag, match.start(), end))
        return found

    def _behind_clitics(self, lowered: str, start: int) -> re.Match[str] | None:
        """A form behind one or two Arabic clitics at a word start (ولا، فلا، بال)."""
        for position in (start + 1, start + 2):
            if lowered[position - 1 : position] not in _CLITICS or position >= len(lowered):
                return None
            bucket = self._bucket(lowered, position)
            match = bucket.match(lowered, position) if bucket else None
            if match:
                return match
        return None

    def _bucket(self, lowered: str, position: int) -> re.Pattern[str] | None:
        """The forms that may begin at ``position``: those of its first two letters, else of its first character."""
        buckets, sources = self.buckets, self.buckets.sources
        key = lowered[position : position + 2]
        bucket = buckets[key] if key in sources else None
        if bucket is None:
            key = lowered[position]
            bucket = buckets[key] if key in sources else None
        return bucket


def compile_table(table: Mapping[str, str], *, edges: bool = True, arabic: bool = False) -> Table:
    """A ``Table`` from value → ``|``-separated forms (casefolded; an exception's value is ignored)."""
    entries: list[tuple[str, str | None, str]] = []
    for value, forms in table.items():
        for form in forms.split("|"):
            form = form.strip().casefold()
            tag = form[0] if form[:1] in "!+~>" and len(form) > 1 else ""
            form = form[len(tag) :]
            if form.strip("*"):
                entries.append((form, None if tag == "!" else value, "" if tag == "!" else tag))
    entries.sort(key=lambda entry: len(entry[0].strip("*")), reverse=True)
    keyed: dict[str, list[int]] = defaultdict(list)
    anywhere, cores = [], []
    for index, (form, _, _) in enumerate(entries):
        if form.startswith("*"):
            anywhere.append((r"(?<![^\W\d_])" if edges else "") + _group(index, form, edges=edges))
            cores.append(form.strip("*"))
        else:
            keyed[_key(form, edges=edges)].append(index)
    for key in [key for key in keyed if len(key) == 2]:  # a two-letter bucket holds its first letter's forms too
        keyed[key] = sorted(keyed[key] + keyed.get(key[0], []))
    buckets = _Buckets(
        {
            key: "|".join(_group(index, entries[index][0], edges=edges) for index in indexes)
            for key, indexes in keyed.items()
        }
    )
    return Table(
        _starts(set(keyed), edges=edges, arabic=arabic),
        buckets,
        re.compile("|".join(anywhere)) if anywhere else None,
        tuple(cores),
        tuple((value, tag) for _, value, tag in entries),
        arabic,
        _needles([form for form, value, _ in entries if value is not None], edges=edges),
    )


_FEW = 16  # needles a text is looked up for: more cost more than searching the table
_LETTERS = re.compile(r"[^\W\d_]+")


def _needles(forms: list[str], *, edges: bool) -> tuple[str, ...] | None:
    """The longest word of each form (the whole form without word edges), if they are few: a text that contains
    none of them has none of the forms, and a small table is looked up in most texts."""
    needles = set()
    for form in forms:
        core = form.strip("*")
        words = _LETTERS.findall(core) if edges else []
        needles.add(max(words, key=len) if words else core)
    return tuple(sorted(needles)) if len(needles) <= _FEW else None


def _group(index: int, form: str, *, edges: bool) -> str:
    return f"(?P<f{index}>{_fragment(form, edges=edges)})"


def _key(form: str, *, edges: bool) -> str:
    """What a form's bucket is found by: its first two letters where words have edges, else its first character."""
    return form[:2] if edges and len(form) > 1 and form[0].isalpha() and form[1].isalpha() else form[0]


def _starts(keys: set[str], *, edges: bool, arabic: bool) -> re.Pattern[str] | None:
    """Where a form of the table may begin: a word start with the first letters of one of its forms (or an Arabic
    clitic), or one of its other first characters anywhere."""
    if not keys:
        return None
    singles = {key for key in keys if len(key) == 1}
    letters = {key for key in singles if edges and key.isalpha()} | (set(_CLITICS) if arabic else set())
    seconds: dict[str, set[str]] = defaultdict(set)
    for key in keys - singles:
        if key[0] not in letters:
            seconds[key[0]].add(key[1])
    alternatives = [f"[{_chars(letters)}]"] if letters else []
    alternatives += [f"{re.escape(first)}(?=[{_chars(following)}])" for first, following in sorted(seconds.items())]
    words = [r"(?<![^\W\d_])(?:" + "|".join(alternatives) + ")"] if alternatives else []
    others = singles - letters
    return re.compile("|".join(words + ([f"[{_chars(others)}]"] if others else [])))


def _chars(chars: set[str]) -> str:
    return "".join(sorted(re.escape(char) for char in chars))
