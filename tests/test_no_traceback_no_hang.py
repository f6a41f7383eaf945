"""No traceback, no hang: hostile or odd input is one line naming the file, whatever reads it.

Each class of input through the CLI: JSON nested deeper than any parser's stack (caches, the run record,
``release.json``, the MT journal, argos metadata) and TOML too; FIFOs and devices where polyleaf reads a file; a
``--scheduler`` that is no address; a configuration that is checked before anything is written. Signals need real
processes: Ctrl-C is one line from every process, and ``kill -9`` of the main process leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helpers import ARTICLE, snapshot
from polyleaf.cli import main
from polyleaf.jsonio import MAX_DEPTH, load_json

TESTS = Path(__file__).resolve().parent
INTERRUPTED = "polyleaf: interrupted; files on disk are complete (writes are atomic)"


def polyleaf(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project), *args])


def deep(levels: int) -> bytes:
    return b'{"a": ' * levels + b"1" + b"}" * levels


@pytest.fixture(autouse=True)
def in_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages name files relative to the working directory: the project's, as a user runs polyleaf."""
    monkeypatch.chdir(project)


@pytest.fixture
def ran(project: Path) -> Path:
    """The project after a first ``run`` (its caches, record and PO files made)."""
    assert polyleaf(project, "run", "-q").exit_code == 0
    return project


# ------------------------------------------------------------------------------------------------ nested JSON


def test_json_depth_is_counted_outside_strings_only() -> None:
    assert load_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) == load_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
    for too_deep in (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), deep(MAX_DEPTH + 1), deep(10**6)):
        with pytest.raises(ValueError, match="nested deeper than"):
            load_json(too_deep)
    text = '["[[[[", "\\\\", "\\"{{", {"]]": [1]}]'  # brackets, escaped backslashes and quotes inside strings
    assert load_json(text) == ["[[[[", "\\", '"{{', {"]]": [1]}]
    assert load_json('["' + "[" * 200 + '"]') == ["[" * 200]
    with pytest.raises(ValueError):
        load_json(b"[" * 100_000 + b"}")  # unpaired and deep: an error, not a RecursionError


def catalogs(project: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(project).items() if name.endswith((".po", ".pot"))}


@pytest.mark.slow
def test_deeply_nested_json_anywhere_is_as_if_absent(ran: Path) -> None:
    """Caches and the run record are redone, a journal line is skipped, an old ``release.json`` is replaced."""
    before = catalogs(ran)
    poisoned = [*(ran / "build" / ".cache").rglob("*.json"), ran / "build" / "release.json"]
    assert len(poisoned) > 4
    for path in poisoned:
        path.write_bytes(deep(100_000))
    (ran / "locales" / ".journal").mkdir()
    (ran / "locales" / ".journal" / "es.jsonl").write_bytes(b'{"msgid": ' + deep(100_000) + b"}\n")
    result = polyleaf(ran, "run")
    assert result.exit_code == 0, result.output
    assert catalogs(ran) == before
    release = polyleaf(ran, "build", "--release")
    assert release.exit_code == 0, release.output
    manifest = load_json((ran / "build" / "release.json").read_bytes())
    assert manifest["leaflets"] == []  # nothing is reviewed: nothing released


