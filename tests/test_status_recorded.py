"""``polyleaf status`` answers from what the last run of everything recorded while the project is as that run left
it (computing the rows checks every catalog: a minute at 128 × the seed articles), and computes them otherwise."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import polyleaf
from polyleaf.config.model import load_config
from polyleaf.pipeline import status as status_module
from polyleaf.pipeline.build import DRAFT
from polyleaf.pipeline.incremental import run_record
from polyleaf.pipeline.readiness import StatusRow, status_rows
from polyleaf.pipeline.sources import ALL_STEPS, EVERYTHING, Selection
from polyleaf.pipeline.status import status
from release_helpers import ARTICLE, DOSE, DOSE_SENTENCE, OTHER, SECOND_SENTENCE, review, run

BOTH = FakeEngine(pairs={("en", "es"), ("en", "ar")})


def computed(root: Path, selection: Selection = EVERYTHING) -> list[StatusRow]:
    return status_rows(load_config(root), selection)


def answered(root: Path, monkeypatch: pytest.MonkeyPatch, selection: Selection = EVERYTHING) -> list[StatusRow]:
    """``status`` with the rows' computation made to fail: what it answers from the record alone."""

    def not_computed(*args: object) -> None:
        raise AssertionError("the rows were computed")

    with monkeypatch.context() as patched:
        patched.setattr(status_module, "status_rows", not_computed)
        return status(load_config(root), selection)


@pytest.fixture
def settled(project: Path) -> Path:
    """es partly reviewed (one reviewed QA error: 25 mg for 2.5 mg), ar machine-translated, an orphaned catalog
    (its article deleted), a leaflet whose image is missing, all left by a run of everything that went through."""
    (project / "source" / f"{DOSE}.txt").write_text("Dosage\n" + DOSE_SENTENCE + "\n", encoding="utf-8")
    (project / "source" / "gone.txt").write_text("A leaflet that is about to be removed.\n", encoding="utf-8")
    # a build that warns (an image not found) records the rows all the same
    (project / "source" / "pictured.md").write_text("# Pictured\n\nA scan.\n\n![A scan](scan.png)\n", "utf-8")
    run(project, engine=BOTH)
    review(project, "es", ARTICLE, skip={SECOND_SENTENCE})
    review(project, "es", OTHER)
    spanish = {"Dosage": "Dosis", DOSE_SENTENCE: "Tome 25 mg del medicamento dos veces al día."}
    review(project, "es", DOSE, text=lambda language, msgid: spanish[msgid])
    (project / "source" / "gone.txt").unlink()
    report = run(project, engine=BOTH)
    assert any("image 'scan.png' not shown" in line for line in report.warnings)
    return project


def test_status_of_a_project_as_the_run_left_it_is_what_the_run_recorded(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = computed(settled)
    assert {row.document for row in rows} >= {ARTICLE, OTHER, DOSE, "gone", "disclaimer", "interface"}
    assert any(row.errors for row in rows) and any(row.blocker.startswith("orphaned") for row in rows)
    assert any(row.reviewed_by_source for row in rows)
    assert answered(settled, monkeypatch) == rows
    assert answered(settled, monkeypatch, Selection(languages=("ar",))) == computed(settled, Selection(("ar",)))
    # the languages in the order asked for, as computed rows are (each language's catalogs, then the orphans)
    both = Selection(languages=("ar", "es"))
    assert answered(settled, monkeypatch, both) == computed(settled, both) != rows
    page = settled / "build" / "status.html"
    before = page.stat().st_mtime_ns
    result = polyleaf(settled, "status", "--json")  # the command as a user runs it, in a process of its own
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [row.as_json() for row in rows]
    assert page.stat().st_mtime_ns == before  # the run's page: nothing to write


def test_status_on_another_day_is_what_the_run_recorded(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The leaflets are dated (a run on another day does all its work), the rows are not."""
    rows = answered(settled, monkeypatch)
    config = load_config(settled)
    assert run_record(config, ALL_STEPS, EVERYTHING, DRAFT).replay(lambda skipped: True) is not None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time()) + 3 * 86400))
    assert run_record(config, ALL_STEPS, EVERYTHING, DRAFT).replay(lambda skipped: True) is None
    assert answered(settled, monkeypatch) == rows == computed(settled)


def test_status_after_a_translator_saves_is_computed_from_the_files(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = answered(settled, monkeypatch)
    review(settled, "es", ARTICLE)  # the last sentence reviewed too: the article is ready in Spanish
    with pytest.raises(AssertionError, match="computed"):
        answered(settled, monkeypatch)
    rows = status(load_config(settled))
    assert rows == computed(settled) and rows != recorded
    spanish = next(row for row in rows if (row.language, row.document) == ("es", ARTICLE))
    assert spanish.stats.reviewed == spanish.stats.segments


def test_status_after_a_run_of_one_edited_article_is_what_that_run_recorded(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review(settled, "es", "disclaimer")  # a shared catalog's row changes with the documents' verdicts
    run(settled, engine=BOTH)
    source = settled / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(SECOND_SENTENCE, "A new sentence."), "utf-8")
    run(settled, engine=BOTH)
    assert answered(settled, monkeypatch) == computed(settled)


def test_status_of_some_documents_is_computed(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(AssertionError, match="computed"):
        answered(settled, monkeypatch, Selection(documents=(DOSE,)))
