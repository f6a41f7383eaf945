"""A changed catalog reuses the findings of the entries it had when last checked (``qa_cache``): whatever a reviewer
does to a PO file, QA with the cache finds exactly what it finds without it (findings, lines, order)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, po_path, po_string, set_translation
from polyleaf.catalog.model import read_po
from polyleaf.config.model import load_config
from polyleaf.execution.workers import Parallel
from polyleaf.glossary import load_glossary
from polyleaf.pipeline import qa_cache, readiness, review, runner
from polyleaf.pipeline.qa_cache import QaCache
from polyleaf.qa.model import Diagnostic
from test_check_workers import with_workers
from test_qa_cache import DOSE, cached, checked, diagnostics, no_checks

__all__ = ["checked"]  # the fixture: a project a run left, with a Spanish dose sentence that lost a number

OTHER_DOSE = "Take 4 tablets."
TITLE = "Introduction: A New Approach to Chronic Back Pain Relief"


def blocks(po: Path) -> list[list[str]]:
    """The PO file's entries, each its lines (comments, msgctxt, msgid, msgstr), the header first."""
    found: list[list[str]] = [[]]
    for line in po.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return [block for block in found if block]


def write_blocks(po: Path, entries: list[list[str]]) -> None:
    po.write_text("\n\n".join("\n".join(block) for block in entries) + "\n", encoding="utf-8")


def edit(po: Path, msgid: str, change: Callable[[list[str]], list[str]]) -> None:
    """Replace the entry of (one-line) ``msgid``'s lines by ``change`` of them."""
    entries = blocks(po)
    at = [index for index, block in enumerate(entries) if f"msgid {po_string(msgid)}" in block]
    assert at, msgid
    for index in at:
        entries[index] = change(entries[index])
    write_blocks(po, entries)


def with_comment(line: str) -> Callable[[list[str]], list[str]]:
    return lambda block: [line, *block]


def without(prefix: str) -> Callable[[list[str]], list[str]]:
    return lambda block: [line for line in block if not line.startswith(prefix)]


def same(project: Path, language: str = "es") -> list[Diagnostic]:
    """Assert the cached diagnostics are the uncached ones (and return them)."""
    fresh = diagnostics(project, language)
    assert cached(project, language) == fresh
    assert cached(project, language) == fresh  # and again, from the cache file the first call left
    return fresh


def dose_error(found: list[Diagnostic], msgid: str = DOSE) -> bool:
    return any(d.msgid == msgid and d.check == "numbers" and d.severity == "error" and not d.waived for d in found)


def test_a_waiver_added_edited_and_removed_on_one_entry(checked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = po_path(checked, "es", ARTICLE)
    calls = no_checks(monkeypatch)
    assert dose_error(same(checked))
    edit(po, DOSE, with_comment("# ignore-numbers: the dose is spelled out"))
    fresh = diagnostics(checked)
    calls.clear()
    assert cached(checked) == fresh
    assert calls == [DOSE]  # the entry that changed alone
    assert not dose_error(same(checked))
    edit(po, DOSE, lambda block: [line.replace("spelled out", "written in words") for line in block])
    assert not dose_error(same(checked))
    edit(po, DOSE, lambda block: [line.replace("ignore-numbers", "ignore-spaces") for line in block])
    assert dose_error(same(checked))
    edit(po, DOSE, without("# ignore-"))
    edit(po, DOSE, with_comment("#, ignore-numbers"))
    assert not dose_error(same(checked))
    edit(po, DOSE, without("#, ignore-"))
    assert dose_error(same(checked))
    edit(po, DOSE, with_comment("# A reviewer's sentence, wrapped\n# ignore-numbers: by an editor"))
    assert dose_error(same(checked))  # a marker that continues a sentence is no waiver


def test_a_bound_waiver_stays_bound_when_another_entry_changes(checked: Path) -> None:
    po = po_path(checked, "es", ARTICLE)
    edit(po, DOSE, with_comment("# ignore-numbers: the dose is spelled out"))
    runner.run(load_config(checked), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))
    assert "(for " in po.read_text(encoding="utf-8")  # the run bound the waiver
    assert not dose_error(same(checked))
    other = next(b for b in blocks(po)[1:] if po_string(DOSE) not in "\n".join(b) and b[-1] != 'msgstr ""')
    msgid = next(line for line in other if line.startswith("msgid ")).removeprefix("msgid ")
    write_blocks(po, [[*b[:-1], 'msgstr "Otra cosa."'] if b == other else b for b in blocks(po)])
    assert not dose_error(same(checked))
    set_translation(po, DOSE, po_string("Tome comprimidos cada seis horas."))  # the bound translation changed
    found = same(checked)
    assert dose_error(found) and any(d.check == "waiver" for d in found), msgid


