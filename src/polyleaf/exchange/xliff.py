"""XLIFF 2.0 (OASIS, 2014; the 2.0 core of 2.1 and 2.2 read too, with a notice): one ``<file>`` per PO file, one
``<unit>`` per active entry. XLIFF 1.2 is ``polyleaf.exchange.xliff12``.

Writing. A unit's id is ``unit_id`` (stable across exports), its one segment carries the English and the
translation. States, as the XLIFF 2.0 core defines them and translate-toolkit and Weblate read them (a target in
state ``initial`` is a fuzzy suggestion there):

| polyleaf (PO)                          | ``state``   | ``subState``         | target                   |
|----------------------------------------|-------------|----------------------|--------------------------|
| reviewed (no fuzzy flag)               | ``final``   | ``polyleaf:reviewed`` | the translation          |
| machine (fuzzy, ``# mt:``)             | ``initial`` | ``polyleaf:machine``  | the MT suggestion        |
| changed (fuzzy, old translation, ``#|``) | ``initial`` | ``polyleaf:changed``  | the old translation      |
| untranslated                           | ``initial`` | ``polyleaf:untranslated`` | none                 |

``translated`` and ``reviewed`` are never written: a machine suggestion must not look like a translator's work to
a tool that counts ``translated`` as done. Notes (``<notes>``, shown by CAT tools) carry what a PO editor shows:
``location`` (``#:``), ``developer`` (``#.``), ``translator`` (``#``), ``provenance`` (``# mt:``/``# tm:``),
``previous-source`` (``#|``, applies to the source) and ``context`` (msgctxt). Files and units say
``canResegment="no"`` and ``xml:space="preserve"``; a character XML cannot hold is written as ``<cp hex=…/>``.

Reading. ``final`` is *final*, ``reviewed`` and ``translated`` are *translated* (a translator confirmed the
text elsewhere: a suggestion here unless imported as reviewed, ``imports.trust``), ``initial`` with a target is a
*suggestion*; what each does to a PO entry is ``imports.apply``. A unit's
segments and ignorables are joined (a tool that resegmented anyway); ``<mrk>`` keeps its text, ``<sm>``/``<em>``
are dropped, ``<cp>`` is its character; other inline codes are refused: polyleaf's text has none.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from polyleaf.catalog.imports import ImportKind
from polyleaf.errors import ExchangeError
from polyleaf.exchange import xmlio
from polyleaf.exchange.model import ExportCatalog, ExportEntry, ImportedFile, ImportedUnit, language_tag
from polyleaf.exchange.xmlio import Element

NS = "urn:oasis:names:tc:xliff:document:2.0"
#: XLIFF 2.0 and 2.1 share the 2.0 namespace; 2.2's own is accepted too.
NAMESPACES = (NS, "urn:oasis:names:tc:xliff:document:2.2")
#: 2.1 and 2.2 add modules and attributes to the 2.0 core, which is what polyleaf reads and writes; later versions
#: are refused, since what they change is not known here.
VERSIONS = ("2.0", "2.1", "2.2")
SUPPORTED = "polyleaf reads XLIFF 1.1, 1.2 and 2.0 (2.1 and 2.2 as 2.0)"
CORE_ONLY = "the core elements and states, which 2.1 and 2.2 keep; module data (ITS, validation…) is not read"
SUB_STATE = "polyleaf"
_STATES = {"reviewed": "final", "machine": "initial", "changed": "initial", "untranslated": "initial"}
_KINDS: dict[str, ImportKind] = {
    "final": "final",
    "reviewed": "translated",
    "translated": "translated",
    "initial": "suggestion",
}
_ORDER = ("initial", "translated", "reviewed", "final")
_HEX = re.compile("[0-9A-Fa-f]{1,8}")


def _q(name: str, ns: str = NS) -> str:
    return f"{{{ns}}}{name}"


# ----------------------------------------------------------------------------------------------------- writing


def write_xliff(source_language: str, target_language: str, catalogs: Sequence[ExportCatalog], rtl: bool) -> bytes:
    """An XLIFF 2.0 document for one target language: a ``<file>`` per catalog that has entries."""
    attributes = {"version": "2.0", "srcLang": language_tag(source_language), "trgLang": language_tag(target_language)}
    root = xmlio.element(_q("xliff"), attributes, nsmap={None: NS})
    for number, catalog in enumerate(catalogs, 1):
        if not catalog.entries:
            continue
        file_attributes = {"id": f"f{number}", "original": catalog.original, "canResegment": "no"}
        file_attributes |= {"trgDir": "rtl"} if rtl else {}
        file_attributes[xmlio.XML_SPACE] = "preserve"
        file = xmlio.child(root, _q("file"), file_attributes)
        for entry in catalog.entries:
            _write_unit(file, entry)
    return xmlio.serialize(root, content=("source", "target", "note"))


def _write_unit(file: Element, entry: ExportEntry) -> None:
    unit = xmlio.child(file, _q("unit"), {"id": entry.unit_id})
    notes = export_notes(entry)
    if notes:
        container = xmlio.child(unit, _q("notes"))
        for category, text in notes:
            applies = {"appliesTo": "source"} if category == "previous-source" else {}
            xmlio.child(container, _q("note"), {"category": category, **applies}, xmlio.NOT_XML.sub("\ufffd", text))
    state = {"state": _STATES[entry.state], "subState": f"{SUB_STATE}:{entry.state}"}
    segment = xmlio.child(unit, _q("segment"), state)
    _set_content(xmlio.child(segment, _q("source")), entry.source)
    if entry.target:
        _set_content(xmlio.child(segment, _q("target")), entry.target)


def export_notes(entry: ExportEntry) -> list[tuple[str, str]]:
    """(category, text) of the notes a CAT tool shows for ``entry``, in the order a PO editor shows them."""
    notes = [("location", " ".join(entry.references))] if entry.references else []
    notes += [("developer", text) for text in entry.extracted]
    notes += [("translator", text) for text in entry.comments]
    notes += [("provenance", text) for text in entry.provenance]
    notes += [("previous-source", entry.previous_source)] if entry.previous_source is not None else []
    notes += [("context", entry.msgctxt)] if entry.msgctxt is not None else []
    return notes


def _set_content(node: Element, text: str) -> None:
    """``text`` into ``node``, characters XML cannot hold as ``<cp hex="…"/>``."""
    parts = xmlio.NOT_XML.split(text)
    node.text = parts[0]
    for char, part in zip(xmlio.NOT_XML.findall(text), parts[1:], strict=True):
        xmlio.child(node, _q("cp"), {"hex": f"{ord(char):04X}"}).tail = part


# ----------------------------------------------------------------------------------------------------- reading


def read_xliff(root: Element, path: Path) -> ImportedFile:
    """The translations of an XLIFF 2.0 document, or of the 2.0 core of a 2.1 or 2.2 one, with a notice saying so
    (``root`` from ``xmlio.parse``); ExchangeError with a line."""
    ns = xmlio.namespace(root)
    version = root.get("version") or ""
    if version not in VERSIONS:
        found = f"XLIFF {version}" if version else "this XLIFF (no version)"
        raise ExchangeError(f"{found} is not supported: {SUPPORTED}", path, root.sourceline)
    if ns not in NAMESPACES:
        message = f"XLIFF {version} in the namespace {ns!r}, not {NS!r}: which version is it?"
        raise ExchangeError(message, path, root.sourceline)
    notices = () if version == "2.0" else ((root.sourceline, f"XLIFF {version} is read as XLIFF 2.0: {CORE_ONLY}"),)
    source_language, target_language = root.get("srcLang"), root.get("trgLang")
    if not source_language or not target_language:
        missing = "srcLang" if not source_language else "trgLang"
        raise ExchangeError(f"<xliff> has no {missing} attribute", path, root.sourceline)
    units: list[ImportedUnit] = []
    for file in root.iterchildren(_q("file", ns)):
        original = file.get("original")
        if not original:
            raise ExchangeError("<file> has no original attribute: which PO file is it?", path, file.sourceline)
        seen: set[str] = set()
        for unit in file.iter(_q("unit", ns)):
            imported = _read_unit(unit, ns, path, original, target_language)
            if imported is None:
                continue
            if imported.unit_id in seen:
                raise ExchangeError(f"two units with the id {imported.unit_id!r} in one <file>", path, unit.sourceline)
            seen.add(imported.unit_id or "")
            units.append(imported)
    return ImportedFile("XLIFF", source_language, tuple(units), root.sourceline, (target_language,), notices)


def _read_unit(unit: Element, ns: str, path: Path, original: str, language: str) -> ImportedUnit | None:
    """The unit's translation, None when it has no target text."""
    identifier = unit.get("id")
    if not identifier:
        raise ExchangeError("<unit> has no id", path, unit.sourceline)
    parts = [child for child in unit if xmlio.local_name(child) in ("segment", "ignorable")]
    if not parts:
        raise ExchangeError("<unit> has no <segment>", path, unit.sourceline)
    source = target = ""
    states: list[str] = []
    for part in parts:
        source_node, target_node = part.find(_q("source", ns)), part.find(_q("target", ns))
        if source_node is None:
            raise ExchangeError(f"<{xmlio.local_name(part)}> has no <source>", path, part.sourceline)
        source += _content(source_node, ns, path)
        target += _content(target_node, ns, path) if target_node is not None else ""
        if xmlio.local_name(part) == "segment":
            state = part.get("state", "initial")
            if state not in _KINDS:
                known = ", ".join(_ORDER)
                raise ExchangeError(f"unknown segment state {state!r} (XLIFF 2 has {known})", path, part.sourceline)
            states.append(state if target_node is not None else "initial")
    if not target:
        return None
    least = min(states, key=_ORDER.index) if states else "initial"
    return ImportedUnit(source, target, _KINDS[least], language, unit.sourceline, original, identifier)