def test_deeply_nested_argos_metadata_is_one_line(tmp_path: Path) -> None:
    archive = tmp_path / "deep.argosmodel"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("pkg/metadata.json", b'{"from_code": "en", "to_code": "es", "x": ' + deep(100_000) + b"}")
        package.writestr("pkg/sentencepiece.model", b"x")
        package.writestr("pkg/model/model.bin", b"x")
    result = CliRunner().invoke(main, ["models", "install", str(archive)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"polyleaf: {archive}: not an argos package (metadata.json: JSON nested deeper than {MAX_DEPTH} levels)\n"
    )


def test_deeply_nested_toml_is_one_line(project: Path) -> None:
    with (project / "polyleaf.toml").open("a", encoding="utf-8") as config:
        config.write("x = " + "[" * 5000 + "]" * 5000 + "\n")
    result = polyleaf(project, "status")
    assert result.exit_code == 2
    assert result.stderr == "polyleaf: polyleaf.toml: invalid TOML: arrays or tables nested too deeply\n"


# ------------------------------------------------------------------------------------------------ special files


@contextlib.contextmanager
def fifo(path: Path) -> Iterator[list[str]]:
    """A FIFO at ``path``, and a list that records every time something opened it to read. A writer stands by, so
    that a reader that would wait forever gets an empty file instead (the test fails rather than hangs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    opened: list[str] = []
    done = threading.Event()

    def stand_by() -> None:
        while not done.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader (ENXIO), or the FIFO was replaced
                done.wait(0.01)
                continue
            replaced = not stat.S_ISFIFO(os.fstat(fd).st_mode)  # by a regular file: nothing reads the FIFO now
            os.close(fd)
            if replaced:
                return
            opened.append(str(path))

    writer = threading.Thread(target=stand_by, daemon=True)
    writer.start()
    try:
        yield opened
    finally:
        done.set()
        writer.join()


@pytest.mark.parametrize(
    ("relative", "code", "message"),
    [
        (f"locales/es/LC_MESSAGES/{ARTICLE}.po", 1, "cannot read"),
        (f"locales/templates/{ARTICLE}.pot", 1, "cannot read"),
        ("locales/glossary.csv", 2, "cannot read glossary"),
        ("source/new.txt", 1, "cannot read source file"),
        ("source/disclaimer.txt", 1, "cannot read source file"),
    ],
)
def test_a_fifo_where_a_file_is_read_is_refused_by_its_type(ran: Path, relative: str, code: int, message: str) -> None:
    with fifo(ran / relative) as opened:
        result = polyleaf(ran, "run")
    assert not opened
    assert result.exit_code == code
    assert result.stderr.splitlines()[-1] == f"polyleaf: {relative}: {message}: a FIFO (named pipe), not a regular file"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_fifo_in_the_git_folder_is_not_read(ran: Path) -> None:
    """The run record reads git's HEAD (what a committed source's date depends on)."""
    subprocess.run(["git", "init", "-q", str(ran)], check=True)
    with fifo(ran / ".git" / "HEAD") as opened:
        result = polyleaf(ran, "update")  # no build: git itself, which would open HEAD to date a leaflet, is not run
    assert not opened
    assert result.exit_code == 0, result.output


def test_a_fifo_or_a_device_is_not_imported(ran: Path, tmp_path: Path) -> None:
    before = snapshot(ran)
    with fifo(tmp_path / "es.xlf") as opened:
        result = polyleaf(ran, "import", str(tmp_path / "es.xlf"))
    assert not opened
    assert (result.exit_code, result.stderr) == (
        1,
        f"polyleaf: {tmp_path / 'es.xlf'}: cannot read: a FIFO (named pipe), not a regular file\n",
    )
    result = polyleaf(ran, "import", os.devnull)  # /dev/zero is refused the same way, by its type, unread
    assert (result.exit_code, result.stderr) == (
        1,
        f"polyleaf: {os.devnull}: cannot read: a device, not a regular file\n",
    )
    assert snapshot(ran) == before


def test_a_fifo_where_an_output_goes_is_replaced_not_read(ran: Path) -> None:
    output = ran / "build" / "es" / f"{ARTICLE}.es.txt"
    made = output.read_bytes()
    (ran / "build" / ".cache" / "run.json").unlink()
    with fifo(output) as opened:
        result = polyleaf(ran, "build")
    assert not opened
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == made


# ------------------------------------------------------------------------------------------------ settings


def test_a_bad_scheduler_is_refused_at_once_as_the_configuration_refuses_it(project: Path) -> None:
    config = (project / "polyleaf.toml").read_text(encoding="utf-8")
    for address in ("bogus", "tcp://host", "tcp://host:0", "tcp://host:8786/x", "inproc://x"):
        result = polyleaf(project, "run", "--scheduler", address)
        assert result.exit_code == 2
        problem = f"must be a Dask scheduler address such as 'tcp://host:8786', not {address!r}"
        assert result.stderr == f"polyleaf: --scheduler {problem}\n"
        (project / "polyleaf.toml").write_text(
            f'languages = ["es"]\n[cluster]\nscheduler = "{address}"\n', encoding="utf-8"
        )
        result = polyleaf(project, "run")
        assert result.stderr == f"polyleaf: polyleaf.toml:3: cluster.scheduler {problem}\n"
        (project / "polyleaf.toml").write_text(config, encoding="utf-8")
    assert snapshot(project) == {}  # nothing written


def test_a_scheduler_without_dask_stops_the_run_before_it_writes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "polyleaf.execution.cluster", raising=False)
    before = snapshot(project)
    result = polyleaf(project, "run", "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert result.stderr.startswith("polyleaf: the Dask scheduler tcp://127.0.0.1:8786 needs Dask")
    assert snapshot(project) == before


def test_a_bad_font_file_stops_the_run_before_it_writes(ran: Path) -> None:
    (ran / "fonts").mkdir()
    (ran / "fonts" / "clinic.ttf").write_bytes(b"not a font")
    with (ran / "polyleaf.toml").open("a", encoding="utf-8") as config:
        config.write('[leaflet]\nfonts = ["fonts/clinic.ttf"]\n')
    with (ran / "source" / f"{ARTICLE}.txt").open("a", encoding="utf-8") as source:
        source.write("A sentence the templates and PO files would get.\n")
    before = catalogs(ran)
    result = polyleaf(ran, "run")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("polyleaf: polyleaf.toml: leaflet.fonts: ")
    assert "fonts/clinic.ttf: not a usable font file" in result.stderr
    assert catalogs(ran) == before


# ------------------------------------------------------------------------------------------------ signals

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

#: ``polyleaf translate --workers 2``, the engine a slow fake; the fork server imports WeasyPrint first, as in a
#: build of PDFs (it takes a second or two: the moment a Ctrl-C used to end the fork server with a traceback).
DRIVER = """
# a foreground job in a terminal, whatever started the tests: a shell runs a background job (`pytest &`) with
# SIGINT ignored, which Python and every child keep
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)
import sys
sys.path.insert(0, {tests!r})
from fake_engine import WorkerEngineFactory
from polyleaf import cli
from polyleaf.pipeline import translate
from polyleaf.execution import workers

