"""Scale: how each stage's time and peak memory grow with the library, and what workers and a Dask cluster gain.

The corpus is this repository's two articles copied ``scale`` times with variations (every sentence of copy ``i``
names its cohort, so no two copies share a sentence and translation memory cannot shortcut MT), into a project
with the repository's seven languages. Every stage runs in a fresh process (``--stage``, below), so its peak
memory is its own: ``peak MB`` is the main process, ``worker MB`` the largest worker process (local pool).

Stages, each from the state the previous one left (copied, so every row starts from the same files):
extract; update (the PO files are created); translate with a zero-cost engine (what the pipeline itself costs:
placeholders, journal, saving) and with a tiny generated argos model (tests/argos_model.py: real tokenizing and
decoding); ``checkpoint`` is the zero-cost translate minus the same run with one chunk per language (what
saving every chunk costs); build without PDF (txt, html) and with PDF. Then three ``polyleaf run``: ``verify``, the
first over what translate and build left (no record of a run with these options yet: it reads, checks and compares
everything, and finds nothing to do), ``re-run``, the same again (nothing changed since the last run: answered from
``build/.cache/run.json``), and ``one edit``, after one word of one article changed (its sentence machine-translated
into 7 languages, 7 PO files and 14 leaflets written). The last table compares ``--workers 1`` with ``--workers 2``
and with a ``distributed.LocalCluster`` of two worker processes, for the tiny model's translate and the PDF build.

    uv run python benchmarks/scale.py [--scales 1 8 32 128] [--pdf-scales 1 8 32] [--no-parallel]

Nothing is written outside a temporary directory (HOME, XDG_* and ARGOS_PACKAGES_DIR point into it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar")
ARTICLES = ("bvna-chronic-low-back-pain", "bvn-ablation-vertebral-venous-malformations")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)])([.!?])(?=\s|$)")


class ZeroEngine:
    """A zero-cost engine: returns every text as it is (measures the pipeline, not the model)."""

    name = "zero"

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Any = None) -> list[str]:
        if progress is not None:
            progress(len(texts))
        return list(texts)

    def supports(self, source: str, target: str) -> bool:
        return True

    def provenance(self, source: str, target: str) -> str:
        return f"zero {source}-{target} 1.0"


def zero_engine(config: Any) -> ZeroEngine:
    return ZeroEngine()


# ----------------------------------------------------------------------------------------------- corpus


def make_project(folder: Path, scale: int, formats: Sequence[str]) -> Path:
    """The two articles copied ``scale`` times, each sentence of copy ``i`` ending "in cohort i"."""
    source = folder / "source"
    source.mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / "disclaimer.txt", source / "disclaimer.txt")
    articles = sorted(path for path in (ROOT / "source").glob("*.txt") if path.name != "disclaimer.txt")
    for copy in range(scale):
        for article in articles:
            text = article.read_text(encoding="utf-8")
            lines = [
                line if index == 0 else _SENTENCE_END.sub(rf" in cohort {copy}\1", line)
                for index, line in enumerate(text.split("\n"))
            ]
            (source / f"{article.stem}-{copy:04d}.txt").write_text("\n".join(lines), encoding="utf-8")
    # one decoding thread per process: the tiny model's best setting (and argos' on 2 cores), so that workers
    # compare with one process at equal threads
    (folder / "polyleaf.toml").write_text(
        f'source_language = "en"\nlanguages = {json.dumps(list(LANGUAGES))}\nformats = {json.dumps(list(formats))}\n'
        "[mt]\nthreads = 1\n",
        encoding="utf-8",
    )
    (folder / "locales").mkdir()
    shutil.copyfile(ROOT / "locales" / "glossary.csv", folder / "locales" / "glossary.csv")
    return folder


def install_tiny_models(packages: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from argos_model import build_argos_package, train_sentencepiece
    from polyleaf.mt.packages import argos_code, install_package

    sp = train_sentencepiece(400)
    with tempfile.TemporaryDirectory() as folder:
        for language in LANGUAGES:
            archive = build_argos_package(
                Path(folder), "en", argos_code(language), sentencepiece_model=sp, eos_bias=2.0
            )
            install_package(archive)


# ----------------------------------------------------------------------------------------------- one stage


class MemorySampler:
    """Peak memory of this process's descendants (worker processes), sampled every 50 ms: the largest one, and all
    processes together (this one included) at the same instant."""

    def __init__(self) -> None:
        import threading

        self.largest = 0.0
        self.total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.05):
            try:
                sizes = [child.memory_info().rss for child in me.children(recursive=True)]
            except psutil.Error:
                continue
            workers = [size for size in sizes if size > 60 * 2**20]  # not git, not the fork server
            self.largest = max(self.largest, max(workers, default=0) / 2**20)
            self.total = max(self.total, (me.memory_info().rss + sum(workers)) / 2**20)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def stage(args: argparse.Namespace) -> None:
    """Run one stage in this process and print its wall time and peak memory as JSON."""
    from polyleaf import pipeline
    from polyleaf.config import load_config
    from polyleaf.workers import Parallel

    config = load_config(Path(args.project))
    scheduler = args.scheduler or None
    cluster = None
    if args.local_cluster:
        from distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
        )
        scheduler = cluster.scheduler_address
    steps = {
        "extract": {"extract"},
        "update": {"extract", "update"},
        "translate": {"extract", "update", "translate"},
        "build": {"build"},
        "rerun": {"extract", "update", "translate", "build"},
    }[args.stage]
    engine = None
    if args.stage in ("translate", "rerun") and args.engine == "zero":
        engine = zero_engine
    if args.chunk:
        pipeline.CHUNK_SEGMENTS = args.chunk
    sampler = MemorySampler()
    started = time.perf_counter()
    parallel = Parallel(args.workers, scheduler)
    report = pipeline.run(config, steps=frozenset(steps), engine_factory=engine, parallel=parallel)
    seconds = time.perf_counter() - started
    sampler.stop()
    if cluster is not None:
        cluster.close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    written = len(report.written)
    result = {"seconds": seconds, "peak_mb": own, "worker_mb": sampler.largest, "total_mb": sampler.total}
    print(json.dumps({**result, "written": written}))


def run_stage(project: Path, name: str, env: dict[str, str], *extra: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--stage", name, "--project", str(project), *extra]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stage {name} {' '.join(extra)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def copy(project: Path, name: str) -> Path:
    target = project.parent / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(project, target, symlinks=True)
    return target


# ----------------------------------------------------------------------------------------------- tables


COLUMNS = (
    "extract",
    "update",
    "translate (zero)",
    "checkpoint",
    "translate (tiny)",
    "build",
    "build +pdf",
    "verify",
    "re-run",
    "one edit",
)


def measure_scale(work: Path, scale: int, env: dict[str, str], pdf: bool, workers: str) -> dict[str, Any]:
    row: dict[str, Any] = {}
    base = make_project(work / f"x{scale}", scale, ["txt", "html"])
    single = ("--workers", workers)
    row["extract"] = run_stage(base, "extract", env, *single)
    row["update"] = run_stage(base, "update", env, *single)
    zero = copy(base, f"x{scale}-zero")
    row["translate (zero)"] = run_stage(zero, "translate", env, "--engine", "zero", *single)
    one_chunk = copy(base, f"x{scale}-onechunk")
    baseline = run_stage(one_chunk, "translate", env, "--engine", "zero", "--chunk", "100000000", *single)
    overhead = row["translate (zero)"]["seconds"] - baseline["seconds"]
    row["checkpoint"] = {"seconds": overhead, "peak_mb": float("nan"), "worker_mb": float("nan")}
    shutil.rmtree(one_chunk)
    tiny = copy(base, f"x{scale}-tiny")
    row["translate (tiny)"] = run_stage(tiny, "translate", env, "--engine", "argos", *single)
    row["build"] = run_stage(tiny, "build", env, *single)
    row["verify"] = run_stage(tiny, "rerun", env, "--engine", "argos", *single)
    row["re-run"] = run_stage(tiny, "rerun", env, "--engine", "argos", *single)
    edited = tiny / "source" / f"{ARTICLES[0]}-0000.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace(" pain", " ache", 1), encoding="utf-8")
    row["one edit"] = run_stage(tiny, "rerun", env, "--engine", "argos", *single)
    if pdf:
        with_pdf = copy(tiny, f"x{scale}-pdf")
        toml = with_pdf / "polyleaf.toml"
        toml.write_text(toml.read_text().replace('"html"]', '"html", "pdf"]'), encoding="utf-8")
        row["build +pdf"] = run_stage(with_pdf, "build", env, *single)
        shutil.rmtree(with_pdf / "build")
        row["build +pdf, 2 workers"] = run_stage(with_pdf, "build", env, "--workers", "2")
        shutil.rmtree(with_pdf)
    shutil.rmtree(zero)
    return row


def cell(value: dict[str, float] | None, what: str) -> str:
    if value is None:
        return "—"
    number = value[what]
    if number != number:  # NaN
        return "—"
    return f"{number:.2f}" if what == "seconds" else f"{number:.0f}"


def print_tables(rows: dict[int, dict[str, Any]]) -> None:
    scales = sorted(rows)
    print("\nseconds per stage (workers = 1)")
    print("| scale | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for scale in scales:
        print(f"| {scale}× | " + " | ".join(cell(rows[scale].get(c), "seconds") for c in COLUMNS) + " |")
    if len(scales) > 1 and 32 in rows and 1 in rows:
        ratios = []
        for column in COLUMNS:
            a, b = rows[1].get(column), rows[32].get(column)
            ok = a and b and a["seconds"] > 0 and column != "checkpoint"
            ratios.append(f"{b['seconds'] / a['seconds']:.1f}×" if ok else "—")  # type: ignore[index]
        print("| 32×/1× | " + " | ".join(ratios) + " |")
    print("\npeak memory, MB (main process)")
    print("| scale | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for scale in scales:
        print(f"| {scale}× | " + " | ".join(cell(rows[scale].get(c), "peak_mb") for c in COLUMNS) + " |")
    print("\nbuild +pdf with --workers 2: seconds; peak MB of the main process, the largest worker, all together")
    print("| scale | seconds | main MB | largest worker MB | total MB |")
    print("|---|---|---|---|---|")
    for scale in scales:
        value = rows[scale].get("build +pdf, 2 workers")
        if value:
            print(
                f"| {scale}× | {value['seconds']:.2f} | {value['peak_mb']:.0f} | {value['worker_mb']:.0f} | "
                f"{value['total_mb']:.0f} |"
            )


def parallel_table(work: Path, scale: int, env: dict[str, str]) -> None:
    """--workers 1 vs --workers 2 vs a LocalCluster(2), tiny-model translate and PDF build, at ``scale``."""
    base = make_project(work / f"p{scale}", scale, ["txt", "html", "pdf"])
    run_stage(base, "update", env, "--workers", "1")
    print(f"\nparallel speed-up at {scale}× (seconds; peak MB: main process / largest worker)")
    print("| executor | translate (tiny) | build +pdf | speed-up translate | speed-up build |")
    print("|---|---|---|---|---|")
    first: tuple[float, float] | None = None
    for label, extra in (
        ("--workers 1", ("--workers", "1")),
        ("--workers 2", ("--workers", "2")),
        ("LocalCluster(2)", ("--workers", "2", "--local-cluster")),
    ):
        project = copy(base, "p-run")
        translated = run_stage(project, "translate", env, "--engine", "argos", *extra)
        built = run_stage(project, "build", env, *extra)
        times = (translated["seconds"], built["seconds"])
        first = first or times
        print(
            f"| {label} | {times[0]:.2f} ({translated['peak_mb']:.0f}/{translated['worker_mb']:.0f}) | "
            f"{times[1]:.2f} ({built['peak_mb']:.0f}/{built['worker_mb']:.0f}) | "
            f"{first[0] / times[0]:.2f}× | {first[1] / times[1]:.2f}× |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 8, 32, 128])
    parser.add_argument("--pdf-scales", type=int, nargs="*", default=[1, 8, 32, 128])
    parser.add_argument("--parallel-scale", type=int, default=8)
    parser.add_argument("--no-parallel", action="store_true")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--project", help=argparse.SUPPRESS)
    parser.add_argument("--workers", default="1", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="argos", help=argparse.SUPPRESS)
    parser.add_argument("--chunk", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--scheduler", default="", help=argparse.SUPPRESS)
    parser.add_argument("--local-cluster", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        args.workers = int(args.workers)
        stage(args)
        return
    with tempfile.TemporaryDirectory(prefix="polyleaf-scale-") as folder:
        work = Path(folder)
        env = dict(os.environ)
        for variable, sub in {
            "HOME": "home",
            "XDG_DATA_HOME": "home/.local/share",
            "XDG_CONFIG_HOME": "home/.config",
            "XDG_CACHE_HOME": "home/.cache",
            "ARGOS_PACKAGES_DIR": "packages",
        }.items():
            (work / sub).mkdir(parents=True, exist_ok=True)
            env[variable] = os.environ[variable] = str(work / sub)
        env.pop("SOURCE_DATE_EPOCH", None)
        env["CI"] = "true"
        install_tiny_models(work / "packages")
        rows: dict[int, dict[str, Any]] = {}
        for scale in args.scales:
            rows[scale] = measure_scale(work, scale, env, scale in args.pdf_scales, "1")
            print(f"{scale}×: " + ", ".join(f"{k} {v['seconds']:.2f}s" for k, v in rows[scale].items()), flush=True)
        print_tables(rows)
        if not args.no_parallel:
            parallel_table(work, args.parallel_scale, env)


if __name__ == "__main__":
    main()
