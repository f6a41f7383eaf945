"""How machine translation on a Dask cluster would scale with its workers, from the per-task costs of real runs.

This machine has 2 cores, so a cluster of 4 or 8 workers cannot be run here; what can be measured is every cost a
bigger cluster would pay. The project is ``dask_vs_local.py``'s (this repository's articles copied ``--scale``
times, a generated argos package per language); ``polyleaf translate --scheduler`` runs it as a user would, whole
commands, on a ``distributed.LocalCluster`` of single-threaded workers that stays up between commands (a warm
cluster: each worker has loaded its models). Dask's task stream gives every task's compute interval on its worker.
From one run on one worker:

- ``before``: from the command's start to the first task's compute (start-up, reading the catalogs, shipping the
  models, submitting); ``after``: from the last task's end to the command's end (the last PO files written);
- every task's compute seconds, in the order they were submitted;
- ``overhead``: the median gap between one task's end and the next one's start on the worker (Dask's scheduling
  and the transfer of arguments and results), and the scheduling share: all gaps over the worker's busy span;
- ``handling``: the main process's CPU seconds while tasks run, per task (journaling each result as it arrives).

The model for ``N`` workers: the same ``before`` and ``after``; the tasks dealt in submission order to whichever
worker is free first, each taking its compute seconds plus ``overhead``; each result then handled by the one main
process (a queue: a result waits while the main process handles another). It is checked against a real run on 2
workers (the 2 cores of this machine). Printed: per ``N``, predicted seconds of the whole command and of its MT
phase, and their scaling efficiency, ``T(1) / (N × T(N))`` (≥ 0.8: the cluster scales at least 0.8 × N); again
with every task's compute seconds times ``--decoding-cost`` (default 10: the ``small`` model is about a tenth of a
transformer-base model, the size of argos' real ones), since the command's serial start and end do not grow with
the model.

    uv run python benchmarks/cluster_scaling.py [--scale 16] [--languages es fr ar] [--size tiny|small]
        [--workers 1 2 4] [--decoding-cost 10]

Nothing is written outside a temporary directory (HOME, XDG_* and ARGOS_PACKAGES_DIR point into it).
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dask_vs_local import updated_project


@dataclass(frozen=True)
class Measured:
    """One ``polyleaf translate`` on the cluster: the command's wall interval, its tasks' compute intervals
    (worker, start, stop) in submission order, and the main process's CPU seconds while tasks ran."""

    started: float
    ended: float
    tasks: list[tuple[str, float, float]]
    handling_cpu: float

    @property
    def before(self) -> float:
        return min(start for _worker, start, _stop in self.tasks) - self.started

    @property
    def after(self) -> float:
        return self.ended - max(stop for _worker, _start, stop in self.tasks)

    @property
    def phase(self) -> float:
        return max(stop for *_rest, stop in self.tasks) - min(start for _worker, start, _stop in self.tasks)

    def gaps(self) -> list[float]:
        """On each worker, the idle seconds between one task's end and the next one's start."""
        gaps: list[float] = []
        for worker in {worker for worker, _start, _stop in self.tasks}:
            intervals = sorted((start, stop) for name, start, stop in self.tasks if name == worker)
            gaps += [start - stop for (_s, stop), (start, _e) in itertools.pairwise(intervals)]
        return gaps


class CpuSampler:
    """The CPU seconds of process ``pid`` at given wall times (sampled every 20 ms), to read what it spent in an
    interval known only afterwards."""

    def __init__(self, pid: int) -> None:
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(pid,), daemon=True)
        self._thread.start()

    def _run(self, pid: int) -> None:
        import psutil

        process = psutil.Process(pid)
        while not self._stop.is_set():
            try:
                times = process.cpu_times()
            except psutil.Error:
                return
            self.samples.append((time.time(), times.user + times.system))
            time.sleep(0.02)

    def between(self, start: float, stop: float) -> float:
        self._stop.set()
        self._thread.join()
        inside = [cpu for when, cpu in self.samples if start <= when <= stop]
        return inside[-1] - inside[0] if len(inside) > 1 else 0.0


