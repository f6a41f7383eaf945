"""Waivers, bound to the text they waive.

A reviewer waives one check on one entry with a translator comment line ``# ignore-numbers: reason`` (kept by
msgmerge and msgcat, which drop ``#,`` flags they do not know) or a flag ``#, ignore-numbers`` (Weblate's form;
its names for checks polyleaf calls otherwise, ``ignore-same``…, count too). A translator comment line
``keep: reason`` (or ``no-translate``) stands for the ``no-translate`` flag, for editors that cannot set flags.

A waiver is for one finding on one translation of one English sentence. ``polyleaf run`` binds each waiver not
bound yet to all three: ``# ignore-numbers (for 3f2a9c1b, translation 5e0a7c12, finding 0c4d1e2f): reason``
carries the short hash of the English, of the translation and of what the check found when the waiver was given
(a finding may quote the English only — "the negation is missing" —, so the translation is bound as well). When
any of them changes, the waiver no longer applies: its check counts again and a ``waiver`` warning says why.
Until the next run binds it, a waiver applies to the entry as it is; on an entry whose English changed since its
translation (fuzzy, with ``#| msgid``) it is bound to that previous English, so it never carries over to the new
one. A binding of an older polyleaf (English and finding only) no longer applies: it does not say which
translation it was given for. Hashes are read in either case (an editor may have upper-cased them).

A marker written as a comment line must be unmistakable: editors that wrap comments (polib, Babel) can break a
reviewer's sentence "… please never use ignore-numbers: the dose must match" so that ``ignore-numbers:`` starts a
line. So a comment line counts as a marker only when it starts a comment of its own: it is the entry's first
comment line, or the line before it is blank, ends a sentence (``.``, ``!``, ``?``, ``…``, ``。``, ``؟``…), is a
marker itself, is polyleaf's provenance (``mt:``, ``tm:``) or stood before a QA note. A marker line that
continues the line before it is not one; when its check finds something, a ``waiver`` warning says why the
finding is not waived. A bound waiver (its hashes make it unmistakable) counts wherever it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field

from polyleaf.po.pocomments import short_hash, unwrapped

#: The flag that says "this text stays as it is in English" (a brand name, a quoted title, an address).
NO_TRANSLATE = "no-translate"
#: ``ignore-<check>`` waives one check on one entry (Weblate's convention, e.g. ``#, ignore-numbers``).
WAIVER_PREFIX = "ignore-"
#: The id of the finding that says a waiver no longer applies.
WAIVER_CHECK = "waiver"

#: Weblate's names for checks polyleaf has under another name, so a PO edited there keeps its waivers.
_WEBLATE_NAMES = {
    "same": "untranslated",
    "end-stop": "punctuation",
    "end-question": "punctuation",
    "end-exclamation": "punctuation",
    "begin-space": "spaces",
    "end-space": "spaces",
    "double-space": "spaces",
}

# A translator comment line that counts as a flag: ``keep: reason``, ``ignore-numbers: reason``, or a bound waiver
# ``ignore-numbers (for 3f2a9c1b, translation 5e0a7c12, finding 0c4d1e2f): reason`` (an older polyleaf's binding has
# no translation).
_COMMENT_MARKER = re.compile(
    r"\s*(?P<word>keep|no-translate|ignore-[\w-]+)\s*"
    r"(?:\(for (?P<english>[0-9a-f]{8}),(?: translation (?P<translation>[0-9a-f]{8}),)? "
    r"finding (?P<finding>[0-9a-f]{8})\))?\s*(?::|$)",
    re.IGNORECASE,
)
# The start of a bound waiver whose line an editor wrapped before its ``)`` (a narrow one, after ``ignore-``).
_WRAPPED_WAIVER = re.compile(r"\s*ignore-", re.IGNORECASE)
# The most lines a narrow editor breaks a bound waiver's ``ignore-name (for …, finding …):`` into (a word a line).
_HEADER_WORDS = 14
# What ends a comment line that a marker line may follow: the end of a sentence (an editor wraps within one).
_SENTENCE_END = tuple(".!?…。！？؟")
# polyleaf's one-line provenance comments (``catalog.MT_COMMENT``, ``TM_COMMENT``): no reviewer's sentence.
_PROVENANCE = ("mt:", "tm:")
# A waiver as QA's markers hold it: ``ignore-numbers`` (not bound yet), ``ignore-numbers@3f2a9c1b:5e0a7c12:0c4d1e2f``
# (bound; an older binding has no translation hash: ``ignore-numbers@3f2a9c1b::0c4d1e2f``).
_BOUND_MARKER = re.compile(
    r"ignore-(?P<name>[\w-]+)@(?P<english>[0-9a-f]{8}):(?P<translation>[0-9a-f]{8})?:(?P<finding>[0-9a-f]{8})"
)
# A marker line that continues the comment line before it, as QA's markers hold it: ``?numbers`` (the check it
# would have waived; ``?untranslated`` for a ``keep:`` line).
_SUSPECT = "?"


def check_waived(word: str) -> str:
    """The check id a waiver names (``ignore-numbers`` → numbers; Weblate's ``ignore-same`` → untranslated)."""
    name = word.lower().removeprefix(WAIVER_PREFIX)
    return _WEBLATE_NAMES.get(name, name)


def finding_hash(messages: Sequence[str]) -> str:
    """What one check found in an entry, as a waiver records it."""
    return short_hash("\n".join(sorted(messages)))


@dataclass(frozen=True, slots=True)
class _CommentMarker:
    word: str  # as written, lower case: keep, no-translate, ignore-numbers
    english: str | None  # the binding, for a bound waiver (lower case)
    translation: str | None
    finding: str | None
    line: int  # where it starts among the comment lines, and how many it spans
    lines: int = 1
    #: It continues the comment line before it (a sentence an editor wrapped): not a marker.
    suspect: bool = False

    @property
    def check(self) -> str:
        """The check it steers: the one a waiver names; ``untranslated`` for ``keep``/``no-translate``."""
        return check_waived(self.word) if self.word.startswith(WAIVER_PREFIX) else "untranslated"


def _comment_markers(lines: Sequence[str]) -> Iterator[_CommentMarker]:
    """The markers written as translator comment lines (a bound waiver wrapped by an editor is read whole); an
    unbound one that continues the line before it is ``suspect``."""
    index = 0
    marker_lines: set[int] = set()
    while index < len(lines):
        match = _COMMENT_MARKER.match(lines[index])
        count = 1
        if (match is None or match["english"] is None) and _WRAPPED_WAIVER.match(lines[index]):
            found = unwrapped(lines, index, _bound_waiver, _HEADER_WORDS)  # "ignore-dnt" alone: wrapped, or not
            match, count = found if found is not None else (match, 1)
        if match is not None:
            english, translation, finding = (
                None if match[name] is None else match[name].lower() for name in ("english", "translation", "finding")
            )
            suspect = english is None and not _starts_comment(lines, index, marker_lines)
            marker_lines.update(range(index, index + count) if not suspect else ())
            yield _CommentMarker(match["word"].lower(), english, translation, finding, index, count, suspect)
        index += count


def _starts_comment(lines: Sequence[str], index: int, marker_lines: Collection[int]) -> bool:
    """Whether comment line ``index`` starts a comment of its own rather than continuing the one before it (see
    the module's docstring)."""
    if index == 0 or index - 1 in marker_lines:
        return True
    before = lines[index - 1].rstrip()
    return not before or before.endswith(_SENTENCE_END) or before.lstrip().startswith(_PROVENANCE)


def _bound_waiver(text: str) -> re.Match[str] | None:
    match = _COMMENT_MARKER.match(text)
    return match if match is not None and match["english"] is not None else None


def markers_of(flags: Collection[str], translator_comment: str) -> frozenset[str]:
    """The flags that steer QA: the entry's flags and those written as translator comment lines.

    A flag ``ignore-<check>`` is left out when a comment line waives that check too: once bound, the comment is
    the waiver (editors and msgmerge carry flags over to a changed sentence; the binding says it is not for it).
    A marker line that continues the line before it is held as ``?<check>`` (``Waivers.suspect``).
    """
    if not translator_comment:
        return frozenset(flags)
    written: set[str] = set()
    commented: set[str] = set()
    for marker in _comment_markers(translator_comment.splitlines()):
        waiver = marker.word.startswith(WAIVER_PREFIX)
        if marker.suspect:
            written.add(f"{_SUSPECT}{marker.check}")
            continue
        if marker.word == "keep":
            written.add(NO_TRANSLATE)
        elif waiver and marker.english is not None:
            written.add(f"{marker.word}@{marker.english}:{marker.translation or ''}:{marker.finding}")
        else:
            written.add(marker.word)
        if waiver:
            commented.add(marker.check)
    written.update(flag for flag in flags if not (flag.startswith(WAIVER_PREFIX) and check_waived(flag) in commented))
    found = frozenset(written)
    if len(_MARKER_SETS) >= 4096:
        _MARKER_SETS.clear()
    return _MARKER_SETS.setdefault(found, found)


#: Each set of markers ``markers_of`` made, as one object: a run holds the markers of every entry it checked (in
#: ``registry.FindingsMemo``), most of them the same few sets (``{"fuzzy"}``), and a frozenset made from a set is a
#: new one each time.
_MARKER_SETS: dict[frozenset[str], frozenset[str]] = {}


@dataclass(frozen=True, slots=True)
class Waivers:
    """An entry's waivers, from its markers: the checks waived by a waiver not bound yet, the bindings of the
    others (English, translation and finding hashes) by check, and the checks a marker line would have steered
    had it not continued the line before it."""

    fresh: frozenset[str] = frozenset()
    bound: dict[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)
    suspect: frozenset[str] = frozenset()

    @classmethod
    def of(cls, markers: Collection[str]) -> Waivers:
        fresh: set[str] = set()
        suspect: set[str] = set()
        bound: dict[str, tuple[tuple[str, str, str], ...]] = {}
        for marker in markers:
            match = _BOUND_MARKER.fullmatch(marker)
            if match is not None:
                check = check_waived(match["name"])
                binding = (match["english"], match["translation"] or "", match["finding"])
                bound[check] = (*bound.get(check, ()), binding)
            elif marker.startswith(WAIVER_PREFIX):
                fresh.add(check_waived(marker))
            elif marker.startswith(_SUSPECT):
                suspect.add(marker.removeprefix(_SUSPECT))
        return cls(frozenset(fresh), bound, frozenset(suspect))

    def __bool__(self) -> bool:
        return bool(self.fresh or self.bound or self.suspect)

    def verdict(self, check: str, english: str, translation: str, messages: Sequence[str]) -> bool | str:
        """True when a waiver of ``check`` applies to ``messages`` found in (``english``, ``translation``); False
        when there is none (or nothing to waive); else the warning that says why the finding is not waived."""
        if check in self.fresh:
            return True
        bindings = self.bound.get(check)
        if not bindings:
            if check in self.suspect and messages:
                return (
                    f"a comment line starting {_suspect_word(check)!r} continues the line before it (an editor may "
                    "have wrapped a sentence there), so it waives nothing; if it is a waiver, end the line before it "
                    "with a full stop or put the waiver on the first comment line"
                )
            return False
        wanted = (short_hash(english), short_hash(translation), finding_hash(messages))
        if wanted in bindings:
            return True
        if all(given[0] != wanted[0] for given in bindings):
            reason = "the English changed since it was given"
        elif all(given[:2] != wanted[:2] for given in bindings):
            older = all(not given[1] for given in bindings if given[0] == wanted[0])
            reason = (
                "it does not say which translation it was given for (bound by an older polyleaf)"
                if older
                else "the translation changed since it was given"
            )
        else:
            reason = "what the check finds changed since it was given"
        return f"waiver for {check} no longer applies: {reason}; if it still holds, write it again"


def _suspect_word(check: str) -> str:
    return "keep:" if check == "untranslated" else f"{WAIVER_PREFIX}{check}:"


def bind(
    comments: Sequence[str],
    flags: Collection[str],
    english: str,
    translation: str,
    findings: Callable[[str], Sequence[str]],
) -> tuple[str, ...] | None:
    """The translator comments with each waiver not bound yet bound to ``english``, ``translation`` and what its
    check finds now (``findings(check)``): a comment line gets its binding in place, a flag without a comment line
    gets a line (last). A marker line that continues the line before it is no waiver and is left as it is. None when
    there is nothing to bind."""
    lines = [line for comment in comments for line in comment.split("\n")]
    commented: set[str] = set()
    changed = False
    for marker in list(_comment_markers(lines)):
        if not marker.word.startswith(WAIVER_PREFIX) or marker.suspect:
            continue
        commented.add(marker.check)
        if marker.english is None:
            line = lines[marker.line]
            match = _COMMENT_MARKER.match(line)
            assert match is not None
            binding = _binding(english, translation, findings(marker.check))
            lines[marker.line] = f"{line[: match.end('word')]} {binding}{line[match.end('word') :].lstrip()}"
            changed = True
    for flag in sorted(flags):
        check = check_waived(flag)
        if flag.startswith(WAIVER_PREFIX) and check not in commented:
            lines.append(f"{flag} {_binding(english, translation, findings(check))}")
            commented.add(check)
            changed = True
    return tuple(lines) if changed else None


def _binding(english: str, translation: str, messages: Sequence[str]) -> str:
    return f"(for {short_hash(english)}, translation {short_hash(translation)}, finding {finding_hash(messages)})"
