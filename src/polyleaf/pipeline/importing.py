"""``polyleaf import``: XLIFF (1.1, 1.2, 2.x) and TMX files read back into the PO files.

Every translation is checked first (``imports.usable_text``: nothing a PO file cannot hold, line ends as the
English's) and taken as ``imports.trust`` says (reviewed elsewhere is a suggestion here unless imported
``as_reviewed``); the import holds the project lock, applies each translation to its entry by ``imports.apply_to``'s
rules (never over a reviewed translation unless the file says *final*) and saves through the translate stage's
``Workspace``: compare before replace, merged again when a translator saved the file meanwhile. Only the PO files
it changed are written; a second import of the same file changes nothing. QA runs on the entries it changed. The
formats (``polyleaf.exchange``) import lxml, so this module is imported by the command that needs it only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from polyleaf import locale
from polyleaf.catalog import imports
from polyleaf.catalog.imports import Imported, Outcome
from polyleaf.catalog.model import EntryState
from polyleaf.config.model import Config
from polyleaf.errors import ConfigError, ExchangeError
from polyleaf.exchange import xmlio
from polyleaf.exchange.model import (
    ImportedFile,
    ImportedUnit,
    unit_id,
)
from polyleaf.fsio import project_lock
from polyleaf.glossary import load_glossary
from polyleaf.pipeline.catalogs import Catalogs, Key, merge_catalogs, read_catalogs
from polyleaf.pipeline.review import check_catalog
from polyleaf.pipeline.sources import EVERYTHING, Selection, load_sources, make_templates, source_paths
from polyleaf.pipeline.translate import Workspace
from polyleaf.progress import ProgressFactory, counted
from polyleaf.project import DISCLAIMER, INTERFACE

if TYPE_CHECKING:
    from polyleaf.qa.model import Diagnostic

#: What an import changed: a translation, or (``commented``) a suggestion comment beside one.
CHANGES: tuple[Outcome, ...] = ("reviewed", "suggested", "replaced", "previous")
WRITES: tuple[Outcome, ...] = (*CHANGES, "commented")


@dataclass(slots=True)
class ImportReport:
    """What an import did: the PO files written, how many translations had each outcome (``imports.apply_to``;
    ``ambiguous``: a memory with several translations of one text), one line per translation a translator should
    look at (``file:line: …``), and QA of the entries it changed."""

    format: str
    as_reviewed: bool = False
    written: list[Path] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    notices: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Translations the file says were confirmed (XLIFF translated/reviewed, TMX) that this import kept fuzzy.
    unconfirmed: int = 0

    def summary(self) -> str:
        """The counts in words, e.g. ``XLIFF: 3 now reviewed, 12 unchanged``; an import ``as_reviewed`` says so."""
        parts = [f"{self.counts[name]} {label}" for name, label in _LABELS.items() if self.counts[name]]
        trusted = " imported as reviewed (--as-reviewed)" if self.as_reviewed else ""
        return f"{self.format}{trusted}: {', '.join(parts) or 'no translations'}"

    def advice(self) -> str:
        """What a coordinator should know about the suggestions an import made, "" when nothing."""
        if not self.unconfirmed:
            return ""
        return (
            f"{self.unconfirmed} translation(s) confirmed in the file but not reviewed in this project are fuzzy "
            "suggestions until a translator reviews them (polyleaf import --as-reviewed takes them as reviewed)"
        )

    def as_json(self, root: Path) -> dict[str, object]:
        """The ``--json`` output of ``polyleaf import``."""
        return {
            "format": self.format,
            "as_reviewed": self.as_reviewed,
            "unconfirmed": self.unconfirmed,
            "written": [p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p) for p in self.written],
            "counts": dict(self.counts),
            "notices": self.notices,
            "diagnostics": [diagnostic.as_json() for diagnostic in self.diagnostics],
        }


def read_exchange_file(path: Path) -> ImportedFile:
    """The translations of an XLIFF (1.1, 1.2, 2.x) or TMX 1.4 file; ExchangeError ``path:line: message`` when it is
    neither, or malformed."""
    root = xmlio.load(path)
    name = xmlio.local_name(root)
    if name == "xliff":
        from polyleaf.exchange.xliff import read_xliff
        from polyleaf.exchange.xliff12 import is_xliff1, read_xliff12

        return read_xliff12(root, path) if is_xliff1(root) else read_xliff(root, path)
    if name == "tmx":
        from polyleaf.exchange.tmx import read_tmx

        return read_tmx(root, path)
    raise ExchangeError(f"<{name}> is not an XLIFF or TMX 1.4 document", path, root.sourceline)


def import_file(
    config: Config,
    path: Path,
    as_reviewed: bool = False,
    selection: Selection = EVERYTHING,
    progress: ProgressFactory | None = None,
) -> ImportReport:
    """Import the translations of an XLIFF or TMX file into the PO files (see the module's docstring);
    ``as_reviewed``: the coordinator takes what the file says was confirmed as reviewed here (``imports.trust``);
    ``selection``: only into these languages' and documents' PO files (the others' translations are counted as
    not selected).

    The whole file is read and checked first (its languages, the PO files it names, every translation): any
    problem stops the import before anything is written."""
    chosen = selection.languages_of(config)  # an unknown --lang or --doc is a one-line error, as in every command
    source_paths(config, [name for name in selection.documents if name not in (DISCLAIMER, INTERFACE)])
    imported = read_exchange_file(path)
    report = ImportReport(imported.format, as_reviewed)
    report.notices.extend(f"{path}:{line}: {message}" for line, message in imported.notices)
    if _configured(imported.source_language, (config.source_language,)) is None:
        raise ExchangeError(
            f"the file translates from {imported.source_language!r}; this project from {config.source_language!r}",
            path,
            imported.line,
        )
    for tag in imported.target_languages:
        _language_of(config, tag, path, imported.line)
    by_language: dict[str, list[ImportedUnit]] = {}
    for unit in imported.units:
        language = _language_of(config, unit.language, path, unit.line)
        usable = _usable(unit, path, report)
        if language in chosen:
            by_language.setdefault(language, []).append(usable)
        else:
            report.counts["unselected"] += 1
    offered = _Offer(path.name, as_reviewed)
    with project_lock(config.root, config.written_folders):
        templates = make_templates(config, load_sources(config))
        existing = read_catalogs(config, by_language, templates)
        work = Workspace(config, templates, merge_catalogs(config, templates, existing, by_language), existing)
        originals = {config.relative(work.catalogs[key].path).as_posix(): key for key in work.catalogs}
        sent: dict[Key, list[tuple[Imported, ImportedUnit]]] = {}
        for language, units in by_language.items():
            if imported.format == "TMX":
                plan = _tmx_plan(units, work.catalogs, language, report, path, offered)
            else:
                plan = _xliff_plan(units, originals, work.catalogs, language, path, offered)
            for key, pairs in plan.items():
                if selection.documents and key[1] not in selection.documents:
                    report.counts["unselected"] += len(pairs)
                    continue
                work.apply(key, [item for item, _unit in pairs])
                sent[key] = pairs
        for key in sent:
            if any(outcome in WRITES for outcome in work.outcomes[key]):
                work.save(key)
        report.written.extend(work.written)
        _report(config, work, sent, report, path, progress)
    return report


def _usable(unit: ImportedUnit, path: Path, report: ImportReport) -> ImportedUnit:
    """``unit`` with its translation as a PO file can hold it (``imports.usable_text``; each change a notice);
    ExchangeError ``path:line`` when no PO file can."""
    try:
        text, changes = imports.usable_text(unit.source, unit.target)
    except ValueError as error:
        raise ExchangeError(f"the translation cannot be written to a PO file: {error}", path, unit.line) from None
    report.notices.extend(f"{path}:{unit.line}: the translation {change}" for change in changes)
    return replace(unit, target=text) if text != unit.target else unit


@dataclass(frozen=True, slots=True)
class _Offer:
    """How this import takes the translations of the file named ``name`` (``imports.trust``)."""

    name: str
    as_reviewed: bool

    def imported(self, unit: ImportedUnit, msgctxt: str | None) -> Imported:
        kind, comment = imports.trust(unit.kind, self.name, self.as_reviewed, unit.provenance)
        return Imported(msgctxt, unit.source, unit.target, kind, comment)


def _language_of(config: Config, tag: str, path: Path, line: int) -> str:
    """The configured language a file's language tag means; ExchangeError when there is none."""
    language = _configured(tag, config.languages)
    if language is None:
        raise ExchangeError(f"language {tag!r} is not configured ({', '.join(config.languages)})", path, line)
    return language


def _configured(tag: str, languages: Sequence[str]) -> str | None:
    """The configured language a file's tag means: itself, or the language it is a variant of (``es-ES`` → es)."""
    try:
        code = locale.normalize(tag)
    except ConfigError:
        return None
    while code and code not in languages:
        code = code.rpartition("_")[0]
    return code or None


def _xliff_plan(
    units: Sequence[ImportedUnit],
    originals: Mapping[str, Key],
    catalogs: Catalogs,
    language: str,
    path: Path,
    offered: _Offer,
) -> dict[Key, list[tuple[Imported, ImportedUnit]]]:
    """Each unit's translation for the entry its file and id (or its English) name."""
    plan: dict[Key, list[tuple[Imported, ImportedUnit]]] = {}
    index: dict[Key, tuple[dict[str, EntryState], dict[str, EntryState]]] = {}
    for unit in units:
        key = originals.get(unit.original or "")
        if key is None or key[0] != language:
            raise ExchangeError(f"no PO file {unit.original} in this project for {language}", path, unit.line)
        if key not in index:
            entries = [entry for entry in catalogs[key].entries() if not entry.plural]
            by_id = {unit_id(entry.msgctxt, entry.msgid): entry for entry in entries}
            index[key] = by_id, {entry.msgid: entry for entry in entries if entry.msgctxt is None}
        by_id, by_source = index[key]
        entry = by_id.get(unit.unit_id or "")
        if entry is None or entry.msgid != unit.source:
            entry = by_source.get(unit.source)
        msgctxt = entry.msgctxt if entry is not None else None
        plan.setdefault(key, []).append((offered.imported(unit, msgctxt), unit))
    return plan


def _tmx_plan(
    units: Sequence[ImportedUnit],
    catalogs: Catalogs,
    language: str,
    report: ImportReport,
    path: Path,
    offered: _Offer,
) -> dict[Key, list[tuple[Imported, ImportedUnit]]]:
    """Each translation unit for every catalog of the language that has its English (a memory knows no files).
    Where the memory has several translations of one text, reviewed ones win over machine ones; several of the
    same kind are ambiguous and skipped."""
    chosen: dict[tuple[str | None, str], list[ImportedUnit]] = {}
    for unit in units:
        chosen.setdefault((unit.msgctxt, unit.source), []).append(unit)
    having: dict[tuple[str | None, str], list[str]] = {}
    for name, cat in catalogs.of_language(language):
        for entry in (entry for entry in cat.entries() if not entry.plural):
            having.setdefault((entry.msgctxt, entry.msgid), []).append(name)
    plan: dict[Key, list[tuple[Imported, ImportedUnit]]] = {}
    for text_key, candidates in chosen.items():
        best = [unit for unit in candidates if unit.kind != "machine"] or candidates
        if len({unit.target for unit in best}) > 1:
            report.counts["ambiguous"] += 1
            message = f"skipped: {len(best)} different translations of {text_key[1]!r}"
            report.notices.append(f"{path}:{best[0].line}: {message}")
            continue
        unit = best[0]
        if text_key not in having:
            report.counts["missing"] += 1
        for name in having.get(text_key, ()):
            item = offered.imported(unit, unit.msgctxt)
            plan.setdefault((language, name), []).append((item, unit))
    return plan


def _report(
    config: Config,
    work: Workspace,
    sent: Mapping[Key, Sequence[tuple[Imported, ImportedUnit]]],
    report: ImportReport,
    path: Path,
    progress: ProgressFactory | None = None,
) -> None:
    """Counts, notices and QA of what the imports into each catalog did (as last applied, after saving: the
    lines are those of the PO files as written); ``progress`` counts the PO files (QA of the changed entries is
    most of an import's time)."""
    glossary = None
    for key, pairs in counted(sent.items(), len(sent), progress, f"checking what {path.name} changed", "PO files"):
        cat = work.catalogs[key]
        po = config.relative(cat.path)
        entries = cat.entries()
        active = {(entry.msgctxt, entry.msgid): entry for entry in entries}
        previous = {entry.previous_msgid: entry for entry in entries if entry.previous_msgid is not None}
        changed: set[str] = set()
        for outcome, (item, unit) in zip(work.outcomes[key], pairs, strict=True):
            report.counts[outcome] += 1
            if outcome in WRITES and unit.kind == "translated" and item.kind == "suggestion":
                report.unconfirmed += 1
            beside = outcome in ("previous", "commented") and (item.msgctxt, item.msgid) not in active
            entry = previous.get(item.msgid) if beside else active.get((item.msgctxt, item.msgid))
            if entry is not None and outcome in CHANGES:
                changed.add(entry.msgid)
            message = _NOTICES.get(outcome)
            if message:
                where = f"{po}:{entry.line}" if entry is not None else str(po)
                report.notices.append(f"{path}:{unit.line}: {message.format(po=where, text=item.msgid)}")
        if changed:
            glossary = glossary or load_glossary(config.glossary)
            found = check_catalog(config, glossary, cat, key[0])
            report.diagnostics.extend(diagnostic for diagnostic in found if diagnostic.msgid in changed)


_LABELS = {
    "reviewed": "now reviewed",
    "suggested": "fuzzy suggestions",
    "commented": "suggestions beside existing text (# tm-suggestion comments)",
    "replaced": "reviewed translations replaced (final)",
    "previous": "suggestions under the previous English",
    "unchanged": "unchanged",
    "kept": "reviewed translations kept (not final)",
    "ignored": "machine translations not needed",
    "ambiguous": "ambiguous (skipped)",
    "unselected": "not selected (skipped: --lang, --doc)",
    "obsolete": "obsolete (skipped)",
    "missing": "not in the catalogs (skipped)",
}
_NOTICES: dict[str, str] = {
    "kept": "kept the reviewed translation in {po}: the imported one differs and is not final",
    "commented": (
        "kept the text in {po} (an import never replaces text that may be a translator's only copy): the imported "
        "translation is a # tm-suggestion comment beside it"
    ),
    "replaced": "replaced the reviewed translation in {po}: the file says final",
    "previous": "the English changed since the export: the translation is a fuzzy suggestion in {po}",
    "obsolete": "skipped: {text!r} is obsolete in {po} (the English changed since the export)",
    "missing": "skipped: {text!r} is not in {po} (the English changed since the export)",
}
