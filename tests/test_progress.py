"""Progress on long work (issue 22): machine translation, PDFs (in this process or on worker processes), export,
import and installing or downloading a model each show a bar that starts with the work and counts in a unit the
summary also speaks of; on a terminal only.
"""

from __future__ import annotations

import io
import math
import sys
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from argos_model import build_argos_package
from fake_engine import FakeEngine, fake_engine
from polyleaf import console
from polyleaf.config.model import load_config
from polyleaf.execution.workers import LocalPool, Parallel
from polyleaf.mt import package_install
from polyleaf.pipeline import exchange, importing, printed, runner, translate
from polyleaf.pipeline.build import Outputs
from polyleaf.pipeline.models import install_model
from polyleaf.pipeline.sources import Selection
from polyleaf.progress import in_megabytes

#: A sentence of ARTICLE that a third document repeats: one text for machine translation, two PO entries.
SHARED = "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."


class Recorder:
    """A progress factory that writes down what it is told, in order: ``("start", what, total, unit)`` when a piece
    of work starts, then each increment, with ``observe()``'s value at that moment (what was done by then)."""

    def __init__(self, observe: Callable[[], object] = lambda: None) -> None:
        self.events: list[tuple[object, ...]] = []
        self.observe = observe

    def __call__(self, what: str, total: int, unit: str) -> Callable[[int], None]:
        self.events.append(("start", what, total, unit, self.observe()))
        return lambda count: self.events.append(("advance", count, self.observe()))

    def starts(self) -> list[tuple[object, ...]]:
        return [event[1:4] for event in self.events if event[0] == "start"]

    def advances(self) -> list[int]:
        return [int(str(event[1])) for event in self.events if event[0] == "advance"]


class _CountingEngine(FakeEngine):
    """A fake engine that counts its calls, so that progress can be placed against the work."""

    def __init__(self) -> None:
        super().__init__()
        self.called = 0

    def translate(
        self, texts: Sequence[str], source: str, target: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        self.called += 1
        return super().translate(texts, source, target, progress)


def test_mt_progress_starts_with_the_work_and_counts_what_the_summary_counts(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "source" / "repeat.txt").write_text(f"Repeated\n{SHARED}\n2026\n", encoding="utf-8")  # 2026: no words
    engine = _CountingEngine()
    bars = Recorder(lambda: engine.called)
    report = runner.run(
        load_config(project),
        engine_factory=lambda _config: engine,
        steps=frozenset({"extract", "update", "translate"}),
        progress=bars,
        parallel=Parallel(workers=1),
    )
    [(what, total, unit)] = bars.starts()
    assert (what, unit) == ("machine-translating es, ar", "texts")
    assert bars.events[0][-1] == 0  # the bar (and its clock) starts before the engine's first call
    assert all(event[-1] for event in bars.events[1:])  # and no step is counted before the engine has worked
    assert sum(bars.advances()) == total == sum(report.translated_texts.values())
    texts, entries = report.translated_texts["es"], report.filled_from_mt["es"]
    assert entries == texts + 1  # SHARED is one text and two entries
    console.print_report(report, quiet=False, verbose=False, as_json=False)
    line = f"es: 0 entries from translation memory, {entries} machine-translated (fuzzy) from {texts} distinct texts"
    assert line in capsys.readouterr().out.splitlines()


def test_mt_progress_on_worker_processes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translate, "CHUNK_SEGMENTS", 40)  # several chunks a language: tasks for two workers
    bars = Recorder()
    report = runner.run(
        load_config(project),
        engine_factory=fake_engine,
        steps=frozenset({"extract", "update", "translate"}),
        progress=bars,
        parallel=Parallel(workers=2),
    )
    [(_what, total, _unit)] = bars.starts()
    assert total == sum(report.translated_texts.values()) > 80
    assert set(bars.advances()) <= {40, total % 40 or 40, *(count % 40 for count in report.translated_texts.values())}
    assert sum(bars.advances()) == total and bars.events[0][0] == "start"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2], ids=["inline", "worker processes"])