started = workers.LocalPool.__init__
workers.LocalPool.__init__ = lambda pool, count, preload=(): started(pool, count, ("polyleaf.render.preload",))
translate.default_engine = WorkerEngineFactory({log!r}, delay=0.01)
cli.main(["translate", "--workers", "2"])
"""


def start_translating(project: Path, tmp_path: Path) -> subprocess.Popen[str]:
    """The ``DRIVER``'s run, in a session of its own."""
    with (project / "source" / "recovery.txt").open("w", encoding="utf-8") as source:
        source.write("Recovery after treatment\n")
        for paragraph in range(40):
            source.write(" ".join(f"Group {paragraph}-{n} felt better after {n + 2} weeks." for n in range(10)) + "\n")
    script = DRIVER.format(tests=str(TESTS), log=str(tmp_path / "engine.log"))
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=project,
        env={**os.environ, "CI": "true"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def session(leader: int) -> dict[int, str]:
    """The processes of ``leader``'s session (pid: command line), the leader included while it lives."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.getsid(int(entry.name)) == leader:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    if command:  # a zombie has none
                        found[int(entry.name)] = command
    return found


def wait_for(condition: str, process: subprocess.Popen[str], check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the run ended before {condition}: {process.communicate()}"
        if check():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting until {condition}")


def gone(leader: int, within: float = 20.0) -> dict[int, str]:
    """The processes of the session still there after ``within`` seconds at most."""
    deadline = time.monotonic() + within
    while session(leader) and time.monotonic() < deadline:
        time.sleep(0.1)
    return session(leader)


def fork_server_started(leader: int) -> bool:
    return any("forkserver" in command for command in session(leader).values())


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize("moment", ["as the workers start", "while they translate"])
def test_ctrl_c_is_one_line_from_every_process(project: Path, tmp_path: Path, moment: str) -> None:
    process = start_translating(project, tmp_path)
    if moment == "as the workers start":
        wait_for("the fork server starts", process, lambda: fork_server_started(process.pid))
    else:
        wait_for("a worker translated", process, lambda: (tmp_path / "engine.log").exists())
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
    _stdout, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr.strip()) == (130, INTERRUPTED)
    assert gone(process.pid) == {}


@pytest.mark.slow
@linux_only
def test_workers_exit_when_the_main_process_is_killed(project: Path, tmp_path: Path) -> None:
    process = start_translating(project, tmp_path)
    wait_for("a worker translated", process, lambda: (tmp_path / "engine.log").exists())
    workers = session(process.pid)
    assert len(workers) >= 3  # the main process, the fork server, its workers
    process.kill()
    process.communicate(timeout=60)
    assert gone(process.pid) == {}


def test_an_abort_hides_only_the_pool_managers_invalid_state_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python 3.11's pool manager, finding the workers a Ctrl-C stopped, sets an error on tasks the abort cancelled
    and prints InvalidStateError's traceback under the one-line message; any other thread error still prints."""
    import threading
    from concurrent.futures import InvalidStateError

    from polyleaf.execution import workers

    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    manager, other = threading.Thread(name="manager"), threading.Thread(name="other")

    def report(exception: BaseException, thread: threading.Thread) -> str:
        try:
            raise exception
        except BaseException as caught:  # a real traceback, as the thread would have
            threading.excepthook(threading.ExceptHookArgs((type(caught), caught, caught.__traceback__, thread)))
        return capsys.readouterr().err

    with workers._quiet_after_abort({manager}):
        assert report(InvalidStateError("CANCELLED: <Future>"), manager) == ""
        assert "InvalidStateError" in report(InvalidStateError("CANCELLED: <Future>"), other)
        assert "OSError: the pipe broke" in report(OSError("the pipe broke"), manager)
    assert threading.excepthook is threading.__excepthook__  # the process's hook is as it was once the pool is gone
    assert "InvalidStateError" in report(InvalidStateError("CANCELLED: <Future>"), manager)


#: A pool whose worker stops in the middle of sending a result, aborted as a Ctrl-C aborts it.
HALF_A_RESULT = """
import os, signal, sys, threading
sys.path.insert(0, {tests!r})
from stalled_worker import half_a_result_then_stall
from polyleaf.execution import workers

signal.signal(signal.SIGINT, signal.default_int_handler)
threading.Timer(3, os.kill, (os.getpid(), signal.SIGINT)).start()
try:
    with workers.running(workers.LocalPool(2)) as pool:
        list(pool.unordered(half_a_result_then_stall, [(0,), (1,)]))
except KeyboardInterrupt:
    print("interrupted")
"""


@linux_only
def test_an_abort_ends_while_a_worker_was_sending_a_result() -> None:
    """A Ctrl-C in CI printed its line and the run hung: a worker stopped while it wrote a result had left half a
    message in the result pipe, the pool's manager thread waited for the rest for ever, and the exit waits for it."""
    script = HALF_A_RESULT.format(tests=str(TESTS))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.stdout.splitlines(), done.stderr, done.returncode) == (["interrupted"], "", 0)


