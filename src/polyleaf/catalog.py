"""The only module that imports polib: POT generation, msgmerge-style PO update, reading, filling, statistics.

Other modules see catalogs through plain values (``TemplateEntry``, ``Translation``, ``CatalogStats``) and
the opaque ``Catalog`` wrapper, so the gettext details stay here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gettext
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

from polyleaf import __version__, locale
from polyleaf.errors import CatalogError

WRAP_WIDTH = 78
GENERATOR = f"polyleaf {__version__}"
MT_COMMENT = "mt:"
TM_COMMENT = "tm:"
#: A changed source sentence inherits the closest old translation only when it is at least this similar.
FUZZY_SIMILARITY = 0.6
_DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")


@dataclass(frozen=True, slots=True)
class TemplateEntry:
    """One msgid of a template, with where it comes from."""

    msgid: str
    references: tuple[tuple[str, int], ...]
    comments: tuple[str, ...]
    msgctxt: str | None = None


@dataclass(frozen=True, slots=True)
class Translation:
    """A non-empty msgstr and whether a translator reviewed it (no fuzzy flag)."""

    text: str
    reviewed: bool
    line: int = field(default=0, compare=False)


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
    """A read-only view of one active entry, for QA and builds."""

    msgid: str
    msgstr: str
    fuzzy: bool
    line: int
    comments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fill:
    """A translation for an empty msgstr with its provenance comment; MT fills are fuzzy (unreviewed)."""

    msgid: str
    text: str
    comment: str
    fuzzy: bool = True


class Catalog:
    """A PO file in memory. Obtained from ``read_po`` or ``update``; serialized by ``to_bytes``."""

    def __init__(self, po: polib.POFile, path: Path, loaded: bytes | None = None) -> None:
        self._po = po
        self.path = path
        #: The exact bytes this catalog was parsed from (``read_po``/``parse_po``), None when built in memory:
        #: writers compare the file on disk with them to notice that someone else saved it meanwhile.
        self.loaded = loaded

    @property
    def language(self) -> str:
        return str(self._po.metadata.get("Language", ""))

    def translations(self) -> dict[str, Translation]:
        """msgid → translation for active entries with a non-empty msgstr."""
        return {
            entry.msgid: Translation(entry.msgstr, "fuzzy" not in entry.flags, entry.linenum or 0)
            for entry in self._active()
            if entry.msgstr
        }

    def entries(self) -> list[EntryState]:
        return [
            EntryState(
                entry.msgid,
                entry.msgstr,
                "fuzzy" in entry.flags,
                entry.linenum or 0,
                tuple(entry.tcomment.splitlines()) if entry.tcomment else (),
            )
            for entry in self._active()
        ]

    def untranslated(self) -> list[str]:
        return [entry.msgid for entry in self._active() if not entry.msgstr]

    def fill(self, fills: Iterable[Fill]) -> int:
        """Put translations into EMPTY msgstrs only (never over existing text); returns how many were filled."""
        by_msgid = {fill.msgid: fill for fill in fills}
        filled = 0
        for entry in self._active():
            fill = by_msgid.get(entry.msgid)
            if fill is None or entry.msgstr or not fill.text:
                continue
            entry.msgstr = fill.text
            if fill.fuzzy and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            entry.tcomment = _replace_provenance(entry.tcomment, fill.comment)
            filled += 1
        return filled

    def stats(self) -> CatalogStats:
        counts = {"reviewed": 0, "reviewed_words": 0, "machine": 0, "changed": 0, "untranslated": 0}
        segments = words = 0
        for entry in self._active():
            entry_words = count_words(entry.msgid)
            segments += 1
            words += entry_words
            if not entry.msgstr:
                counts["untranslated"] += 1
            elif "fuzzy" not in entry.flags:
                counts["reviewed"] += 1
                counts["reviewed_words"] += entry_words
            elif entry.previous_msgid:
                counts["changed"] += 1
            else:
                counts["machine"] += 1
        return CatalogStats(segments=segments, words=words, **counts)

    def to_bytes(self, when: dt.datetime | None = None) -> bytes:
        """Deterministic serialization; ``when`` stamps PO-Revision-Date (SOURCE_DATE_EPOCH or now)."""
        self._po.metadata["PO-Revision-Date"] = _format_date(when or now())
        return _serialize(self._po)

    def fingerprint(self) -> str:
        """SHA-256 of the catalog's content without its date headers: which translations a build used."""
        return hashlib.sha256(_without_dates(_serialize(self._po))).hexdigest()

    def _active(self) -> list[polib.POEntry]:
        return [entry for entry in self._po if not entry.obsolete]


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


def _without_dates(data: bytes) -> bytes:
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"\\]*\\n"', rb'"\1: \\n"', data)


def _serialize(po: polib.POFile) -> bytes:
    po.wrapwidth = WRAP_WIDTH
    return (str(po).rstrip("\n") + "\n").encode("utf-8")


def _replace_provenance(tcomment: str, comment: str) -> str:
    kept = [line for line in (tcomment or "").splitlines() if not line.startswith((MT_COMMENT, TM_COMMENT))]
    return "\n".join([*kept, comment])


