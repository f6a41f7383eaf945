"""Parallel runs: machine translation and PDFs on local worker processes, the MT journal, and the executors.

Whatever runs where, the files are byte-identical to a run in one process; a worker that dies is replaced and its
task runs again; a checkpoint costs what its chunk holds.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from fake_engine import FakeEngine, WorkerEngineFactory, fake_engine, first_to_claim
from helpers import snapshot, twin
from polyleaf import fsio
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Fill
from polyleaf.config.model import load_config
from polyleaf.errors import ConfigError, TranslationError
from polyleaf.execution.choice import open_executor
from polyleaf.execution.workers import Inline, LocalPool, Parallel
from polyleaf.pipeline import printed, runner, translate
from polyleaf.pipeline.journal import Journal

#: Runs compared byte for byte must not differ by the minute they ran in (PO dates, the dashboard's time).
pytestmark = pytest.mark.usefixtures("pinned_clock")

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "bvna-chronic-low-back-pain"


# ------------------------------------------------------------------------------------------------ executors


def square(number: int) -> int:
    return number * number


def pid_and(number: int) -> tuple[int, int]:
    return os.getpid(), number


def fail(number: int) -> int:
    raise TranslationError("the model broke", Path("models/x"), number)


def die_once(marker: str, number: int) -> int:
    """The first task to get here kills its own worker process."""
    if first_to_claim(marker):
        os.kill(os.getpid(), 9)
    return number


def test_a_local_pool_runs_tasks_in_worker_processes() -> None:
    pool = LocalPool(2)
    try:
        ordered = list(pool.ordered(pid_and, [(number,) for number in range(12)]))
        assert [number for _pid, number in ordered] == list(range(12))
        assert os.getpid() not in {pid for pid, _number in ordered}
        unordered = dict(pool.unordered(square, [(number,) for number in range(12)]))
        assert unordered == {index: index * index for index in range(12)}
    finally:
        pool.close()


def test_a_killed_worker_is_replaced_and_only_its_tasks_run_again(tmp_path: Path) -> None:
    pool = LocalPool(2)
    marker = str(tmp_path / "died")
    try:
        results = list(pool.unordered(die_once, [(marker, number) for number in range(10)]))
    finally:
        pool.close()
    assert Path(marker).exists()  # one worker really died
    assert sorted(index for index, _ in results) == list(range(10))  # every task once
    assert all(value == index for index, value in results)


def test_a_task_error_reaches_the_main_process_whole() -> None:
    pool = LocalPool(2)
    try:
        with pytest.raises(TranslationError) as caught:
            list(pool.unordered(fail, [(1,), (2,)]))
    finally:
        pool.close()
    assert caught.value.path == Path("models/x") and caught.value.line in (1, 2)
    assert pickle.loads(pickle.dumps(caught.value)).line == caught.value.line


def surroundings(_number: int) -> tuple[str | None, str]:
    return os.environ.get("POLYLEAF_TEST_MARK"), os.getcwd()


def test_workers_start_in_the_environment_and_folder_of_the_run_not_of_the_fork_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fork server outlives the pools of a process (a program that runs polyleaf twice, the tests): each pool's
    workers get what the process had when it started that pool."""
    for mark in ("first", "second"):
        folder = tmp_path / mark
        folder.mkdir()
        monkeypatch.setenv("POLYLEAF_TEST_MARK", mark)
        monkeypatch.chdir(folder)
        pool = LocalPool(2)
        try:
            assert set(pool.ordered(surroundings, [(number,) for number in range(4)])) == {(mark, str(folder))}
        finally:
            pool.close()


FONTCONFIG_PER_POOL = """
import os, sys
from polyleaf.execution.workers import LocalPool
from polyleaf.render.fontconfig import installed_families

if __name__ == "__main__":
    for config in ("", sys.argv[1], ""):
        if config:
            os.environ["FONTCONFIG_FILE"] = config
        else:
            os.environ.pop("FONTCONFIG_FILE", None)
        pool = LocalPool(2, ["polyleaf.pipeline.printed", "polyleaf.render.preload"])
        answers = {tuple(sorted(found)) for found in pool.ordered(installed_families, [(["DejaVu Sans", "X"],)] * 2)}
        pool.close()
        print(config or "system", sorted(answers))
"""


