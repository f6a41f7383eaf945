"""Progress of long work: the pipeline says what it is doing and how far it got; the command line draws it.

A ``ProgressFactory`` is called when a piece of long work starts, with what the work is (``rendering PDFs``), how
many units it has and what a unit is (``PDFs``); it returns the function the work calls with each increment (the
increments add up to the total). The pipeline draws nothing itself: without a factory (tests, ``--quiet``, a pipe,
``CI``) nothing is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

Advance = Callable[[int], None]
ProgressFactory = Callable[[str, int, str], Advance]


def counted(items: Iterable[T], total: int, progress: ProgressFactory | None, what: str, unit: str) -> Iterator[T]:
    """``items``, one unit of progress each once the caller is done with it. The progress starts when the first
    item is asked for — when the work starts, for a lazy ``items`` (an executor's results) — not before."""
    if progress is None or total <= 0:
        yield from items
        return
    advance = progress(what, total, unit)
    for item in items:
        yield item
        advance(1)


#: What the progress of a download or an install counts in (the unit shown is "MB").
MEGABYTE = 1_000_000


def in_megabytes(progress: ProgressFactory | None, what: str, size: int) -> Advance | None:
    """An ``Advance`` that takes bytes (``size`` in all) and shows whole megabytes (a 300 kB package is 1 MB);
    None without ``progress`` or a size."""
    if progress is None or size <= 0:
        return None
    total = -(-size // MEGABYTE)
    advance = progress(what, total, "MB")
    done = shown = 0

    def add(count: int) -> None:
        nonlocal done, shown
        done += count
        now = total if done >= size else done // MEGABYTE
        if now > shown:
            advance(now - shown)
            shown = now

    return add