#: While the fork server starts: a Ctrl-C sent meanwhile, with another thread in the process (numpy's BLAS threads are
#: there in a real run) that the kernel may hand the signal to, and a process started meanwhile.
WINDOW = """
import os, signal, subprocess, sys, threading, time
from polyleaf.execution import workers
signal.signal(signal.SIGINT, signal.default_int_handler)
threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
try:
    with workers._children_block_sigint():
        mask = "import signal; print(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))"
        child = subprocess.run([sys.executable, "-c", mask], capture_output=True, text=True, check=True)
        print("child blocks SIGINT:", child.stdout.strip())
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)  # the other thread takes it, if it is to
    time.sleep(2)
    print("the Ctrl-C was lost")
except KeyboardInterrupt:
    print("interrupted")
"""


@linux_only
def test_a_ctrl_c_while_the_fork_server_starts_is_not_lost_and_the_server_never_sees_it() -> None:
    """The lost Ctrl-C of a CI run: ignoring SIGINT in this process while the server started let another thread
    take the signal and drop it; the run went on to the end."""
    done = subprocess.run([sys.executable, "-c", WINDOW], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["child blocks SIGINT: True", "interrupted"], done.stderr


@pytest.mark.parametrize("abort", [False, True])
def test_what_workers_leave_in_the_temporary_folder_goes_with_their_pool(abort: bool) -> None:
    """WeasyPrint copies fonts into a temporary folder it removes at exit: a worker stopped at once (Ctrl-C) left it
    behind in /tmp, one per worker and run."""
    import tempfile

    from polyleaf.execution import workers

    pool = workers.LocalPool(2)
    left = [Path(path) for _index, path in pool.unordered(tempfile.mkdtemp, [("", "weasyprint-")] * 2)]
    assert all(path.is_dir() and path.parent != Path(tempfile.gettempdir()) for path in left)
    pool.close(abort=abort)
    assert [path for path in left if path.exists()] == []


def test_a_killed_runs_temporary_folder_goes_when_the_next_pool_starts() -> None:
    """A run killed with kill -9 cannot remove its pool's temporary folder: the next pool removes the folders of
    processes that are gone, and leaves those of living ones (another run) and of other PID namespaces alone."""
    import tempfile

    from polyleaf.execution import workers

    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    dead = Path(tempfile.mkdtemp(prefix=workers.scratch_prefix(gone.pid)))
    (dead / "font.ttf").write_bytes(b"left by a killed worker")
    living = Path(tempfile.mkdtemp(prefix=workers.scratch_prefix(os.getppid())))
    # the same dead process number in another container's PID namespace, sharing this /tmp
    elsewhere = Path(tempfile.mkdtemp(prefix=f"{workers.SCRATCH_PREFIX}1-{gone.pid}-"))
    try:
        pool = workers.LocalPool(2)
        assert [result for _index, result in pool.unordered(abs, [(-1,), (-2,)])] != []
        pool.close()
        assert not dead.exists() and living.is_dir() and elsewhere.is_dir()
    finally:
        for folder in (dead, living, elsewhere):
            shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("written", ["huge", "signed", "arabic-indic"])
def test_a_folder_that_names_no_process_stops_no_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    """A folder in the temporary folder whose name looks like a pool's but does not name a process id as a pool
    writes it (a number too large for one, a sign, other digits than ASCII ones) is left alone: before, a number too
    large for ``kill`` stopped every pool from starting with a traceback, and the others were taken for processes."""
    from polyleaf.execution import workers

    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    number = {
        "huge": "9" * 20,
        "signed": f"+{gone.pid}",
        "arabic-indic": str(gone.pid).translate(
            str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
        ),
    }[written]
    crafted = tmp_path / f"{workers.scratch_prefix(gone.pid).removesuffix(f'{gone.pid}-')}{number}-x"
    crafted.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    workers.remove_dead_runs_scratch()
    assert crafted.is_dir()
