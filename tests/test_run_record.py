"""A run with nothing to do is answered from the record of the last run (``build/.cache/run.json``): it reads and
writes nothing else and reports what a full run would; any change to what a run reads or writes makes the next
run do all its work."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, po_path, po_string, set_translation, snapshot
from polyleaf.config.model import load_config
from polyleaf.errors import CatalogError
from polyleaf.execution.workers import Parallel
from polyleaf.pipeline import build as build_stage
from polyleaf.pipeline import printed, run_record, runner, sources
from polyleaf.pipeline.build import DRAFT
from polyleaf.pipeline.incremental import run_record as run_record_of
from polyleaf.pipeline.looks import Look
from polyleaf.pipeline.printed import Rendered
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.run_record import RunRecord
from polyleaf.pipeline.sources import ALL_STEPS, EVERYTHING, Selection

RECORD = Path("build") / ".cache" / "run.json"


def spanish_only(config: object) -> FakeEngine:
    """An engine with a Spanish model only: Arabic is skipped (no model installed)."""
    return FakeEngine(pairs={("en", "es")})


def run(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    engine: Callable[[object], FakeEngine] = spanish_only,
    selection: Selection = EVERYTHING,
) -> tuple[Report, bool]:
    """One ``polyleaf run``; whether it did the work (read the sources) or was answered from the record."""
    calls: list[object] = []
    load_sources = sources.load_sources

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return load_sources(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "load_sources", counting)
    report = runner.run(load_config(project), selection, engine_factory=engine, parallel=Parallel(workers=1))
    monkeypatch.setattr(runner, "load_sources", load_sources)
    return report, bool(calls)


@pytest.fixture
def done(project: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None) -> Path:
    """A project as a run left it: Spanish machine-translated, Arabic skipped, leaflets built."""
    report, worked = run(project, monkeypatch)
    assert worked and report.filled_from_mt["es"] > 0 and "ar" in report.skipped
    assert (project / RECORD).is_file()
    return project


@pytest.mark.slow
def test_a_run_with_nothing_to_do_reports_what_a_full_run_reports_and_writes_nothing(
    done: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(done)
    replayed, worked = run(done, monkeypatch)
    assert not worked and replayed.written == []
    assert snapshot(done) == before
    (done / RECORD).unlink()
    full, worked = run(done, monkeypatch)
    assert worked and full.written == []
    assert replayed.as_json(done) == full.as_json(done)
    assert "ar" in replayed.skipped and replayed.notes and replayed.filled_from_mt == {"es": 0}


def _edit_po_keeping_size_and_times(project: Path) -> None:
    path = po_path(project, "es", ARTICLE)
    info = path.stat()
    data = path.read_bytes()
    index = data.index(b'msgstr "', data.index(b"\n\n")) + len(b'msgstr "')  # the first entry after the header
    swapped = data[:index] + (b"X" if data[index : index + 1] != b"X" else b"Y") + data[index + 1 :]
    path.write_bytes(swapped)  # in place: same inode, same size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _touch_source(project: Path) -> None:
    path = project / "source" / f"{ARTICLE}.txt"
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 5_000_000_000))


def _delete_a_leaflet(project: Path) -> None:
    (project / "build" / "es" / f"{ARTICLE}.es.html").unlink()


def _change_the_configuration(project: Path) -> None:
    config = project / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('["txt", "html"]', '["txt"]'), encoding="utf-8")


def _add_an_image(project: Path) -> None:
    (project / "source" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")


def _leave_a_journal(project: Path) -> None:
    journal = project / "locales" / ".journal"
    journal.mkdir(exist_ok=True)
    (journal / "es.jsonl").write_text("", encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        _edit_po_keeping_size_and_times,
        _touch_source,
        _delete_a_leaflet,
        _change_the_configuration,
        _add_an_image,
        _leave_a_journal,
    ],
)
def test_any_change_to_what_a_run_reads_or_writes_makes_the_next_run_do_its_work(
    done: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None]
) -> None:
    change(done)
    _report, worked = run(done, monkeypatch)
    assert worked
    _report, worked = run(done, monkeypatch)
    assert not worked  # and that run recorded the new state


def test_a_deleted_leaflet_is_built_again(done: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _delete_a_leaflet(done)
    report, _worked = run(done, monkeypatch)
    assert done / "build" / "es" / f"{ARTICLE}.es.html" in report.written


@pytest.mark.slow
def test_a_new_day_another_request_or_a_model_installed_is_a_change(
    done: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(done, monkeypatch, selection=Selection(languages=("es",)))[1]
    assert not run(done, monkeypatch, selection=Selection(languages=("es",)))[1]
    assert run(done, monkeypatch)[1]  # the request the record holds is the last one
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1780000000 + 86400))
    assert run(done, monkeypatch)[1]
    report, worked = run(done, monkeypatch, engine=lambda config: FakeEngine())  # an Arabic model now
    assert worked and report.filled_from_mt["ar"] > 0 and not report.skipped


def test_a_record_copied_from_another_copy_of_the_project_matches_nothing(
    done: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere" / done.name
    shutil.copytree(done, other)  # times kept, inodes and change times not
    assert (other / RECORD).read_bytes() == (done / RECORD).read_bytes()
    assert run(other, monkeypatch)[1]
    assert not run(done, monkeypatch)[1]


def test_the_record_never_reads_what_a_symlink_points_to(
    done: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A content repository's symlink may name any file on the machine: the record compares the link and the
    times of what it names, never that file's content."""
    secret = tmp_path / "secret.txt"
    secret.write_text("not the project's", encoding="utf-8")
    link = done / "source" / "notes.txt"
    link.symlink_to(secret)
    opened: list[Path] = []
    real_open, real_read_bytes = os.open, Path.read_bytes

    def spied_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        opened.append(Path(path))
        return real_open(path, flags, *args)

    def spied_read_bytes(self: Path) -> bytes:
        opened.append(self)
        return real_read_bytes(self)

    config = load_config(done)
    with monkeypatch.context() as spy:
        spy.setattr(os, "open", spied_open)
        spy.setattr(Path, "read_bytes", spied_read_bytes)
        states = RunRecord(config, "run")._looked().states(0)  # 0: every regular file's content is read
    assert str(link) in states and any(path.suffix == ".po" for path in opened)
    assert link not in opened and secret not in opened
    before = states[str(link)]
    os.utime(secret, ns=(1_800_000_000_000_000_000, 1_800_000_000_000_000_000))
    assert RunRecord(load_config(done), "run")._looked().states(0)[str(link)] != before  # its target's times count


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_committing_a_source_is_a_change_its_leaflet_is_dated_by_the_commit(
    done: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    environment = {
        **os.environ,
        "GIT_COMMITTER_DATE": "2001-02-03T12:00:00Z",
        "GIT_AUTHOR_DATE": "2001-02-03T12:00:00Z",
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "sources"]):
        subprocess.run([*git, *command], cwd=done, check=True, env=environment, capture_output=True)
    assert run(done, monkeypatch)[1]
    assert "2001-02-03" in (done / "build" / "es" / f"{ARTICLE}.es.html").read_text(encoding="utf-8")
    assert not run(done, monkeypatch)[1]


