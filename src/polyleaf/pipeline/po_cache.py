"""PO files as parsed, cached by their bytes, so that a re-run reads the PO files it has seen before without parsing
them again (parsing is most of what a re-run with nothing to do costs).

A PO file's entries are kept in ``build/.cache/po/<lang>/<catalog>.json`` with the SHA-256 of what they were parsed
from: the file's exact bytes and a salt naming the parser (polyleaf's version and the bytes of the modules that
parse: ``pofile``, ``poread``, ``powritten``, ``postring``, ``linebreak``, ``poheader``, ``catalog``). They are used
only for exactly those bytes, read by exactly that code, and only when this machine wrote them (a signed entry, see
``polyleaf.cache``: a content repository is untrusted, and anyone can compute the digest): otherwise the file is
parsed. The cache holds plain JSON (never pickle), is written only once the run went through, and a cache that
cannot be read or written is ignored: it only saves time. A file that does not parse is never cached; its error is
the parser's.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import Any

from polyleaf.cache import Store, content_digest
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Catalog
from polyleaf.config.model import Config
from polyleaf.errors import CatalogError
from polyleaf.fsio import read_regular
from polyleaf.po import poread
from polyleaf.po.pofile import Message, Origin, PoFile

#: The most the parsed PO files take in the build folder (the ones read least recently go first).
CACHE_BYTES = 1024 * 2**20
_FIELDS = tuple(item for item in fields(Message) if item.name != "origin")


def _pairs(value: list[list[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(map(tuple, value))


def _same(value: Any) -> Any:
    return value


#: How each field comes back from JSON: every sequence field of an entry is a tuple (of pairs, for references).
_DECODE: tuple[Callable[[Any], Any], ...] = tuple(
    _pairs if str(item.type).startswith("tuple[tuple") else tuple if str(item.type).startswith("tuple") else _same
    for item in _FIELDS
)


@cache
def parser_salt() -> str:
    """What names the parser: polyleaf's version and the source of the modules that turn bytes into a catalog."""
    from polyleaf import __version__
    from polyleaf.po import linebreak, pofile, poheader, poread, postring, powritten

    digest = hashlib.sha256(__version__.encode())
    for module in (pofile, poread, powritten, postring, linebreak, poheader, catalog):
        try:
            digest.update(Path(str(module.__file__)).read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


class ParsedCatalogs:
    """Reads PO files through the cache: ``read`` for each file, ``commit`` once the run went through."""

    def __init__(self, config: Config) -> None:
        self.store = Store(config.build_dir, "po", max_bytes=CACHE_BYTES)
        self._written: dict[str, tuple[Path, str]] = {}  # what the run wrote: the file, the digest of its bytes

    def read(self, path: Path, language: str, name: str) -> Catalog:
        """The catalog of the PO file at ``path`` (``catalog.read_po``, answered from the cache when it can)."""
        try:
            raw = read_regular(path)
        except OSError as error:
            raise CatalogError(f"cannot read: {error.strerror or error}", path) from None
        digest = self._digest(raw)
        where = f"{language}/{name}"
        po = self._load(where, digest)
        if po is None:
            po = poread.parse_po_file(raw, path)
            self._stage(where, digest, po)
        return Catalog(po, path, raw)  # as ``catalog.parse_po`` makes it

    def wrote(self, path: Path, language: str, name: str, raw: bytes) -> None:
        """The run wrote ``raw`` to the PO file at ``path``: ``commit`` caches it too, so the next run finds it (read
        from the file then, not held: a run writes thousands)."""
        where = f"{language}/{name}"
        self._written[where] = (path, self._digest(raw))
        self.store.unstage(where)  # what it was read as is no longer the file

    def commit(self) -> None:
        """Write what was parsed (a file only when it changed), and what the run wrote, read and parsed now, one
        file at a time (a file changed since the run wrote it is left to the next run to parse); a read-only build
        folder is no error."""
        written = False
        for where, (path, digest) in self._written.items():
            with contextlib.suppress(OSError, CatalogError, ValueError):
                raw = read_regular(path)
                if self._digest(raw) == digest:
                    encoded = encode_messages(poread.parse_po_file(raw, path))
                    written |= self.store.save(where, {"sha256": digest, "messages": encoded})
        self._written.clear()
        self.store.commit()
        if written:
            self.store.bound()

    def _stage(self, where: str, digest: str, po: PoFile) -> None:
        """Keep ``po`` for ``commit`` (an entry whose origin is not the entry as read is left out)."""
        self.store.stage(where, digest, lambda: {"messages": encode_messages(po)})

    def _digest(self, raw: bytes) -> str:
        return content_digest(parser_salt(), raw)

    def _load(self, where: str, digest: str) -> PoFile | None:
        stored = self.store.lookup(where, digest)
        if stored is None:
            return None
        try:
            return decode_messages(stored["messages"])
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None


def encode_messages(po: PoFile) -> list[list[Any]]:
    """Each entry as a JSON row: its fields in order, then its origin (text and msgid offset) or null."""
    rows = []
    for message in po.messages:
        row: list[Any] = [getattr(message, item.name) for item in _FIELDS]
        origin = message.origin
        if origin is not None and origin.message != message:
            raise ValueError("an origin that is not the entry as read")
        row.append(None if origin is None else [origin.text, origin.msgid_offset])
        rows.append(row)
    return rows


def decode_messages(rows: list[list[Any]]) -> PoFile:
    """The inverse of ``encode_messages`` (JSON lists become the tuples every sequence field is)."""
    messages = []
    for row in rows:
        if len(row) != len(_FIELDS) + 1:
            raise ValueError("a row of another shape")
        values: dict[str, Any] = {
            item.name: decode(value) for item, decode, value in zip(_FIELDS, _DECODE, row, strict=False)
        }
        message = Message(**values)
        origin = row[-1]
        if origin is not None:
            message = Message(**values, origin=Origin(str(origin[0]), message, int(origin[1])))
        messages.append(message)
    return PoFile(tuple(messages))
