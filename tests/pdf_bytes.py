"""Reading a PDF without poppler: its Flate streams inflated, and the fonts it embeds."""

from __future__ import annotations

import re
import zlib


def inflated(data: bytes) -> bytes:
    """The PDF with its Flate streams decompressed (the catalog and fonts sit in compressed object streams)."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            chunks.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"".join(chunks)


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds as subsets (``ABCDEF+`` prefix dropped), e.g. ``Noto-Serif-polyleaf``."""
    names = re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/<>\[\]()]+)", inflated(pdf))
    return {name.decode() for name in names}