def test_an_entry_made_fuzzy_and_reviewed_again(checked: Path) -> None:
    po = po_path(checked, "es", ARTICLE)
    before = same(checked)
    edit(po, DOSE, with_comment("#, fuzzy"))
    fuzzy = same(checked)
    assert fuzzy != before
    set_translation(po, DOSE, po_string("Tome comprimidos cada 6 horas."))
    assert same(checked) == before


def test_entries_that_differ_only_in_their_context(checked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = po_path(checked, "es", ARTICLE)
    twins = [[f'msgctxt "{name}"', f"msgid {po_string(OTHER_DOSE)}", 'msgstr "Tome comprimidos."'] for name in "ab"]
    write_blocks(po, [*blocks(po), *twins])
    found = same(checked)
    assert sum(d.msgid == OTHER_DOSE and d.check == "numbers" for d in found) == 2
    entries = blocks(po)
    entries[-1] = ["# ignore-numbers: only in this context", *entries[-1]]
    write_blocks(po, entries)
    found = same(checked)
    assert [d.waived for d in found if d.msgid == OTHER_DOSE and d.check == "numbers"] == [False, True]


def test_entries_reordered_deleted_and_shifted_by_a_long_translation(checked: Path) -> None:
    po = po_path(checked, "es", ARTICLE)
    same(checked)
    header, *entries = blocks(po)
    write_blocks(po, [header, *reversed(entries)])
    assert dose_error(same(checked))
    write_blocks(po, [header, entries[0], *entries[2:]])  # the second entry deleted
    same(checked)
    lines = [d.line for d in same(checked) if d.msgid == DOSE]
    edit(po, TITLE, lambda block: [*block[:-1], 'msgstr ""', '"Una frase "', '"en varias "', '"líneas."'])
    found = same(checked)
    assert dose_error(found) and [d.line for d in found if d.msgid == DOSE] == [line + 3 for line in lines]


def test_a_do_not_translate_term_some_entries_have(checked: Path) -> None:
    before = same(checked)
    with (checked / "locales" / "glossary.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([["term", "language", "translation", "note"], ["tablets", "", "", ""]])
    found = same(checked)
    assert found != before
    (checked / "locales" / "glossary.csv").write_text("term,language,translation,note\n", encoding="utf-8")
    assert same(checked) == before


def test_the_locales_folder_moved(checked: Path) -> None:
    found = same(checked)
    (checked / "locales").rename(checked / "translations")
    toml = checked / "polyleaf.toml"
    toml.write_text('locales_dir = "translations"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    config = load_config(checked)
    cat = read_po(checked / "translations" / "es" / "LC_MESSAGES" / f"{ARTICLE}.po")
    moved = review.check_catalog(config, load_glossary(config.glossary), cat, "es")
    with qa_cache.active(QaCache(config)):
        assert review.check_catalog(config, load_glossary(config.glossary), cat, "es") == moved
    assert [replace(d, path=found[0].path) for d in moved] == found
    assert [d.path.parts[0] for d in moved] == ["translations"] * len(found)


def test_a_catalog_copied_into_another_language(checked: Path) -> None:
    same(checked, "ar")
    shutil.copyfile(po_path(checked, "es", ARTICLE), po_path(checked, "ar", ARTICLE))
    found = same(checked, "ar")
    assert dose_error(found) and all(d.path.parts[1] == "ar" for d in found)


@pytest.mark.parametrize("forge", ["truncated", "miscounted", "zeroed", "shifted", "no entries", "other setting"])
def test_a_signed_cache_file_whose_entries_do_not_add_up_is_not_used(checked: Path, forge: str) -> None:
    """Findings reused from a cache file whose ``entries`` do not match its diagnostics could miss an error."""
    store = QaCache(load_config(checked)).store
    stored = store.load(f"es/{ARTICLE}")
    assert stored is not None and any(count for _key, count in stored["entries"])
    if forge == "zeroed":  # the findings, none of them an entry's
        stored["entries"] = [[key, 0] for key, _count in stored["entries"]]
    elif forge == "shifted":  # as many findings as entries have, one counted from before the first
        counts = [count for _key, count in stored["entries"]]
        dose = max(range(len(counts)), key=counts.__getitem__)
        counts[0], counts[-1], counts[dose] = counts[0] - 1, counts[-1] + counts[dose] + 1, 0
        stored["entries"] = [[key, count] for (key, _count), count in zip(stored["entries"], counts, strict=True)]
    else:
        stored["diagnostics"] = []  # a forged "no findings"…
    if forge == "truncated":
        stored["entries"] = stored["entries"][:1]
    elif forge == "miscounted":
        stored["entries"] = [[key, -count] for key, count in stored["entries"]]
    elif forge == "no entries":
        del stored["entries"]
    elif forge == "other setting":
        stored["entries"] = [[key, 0] for key, _count in stored["entries"]]
        stored["setting"] = "0" * 64
    stored["sha256"] = "0" * 64  # …signed here, for other entries
    store.save(f"es/{ARTICLE}", stored)
    set_translation(po_path(checked, "es", ARTICLE), TITLE, po_string("Introducción"))  # any edit
    assert dose_error(same(checked))


def test_check_on_workers_after_an_edit(checked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review, "BYTES_PER_WORKER", 1)  # a few kilobytes pay for workers
    with_workers(checked, 2)
    po = po_path(checked, "es", ARTICLE)
    edit(po, DOSE, with_comment("# ignore-numbers: the dose is spelled out"))
    on_workers = review.check(load_config(checked))
    edit(po, DOSE, without("# ignore-"))
    set_translation(po_path(checked, "ar", ARTICLE), DOSE, po_string("خذ قرصين كل ساعات."))
    on_workers = review.check(load_config(checked))
    shutil.rmtree(checked / "build" / ".cache")
    with_workers(checked, 1)
    assert on_workers == review.check(load_config(checked))
    assert sum(d.msgid == DOSE and d.check == "numbers" and not d.waived for d in on_workers) == 2


def test_a_run_after_an_edit_reports_what_a_fresh_projects_run_does(checked: Path, tmp_path: Path) -> None:
    po = po_path(checked, "es", ARTICLE)
    edit(po, DOSE, with_comment("# ignore-numbers: the dose is spelled out"))
    set_translation(po_path(checked, "ar", ARTICLE), DOSE, po_string("خذ قرصين كل ساعات."))
    fresh = tmp_path / "fresh"
    shutil.copytree(checked, fresh, ignore=shutil.ignore_patterns(".cache"))

    def run(project: Path) -> tuple[list[str], list[readiness.StatusRow]]:
        config = load_config(project)
        report = runner.run(config, engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))
        return report.errors, readiness.status_rows(config)

    errors, rows = run(checked)
    assert (errors, rows) == run(fresh)
    assert any(row.errors for row in rows)
