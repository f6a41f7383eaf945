"""TMX 1.4 (LISA): a translation memory of one language pair, for a CAT tool's memory.

Writing. One ``<tu>`` per distinct (context, English, translation) of the reviewed entries; with ``machine``, the
machine translations too, marked on their target ``<tuv>`` with ``<prop type="x-polyleaf-state">machine</prop>``
and their provenance (``x-polyleaf-provenance``), so a tool can keep them apart from reviewed work. Changed and
untranslated entries never go in a memory. msgctxt is ``<prop type="x-context">`` (translate-toolkit's name).
Entries whose text holds a character XML cannot (TMX has no ``<cp>``) are left out and counted.

Reading. Every ``<tuv>`` in another language than the source is a translation of the source ``<tuv>``'s text:
*translated* (a memory holds work approved somewhere: this project takes it as ``imports.trust`` says), or
*machine* with its provenance when marked as above. ``<seg>`` must be plain text: inline codes (``<ph>``,
``<bpt>``…) are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from polyleaf import __version__
from polyleaf.catalog.imports import ImportKind
from polyleaf.errors import ExchangeError
from polyleaf.exchange import xmlio
from polyleaf.exchange.model import ExportEntry, ImportedFile, ImportedUnit, language_tag
from polyleaf.exchange.xmlio import XML_LANG, Element

VERSIONS = ("1.4", "1.4b")
STATE_PROP = "x-polyleaf-state"
PROVENANCE_PROP = "x-polyleaf-provenance"
CONTEXT_PROP = "x-context"


def write_tmx(source_language: str, target_language: str, entries: Sequence[ExportEntry], segtype: str) -> bytes:
    """A TMX 1.4 document of ``entries`` (reviewed and machine ones; others are not a memory's)."""
    source_tag, target_tag = language_tag(source_language), language_tag(target_language)
    root = xmlio.element("tmx", {"version": "1.4"})
    header = {
        "creationtool": "polyleaf",
        "creationtoolversion": __version__,
        "segtype": segtype,
        "o-tmf": "PO",
        "adminlang": "en",
        "srclang": source_tag,
        "datatype": "plaintext",
    }
    xmlio.child(root, "header", header)
    body = xmlio.child(root, "body")
    for entry in entries:
        tu = xmlio.child(body, "tu")
        if entry.msgctxt is not None:
            xmlio.child(tu, "prop", {"type": CONTEXT_PROP}, entry.msgctxt)
        xmlio.child(xmlio.child(tu, "tuv", {XML_LANG: source_tag}), "seg", None).text = entry.source
        target = xmlio.child(tu, "tuv", {XML_LANG: target_tag})
        if entry.state == "machine":
            xmlio.child(target, "prop", {"type": STATE_PROP}, "machine")
            for provenance in entry.provenance:
                xmlio.child(target, "prop", {"type": PROVENANCE_PROP}, provenance)
        xmlio.child(target, "seg", None, entry.target)
    return xmlio.serialize(root, content=("seg", "prop"))


def in_memory(entry: ExportEntry, machine: bool) -> bool:
    """Whether ``entry`` belongs in a memory: reviewed or, with ``machine``, machine-translated."""
    return entry.state == "reviewed" or (machine and entry.state == "machine")


def writable_in_tmx(entry: ExportEntry) -> bool:
    """Whether all of the entry's text can be written in a TMX file (which has no way to write a control
    character)."""
    texts = (entry.source, entry.target, entry.msgctxt or "", *entry.provenance)
    return not any(xmlio.NOT_XML.search(text) for text in texts)


def read_tmx(root: Element, path: Path) -> ImportedFile:
    """The translations of a TMX 1.4 document (``root`` from ``xmlio.parse``); ExchangeError with a line."""
    version = root.get("version") or ""
    if version not in VERSIONS:
        found = f"TMX {version}" if version else "this TMX (no version)"
        raise ExchangeError(f"{found} is not supported: polyleaf reads TMX 1.4", path, root.sourceline)
    header = root.find("header")
    if header is None or not header.get("srclang"):
        where = header if header is not None else root
        raise ExchangeError("<tmx> has no <header srclang=…>", path, where.sourceline)
    source_language = header.get("srclang")
    units: list[ImportedUnit] = []
    for tu in root.iterfind("body/tu"):
        language = tu.get("srclang") or source_language
        if language == "*all*":
            raise ExchangeError("<tu> has no srclang and the header says *all*", path, tu.sourceline)
        tuvs = [(_language(tuv, path), tuv) for tuv in tu.iterfind("tuv")]
        source = next((_segment(tuv, path) for tag, tuv in tuvs if _same(tag, language)), None)
        if source is None:
            continue
        context = next((prop.text or "" for prop in tu.iterfind("prop") if prop.get("type") == CONTEXT_PROP), None)
        for tag, tuv in tuvs:
            target = _segment(tuv, path)
            if _same(tag, language) or not target:
                continue
            props = {prop.get("type"): prop.text or "" for prop in tuv.iterfind("prop")}
            machine = props.get(STATE_PROP) == "machine"
            kind: ImportKind = "machine" if machine else "translated"
            provenance = props.get(PROVENANCE_PROP, "") if machine else ""
            units.append(
                ImportedUnit(source, target, kind, tag, tuv.sourceline, msgctxt=context, provenance=provenance)
            )
    return ImportedFile("TMX", source_language, tuple(units), header.sourceline)


def _language(tuv: Element, path: Path) -> str:
    tag = tuv.get(XML_LANG) or tuv.get("lang")  # ``lang``: TMX 1.1–1.3
    if not tag:
        raise ExchangeError("<tuv> has no xml:lang", path, tuv.sourceline)
    return str(tag)


def _same(first: str, second: str) -> bool:
    return first.casefold() == second.casefold()


def _segment(tuv: Element, path: Path) -> str:
    seg = tuv.find("seg")
    if seg is None:
        raise ExchangeError("<tuv> has no <seg>", path, tuv.sourceline)
    for item in seg:
        raise ExchangeError(
            f"inline code <{item.tag}> is not supported: polyleaf's segments are plain text", path, item.sourceline
        )
    return str(seg.text or "")
