"""``polyleaf export``: the catalogs for CAT tools as XLIFF 2.0, XLIFF 1.2 or TMX 1.4, the glossary as TBX-Basic.

An export shows the catalogs as ``status`` counts them (merged with the current sources) and writes nothing but
its files, only when their content changed. Reading such files back into the PO files is ``importing``. The formats
are ``polyleaf.exchange``; its modules import lxml, so this module is imported by the commands that need it only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf import locale
from polyleaf.catalog.model import MT_COMMENT, TM_COMMENT, Catalog, EntryState, State
from polyleaf.config.model import Config
from polyleaf.errors import ConfigError
from polyleaf.exchange.model import (
    SUFFIXES,
    TBX,
    TMX,
    XLIFF,
    XLIFF12,
    ExportCatalog,
    ExportEntry,
    unit_id,
)
from polyleaf.fsio import project_lock, write_if_changed
from polyleaf.glossary import load_glossary
from polyleaf.pipeline.catalogs import merge_catalogs, read_catalogs
from polyleaf.pipeline.sources import EVERYTHING, Selection, load_sources, make_templates
from polyleaf.progress import ProgressFactory, counted
from polyleaf.project import DISCLAIMER, INTERFACE

if TYPE_CHECKING:
    pass

#: Output names that are a file (anything else is a folder).
FILE_SUFFIXES = {XLIFF: (".xlf", ".xliff"), XLIFF12: (".xlf", ".xliff"), TMX: (".tmx",), TBX: (".tbx",)}
STATES: tuple[State, ...] = ("reviewed", "machine", "changed", "untranslated")


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """One file an export made: its language ("" for the glossary), what it holds, and whether it was written
    (False: it held exactly this already)."""

    path: Path
    language: str
    counts: Mapping[str, int]
    written: bool


def export(
    config: Config,
    fmt: str,
    selection: Selection = EVERYTHING,
    output: Path | None = None,
    machine: bool = False,
    progress: ProgressFactory | None = None,
) -> list[ExportedFile]:
    """Export the selected catalogs as XLIFF (2.0, or 1.2) or TMX (a file per language; TMX with ``machine``: machine
    translations too, marked), or the glossary as TBX, to ``output`` (a file, or a folder) or ``build/exchange/``.
    A language's catalogs are read as its file is made, so that ``progress`` counts the work, language by
    language."""
    languages = selection.languages_of(config)
    if fmt == TBX and selection.documents:
        raise ConfigError("--doc does not apply to the glossary (TBX)")
    targets = _targets(config, fmt, [""] if fmt == TBX else languages, output)
    with project_lock(config.root, config.written_folders):  # it writes in build/ (by default), as a run does
        if fmt == TBX:
            return [_export_glossary(config, languages, targets[""])]
        return _export_catalogs(config, fmt, selection, targets, machine, progress)


def _export_catalogs(
    config: Config,
    fmt: str,
    selection: Selection,
    targets: Mapping[str, Path],
    machine: bool,
    progress: ProgressFactory | None,
) -> list[ExportedFile]:
    """``export`` of the catalogs of each language of ``targets`` to its file."""
    languages = list(targets)
    templates = _templates(config, selection)
    made = []
    for language in counted(languages, len(languages), progress, f"exporting {fmt.upper()}", "languages"):
        catalogs = merge_catalogs(config, templates, read_catalogs(config, [language], templates), [language])
        exported = [
            ExportCatalog(config.relative(cat.path).as_posix(), tuple(_entry(e) for e in cat.entries() if not e.plural))
            for (code, _name), cat in catalogs.items()
            if code == language
        ]
        if fmt == XLIFF:
            from polyleaf.exchange.xliff import write_xliff

            rtl = locale.direction(language) == "rtl"
            data = write_xliff(config.source_language, language, exported, rtl)
            counts: Counter[str] = Counter(entry.state for item in exported for entry in item.entries)
        elif fmt == XLIFF12:
            data, counts = _xliff12(config.source_language, language, exported)
        else:
            from polyleaf.exchange.tmx import in_memory, writable_in_tmx, write_tmx

            wanted = {_tmx_key(e): e for item in exported for e in item.entries if in_memory(e, machine)}
            entries = [entry for entry in wanted.values() if writable_in_tmx(entry)]
            data = write_tmx(config.source_language, language, entries, config.segmentation)
            counts = Counter(entry.state for entry in entries)
            counts["left out"] = len(wanted) - len(entries)
        path = targets[language]
        written = _write(config, path, data)
        ordered: dict[str, int] = {name: counts[name] for name in (*STATES, "left out") if counts[name]}
        made.append(ExportedFile(path, language, ordered, written))
    return made


def _xliff12(source: str, language: str, exported: Sequence[ExportCatalog]) -> tuple[bytes, Counter[str]]:
    """An XLIFF 1.2 document and its counts: entries it cannot hold (a character XML cannot) are left out."""
    from polyleaf.exchange.xliff12 import writable_in_xliff12, write_xliff12

    kept = [replace(item, entries=tuple(filter(writable_in_xliff12, item.entries))) for item in exported]
    counts: Counter[str] = Counter(entry.state for item in kept for entry in item.entries)
    counts["left out"] = sum(len(item.entries) for item in exported) - sum(counts.values())
    return write_xliff12(source, language, kept), counts


def _templates(config: Config, selection: Selection) -> dict[str, Catalog]:
    """The templates of the selected documents (``disclaimer`` and ``interface`` too), from the current sources."""
    special = (DISCLAIMER, INTERFACE)
    sources = load_sources(config, [name for name in selection.documents if name not in special])
    templates = make_templates(config, sources)
    if selection.documents:
        templates = {name: template for name, template in templates.items() if name in selection.documents}
    return templates


def _entry(entry: EntryState) -> ExportEntry:
    provenance = tuple(line for line in entry.comments if line.startswith((MT_COMMENT, TM_COMMENT)))
    return ExportEntry(
        unit_id=unit_id(entry.msgctxt, entry.msgid),
        source=entry.msgid,
        target=entry.msgstr,
        state=entry.state,
        msgctxt=entry.msgctxt,
        provenance=provenance,
        comments=tuple(line for line in entry.comments if line not in provenance),
        extracted=entry.extracted,
        references=entry.references,
        previous_source=entry.previous_msgid if entry.state == "changed" else None,
    )


def _tmx_key(entry: ExportEntry) -> tuple[str | None, str, str]:
    return entry.msgctxt, entry.source, entry.target


def _targets(config: Config, fmt: str, languages: Sequence[str], output: Path | None) -> dict[str, Path]:
    """Where each language's file goes: ``output`` when it names a file, else ``<lang><suffix>`` (``glossary.tbx``)
    in the folder ``output`` or ``build/exchange``."""
    names = {language: f"{language or 'glossary'}{SUFFIXES[fmt]}" for language in languages}
    if output is not None and output.suffix.lower() in FILE_SUFFIXES[fmt]:
        if len(names) > 1:
            raise ConfigError(
                f"{output} names one file, but {len(names)} languages are exported ({', '.join(languages)}): "
                "choose one with --lang, or give a folder"
            )
        return dict.fromkeys(names, output)
    folder = output if output is not None else config.build_dir / "exchange"
    return {language: folder / name for language, name in names.items()}


def _export_glossary(config: Config, languages: Sequence[str], path: Path) -> ExportedFile:
    from polyleaf.exchange.tbx import concepts, write_tbx

    glossary = load_glossary(config.glossary)
    items = concepts(glossary, config.source_language, languages)
    description = f"{config.project_name}: glossary {config.relative(config.glossary).as_posix()} (polyleaf)"
    data = write_tbx(config.source_language, items, description)
    return ExportedFile(path, "", {"terms": len(items)}, _write(config, path, data))


def _write(config: Config, path: Path, data: bytes) -> bool:
    """Write an exported file: in the build folder as the rest of the build (a content repository may link
    ``build/exchange`` out of the project), elsewhere where the user said."""
    if path.is_relative_to(config.build_dir):
        return write_if_changed(path, data, within=config.build_dir, roots=config.write_roots)
    return write_if_changed(path, data, within=path.parent)
