"""Catalogs with gettext's semantics: templates, the msgmerge-style ``update``, fills, states and statistics.

The PO format itself (reading, writing, line breaking) is ``pofile``; templates are made by ``template`` and merged
into PO files by ``merge``; other modules see catalogs through plain
values (``TemplateEntry``, ``Translation``, ``EntryState``, ``CatalogStats``) and the ``Catalog`` wrapper.

States come from provenance, not from the presence of ``#|`` (lost in an XLIFF round trip): an entry is
*reviewed* (a translation without ``fuzzy``), *machine* (fuzzy, with a ``# mt:`` comment and no previous msgid),
*changed* (any other fuzzy translation: the old translation of different English, kept for the translator) or
*untranslated*. A plural entry's translation is its first form, as ``gettext()`` returns it.

The header fields polyleaf owns and keeps are described in ``poheader``; the translator comments polyleaf writes
for QA findings in ``notes``, those holding a changed entry's new machine translation in ``suggestions``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from polyleaf.catalog.notes import note_comment, without_notes
from polyleaf.catalog.suggestions import SUGGESTION_COMMENT, suggestion_comment, suggestion_of, without_suggestions
from polyleaf.clock import now
from polyleaf.errors import CatalogError
from polyleaf.fsio import read_regular
from polyleaf.po import pofile, poheader, poread
from polyleaf.po.pocomments import babel_previous
from polyleaf.po.pofile import Message, PoFile, header_field, set_header_field, with_flag

GENERATOR = poheader.GENERATOR
MT_COMMENT = "mt:"
TM_COMMENT = "tm:"
#: The header fields that hold dates: a file that differs from a catalog only in them is not written again.
DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")

State = Literal["reviewed", "machine", "changed", "untranslated"]


@dataclass(frozen=True, slots=True)
class TemplateEntry:
    """One msgid of a template, with where it comes from."""

    msgid: str
    references: tuple[tuple[str, int], ...]
    comments: tuple[str, ...]
    msgctxt: str | None = None


@dataclass(frozen=True, slots=True)
class Translation:
    """A non-empty translation; ``reviewed`` when no fuzzy flag, ``state`` says more (machine or changed; None
    for a value made by hand)."""

    text: str
    reviewed: bool
    line: int = field(default=0, compare=False)
    state: State | None = field(default=None, compare=False)
    #: For a changed entry: the machine translation (or imported suggestion) of its current English, if there is one.
    suggestion: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class CatalogStats:
    """Counts per translation state; words are source words."""

    segments: int = 0
    words: int = 0
    reviewed: int = 0
    reviewed_words: int = 0
    machine: int = 0
    changed: int = 0
    untranslated: int = 0

    @property
    def fuzzy(self) -> int:
        return self.machine + self.changed

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.reviewed / self.segments if self.segments else 100.0


@dataclass(frozen=True, slots=True)
class EntryState:
    """A read-only view of one active entry, for QA and builds; ``line`` is in the file the catalog was read
    from or last serialized to (0 for an entry not there yet)."""

    msgid: str
    msgstr: str
    fuzzy: bool
    line: int
    comments: tuple[str, ...]
    state: State = "untranslated"
    msgctxt: str | None = None
    previous_msgid: str | None = None
    flags: tuple[str, ...] = ()
    extracted: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    plural: bool = False


@dataclass(frozen=True, slots=True)
class Fill:
    """A translation for an empty msgstr with its provenance comment; MT fills are fuzzy (unreviewed)."""

    msgid: str
    text: str
    comment: str
    fuzzy: bool = True


def entry_state(message: Message) -> State:
    """The state of an entry, from its provenance."""
    if not message.text:
        return "untranslated"
    if not message.fuzzy:
        return "reviewed"
    machine = any(comment.startswith(MT_COMMENT) for comment in message.comments)
    return "machine" if machine and message.previous_msgid is None else "changed"


class Catalog:
    """A PO file's entries and where it lives. Obtained from ``read_po``, ``parse_po``, ``update`` or
    ``build_template``; serialized by ``to_bytes``."""

    def __init__(self, po: PoFile, path: Path, loaded: bytes | None = None, base: tuple[PoFile, bytes] | None = None):
        if loaded is not None:  # read from a file: the previous English a Babel save made comments is read back
            po = _babel_previous(po)
        self._po = po
        self.path = path
        #: The exact bytes this catalog was parsed from (``read_po``/``parse_po``), None when built in memory:
        #: writers compare the file on disk with them to notice that someone else saved it meanwhile.
        self.loaded = loaded
        #: The file this catalog was read or merged from: when nothing but dates changed, its bytes are kept.
        self._base = base if base is not None else ((po, loaded) if loaded is not None else None)
        #: What ``entries``, ``stats`` and ``translations`` computed from the entries as they were (``_po``): a run
        #: asks a catalog for them several times (QA notes, release verdicts, the dashboard, the build).
        self._derived: tuple[PoFile, dict[str, Any]] = (po, {})

    def successor(self, po: PoFile, path: Path) -> Catalog:
        """A catalog derived from this one by a merge: when it differs only in dates, this file's bytes are kept."""
        return Catalog(po, path, base=self._base)

    def saved(self, data: bytes) -> None:
        """The catalog, as it is now, was written as ``data``, or the file already holds ``data``, which differs from
        it only in its dates (nothing was written: no churn): that file is its base from now on (the file it was read
        or merged from is let go; unchanged, it serializes to ``data`` again)."""
        self._base = (self._po, data)

    def unchanged_bytes(self) -> bytes | None:
        """The bytes of the file this catalog was read from or last saved as, when its entries are still what those
        bytes hold but for the dates in its header (a merge gives it its template's POT-Creation-Date), so that
        parsing them again gives this catalog back as every stage sees it (``to_bytes`` then writes those very
        bytes: no churn); else None."""
        if self._base is None:
            return None
        po, (base, data) = self._po, self._base
        if po is base or po == base or _dateless(po) == _dateless(base):
            return data
        return None

    @property
    def po(self) -> PoFile:
        """The entries as a PO file (read-only: the model is frozen)."""
        return self._po

    @property
    def language(self) -> str:
        header = self._po.header
        return (header_field(header.text, "Language") or "") if header else ""

    def translations(self) -> dict[str, Translation]:
        """msgid → translation for active entries with a non-empty translation."""
        return dict(self._derive("translations", self._translations))

    def entries(self) -> list[EntryState]:
        return list(self._derive("entries", self._entries))

    def stats(self) -> CatalogStats:
        stats: CatalogStats = self._derive("stats", self._stats)
        return stats

    def _derive(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, once for the entries as they are now."""
        if self._derived[0] is not self._po:
            self._derived = (self._po, {})
        values = self._derived[1]
        if name not in values:
            values[name] = compute()
        return values[name]

    def _translations(self) -> dict[str, Translation]:
        return {
            message.msgid: Translation(
                message.text, not message.fuzzy, message.line, entry_state(message), suggestion_of(message)
            )
            for message in self._active()
            if message.text
        }

    def _entries(self) -> list[EntryState]:
        return [
            EntryState(
                message.msgid,
                message.text,
                message.fuzzy,
                message.line,
                message.comments,
                entry_state(message),
                message.msgctxt,
                message.previous_msgid,
                message.flags,
                message.extracted,
                tuple(name if line is None else f"{name}:{line}" for name, line in message.references),
                message.msgid_plural is not None,
            )
            for message in self._active()
        ]

    def memory(self) -> dict[str, str]:
        """msgid → reviewed translation, obsolete entries included (translation memory: the reviewed text of a
        sentence that left this document is still a translator's approved text)."""
        found: dict[str, str] = {}
        for message in sorted(self._po.messages, key=lambda message: message.obsolete):
            if message.is_header or message.msgid_plural is not None or not message.text or message.fuzzy:
                continue
            found.setdefault(message.msgid, message.text)
        return found

    def untranslated(self) -> list[str]:
        return [message.msgid for message in self._active() if not message.text]

    def unsuggested(self) -> list[str]:
        """Changed entries (the old translation of different English) that have no machine translation of their
        current English yet: drafts would have to show them in English."""
        return [
            message.msgid
            for message in self._active()
            if message.msgid_plural is None and entry_state(message) == "changed" and suggestion_of(message) is None
        ]

    def suggest(self, fills: Iterable[Fill]) -> int:
        """Record machine translations of changed entries' current English (their msgstr stays untouched)."""
        by_msgid = {fill.msgid: fill for fill in fills if fill.text}

        def suggested(message: Message) -> Message | None:
            fill = by_msgid.get(message.msgid)
            if fill is None or message.msgid_plural is not None or entry_state(message) != "changed":
                return None
            comment = pofile.safe_comment(suggestion_comment(message.msgid, fill.comment, fill.text))
            kept = without_suggestions(message.comments, fill.text, kind=SUGGESTION_COMMENT)  # imported ones stay
            return replace(message, comments=(*kept, comment))

        return self._rewrite(suggested)

    def set_comments(self, comments: Mapping[tuple[str | None, str], Sequence[str]]) -> int:
        """Make the translator comments of each entry named in ``comments`` (by msgctxt and msgid) exactly those;
        how many changed."""
        return self._rewrite(
            lambda message: replace(message, comments=tuple(comments[message.key])) if message.key in comments else None
        )

    def annotate(self, notes: Mapping[str, Sequence[str]]) -> int:
        """Make each entry's QA notes (``# qa: …`` lines) say exactly ``notes[msgid]`` (none when absent), each once;
        how many entries changed. A note already there stays as it is, however a tool wrapped it; a new one goes
        last."""

        def annotated(message: Message) -> Message | None:
            wanted = [note_comment(note) for note in dict.fromkeys(notes.get(message.msgid, ()))]
            comments, found, _dropped = without_notes(message.comments, wanted)
            comments += [note for note in wanted if note not in found]
            return replace(message, comments=tuple(comments)) if tuple(comments) != message.comments else None

        return self._rewrite(annotated)

    def _rewrite(self, change: Callable[[Message], Message | None]) -> int:
        """Apply ``change`` to every active entry (None: leave it); how many entries it changed."""
        messages = list(self._po.messages)
        changed = 0
        for index, message in enumerate(messages):
            if message.obsolete or message.is_header:
                continue
            new = change(message)
            if new is not None and new != message:
                messages[index] = new
                changed += 1
        if changed:
            self._po = PoFile(tuple(messages))
        return changed

    def fill(self, fills: Iterable[Fill]) -> int:
        """Put translations into EMPTY msgstrs only (never over existing text); returns how many were filled."""
        by_msgid = {fill.msgid: fill for fill in fills if fill.text}
        filled = 0
        messages = list(self._po.messages)
        for index, message in enumerate(messages):
            fill = by_msgid.get(message.msgid)
            if fill is None or message.obsolete or message.is_header or any(message.msgstr):
                continue
            if message.msgid_plural is not None:
                continue
            comments = [c for c in message.comments if not c.startswith((MT_COMMENT, TM_COMMENT))]
            messages[index] = replace(
                message,
                msgstr=(fill.text,),
                flags=with_flag(message.flags, "fuzzy", fill.fuzzy),
                comments=(*comments, *map(pofile.safe_comment, fill.comment.split("\n"))),
                previous_msgctxt=None,
                previous_msgid=None,
                previous_msgid_plural=None,
            )
            filled += 1
        if filled:
            self._po = PoFile(tuple(messages))
        return filled

    def replace_entries(self, po: PoFile) -> None:
        """Hold ``po``'s entries from now on: what a rule over the whole file made of them (``imports.apply_to``)."""
        self._po = po

    def _stats(self) -> CatalogStats:
        counts = dict.fromkeys(("reviewed", "reviewed_words", "machine", "changed", "untranslated"), 0)
        segments = words = 0
        for message in self._active():
            entry_words = count_words(message.msgid)
            segments += 1
            words += entry_words
            state = entry_state(message)
            counts[state] += 1
            if state == "reviewed":
                counts["reviewed_words"] += entry_words
        return CatalogStats(segments=segments, words=words, **counts)

    def to_bytes(self, when: dt.datetime | None = None) -> bytes:
        """The file's bytes. Unchanged but for dates: exactly the bytes it was read from (no churn). Otherwise
        GNU's canonical form, unchanged entries in their own lines; the catalog's line numbers then describe these
        bytes. A new file's PO-Revision-Date is ``when`` (or now); a translator's file keeps its own, as msgmerge
        does: it says when a translator last revised it."""
        po = self._po
        if self._base is None:
            po = with_header_field(po, "PO-Revision-Date", format_date(when or now()))
        elif _dateless(po) == _dateless(self._base[0]):
            return self._base[1]
        data, po = pofile.render(po)
        before, after = _blank_edges(self._base[1]) if self._base is not None else (0, 0)
        if before:  # the blank lines Babel writes before the header and after the last entry stay
            po = PoFile(tuple(replace(message, line=message.line + before) for message in po.messages))
        self._po = po
        return b"\n" * before + data + b"\n" * after

    def fingerprint(self) -> str:
        """SHA-256 of the catalog's canonical form without its date headers: which translations a build used."""
        return hashlib.sha256(pofile.render(_dateless(self._po), reuse=False)[0]).hexdigest()

    def _active(self) -> list[Message]:
        return [message for message in self._po.messages if not message.obsolete and not message.is_header]


def _blank_edges(data: bytes) -> tuple[int, int]:
    """How many blank lines a file has before its first entry and after its last one."""
    body = data.strip(b"\n")
    if not body:
        return 0, 0
    return len(data) - len(data.lstrip(b"\n")), max(0, len(data) - len(data.rstrip(b"\n")) - 1)


def _babel_previous(po: PoFile) -> PoFile:
    """``po`` with each entry's previous fields that Babel wrote as ``# | msgid`` comments read back
    (``pocomments.babel_previous``); the same object when there are none."""
    messages = tuple(babel_previous(message) for message in po.messages)
    return po if all(new is old for new, old in zip(messages, po.messages, strict=True)) else PoFile(messages)


def count_words(text: str) -> int:
    """Source words, ignoring inline markup characters."""
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text))


