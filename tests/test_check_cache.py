"""``check`` keeps what it found (``build/.cache/check``) by the bytes and settings it was found from: a second
check gives the same findings and exit code without parsing or checking anything, anything it depends on changed
is checked again, it writes no PO file, and an entry this machine did not write for exactly these inputs is not
used."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import ARTICLE, invoke_in, po_path, po_string, set_translation
from polyleaf.cache import Store
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.fsio import project_lock
from polyleaf.pipeline import review
from polyleaf.pipeline.qa_cache import QaCache
from polyleaf.qa import registry
from polyleaf.qa.registry import check_catalog_entries
from polyleaf.source.parse.reading import parse_document

DOSE = "Take 2 tablets every 6 hours."
WRONG = "Tome comprimidos cada 6 horas."  # the 2 is lost: a QA error in a reviewed entry
CATALOG_ENTRY = f"catalogs/es/{ARTICLE}"


@pytest.fixture
def translated(project: Path, pinned_clock: None) -> Path:
    """A project with PO files (``update``) and a reviewed Spanish dose sentence that lost a number."""
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{DOSE}\n", encoding="utf-8")
    assert invoke_in(project, "update").exit_code == 0
    set_translation(po_path(project, "es", ARTICLE), DOSE, po_string(WRONG))
    return project


def check(project: Path) -> tuple[int, list[dict[str, Any]]]:
    """The exit code and the records of ``polyleaf check --json``."""
    result = invoke_in(project, "check", "--json")
    return result.exit_code, json.loads(result.stdout)


def uncached(project: Path) -> tuple[int, list[dict[str, Any]]]:
    """``check`` with no cache at all (what it finds from the files alone)."""
    shutil.rmtree(project / "build" / ".cache", ignore_errors=True)
    return check(project)


def count_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many PO files ``check`` parses, catalogs it checks, languages it compares, articles it reads, from now."""
    counts = {"parsed": 0, "checked": 0, "compared": 0, "read": 0}

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return function(*args, **kwargs)

        return counted

    monkeypatch.setattr("polyleaf.pipeline.review.parse_po", counting("parsed", catalog.parse_po))
    monkeypatch.setattr(registry, "check_catalog_entries", counting("checked", check_catalog_entries))
    monkeypatch.setattr(review, "consistency", counting("compared", review.consistency))
    monkeypatch.setattr("polyleaf.pipeline.readability.parse_document", counting("read", parse_document))
    return counts


