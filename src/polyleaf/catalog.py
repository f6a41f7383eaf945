"""Catalogs with gettext's semantics: templates, the msgmerge-style ``update``, fills, states and statistics.

The PO format itself (reading, writing, line breaking) is ``pofile``; other modules see catalogs through plain
values (``TemplateEntry``, ``Translation``, ``EntryState``, ``CatalogStats``) and the ``Catalog`` wrapper.

States come from provenance, not from the presence of ``#|`` (lost in an XLIFF round trip): an entry is
*reviewed* (a translation without ``fuzzy``), *machine* (fuzzy, with a ``# mt:`` comment and no previous msgid),
*changed* (any other fuzzy translation: the old translation of different English, kept for the translator) or
*untranslated*. A plural entry's translation is its first form, as ``gettext()`` returns it.

The header fields polyleaf owns and keeps are described in ``poheader``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from polyleaf import pofile, poheader
from polyleaf.errors import CatalogError
from polyleaf.pofile import Message, PoFile, header_field, set_header_field, with_flag

GENERATOR = poheader.GENERATOR
MT_COMMENT = "mt:"
TM_COMMENT = "tm:"
#: A changed source sentence inherits the closest old translation only when it is at least this similar.
FUZZY_SIMILARITY = 0.6
_DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")

State = Literal["reviewed", "machine", "changed", "untranslated"]
#: How sure an exchange file (XLIFF, TMX) is of a translation; see ``Imported``.
ImportKind = Literal["final", "translated", "suggestion", "machine"]
#: What importing one translation did; see ``Catalog.apply``.
Outcome = Literal[
    "reviewed", "suggested", "replaced", "previous", "unchanged", "kept", "ignored", "obsolete", "missing"
]


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


@dataclass(frozen=True, slots=True)
class Imported:
    """A translation of the entry ``(msgctxt, msgid)`` from an exchange file, and how sure the file is of it.

    ``final`` may replace a reviewed translation; ``translated`` (a translator confirmed it) makes an unreviewed
    entry reviewed but never replaces a different reviewed translation; ``suggestion`` is fuzzy and replaces
    only an unreviewed translation; ``machine`` is fuzzy and fills only an empty entry, as polyleaf's own MT.
    ``comment`` is the provenance comment (``mt: …``, ``tm: …``) that new text gets.
    """

    msgctxt: str | None
    msgid: str
    text: str
    kind: ImportKind
    comment: str = ""


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
        self._po = po
        self.path = path
        #: The exact bytes this catalog was parsed from (``read_po``/``parse_po``), None when built in memory:
        #: writers compare the file on disk with them to notice that someone else saved it meanwhile.
        self.loaded = loaded
        #: The file this catalog was read or merged from: when nothing but dates changed, its bytes are kept.
        self._base = base if base is not None else ((po, loaded) if loaded is not None else None)

    @property
    def language(self) -> str:
        header = self._po.header
        return (header_field(header.text, "Language") or "") if header else ""

    def translations(self) -> dict[str, Translation]:
        """msgid → translation for active entries with a non-empty translation."""
        return {
            message.msgid: Translation(message.text, not message.fuzzy, message.line, entry_state(message))
            for message in self._active()
            if message.text
        }

    def entries(self) -> list[EntryState]:
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
                message.extracted,
                tuple(name if line is None else f"{name}:{line}" for name, line in message.references),
                message.msgid_plural is not None,
            )
            for message in self._active()
        ]

    def untranslated(self) -> list[str]:
        return [message.msgid for message in self._active() if not message.text]

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
        """Put imported translations into their entries, never replacing a reviewed translation unless the
        import is ``final``; one outcome per import, in order:

        - ``reviewed``: the entry is now reviewed (new text, or its text confirmed); fuzzy and ``#|`` go;
        - ``suggested``: fuzzy text in an unreviewed entry (a changed entry keeps its ``#|``);
        - ``replaced``: a reviewed translation replaced by a ``final`` one;
        - ``previous``: the text translates English that a changed entry shows as its previous msgid (``#|``):
          it becomes that entry's fuzzy text, still showing the previous English;
        - ``unchanged``: the entry says that already; ``kept``: a different reviewed translation is kept;
          ``ignored``: a machine translation for an entry that has a translation;
        - ``obsolete``/``missing``: no active entry has that English (plural entries are never matched).

        New text drops the entry's old provenance comments; a confirmed text keeps them, as an editor does.
        """
        messages = list(self._po.messages)
        live = [(i, m) for i, m in enumerate(messages) if not m.obsolete and not m.is_header and m.msgid_plural is None]
        active = {message.key: index for index, message in live}
        changed = {
            (message.previous_msgctxt, message.previous_msgid): index
            for index, message in live
            if message.previous_msgid is not None and entry_state(message) == "changed"
        }
        obsolete = {message.key for message in messages if message.obsolete}
        outcomes: list[Outcome] = []
        for item in imports:
            key = (item.msgctxt, item.msgid)
            outcome: Outcome = "obsolete" if key in obsolete else "missing"
            if not item.text:
                outcome = "unchanged"  # an import never empties an entry
            elif key in active:
                index = active[key]
                messages[index], outcome = _imported(messages[index], item)
            elif key in changed:
                index = changed[key]
                outcome = "unchanged" if item.text == messages[index].text else "previous"
                if outcome == "previous":
                    messages[index] = _with_text(messages[index], item.text, item.comment, fuzzy=True)
            outcomes.append(outcome)
        if messages != list(self._po.messages):
            self._po = PoFile(tuple(messages))
        return outcomes

    def stats(self) -> CatalogStats:
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
        po = _with_header_field(self._po, "PO-Revision-Date", _format_date(when or now()))
        data, self._po = pofile.render(po)
        return data

    def fingerprint(self) -> str:
        """SHA-256 of the catalog's canonical form without its date headers: which translations a build used."""
        return hashlib.sha256(pofile.render(_dateless(self._po), reuse=False)[0]).hexdigest()

    def _active(self) -> list[Message]:
        return [message for message in self._po.messages if not message.obsolete and not message.is_header]


def _imported(message: Message, item: Imported) -> tuple[Message, Outcome]:
    """``message`` with ``item`` applied by the rules of ``Catalog.apply``, and the outcome."""
    state = entry_state(message)
    confirmed = item.kind in ("final", "translated")
    if item.text == message.text:
        if confirmed and state != "reviewed":
            return _reviewed(message), "reviewed"
        return message, "unchanged"
    if state == "reviewed":
        if item.kind == "final":
            return _with_text(message, item.text, item.comment, fuzzy=False), "replaced"
        return message, "kept"
    if confirmed:
        return _reviewed(_with_text(message, item.text, item.comment, fuzzy=False)), "reviewed"
    if item.kind == "machine" and state != "untranslated":
        return message, "ignored"
    return _with_text(message, item.text, item.comment, fuzzy=True), "suggested"


def _with_text(message: Message, text: str, comment: str, *, fuzzy: bool) -> Message:
    """``message`` translated as ``text``, its old provenance comments replaced by ``comment``."""
    comments = [line for line in message.comments if not line.startswith((MT_COMMENT, TM_COMMENT))]
    comments += [pofile.safe_comment(part) for part in comment.split("\n")] if comment else []
    return replace(message, msgstr=(text,), flags=with_flag(message.flags, "fuzzy", fuzzy), comments=tuple(comments))


def _reviewed(message: Message) -> Message:
    """``message`` as a translator leaves it when they approve it: no fuzzy flag, no previous msgid."""
    return replace(
        message,
        flags=with_flag(message.flags, "fuzzy", False),
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
    )


def count_words(text: str) -> int:
    """Source words, ignoring inline markup characters."""
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text))