def _content(node: Element, ns: str, path: Path) -> str:
    """The text of a ``<source>``/``<target>``/``<mrk>``, inline elements resolved."""
    parts = [node.text or ""]
    for item in node:
        name = xmlio.local_name(item)
        if xmlio.namespace(item) != ns:
            raise ExchangeError(f"unexpected element <{item.tag}> in the text", path, item.sourceline)
        if name == "cp":
            parts.append(_code_point(item, path))
        elif name == "mrk":
            parts.append(_content(item, ns, path))
        elif name not in ("sm", "em"):
            raise ExchangeError(
                f"inline code <{name}> is not supported: polyleaf's segments are plain text (markup such as "
                "**bold** is part of the text)",
                path,
                item.sourceline,
            )
        parts.append(item.tail or "")
    return "".join(parts)


def _code_point(item: Element, path: Path) -> str:
    """The character of a ``<cp hex="…"/>``: hexadecimal digits only (Python's ``int`` would also take ``0x41``,
    `` 41`` or ``4_1``), a Unicode code point. Whether a PO file can hold it is the import's check."""
    value = item.get("hex") or ""
    if not _HEX.fullmatch(value) or int(value, 16) > sys.maxunicode:
        raise ExchangeError(f"<cp hex={value[:20]!r}> is not a character", path, item.sourceline)
    return chr(int(value, 16))
