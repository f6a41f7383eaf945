"""Benchmark: how much reviewed Arabic text PDF readers get back from the leaflets (copy, search, screen readers).

Builds the seed articles and a Markdown article (table, links, Latin names, quantities, a contact block) with every
Arabic entry reviewed (tests/data/arabic), extracts each PDF with pdftotext (poppler) and pypdfium2, and prints the
share of segments found: exact, by words, and by words with the vowel marks aside (see tests/arabic_leaflets.py).
Target (issue 20): ≥ 95 % of segments. Run with:  uv run python benchmarks/arabic_extraction.py [-v] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the segments a reader did not give back")
    parser.add_argument("--keep", type=Path, help="build the project in this (new) folder and keep it")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    import arabic_leaflets
    from polyleaf.cli import main as cli

    with tempfile.TemporaryDirectory() as folder:
        root = args.keep or Path(folder) / "project"
        runner = CliRunner()
        arabic_leaflets.make_project(root, runner)
        start = time.perf_counter()
        result = runner.invoke(cli, ["--project", str(root), "build", "--lang", "ar", "--format", "pdf"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        built = time.perf_counter() - start
        scores = arabic_leaflets.score(root, root / "build" / "ar")
    print(f"{scores.total} reviewed segments in 3 leaflets (PDFs built in {built:.1f} s)")
    print(f"{'reader':<11}" + "".join(f"{metric:>20}" for metric in arabic_leaflets.METRICS))
    for reader in arabic_leaflets.READERS:
        cells = [
            f"{scores.found.get((reader, metric), 0)}/{scores.total} {scores.share(reader, metric):6.1%}"
            for metric in arabic_leaflets.METRICS
        ]
        print(f"{reader:<11}" + "".join(f"{cell:>20}" for cell in cells))
    if args.verbose:
        for (reader, metric), missed in sorted(scores.missed.items()):
            for segment in missed:
                print(f"  not given back by {reader} ({metric}): {segment}")


if __name__ == "__main__":
    main()
