"""Benchmark: ``polyleaf check`` on a library-sized project, as a user runs it, cold and warm, this code and main's.

Generates a project with ``--entries`` reviewed dose sentences per language in the seven languages (the sentences,
translations and 5 % defects of ``check_speed.py``), then times whole ``polyleaf check`` commands in fresh
processes: ``cold`` with no ``build/.cache`` at all, then ``warm``, the same command again (nothing changed). Each
command's seconds, CPU seconds (user + system of the process and everything it waited for, or of its process tree
as sampled where that is more: workers a fork server started are not waited for) and peak memory — of
the main process and of its whole process tree, sampled with psutil every 20 ms — are printed for this checkout
and for the code of ``--base`` (default ``main``, extracted with ``git archive`` into the temporary directory and
put first on ``PYTHONPATH``), in the same run. Both print the same findings with the same exit code, or the
benchmark says so. The machine may be shared: compare CPU seconds when the load average is high.

Bytecode is written by an untimed check of a small project first (an installed package has it), whatever
``PYTHONDONTWRITEBYTECODE`` says.
Targets (issue 27): 10,000 entries × 7 languages in ≤ 3 s cold and ≤ 1 s warm. Run with:

    uv run python benchmarks/check_scale.py [--entries 10000] [--warm-runs 3] [--base main]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from check_speed import LANGUAGES, make_project

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class Measured:
    """One command: wall and CPU seconds, peak memory (MB) of the main process and of its process tree."""

    seconds: float
    cpu: float
    main_mb: float
    tree_mb: float
    exit_code: int
    output: str


def environment(root: Path, src: Path | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env |= {"HOME": str(root / "home"), "XDG_CACHE_HOME": str(root / "home" / ".cache")}
    env["ARGOS_PACKAGES_DIR"] = str(root / "argos")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


def measure(project: Path, home: Path, src: Path | None, *arguments: str) -> Measured:
    """``polyleaf ARGUMENTS`` in ``project`` as a fresh process, sampled until it ends."""
    command = [sys.executable, "-c", "import sys; from polyleaf.cli import main; sys.exit(main())", *arguments]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, cwd=project, env=environment(home, src), stdout=output, stderr=output)
        main = psutil.Process(process.pid)
        main_peak = tree_peak = 0
        cpu_seen: dict[int, float] = {}  # each process's CPU seconds when last sampled
        while process.poll() is None:
            main_rss = _rss(main)
            try:
                children = main.children(recursive=True)
            except psutil.Error:
                children = []
            main_peak = max(main_peak, main_rss)
            tree_peak = max(tree_peak, main_rss + sum(_rss(child) for child in children))
            for member in (main, *children):
                with contextlib.suppress(psutil.Error):
                    times = member.cpu_times()
                    cpu_seen[member.pid] = times.user + times.system
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Worker processes forked by a fork server are not this process's to wait for: their CPU is only in the samples.
    cpu = max((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), sum(cpu_seen.values()))
    mb = 1024 * 1024
    return Measured(seconds, cpu, main_peak / mb, tree_peak / mb, process.returncode, text)


def base_sources(base: str, into: Path) -> Path:
    """The package as ``base`` has it, extracted to ``into``/src."""
    archive = subprocess.run(["git", "archive", base, "src"], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def forget_caches(project: Path) -> None:
    subprocess.run(["rm", "-rf", str(project / "build" / ".cache")], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="reviewed entries per language")
    parser.add_argument("--warm-runs", type=int, default=3, help="warm commands per code (the best is shown)")
    parser.add_argument("--base", default="main", help="the code to compare with (a git revision)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="polyleaf-check-scale-") as temp:
        home = Path(temp)
        project, small = home / "project", home / "small"
        project.mkdir()
        small.mkdir()
        make_project(project, args.entries)
        make_project(small, 20)
        codes = {"this checkout": None, args.base: base_sources(args.base, home)}
        rows: dict[str, dict[str, Measured]] = {}
        for label, src in codes.items():
            measure(small, home, src, "check")  # writes the bytecode of what ``check`` imports
            forget_caches(project)
            cold = measure(project, home, src, "check")
            warm = [measure(project, home, src, "check") for _ in range(args.warm_runs)]
            rows[label] = {"cold": cold, "warm": min(warm, key=lambda measured: measured.cpu)}
            different = [run for run in warm if (run.exit_code, run.output) != (cold.exit_code, cold.output)]
            if different:
                print(f"{label}: a warm check printed other findings or exit code than the cold one")
    report(args, rows)


def report(args: argparse.Namespace, rows: dict[str, dict[str, Measured]]) -> None:
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work slows wall time)")
    print(f"project: {args.entries} reviewed entries × {len(LANGUAGES)} languages ({', '.join(LANGUAGES)})")
    print(f"{'polyleaf check':28}{'seconds':>9}{'cpu s':>8}{'main MB':>9}{'tree MB':>9}{'exit':>6}{'findings':>10}")
    for label, measured in rows.items():
        for kind, row in measured.items():
            findings = sum(1 for line in row.output.splitlines() if ": error [" in line or ": warning [" in line)
            print(
                f"{label + ', ' + kind:28}{row.seconds:9.2f}{row.cpu:8.2f}{row.main_mb:9.0f}{row.tree_mb:9.0f}"
                f"{row.exit_code:6}{findings:10}"
            )
    new, old = rows.values()
    same = all((new[kind].exit_code, new[kind].output) == (old[kind].exit_code, old[kind].output) for kind in new)
    print(f"same findings and exit code as {args.base}: {'yes' if same else 'NO'}")
    for kind in ("cold", "warm"):
        print(
            f"{kind}: {new[kind].seconds / old[kind].seconds:.2f}× the seconds, "
            f"{new[kind].cpu / old[kind].cpu:.2f}× the CPU seconds of {args.base}"
        )
    verdict = {True: "met", False: "NOT met"}
    for kind, target in (("cold", 3.0), ("warm", 1.0)):
        row = new[kind]
        wall, cpu = verdict[row.seconds <= target], verdict[row.cpu <= target]
        print(f"target {kind} ≤ {target:g} s: {wall} in seconds ({row.seconds:.2f}), {cpu} in CPU s ({row.cpu:.2f})")


if __name__ == "__main__":
    main()
