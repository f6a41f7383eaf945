"""Fuzzy translation memory at library scale: the lookup for ~10,000 unreviewed sentences against ~50,000
distinct reviewed ones, and what it adds to one ``polyleaf run`` of that project.

The library is generated from templates (tests/tm_library.py, ``varied``: an invented drug per leaflet and wide
ranges of doses, days, hours…): as many leaflets reviewed in Spanish as it takes to hold ``--reviewed`` distinct
reviewed English sentences, then as many new leaflets as it takes to have ``--lookups`` distinct sentences no
reviewed one has (exact memory fills the others). The same project is then run twice, each time in a fresh
process from the same files: ``polyleaf run`` (extract, update, translate, build; formats txt and html; no machine
translation model installed, as on a fresh machine, so that the run is as short as it can be) with the fuzzy
memory step turned off (``runner.suggest_from_memory`` replaced by nothing), and the same run with it. The
parent samples the whole process tree's resident memory (psutil, every 50 ms) of each run.

    uv run python benchmarks/tm_lookup.py [--reviewed 50000] [--lookups 10000]

Prints the library's size, both runs' wall time and peak memory, the fuzzy step's own time, and the ratio of the
run with the fuzzy step to the run without it. Nothing is written outside a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


class NoEngine:
    """No machine translation model installed: the run does everything else."""

    name = "none"

    def translate(self, texts: Sequence[str], source: str, target: str, progress: Any = None) -> list[str]:
        raise AssertionError("nothing is machine-translated")

    def supports(self, source: str, target: str) -> bool:
        return False

    def provenance(self, source: str, target: str) -> str:
        return "none"


def no_engine(config: Any) -> NoEngine:
    return NoEngine()


def make_library(root: Path, reviewed: int, lookups: int) -> dict[str, int]:
    """The project: leaflets until ``reviewed`` distinct reviewed sentences, then until ``lookups`` new ones."""
    from polyleaf.config.model import load_config
    from polyleaf.pipeline import runner
    from tm_library import leaflet, name_of, review, write_library

    (root / "source").mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "polyleaf.toml").write_text(
        'project_name = "library"\nlanguages = ["es"]\nformats = ["txt", "html"]\n', encoding="utf-8"
    )
    seen: set[str] = set()
    number = 0
    while len(seen) < reviewed:
        seen.update(sentence.texts["en"] for sentence in leaflet(number, varied=True))
        number += 1
    reviewed_leaflets = number
    new: set[str] = set()
    while len(new) < lookups:
        new.update(text for s in leaflet(number, varied=True) if (text := s.texts["en"]) not in seen)
        number += 1
    written = write_library(root / "source", range(number), varied=True)
    runner.run(load_config(root), steps=frozenset({"extract", "update"}))
    segments = 0
    for index in range(reviewed_leaflets):
        name = name_of(index)
        path = root / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
        segments += review(path, {item.texts["en"]: item.texts["es"] for item in written[name]})
    return {
        "leaflets": number,
        "reviewed leaflets": reviewed_leaflets,
        "reviewed segments": segments,
        "distinct reviewed sentences": len(seen),
        "new leaflets": number - reviewed_leaflets,
        "sentences to look up": len(new),
    }


def stage(project: Path, fuzzy: bool) -> None:
    """One ``polyleaf run`` in this process; prints its time and the fuzzy step's as JSON."""
    from polyleaf.config.model import load_config
    from polyleaf.pipeline import runner

    spent = [0.0]
    suggest = vars(runner)["suggest_from_memory"]  # ``run`` looks its stages up in this namespace

    def timed(*args: Any, **kwargs: Any) -> int:
        started = time.perf_counter()
        try:
            return int(suggest(*args, **kwargs)) if fuzzy else 0
        finally:
            spent[0] += time.perf_counter() - started

    vars(runner)["suggest_from_memory"] = timed
    started = time.perf_counter()
    report = runner.run(load_config(project), engine_factory=no_engine)
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "fuzzy_seconds": spent[0], "suggested": sum(report.suggested_from_tm.values())}
    print(json.dumps(result))


def run_stage(project: Path, fuzzy: bool, env: dict[str, str]) -> dict[str, float]:
    """``stage`` in a fresh process, its process tree's peak resident memory sampled from here."""
    import psutil

    command = [sys.executable, __file__, "--stage", "--project", str(project), *(["--fuzzy"] if fuzzy else [])]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        parent = psutil.Process(child.pid)
        while not done.wait(0.05):
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak[0] = max(peak[0], sum(process.memory_info().rss for process in tree) / 2**20)
            except psutil.Error:
                continue

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"the run failed:\n{err[-3000:]}")
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return {**result, "peak_mb": peak[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviewed", type=int, default=50_000, help="distinct reviewed sentences")
    parser.add_argument("--lookups", type=int, default=10_000, help="distinct sentences to look up")
    parser.add_argument("--stage", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fuzzy", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--project", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        stage(Path(args.project), args.fuzzy)
        return
    with tempfile.TemporaryDirectory(prefix="polyleaf-tm-") as folder:
        work = Path(folder)
        env = {
            **os.environ,
            "HOME": str(work / "home"),
            "XDG_DATA_HOME": str(work / "home" / "data"),
            "XDG_CACHE_HOME": str(work / "home" / "cache"),
            "XDG_CONFIG_HOME": str(work / "home" / "config"),
            "ARGOS_PACKAGES_DIR": str(work / "packages"),
            "CI": "true",
        }
        os.environ.update(env)
        started = time.perf_counter()
        sizes = make_library(work / "library", args.reviewed, args.lookups)
        made = time.perf_counter() - started
        for name, value in sizes.items():
            print(f"{name:>28}: {value:,}")
        print(f"{'library made in':>28}: {made:.0f} s")
        results = {}
        for fuzzy in (False, True):
            project = work / ("with" if fuzzy else "without")
            shutil.copytree(work / "library", project, symlinks=True)
            results[fuzzy] = run_stage(project, fuzzy, env)
        without, with_fuzzy = results[False], results[True]
        print()
        print(f"{'':>28}  {'seconds':>8}  {'peak MB':>8}")
        print(f"{'polyleaf run without fuzzy':>28}  {without['seconds']:8.1f}  {without['peak_mb']:8.0f}")
        print(f"{'polyleaf run with fuzzy':>28}  {with_fuzzy['seconds']:8.1f}  {with_fuzzy['peak_mb']:8.0f}")
        print(f"{'fuzzy step alone':>28}  {with_fuzzy['fuzzy_seconds']:8.1f}")
        print(f"{'entries with a suggestion':>28}  {with_fuzzy['suggested']:8.0f}")
        print(f"{'ratio (with / without)':>28}  {with_fuzzy['seconds'] / without['seconds']:8.2f}  (target ≤ 1.5)")
        print(f"{'memory (with / without)':>28}  {with_fuzzy['peak_mb'] / without['peak_mb']:8.2f}")


if __name__ == "__main__":
    main()
