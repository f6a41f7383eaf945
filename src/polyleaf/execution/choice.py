"""Which executor a run gets: a Dask cluster when a scheduler address is given, else local worker processes, else
this process. Dask is imported only here, and only when a scheduler is given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from polyleaf.errors import ConfigError
from polyleaf.execution.workers import Executor, Inline, LocalPool, default_workers

if TYPE_CHECKING:
    from polyleaf.execution.cluster import DaskExecutor


def open_executor(workers: int, scheduler: str | None = None, preload: Sequence[str] = ()) -> Executor:
    """The executor for a run: a Dask cluster when a scheduler address is given, else a local pool of ``workers``
    processes (0: the cores) that start with the modules of ``preload`` imported, else (one worker) this
    process."""
    if scheduler:
        return dask_executor(scheduler)(scheduler, preload)
    count = workers or default_workers()
    return LocalPool(count, preload) if count > 1 else Inline()


def dask_executor(scheduler: str) -> type[DaskExecutor]:
    """The executor class for the Dask ``scheduler``; ConfigError when Dask is not installed (a run asks before it
    writes anything)."""
    try:
        from polyleaf.execution.cluster import DaskExecutor
    except ImportError as error:
        if error.name not in ("distributed", "dask") and not str(error.name).startswith(("distributed.", "dask.")):
            raise
        raise ConfigError(
            f"the Dask scheduler {scheduler} needs Dask: install polyleaf's distributed extra "
            "(pip install 'polyleaf[distributed]')"
        ) from None
    return DaskExecutor
