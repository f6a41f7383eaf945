"""What ``RunRecord.save`` looks at again after a run (``_looked_after``): the files the run wrote, the folders and
the files added; every other file is recorded as the run found it. So whatever anyone else does to the project
while a run goes — a PO file edited in place, a source, an output, a symlinked folder, the glossary, the
configuration — is a difference the next run finds: it does the work, and leaves what a fresh run leaves; and a
run after it with nothing to do is answered from the record."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, OTHER, po_path, run_everything, snapshot
from polyleaf.pipeline import build as build_stage
from polyleaf.pipeline import incremental, runner, sources
from polyleaf.pipeline.build import Outputs
from release_helpers import review

LEAFLET = Path("build") / "es" / f"{ARTICLE}.es.html"
OTHER_LEAFLET = Path("build") / "es" / f"{OTHER}.es.html"


run = run_everything


def during_build(monkeypatch: pytest.MonkeyPatch, before: Callable[[], object], after: Callable[[], object]) -> None:
    """Someone acts while the next run goes: ``before`` once the run read everything, ``after`` once it built."""
    build_all = build_stage.build

    def meanwhile(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(build_stage, "build", build_all)
        before()
        built = build_all(*args, **kwargs)  # type: ignore[arg-type]
        after()
        return built

    monkeypatch.setattr(build_stage, "build", meanwhile)


def nothing() -> None:
    """Nobody acts."""


def written(project: Path) -> dict[str, bytes]:
    """What a run wrote for people (the caches aside)."""
    return {path: data for path, data in snapshot(project).items() if not path.startswith("build/.cache")}


def fresh(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """What a run of everything leaves from the project's sources, PO files and configuration, with no build
    folder and no record (a copy under the same folder name: the project is named after it)."""
    other = project.parent.parent / "fresh" / project.name
    shutil.rmtree(other, ignore_errors=True)
    shutil.copytree(
        project, other, symlinks=True, ignore=lambda folder, names: ["build"] if Path(folder) == project else []
    )
    run(other, monkeypatch)
    return written(other)


def settles(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next run does the work, leaves what a fresh run leaves, and the run after it is answered from the
    record."""
    _report, parsed = run(project, monkeypatch)
    assert parsed, "answered from the record: a change made during the last run was lost"
    assert written(project) == fresh(project, monkeypatch)
    again, parsed = run(project, monkeypatch)
    assert parsed == [] and again.written == []


def edit(project: Path, old: str, new: str, name: str = ARTICLE) -> None:
    path = project / "source" / f"{name}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SENTENCE = "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
OTHER_SENTENCE = "VVMs are abnormal clusters of veins in the spine."


@pytest.fixture
def settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None) -> Path:
    """A project of two articles in Spanish and Arabic, machine-translated and built; a re-run is answered from
    the record."""
    config = 'source_language = "en"\nproject_name = "looks"\nlanguages = ["es", "ar"]\nformats = ["txt", "html"]\n'
    root = tmp_path / "a" / "project"
    (root / "source").mkdir(parents=True)
    repo = Path(__file__).resolve().parent.parent / "source"
    for name in ("disclaimer", ARTICLE, OTHER):
        shutil.copyfile(repo / f"{name}.txt", root / "source" / f"{name}.txt")
    (root / "polyleaf.toml").write_text(config, encoding="utf-8")
    (root / "locales").mkdir()
    (root / "locales" / "glossary.csv").write_text("term,language,translation,note\n", encoding="utf-8")
    report, parsed = run(root, monkeypatch)
    assert report.filled_from_mt["es"] > 0 and not report.errors and len(parsed[0]) == 2
    assert run(root, monkeypatch)[1] == []
    return root


def a_run(project: Path) -> None:
    """A change that makes the next run one of everything (no article's edit): the disclaimer's time."""
    path = project / "source" / "disclaimer.txt"
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 5_000_000_000))


