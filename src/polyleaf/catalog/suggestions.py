"""Suggestion comments: the machine translation (or imported translation) of a *changed* entry's current English,
kept as a translator comment beside the old translation it may replace, and read back whole after an editor wrapped it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from polyleaf.po.pocomments import short_hash, unwrapped
from polyleaf.po.pofile import Message

#: A translator comment holding the machine translation of a *changed* entry's current English (its msgstr still
#: translates the previous English): ``# mt-suggestion (argos en-es 1.0, for 3f2a9c1b, text 9e8d7c6b): <text>``.
#: It is bound to the English it translates by a hash, so it is never shown for English it was not made for; the
#: hash of its text lets it be read back whole after an editor wrapped it over several lines (``pocomments``).
SUGGESTION_COMMENT = "mt-suggestion"
#: The same for a translation imported as a suggestion (``polyleaf import``) into an entry that has text already — a
#: translator's or a machine's, which an import never replaces: ``# tm-suggestion (tm: imported from es.tmx, for
#: 3f2a9c1b, text 9e8d7c6b): <text>``. A draft shows it for a changed entry as it shows a machine suggestion.
TM_SUGGESTION = "tm-suggestion"
_SUGGESTION_STARTS = (f"{SUGGESTION_COMMENT} (", f"{TM_SUGGESTION} (")
_SUGGESTION = re.compile(
    r"(?:mt|tm)-suggestion \((?P<provenance>.{0,300}?), for (?P<english>[0-9a-f]{8}), text (?P<hash>[0-9a-f]{8})\): ",
    re.DOTALL,
)
#: What polyleaf wrote before the text had a hash: read when nothing follows it (so nothing can have been wrapped
#: off it), else made again.
_UNCHECKED_SUGGESTION = re.compile(
    r"mt-suggestion \((?P<provenance>.{0,300}?), for (?P<english>[0-9a-f]{8})\): ", re.DOTALL
)


def suggestion_comment(msgid: str, provenance: str, text: str, kind: str = SUGGESTION_COMMENT) -> str:
    return f"{kind} ({provenance}, for {short_hash(msgid)}, text {short_hash(text)}): {text}"


def suggestion_of(message: Message) -> str | None:
    """The machine translation (or imported suggestion) a changed entry carries for its current English (None:
    none, a stale one, or one that cannot be read back whole: then it is made again)."""
    return next(iter(suggestions_for(message.comments, message.msgid)), None)


def suggestions_for(comments: Sequence[str], english: str, kind: str | None = None) -> list[str]:
    """The texts of the suggestion comments (of ``kind``: mt- or tm-suggestion, None: both) for ``english``."""
    wanted = short_hash(english)
    return [
        found.text
        for found in _suggestions(comments)
        if found.english == wanted and (kind is None or found.kind == kind)
    ]


def without_suggestions(
    comments: Sequence[str], text: str | None = None, *, kind: str | None = None, english: str | None = None
) -> tuple[str, ...]:
    """``comments`` without their suggestion comments (of ``kind`` only, for ``english`` only, when given), every
    line of each (``text``: the suggestion about to replace them, so that an old one without a hash, wrapped by an
    editor, is recognised whole if it says the same)."""
    wanted = short_hash(english) if english is not None else None
    found = [
        item
        for item in _suggestions(comments, text)
        if (kind is None or item.kind == kind) and (wanted is None or item.english == wanted)
    ]
    dropped = {index for item in found for index in range(item.start, item.start + item.lines)}
    return tuple(comment for index, comment in enumerate(comments) if index not in dropped)


@dataclass(frozen=True, slots=True)
class _Suggestion:
    """A suggestion comment as read: its kind (mt- or tm-suggestion), the hash of its English, its text, and the
    comment lines it spans."""

    kind: str
    english: str
    text: str
    start: int
    lines: int


def _suggestions(comments: Sequence[str], same_as: str | None = None) -> list[_Suggestion]:
    """Every suggestion comment among a message's translator comments, read back whole; one that cannot be read
    whole is listed as its first line only, with no text."""
    found: list[_Suggestion] = []
    index = 0
    while index < len(comments):
        start = comments[index]
        kind = next((kind for kind in _SUGGESTION_STARTS if start.startswith(kind) or _broken_in(start, kind)), "")
        if not kind:
            index += 1  # not one, nor one a narrow editor broke inside its first words ("mt-", "mt-suggestion")
            continue
        read = unwrapped(comments, index, lambda text: _read_suggestion(text, same_as))
        if read is None and index == len(comments) - 1:
            unchecked = _UNCHECKED_SUGGESTION.match(start)
            read = ((unchecked["english"], start[unchecked.end() :]), 1) if unchecked else None
        (english, text), lines = read or (("", ""), 1)
        found.append(_Suggestion(kind.removesuffix(" ("), english, text, index, lines))
        index += lines
    return found


def _broken_in(line: str, start: str) -> bool:
    """Whether ``line`` is the beginning of ``start`` a narrow editor broke off (``mt-``, ``mt-suggestion``)."""
    return len(line) > 2 and start.startswith(line)


def _read_suggestion(comment: str, same_as: str | None) -> tuple[str, str] | None:
    """(English hash, text) of a whole suggestion comment: its text's hash verifies (or, for one without a hash,
    the text is ``same_as``); None for a part."""
    match = _SUGGESTION.match(comment)
    if match is not None:
        text = comment[match.end() :]
        text = text[:-1] if text.endswith("\\ ") else text  # pofile.safe_comment's space after a final backslash
        return (match["english"], text) if short_hash(text) == match["hash"] else None
    unchecked = _UNCHECKED_SUGGESTION.match(comment) if same_as is not None else None
    return (
        (unchecked["english"], comment[unchecked.end() :])
        if unchecked and comment[unchecked.end() :] == same_as
        else None
    )
