"""Benchmark: `polyleaf --help` start-up, an incremental re-run with nothing changed, and the environment size.

Targets (issue 3): --help < 0.3 s; re-run with nothing changed translates 0 segments in < 1 s; the environment
`uv sync` installs ≤ 300 MB. Run with:  uv run python benchmarks/startup_and_rerun.py
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def runtime_packages() -> set[str]:
    """What ``uv sync --no-dev`` installs: the packages of requirements.txt (uv's export of the lock), and polyleaf."""
    lines = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    names = {line.split("==")[0].strip().lower().replace("_", "-") for line in lines if "==" in line}
    return names | {"polyleaf"}


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result


def best_of(runs: int, command: list[str], cwd: Path, env: dict[str, str]) -> float:
    return min(timed(command, cwd, env)[0] for _ in range(runs))


def distribution_sizes() -> dict[str, int]:
    """Bytes on disk per installed distribution (from its RECORD), plus the interpreter-independent rest."""
    sizes: dict[str, int] = {}
    site = Path(sysconfig.get_paths()["purelib"])
    for dist in metadata.distributions():
        total = 0
        for file in dist.files or ():
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                total += path.stat().st_size
        sizes[dist.metadata["Name"].lower()] = total
    sizes["(site-packages total)"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "CI": "true",
            "ARGOS_PACKAGES_DIR": str(home / "packages"),
        }
        polyleaf = [sys.executable, "-m", "polyleaf"]

        help_seconds = best_of(args.runs, [*polyleaf, "--help"], REPO, env)
        python_seconds = best_of(args.runs, [sys.executable, "-c", "pass"], REPO, env)

        project = Path(folder) / "project"
        project.mkdir()
        shutil.copytree(REPO / "source", project / "source")
        shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
        first, result = timed([*polyleaf, "run", "--json"], project, env)
        assert result.returncode == 0, result.stderr
        rerun_times = []
        for _ in range(args.runs):
            seconds, result = timed([*polyleaf, "run", "--json"], project, env)
            summary = json.loads(result.stdout)
            assert summary["written"] == [], summary["written"]
            rerun_times.append(seconds)
        translated = sum(summary["filled_from_mt"].values()) + sum(summary["filled_from_tm"].values())
        status_seconds = best_of(args.runs, [*polyleaf, "status", "--json"], project, env)

    sizes = distribution_sizes()
    total = sizes.pop("(site-packages total)")
    needed = runtime_packages()
    runtime = sum(size for name, size in sizes.items() if name.replace("_", "-") in needed)
    venv_bin = sum(p.stat().st_size for p in Path(sys.prefix, "bin").rglob("*") if p.is_file())
    print(f"polyleaf --help            {help_seconds:6.3f} s  (bare python {python_seconds:.3f} s; target < 0.3 s)")
    print(f"first run (no MT model)    {first:6.3f} s  (all templates, catalogs, txt/html/pdf for every language)")
    print(
        f"re-run, nothing changed    {min(rerun_times):6.3f} s  best of {args.runs}; "
        f"segments translated: {translated}; files written: 0 (target < 1 s)"
    )
    print(f"status --json              {status_seconds:6.3f} s")
    print(
        f"environment: site-packages {total / 2**20:6.1f} MB + bin {venv_bin / 2**20:.1f} MB; "
        f"of which what the main job needs (requirements.txt, polyleaf) {runtime / 2**20:.1f} MB"
    )
    for name, size in sorted(sizes.items(), key=lambda item: -item[1])[:10]:
        print(f"    {name:<20} {size / 2**20:6.1f} MB")


if __name__ == "__main__":
    main()
