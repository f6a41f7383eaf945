"""QA diagnostics kept between runs (``build/.cache/qa``): used only for exactly the entries, context and code
they were computed for; and the dashboard a run draws from what it holds is the one ``status`` draws from files."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, po_path, po_string, set_translation
from polyleaf.catalog.model import read_po
from polyleaf.config.model import load_config
from polyleaf.execution.workers import Parallel
from polyleaf.glossary import load_glossary
from polyleaf.pipeline import dashboard, qa_cache, readiness, review, runner
from polyleaf.pipeline.qa_cache import QaCache
from polyleaf.qa import registry
from polyleaf.qa.model import CheckContext, Diagnostic, EntryView
from polyleaf.qa.registry import FindingsMemo, check_catalog_entries

DOSE = "Take 2 tablets every 6 hours."


@pytest.fixture
def checked(project: Path, pinned_clock: None) -> Path:
    """A project a run left, with a Spanish dose sentence whose translation lost a number (a QA error)."""
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{DOSE}\n", encoding="utf-8")
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))
    set_translation(po_path(project, "es", ARTICLE), DOSE, po_string("Tome comprimidos cada 6 horas."))
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))
    return project


def diagnostics(project: Path, language: str = "es") -> list[Diagnostic]:
    config = load_config(project)
    cat = read_po(po_path(project, language, ARTICLE))
    return review.check_catalog(config, load_glossary(config.glossary), cat, language)


def cached(project: Path, language: str = "es") -> list[Diagnostic]:
    with qa_cache.active(QaCache(load_config(project))):
        return diagnostics(project, language)


def no_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """List the entries QA really checks from now on (their msgids)."""
    calls: list[str] = []
    check = check_catalog_entries

    def counting(
        entries: Sequence[EntryView], context: CheckContext, path: Path, memo: FindingsMemo | None = None
    ) -> list[Diagnostic]:
        calls.extend(entry.msgid for entry in entries if entry.msgid)
        return check(entries, context, path, memo)

    monkeypatch.setattr(registry, "check_catalog_entries", counting)
    return calls


def test_a_run_keeps_the_diagnostics_and_they_are_the_checked_ones(
    checked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = diagnostics(checked)
    assert any(d.check == "numbers" and d.severity == "error" for d in fresh)
    assert (checked / "build" / ".cache" / "qa" / "es" / f"{ARTICLE}.json").is_file()
    calls = no_checks(monkeypatch)
    assert cached(checked) == fresh
    assert calls == []


def test_a_changed_entry_or_glossary_is_checked_again(checked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = no_checks(monkeypatch)
    set_translation(po_path(checked, "es", ARTICLE), DOSE, po_string("Tome 2 comprimidos cada 6 horas."))
    assert not any(d.check == "numbers" and d.msgid == DOSE for d in cached(checked))
    assert calls == [DOSE]  # the changed entry alone: the others keep what the last check found
    calls.clear()
    with (checked / "locales" / "glossary.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([["term", "language", "translation", "note"], ["tablets", "es", "pastillas", ""]])
    assert cached(checked) == diagnostics(checked)
    msgids = [entry.msgid for entry in read_po(po_path(checked, "es", ARTICLE)).entries() if entry.msgid]
    assert sorted(calls) == sorted(msgids * 2)  # another context: every entry, with the cache and without


def test_an_entry_added_above_the_others_is_the_one_checked_and_the_others_findings_move_with_their_lines(
    checked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = checked / "source" / f"{ARTICLE}.txt"
    added = "Take 3 tablets every 8 hours on the first day."
    source.write_text(f"{added}\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    runner.run(load_config(checked), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))
    calls = no_checks(monkeypatch)
    set_translation(po_path(checked, "es", ARTICLE), added, po_string("Tome comprimidos cada 8 horas el primer día."))
    found = cached(checked)
    assert calls == [added]
    assert found == diagnostics(checked)  # every line where the file has it now
    assert {d.msgid for d in found if d.check == "numbers" and d.severity == "error"} == {DOSE, added}


def test_a_cache_file_that_is_not_what_it_claims_is_not_used(checked: Path) -> None:
    store = QaCache(load_config(checked)).store
    stored = store.load(f"es/{ARTICLE}")
    stored["diagnostics"] = []  # a forged "no findings" for the digest of the real entries…
    store.path(f"es/{ARTICLE}").write_text(json.dumps(stored), encoding="utf-8")  # …not signed here
    assert cached(checked) == diagnostics(checked) != []
    stored["sha256"] = "0" * 64  # signed here, but for other entries
    store.save(f"es/{ARTICLE}", stored)
    assert cached(checked) == diagnostics(checked) != []
    store.path(f"es/{ARTICLE}").write_text("{not json", encoding="utf-8")
    assert cached(checked) == diagnostics(checked)


def test_the_dashboard_of_a_run_is_the_one_status_draws_from_the_files(
    checked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[list[readiness.StatusRow]] = []
    write = dashboard.write_status_page

    def keep(config: object, rows: list[readiness.StatusRow], *measures: object) -> object:
        drawn.append(list(rows))
        return write(config, rows, *measures)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "write_status_page", keep)
    set_translation(po_path(checked, "ar", ARTICLE), DOSE, po_string("خذ قرصين كل 6 ساعات."))
    runner.run(load_config(checked), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))
    assert len(drawn) == 1
    assert drawn[0] == readiness.status_rows(load_config(checked))
    assert any(row.errors for row in drawn[0])


def test_check_after_a_run_answers_from_the_cache_and_writes_only_its_own(
    checked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = checked / "build" / ".cache" / "check"

    def files() -> list[tuple[Path, int]]:
        return sorted((path, path.stat().st_mtime_ns) for path in (checked / "build").rglob("*") if path.is_file())

    before = files()
    calls = no_checks(monkeypatch)
    found = review.check(load_config(checked))
    assert calls == []
    assert any(d.check == "numbers" and d.msgid == DOSE and d.severity == "error" for d in found)
    assert [row for row in files() if not row[0].is_relative_to(own)] == before  # the run's QA cache answered
    assert (own / "catalogs" / "es" / f"{ARTICLE}.json").is_file()


def test_a_run_after_check_answers_from_the_qa_cache_check_filled(
    checked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree(checked / "build" / ".cache" / "qa")
    fresh = review.check(load_config(checked))
    calls = no_checks(monkeypatch)
    assert cached(checked) == diagnostics(checked)
    assert sorted(calls) == sorted(entry.msgid for entry in read_po(po_path(checked, "es", ARTICLE)).entries())
    assert review.check(load_config(checked)) == fresh


def test_the_runs_findings_memo_forgets_its_oldest_entries_past_its_size() -> None:
    """A run remembers the findings of so many entries, not the library's: past ``kept`` the oldest go first."""
    memo = FindingsMemo(kept=2)
    for key in ("a", "b", "c"):
        memo.keep((key,), [])
    assert memo.get(("a",)) is None
    assert memo.get(("b",)) == () and memo.get(("c",)) == ()


def test_the_findings_memo_keeps_each_entry_once_in_its_order_of_age() -> None:
    """An entry kept again is not a second one: the memo keeps ``kept`` distinct entries, each forgotten once, and
    what it forgets is the oldest still kept (thousands past its size, as a library's run goes)."""
    memo = FindingsMemo(kept=3)
    memo.keep(("a",), [])
    memo.keep(("a",), [])  # kept again (the same findings)
    for number in range(5000):
        memo.keep((number,), [])
    assert [memo.get((number,)) for number in (4996, 4997, 4998, 4999)] == [None, (), (), ()]
    assert memo.get(("a",)) is None
    memo.keep(("a",), [])
    assert memo.get((4997,)) is None and memo.get((4998,)) == () and memo.get(("a",)) == ()
