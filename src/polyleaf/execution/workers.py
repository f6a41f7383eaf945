"""Where the heavy tasks of a run execute: in this process, on a pool of local worker processes, or on a Dask
cluster (``polyleaf.execution.cluster``; ``polyleaf.execution.choice`` picks one for a run). The main process stays
the only writer of PO files, outputs and the manifest: a task is a module-level function of picklable values that
returns a picklable value, and writes nothing.

Two kinds of tasks use it: machine translation of one chunk of one language (``polyleaf.pipeline.translate``) and
rendering one page — a leaflet's HTML or PDF (``polyleaf.pipeline.build``). Results come back to the main process
and are applied there in a fixed order, so the files are byte-identical whatever ran where.

Local pools start their processes from a fork server (spawn where there is none), never by forking the main
process, which may hold threads. A pool is started only when a step has at least two tasks to give it, so a re-run
with nothing to do starts none. The fork server and the workers never see Ctrl-C (the main process stops them,
quietly): the server is started with SIGINT blocked, which every worker it forks inherits. A worker exits as soon as
the main process is gone, however it ended (``kill -9`` too): it watches the main process itself, since its parent
is the fork server, which outlives the main process as long as a worker holds its pipe. A worker that dies (killed,
out of memory) breaks the pool: a new pool is started and every task whose result had not come back runs again (a
few times at most); results already received are never recomputed, and none is applied twice.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, InvalidStateError, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from polyleaf.errors import PolyleafError

if TYPE_CHECKING:
    from polyleaf.mt.engine import Recipe

T = TypeVar("T")

#: How often a local pool is started again after a worker died, before the run gives up.
RESTARTS = 3
#: Seconds a stopped pool's workers have to exit.
STOP_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Parallel:
    """Where a run's heavy tasks go: ``workers`` local processes (None: the configuration's ``workers``; 0: the
    cores), or the Dask cluster at ``scheduler`` (None: the configuration's ``[cluster] scheduler``)."""

    workers: int | None = None
    scheduler: str | None = None


#: Where the configuration says (``workers``, ``[cluster] scheduler``): the default of every run.
FROM_CONFIG = Parallel()


class Site(Enum):
    """Where an executor runs a step's tasks: what a task may be given depends on it (an engine made here runs
    only here; other processes get a ``Recipe``, and a cluster's workers the model files too)."""

    HERE = "this process"
    LOCAL = "local worker processes"  # they see this machine's files
    CLUSTER = "cluster workers"  # they see only what they are sent


class Executor(Protocol):
    """Runs tasks; ``workers`` says how many run at the same time, ``site`` where, ``decoder_threads`` how many
    threads a task's MT decoder may use (0: the worker decides, from its own cores)."""

    workers: int
    decoder_threads: int

    def site(self, tasks: int) -> Site:
        """Where a step of ``tasks`` tasks runs."""
        ...

    def ship(self, recipe: Recipe) -> Recipe:
        """The recipe a worker calls: ``recipe`` itself where workers see this machine's files; else one over the
        copies of its model folders sent to every worker."""
        ...

    def unordered(self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, T]]:
        """``(index, function(*arguments[index]))`` for every task, as each finishes."""
        ...

    def ordered(
        self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]], *, recycle: int = 0
    ) -> Iterator[T]:
        """``function(*arguments[index])`` in the order of ``arguments``; ``recycle``: the worker processes are
        replaced after that many tasks each, on average (memory that a library keeps growing is returned; 0:
        never)."""
        ...

    def close(self, abort: bool = False) -> None:
        """Stop the workers: when they are done (the run went through), or at once (``abort``: Ctrl-C, an error)."""
        ...


@contextlib.contextmanager
def running(executor: Executor) -> Iterator[Executor]:
    """``executor`` for the duration; its workers are stopped at once when the block ends with an exception."""
    try:
        yield executor
    except BaseException:
        with _ctrl_c_deferred():  # a second Ctrl-C does not cut the stopping short
            executor.close(abort=True)
        raise
    executor.close()


