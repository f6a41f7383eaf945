"""A task for a worker process that stops in the middle of sending its result (tests only)."""

from __future__ import annotations

import gc
import multiprocessing.queues
import os
import struct
import time


def half_a_result_then_stall(_index: int) -> None:
    """Write the start of a result message to the pool's result pipe, as a worker does when it is stopped in the
    middle of sending a large result, then stall like a long task until the worker is stopped."""
    results = next(item for item in gc.get_objects() if type(item) is multiprocessing.queues.SimpleQueue)
    os.write(
        results._writer.fileno(),  # type: ignore[attr-defined]
        struct.pack("!i", 1_000_000) + b"\x80" * 100,
    )
    time.sleep(120)
