"""Benchmark: how much reviewed Arabic text PDF readers get back from the leaflets (copy, search, screen readers).

Builds the seed articles and a Markdown article (table, links, Latin names, quantities, a contact block) with every
Arabic entry reviewed (tests/data/arabic), extracts each PDF with pdftotext (poppler) and pypdfium2, and prints the
share of segments found exactly after NFKC (issue 20's measure, target ≥ 95 %), two looser measures (words in
order; words with the vowel marks aside), and what limits the segments a reader misses (see tests/arabic_leaflets.py).
The PDFs are set in polyleaf's own fonts (fontconfig lists none), as on a fresh machine, unless --system-fonts.
Run with:  uv run python benchmarks/arabic_extraction.py [-v] [--keep DIR] [--system-fonts]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
HEADINGS = {"exact": "exact (NFKC)", "words": "words in order", "words_unvowelled": "marks aside"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the segments a reader did not give back")
    parser.add_argument("--keep", type=Path, help="build the project in this (new) folder and keep it")
    parser.add_argument("--system-fonts", action="store_true", help="let fontconfig offer the machine's fonts too")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    import arabic_leaflets
    from pdf_bytes import embedded_fonts
    from polyleaf.cli import main as cli

    with tempfile.TemporaryDirectory() as folder:
        if not args.system_fonts:  # before anything is rendered: fontconfig reads it once
            os.environ.update(arabic_leaflets.bundled_fonts_only(Path(folder)))
            warnings.filterwarnings("ignore", "No fonts configured in FontConfig")  # on purpose: polyleaf's own
        root = args.keep or Path(folder) / "project"
        runner = CliRunner()
        arabic_leaflets.make_project(root, runner)
        start = time.perf_counter()
        result = runner.invoke(cli, ["--project", str(root), "build", "--lang", "ar", "--format", "pdf"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        built = time.perf_counter() - start
        pdfs = sorted((root / "build" / "ar").glob("*.pdf"))
        fonts = sorted({font for pdf in pdfs for font in embedded_fonts(pdf.read_bytes())})
        scores = arabic_leaflets.score(root, root / "build" / "ar")
    print(f"{scores.total} reviewed segments in {len(pdfs)} leaflets, PDFs built in {built:.1f} s")
    print(f"fonts: {', '.join(fonts)}")
    print(f"{'reader':<11}" + "".join(f"{HEADINGS[metric]:>20}" for metric in arabic_leaflets.METRICS))
    for reader in arabic_leaflets.READERS:
        cells = [
            f"{scores.found.get((reader, metric), 0)}/{scores.total} {scores.share(reader, metric):6.1%}"
            for metric in arabic_leaflets.METRICS
        ]
        print(f"{reader:<11}" + "".join(f"{cell:>20}" for cell in cells))
    for reader in arabic_leaflets.READERS:
        limits = scores.limits.get(reader, {})
        print(f"{reader} misses: " + ", ".join(f"{count} {name}" for name, count in limits.items()))
    if args.verbose:
        for (reader, metric), missed in sorted(scores.missed.items()):
            for segment in missed:
                print(f"  not given back by {reader} ({metric}): {segment}")


if __name__ == "__main__":
    main()
