"""A translator who saves a PO file while a run is under way: the file the run leaves (their work re-merged with
the run's, ``Workspace.save``) is the file a run of everything leaves, QA notes included — whether they saved while
machine translation was going, or while the run saved the catalogs of a language machine translation leaves alone,
or during ``polyleaf update``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from fake_engine import FakeEngine, SavingEngine
from helpers import ARTICLE, content_project, po_path, set_translation, snapshot, twin
from polyleaf.config.model import load_config
from polyleaf.execution.workers import Parallel
from polyleaf.glossary import Glossary
from polyleaf.pipeline import runner
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.translate import Workspace

CONFIG = 'source_language = "en"\nproject_name = "saves"\nlanguages = ["es", "ar"]\nformats = ["txt"]\n'


def run(project: Path, engine: FakeEngine | None = None) -> Report:
    used = engine or FakeEngine()
    return runner.run(load_config(project), engine_factory=lambda _config: used, parallel=Parallel(1))


def translate_first_empty(po: Path) -> None:
    """What a translator does: translate the first short entry still empty (with a negation the English lacks,
    which QA notes in the file)."""
    found = re.findall(r'\nmsgid "([^"\\]{5,60})"\nmsgstr ""\n', po.read_text(encoding="utf-8"))
    set_translation(po, found[0], '"No traducido a mano"')


def po_files(project: Path) -> dict[str, bytes]:
    return {path: data for path, data in snapshot(project).items() if path.startswith("locales/")}


def test_a_po_file_saved_during_machine_translation_gets_the_qa_notes_a_run_of_everything_writes(
    tmp_path: Path, pinned_clock: None
) -> None:
    project = content_project(tmp_path / "a" / "project", CONFIG)
    po = po_path(project, "es", ARTICLE)
    report = run(project, SavingEngine("es", lambda: translate_first_empty(po)))
    assert not report.errors and report.filled_from_mt["es"] > 0
    assert "No traducido a mano" in po.read_text(encoding="utf-8")
    everything = twin(project, "b")  # a copy: its record names other files, so its run does everything again
    run(everything)
    assert po_files(project) == po_files(everything)


def test_a_po_file_of_a_language_without_a_model_saved_during_a_run_gets_the_qa_notes_a_run_of_everything_writes(
    tmp_path: Path, pinned_clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spanish has no model: its PO files are saved once, with what translation memory filled; a translator who
    saved one meanwhile has it re-merged there, and machine translation does not pass over Spanish again."""
    project = content_project(tmp_path / "a" / "project", CONFIG)
    arabic_only = {("en", "ar")}
    run(project, FakeEngine(pairs=arabic_only))
    article = project / "source" / f"{ARTICLE}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(" pain", " ache", 1), encoding="utf-8")
    po = po_path(project, "es", ARTICLE)
    fill = runner._fill_from_memory

    def translator_saves(state: runner._Run, language: str) -> None:
        fill(state, language)
        if language == "es":
            translate_first_empty(po)

    monkeypatch.setattr(runner, "_fill_from_memory", translator_saves)
    report = run(project, FakeEngine(pairs=arabic_only))
    monkeypatch.setattr(runner, "_fill_from_memory", fill)
    assert not report.errors and "No traducido a mano" in po.read_text(encoding="utf-8")
    everything = twin(project, "b")
    run(everything, FakeEngine(pairs=arabic_only))
    assert po_files(project) == po_files(everything)


def test_a_po_file_saved_during_an_update_gets_the_qa_notes_a_run_of_everything_writes(
    tmp_path: Path, pinned_clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``polyleaf update``: the translator saves after the run annotated the catalogs, before it saved them."""
    project = content_project(tmp_path / "a" / "project", CONFIG)
    update = frozenset({"extract", "update"})
    runner.run(load_config(project), steps=update)
    article = project / "source" / f"{ARTICLE}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(" pain", " ache", 1), encoding="utf-8")
    po = po_path(project, "es", ARTICLE)
    annotate = runner._annotate

    def translator_saves(work: Workspace, glossary: Glossary, languages: Sequence[str]) -> None:
        annotate(work, glossary, languages)
        if list(languages) == ["es"]:
            translate_first_empty(po)

    monkeypatch.setattr(runner, "_annotate", translator_saves)
    report = runner.run(load_config(project), steps=update)
    monkeypatch.setattr(runner, "_annotate", annotate)
    assert not report.errors and "No traducido a mano" in po.read_text(encoding="utf-8")
    everything = twin(project, "b")
    runner.run(load_config(everything), steps=update)
    assert po_files(project) == po_files(everything)


def test_a_po_file_saved_after_the_run_saved_it_is_read_by_the_next_run(
    tmp_path: Path, pinned_clock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The translator saves a PO file the run has already written (machine translation filled it) while the run
    builds: the run wrote that file, but not what it holds now, so it leaves no record — the next run is no replay
    of this one, and builds from the translator's work as a run of everything does."""
    project = content_project(tmp_path / "a" / "project", CONFIG)
    po = po_path(project, "es", ARTICLE)
    build = runner._build

    def translator_saves(*args: object) -> bool:
        found = re.findall(r'\nmsgid "([^"\\]{5,60})"\nmsgstr "', po.read_text(encoding="utf-8"))
        set_translation(po, found[0], '"Revisado a mano"')  # machine-translated: now reviewed
        return build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_build", translator_saves)
    report = run(project)
    monkeypatch.setattr(runner, "_build", build)
    assert not report.errors and po in report.written
    again = run(project)
    assert again.written  # not a replay of the run above: the leaflets are built from the translator's text
    everything = twin(project, "b")
    run(everything)
    assert snapshot(project) == snapshot(everything)