def times(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


def has_dose_error(records: list[dict[str, Any]]) -> bool:
    return any(r["check"] == "numbers" and r["msgid"] == DOSE and r["severity"] == "error" for r in records)


def test_a_second_check_answers_from_the_cache_with_the_same_findings_and_exit_code(
    translated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po_files = {path: path.read_bytes() for path in (translated / "locales").rglob("*.po")}
    cold = check(translated)
    assert cold[0] == 1 and has_dose_error(cold[1])
    assert any(r["check"] == "readability" for r in cold[1])  # the source's findings are kept as well
    assert (translated / "build" / ".cache" / "check" / f"{CATALOG_ENTRY}.json").is_file()
    written = times(translated / "build")
    counts = count_work(monkeypatch)
    assert check(translated) == cold
    assert counts == {"parsed": 0, "checked": 0, "compared": 0, "read": 0}
    assert times(translated / "build") == written  # a check with nothing new writes nothing
    assert {path: path.read_bytes() for path in (translated / "locales").rglob("*.po")} == po_files


def test_a_changed_po_file_is_checked_again_alone(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(translated)
    counts = count_work(monkeypatch)
    set_translation(po_path(translated, "es", ARTICLE), DOSE, po_string("Tome 2 comprimidos cada 6 horas."))
    code, records = check(translated)
    assert code == 0 and not has_dose_error(records)
    spanish = len(list(po_path(translated, "es", ARTICLE).parent.glob("*.po")))  # compared with each other
    assert counts == {"parsed": spanish, "checked": 1, "compared": 1, "read": 0}  # Arabic and the articles: no
    assert (code, records) == uncached(translated)


def test_a_waiver_written_in_the_po_file_counts_at_once(translated: Path) -> None:
    check(translated)
    po = po_path(translated, "es", ARTICLE)
    text = po.read_text(encoding="utf-8")
    waiver = "# ignore-numbers: checked with the pharmacist\n"
    po.write_text(text.replace(f"msgid {po_string(DOSE)}", f"{waiver}msgid {po_string(DOSE)}"), encoding="utf-8")
    code, records = check(translated)
    assert code == 0
    assert any(r["check"] == "numbers" and r["msgid"] == DOSE and r["waived"] for r in records)
    assert (code, records) == uncached(translated)


def test_a_changed_glossary_or_setting_is_checked_again(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(translated)
    with (translated / "locales" / "glossary.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([["term", "language", "translation", "note"], ["tablets", "es", "pastillas", ""]])
    code, records = check(translated)
    assert any(r["check"] == "glossary" and r["msgid"] == DOSE for r in records)
    assert (code, records) == uncached(translated)
    config = translated / "polyleaf.toml"
    graded = [r for r in records if r["check"] == "readability"]
    config.write_text(config.read_text(encoding="utf-8") + "\n[readability]\nmax_grade = 29\n", encoding="utf-8")
    counts = count_work(monkeypatch)
    code, records = check(translated)
    assert counts["read"] == 2 and counts["checked"] == 0  # the articles are read again, the catalogs are not
    assert [r for r in records if r["check"] == "readability"] != graded
    assert (code, records) == uncached(translated)


def test_a_cache_entry_this_machine_did_not_write_for_these_files_is_not_used(translated: Path) -> None:
    cold = check(translated)
    store = Store(translated / "build", "check")
    stored = store.load(CATALOG_ENTRY)
    assert stored["diagnostics"]
    forged = {**stored, "diagnostics": []}  # "no findings" for the digest of the real inputs…
    store.path(CATALOG_ENTRY).write_text(json.dumps(forged), encoding="utf-8")  # …unsigned, as a repository holds it
    assert check(translated) == cold
    store.save(CATALOG_ENTRY, {**forged, "sha256": "0" * 64})  # signed here, for other inputs
    assert check(translated) == cold
    store.save(CATALOG_ENTRY, {"sha256": stored["sha256"], "diagnostics": [["x", "one", "error"]]})  # damaged
    assert check(translated) == cold
    store.path(CATALOG_ENTRY).write_bytes(b"\x00not a cache entry")
    assert check(translated) == cold
    assert store.load(CATALOG_ENTRY) == stored  # and the entry is the true one again


def test_a_po_file_that_does_not_parse_is_an_error_cached_or_not(translated: Path) -> None:
    check(translated)
    po = po_path(translated, "es", ARTICLE)
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    for _ in range(2):
        result = invoke_in(translated, "check")
        assert result.exit_code == 1
        assert f"locales/es/LC_MESSAGES/{ARTICLE}.po:" in result.output


def _runs(items: list[str]) -> list[str]:
    """``items`` with each run of equal neighbours as one."""
    return [item for index, item in enumerate(items) if index == 0 or items[index - 1] != item]


def test_check_checks_every_language_of_a_catalog_together_and_reports_language_after_language(
    translated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[Path] = []

    def recording(entries: Any, context: Any, path: Path, memo: Any = None) -> Any:
        checked.append(path)
        return check_catalog_entries(entries, context, path, memo)

    monkeypatch.setattr(registry, "check_catalog_entries", recording)
    code, records = uncached(translated)
    assert code == 1 and has_dose_error(records)
    # a source sentence is read once for all its languages: the languages of a catalog one after the other (QA
    # checks a catalog entry by entry: each catalog is a run of calls)
    files = _runs([path.as_posix() for path in checked])
    catalogs = [Path(path).stem for path in files]
    assert len(catalogs) == 8 and _runs(catalogs) == list(dict.fromkeys(catalogs))
    assert [Path(path).parts[1] for path in files][:2] == ["es", "ar"]
    # and the findings are reported in the order they always were: language after language
    languages = [Path(record["path"]).parts[1] for record in records if record["path"].startswith("locales/")]
    assert _runs(languages) == ["es", "ar"]


def test_a_check_while_a_run_holds_the_lock_leaves_the_run_a_true_count(translated: Path) -> None:
    """A run keeps the count of the QA cache's bytes (``Store``'s ``.bytes``) while it holds the project lock: a
    check meanwhile adds no entry behind its back (the run would keep a count short of what the part holds, and the
    part would outgrow its size without anyone looking)."""
    shutil.rmtree(translated / "build" / ".cache" / "qa")
    assert invoke_in(translated, "check", "--lang", "es", "--doc", ARTICLE).exit_code == 1  # one entry, counted
    run_store = QaCache(load_config(translated)).store
    with project_lock(translated, ()):
        assert run_store.save("zz/entry", {"sha256": "d"})  # the run takes the count away
        assert check(translated)[0] == 1  # every catalog: more entries
        run_store.bound()
    count = run_store.load_bytes(".bytes")
    part = translated / "build" / ".cache" / "qa"
    held = sum(path.stat().st_size for path in part.rglob("*.json") if path.name != ".bytes.json")
    assert count is not None and int(count) >= held


def test_a_check_while_a_run_holds_the_lock_writes_nothing_in_the_build_folder(translated: Path) -> None:
    """Every write into ``build/`` holds the project lock, so that only a killed holder leaves temp files there (the
    next holder looks for them then, and only then): a check meanwhile keeps none of its caches, its sentence splits
    (``build/.cache/segments``) neither."""
    shutil.rmtree(translated / "build" / ".cache")
    with project_lock(translated, ()):
        assert check(translated)[0] == 1
    assert not (translated / "build" / ".cache").exists()
    assert check(translated)[0] == 1
    assert (translated / "build" / ".cache" / "segments" / f"{ARTICLE}.json").exists()  # kept when it could


def test_a_po_file_saved_while_check_reads_it_is_checked_as_saved_and_nothing_is_kept(
    translated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``check`` hashes every PO file first and reads one again when it parses it (it holds no file's bytes): a file
    saved in between is checked as it was saved, and what this check found is of no one version of the files, so
    none of it is kept."""
    path = po_path(translated, "es", ARTICLE)
    hashed = catalog.po_bytes

    def saved_right_after_hashing(where: Path) -> bytes:
        data = hashed(where)
        if where == path and b"6 horas" in data and b"Tome 2" not in data:
            set_translation(path, DOSE, po_string("Tome 2 comprimidos cada 6 horas."))  # the translator fixes it
        return data

    monkeypatch.setattr(review, "po_bytes", saved_right_after_hashing)
    code, records = check(translated)
    assert code == 0 and not has_dose_error(records)  # the file as saved, not as hashed
    assert not list((translated / "build" / ".cache" / "check").rglob("*.json"))
    monkeypatch.undo()
    assert check(translated) == (code, records)
    assert (translated / "build" / ".cache" / "check" / f"{CATALOG_ENTRY}.json").is_file()


def test_a_po_file_swapped_for_a_link_out_of_the_project_after_hashing_is_refused(
    translated: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``check`` reads a file again when it parses it: what it reads then is confined like the first read."""
    path = po_path(translated, "es", ARTICLE)
    outside = tmp_path / "outside.po"
    outside.write_bytes(path.read_bytes())
    hashed = catalog.po_bytes

    def swapped_after_hashing(where: Path) -> bytes:
        data = hashed(where)
        if where == path and not path.is_symlink():
            path.unlink()
            path.symlink_to(outside)
        return data

    monkeypatch.setattr(review, "po_bytes", swapped_after_hashing)
    result = invoke_in(translated, "check")
    assert result.exit_code != 0
    assert "refusing to read" in result.output and ARTICLE in result.output
    assert len(result.output.strip().splitlines()) == 1


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


@pytest.mark.parametrize("swap", [Path.unlink, _folder, _fifo, _loop], ids=["deleted", "folder", "fifo", "loop"])
def test_a_po_file_gone_or_no_file_after_hashing_is_one_line_naming_it(
    translated: Path, monkeypatch: pytest.MonkeyPatch, swap: Callable[[Path], None]
) -> None:
    """What ``check`` reads when it parses a file is refused like what it hashed: one line, no cache kept."""
    path = po_path(translated, "es", ARTICLE)
    hashed = catalog.po_bytes

    def swapped_after_hashing(where: Path) -> bytes:
        data = hashed(where)
        if where == path and path.is_file() and not path.is_symlink():
            swap(path)
        return data

    monkeypatch.setattr(review, "po_bytes", swapped_after_hashing)
    result = invoke_in(translated, "check")
    assert result.exit_code == 1  # invoke_in: no exception but SystemExit
    assert len(result.output.strip().splitlines()) == 1 and f"LC_MESSAGES/{ARTICLE}.po: " in result.output
    assert not list((translated / "build" / ".cache" / "check").rglob("*.json"))