# --------------------------------------------------------------------------------------------- templates


def build_template(
    entries: Sequence[TemplateEntry], project: str, path: Path, when: dt.datetime | None = None
) -> Catalog:
    """A POT catalog for ``entries`` (in order) with a standard header."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _format_date(when or now()),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    for item in entries:
        pot.append(
            polib.POEntry(
                msgid=item.msgid,
                msgstr="",
                msgctxt=item.msgctxt,
                occurrences=[(path, str(line)) for path, line in item.references],
                comment="\n".join(item.comments),
            )
        )
    return Catalog(pot, path)


def template_to_bytes(template: Catalog) -> bytes:
    return _serialize(template._po)


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

_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(\".*)$")
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_ESCAPE = re.compile(r"\\(.)")
_VALID_ESCAPES = set('\\"ntrabfv01234567x')


def read_po(path: Path) -> Catalog:
    """Read a PO file strictly: any syntax problem raises CatalogError with ``path:line``.

    polib alone is lenient (it silently drops an unterminated msgstr), and a translation lost on read would be
    lost on the next write, so the file is validated line by line first.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror or error}", path) from None
    return parse_po(raw, path)


def parse_po(raw: bytes, path: Path) -> Catalog:
    """Parse the bytes of a PO file (``path`` is for messages); CatalogError with a line for any problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CatalogError("not valid UTF-8", path, line) from None
    if text.startswith("\ufeff"):
        raise CatalogError("starts with a byte order mark (BOM); save it as UTF-8 without BOM", path, 1)
    if "\x00" in text:
        raise CatalogError("binary data (NUL byte), not a PO file", path, text[: text.index("\x00")].count("\n") + 1)
    validate_po_text(text, path)
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError, IndexError, KeyError) as error:
        match = re.search(r"line (\d+)", str(error))
        message = str(error).splitlines()[0] if str(error).strip() else type(error).__name__
        raise CatalogError(f"cannot parse: {message}", path, int(match.group(1)) if match else 1) from None
    _check_header(po, text, path)
    return Catalog(po, path, raw)


def validate_po_text(text: str, path: Path) -> None:
    """Line-level PO syntax check: keywords, quoting, escapes, order, duplicates — of obsolete (``#~``) entries
    too, as msgfmt does: polib reads a broken obsolete entry as an entry with an empty msgid (the header)."""
    seen: dict[tuple[str | None, str], int] = {}
    active = _EntrySyntax(path, seen)
    obsolete = _EntrySyntax(path, seen)
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line:
            continue
        if line.startswith("#~"):
            body = line[2:].strip()
            if body and not body.startswith("|"):  # ``#~|`` is an obsolete entry's previous msgid
                obsolete.feed(body, number)
            continue
        if line.startswith("#"):
            continue
        active.feed(line, number)
    active.finish()
    obsolete.finish()


class _EntrySyntax:
    """The order of keywords in a stream of entries: [msgctxt] msgid (msgstr | msgid_plural msgstr[n]...)."""

    def __init__(self, path: Path, seen: dict[tuple[str | None, str], int]) -> None:
        self.path = path
        self.seen = seen  # (msgctxt, msgid) → line, shared by active and obsolete entries (msgfmt does the same)
        self.state = "start"  # start | msgctxt | msgid | msgid_plural | msgstr | msgstr_n
        self.current = ""
        self.msgctxt: str | None = None
        self.msgid: list[str] = []
        self.line = 0

    def feed(self, line: str, number: int) -> None:
        if line.startswith('"'):
            _check_string(line, self.path, number)
            if self.state == "start":
                raise CatalogError("string outside an entry", self.path, number)
            if self.current == "msgid":
                self.msgid.append(line[1:-1])
            elif self.current == "msgctxt" and self.msgctxt is not None:
                self.msgctxt += line[1:-1]
            return
        match = _KEYWORD.match(line)
        if not match:
            raise CatalogError(f"unexpected text: {line[:40]!r}", self.path, number)
        keyword, value = match.groups()
        _check_string(value, self.path, number)
        if keyword == "msgctxt":
            self.finish()
            self.state, self.msgctxt, self.msgid, self.line = "msgctxt", value[1:-1], [], number
        elif keyword == "msgid":
            if self.state != "msgctxt":
                self.finish()
                self.msgctxt, self.line = None, number
            self.state, self.msgid = "msgid", [value[1:-1]]
        elif keyword == "msgid_plural":
            if self.state != "msgid":
                raise CatalogError("msgid_plural without msgid", self.path, number)
            self.state = "msgid_plural"
        elif keyword == "msgstr":
            if self.state in ("msgstr", "msgstr_n"):
                raise CatalogError("a second msgstr in the same entry", self.path, number)
            if self.state != "msgid":
                raise CatalogError(
                    "msgstr without msgid"
                    if self.state != "msgid_plural"
                    else "msgstr in a plural entry (use msgstr[0], msgstr[1]…)",
                    self.path,
                    number,
                )
            self.state = "msgstr"
        else:  # msgstr[N]
            if self.state not in ("msgid", "msgid_plural", "msgstr_n"):
                raise CatalogError(f"{keyword} without msgid", self.path, number)
            self.state = "msgstr_n"
        self.current = keyword

    def finish(self) -> None:
        """The entry read so far is complete: it must have a msgstr, and its msgid must be new."""
        if self.state in ("msgctxt", "msgid", "msgid_plural"):
            raise CatalogError("entry has no msgstr", self.path, self.line)
        if self.state in ("msgstr", "msgstr_n"):
            key = (self.msgctxt, "".join(self.msgid))
            if key in self.seen:
                raise CatalogError(f"duplicate msgid (first at line {self.seen[key]})", self.path, self.line)
            self.seen[key] = self.line
        self.state = "start"


def _check_string(value: str, path: Path, number: int) -> None:
    if not _STRING.match(value):
        raise CatalogError("unterminated string", path, number)
    for escape in _ESCAPE.findall(value[1:-1]):
        if escape not in _VALID_ESCAPES:
            raise CatalogError(f"invalid escape sequence \\{escape}", path, number)


def _check_header(po: polib.POFile, text: str, path: Path) -> None:
    header_line = next((n for n, line in enumerate(text.splitlines(), 1) if line.startswith("msgid")), 1)
    content_type = po.metadata.get("Content-Type", "")
    if content_type and "charset=utf-8" not in content_type.lower().replace(" ", ""):
        raise CatalogError(f"header: charset must be UTF-8, not {content_type!r}", path, header_line)
    plural = po.metadata.get("Plural-Forms")
    if plural is None:
        return
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+);?\s*", plural)
    if match is None:
        raise CatalogError(f"header: malformed Plural-Forms {plural!r}", path, header_line)
    if not 1 <= int(match.group(1)) <= 6:
        raise CatalogError(f"header: Plural-Forms nplurals must be 1 to 6, not {match.group(1)}", path, header_line)
    try:
        gettext.c2py(match.group(2))
    except (ValueError, RecursionError) as error:
        raise CatalogError(f"header: invalid Plural-Forms expression ({error})", path, header_line) from None


# --------------------------------------------------------------------------------------------- update


def update(
    template: Catalog,
    existing: Catalog | None,
    language: str,
    path: Path,
    project: str,
) -> Catalog:
    """Merge ``template`` into ``existing`` with msgmerge semantics; never drops a non-empty msgstr.

    - exact msgid (and msgctxt) match: translation, flags and translator comments kept (an obsolete match is
      revived as it was);
    - a new msgid close to an old one: the old translation, fuzzy, with ``#| msgid`` showing the old source;
    - old entries no longer in the template become obsolete (``#~``) if they carry a translation.
    """
    old_entries: list[polib.POEntry] = list(existing._po) if existing else []
    by_key = {(entry.msgctxt, entry.msgid): entry for entry in old_entries}
    candidates = [entry for entry in old_entries if entry.msgstr and entry.msgid]
    used: set[tuple[str | None, str]] = set()

    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.metadata = _merged_header(template, existing, language, project)
    for item in template._po:
        key = (item.msgctxt, item.msgid)
        entry = polib.POEntry(
            msgid=item.msgid,
            msgctxt=item.msgctxt,
            msgstr="",
            occurrences=list(item.occurrences),
            comment=item.comment,
        )
        old = by_key.get(key)
        if old is not None:
            entry.msgstr = old.msgstr
            entry.flags = list(old.flags)
            entry.tcomment = old.tcomment
            entry.previous_msgid = old.previous_msgid
            used.add(key)
        else:
            similar = _closest(item.msgid, candidates)
            if similar is not None:
                entry.msgstr = similar.msgstr
                entry.flags = ["fuzzy"]
                entry.tcomment = similar.tcomment
                entry.previous_msgid = similar.msgid
        po.append(entry)

    for old in old_entries:
        key = (old.msgctxt, old.msgid)
        if key in used or not old.msgstr or not old.msgid:
            continue
        obsolete = polib.POEntry(
            msgid=old.msgid,
            msgctxt=old.msgctxt,
            msgstr=old.msgstr,
            flags=list(old.flags),
            tcomment=old.tcomment,
            obsolete=True,
        )
        po.append(obsolete)
    return Catalog(po, path)


def _closest(msgid: str, candidates: Sequence[polib.POEntry]) -> polib.POEntry | None:
    """The old entry whose msgid is most similar to ``msgid`` (difflib ratio ≥ FUZZY_SIMILARITY)."""
    best: polib.POEntry | None = None
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


def _merged_header(template: Catalog, existing: Catalog | None, language: str, project: str) -> dict[str, str]:
    old = existing._po.metadata if existing else {}
    return {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": template._po.metadata.get("POT-Creation-Date", ""),
        "PO-Revision-Date": old.get("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        "Last-Translator": old.get("Last-Translator", ""),
        "Language-Team": old.get("Language-Team", ""),
        "Language": locale.normalize(language),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": locale.plural_forms(language),
        "X-Generator": GENERATOR,
    }
