"""Catalogs with gettext's semantics: templates, the msgmerge-style ``update``, fills, states and statistics.

The PO format itself (reading, writing, line breaking) is ``pofile``; templates are made by ``template`` and merged
into PO files by ``merge``; other modules see catalogs through plain
values (``TemplateEntry``, ``Translation``, ``EntryState``, ``CatalogStats``) and the ``Catalog`` wrapper.

States come from provenance, not from the presence of ``#|`` (lost in an XLIFF round trip): an entry is
*reviewed* (a translation without ``fuzzy``), *machine* (fuzzy, with a ``# mt:`` comment and no previous msgid),
*changed* (any other fuzzy translation: the old translation of different English, kept for the translator) or
*untranslated*. A plural entry's translation is its first form, as ``gettext()`` returns it.

The header fields polyleaf owns and keeps are described in ``poheader``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from polyleaf import pofile, poheader
from polyleaf.clock import now
from polyleaf.errors import CatalogError
from polyleaf.fsio import read_regular
from polyleaf.pofile import Message, PoFile, header_field, set_header_field, with_flag

if TYPE_CHECKING:
    from polyleaf.imports import Imported, Outcome

GENERATOR = poheader.GENERATOR
MT_COMMENT = "mt:"
TM_COMMENT = "tm:"
#: A translator comment holding the machine translation of a *changed* entry's current English (its msgstr still
#: translates the previous English): ``# mt-suggestion (argos en-es 1.0, for 3f2a9c1b): <text>``. It is bound to
#: the English it translates by a hash, so it is never shown for English it was not made for.
SUGGESTION_COMMENT = "mt-suggestion"
#: An extracted comment polyleaf writes for a QA finding on the entry (``#. qa: [numbers] …``), shown by Poedit,
#: Lokalize and Weblate, and removed when the finding is resolved.
QA_NOTE = "qa:"
_DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")

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
    #: For a changed entry: the machine translation of its current English, if there is one.
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


def suggestion_comment(msgid: str, provenance: str, text: str) -> str:
    return f"{SUGGESTION_COMMENT} ({provenance}, for {_english_hash(msgid)}): {text}"


def suggestion_of(message: Message) -> str | None:
    """The machine translation a changed entry carries for its current English (None: none, or a stale one)."""
    wanted = f", for {_english_hash(message.msgid)}): "
    for comment in message.comments:
        if comment.startswith(SUGGESTION_COMMENT + " (") and wanted in comment:
            return comment.split(wanted, 1)[1]
    return None


def _english_hash(msgid: str) -> str:
    return hashlib.sha256(msgid.encode("utf-8")).hexdigest()[:8]


class Catalog:
    """A PO file's entries and where it lives. Obtained from ``read_po``, ``parse_po``, ``update`` or
    ``build_template``; serialized by ``to_bytes``."""

    def __init__(self, po: PoFile, path: Path, loaded: bytes | None = None, base: tuple[PoFile, bytes] | None = None):
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
        return self._rewrite(
            lambda message: (
                replace(
                    message,
                    comments=(
                        *(c for c in message.comments if not c.startswith(SUGGESTION_COMMENT)),
                        pofile.safe_comment(
                            suggestion_comment(
                                message.msgid, by_msgid[message.msgid].comment, by_msgid[message.msgid].text
                            )
                        ),
                    ),
                )
                if message.msgid in by_msgid and message.msgid_plural is None and entry_state(message) == "changed"
                else None
            )
        )

    def annotate(self, notes: Mapping[str, Sequence[str]]) -> int:
        """Make each entry's ``#. qa:`` comments exactly ``notes[msgid]`` (none when absent); how many changed."""

        def annotated(message: Message) -> Message | None:
            kept = tuple(line for line in message.extracted if not line.startswith(QA_NOTE))
            wanted = (*kept, *(pofile.safe_comment(f"{QA_NOTE} {note}") for note in notes.get(message.msgid, ())))
            return replace(message, extracted=wanted) if wanted != message.extracted else None

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

    def apply(self, imports: Iterable[Imported]) -> list[Outcome]:
        """Put translations from an exchange file into their entries (the rules: ``imports.apply``); one outcome
        per import, in order."""
        from polyleaf.imports import apply

        po, outcomes = apply(self._po, imports)
        self._po = po
        return outcomes

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
        GNU's canonical form (unchanged entries keep their lines) with PO-Revision-Date ``when`` (or now); the
        catalog's line numbers then describe these bytes."""
        if self._base is not None and _dateless(self._po) == _dateless(self._base[0]):
            return self._base[1]
        po = with_header_field(self._po, "PO-Revision-Date", format_date(when or now()))
        data, self._po = pofile.render(po)
        return data

    def fingerprint(self) -> str:
        """SHA-256 of the catalog's canonical form without its date headers: which translations a build used."""
        return hashlib.sha256(pofile.render(_dateless(self._po), reuse=False)[0]).hexdigest()

    def _active(self) -> list[Message]:
        return [message for message in self._po.messages if not message.obsolete and not message.is_header]


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
    if header is None or not any(header_field(header.text, name) for name in _DATE_HEADERS):
        return po
    for name in _DATE_HEADERS:
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
    try:
        raw = read_regular(path)
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror or error}", path) from None
    return parse_po(raw, path)


def parse_po(raw: bytes, path: Path) -> Catalog:
    """Parse the bytes of a PO file (``path`` is for messages); CatalogError with a line for any problem."""
    return Catalog(pofile.parse_po(raw, path), path, raw)
