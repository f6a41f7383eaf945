"""QA notes in PO files: a translator comment polyleaf writes for a QA finding on an entry, and how one is read
back whole after a tool wrapped it, so that a translator's own ``qa:`` line is never taken for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from polyleaf.po import pofile
from polyleaf.po.pocomments import joined_to, wrapped_alike

#: A translator comment polyleaf writes for a QA finding on the entry (``# qa: 2 → 3: a number differs [numbers]``),
#: shown by Poedit, Lokalize and Weblate, and removed when the finding is resolved. A translator comment, not an
#: extracted one (``#.``): msgmerge (Weblate's add-on too) takes extracted comments from the template and would drop
#: the notes at every merge, while every tool keeps translator comments. A note ends with its check's id in brackets,
#: so that one a tool wrapped over several lines is known whole even when it no longer holds.
QA_NOTE = "qa:"
_NOTE_END = re.compile(r"\[(?P<check>[a-z][a-z0-9-]*)\]\s*$")
#: A note is looked for over at most this many lines (a narrow editor breaks a long note into a word a line).
_NOTE_LINES = 60


def note_comment(note: str) -> str:
    """The translator comment line of a QA note (on one line: a tool may wrap it, never polyleaf)."""
    return pofile.safe_comment(f"{QA_NOTE} {' '.join(note.splitlines())}")


def split_notes(comments: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Translator comments without polyleaf's QA notes — what a translator wrote, polyleaf's provenance and waivers,
    for QA to read (a line of a wrapped note is never taken for a waiver) — and the notes' lines."""
    kept, _found, notes = without_notes(comments, ())
    return tuple(kept), tuple(notes)


def notes_as_breaks(comments: Sequence[str]) -> tuple[list[str], dict[int, tuple[str, ...]]]:
    """The translator comments as QA reads its markers (waivers) from them: each QA note, all the lines a tool
    wrapped it into, is one empty line — a note is a comment of its own, so the line after it starts one, as after
    a blank line (``qa.waivers``) —, and the lines of each note by the index of the empty line standing for it."""
    if not _any_note(comments):  # most entries: QA reads a library's in turn
        return list(comments), {}
    lines: list[str] = []
    notes: dict[int, tuple[str, ...]] = {}
    index = 0
    for start, count, _note in _note_spans(comments, ()):
        lines += comments[index:start]
        notes[len(lines)] = tuple(comments[start : start + count])
        lines.append("")
        index = start + count
    return [*lines, *comments[index:]], notes


def without_notes(comments: Sequence[str], wanted: Sequence[str]) -> tuple[list[str], set[str], list[str]]:
    """The comments without QA notes but those in ``wanted`` (each kept once, as written), the wanted notes found,
    and the lines left out."""
    if not _any_note(comments):
        return list(comments), set(), []
    kept: list[str] = []
    found: set[str] = set()
    dropped: list[str] = []
    index = 0
    for start, count, note in _note_spans(comments, wanted):
        kept += comments[index:start]
        (kept if note is not None and note not in found else dropped).extend(comments[start : start + count])
        found.update([note] if note is not None else [])
        index = start + count
    return [*kept, *comments[index:]], found, dropped


def _any_note(comments: Sequence[str]) -> bool:
    """Whether a line of ``comments`` starts as a QA note does."""
    return any(line.startswith(QA_NOTE) for line in comments)


def _note_spans(comments: Sequence[str], wanted: Sequence[str]) -> Iterator[tuple[int, int, str | None]]:
    """(first line, number of lines, the note of ``wanted`` it says or None) of each QA note among ``comments``.
    A wanted note is read whole as a tool wrapped it; any other is a note only when its lines are provably one that
    polyleaf wrote (``_stale_note_lines``): a ``qa:`` line a translator edited or answered on is theirs."""
    index = 0
    while index < len(comments):
        if not comments[index].startswith(QA_NOTE):
            index += 1
            continue
        note, count = next(
            ((note, count) for note in wanted if (count := joined_to(comments, index, note)) is not None),
            (None, _stale_note_lines(comments, index)),
        )
        if count:
            yield index, count, note
        index += max(count, 1)


def _stale_note_lines(comments: Sequence[str], start: int) -> int:
    """How many lines from ``start`` are a note polyleaf wrote that no longer holds, as a tool may have wrapped it:
    lines up to the first that ends with a registered check's id (``[numbers]``), broken where a tool that wraps
    comments breaks one line (``pocomments.wrapped_alike``). 0 when they are not: then they are a translator's."""
    for index in range(start, min(len(comments), start + _NOTE_LINES)):
        if index > start and comments[index].startswith(QA_NOTE):
            break
        end = _NOTE_END.search(comments[index])
        if end is not None:
            lines = comments[start : index + 1]
            return len(lines) if end["check"] in _note_checks() and wrapped_alike(lines) else 0
    return 0


@cache
def _note_checks() -> frozenset[str]:
    """The ids a QA note can end with: the registered checks' (QA is imported when a note is first read)."""
    from polyleaf.qa.registry import CHECKS
    from polyleaf.qa.waivers import WAIVER_CHECK

    return frozenset({check.id for check in CHECKS} | {WAIVER_CHECK})
