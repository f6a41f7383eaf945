"""Which review sheet the PO files match: the version of a PO state, the record of the sheets written
(``build/review/sheets.json``) and what ``check`` says about them.

Apart from the writing of sheets (``review_sheet``), which runs QA for the sheets' notes: ``check`` reads the record
and the versions, so they sit below both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from polyleaf import clock
from polyleaf.catalog.model import Catalog, EntryState
from polyleaf.config.model import Config
from polyleaf.errors import PolyleafError
from polyleaf.fsio import read_or_none, write_if_changed
from polyleaf.jsonio import load_json
from polyleaf.pipeline.catalogs import Catalogs
from polyleaf.po.pocomments import short_hash
from polyleaf.project import DISCLAIMER, INTERFACE
from polyleaf.qa.model import Diagnostic

#: The folder of the sheets, below the build folder.
REVIEW_DIR = "review"
#: The record of the sheets written: ``build/review/sheets.json``.
RECORD = "sheets.json"
#: How many versions of one sheet (a language and its documents) the record keeps.
_KEPT = 20
#: The check that reports which sheet a PO state matches.
SHEET_CHECK = "review-sheet"


def today() -> str:
    """The date a sheet is written and recorded with."""
    return clock.now().date().isoformat()


# ----------------------------------------------------------------------------------------------- versions


def _states(catalogs: dict[str, Catalog]) -> Iterator[tuple[str, str, str, EntryState]]:
    """(catalog, entry key, entry state, entry) of every active entry, in file order: what a version covers."""
    for name in sorted(catalogs):
        for entry in catalogs[name].entries():
            key = json.dumps([entry.msgctxt, entry.msgid], ensure_ascii=False)
            state = json.dumps([entry.msgstr, entry.fuzzy, entry.previous_msgid], ensure_ascii=False)
            yield name, key, state, entry


def state_version(catalogs: dict[str, Catalog]) -> str:
    """The SHA-256 of the PO state of ``catalogs``: every entry's English, translation, fuzzy flag and previous
    English (not its comments, line numbers or dates)."""
    digest = hashlib.sha256()
    for name, key, state, _entry in _states(catalogs):
        digest.update(json.dumps([name, key, state], ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def entry_hashes(catalogs: dict[str, Catalog]) -> dict[str, str]:
    """A short hash of each entry's state, by a short hash of its catalog and English: what ``check`` compares to
    say which entries changed since a sheet."""
    return {short_hash(f"{name}\x04{key}"): short_hash(state) for name, key, state, _entry in _states(catalogs)}


def _record_path(config: Config) -> Path:
    return config.build_dir / REVIEW_DIR / RECORD


def _records(config: Config) -> list[dict[str, object]]:
    """The sheets recorded (an unreadable record is no record: it only ever informs)."""
    try:
        data = load_json(read_or_none(_record_path(config)) or b"[]")
    except (PolyleafError, ValueError):
        return []
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def sheets_recorded(config: Config) -> bool:
    """Whether any sheet was recorded (``check`` reads the PO files for ``sheet_diagnostics`` only then)."""
    return bool(_records(config))


def record(
    config: Config,
    language: str,
    documents: tuple[str, ...],
    version: str,
    entries: dict[str, str],
    files: Sequence[Path | None],
) -> None:
    """Add a sheet to ``build/review/sheets.json`` (a version already recorded for it is moved to the end)."""
    items = [
        item
        for item in _records(config)
        if not (
            item.get("language") == language
            and item.get("documents") == list(documents)
            and item.get("version") == version
        )
    ]
    items.append(
        {
            "language": language,
            "documents": list(documents),
            "version": version,
            "written": today(),
            "files": [config.relative(path).as_posix() for path in files if path is not None],
            "entries": entries,
        }
    )
    same = [item for item in items if item.get("language") == language and item.get("documents") == list(documents)]
    dropped = {id(item) for item in same[:-_KEPT]}
    kept = [item for item in items if id(item) not in dropped]
    data = json.dumps(kept, indent=1, ensure_ascii=False).encode("utf-8") + b"\n"
    write_if_changed(_record_path(config), data, within=config.build_dir)


# ----------------------------------------------------------------------------------------------- check


def sheet_diagnostics(config: Config, catalogs: Catalogs, documents: Sequence[str], every: bool) -> list[Diagnostic]:
    """For each sheet recorded (of a language and its documents) that the PO files ``catalogs`` (as on disk) cover,
    whether they match one of its versions — which one —, or how many entries changed since the last one.
    ``documents``: the documents ``catalogs`` hold; ``every``: all of them (a sheet of every document is checked)."""
    found: list[Diagnostic] = []
    sheets: dict[tuple[str, tuple[str, ...]], list[dict[str, object]]] = {}
    for item in _records(config):
        sheets.setdefault((str(item.get("language")), _names(item.get("documents"))), []).append(item)
    for (language, names), versions in sheets.items():
        covered = set(names) <= set(documents) if names else every
        wanted = list(names) or [*documents, DISCLAIMER, INTERFACE]
        mine = {name: catalogs[language, name] for name in wanted if (language, name) in catalogs}
        if not covered or not mine:
            continue
        version = state_version(mine)
        matching = [item for item in versions if item.get("version") == version]
        last = matching[-1] if matching else versions[-1]
        files = _names(last.get("files"))
        where = Path(files[-1]) if files else config.relative(_record_path(config))
        if matching:
            message = (
                f"the PO files of {language} match this review sheet (version {version[:12]}, {last.get('written')})"
            )
        else:
            changed = _changed(config, mine, last.get("entries"))
            listed = f": {', '.join(changed[:5])}{', …' if len(changed) > 5 else ''}" if changed else ""
            message = (
                f"the PO files of {language} (version {version[:12]}) match no review sheet: {len(changed)} "
                f"entr{'y' if len(changed) == 1 else 'ies'} changed since this one (version "
                f"{str(last.get('version'))[:12]}, {last.get('written')}){listed}"
            )
        found.append(Diagnostic(where, 0, "info", SHEET_CHECK, message, ""))
    return found


def _names(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _changed(config: Config, catalogs: dict[str, Catalog], recorded: object) -> list[str]:
    """``path:line`` of each entry whose state differs from ``recorded`` (entry hashes), new entries included."""
    before = recorded if isinstance(recorded, dict) else {}
    return [
        f"{config.relative(catalogs[name].path).as_posix()}:{entry.line}"
        for name, key, state, entry in _states(catalogs)
        if before.get(short_hash(f"{name}\x04{key}")) != short_hash(state)
    ]
