"""The MT journal: machine translations are checkpointed by appending them to a file, not by rewriting PO files.

Saving every PO file of a language after every chunk of machine translation cost O(catalogs × chunks): quadratic
in the size of the library (71 s of checkpoints at 128 × this repository's articles). Instead, each chunk's fills
are appended to ``<locales_dir>/.journal/<language>.jsonl`` (one JSON object per line: msgid, translation,
provenance comment) and synced: a checkpoint costs what the chunk holds. The PO files of a language are written
once, when its last chunk is in; then its journal is removed.

A run killed before that (``kill -9``, a power cut) leaves the journal behind; the next translate run replays it
into the entries that are still empty — exactly what the killed run would have written — before it works out what
is left to translate, so nothing is translated twice and at most the chunks in progress are lost. A line cut short
by the kill is ignored (it belongs to the chunk in progress). The journal is written only by the run that holds the
project lock. Each line is signed with this machine's cache key (``polyleaf.cache``) and replayed only when the
signature is this machine's: a journal committed to a content repository cannot put words in the PO files as
machine translation (a line from elsewhere costs only its translation again).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from polyleaf.cache import sign, signed_here
from polyleaf.catalog.model import Fill
from polyleaf.errors import PolyleafError
from polyleaf.fsio import confine, fsync_directory, read_regular
from polyleaf.jsonio import load_json

FOLDER = ".journal"


class Journal:
    """The journal of one language (see the module's docstring)."""

    def __init__(self, locales_dir: Path, language: str) -> None:
        self.path = locales_dir / FOLDER / f"{language}.jsonl"
        self.within = locales_dir
        self.place = f"journal/{language}"  # what a line's signature names: a line moved to another is not valid

    def append(self, fills: Iterable[Fill]) -> None:
        """Add ``fills`` to the journal and sync them to disk (one write, one ``fsync``)."""
        lines = "".join(
            json.dumps(
                {
                    "msgid": fill.msgid,
                    "text": fill.text,
                    "comment": fill.comment,
                    "signature": sign(self.place, _signed(fill)),
                },
                ensure_ascii=True,
            )
            + "\n"
            for fill in fills
        )
        if not lines:
            return
        confine(self.path, self.within)
        try:
            created = not self.path.parent.is_dir()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(
                self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644
            )
            try:
                data = lines.encode("ascii")
                while data:
                    data = data[os.write(descriptor, data) :]
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            if created:
                fsync_directory(self.path.parent.parent)
            fsync_directory(self.path.parent)
        except OSError as error:
            raise PolyleafError(f"cannot write the MT journal: {error.strerror or error}", self.path) from None

    def read(self) -> list[Fill]:
        """The fills a killed run journaled (empty when there is no journal); damaged lines are skipped."""
        if self.path.is_symlink() or not self.path.is_file():
            return []
        try:
            raw = read_regular(self.path)
        except OSError as error:
            raise PolyleafError(f"cannot read the MT journal: {error.strerror or error}", self.path) from None
        fills = []
        for line in raw.split(b"\n"):
            try:
                record = load_json(line)
                fill = Fill(record["msgid"], record["text"], record["comment"])
                if not signed_here(self.place, _signed(fill), str(record["signature"])):
                    continue  # not this machine's
            except (ValueError, KeyError, TypeError, RecursionError):
                continue  # the line the kill cut short
            if fill.text.strip():
                fills.append(fill)
        return fills

    def remove(self) -> None:
        """Forget the journal: everything in it is in the PO files now."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            self.path.parent.rmdir()  # only when empty


def _signed(fill: Fill) -> bytes:
    """What a line's signature covers: its three strings (``TypeError`` when one is not a string)."""
    if not all(isinstance(value, str) for value in (fill.msgid, fill.text, fill.comment)):
        raise TypeError("a journal line holds strings")
    return json.dumps([fill.msgid, fill.text, fill.comment], ensure_ascii=True).encode("ascii")
