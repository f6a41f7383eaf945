"""A run after an edit of one article does that article's work (``pipeline.incremental``): it reads and builds that
article alone, takes what the other documents' pages show from what the last run left (``pipeline.library``), and
writes exactly the files a run of everything writes — PO files, templates, leaflets, language and site indexes, the
dashboard. Anything else (a reviewed translation anywhere, an article added, a new character in a language's font
subsets) is a run of everything, or a build of every document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, OTHER, po_path, set_translation, snapshot, twin
from polyleaf.config.model import load_config
from polyleaf.execution.workers import Parallel
from polyleaf.pipeline import runner, sources
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.sources import EVERYTHING

#: The sentence the edit changes, in the first article, and what it becomes (one word).
SENTENCE = "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
EDITED = SENTENCE.replace("pervasive", "common")


def run(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Report, list[tuple[str, ...]]]:
    """One ``polyleaf run`` of everything; the documents it parsed, each time it parsed some."""
    parsed: list[tuple[str, ...]] = []
    load_sources = sources.load_sources

    def counting(config: object, only: tuple[str, ...] = (), *args: object) -> sources.Sources:
        found = load_sources(config, only, *args)  # type: ignore[arg-type]
        parsed.append(tuple(document.name for document in found.documents))
        return found

    monkeypatch.setattr(runner, "load_sources", counting)
    report = runner.run(load_config(project), EVERYTHING, engine_factory=lambda _: FakeEngine(), parallel=Parallel(1))
    monkeypatch.setattr(runner, "load_sources", load_sources)
    return report, parsed


def edit(project: Path, old: str = SENTENCE, new: str = EDITED, name: str = ARTICLE) -> None:
    path = project / "source" / f"{name}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def written(project: Path) -> dict[str, bytes]:
    """What a run wrote for people (the caches aside: a run of some documents keeps other things there)."""
    return {path: data for path, data in snapshot(project).items() if not path.startswith("build/.cache")}


@pytest.fixture
def settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None) -> Path:
    """A project of four articles in Spanish and Arabic, machine-translated and built by a run of everything."""
    config = 'source_language = "en"\nproject_name = "edits"\nlanguages = ["es", "ar"]\nformats = ["txt", "html"]\n'
    root = tmp_path / "a" / "project"
    (root / "source").mkdir(parents=True)
    repo = Path(__file__).resolve().parent.parent / "source"
    shutil.copyfile(repo / "disclaimer.txt", root / "source" / "disclaimer.txt")
    for name in (ARTICLE, OTHER):
        text = (repo / f"{name}.txt").read_text(encoding="utf-8")
        (root / "source" / f"{name}.txt").write_text(text, encoding="utf-8")
        (root / "source" / f"{name}-copy.txt").write_text(text.replace(".\n", ", again.\n"), encoding="utf-8")
    (root / "polyleaf.toml").write_text(config, encoding="utf-8")
    report, parsed = run(root, monkeypatch)
    assert report.filled_from_mt["es"] > 0 and not report.errors and len(parsed[0]) == 4
    return root


def test_one_edit_does_one_article_and_writes_what_a_run_of_everything_writes(
    settled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = twin(settled, "b")  # a copy: its record names other files, so its run does everything
    for project in (settled, everything):
        edit(project)
    report, parsed = run(settled, monkeypatch)
    full, parsed_everything = run(everything, monkeypatch)
    assert parsed == [(ARTICLE,)] and len(parsed_everything[0]) == 4
    assert written(settled) == written(everything)
    assert report.as_json(settled) == full.as_json(everything)
    assert report.filled_from_mt == {"es": 1, "ar": 1}
    spanish = (settled / "build" / "es" / f"{ARTICLE}.es.html").read_text(encoding="utf-8")
    assert FakeEngine().translate_one(EDITED) in spanish
    # and back: the second edit after the first is one article's work too, and equal to everything's
    for project in (settled, everything):
        edit(project, EDITED, SENTENCE)
    run(settled, monkeypatch), run(everything, monkeypatch)
    assert written(settled) == written(everything)


def test_an_edit_that_brings_a_new_character_builds_every_page_of_its_language(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages of a language share one font subset per face: a character no page had makes new subsets, which
    every page links, so every page of the language is written again — exactly as a run of everything does."""
    everything = twin(settled, "b")
    for project in (settled, everything):
        edit(project, new=SENTENCE.replace("millions", "millions (≈ 10⁶)"))
    report, parsed = run(settled, monkeypatch)
    full, _parsed = run(everything, monkeypatch)
    assert parsed[0] == (ARTICLE,) and len(parsed[-1]) == 4  # the edited article, then every document
    assert written(settled) == written(everything)
    other_page = Path("build") / "es" / f"{OTHER}.es.html"
    assert settled / other_page in report.written
    # what the build of one article wrote before it gave way (the new subsets, its text leaflets) is reported too
    assert report.as_json(settled) == full.as_json(everything)
    again, parsed = run(settled, monkeypatch)
    assert parsed == [] and again.written == []  # the run was recorded: the next is answered from the record


