"""PDF rendering with worker processes: a whole ``polyleaf build --format pdf --workers 2`` of a project of ``copies``
× 2 articles in Spanish and Arabic (drafts: the English shown where nothing is translated), from an empty build
folder each time, timed from the outside as a user runs it.

Given several source trees (``--tree NAME=PATH``: a ``src`` folder of polyleaf, e.g. an older commit's from
``git archive``), the rounds alternate between them on the same project (so a busy machine weighs on each alike),
and the PDFs of each tree are compared with the first tree's, byte for byte. Each build has a temporary folder of
its own (``TMPDIR``): what WeasyPrint left there when the command ended (copies of the font files it was given with
``@font-face``) is counted too.

    uv run python benchmarks/pdf_workers.py [--copies 15] [--rounds 3] [--tree before=/tmp/old/src --tree after=src]

Nothing is written outside a temporary directory (HOME and XDG_* point into it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("es", "ar")


def make_project(folder: Path, copies: int) -> Path:
    """The repository's articles copied ``copies`` times (a number in each title), with their PO files."""
    source = folder / "source"
    source.mkdir(parents=True)
    shutil.copyfile(ROOT / "source" / "disclaimer.txt", source / "disclaimer.txt")
    for copy in range(copies):
        for article in sorted((ROOT / "source").glob("*.txt")):
            if article.name != "disclaimer.txt":
                title, rest = article.read_text(encoding="utf-8").split("\n", 1)
                (source / f"{article.stem}-{copy:02d}.txt").write_text(f"{title} {copy}\n{rest}", encoding="utf-8")
    (folder / "polyleaf.toml").write_text(
        f'source_language = "en"\nlanguages = {list(LANGUAGES)!r}\nformats = ["pdf"]\n'.replace("'", '"'),
        encoding="utf-8",
    )
    return folder


def polyleaf(project: Path, src: Path, env: dict[str, str], *args: str) -> float:
    """Seconds a whole ``polyleaf`` command takes with the package from ``src``."""
    command = [sys.executable, "-m", "polyleaf", "--project", str(project), *args]
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**env, "PYTHONPATH": str(src)}, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def left_behind(folder: Path) -> tuple[int, int]:
    """The folders in ``folder`` and the bytes of the files in them (then removed)."""
    folders = [path for path in folder.iterdir() if path.is_dir()]
    size = sum(path.stat().st_size for below in folders for path in below.rglob("*") if path.is_file())
    for path in folders:
        shutil.rmtree(path)
    return len(folders), size


def pdfs(project: Path) -> dict[str, bytes]:
    return {path.relative_to(project).as_posix(): path.read_bytes() for path in sorted(project.rglob("*.pdf"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=15, help="copies of the two articles (15: 30 leaflets)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tree", action="append", default=[], help="NAME=PATH of a polyleaf src folder")
    options = parser.parse_args()
    trees = dict(tree.split("=", 1) for tree in options.tree) or {"here": str(ROOT / "src")}
    with tempfile.TemporaryDirectory(prefix="polyleaf-pdf-bench-") as scratch:
        home = Path(scratch) / "home"
        env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}
        env |= {"XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}
        project = make_project(Path(scratch) / "project", options.copies)
        polyleaf(project, Path(next(iter(trees.values()))), env, "update", "-q")
        times: dict[str, list[float]] = {name: [] for name in trees}
        outputs: dict[str, dict[str, bytes]] = {}
        left: dict[str, tuple[int, int]] = {}
        temporary = Path(scratch) / "tmp"
        temporary.mkdir()
        for _ in range(options.rounds):
            for name, src in trees.items():
                shutil.rmtree(project / "build", ignore_errors=True)
                build = ("build", "-q", "--workers", str(options.workers))
                times[name].append(polyleaf(project, Path(src), {**env, "TMPDIR": str(temporary)}, *build))
                outputs[name] = pdfs(project)
                left[name] = left_behind(temporary)
        count = len(next(iter(outputs.values())))
        print(f"{count} PDFs ({options.copies * 2} leaflets x {len(LANGUAGES)} languages), --workers {options.workers}")
        print(f"{'tree':<12} {'median s':>9} {'min s':>7}  {'rounds':<15} {'same PDFs':>9}  left in TMPDIR")
        first = next(iter(outputs.values()))
        for name, measured in times.items():
            same = sum(outputs[name].get(path) == data for path, data in first.items())
            rounds = " ".join(f"{value:.1f}" for value in measured)
            folders, size = left[name]
            print(
                f"{name:<12} {statistics.median(measured):>9.2f} {min(measured):>7.2f}  {rounds:<15} "
                f"{f'{same}/{count}':>9}  {folders} folders, {size / 2**20:.0f} MB"
            )
        names = list(times)
        for name in names[1:]:
            ratio = statistics.median(times[names[0]]) / statistics.median(times[name])
            print(f"{names[0]} / {name}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
