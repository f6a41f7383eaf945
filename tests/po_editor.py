"""What a translator's PO editor does in tests: load a file, change entries, save it (reformatted, as an editor
reformats), built on polyleaf's own PO reader and writer (polyleaf has no polib)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from polyleaf.po import pofile, poread
from polyleaf.po.pofile import Message, PoFile


@dataclass
class Entry:
    """A mutable PO entry, as an editor shows it."""

    msgid: str
    msgstr: str
    flags: list[str]
    comments: list[str]
    previous_msgid: str | None
    obsolete: bool
    line: int
    msgctxt: str | None = None
    msgid_plural: str | None = None
    plural_forms: list[str] = field(default_factory=list)
    message: Message | None = None

    def to_message(self) -> Message:
        base = self.message or Message(msgid=self.msgid)
        forms = tuple(self.plural_forms) if self.msgid_plural is not None else (self.msgstr,)
        return replace(
            base,
            msgid=self.msgid,
            msgctxt=self.msgctxt,
            msgid_plural=self.msgid_plural,
            msgstr=forms,
            flags=pofile.parse_flags(", ".join(self.flags)),
            comments=tuple(self.comments),
            previous_msgid=self.previous_msgid,
            previous_msgctxt=base.previous_msgctxt if self.previous_msgid is not None else None,
            obsolete=self.obsolete,
            origin=None,
        )


class EditorFile:
    """A PO file opened in an editor: ``entries`` (header excluded), ``metadata`` (header fields, in order)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        po = poread.parse_po_file(path.read_bytes(), path)
        self.header = po.header
        self.metadata: dict[str, str] = {}
        if self.header is not None:
            for line in self.header.text.split("\n"):
                name, colon, value = line.partition(":")
                if colon:
                    self.metadata[name] = value.strip()
        self.entries = [
            Entry(m.msgid, m.text, list(m.flags), list(m.comments), m.previous_msgid, m.obsolete, m.line, m.msgctxt,
                  m.msgid_plural, list(m.msgstr), m)
            for m in po.messages
            if not m.is_header
        ]  # fmt: skip

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def find(self, msgid: str) -> Entry:
        found = [entry for entry in self.entries if entry.msgid == msgid]
        assert len(found) == 1, f"{msgid!r} is in {self.path} {len(found)} times"
        return found[0]

    def add(
        self,
        msgid: str,
        msgstr: str,
        *,
        msgctxt: str | None = None,
        plural: str | None = None,
        forms: list[str] | None = None,
    ) -> Entry:
        """A new entry, as a translator types it (a plural one when ``plural`` and ``forms`` are given)."""
        entry = Entry(msgid, msgstr, [], [], None, False, 0, msgctxt, plural, list(forms or []))
        self.entries.append(entry)
        return entry

    def save(self) -> None:
        messages = [entry.to_message() for entry in self.entries]
        if self.header is not None or self.metadata:
            text = "".join(f"{name}: {value}\n" for name, value in self.metadata.items())
            header = replace(self.header or Message(msgid=""), msgstr=(text,), origin=None)
            messages.insert(0, header)
        self.path.write_bytes(pofile.render(PoFile(tuple(messages)), reuse=False)[0])


def open_po(path: Path) -> EditorFile:
    return EditorFile(path)
