"""Writes src/polyleaf/po/linebreak_data.py: the line-breaking data of GNU libunistring 1.0 (Unicode 14.0.0), which
GNU gettext 0.21's msgcat breaks PO lines with, for polyleaf's pure-Python line breaker.

    uv run python tools/generate_linebreak_data.py           # (re)write the module
    uv run python tools/generate_linebreak_data.py --check   # exit 1 if the module is not what it would write

Run it on a machine with libunistring 1.0 (Debian 12: ``libunistring2`` 1.0-2). The data is read from that library,
so that it is GNU's data and not a reinterpretation of it:

- the line-break class of every code point: libunistring's ``unilbrkprop`` table, the same bytes as gnulib's
  lib/unilbrk/lbrkprop2.h at commit 87e6634b28 ("Generated automatically by gen-uni-tables.c for Unicode 14.0.0").
  It is UAX #14's LineBreak.txt 14.0.0 with NL read as BK and CJ as NS, OP, CP and ID each split in two (East Asian
  or not; ID2: a potential future emoji, which an emoji modifier does not break from);
- the pair table ``unilbrk_table`` (gnulib lib/unilbrk/lbrktables.c);
- the columns of every code point: ``uc_width(c, "UTF-8")`` (public API; its tables differ from EastAsianWidth.txt:
  combining marks, format characters and conjoining Hangul jamo take 0 columns).

The two tables are internal but exported by libunistring.so.2 (prefixed ``libunistring_``); their layout is the one of
gnulib's lbrkprop1.h for libunistring 1.0, so another version is refused rather than misread.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import ctypes.util
import sys
import textwrap
import zlib
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "src" / "polyleaf" / "po" / "linebreak_data.py"
#: ``_libunistring_version`` of the library whose layout this script knows (major << 16 | minor << 8 | patch).
VERSION = 0x010000
UNICODE_VERSION = "14.0.0"
#: libunistring 1.0's line-break classes in the order of their numbers (lbrktables.h): the first 33 index the
#: pair table; the others are resolved or handled before it is consulted.
CLASSES = (
    "WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP1", "CP2", "EX", "IN", "NS", "OP1", "OP2", "QU", "IS", "NU", "PO",
    "PR", "SY", "AL", "H2", "H3", "ID1", "ID2", "JL", "JV", "JT", "HL", "RI", "ZWJ", "EB", "EM",
    "BK", "CR", "LF", "CM", "ZW", "SP", "CB", "AI", "SA", "XX",
)  # fmt: skip
PAIR_CLASSES = 33
CODE_POINTS = 0x110000
#: lbrkprop1.h: level1[15] (int) indexes level2 (int) by bits 16+, level2 indexes level3 (unsigned char) by bits 7-15.
LEVEL1, SHIFT1, SHIFT2, MASK2, MASK3 = 15, 16, 7, 511, 127


def load_library() -> ctypes.CDLL:
    name = ctypes.util.find_library("unistring")
    if name is None:
        sys.exit("libunistring is not installed")
    library = ctypes.CDLL(name)
    version = ctypes.c_int.in_dll(library, "_libunistring_version").value
    if version != VERSION:
        sys.exit(f"{name} is libunistring {version >> 16}.{version >> 8 & 255}, this script reads 1.0's tables")
    return library


def line_break_classes(library: ctypes.CDLL) -> bytes:
    """libunistring's class number of every code point (unilbrkprop_lookup in lbrktables.h)."""
    level1 = (ctypes.c_int * LEVEL1).in_dll(library, "libunistring_unilbrkprop")
    level2_size = max(level1) + MASK2 + 1
    level2 = (ctypes.c_int * level2_size).from_address(ctypes.addressof(level1) + ctypes.sizeof(level1))
    level3_size = max(level2) + MASK3 + 1
    level3 = (ctypes.c_ubyte * level3_size).from_address(ctypes.addressof(level2) + ctypes.sizeof(level2))
    unknown = CLASSES.index("XX")
    classes = bytearray([unknown]) * CODE_POINTS
    for code in range(min(CODE_POINTS, LEVEL1 << SHIFT1)):
        block = level1[code >> SHIFT1]
        if block >= 0:
            row = level2[block + ((code >> SHIFT2) & MASK2)]
            if row >= 0:
                classes[code] = level3[row + (code & MASK3)]
    if max(classes) >= len(CLASSES):
        sys.exit(f"unknown class number {max(classes)}: the table is not laid out as in libunistring 1.0")
    return bytes(classes)


def pair_table(library: ctypes.CDLL) -> list[str]:
    """``unilbrk_table``: one row per class before a break, one letter per class after it."""
    table = (ctypes.c_ubyte * (PAIR_CLASSES * PAIR_CLASSES)).in_dll(library, "libunistring_unilbrk_table")
    letters = {1: "D", 2: "I", 3: "P"}
    rows = range(PAIR_CLASSES)
    return ["".join(letters[table[row * PAIR_CLASSES + column]] for column in rows) for row in rows]


def columns(library: ctypes.CDLL) -> bytes:
    """``uc_width`` of every code point, control characters (-1: u8_width_linebreaks adds nothing) as 0."""
    width = library.uc_width
    width.restype = ctypes.c_int
    width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    return bytes(max(width(code, b"UTF-8"), 0) for code in range(CODE_POINTS))


def runs(classes: bytes, widths: bytes) -> bytes:
    """(run length as a base-128 varint, class × 4 + columns) for each run of equal values from U+0000 up."""
    encoded = bytearray()
    begin = 0
    for code in range(1, CODE_POINTS + 1):
        if code < CODE_POINTS and (classes[code], widths[code]) == (classes[begin], widths[begin]):
            continue
        length = code - begin
        while length >= 128:
            encoded.append(length & 127 | 128)
            length >>= 7
        encoded += bytes([length, classes[begin] * 4 + widths[begin]])
        begin = code
    return bytes(encoded)


def module_text(library: ctypes.CDLL) -> str:
    packed = base64.b64encode(zlib.compress(runs(line_break_classes(library), columns(library)), 9)).decode()
    rows = zip(pair_table(library), CLASSES[:PAIR_CLASSES], strict=True)
    pairs = "\n".join(f'    "{row}",  # {name}' for row, name in rows)
    chunks = "\n".join(f'    "{chunk}"' for chunk in textwrap.wrap(packed, 110))
    quoted = ", ".join(f'"{name}"' for name in CLASSES)
    names = textwrap.fill(quoted, 114, initial_indent="    ", subsequent_indent="    ")
    return f'''\
"""GNU libunistring 1.0's line-breaking data (Unicode {UNICODE_VERSION}), for polyleaf.po.linebreak's Python breaker.

Generated by tools/generate_linebreak_data.py from the libunistring that GNU gettext 0.21's msgcat uses; do not edit.
"""

UNICODE_VERSION = "{UNICODE_VERSION}"

#: libunistring's line-break classes by number; the first 33 are the rows and columns of PAIRS.
CLASSES = (
{names},
)  # fmt: skip

#: libunistring's unilbrk_table: PAIRS[before][after] is D (a break), I (a break only after spaces) or P (none).
PAIRS = (
{pairs}
)

#: Class and columns of every code point from U+0000 up: base64 of the zlib-compressed sequence of runs, each its
#: length (a little-endian base-128 varint) and one byte, class number × 4 + columns (0, 1 or 2).
RUNS = (
{chunks}
)
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the module is not what would be written")
    args = parser.parse_args()
    text = module_text(load_library())
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            sys.exit(f"{TARGET} is not what {Path(__file__).name} writes from this libunistring")
        print(f"{TARGET} is up to date")
    else:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
