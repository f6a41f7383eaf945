"""Waivers, bound to the text they waive.

A reviewer waives one check on one entry with a translator comment line ``# ignore-numbers: reason`` (kept by
msgmerge and msgcat, which drop ``#,`` flags they do not know) or a flag ``#, ignore-numbers`` (Weblate's form;
its names for checks polyleaf calls otherwise, ``ignore-same``…, count too). A translator comment line
``keep: reason`` (or ``no-translate``) stands for the ``no-translate`` flag, for editors that cannot set flags.

A waiver is for one finding on one English sentence. ``polyleaf run`` binds each waiver not bound yet to both:
``# ignore-numbers (for 3f2a9c1b, finding 0c4d1e2f): reason`` carries the short hash of the English and of what
the check found when the waiver was given. When either changes, the waiver no longer applies: its check counts
again and a ``waiver`` warning says why. Until the next run binds it, a waiver applies to the entry as it is; on
an entry whose English changed since its translation (fuzzy, with ``#| msgid``) it is bound to that previous
English, so it never carries over to the new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field

from polyleaf.pocomments import short_hash, unwrapped

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
# ``ignore-numbers (for 3f2a9c1b, finding 0c4d1e2f): reason``.
_COMMENT_MARKER = re.compile(
    r"\s*(?P<word>keep|no-translate|ignore-[\w-]+)\s*"
    r"(?:\(for (?P<english>[0-9a-f]{8}), finding (?P<finding>[0-9a-f]{8})\))?\s*(?::|$)",
    re.IGNORECASE,
)
# The start of a bound waiver whose line an editor wrapped before its ``)`` (a narrow one, after ``ignore-``).
_WRAPPED_WAIVER = re.compile(r"\s*ignore-", re.IGNORECASE)
# The most lines a narrow editor breaks a bound waiver's ``ignore-name (for …, finding …):`` into (a word a line).
_HEADER_WORDS = 12
# A waiver as QA's markers hold it: ``ignore-numbers`` (not bound yet) or ``ignore-numbers@3f2a9c1b:0c4d1e2f``.
_BOUND_MARKER = re.compile(r"ignore-(?P<name>[\w-]+)@(?P<english>[0-9a-f]{8}):(?P<finding>[0-9a-f]{8})")


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
    english: str | None  # the binding, for a bound waiver
    finding: str | None
    line: int  # where it starts among the comment lines, and how many it spans
    lines: int = 1


def _comment_markers(lines: Sequence[str]) -> Iterator[_CommentMarker]:
    """The markers written as translator comment lines (a bound waiver wrapped by an editor is read whole)."""
    index = 0
    while index < len(lines):
        match = _COMMENT_MARKER.match(lines[index])
        count = 1
        if (match is None or match["english"] is None) and _WRAPPED_WAIVER.match(lines[index]):
            found = unwrapped(lines, index, _bound_waiver, _HEADER_WORDS)  # "ignore-dnt" alone: wrapped, or not
            match, count = found if found is not None else (match, 1)
        if match is not None:
            yield _CommentMarker(match["word"].lower(), match["english"], match["finding"], index, count)
        index += count


def _bound_waiver(text: str) -> re.Match[str] | None:
    match = _COMMENT_MARKER.match(text)
    return match if match is not None and match["english"] is not None else None


def markers_of(flags: Collection[str], translator_comment: str) -> frozenset[str]:
    """The flags that steer QA: the entry's flags and those written as translator comment lines.

    A flag ``ignore-<check>`` is left out when a comment line waives that check too: once bound, the comment is
    the waiver (editors and msgmerge carry flags over to a changed sentence; the binding says it is not for it).
    """
    if not translator_comment:
        return frozenset(flags)
    written: set[str] = set()
    commented: set[str] = set()
    for marker in _comment_markers(translator_comment.splitlines()):
        waiver = marker.word.startswith(WAIVER_PREFIX)
        if marker.word == "keep":
            written.add(NO_TRANSLATE)
        elif waiver and marker.english is not None:
            written.add(f"{marker.word}@{marker.english}:{marker.finding}")
        else:
            written.add(marker.word)
        if waiver:
            commented.add(check_waived(marker.word))
    written.update(flag for flag in flags if not (flag.startswith(WAIVER_PREFIX) and check_waived(flag) in commented))
    return frozenset(written)


@dataclass(frozen=True, slots=True)
class Waivers:
    """An entry's waivers, from its markers: the checks waived by a waiver not bound yet, and the bindings of the
    others (English hash, finding hash) by check."""

    fresh: frozenset[str] = frozenset()
    bound: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, markers: Collection[str]) -> Waivers:
        fresh: set[str] = set()
        bound: dict[str, tuple[tuple[str, str], ...]] = {}
        for marker in markers:
            match = _BOUND_MARKER.fullmatch(marker)
            if match is not None:
                check = check_waived(match["name"])
                bound[check] = (*bound.get(check, ()), (match["english"], match["finding"]))
            elif marker.startswith(WAIVER_PREFIX):
                fresh.add(check_waived(marker))
        return cls(frozenset(fresh), bound)

    def verdict(self, check: str, english: str, messages: Sequence[str]) -> bool | str:
        """True when a waiver of ``check`` applies to ``messages`` found in ``english``; False when there is none;
        else why the check's waiver no longer applies."""
        if check in self.fresh:
            return True
        bindings = self.bound.get(check)
        if not bindings:
            return False
        english_hash = short_hash(english)
        if all(given != english_hash for given, _finding in bindings):
            return "the English changed since it was given"
        if (english_hash, finding_hash(messages)) in bindings:
            return True
        return "what the check finds changed since it was given"


def bind(
    comments: Sequence[str], flags: Collection[str], english: str, findings: Callable[[str], Sequence[str]]
) -> tuple[str, ...] | None:
    """The translator comments with each waiver not bound yet bound to ``english`` and to what its check finds now
    (``findings(check)``): a comment line gets its binding in place, a flag without a comment line gets a line.
    None when there is nothing to bind."""
    lines = [line for comment in comments for line in comment.split("\n")]
    commented: set[str] = set()
    changed = False
    for marker in list(_comment_markers(lines)):
        if not marker.word.startswith(WAIVER_PREFIX):
            continue
        commented.add(check_waived(marker.word))
        if marker.english is None:
            line = lines[marker.line]
            match = _COMMENT_MARKER.match(line)
            assert match is not None
            binding = _binding(english, findings(check_waived(marker.word)))
            lines[marker.line] = f"{line[: match.end('word')]} {binding}{line[match.end('word') :].lstrip()}"
            changed = True
    for flag in sorted(flags):
        check = check_waived(flag)
        if flag.startswith(WAIVER_PREFIX) and check not in commented:
            lines.append(f"{flag} {_binding(english, findings(check))}")
            commented.add(check)
            changed = True
    return tuple(lines) if changed else None


def _binding(english: str, messages: Sequence[str]) -> str:
    return f"(for {short_hash(english)}, finding {finding_hash(messages)})"