@pytest.mark.slow  # a new process, whose fork server imports WeasyPrint
def test_pdf_workers_read_the_fontconfig_file_their_pool_was_started_with(tmp_path: Path) -> None:
    """A program that renders PDFs twice with another ``FONTCONFIG_FILE``: the fork server (which imported WeasyPrint
    for the first pool) has not set fontconfig up, so each pool's workers read the file it was started with."""
    empty = tmp_path / "fonts.conf"
    empty.write_text("<fontconfig></fontconfig>", encoding="utf-8")
    script = tmp_path / "pools.py"
    script.write_text(FONTCONFIG_PER_POOL, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(empty)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.stdout.splitlines() == [
        "system [('DejaVu Sans',)]",
        f"{empty} [()]",
        "system [('DejaVu Sans',)]",
    ], done.stderr


def test_one_worker_or_one_task_runs_here() -> None:
    assert isinstance(open_executor(1), Inline)
    assert list(LocalPool(2).ordered(pid_and, [(5,)])) == [(os.getpid(), 5)]  # no pool for a single task


def test_a_scheduler_without_dask_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "polyleaf.execution.cluster", raising=False)
    with pytest.raises(ConfigError) as caught:
        open_executor(2, "tcp://127.0.0.1:8786")
    assert str(caught.value) == (
        "the Dask scheduler tcp://127.0.0.1:8786 needs Dask: install polyleaf's distributed extra "
        "(pip install 'polyleaf[distributed]')"
    )
    assert caught.value.exit_code == 2


# ------------------------------------------------------------------------------------------------ the pipeline


def pdf_project(project: Path) -> Path:
    (project / "polyleaf.toml").write_text(
        'source_language = "en"\nlanguages = ["es", "ar"]\nformats = ["txt", "html", "pdf"]\n', encoding="utf-8"
    )
    return project


@pytest.mark.slow
def test_local_workers_write_the_same_bytes_as_one_process(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("weasyprint")
    pdf_project(project)
    parallel = twin(project, "parallel")
    monkeypatch.setattr(printed, "PDFS_FOR_WORKERS", 1)  # four PDFs: on the workers all the same
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 40)  # a few chunks per language
    log = tmp_path / "engine.log"
    runner.run(load_config(project), engine_factory=fake_engine, parallel=Parallel(workers=1))
    report = runner.run(
        load_config(parallel), engine_factory=WorkerEngineFactory(str(log)), parallel=Parallel(workers=2)
    )
    assert not report.warnings, report.warnings
    assert snapshot(parallel) == snapshot(project)
    pids = {line.split(" ", 1)[0] for line in log.read_text(encoding="utf-8").splitlines()}
    assert pids and str(os.getpid()) not in pids  # machine translation ran on the workers
    assert (parallel / "build" / "ar" / f"{ARTICLE}.ar.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_a_one_process_build_of_many_pdfs_renders_them_on_a_worker_it_replaces(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint's caches grow with every PDF: ``--workers 1`` renders more than a worker's share on a worker
    process, replaced after each share, so the run's memory does not grow with the library; the bytes are the
    same."""
    pytest.importorskip("weasyprint")
    pdf_project(project)
    recycled = twin(project, "recycled")
    runner.run(load_config(project), engine_factory=fake_engine, parallel=Parallel(workers=1))
    pools: list[LocalPool] = []

    class CountedPool(LocalPool):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            pools.append(self)

        def _start(self) -> ProcessPoolExecutor:
            started.append(self._pool is None)
            return super()._start()

    started: list[bool] = []
    monkeypatch.setattr(printed, "LocalPool", CountedPool)
    monkeypatch.setattr(printed, "RENDERS_PER_WORKER", 2)  # four PDFs: two workers, one after the other
    runner.run(load_config(recycled), engine_factory=fake_engine, parallel=Parallel(workers=1))
    assert len(pools) == 1 and pools[0].workers == 1 and pools[0]._pool is None  # stopped after the build
    assert started.count(True) == 2
    assert snapshot(recycled) == snapshot(project)
    assert (recycled / "build" / "ar" / f"{ARTICLE}.ar.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_a_worker_killed_mid_translation_loses_nothing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parallel = twin(project, "parallel")
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 40)
    runner.run(load_config(project), engine_factory=fake_engine, parallel=Parallel(workers=1))
    factory = WorkerEngineFactory(str(tmp_path / "engine.log"), kill_marker=str(tmp_path / "killed"))
    report = runner.run(load_config(parallel), engine_factory=factory, parallel=Parallel(workers=2))
    assert (tmp_path / "killed").exists()
    assert snapshot(parallel) == snapshot(project)
    assert report.filled_from_mt["es"] > 0 and report.filled_from_mt["ar"] > 0


def test_an_engine_that_cannot_be_pickled_runs_here(project: Path) -> None:
    engine = FakeEngine()
    runner.run(load_config(project), engine_factory=lambda config: engine, parallel=Parallel(workers=2))
    assert {target for _texts, _source, target in engine.calls} == {"es", "ar"}


# ------------------------------------------------------------------------------------------------ the journal


def test_checkpoints_cost_what_their_chunk_holds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each chunk is one journal append; each PO file is written once by the translate step, whatever the number
    of chunks (it was catalogs × chunks)."""
    runner.run(load_config(project), steps=frozenset({"extract", "update"}))
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 8)
    writes: list[Path] = []
    appends: list[Path] = []
    replace = fsio.replace_if_unchanged
    append = Journal.append

    def counting_replace(path: Path, *args: object, **kwargs: object) -> None:
        writes.append(path)
        replace(path, *args, **kwargs)  # type: ignore[arg-type]

    def counting_append(self: Journal, fills: object) -> None:
        appends.append(self.path)
        append(self, fills)  # type: ignore[arg-type]

    monkeypatch.setattr(fsio, "replace_if_unchanged", counting_replace)
    monkeypatch.setattr(Journal, "append", counting_append)
    engine = FakeEngine()
    runner.run(load_config(project), engine_factory=lambda config: engine, steps=frozenset({"update", "translate"}))
    chunks = len(engine.calls)
    assert chunks > 20
    assert len(appends) == chunks
    assert sorted(writes) == sorted(set(writes)) and len(writes) <= 8  # 2 languages × 4 catalogs, once each
    assert not (project / "locales" / ".journal").exists()


