"""Dask vs local workers on one machine: the same project machine-translated by ``polyleaf translate --workers 2``
and by ``polyleaf translate --scheduler`` on a ``distributed.LocalCluster`` of two single-threaded worker processes
(and on one of a single worker process with two threads: its two tasks at a time decode at the same time).

The project is this repository's two articles copied ``--scale`` times (every sentence of copy ``i`` names its
cohort, so translation memory cannot shortcut MT) in ``--languages`` languages, each with a generated argos
package (tests/argos_model.py: real tokenizing and CTranslate2 decoding, random weights, ``--size``). ``[mt]
threads`` is left at its default (0), as users have it: the executor decides each worker's decoder threads.
Each round translates a fresh copy of the updated project with each executor, whole commands in new processes
(start-up, model loading and, for Dask, sending the models included), the order alternating every round; the
cluster stays up across rounds, as a user's would. Printed per executor: median seconds (min–max), the CPU seconds
of the command's process tree (sampled) plus the cluster's worker processes, and the ratio local/Dask (≥ 1: Dask is as
fast as local workers). The PO files both write are compared byte for byte (outside their dates).

    uv run python benchmarks/dask_vs_local.py [--scale 8] [--rounds 3] [--languages es fr ar] [--size tiny|small]

Nothing is written outside a temporary directory (HOME, XDG_* and ARGOS_PACKAGES_DIR point into it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)])([.!?])(?=\s|$)")
_DATE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def make_project(folder: Path, scale: int, languages: Sequence[str]) -> Path:
    """The two articles copied ``scale`` times, each sentence of copy ``i`` ending "in cohort i"."""
    source = folder / "source"
    source.mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / "disclaimer.txt", source / "disclaimer.txt")
    for article in sorted(path for path in (ROOT / "source").glob("*.txt") if path.name != "disclaimer.txt"):
        lines = article.read_text(encoding="utf-8").split("\n")
        for copy in range(scale):
            text = [
                line if index == 0 else _SENTENCE_END.sub(rf" in cohort {copy}\1", line)
                for index, line in enumerate(lines)
            ]
            (source / f"{article.stem}-{copy:04d}.txt").write_text("\n".join(text), encoding="utf-8")
    (folder / "polyleaf.toml").write_text(
        f'source_language = "en"\nlanguages = {json.dumps(list(languages))}\nformats = ["txt"]\n', encoding="utf-8"
    )
    return folder


def install_models(languages: Sequence[str], size: str) -> None:
    """A generated argos package en → each of ``languages``, into ``ARGOS_PACKAGES_DIR``."""
    sys.path.insert(0, str(ROOT / "tests"))
    from argos_model import TINY, ModelSize, build_argos_package, train_sentencepiece
    from polyleaf.mt.package_install import install_package
    from polyleaf.mt.packages import argos_code

    sentencepiece = train_sentencepiece(400)
    # "small": decoding, not start-up, is most of the time (4 layers of 256: about a tenth of transformer-base)
    chosen = TINY if size == "tiny" else ModelSize(layers=4, d_model=256, heads=4, ffn=1024, vocab_size=400)
    with tempfile.TemporaryDirectory() as folder:
        for language in languages:
            archive = build_argos_package(
                Path(folder),
                "en",
                argos_code(language),
                sentencepiece_model=sentencepiece,
                eos_bias=2.0,
                size=chosen,
            )
            install_package(archive)


def isolated_environment(work: Path) -> dict[str, str]:
    """HOME, the XDG folders and ARGOS_PACKAGES_DIR inside ``work``, in this process and in the environment
    returned for commands (with CI set and a fixed SOURCE_DATE_EPOCH, so outputs can be compared)."""
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
    env["CI"] = "true"
    env["SOURCE_DATE_EPOCH"] = "1780000000"
    return env


def updated_project(work: Path, scale: int, languages: Sequence[str], size: str) -> tuple[dict[str, str], Path]:
    """In ``work``: the environment (``isolated_environment``), a generated model per language installed, and the
    project of ``make_project`` after ``polyleaf update``; the environment and the project."""
    env = isolated_environment(work)
    install_models(languages, size)
    base = make_project(work / "base", scale, languages)
    polyleaf = str(Path(sys.executable).parent / "polyleaf")
    subprocess.run([polyleaf, "--project", str(base), "-q", "update"], env=env, check=True, capture_output=True)
    return env, base


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds of the processes ``pids`` so far (those gone count nothing)."""
    import psutil

    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def translate(
    project: Path, options: Sequence[str], env: dict[str, str], cluster: Sequence[int]
) -> tuple[float, float]:
    """``polyleaf translate`` on ``project`` in a new process: its wall seconds, and the CPU seconds of its
    process tree (sampled every 0.1 s: the command, its fork server and workers) and of the ``cluster``
    processes."""
    import psutil

    polyleaf = str(Path(sys.executable).parent / "polyleaf")
    before_cluster = cpu_seconds(cluster)
    started = time.perf_counter()
    command = [polyleaf, "--project", str(project), "-q", "translate", *options]
    seen: dict[int, float] = {}  # the last CPU seconds sampled of every process of the tree
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # not a pipe: a full one would stop the command
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        while process.poll() is None:
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(process.pid)
                for member in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        times = member.cpu_times()
                        seen[member.pid] = times.user + times.system
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        raise SystemExit(f"polyleaf translate {' '.join(options)} failed:\n{output[-3000:]}")
    return seconds, sum(seen.values()) + cpu_seconds(cluster) - before_cluster