def test_pdf_progress_counts_each_pdf_as_it_is_written(
    project: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(printed, "PDFS_FOR_WORKERS", 1)  # two PDFs are enough to go to two workers
    pools: list[int] = []
    ordered = LocalPool.ordered

    def recorded(self: LocalPool, *args: object, **kwargs: object) -> Iterator[object]:
        pools.append(self.workers)
        return ordered(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(LocalPool, "ordered", recorded)
    bars = Recorder(lambda: len(list((project / "build" / "es").glob("*.pdf"))))
    runner.run(
        load_config(project),
        Selection(("es",)),
        steps=frozenset({"extract", "update", "build"}),
        progress=bars,
        outputs=Outputs(formats=("pdf",)),
        parallel=Parallel(workers=workers),
    )
    assert bars.events == [("start", "rendering PDFs", 2, "PDFs", 0), ("advance", 1, 1), ("advance", 1, 2)]
    assert pools == ([2] if workers == 2 else [])


def test_export_counts_languages_and_import_counts_po_files(project: Path) -> None:
    runner.run(load_config(project), engine_factory=lambda _config: FakeEngine())
    config = load_config(project)
    folder = project / "build" / "exchange"
    exported = Recorder(lambda: len(list(folder.glob("*.xlf"))))
    exchange.export(config, "xliff", progress=exported)
    assert exported.events == [("start", "exporting XLIFF", 2, "languages", 0), ("advance", 1, 1), ("advance", 1, 2)]
    path = folder / "es.xlf"
    path.write_text(path.read_text(encoding="utf-8").replace('state="initial"', 'state="final"'), "utf-8")
    checked = Recorder()
    report = importing.import_file(config, path, progress=checked)
    assert checked.starts() == [("checking what es.xlf changed", 4, "PO files")] and checked.advances() == [1] * 4
    assert len(report.written) == 4


def test_installing_a_model_counts_megabytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    package = build_argos_package(tmp_path / "models", "en", "es")
    with zipfile.ZipFile(package) as archive:
        size = sum(info.file_size for info in archive.infolist())
    bars = Recorder()
    assert install_model(package, bars) == ("en", "es", "1.0")
    assert bars.starts() == [(f"installing {package.name}", math.ceil(size / 1e6), "MB")]
    assert sum(bars.advances()) == math.ceil(size / 1e6)


class _Download(io.BytesIO):
    """What ``urllib.request.urlopen`` returns, for a body of a known length."""

    def __init__(self, body: bytes) -> None:
        super().__init__(body)
        self.headers = {"Content-Length": str(len(body))}

    def __enter__(self) -> _Download:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


def test_a_download_counts_megabytes_as_they_come(monkeypatch: pytest.MonkeyPatch) -> None:
    body = bytes(range(256)) * 9_766  # 2.5 MB
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout: _Download(body))
    bars = Recorder()
    assert package_install._fetch("https://x/en_es.argosmodel", "the download", 5.0, bars, "downloading en-es") == body
    assert bars.starts() == [("downloading en-es", 3, "MB")] and bars.advances() == [1, 1, 1]
    steps = Recorder()
    add = in_megabytes(steps, "unpacking", 2_500_000)
    assert add is not None
    for count in (400_000, 700_000, 900_000, 500_000):  # whole megabytes only, the last one when all is in
        add(count)
    assert steps.advances() == [1, 1, 1] and in_megabytes(steps, "unknown size", 0) is None


# ----------------------------------------------------------------------------------------------- drawing


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_show_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with console.progress_bars(quiet=True) as quiet:
        assert quiet is None
    monkeypatch.setenv("CI", "true")
    with console.progress_bars(quiet=False) as in_ci:
        assert in_ci is None
    monkeypatch.delenv("CI")
    with console.progress_bars(quiet=False) as bars:
        assert bars is not None
        advance = bars("rendering PDFs", 2, "PDFs")
        advance(1)
        bars("exporting XLIFF", 3, "languages")(1)  # an error stops the work: the next bar or the end closes it
    screen = terminal.getvalue()
    assert "rendering PDFs" in screen and "0/2 PDFs" in screen and "1/2 PDFs" in screen
    assert screen.index("1/2 PDFs") < screen.index("\n") < screen.index("exporting XLIFF")
    assert screen.endswith("\n") and "1/3 languages" in screen
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with console.progress_bars(quiet=False) as in_a_pipe:
        assert in_a_pipe is None


def test_a_rate_shows_once_the_work_has_run_a_second() -> None:
    assert console._progress_info(31, 120, "texts", 0.000001) == "31/120 texts"  # was 31,090,599 texts/s
    assert console._progress_info(60, 120, "texts", 20.0) == "60/120 texts, 3.0 texts/s, 0:20 left"
    assert console._progress_info(3, 14, "PDFs", 40.0) == "3/14 PDFs, 0.07 PDFs/s, 2:26 left"
    assert console._progress_info(120, 120, "texts", 10.0) == "120/120 texts, 12 texts/s"
