"""XML for the exchange formats: files from CAT tools parsed as untrusted input, and files written for them.

The one module that imports lxml. Parsing never fetches anything and never expands an entity: the parser has
no network access, loads no DTD (TMX files often name ``tmx14.dtd``; it is not read), resolves no entity, and
keeps libxml2's limits on depth and text size (``huge_tree`` off); a document that declares or uses an entity
other than XML's five is refused, so neither "billion laughs" nor an external entity (``file:///etc/passwd``)
can be smuggled in. Files over ``MAX_BYTES`` are refused before parsing. Every problem is an ExchangeError with
the file's line. Writing builds trees with lxml (never strings) and indents only element-only content, so the
text of a segment is exactly what was put in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from polyleaf.errors import ExchangeError
from polyleaf.fsio import read_regular

#: Larger imports are refused unread: a whole project's translations are a few megabytes.
MAX_BYTES = 64 * 1024 * 1024
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
XML_SPACE = f"{{{XML_NS}}}space"
#: Characters an XML 1.0 text cannot hold (controls but tab and line ends, non-characters).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WHERE = re.compile(r",? line \d+, column \d+$")

Element = Any  # lxml has no type hints; an lxml.etree._Element


def load(path: Path) -> Element:
    """The root element of the untrusted XML file at ``path`` (see ``parse``); too large a file is not read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExchangeError(f"too large to import ({size // 2**20} MiB; at most {MAX_BYTES // 2**20} MiB)", path)
        raw = read_regular(path)
    except OSError as error:
        raise ExchangeError(f"cannot read: {error.strerror or error}", path) from None
    return parse(raw, path)


def parse(raw: bytes, path: Path) -> Element:
    """The root element of an untrusted XML file; ExchangeError ``path:line: message`` for anything wrong."""
    if len(raw) > MAX_BYTES:
        raise ExchangeError(f"too large to import ({len(raw) // 2**20} MiB; at most {MAX_BYTES // 2**20} MiB)", path)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        message = _WHERE.sub("", str(error.msg or "")) or "not well-formed"
        raise ExchangeError(f"not well-formed XML: {message}", path, error.lineno or 1) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        line = raw[: raw.find(b"<!ENTITY")].count(b"\n") + 1 if b"<!ENTITY" in raw else 1
        raise ExchangeError("entity declarations are not allowed in an imported file", path, line)
    for node in root.iter(etree.Entity):
        raise ExchangeError(f"entity reference {node.text} is not allowed in an imported file", path, node.sourceline)
    return root


def local_name(element: Element) -> str:
    """``unit`` for ``{urn:…}unit``."""
    return str(etree.QName(element).localname)


def namespace(element: Element) -> str:
    return str(etree.QName(element).namespace or "")


def line(element: Element) -> int:
    return int(element.sourceline or 0)


def element(tag: str, attributes: dict[str, str] | None = None, text: str | None = None, **kw: Any) -> Element:
    """A new element (``nsmap`` may be given as a keyword)."""
    made = etree.Element(tag, dict(attributes or {}), **kw)
    if text is not None:
        made.text = text
    return made


def child(parent: Element, tag: str, attributes: dict[str, str] | None = None, text: str | None = None) -> Element:
    """A new element appended to ``parent``."""
    made = etree.SubElement(parent, tag, dict(attributes or {}))
    if text is not None:
        made.text = text
    return made


def serialize(root: Element, content: Iterable[str], indent: str = "  ") -> bytes:
    """The document as UTF-8 with an XML declaration, indented except inside elements named in ``content``
    (local names: their text and inline children are written exactly as they are)."""
    _indent(root, frozenset(content), indent, 0)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return data + b"\n"


def _indent(node: Element, content: frozenset[str], unit: str, level: int) -> None:
    if local_name(node) in content or not len(node):
        return
    node.text = "\n" + unit * (level + 1)
    for item in node:
        _indent(item, content, unit, level + 1)
        item.tail = "\n" + unit * (level + 1)
    node[-1].tail = "\n" + unit * level