def _edit_po_in_place(project: Path) -> None:
    """A translator's editor that writes in place and puts the time back: the same inode, size and time."""
    path = po_path(project, "es", ARTICLE)
    info, data = path.stat(), path.read_bytes()
    start = data.index(b'msgstr "', data.index(b"\n\n")) + len(b'msgstr "')  # the first entry after the header
    with path.open("r+b") as file:
        file.seek(start)
        file.write(b"X" if data[start : start + 1] != b"X" else b"Y")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_ino == info.st_ino


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_po_file_edited_in_place_during_a_run_keeping_its_size_and_time(
    settled: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    a_run(settled)
    edit_it = functools.partial(_edit_po_in_place, settled)
    during_build(monkeypatch, *((edit_it, nothing) if when == "before" else (nothing, edit_it)))
    run(settled, monkeypatch)
    settles(settled, monkeypatch)


def test_a_source_edited_during_a_run(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a_run(settled)
    during_build(monkeypatch, lambda: edit(settled, SENTENCE, SENTENCE.replace("pervasive", "common")), nothing)
    run(settled, monkeypatch)
    assert "common" not in (settled / LEAFLET).read_text(encoding="utf-8")
    settles(settled, monkeypatch)
    assert FakeEngine().translate_one(SENTENCE.replace("pervasive", "common")) in (settled / LEAFLET).read_text(
        encoding="utf-8"
    )


def test_a_source_edited_during_a_run_of_another_article(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run after an edit reads that article alone; another article edited meanwhile is the next run's work (and
    that run is one of that article too)."""
    edit(settled, SENTENCE, SENTENCE.replace("pervasive", "common"))
    check = incremental.memory_unchanged

    def editor_saves(*args: object) -> bool:
        edit(settled, OTHER_SENTENCE, OTHER_SENTENCE.replace("abnormal", "unusual"), name=OTHER)
        return check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "memory_unchanged", editor_saves)
    _report, parsed = run(settled, monkeypatch)
    monkeypatch.setattr(runner, "memory_unchanged", check)
    assert parsed == [(ARTICLE,)]
    report, parsed = run(settled, monkeypatch)
    assert parsed == [(OTHER,)] and settled / OTHER_LEAFLET in report.written
    assert written(settled) == fresh(settled, monkeypatch)
    assert run(settled, monkeypatch)[1] == []


@pytest.mark.xfail(strict=True, reason="a removal below build/ is taken as the run's own: not every one is reported")
@pytest.mark.parametrize("output", [LEAFLET, Path("build") / "index.html"])
def test_an_output_deleted_during_a_run_that_did_not_write_it(
    settled: Path, monkeypatch: pytest.MonkeyPatch, output: Path
) -> None:
    a_run(settled)
    during_build(monkeypatch, nothing, lambda: (settled / output).unlink())
    report, _parsed = run(settled, monkeypatch)
    assert settled / output not in report.written and not (settled / output).exists()
    settles(settled, monkeypatch)
    assert (settled / output).is_file()


def test_an_output_edited_during_a_run_that_did_not_write_it(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a_run(settled)
    path = settled / LEAFLET
    during_build(monkeypatch, nothing, lambda: path.write_text("<p>edited by hand</p>", encoding="utf-8"))
    report, _parsed = run(settled, monkeypatch)
    assert path not in report.written
    settles(settled, monkeypatch)


@pytest.mark.xfail(strict=True, reason="a file the run wrote is recorded as found, its content unchecked (not in left)")
def test_an_output_the_run_wrote_edited_after_its_write(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run writes the leaflet of the edited article; someone edits it before the run ends."""
    edit(settled, SENTENCE, SENTENCE.replace("pervasive", "common"))
    path = settled / LEAFLET
    during_build(monkeypatch, nothing, lambda: path.write_text("<p>edited by hand</p>", encoding="utf-8"))
    report, _parsed = run(settled, monkeypatch)
    assert path in report.written
    settles(settled, monkeypatch)


def test_a_source_added_and_removed_during_a_run(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source there when the run read the sources and gone when it ended: the run built it, the next run finds
    it gone (its outputs are a fresh run's to remove)."""
    a_run(settled)
    added = settled / "source" / "added.txt"
    load_sources = sources.load_sources

    def added_meanwhile(*args: object, **kwargs: object) -> object:
        shutil.copyfile(settled / "source" / f"{OTHER}.txt", added)
        return load_sources(*args, **kwargs)  # type: ignore[arg-type]

    during_build(monkeypatch, nothing, added.unlink)
    monkeypatch.setattr(sources, "load_sources", added_meanwhile)
    report, parsed = run(settled, monkeypatch)
    monkeypatch.setattr(sources, "load_sources", load_sources)
    assert "added" in parsed[0] and settled / "build" / "es" / "added.es.html" in report.written
    settles(settled, monkeypatch)


def test_a_po_file_replaced_and_a_file_added_and_removed_during_a_run(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PO file saved as a new file (another inode) and a scratch file that comes and goes: the PO file is a
    difference; the scratch file none."""
    a_run(settled)
    po = po_path(settled, "es", OTHER)
    scratch = settled / "locales" / "es" / "LC_MESSAGES" / "scratch.txt"

    def replace_po() -> None:
        text = po.read_text(encoding="utf-8")
        start = text.index('msgstr "', text.index("\n\n")) + len('msgstr "')
        temp = po.with_suffix(".tmp")
        temp.write_text(f"{text[:start]}Z{text[start:]}", encoding="utf-8")
        os.replace(temp, po)
        scratch.write_text("notes", encoding="utf-8")

    during_build(monkeypatch, replace_po, scratch.unlink)
    run(settled, monkeypatch)
    settles(settled, monkeypatch)


def test_a_symlinked_language_folder_retargeted_during_a_run(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``locales/es -> ../translations/es``, pointed at another copy (with a translator's edit) while a run goes —
    by a new link, or by swapping the folder it names."""
    translations = settled / "translations"
    translations.mkdir()
    shutil.move(settled / "locales" / "es", translations / "es")
    (settled / "locales" / "es").symlink_to(Path("..") / "translations" / "es")
    assert run(settled, monkeypatch)[1] and run(settled, monkeypatch)[1] == []  # settled behind the link
    shutil.copytree(translations / "es", translations / "es-v2")
    shutil.copytree(translations / "es", translations / "es-v3")
    for version in ("es-v2", "es-v3"):
        po = translations / version / "LC_MESSAGES" / f"{ARTICLE}.po"
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "V', 2), encoding="utf-8")

    def retarget() -> None:
        link = settled / "locales" / "es"
        temp = settled / "locales" / "es.new"
        temp.symlink_to(Path("..") / "translations" / "es-v2")
        os.replace(temp, link)

    a_run(settled)
    during_build(monkeypatch, retarget, nothing)
    run(settled, monkeypatch)
    settles(settled, monkeypatch)
    assert os.readlink(settled / "locales" / "es") == str(Path("..") / "translations" / "es-v2")

    def swap() -> None:  # the link names the same folder; that folder is another one now
        os.rename(translations / "es-v2", translations / "es-old")
        os.rename(translations / "es-v3", translations / "es-v2")

    a_run(settled)
    during_build(monkeypatch, swap, nothing)
    run(settled, monkeypatch)
    settles(settled, monkeypatch)


def test_the_glossary_edited_during_a_run(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    glossary = settled / "locales" / "glossary.csv"
    a_run(settled)
    during_build(
        monkeypatch,
        lambda: glossary.write_text("term,language,translation,note\npain,es,dolor,\n", encoding="utf-8"),
        nothing,
    )
    run(settled, monkeypatch)
    settles(settled, monkeypatch)


def test_the_configuration_edited_during_a_run(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = settled / "polyleaf.toml"
    a_run(settled)
    edited = config.read_text(encoding="utf-8").replace('["txt", "html"]', '["html"]')
    during_build(monkeypatch, lambda: config.write_text(edited, encoding="utf-8"), nothing)
    run(settled, monkeypatch)
    assert (settled / "build" / "es" / f"{ARTICLE}.es.txt").exists()
    settles(settled, monkeypatch)
    assert not (settled / "build" / "es" / f"{ARTICLE}.es.txt").exists()


def test_a_run_after_an_edit_leaves_a_record_the_next_run_replays(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing done meanwhile: the run after an edit (one article's, then one of everything) is recorded as it
    left the project."""
    edit(settled, SENTENCE, SENTENCE.replace("pervasive", "common"))
    assert run(settled, monkeypatch)[1] == [(ARTICLE,)]
    assert run(settled, monkeypatch)[1] == []
    a_run(settled)
    assert len(run(settled, monkeypatch)[1][0]) == 2
    assert run(settled, monkeypatch)[1] == []


def test_a_release_run_again_is_answered_from_the_record(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A release is built aside and swapped in whole: what lies below the release folder is looked at again (its
    files are new), so the release run's record is the project as it left it."""
    review(settled, "es", ARTICLE)
    first, parsed = run(settled, monkeypatch, Outputs(release=True))
    assert parsed and (settled / "build" / "release" / "release.json").is_file()
    again, parsed = run(settled, monkeypatch, Outputs(release=True))
    assert parsed == [] and again.withheld == first.withheld and again.published == first.published
    a_run(settled)  # and a release over the last one: the folder's files were there when the run began
    assert run(settled, monkeypatch, Outputs(release=True))[1]
    again, parsed = run(settled, monkeypatch, Outputs(release=True))
    assert parsed == [] and again.published == first.published