def test_the_journal_of_a_killed_run_is_replayed_not_translated_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uninterrupted = twin(project, "uninterrupted")
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 16)
    runner.run(load_config(uninterrupted), engine_factory=lambda config: FakeEngine(), parallel=Parallel(workers=1))

    class Killed(FakeEngine):
        def translate(self, texts, source, target, progress=None):  # type: ignore[no-untyped-def]
            if len(self.calls) == 3:
                raise KeyboardInterrupt  # as a kill would stop it: nothing after this point runs
            return super().translate(texts, source, target, progress)

    killed = Killed()
    with pytest.raises(KeyboardInterrupt):
        runner.run(load_config(project), engine_factory=lambda config: killed, parallel=Parallel(workers=1))
    journaled = Journal(project / "locales", "es").read()
    assert len(journaled) == sum(len(texts) for texts, _source, _target in killed.calls)
    es = catalog.read_po(project / "locales" / "es" / "LC_MESSAGES" / f"{ARTICLE}.po")
    assert not any(entry.comments for entry in es.entries() if entry.msgstr)  # the PO files have no MT yet
    # a line the kill cut short is ignored
    with (project / "locales" / ".journal" / "es.jsonl").open("a", encoding="utf-8") as stream:
        stream.write('{"msgid": "Chronic low back pain (LBP) remains')

    engine = FakeEngine()
    runner.run(load_config(project), engine_factory=lambda config: engine, parallel=Parallel(workers=1))
    again = {text for texts, _source, target in engine.calls if target == "es" for text in texts}
    assert not again & {fill.msgid for fill in journaled}
    assert snapshot(project) == snapshot(uninterrupted)
    assert not (project / "locales" / ".journal").exists()


def test_journal_lines_round_trip_any_text(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "es")
    fills = [Fill("Line\u2028separator", "Línea\u2028separador", "mt: fake en-es 1.0"), Fill("a\nb", '"q"\\', "mt: x")]
    journal.append(fills)
    journal.append([Fill("x", "   ", "mt: x")])  # blank translations fill nothing
    assert journal.read() == fills
    journal.remove()
    assert journal.read() == [] and not (tmp_path / ".journal").exists()


def nap(seconds: float) -> float:
    import time

    time.sleep(seconds)
    return seconds


def test_ctrl_c_stops_the_workers_at_once() -> None:
    import time

    from polyleaf.execution.workers import running

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), running(LocalPool(2)) as pool:
        for _index, _value in pool.unordered(nap, [(0.1,), (60.0,), (60.0,)]):
            raise KeyboardInterrupt  # the user pressed Ctrl-C while two long tasks were running
    assert time.monotonic() - started < 20


@pytest.mark.slow
def test_rendering_workers_are_replaced_after_their_share() -> None:
    """``recycle``: a pool renders at most that many pages per worker before it is replaced, counted across calls;
    the workers that translated are not used for rendering."""
    pool = LocalPool(2)
    try:
        translating = {pid for pid, _number in dict(pool.unordered(pid_and, [(n,) for n in range(4)])).values()}
        first = list(pool.ordered(pid_and, [(number,) for number in range(6)], recycle=2))
        second = list(pool.ordered(pid_and, [(number,) for number in range(3)], recycle=2))
    finally:
        pool.close()
    assert [number for _pid, number in first] == list(range(6)) and [n for _p, n in second] == [0, 1, 2]
    served: dict[int, int] = {}
    for pid, _number in first + second:
        served[pid] = served.get(pid, 0) + 1
    assert max(served.values()) <= 4 and len(served) >= 3 and not translating & set(served)
