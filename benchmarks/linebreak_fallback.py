"""Benchmark: writing a 10,000-entry PO file with every entry wrapped anew, once with libunistring's line breaker
(through ctypes) and once with the pure-Python fallback that machines without libunistring (macOS, Windows, slim
containers) use; it also counts the entries whose lines differ between the two.

    uv run python benchmarks/linebreak_fallback.py [--entries 10000] [--repeat 3]

The file is po_parse_write.py's: sentences of 5-40 words in English, Spanish, Arabic, Chinese and Russian.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from unittest import mock

from po_parse_write import best, make_po
from polyleaf.po import linebreak, pofile, poread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    po = poread.parse_po_file(make_po(args.entries), Path("locales/es/LC_MESSAGES/bench.po"))
    print(f"{args.entries} entries; best of {args.repeat}, milliseconds")
    with mock.patch.object(linebreak, "_libunistring", lambda: None):
        fallback = pofile.render(po, reuse=False)[0]
        python_time = best(lambda: pofile.render(po, reuse=False), args.repeat)
    if linebreak._libunistring() is None:
        print("  (libunistring is not installed: only the fallback was measured)")
    else:
        library = pofile.render(po, reuse=False)[0]
        library_time = best(lambda: pofile.render(po, reuse=False), args.repeat)
        print(f"  {'write, libunistring (ctypes)':<45} {library_time:8.0f}")
        differing = sum(a != b for a, b in zip(library.split(b"\n\n"), fallback.split(b"\n\n"), strict=True))
        print(f"  {'entries the fallback writes differently':<45} {differing:8d}")
    print(f"  {'write, pure-Python fallback':<45} {python_time:8.0f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
