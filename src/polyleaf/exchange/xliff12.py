"""XLIFF 1.2 (OASIS, 2008; 1.1 read too), what many CAT tools still exchange: one ``<file>`` per PO file, one
``<trans-unit>`` per active entry.

Writing. A unit's id is ``unit_id``, as in XLIFF 2. States are the target's ``state`` and the unit's ``approved``
(translate-toolkit, Weblate and Virtaal take ``approved="yes"`` as not fuzzy):

| polyleaf (PO)                            | ``approved`` | target ``state`` (``state-qualifier``)          |
|------------------------------------------|--------------|-------------------------------------------------|
| reviewed (no fuzzy flag)                 | ``yes``      | ``final``                                       |
| machine (fuzzy, ``# mt:``)               | ``no``       | ``needs-review-translation`` (``mt-suggestion``) |
| changed (fuzzy, old translation, ``#|``) | ``no``       | ``needs-review-translation``                    |
| untranslated                             | ``no``       | no target                                       |

References are a ``<context-group purpose="location">`` (``sourcefile``/``linenumber``, as translate-toolkit's
po2xliff writes them); the other notes are ``<note from="…">`` with XLIFF 2's categories (``developer``,
``translator``, ``provenance``, ``previous-source``, ``context``). XLIFF 1.2 has no way to write a character XML
cannot hold (no ``<cp>``): an entry whose text has one is left out and counted, as in TMX.

Reading. The target's ``state`` says how sure the file is, as XLIFF 2's states do: ``final`` is *final* (but
``approved="no"`` makes it *translated*); ``signed-off`` (XLIFF 2's ``reviewed``) and ``translated`` are
*translated*; ``new``, ``needs-…`` and custom ``x-…`` states are *suggestions*; a target without a state is
*translated* when the unit says ``approved="yes"``, else a suggestion. What each does to a PO entry is
``imports.trust`` and ``imports.apply``, exactly as for XLIFF 2. Units inside ``<group>`` are read; a gettext
plural group (``restype="x-gettext-plurals"``, translate-toolkit's po2xliff) is skipped with a notice (polyleaf's
catalogs have no plural entries to put it in), the PO header unit and ``translate="no"`` units are skipped. ``<mrk>``
keeps its text; other inline codes are refused: polyleaf's text has none.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from polyleaf.catalog.imports import ImportKind
from polyleaf.errors import ExchangeError
from polyleaf.exchange import xmlio
from polyleaf.exchange.model import ExportCatalog, ExportEntry, ImportedFile, ImportedUnit, language_tag
from polyleaf.exchange.xliff import SUPPORTED, export_notes
from polyleaf.exchange.xmlio import Element

DOCUMENT = "urn:oasis:names:tc:xliff:document:"
NS = f"{DOCUMENT}1.2"
#: The namespaces of the versions read (XLIFF 1.1's elements and states are 1.2's); some tools write none.
NAMESPACES = {"1.2": NS, "1.1": f"{DOCUMENT}1.1"}
PLURAL_GROUP = "x-gettext-plurals"
PO_HEADER = "x-gettext-domain-header"
_FILE_ATTRIBUTES = {"original": ": which PO file is it?", "source-language": "", "target-language": ": which language?"}
_STATES = {"reviewed": "final", "machine": "needs-review-translation", "changed": "needs-review-translation"}
_KINDS: dict[str, ImportKind] = {
    "final": "final",
    "signed-off": "translated",
    "translated": "translated",
    "needs-review-translation": "suggestion",
    "needs-review-adaptation": "suggestion",
    "needs-review-l10n": "suggestion",
    "needs-translation": "suggestion",
    "needs-adaptation": "suggestion",
    "needs-l10n": "suggestion",
    "new": "suggestion",
}


def is_xliff1(root: Element) -> bool:
    """Whether an ``<xliff>`` root is XLIFF 1.x (its version, else its namespace), to be read by this module."""
    version = root.get("version")
    return version.startswith("1.") if version else xmlio.namespace(root).startswith(f"{DOCUMENT}1.")


def writable_in_xliff12(entry: ExportEntry) -> bool:
    """Whether the entry's English and translation can be written in XLIFF 1.2 (which has no ``<cp>``)."""
    return not xmlio.NOT_XML.search(entry.source) and not xmlio.NOT_XML.search(entry.target)