class Inline:
    """Everything in this process, one task after the other (``--workers 1``, and steps with one task; a build's
    many PDFs are the exception, see ``pipeline.printed.pdf_executor``)."""

    workers = 1
    decoder_threads = 0  # [mt] threads 0: CTranslate2's own default, as in a one-process run

    def site(self, tasks: int) -> Site:
        return Site.HERE

    def ship(self, recipe: Recipe) -> Recipe:
        return recipe

    def unordered(self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, T]]:
        for index, args in enumerate(arguments):
            yield index, function(*args)

    def ordered(
        self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]], *, recycle: int = 0
    ) -> Iterator[T]:
        for args in arguments:
            yield function(*args)

    def close(self, abort: bool = False) -> None:
        pass


class LocalPool:
    """A pool of ``workers`` local processes, started at the first step with more than one task, whose fork
    server has the modules of ``preload`` imported (those of the tasks it will run)."""

    def __init__(self, workers: int, preload: Sequence[str] = ()) -> None:
        self.workers = max(1, workers)
        self.preload = tuple(preload)
        #: Each worker decodes one task at a time, with an equal share of the cores.
        self.decoder_threads = max(1, default_workers() // self.workers)
        self._pool: ProcessPoolExecutor | None = None
        self._workers: set[int] = set()  # the process ids of the pool's workers: an abort stops them at once
        self._scratch: str | None = None  # the pool's temporary folder (``worker_started``), gone with the pool
        self._threads: set[threading.Thread] = set()  # the threads the pool started in this process (its manager)
        self._served = 0  # tasks of ``ordered`` the current pool ran (-1: it ran ``unordered`` ones)

    def site(self, tasks: int) -> Site:
        return Site.LOCAL if tasks >= 2 else Site.HERE  # one task runs here: no worker to start

    def ship(self, recipe: Recipe) -> Recipe:
        return recipe

    def unordered(self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]]) -> Iterator[tuple[int, T]]:
        if len(arguments) < 2:
            yield from Inline().unordered(function, arguments)
            return
        yield from self._run(function, arguments, ordered=False)
        self._served = -1  # these workers hold what the tasks loaded (models): not for other work

    def ordered(
        self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]], *, recycle: int = 0
    ) -> Iterator[T]:
        if len(arguments) < 2:
            yield from Inline().ordered(function, arguments)
            return
        # Recycling: a fresh pool after every ``recycle`` tasks per worker, counted across calls (the executor's own
        # ``max_tasks_per_child`` can deadlock on Python 3.11, gh-115634); the fork server forks a worker quickly.
        position = 0
        while position < len(arguments):
            if self._pool is not None and (self._served < 0 or (recycle and self._served >= recycle * self.workers)):
                self.close()  # workers that translated (models loaded) or rendered their share
            size = recycle * self.workers - self._served if recycle else len(arguments)
            batch = arguments[position : position + size]
            for _index, result in self._run(function, batch, ordered=True):
                yield result
            self._served += len(batch)
            position += len(batch)

    def close(self, abort: bool = False) -> None:
        if self._pool is None:
            return
        pool, self._pool, self._served = self._pool, None, 0
        threads, self._threads = self._threads, set()
        workers, self._workers = self._workers, set()
        try:
            self._stop(pool, threads, workers, abort)
        finally:
            self._remove_scratch()

    def _stop(self, pool: ProcessPoolExecutor, threads: set[threading.Thread], workers: set[int], abort: bool) -> None:
        if not abort:
            pool.shutdown(wait=True, cancel_futures=True)  # its manager thread joined: it would race the exit
            return
        with _quiet_after_abort(threads):
            # A task in hand may take a minute (a chunk of MT): its result would be thrown away anyway.
            for pid in workers:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
            # A worker stopped while it wrote a result (an MT chunk is more than a pipe holds) leaves half a message
            # in the result pipe: the pool's manager waited for the rest for ever, since this process holds a writing
            # end too, and the exit joins the manager. With the workers its only writers, their end is an end of file.
            with contextlib.suppress(AttributeError, OSError):
                pool._result_queue._writer.close()  # type: ignore[attr-defined]
            # Stopped in a thread of its own, so that a pool that does not stop cannot hold the exit.
            stopper = threading.Thread(target=pool.shutdown, kwargs={"wait": True, "cancel_futures": True}, daemon=True)
            stopper.start()
            stopper.join(timeout=STOP_TIMEOUT)

    def _run(
        self, function: Callable[..., T], arguments: Sequence[tuple[Any, ...]], *, ordered: bool
    ) -> Iterator[tuple[int, T]]:
        """Results as they come (or in order), re-running the tasks of a pool that broke."""
        results: dict[int, T] = {}
        following = 0  # ordered: the next index to hand out
        for _attempt in range(RESTARTS + 1):
            with _ctrl_c_deferred():  # submitting starts the workers
                before = set(threading.enumerate())
                children = _child_pids()
                pool = self._start()
                futures: dict[Future[T], int] = {
                    pool.submit(function, *args): index for index, args in enumerate(arguments) if index not in results
                }
                self._threads |= set(threading.enumerate()) - before
                # Submitting started the workers it needed, in this thread: the new children are the pool's.
                self._workers |= _child_pids() - children
            try:
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in sorted(done, key=futures.__getitem__):
                        index = futures.pop(future)
                        value = future.result()  # a task's own exception ends the step; BrokenProcessPool: below
                        if not ordered:
                            results[index] = value
                            yield index, value
                            continue
                        results[index] = value
                        while following in results:
                            yield following, results[following]
                            following += 1
                return
            except BrokenProcessPool:
                self._discard()
            finally:
                for future in futures:
                    future.cancel()
        advice = "run polyleaf again with --workers 1" if self.workers > 1 else "is the machine out of memory?"
        raise PolyleafError(f"worker processes kept dying ({RESTARTS + 1} pools); {advice}")

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            return self._pool
        from multiprocessing import forkserver, resource_tracker

        context: multiprocessing.context.BaseContext
        if "forkserver" in multiprocessing.get_all_start_methods():
            server = multiprocessing.get_context("forkserver")
            server.set_forkserver_preload(list(self.preload))  # what every worker starts with (first pool only)
            resource_tracker.ensure_running()  # first: it unblocks SIGINT when it starts (it ignores SIGINT itself)
            with _children_block_sigint():
                forkserver.ensure_running()
            context = server
        else:
            context = multiprocessing.get_context("spawn")
        remove_dead_runs_scratch()
        self._scratch = tempfile.mkdtemp(prefix=scratch_prefix(os.getpid()))
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=worker_started,
            initargs=(os.getpid(), dict(os.environ), os.getcwd(), self._scratch),
        )
        return self._pool

    def _discard(self) -> None:
        self._threads, self._workers = set(), set()  # a dead worker's id may soon be another process's
        if self._pool is not None:
            with contextlib.suppress(Exception):
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._remove_scratch()

    def _remove_scratch(self) -> None:
        """Remove what the pool's workers left in its temporary folder (WeasyPrint's copies of fonts, which a
        worker removes at exit, and a stopped or dead worker did not)."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
        self._scratch = None


#: A pool's temporary folder is ``<tmp>/polyleaf-workers-<pid namespace>-<pid>-<random>``: the process that made it,
#: as its own PID namespace numbers it (containers sharing a /tmp number their processes each from 1).
SCRATCH_PREFIX = "polyleaf-workers-"


def scratch_prefix(pid: int) -> str:
    """The start of the name of the temporary folder of a pool of process ``pid`` (of this PID namespace)."""
    return f"{_namespace_prefix()}{pid}-"


def _namespace_prefix() -> str:
    try:
        namespace = "".join(filter(str.isdigit, os.readlink("/proc/self/ns/pid"))) or "0"
    except OSError:  # not Linux
        namespace = "0"
    return f"{SCRATCH_PREFIX}{namespace}-"


def remove_dead_runs_scratch() -> None:
    """Remove the pools' temporary folders whose process is gone: a run killed with ``kill -9`` could not remove its
    own. A folder of a living process (another run), another user's, or one made in another PID namespace (another
    container sharing /tmp, whose processes this one cannot see) is left alone."""
    ours = _namespace_prefix()
    for folder in Path(tempfile.gettempdir()).glob(f"{ours}*-*"):
        pid = folder.name.removeprefix(ours).partition("-")[0]
        if not (pid.isascii() and pid.isdigit() and str(int(pid)) == pid):  # not as ``scratch_prefix`` writes one
            continue
        with contextlib.suppress(OSError, OverflowError):  # OverflowError: a number too large for a process id
            if folder.lstat().st_uid == os.getuid() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _child_pids() -> set[int]:
    """The process ids of this process's living ``multiprocessing`` children."""
    return {child.pid for child in multiprocessing.active_children() if child.pid is not None}