def format_date(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M+0000")


def with_header_field(po: PoFile, name: str, value: str) -> PoFile:
    return PoFile(
        tuple(
            replace(message, msgstr=(set_header_field(message.text, name, value),)) if message.is_header else message
            for message in po.messages
        )
    )


def _dateless(po: PoFile) -> PoFile:
    header = po.header
    if header is None or not any(header_field(header.text, name) for name in DATE_HEADERS):
        return po
    for name in DATE_HEADERS:
        if header_field(header.text, name) is not None:
            po = with_header_field(po, name, "")
    return po


def _without_dates(data: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"\\]*\\n"', rb'"\1: \\n"', data)


def same_but_dates(first: bytes | None, second: bytes | None) -> bool:
    """Whether two serialized catalogs differ at most in their date headers (then nothing is rewritten)."""
    if first is None or second is None:
        return first is second
    return _without_dates(first) == _without_dates(second)


def bytes_if_changed(data: bytes, existing: Path) -> bytes | None:
    """``data``, or None when ``existing`` differs from it only in its date headers (no churn)."""
    try:
        if _without_dates(read_regular(existing)) == _without_dates(data):
            return None
    except FileNotFoundError:
        pass
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror}", existing) from None
    return data


# --------------------------------------------------------------------------------------------- reading


def read_po(path: Path) -> Catalog:
    """Read a PO file strictly: anything msgfmt refuses raises CatalogError with ``path:line``."""
    return parse_po(po_bytes(path), path)


def po_bytes(path: Path) -> bytes:
    """The bytes of a PO file (a regular file; CatalogError naming ``path`` if it cannot be read)."""
    try:
        return read_regular(path)
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror or error}", path) from None


def parse_po(raw: bytes, path: Path) -> Catalog:
    """Parse the bytes of a PO file (``path`` is for messages); CatalogError with a line for any problem."""
    return Catalog(poread.parse_po_file(raw, path), path, raw)