# ----------------------------------------------------------------------------------------------------- writing


def write_xliff12(source_language: str, target_language: str, catalogs: Sequence[ExportCatalog]) -> bytes:
    """An XLIFF 1.2 document for one target language: a ``<file>`` per catalog that has entries (entries must be
    ``writable_in_xliff12``)."""
    root = xmlio.element(_q("xliff"), {"version": "1.2"}, nsmap={None: NS})
    languages = {"source-language": language_tag(source_language), "target-language": language_tag(target_language)}
    for catalog in catalogs:
        if not catalog.entries:
            continue
        file = xmlio.child(root, _q("file"), {"original": catalog.original, **languages, "datatype": "po"})
        body = xmlio.child(file, _q("body"))
        for entry in catalog.entries:
            _write_unit(body, entry)
    return xmlio.serialize(root, content=("source", "target", "note", "context"))


def _write_unit(body: Element, entry: ExportEntry) -> None:
    approved = "yes" if entry.state == "reviewed" else "no"
    unit = xmlio.child(body, _q("trans-unit"), {"id": entry.unit_id, "approved": approved})
    unit.set(xmlio.XML_SPACE, "preserve")
    xmlio.child(unit, _q("source"), None, entry.source)
    if entry.target:
        state = {"state": _STATES[entry.state]}
        state |= {"state-qualifier": "mt-suggestion"} if entry.state == "machine" else {}
        xmlio.child(unit, _q("target"), state, entry.target)
    for reference in entry.references:
        group = xmlio.child(unit, _q("context-group"), {"name": "po-reference", "purpose": "location"})
        file, _, line = reference.rpartition(":")
        file, line = (file, line) if file and line.isdigit() else (reference, "")
        xmlio.child(group, _q("context"), {"context-type": "sourcefile"}, xmlio.NOT_XML.sub("\ufffd", file))
        if line:
            xmlio.child(group, _q("context"), {"context-type": "linenumber"}, line)
    for category, text in export_notes(entry):
        if category != "location":
            applies = {"annotates": "source"} if category == "previous-source" else {}
            xmlio.child(unit, _q("note"), {"from": category, **applies}, xmlio.NOT_XML.sub("\ufffd", text))


def _q(name: str, ns: str = NS) -> str:
    return f"{{{ns}}}{name}" if ns else name


# ----------------------------------------------------------------------------------------------------- reading


def read_xliff12(root: Element, path: Path) -> ImportedFile:
    """The translations of an XLIFF 1.1 or 1.2 document (``root`` from ``xmlio.parse``); ExchangeError with a
    line."""
    version = root.get("version") or ""
    ns = xmlio.namespace(root)
    if version not in NAMESPACES:
        found = f"XLIFF {version}" if version else "this XLIFF (no version)"
        raise ExchangeError(f"{found} is not supported: {SUPPORTED}", path, root.sourceline)
    if ns not in (NAMESPACES[version], ""):
        message = f"XLIFF {version} in the namespace {ns!r}, not {NAMESPACES[version]!r}: which version is it?"
        raise ExchangeError(message, path, root.sourceline)
    source_language = ""
    units: list[ImportedUnit] = []
    notices: list[tuple[int, str]] = []
    files = list(root.iterchildren(_q("file", ns)))
    for file in files:
        original, language = _file_attributes(file, path, source_language)
        source_language = file.get("source-language")
        body = file.find(_q("body", ns))
        seen: set[str] = set()
        for unit in _units(body if body is not None else file, ns, notices):
            imported = _read_unit(unit, ns, path, original, language)
            if imported is None:
                continue
            if imported.unit_id in seen:
                message = f"two trans-units with the id {imported.unit_id!r} in one <file>"
                raise ExchangeError(message, path, unit.sourceline)
            seen.add(imported.unit_id or "")
            units.append(imported)
    if not files:
        raise ExchangeError("<xliff> has no <file>", path, root.sourceline)
    targets = tuple(dict.fromkeys(str(file.get("target-language")) for file in files))
    where = files[0].sourceline  # XLIFF 1 names the languages on each <file>
    return ImportedFile(f"XLIFF {version}", source_language, tuple(units), where, targets, tuple(notices))


