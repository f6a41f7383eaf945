"""Running a run's tasks on a Dask cluster (``--scheduler tcp://host:8786`` or ``[cluster] scheduler``).

The optional extra ``polyleaf[distributed]`` brings Dask; without it, asking for a scheduler is a one-line error
(``polyleaf.execution.choice.open_executor``: this module is imported only when a scheduler is given).

Machine translation runs on the cluster: the main process submits a task per chunk, receives the results and alone
writes files. Dask reschedules the task of a worker that died (killed, out of memory) on another worker; each result
is applied once, when it arrives, so nothing is lost and nothing is applied twice. PDFs are rendered on local
worker processes (``polyleaf.execution.workers.LocalPool``): a leaflet's images and the project's font files are
files of this machine, which a cluster worker may not see.

Workers need not share a file system with the main process. The models a run needs (argos packages, CTranslate2
model folders) are zipped, and a
worker plugin carries them to every worker — those there now and those that join or restart later — which unpacks
them into its own local directory once; each worker then loads a model once (``translate.worker_engine``).
A worker runs as many tasks at a time as it has threads (``nthreads``), all with the one engine it made: its
translators decode that many batches at a time (CTranslate2 replicas sharing one copy of the weights), each with its
share of the worker's cores (``resources`` ``cores``, else one a thread), so the decoders of a machine's workers do
not fight over its cores; it keeps the memory the decoder frees (``keep_freed_memory``).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import io
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from distributed import Client, Security, WorkerPlugin, as_completed, get_worker

from polyleaf.errors import PolyleafError
from polyleaf.execution.workers import LocalPool, Site, default_workers
from polyleaf.mt.engine import Recipe

if TYPE_CHECKING:
    from polyleaf.config.model import Config
    from polyleaf.mt.engine import Engine

T = TypeVar("T")

#: Seconds to wait for the scheduler before the run gives up.
CONNECT_TIMEOUT = 30
MODELS_FOLDER = "polyleaf-models"


class DaskExecutor:
    """Tasks on the Dask cluster whose scheduler is at ``address``."""

    decoder_threads = 0  # each worker decides, from its own threads and cores (``ShippedRecipe``)

    def __init__(self, address: str, preload: Sequence[str] = ()) -> None:
        if address.startswith("tls://") and Security().get_connection_args("client")["ssl_context"] is None:
            raise PolyleafError(
                f"the Dask scheduler {address} needs TLS certificates: set distributed.comm.tls in Dask's configuration"
            )
        self.local = LocalPool(default_workers(), preload)
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise PolyleafError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        self.address = address
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def site(self, tasks: int) -> Site:
        return Site.CLUSTER

    def unordered(self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, T]]:
        futures = {self.client.submit(function, *args, pure=False): index for index, args in enumerate(arguments)}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                yield futures[future], future.result()
        finally:
            self.client.cancel(list(futures))

    def ordered(
        self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]], *, recycle: int = 0
    ) -> Iterator[T]:
        """Rendering: on local worker processes (see the module's docstring)."""
        return self.local.ordered(function, arguments, recycle=recycle)

    def close(self, abort: bool = False) -> None:
        self.local.close(abort)
        self.client.close()

    def ship(self, recipe: Recipe) -> Recipe:
        """Send the model folders of ``recipe`` to every worker (a worker plugin); the recipe a worker calls to
        use its copies of them."""
        archives = {folder: package_archive(folder) for folder in recipe.model_folders()}
        digests = {folder: Path(hashlib.sha256(data).hexdigest()) for folder, data in archives.items()}
        plugin = ModelFiles({digests[folder].name: data for folder, data in archives.items()})
        self.client.register_plugin(plugin, name=plugin.name)
        return ShippedRecipe(recipe.relocated(digests))


def package_archive(folder: Path) -> bytes:
    """An installed model folder as zip bytes (deterministic: sorted members, fixed times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(item for item in folder.rglob("*") if item.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


@dataclass
class ModelFiles(WorkerPlugin):  # type: ignore[misc]
    """A worker plugin holding model folders (digest → zip bytes): each worker unpacks them once into its local
    directory, ``<local_directory>/polyleaf-models/<digest>/``."""

    archives: dict[str, bytes]

    @property
    def name(self) -> str:
        return "polyleaf-models-" + hashlib.sha256("".join(sorted(self.archives)).encode()).hexdigest()[:16]

    def setup(self, worker: Any) -> None:
        root = Path(worker.local_directory) / MODELS_FOLDER
        root.mkdir(parents=True, exist_ok=True)
        for digest, data in self.archives.items():
            target = root / digest
            if target.is_dir():
                continue
            staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=root))
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    archive.extractall(staging)
                staging.rename(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class ShippedRecipe(Recipe):
    """On a worker: ``recipe`` (whose model folders are named by their digest) over this worker's copies of its
    models, decoding as many batches at a time as the worker runs tasks (its threads), each with its share of the
    worker's cores (``[mt] threads`` 0)."""

    recipe: Recipe

    def __call__(self, config: Config) -> Engine:
        worker = get_worker()
        keep_freed_memory()
        root = Path(worker.local_directory) / MODELS_FOLDER
        local = self.recipe.relocated({folder: root / folder.name for folder in self.recipe.model_folders()})
        threads = config.mt.threads or worker_threads(worker)
        config = replace(config, mt=replace(config.mt, threads=threads, decoders=max(1, int(worker.state.nthreads))))
        return local(config)


#: glibc's ``mallopt`` parameters (malloc.h), and what a decoding worker sets them to.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_DECODER_MMAP_THRESHOLD, _DECODER_TRIM_THRESHOLD = 32 * 2**20, 64 * 2**20


def keep_freed_memory() -> None:
    """Dask starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536`` (to give memory back to the system), which
    also pins glibc's mmap threshold at 128 KiB: the decoder's buffers are then mapped and unmapped at every batch,
    and a worker spends more time in the kernel than decoding. This worker keeps freed memory up to the sizes a
    decoder reuses, as glibc's own adaptive thresholds would."""
    if not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, _DECODER_MMAP_THRESHOLD)
        libc.mallopt(_M_TRIM_THRESHOLD, _DECODER_TRIM_THRESHOLD)


def worker_threads(worker: Any) -> int:
    """The decoder threads of one task on ``worker``: its cores (the ``cores`` resource it was started with, else
    one a thread, Dask's own rule) shared among the tasks it runs at a time (its threads)."""
    threads = max(1, int(worker.state.nthreads))
    cores = int(worker.state.total_resources.get("cores", threads))
    return max(1, cores // threads)