@contextlib.contextmanager
def _quiet_after_abort(pool_threads: Collection[threading.Thread]) -> Iterator[None]:
    """Keep the pool's manager thread (among ``pool_threads``, those that started with the pool) from printing a
    traceback when an abort (Ctrl-C) stops the workers: finding them gone, it sets an error on every task it still
    lists, the ones the abort cancelled included, and Python 3.11 raises InvalidStateError there. Those tasks'
    results were thrown away anyway; any other error, or any error of another thread, still prints."""
    previous = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        if not (args.thread in pool_threads and isinstance(args.exc_value, InvalidStateError)):
            previous(args)

    threading.excepthook = hook
    try:
        yield
    finally:  # the manager has ended (joined): the process's hook is as it was
        if threading.excepthook is hook:
            threading.excepthook = previous


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """A Ctrl-C while worker processes start is raised when they have started: a process whose start was cut
    short would be unknown to the pool, left to fail on its own with a traceback when the main process is gone."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is None:
        yield  # only the main thread may set handlers; None: one set outside Python, which could not be restored
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: pressed.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


@contextlib.contextmanager
def _children_block_sigint() -> Iterator[None]:
    """A process started meanwhile has Ctrl-C blocked from its first instruction on: a signal mask survives fork and
    exec, the fork server never unblocks it, and every worker it forks inherits it (each then ignores SIGINT,
    ``worker_started``). A Ctrl-C meant for this process is not lost meanwhile: only this thread blocks it, so another
    thread of the process (a BLAS library's, say) may take it, and Python runs the handler here all the same. (Ignoring
    SIGINT here instead, as this did before, let such a thread take the signal and drop it.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def worker_started(main_pid: int, environment: dict[str, str], folder: str, scratch: str) -> None:
    """In each worker process: Ctrl-C is for the main process (it stops the pool); exit when the main process
    (``main_pid``) is gone, and, on Linux, with the fork server that is the worker's parent.

    A worker starts in the environment and folder of the process that started its pool, not in those of the fork
    server, which is started once per process by the first pool and outlives it (a program that runs polyleaf twice
    with another ``ARGOS_PACKAGES_DIR`` or ``SOURCE_DATE_EPOCH`` gets what it set the second time). Its temporary
    files go to the pool's
    folder ``scratch``, which the main process removes with the pool: a worker stopped at once leaves none behind."""
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(folder)
    tempfile.tempdir = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    threading.Thread(target=_exit_after, args=(main_pid,), name="polyleaf-main-watch", daemon=True).start()


def _exit_after(pid: int) -> None:
    """End this process when process ``pid`` has ended (what it computed has no one to go to; it wrote nothing)."""
    try:
        watched = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux, an old kernel): ask every second
        while _alive(pid):
            threading.Event().wait(1.0)
        os._exit(1)
    select.select([watched], [], [])  # a pidfd turns readable when its process ends
    os._exit(1)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a process id: os.kill would signal a group
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # it exists, but is not ours to signal
    return True


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