def _file_attributes(file: Element, path: Path, source_language: str) -> tuple[str, str]:
    """A ``<file>``'s ``original`` and target language; its source language must be the other files' (``en-US``
    and ``en`` are one)."""
    for attribute, why in _FILE_ATTRIBUTES.items():
        if not file.get(attribute):
            raise ExchangeError(f"<file> has no {attribute} attribute{why}", path, file.sourceline)
    if source_language and _primary(file.get("source-language")) != _primary(source_language):
        message = f"<file> translates from {file.get('source-language')!r}, another <file> from {source_language!r}"
        raise ExchangeError(message, path, file.sourceline)
    return str(file.get("original")), str(file.get("target-language"))


def _primary(tag: str) -> str:
    """The language of a language tag (``en`` for ``en-US``)."""
    return tag.replace("_", "-").split("-")[0].casefold()


def _units(parent: Element, ns: str, notices: list[tuple[int, str]]) -> Iterator[Element]:
    """The ``<trans-unit>`` elements below ``parent`` in document order, through ``<group>``s; a plural group is
    skipped with a notice."""
    for node in parent:
        name = xmlio.local_name(node) if xmlio.namespace(node) == ns else ""
        if name == "trans-unit":
            yield node
        elif name == "group" and node.get("restype") == PLURAL_GROUP:
            first = node.find(f"{_q('trans-unit', ns)}/{_q('source', ns)}")
            english = repr((first.text or "")[:60]) if first is not None else "a plural entry"
            notices.append((xmlio.line(node), f"skipped: the plural entry {english} (plural forms are not imported)"))
        elif name in ("group", "body"):
            yield from _units(node, ns, notices)


def _read_unit(unit: Element, ns: str, path: Path, original: str, language: str) -> ImportedUnit | None:
    """The unit's translation; None when it has none (no target text, the PO header, ``translate="no"``)."""
    identifier = unit.get("id")
    if not identifier:
        raise ExchangeError("<trans-unit> has no id", path, unit.sourceline)
    source_node, target_node = unit.find(_q("source", ns)), unit.find(_q("target", ns))
    if source_node is None:
        raise ExchangeError("<trans-unit> has no <source>", path, unit.sourceline)
    if unit.get("restype") == PO_HEADER or unit.get("translate") == "no" or target_node is None:
        return None
    source, target = _content(source_node, ns, path), _content(target_node, ns, path)
    if not target:
        return None
    kind = _kind(target_node.get("state"), unit.get("approved"), path, target_node.sourceline)
    return ImportedUnit(source, target, kind, language, unit.sourceline, original, identifier)


def _kind(state: str | None, approved: str | None, path: Path, line: int) -> ImportKind:
    """How sure the file is of a target: its ``state``, and ``approved`` (see the module docstring)."""
    if state is None:
        return "translated" if approved == "yes" else "suggestion"
    if state.startswith("x-"):
        return "suggestion"
    kind = _KINDS.get(state)
    if kind is None:
        known = ", ".join(_KINDS)
        raise ExchangeError(f"unknown target state {state!r} (XLIFF 1.2 has {known}, x-…)", path, line)
    return "translated" if kind == "final" and approved == "no" else kind


def _content(node: Element, ns: str, path: Path) -> str:
    """The text of a ``<source>``/``<target>``/``<mrk>``; ``<mrk>`` keeps its text, other inline codes are
    refused."""
    parts = [node.text or ""]
    for item in node:
        if xmlio.namespace(item) != ns:
            raise ExchangeError(f"unexpected element <{item.tag}> in the text", path, item.sourceline)
        name = xmlio.local_name(item)
        if name != "mrk":
            raise ExchangeError(
                f"inline code <{name}> is not supported: polyleaf's segments are plain text (markup such as "
                "**bold** is part of the text)",
                path,
                item.sourceline,
            )
        parts.extend((_content(item, ns, path), item.tail or ""))
    return "".join(parts)
