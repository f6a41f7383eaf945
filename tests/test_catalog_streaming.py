"""A run (and ``check``) holds a bounded number of parsed catalogs (``pipeline.catalogs.RESIDENT_CATALOGS``, or one
language's), not the library's, and what it writes (or finds) does not depend on that bound."""

from __future__ import annotations

import gc
import shutil
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import content_project, tree
from polyleaf.catalog.model import Catalog
from polyleaf.config.model import Config, load_config
from polyleaf.pipeline import catalogs, runner
from polyleaf.pipeline.sources import ALL_STEPS
from polyleaf.pipeline.translate import Workspace

LANGUAGES = ("es", "fr", "ar", "ru")
COPIES = 2


def library(root: Path) -> Path:
    """The repository's two articles, each under ``COPIES`` names (a sentence per copy changed), four languages."""
    project = content_project(root, f'source_language = "en"\nlanguages = {list(LANGUAGES)}\nformats = ["txt"]\n')
    for article in sorted((project / "source").glob("bvn*.txt")):
        text = article.read_text(encoding="utf-8")
        for copy in range(1, COPIES):
            changed = text.replace(" pain", f" pain ({copy})", 1).replace(" the ", f" the {copy} ", 1)
            (article.parent / f"{article.stem}-{copy}.txt").write_text(changed, encoding="utf-8")
    return project


def dated_catalog_file(tmp_path: Path, entries: bytes) -> tuple[Config, Path, bytes]:
    """A library's Spanish ``leaflet.po`` written with ``entries`` and header dates of 2025: its configuration, path
    and bytes."""
    from polyleaf.project import catalog_path

    config = load_config(library(tmp_path / "project"))
    path = catalog_path(config, "es", "leaflet")
    on_disk = (
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        b'"POT-Creation-Date: 2025-01-01 00:00+0000\\n"\n"PO-Revision-Date: 2025-01-02 00:00+0000\\n"\n\n' + entries
    )
    path.parent.mkdir(parents=True)
    path.write_bytes(on_disk)
    return config, path, on_disk


def counting_alive(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """From now on, count the Catalog objects alive whenever a PO file is saved; the most seen."""
    alive: weakref.WeakSet[Catalog] = weakref.WeakSet()
    most = 0
    made, saved = Catalog.__init__, Workspace.save

    def tracked(self: Catalog, *args: object, **kwargs: object) -> None:
        made(self, *args, **kwargs)  # type: ignore[arg-type]
        alive.add(self)

    def counted(self: Workspace, key: tuple[str, str]) -> None:
        nonlocal most
        gc.collect(1)  # the young generations: what a save just let go of (a full collection takes seconds)
        most = max(most, len(alive))
        saved(self, key)

    monkeypatch.setattr(Catalog, "__init__", tracked)
    monkeypatch.setattr(Workspace, "save", counted)
    return lambda: most


def run_and_count(project: Path, monkeypatch: pytest.MonkeyPatch, resident: int) -> tuple[dict[str, bytes], int]:
    """Run, edit one sentence and run again, with at most ``resident`` catalogs kept parsed; the files the runs
    left and the most catalogs alive at once (sampled whenever a PO file is saved)."""
    monkeypatch.setattr(catalogs, "RESIDENT_CATALOGS", resident)
    most = counting_alive(monkeypatch)
    config = load_config(project)
    runner.run(config, engine_factory=lambda config: FakeEngine())
    edited = project / "source" / "bvna-chronic-low-back-pain-1.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Chronic", "Lasting", 1), encoding="utf-8")
    runner.run(config, engine_factory=lambda config: FakeEngine())
    files = {name: data for name, data in tree(project).items() if not name.startswith("build/.cache")}
    return files, most()


def test_a_run_keeps_a_bounded_number_of_catalogs_parsed_and_writes_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None
) -> None:
    first = library(tmp_path / "a" / "project")  # the same folder name: the project is named after it
    second = tmp_path / "b" / "project"
    shutil.copytree(first, second)
    per_language = 2 * COPIES + 2  # the documents, the disclaimer, the interface
    unbounded, most_unbounded = run_and_count(first, monkeypatch, 10_000)
    bounded, most_bounded = run_and_count(second, monkeypatch, 2)
    assert bounded == unbounded
    assert sum(name.endswith(".po") for name in bounded) == len(LANGUAGES) * per_language
    # without the bound every catalog of every language is alive at once (merged and as read)
    assert most_unbounded >= len(LANGUAGES) * per_language
    # with it: one language's catalogs (and two) in each of the run's two sets (as read, merged), and a few others
    assert most_bounded <= 2 * (per_language + 2) + 8 < most_unbounded