def now() -> dt.datetime:
    """The build time: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the current UTC time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def _format_date(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M+0000")


def _with_header_field(po: PoFile, name: str, value: str) -> PoFile:
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
            po = _with_header_field(po, name, "")
    return po


def _without_dates(data: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"\\]*\\n"', rb'"\1: \\n"', data)


# --------------------------------------------------------------------------------------------- templates


def build_template(
    entries: Sequence[TemplateEntry],
    project: str,
    path: Path,
    when: dt.datetime | None = None,
    source_language: str = "en",
) -> Catalog:
    """A POT catalog for ``entries`` (in order) with a header like xgettext's (valid for ``msgfmt -c``).

    Its POT-Creation-Date is the one of the template at ``path`` when that file has the same content: the date
    says when the template last changed, and every PO file carries the same date."""
    messages = [_template_message(item) for item in entries]
    date = _format_date(when or now())
    po = PoFile((poheader.template_header(project, date, source_language), *messages))
    try:
        existing = path.read_bytes()
    except OSError:
        return Catalog(po, path)
    if same_but_dates(existing, pofile.write_po(po)):
        found = re.search(rb'"POT-Creation-Date: ([^"\\]*)\\n"', existing)
        if found:
            po = _with_header_field(po, "POT-Creation-Date", found.group(1).decode("utf-8"))
            po = _with_header_field(po, "PO-Revision-Date", found.group(1).decode("utf-8"))
    return Catalog(po, path)


def _template_message(item: TemplateEntry) -> Message:
    for name, _line in item.references:
        if "\n" in name or "\r" in name:
            raise CatalogError(f"source file name with a line break cannot be a PO reference: {name!r}")
    extracted = tuple(pofile.safe_comment(part) for comment in item.comments for part in comment.split("\n"))
    references: tuple[tuple[str, int | None], ...] = tuple(dict.fromkeys(item.references))  # each file:line once
    if any(not name or name != "".join(name.split()) for name, _line in references):
        # a name with blanks reads back as several references (GNU has no quoting): keep what the file will say
        references = tuple(dict.fromkeys(pofile.parse_references(" ".join(f"{n}:{line}" for n, line in references))))
    return Message(item.msgid, ("",), item.msgctxt, extracted=extracted, references=references)


def template_to_bytes(template: Catalog) -> bytes:
    return pofile.write_po(template._po)


def same_but_dates(first: bytes | None, second: bytes | None) -> bool:
    """Whether two serialized catalogs differ at most in their date headers (then nothing is rewritten)."""
    if first is None or second is None:
        return first is second
    return _without_dates(first) == _without_dates(second)


def bytes_if_changed(data: bytes, existing: Path) -> bytes | None:
    """``data``, or None when ``existing`` differs from it only in its date headers (no churn)."""
    try:
        if _without_dates(existing.read_bytes()) == _without_dates(data):
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
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror or error}", path) from None
    return parse_po(raw, path)


def parse_po(raw: bytes, path: Path) -> Catalog:
    """Parse the bytes of a PO file (``path`` is for messages); CatalogError with a line for any problem."""
    return Catalog(pofile.parse_po(raw, path), path, raw)


# --------------------------------------------------------------------------------------------- update


def update(template: Catalog, existing: Catalog | None, language: str, path: Path, project: str) -> Catalog:
    """Merge ``template`` into ``existing`` with msgmerge semantics; never drops a translation.

    - exact msgid (and msgctxt) match: the entry as it is (translation, plural forms, flags, comments, previous
      fields, its line), with the template's ``#.`` and ``#:``; an obsolete match is revived as it was;
    - a new msgid that a fuzzy entry shows as its previous msgid (a change undone): that translation, reviewed;
    - a new msgid close to an old translated one: the old translation, fuzzy, ``#| msgid`` the English it
      translates; the old entry is not kept as obsolete too (one copy of old text, as msgmerge);
    - old entries with a translation that the template no longer has become obsolete (``#~``), plural entries
      with all their forms; a translator's plural entry whose msgid the template has stays as it is.

    Entries keep the order they have in the file (an editor's sorting survives); a new entry goes after the
    entry that precedes it in the template. Obsolete entries follow, newly obsolete ones last.
    """
    old = [message for message in existing._po.messages if not message.is_header] if existing else []
    by_key = {message.key: message for message in old}
    translated = [m for m in old if m.msgid and m.text and m.msgid_plural is None and entry_state(m) != "machine"]
    changes = {(m.previous_msgctxt, m.previous_msgid): m for m in translated if m.fuzzy and m.previous_msgid}
    items = [message for message in template._po.messages if not message.is_header]
    wanted = {item.key for item in items}
    merged: dict[tuple[str | None, str], Message] = {}
    consumed: set[tuple[str | None, str]] = set()
    for item in items:
        source = by_key.get(item.key)
        if source is not None:
            merged[item.key] = replace(source, obsolete=False, extracted=item.extracted, references=item.references)
            continue
        source = changes.get(item.key) or _closest(item.msgid, translated)
        if source is None:
            merged[item.key] = item
            continue
        consumed.add(source.key)
        merged[item.key] = _inherit(item, source, restore=source is changes.get(item.key))
    messages = [poheader.merged_header(template._po, existing._po if existing else None, language, project)]
    messages += _in_file_order(items, merged, [m for m in old if not m.obsolete and m.key in wanted])
    messages += [m for m in old if m.obsolete and m.key not in wanted and m.key not in consumed]
    messages += [
        replace(m, obsolete=True, extracted=(), references=())
        for m in old
        if not m.obsolete and m.key not in wanted and m.key not in consumed and any(m.msgstr)
    ]
    return Catalog(PoFile(tuple(messages)), path, base=existing._base if existing else None)


def _inherit(item: Message, source: Message, restore: bool) -> Message:
    """The template entry with an old translation: fuzzy, showing the English the translation was made for;
    or, for a change undone (``restore``), the translation as it was reviewed."""
    if restore:
        return replace(
            item, msgstr=source.msgstr, comments=source.comments, flags=with_flag(source.flags, "fuzzy", False)
        )
    # the English the translation was made for: the old msgid, or what that fuzzy entry showed already
    previous = (source.previous_msgctxt, source.previous_msgid) if source.fuzzy else (source.msgctxt, source.msgid)
    return replace(
        item,
        msgstr=source.msgstr,
        comments=tuple(comment for comment in source.comments if not comment.startswith(MT_COMMENT)),
        flags=with_flag(source.flags, "fuzzy", True),
        previous_msgctxt=previous[0],
        previous_msgid=previous[1],
    )


def _in_file_order(
    items: list[Message], merged: dict[tuple[str | None, str], Message], in_file: list[Message]
) -> list[Message]:
    """Entries already in the file in the file's order, each new one after its predecessor in the template."""
    present = {message.key for message in in_file}
    front: list[Message] = []
    after: dict[tuple[str | None, str], list[Message]] = {}
    anchor: tuple[str | None, str] | None = None
    for item in items:
        if item.key in present:
            anchor = item.key
        else:
            (after.setdefault(anchor, []) if anchor is not None else front).append(merged[item.key])
    ordered = front
    for message in in_file:
        ordered.append(merged[message.key])
        ordered.extend(after.get(message.key, ()))
    return ordered


def _closest(msgid: str, candidates: Sequence[Message]) -> Message | None:
    """The old entry whose msgid is most similar to ``msgid`` (difflib ratio ≥ FUZZY_SIMILARITY)."""
    best: Message | None = None
    best_ratio = FUZZY_SIMILARITY
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(msgid)
    for candidate in candidates:
        matcher.set_seq1(candidate.msgid)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = candidate, ratio
    return best