def test_a_run_that_could_not_render_a_pdf_records_nothing(done: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = done / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"html"]', '"html", "pdf"]'), encoding="utf-8")
    monkeypatch.setattr(printed, "render_pdf_task", lambda *args: Rendered(error="no font for Arabic"))
    report, worked = run(done, monkeypatch)
    assert worked and any("no font for Arabic" in warning for warning in report.warnings)
    assert run(done, monkeypatch)[1]  # a re-run tries the PDFs again


def test_a_run_that_left_entries_machine_translation_could_fill_records_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None
) -> None:
    class Silent(FakeEngine):
        def translate_one(self, text: str) -> str:
            return ""

    assert run(project, monkeypatch, engine=lambda config: Silent())[1]
    assert b'msgstr ""\n\n' in po_path(project, "es", ARTICLE).read_bytes()  # entries left empty
    assert run(project, monkeypatch, engine=lambda config: Silent())[1]


def test_a_font_file_the_leaflets_name_is_an_input(done: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from polyleaf.render.fonts import packaged_faces

    first, second = (packaged_faces(family)[0].path for family in ("Noto Sans Arabic", "Noto Sans"))
    (done / "fonts").mkdir()
    shutil.copyfile(first, done / "fonts" / "House.ttf")
    with (done / "polyleaf.toml").open("a", encoding="utf-8") as config:
        config.write('[leaflet]\nfonts = ["fonts/House.ttf"]\n')
    assert run(done, monkeypatch)[1]
    assert not run(done, monkeypatch)[1]
    shutil.copyfile(second, done / "fonts" / "House.ttf")  # another font, same name: the pages' copy must follow
    assert run(done, monkeypatch)[1]
    from fontTools.ttLib import TTFont

    (subset,) = (done / "build" / "fonts").glob("House.*.woff2")  # the pages' subset: of the new file, the old gone
    with TTFont(subset) as made, TTFont(second) as wanted:
        assert made["name"].getDebugName(1) == wanted["name"].getDebugName(1) != "Tajawal"


def test_the_look_after_a_run_is_at_what_it_wrote_and_records_what_a_look_at_everything_finds(
    done: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``save`` looks again at the files the run wrote, the folders and the files added; it takes the others as the
    run found them, and records the states a look at every file finds."""
    taken: list[Look] = []
    looked_after = RunRecord._looked_after

    def kept(record: RunRecord, *args: Any) -> Look:
        taken.append(looked_after(record, *args))
        return taken[-1]

    source = done / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(" pain", " ache", 1), encoding="utf-8")
    monkeypatch.setattr(RunRecord, "_looked_after", kept)
    report, worked = run(done, monkeypatch)
    (look,) = taken
    assert worked and po_path(done, "es", ARTICLE) in report.written
    assert {str(path) for path in report.written} <= look.seen.keys()
    assert str(done / "polyleaf.toml") in look.kept and str(source) in look.kept  # the run read them, wrote nothing
    assert str(done / "build" / "es") in look.seen  # a folder: its times change with its entries
    config = load_config(done)
    record = run_record_of(config, ALL_STEPS, EVERYTHING, DRAFT)
    stored = record.store.load(run_record.FILES_ENTRY)
    everything = record._looked().states(stored["since"])
    assert stored["states"] == {path: run_record._short(state) for path, state in everything.items()}
    assert not run(done, monkeypatch)[1]  # answered from the record


def test_a_translators_save_during_a_run_is_not_recorded_as_done(done: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = po_path(done, "es", ARTICLE)
    msgid = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith('msgid "B'))[6:]
    build_all = build_stage.build

    def translator_saves_meanwhile(*args: object, **kwargs: object) -> object:
        set_translation(path, msgid.strip('"'), po_string("Texto revisado a mano."))  # after the run read it
        return build_all(*args, **kwargs)  # type: ignore[arg-type]

    _touch_source(done)  # a change, so that the run does its work
    monkeypatch.setattr(build_stage, "build", translator_saves_meanwhile)
    assert run(done, monkeypatch)[1]
    monkeypatch.setattr(build_stage, "build", build_all)
    assert "Texto revisado a mano." not in (done / "build" / "es" / f"{ARTICLE}.es.html").read_text(encoding="utf-8")
    assert run(done, monkeypatch)[1]  # not answered from a record: the translator's text is built now
    assert "Texto revisado a mano." in (done / "build" / "es" / f"{ARTICLE}.es.html").read_text(encoding="utf-8")


def test_a_po_file_replaced_by_a_folder_during_a_run_is_not_recorded_as_done(
    done: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder's own times change with its entries, so a changed folder is no difference — but a file the run
    read that became a folder meanwhile is one: the next run looks at what is there now."""
    path = po_path(done, "es", ARTICLE)
    build_all = build_stage.build

    def replaced_meanwhile(*args: object, **kwargs: object) -> object:
        path.unlink()
        path.mkdir()
        return build_all(*args, **kwargs)  # type: ignore[arg-type]

    _touch_source(done)  # a change, so that the run does its work (and leaves the PO file as it is)
    monkeypatch.setattr(build_stage, "build", replaced_meanwhile)
    assert run(done, monkeypatch)[1]
    monkeypatch.setattr(build_stage, "build", build_all)
    with pytest.raises(CatalogError, match="a folder, not a regular file"):  # not answered from a record
        run(done, monkeypatch)