def po_files(project: Path) -> dict[str, bytes]:
    """The project's PO files, dates aside."""
    return {
        path.relative_to(project).as_posix(): _DATE.sub(b"", path.read_bytes())
        for path in sorted((project / "locales").rglob("*.po"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--languages", nargs="+", default=["es", "fr", "ar"])
    parser.add_argument("--size", choices=("tiny", "small"), default="tiny")
    args = parser.parse_args()
    import psutil
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="polyleaf-dask-") as folder:
        work = Path(folder)
        env, base = updated_project(work, args.scale, args.languages, args.size)
        clusters: dict[str, tuple[LocalCluster, list[int]]] = {}
        for label, (processes, threads) in {"Dask 2×1 thread": (2, 1), "Dask 1×2 threads": (1, 2)}.items():
            before = {child.pid for child in psutil.Process().children(recursive=True)}
            cluster = LocalCluster(
                n_workers=processes,
                threads_per_worker=threads,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
            )
            after = [child.pid for child in psutil.Process().children(recursive=True) if child.pid not in before]
            clusters[label] = (cluster, after)
        executors = {
            "local --workers 2": ["--workers", "2"],
            **{label: ["--scheduler", cluster.scheduler_address] for label, (cluster, _pids) in clusters.items()},
        }
        seconds: dict[str, list[float]] = {label: [] for label in executors}
        cpu: dict[str, list[float]] = {label: [] for label in executors}
        outputs: dict[str, dict[str, bytes]] = {}
        try:
            for round_number in range(args.rounds):
                order = list(executors) if round_number % 2 == 0 else list(reversed(executors))
                for label in order:
                    project = work / "run"
                    shutil.rmtree(project, ignore_errors=True)
                    shutil.copytree(base, project)
                    wall, used = translate(project, executors[label], env, clusters.get(label, (None, []))[1])
                    seconds[label].append(wall)
                    cpu[label].append(used)
                    outputs[label] = po_files(project)
                    print(f"round {round_number + 1}: {label}: {wall:.2f} s, {used:.1f} CPU s", flush=True)
        finally:
            for cluster, _pids in clusters.values():
                cluster.close()
        local, dask = (statistics.median(seconds[label]) for label in list(executors)[:2])
        print(f"\n{args.scale}× the articles, {len(args.languages)} languages, {args.size} model, {args.rounds} rounds")
        print("| executor | median s | min–max s | median CPU s |")
        print("|---|---|---|---|")
        for label in executors:
            print(
                f"| {label} | {statistics.median(seconds[label]):.2f} | {min(seconds[label]):.2f}–"
                f"{max(seconds[label]):.2f} | {statistics.median(cpu[label]):.1f} |"
            )
        print(f"\nDask / local speed (local median s ÷ Dask median s): {local / dask:.2f}")
        print(
            "Dask 1×2 threads / 2×1 thread speed: "
            f"{dask / statistics.median(seconds['Dask 1×2 threads']):.2f} (one worker process, two decoders)"
        )
        same = outputs["local --workers 2"] == outputs["Dask 2×1 thread"] == outputs["Dask 1×2 threads"]
        print(f"PO files identical (dates aside): {same}")


if __name__ == "__main__":
    main()