def test_the_fills_a_run_keeps_for_re_merges_come_back_as_they_were(tmp_path: Path) -> None:
    """They are held packed (a library's fills are kept to the end of the run): every field survives, in order."""
    from polyleaf.catalog.model import Fill
    from polyleaf.pipeline.catalogs import Catalogs

    config = load_config(library(tmp_path / "project"))
    work = Workspace(config, {}, Catalogs(), Catalogs())
    first = [Fill("Pain.", "Dolor.", "mt: argos en-es 1.0"), Fill('A "quote"\n', "Cita \ud800 𝔸", "tm: x", fuzzy=False)]
    work.record("es", first)
    work.record("es", [])
    work.record("es", [Fill("Back.", "Espalda.", "tm: y")])
    work.record("fr", [Fill("Pain.", "Douleur.", "mt: argos en-fr 1.0")])
    assert work.recorded("es") == [*first, Fill("Back.", "Espalda.", "tm: y")]
    assert work.recorded("fr") == [Fill("Pain.", "Douleur.", "mt: argos en-fr 1.0")]
    assert work.recorded("ar") == []


def test_a_run_over_a_library_larger_than_the_bound_reads_each_catalog_a_few_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None
) -> None:
    """A stage passes over one language's catalogs at a time and a run holds about one language's: every pass over
    the library reads each catalog again. So what a run needs from a language's catalogs is taken while they are at
    hand (MT's work and its settling, translation memory for the library, release verdicts for the dashboard), and
    a run with nothing to do reads each catalog a few times, not once per stage and pass."""
    from polyleaf.catalog import model

    project = library(tmp_path / "project")
    config = load_config(project)
    runner.run(config, engine_factory=lambda config: FakeEngine())
    before = tree(project)
    for record in ("run.json", "run-files.json"):  # no record: the run reads, checks and compares everything
        (project / "build" / ".cache" / record).unlink()
    monkeypatch.setattr(catalogs, "RESIDENT_CATALOGS", 2)
    reads: dict[Path, int] = {}
    parse = model.parse_po

    def counted(data: bytes, path: Path) -> Catalog:
        reads[path] = reads.get(path, 0) + 1
        return parse(data, path)

    monkeypatch.setattr(model, "parse_po", counted)
    runner.run(config, engine_factory=lambda config: FakeEngine())
    after = tree(project)
    assert {name: data for name, data in after.items() if not name.startswith("build/.cache")} == {
        name: data for name, data in before.items() if not name.startswith("build/.cache")
    }
    documents = {path: count for path, count in reads.items() if path.stem.startswith("bvn")}
    assert len(documents) == len(LANGUAGES) * 2 * COPIES
    assert max(documents.values()) <= 3, sorted(documents.values())  # once per stage and pass: 10


def check_and_count(project: Path, monkeypatch: pytest.MonkeyPatch, resident: int) -> tuple[list[object], int]:
    """``check`` with no cache and at most ``resident`` catalogs kept parsed: what it found and the most catalogs
    alive at once (sampled whenever a PO file is parsed)."""
    from polyleaf.catalog import model
    from polyleaf.pipeline import review

    shutil.rmtree(project / "build" / ".cache", ignore_errors=True)
    monkeypatch.setattr(catalogs, "RESIDENT_CATALOGS", resident)
    alive: weakref.WeakSet[Catalog] = weakref.WeakSet()
    most = 0
    parse = model.parse_po

    def counted(data: bytes, path: Path) -> Catalog:
        nonlocal most
        gc.collect(1)
        most = max(most, len(alive))
        made = parse(data, path)
        alive.add(made)
        return made

    monkeypatch.setattr(review, "parse_po", counted)
    found = review.check(load_config(project))
    monkeypatch.undo()
    return list(found), most