@pytest.mark.parametrize("change", ["reviewed", "added", "po"])
def test_anything_but_an_article_edit_is_a_run_of_everything(
    settled: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """A reviewed translation (translation memory crosses documents), a new article, a PO file a translator saved:
    the run does everything, and a reviewed translation is never overwritten."""
    edit(settled)
    po = po_path(settled, "es", OTHER)
    if change == "reviewed":
        set_translation(po, "Conclusion", '"Conclusión"')
    elif change == "added":
        shutil.copyfile(settled / "source" / f"{OTHER}.txt", settled / "source" / "another.txt")
    else:
        po.write_bytes(po.read_bytes() + b"\n")
    report, parsed = run(settled, monkeypatch)
    assert not report.errors and len(parsed[0]) >= 4
    if change == "reviewed":
        assert 'msgid "Conclusion"\nmsgstr "Conclusión"' in po.read_text(encoding="utf-8")
        edit(settled, EDITED, SENTENCE)
        _again, parsed = run(settled, monkeypatch)
        assert len(parsed[0]) == 4  # a reviewed translation in the project: every run does everything


def test_a_leaflet_warning_of_another_article_is_given_again_after_an_edit(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library keeps no warning about a leaflet's images or PDF: when the last build gave one, the run after an
    edit does everything, and warns again."""
    (settled / "source" / "pictured.md").write_text("# Pictured\n\nA scan.\n\n![A scan](scan.png)\n", encoding="utf-8")
    first, _parsed = run(settled, monkeypatch)
    assert any("pictured.md: image 'scan.png' not shown" in line for line in first.warnings)
    edit(settled)
    again, parsed = run(settled, monkeypatch)
    assert len(parsed[0]) == 5 and any("pictured.md: image 'scan.png' not shown" in line for line in again.warnings)


def test_a_po_file_saved_while_the_run_starts_is_read_by_a_run_of_everything(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator's save between the run's first look at the project (is it as the last run left it?) and its
    second (what the run starts from) was recorded as seen and never read: the other article's leaflet kept its
    draft count, and the next edit took the one-article path with a reviewed translation in the project."""
    from polyleaf.pipeline.run_record import RunRecord

    edit(settled)
    po = po_path(settled, "es", OTHER)
    begin = RunRecord.begin

    def translator_saves_first(record: RunRecord) -> None:
        set_translation(po, "Conclusion", '"Conclusión"')
        begin(record)

    monkeypatch.setattr(RunRecord, "begin", translator_saves_first)
    report, parsed = run(settled, monkeypatch)
    monkeypatch.setattr(RunRecord, "begin", begin)
    assert not report.errors and len(parsed[0]) == 4  # every document read: the review is in the files
    assert 'msgid "Conclusion"\nmsgstr "Conclusión"' in po.read_text(encoding="utf-8")
    everything = twin(settled, "b")
    run(everything, monkeypatch)
    assert written(settled) == written(everything)