def translate_on(cluster: Any, project: Path, env: dict[str, str]) -> Measured:
    """``polyleaf translate --scheduler`` on ``project``; its tasks as the scheduler's task stream recorded them."""
    from distributed import Client

    polyleaf = str(Path(sys.executable).parent / "polyleaf")
    with Client(cluster.scheduler_address) as client:
        client.get_task_stream(count=1)  # installs the scheduler's task-stream plugin
        started = time.time()
        process = subprocess.Popen(
            [polyleaf, "--project", str(project), "-q", "translate", "--scheduler", cluster.scheduler_address],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        sampler = CpuSampler(process.pid)
        _out, errors = process.communicate()
        ended = time.time()
        if process.returncode != 0:
            raise SystemExit(f"polyleaf translate --scheduler failed:\n{errors[-3000:]}")
        stream = client.get_task_stream(start=started)
    tasks = []
    for record in stream:
        if record.get("status") != "OK" or "translate_task" not in str(record["key"]):
            continue
        compute = [part for part in record["startstops"] if part["action"] == "compute"]
        tasks += [(record["worker"], part["start"], part["stop"]) for part in compute]
    tasks.sort(key=lambda task: task[1])
    first, last = tasks[0][1], max(stop for *_rest, stop in tasks)
    return Measured(started, ended, tasks, sampler.between(first, last))


def predicted(run: Measured, workers: int, decoding_cost: float = 1.0) -> tuple[float, float]:
    """The whole command's seconds and its MT phase's on ``workers`` workers, from ``run`` on one worker (see the
    module's docstring), with every task's compute seconds times ``decoding_cost`` (a bigger model)."""
    overhead = statistics.median(run.gaps()) if run.gaps() else 0.0
    handling = run.handling_cpu / len(run.tasks)
    free = [0.0] * workers  # when each worker is next free
    heapq.heapify(free)
    finishes = []
    for _worker, start, stop in run.tasks:
        begin = heapq.heappop(free)
        end = begin + (stop - start) * decoding_cost
        finishes.append(end)
        heapq.heappush(free, end + overhead)
    main_free = 0.0
    for end in sorted(finishes):
        main_free = max(main_free, end) + handling
    phase = max(main_free, max(finishes))
    return run.before + phase + run.after, phase


def fresh_copy(base: Path, work: Path) -> Path:
    project = work / "run"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(base, project)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--languages", nargs="+", default=["es", "fr", "ar"])
    parser.add_argument("--size", choices=("tiny", "small"), default="tiny")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--decoding-cost", type=float, default=10.0)
    args = parser.parse_args()
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="polyleaf-scaling-") as folder:
        work = Path(folder)
        env, base = updated_project(work, args.scale, args.languages, args.size)
        runs: dict[int, Measured] = {}
        for size in (1, 2):
            with LocalCluster(
                n_workers=size, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
            ) as cluster:
                translate_on(cluster, fresh_copy(base, work), env)  # the workers load their models
                runs[size] = translate_on(cluster, fresh_copy(base, work), env)
        report(runs, args)


def report(runs: dict[int, Measured], args: argparse.Namespace) -> None:
    one, two = runs[1], runs[2]
    gaps = one.gaps()
    busy = one.phase
    print(f"\n{args.scale}× the articles, {len(args.languages)} languages, {args.size} model, warm cluster")
    print(
        f"one worker: {len(one.tasks)} tasks, compute {statistics.median(s - b for _w, b, s in one.tasks):.3f} s "
        f"median ({min(s - b for _w, b, s in one.tasks):.3f}–{max(s - b for _w, b, s in one.tasks):.3f}); "
        f"before {one.before:.2f} s, after {one.after:.2f} s; overhead between tasks "
        f"{statistics.median(gaps) * 1000:.1f} ms median; main process {one.handling_cpu / len(one.tasks) * 1000:.1f} "
        f"ms CPU per result"
    )
    print(f"scheduling share (gaps ÷ the worker's busy span): {sum(gaps) / busy:.1%}")
    model_two, _phase = predicted(one, 2)
    print(
        f"check on this machine's 2 cores: 2 workers measured {two.ended - two.started:.2f} s, "
        f"model {model_two:.2f} s ({model_two / (two.ended - two.started):.2f}×)"
    )
    print("\n| decoding cost | workers | command s (model) | efficiency | MT phase s (model) | efficiency |")
    print("|---|---|---|---|---|---|")
    for cost in dict.fromkeys((1.0, args.decoding_cost)):
        whole_one, phase_one = predicted(one, 1, cost)
        for workers in args.workers:
            whole, phase = predicted(one, workers, cost)
            print(
                f"| ×{cost:g} | {workers} | {whole:.2f} | {whole_one / (workers * whole):.2f} | {phase:.2f} | "
                f"{phase_one / (workers * phase):.2f} |"
            )


if __name__ == "__main__":
    main()