def test_check_keeps_a_bounded_number_of_catalogs_parsed_and_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None
) -> None:
    """``check`` hashes every PO file, then parses each when it checks it: a library's files are neither held as
    bytes nor all parsed at once (a language's consistency checks take its catalogs one after another)."""
    project = library(tmp_path / "project")
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine())
    per_language = 2 * COPIES + 2
    unbounded, most_unbounded = check_and_count(project, monkeypatch, 10_000)
    bounded, most_bounded = check_and_count(project, monkeypatch, 2)
    assert bounded == unbounded and bounded
    assert most_unbounded >= len(LANGUAGES) * per_language - 1  # the last file parsed sees every other one alive
    assert most_bounded <= per_language + 2 < most_unbounded


@pytest.mark.parametrize("made_as", ["merged", "built"])
def test_a_catalog_whose_file_already_holds_it_but_for_dates_can_be_let_go(tmp_path: Path, made_as: str) -> None:
    """A catalog that differs from its file only in its dates is that file's bytes, so it can be let go like any
    saved catalog: one merged from the file that only got its template's new POT-Creation-Date (``merged``), and one
    built in memory once a save wrote nothing because the file holds it but for dates (``built``). Before, such a
    catalog stayed parsed to the end of the run: at 512x the seed articles a run held five languages' catalogs
    instead of one (1.5 GB)."""
    from polyleaf.catalog import model
    from polyleaf.pipeline.catalogs import Catalogs

    config, path, on_disk = dated_catalog_file(tmp_path, b'msgid "Pain."\nmsgstr "Dolor."\n')
    new_date = model.parse_po(on_disk.replace(b"2025-01-01", b"2026-12-07"), path).po
    # merged: the file as read, then merged (the same entries, the template's new date); built: no file it was
    # read from (it serializes with a new PO-Revision-Date)
    merged = model.parse_po(on_disk, path).successor(new_date, path)
    cat = merged if made_as == "merged" else Catalog(new_date, path)
    assert cat.unchanged_bytes() == (on_disk if made_as == "merged" else None)
    work = Workspace(config, {}, Catalogs({("es", "leaflet"): cat}), Catalogs())
    work.saw(("es", "leaflet"), on_disk)
    work.save(("es", "leaflet"))
    assert path.read_bytes() == on_disk and work.written == []  # no churn: only dates differ
    assert cat.unchanged_bytes() == on_disk
    assert cat.to_bytes() == on_disk
    work.catalogs.let_go(("es", "leaflet"))
    assert work.catalogs.loaded(("es", "leaflet")) == on_disk  # parked as the file
    assert work.catalogs["es", "leaflet"].entries() == cat.entries()


@pytest.mark.parametrize("steps", [frozenset({"build"}), ALL_STEPS], ids=["build", "run"])
def test_catalogs_that_differ_from_their_files_only_in_dates_are_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None, steps: frozenset[str]
) -> None:
    """PO files whose POT-Creation-Date is older than their templates' (the merge gives them the template's, and
    nothing is written for a date alone): a build, which saves no PO file, and a run hold one language's catalogs,
    not the library's, and leave every PO file as it was."""
    import re

    project = library(tmp_path / "project")
    config = load_config(project)
    runner.run(config, engine_factory=lambda config: FakeEngine())
    dated = 0
    for path in (project / "locales").glob("*/LC_MESSAGES/*.po"):
        old, found = re.subn(
            rb'"POT-Creation-Date: [^"\\]*\\n"', rb'"POT-Creation-Date: 2020-01-01 00:00+0000\\n"', path.read_bytes()
        )
        path.write_bytes(old)
        dated += found
    assert dated == len(LANGUAGES) * (2 * COPIES + 2)
    before = {name: data for name, data in tree(project).items() if name.startswith("locales/")}
    monkeypatch.setattr(catalogs, "RESIDENT_CATALOGS", 2)
    most = 0
    shrink = catalogs.Catalogs._shrink

    def counted(self: catalogs.Catalogs) -> None:
        nonlocal most
        shrink(self)
        most = max(most, len(self._resident))

    monkeypatch.setattr(catalogs.Catalogs, "_shrink", counted)
    runner.run(config, steps=steps, engine_factory=lambda config: FakeEngine())
    assert {name: data for name, data in tree(project).items() if name.startswith("locales/")} == before
    per_language = 2 * COPIES + 2
    assert most <= per_language + 2 + 2 < len(LANGUAGES) * per_language
