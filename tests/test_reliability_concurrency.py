"""Concurrency: one run at a time (a second one fails at once naming the holder, a stale lock is taken over by
exactly one process), and a translator who saves a PO file while polyleaf works on it never loses that save."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from po_editor import EditorFile, Entry, open_po
from polyleaf import fsio
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.errors import CatalogError, LockError, PolyleafError
from polyleaf.fsio import LOCK_NAME, TEMP_MARK
from polyleaf.pipeline import catalogs, runner

ARTICLE = "bvna-chronic-low-back-pain"
FIRST_SENTENCE = (
    "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
)
SECOND_SENTENCE = (
    "The persistent discomfort can significantly impact quality of life, leading to reduced mobility, decreased "
    "productivity, and increased reliance on pain management strategies."
)
TESTS = Path(__file__).resolve().parent


def po_path(root: Path, language: str, name: str = ARTICLE) -> Path:
    return root / "locales" / language / "LC_MESSAGES" / f"{name}.po"


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ------------------------------------------------------------------------------------------------ the lock

HOLDER = """
import sys, time
from pathlib import Path
from polyleaf.fsio import project_lock
from polyleaf.errors import LockError

root, go, hold, out = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4])
while not go.exists():
    time.sleep(0.001)
try:
    with project_lock(root, ()):
        out.write_text("acquired")
        time.sleep(hold)
except LockError as error:
    out.write_text("refused: " + str(error))
"""


def contenders(root: Path, folder: Path, count: int, hold: float) -> list[str]:
    """Start ``count`` processes that all try to take the lock at the same instant; what each one got."""
    go = folder / "go"
    go.unlink(missing_ok=True)
    outs = [folder / f"out{number}" for number in range(count)]
    processes = [
        subprocess.Popen([sys.executable, "-c", HOLDER, str(root), str(go), str(hold), str(out)]) for out in outs
    ]
    time.sleep(0.6)  # all of them started and are spinning on the go file
    go.touch()
    for process in processes:
        assert process.wait(timeout=60) == 0
    return [out.read_text() for out in outs]


@pytest.mark.slow  # eight real processes race for the lock
@pytest.mark.parametrize("stale", [False, True], ids=["no-lock", "stale-lock"])
def test_of_processes_starting_together_exactly_one_gets_the_lock(tmp_path: Path, stale: bool) -> None:
    for _round in range(3 if stale else 2):
        if stale:  # they all find the record of a dead run: only one may take it over
            (tmp_path / LOCK_NAME).write_text(f"{dead_pid()} 2026-01-01T00:00:00+00:00\n", encoding="ascii")
        results = contenders(tmp_path, tmp_path, count=6, hold=0.5)
        assert results.count("acquired") == 1, results
        for result in results:
            if result != "acquired":
                assert "another polyleaf run" in result and "is working on this project" in result
        assert not (tmp_path / LOCK_NAME).exists()


def test_second_cli_run_fails_at_once_naming_the_holder(project: Path, tmp_path: Path) -> None:
    go, out = tmp_path / "go", tmp_path / "out"
    go.touch()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(project), str(go), "30", str(out)])
    try:
        while not out.exists():
            time.sleep(0.01)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "polyleaf", "run"],
            cwd=project,
            capture_output=True,
            text=True,
            env={**os.environ, "CI": "true"},
            timeout=60,
        )
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"polyleaf: {LOCK_NAME}: another polyleaf run (pid {holder.pid}, since 20")
    assert elapsed < 10  # at once: it does not wait for the holder
    assert not (project / "locales").exists()


def test_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    go, out = tmp_path / "go", tmp_path / "out"
    go.touch()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path), str(go), "60", str(out)])
    while not out.exists():
        time.sleep(0.01)
    with pytest.raises(LockError, match=f"pid {holder.pid}"), fsio.project_lock(tmp_path, ()):
        pass
    holder.kill()  # kill -9: its pid record stays behind, the kernel drops its flock
    holder.wait()
    assert (tmp_path / LOCK_NAME).read_text(encoding="ascii").startswith(f"{holder.pid} ")
    written = tmp_path / "build"
    (written / "es").mkdir(parents=True)
    torn, kept = written / "es" / f".index.html{TEMP_MARK}a1b2.tmp", written / "es" / "index.html"
    torn.write_text("<html", encoding="utf-8")
    kept.write_text("<html></html>", encoding="utf-8")
    with fsio.project_lock(tmp_path, [written]):
        assert (tmp_path / LOCK_NAME).read_text(encoding="ascii").startswith(f"{os.getpid()} ")
        assert not torn.exists() and kept.exists()  # the killed holder's torn write is gone
        torn.write_text("<html", encoding="utf-8")
    assert not (tmp_path / LOCK_NAME).exists()
    with fsio.project_lock(tmp_path, [written]):  # the last holder ended: nothing of it is looked for
        assert torn.exists()


KILLED = "999999 2026-12-07T10:00:00+00:00\n"  # the record a holder killed with kill -9 leaves

TIDIER = """
import sys, time
from pathlib import Path
from polyleaf import fsio

def stuck(folder, older_than=0.0):
    Path(sys.argv[2]).write_text("tidying")
    time.sleep(60)

fsio.remove_stale_temp_files = stuck
with fsio.project_lock(Path(sys.argv[1]), [Path(sys.argv[1], "build")]):
    pass
"""


def killed_holders_leftover(root: Path) -> Path:
    """A lock file as a killed holder leaves it, and the temp file of its torn write in ``build/``."""
    (root / LOCK_NAME).write_text(KILLED, encoding="ascii")
    (root / "build").mkdir()
    torn = root / "build" / f".index.html{TEMP_MARK}a1b2.tmp"
    torn.write_text("<html", encoding="utf-8")
    return torn


def test_a_holder_killed_while_tidying_leaves_the_tidying_to_the_next(tmp_path: Path) -> None:
    torn, started = killed_holders_leftover(tmp_path), tmp_path / "started"
    tidier = subprocess.Popen([sys.executable, "-c", TIDIER, str(tmp_path), str(started)])
    while not started.exists():
        time.sleep(0.01)
    tidier.kill()
    tidier.wait()
    assert (tmp_path / LOCK_NAME).read_text(encoding="ascii").startswith(f"{tidier.pid} ") and torn.exists()
    with fsio.project_lock(tmp_path, [tmp_path / "build"]):
        assert not torn.exists()


def test_a_record_that_cannot_be_written_keeps_the_killed_holders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taking over from a killed holder on a full disk: the lock is not taken, and the killed holder's record stays
    (not truncated first), so whoever takes the lock next still removes its temp files."""
    torn = killed_holders_leftover(tmp_path)

    def full(fd: int, data: bytes, offset: int) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "pwrite", full)
        with pytest.raises(PolyleafError, match="No space left"), fsio.project_lock(tmp_path, [tmp_path / "build"]):
            pass
    assert (tmp_path / LOCK_NAME).read_text(encoding="ascii") == KILLED
    with fsio.project_lock(tmp_path, [tmp_path / "build"]):
        assert not torn.exists()


@pytest.mark.parametrize("where", ["writing", "tidying"])
def test_ctrl_c_leaves_no_temp_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Ctrl-C can land between a temp file's creation and its clean-up (``write_atomic`` arms that once ``mkstemp``
    has returned): the interrupted holder removes the temp files on its way out, or, pressed again while it does,
    leaves its record for the next holder to remove them."""
    build = killed_holders_leftover(tmp_path).parent

    def interrupted(*_folder: Path, **names: str) -> None:
        if where == "writing":  # mkstemp(prefix=…, suffix=…, dir=…) made its file
            Path(names["dir"], f"{names['prefix']}x1y2{names['suffix']}").touch()
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        if where == "tidying":
            patched.setattr(fsio, "remove_stale_temp_files", interrupted)
        with pytest.raises(KeyboardInterrupt), fsio.project_lock(tmp_path, [build]):
            patched.setattr(tempfile, "mkstemp", interrupted)
            fsio.write_atomic(build / "es" / "index.html", b"<html></html>", within=build)
    if where == "writing":
        assert not list(build.rglob(f"*{TEMP_MARK}*")) and not (tmp_path / LOCK_NAME).exists()
    else:
        assert (tmp_path / LOCK_NAME).read_text(encoding="ascii").startswith(f"{os.getpid()} ")
    with fsio.project_lock(tmp_path, [build]):
        assert not list(build.rglob(f"*{TEMP_MARK}*"))
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_run_in_this_process_is_refused_too(tmp_path: Path) -> None:
    with fsio.project_lock(tmp_path, ()):
        with pytest.raises(LockError, match=f"pid {os.getpid()}"), fsio.project_lock(tmp_path, ()):
            pass
        assert (tmp_path / LOCK_NAME).exists()


# ------------------------------------------------------------------------------------------- compare-before-replace


def test_replace_if_unchanged_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"translator's version\n")
    with pytest.raises(fsio.ChangedOnDisk) as caught:
        fsio.replace_if_unchanged(path, b"polyleaf's version\n", b"what polyleaf read\n", within=tmp_path)
    assert caught.value.current == b"translator's version\n"
    assert path.read_bytes() == b"translator's version\n"
    with pytest.raises(fsio.ChangedOnDisk):
        fsio.replace_if_unchanged(tmp_path / "new.po", b"x", b"it existed when read", within=tmp_path)
    with pytest.raises(fsio.ChangedOnDisk):
        fsio.replace_if_unchanged(path, b"x", None, within=tmp_path)  # it did not exist when read; now it does
    fsio.replace_if_unchanged(path, b"polyleaf's version\n", b"translator's version\n", within=tmp_path)
    assert path.read_bytes() == b"polyleaf's version\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]


# ------------------------------------------------------------------------------------------- a translator's save


class EditingEngine(FakeEngine):
    """Translates like FakeEngine; on its first call for a language, the translator saves the PO file first."""

    def __init__(self, edit: Callable[[], None], language: str = "es") -> None:
        super().__init__()
        self.edit = edit
        self.language = language
        self.edited = False

    def translate(
        self, texts: Sequence[str], source: str, target: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        if target == self.language and not self.edited:
            self.edited = True
            self.edit()
        return super().translate(texts, source, target, progress)


def translator_edit(path: Path, change: Callable[[EditorFile], None]) -> None:
    """What Poedit does: load, change, save (the editor writes its own formatting)."""
    po = open_po(path)
    change(po)
    po.save()


def entry(po: EditorFile, msgid: str) -> Entry:
    return po.find(msgid)


def test_translator_save_during_translate_is_kept(project: Path) -> None:
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))  # PO files, no MT yet
    es = po_path(project, "es")
    engine0 = FakeEngine()
    mt_second = engine0.translate_one(SECOND_SENTENCE)

    def review(po: EditorFile) -> None:
        first = entry(po, FIRST_SENTENCE)
        first.msgstr = "Revisada mientras polyleaf traducía."
        first.comments = ["checked by Ana"]
        po.metadata["Last-Translator"] = "Ana <ana@example.org>"

    engine = EditingEngine(lambda: translator_edit(es, review))
    report = runner.run(load_config(project), engine_factory=lambda config: engine)
    assert engine.edited
    after = catalog.read_po(es)
    translations = after.translations()
    # the translator's entry wins (it was empty when polyleaf read the file, so MT had filled it in memory)
    assert translations[FIRST_SENTENCE] == catalog.Translation("Revisada mientras polyleaf traducía.", reviewed=True)
    # polyleaf's fills went into the entries that were still empty on disk
    assert translations[SECOND_SENTENCE] == catalog.Translation(mt_second, reviewed=False)
    assert not after.untranslated()
    text = es.read_text(encoding="utf-8")
    assert "# checked by Ana" in text and "Last-Translator: Ana <ana@example.org>" in text
    assert report.filled_from_mt["es"] > 0
    assert not list(project.rglob(f"*{TEMP_MARK}*"))
    # the translator's version is the base now: a second run changes nothing
    again = FakeEngine()
    assert runner.run(load_config(project), engine_factory=lambda config: again).written == []


def test_translator_reviewing_an_mt_entry_during_translate_is_kept(project: Path) -> None:
    first_pass = FakeEngine()
    runner.run(load_config(project), engine_factory=lambda config: first_pass)  # everything MT, fuzzy
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA brand new closing sentence.\n", encoding="utf-8")
    es = po_path(project, "es")

    def review(po: EditorFile) -> None:
        second = entry(po, SECOND_SENTENCE)
        second.msgstr = "Revisada por Ana."
        second.flags.remove("fuzzy")  # reviewed: the MT suggestion was corrected and approved

    engine = EditingEngine(lambda: translator_edit(es, review))
    runner.run(load_config(project), engine_factory=lambda config: engine)
    assert engine.calls and engine.calls[0][0] == ["A brand new closing sentence."]
    translations = catalog.read_po(es).translations()
    assert translations[SECOND_SENTENCE] == catalog.Translation("Revisada por Ana.", reviewed=True)
    new = translations["A brand new closing sentence."]
    assert new == catalog.Translation(engine.translate_one("A brand new closing sentence."), reviewed=False)


def test_translator_save_between_read_and_update_write_is_kept(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    es = po_path(project, "es")
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nAnother new sentence.\n", encoding="utf-8")
    merge = catalogs.merge_catalogs

    def merge_then_translator_saves(*args: object, **kwargs: object) -> object:
        merged = merge(*args, **kwargs)  # type: ignore[arg-type]
        translator_edit(es, lambda po: setattr(entry(po, FIRST_SENTENCE), "msgstr", "Guardada a la vez."))
        return merged

    monkeypatch.setattr(runner, "merge_catalogs", merge_then_translator_saves)
    report = runner.run(load_config(project), steps=frozenset({"extract", "update"}))
    translations = catalog.read_po(es).translations()
    assert translations[FIRST_SENTENCE] == catalog.Translation("Guardada a la vez.", reviewed=True)
    assert "Another new sentence." in {e.msgid for e in catalog.read_po(es).entries()}  # the update is there too
    assert es in report.written


def test_translator_file_broken_during_translate_is_not_overwritten(project: Path) -> None:
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    es = po_path(project, "es")
    broken: list[bytes] = []

    def half_saved() -> None:
        lines = es.read_text(encoding="utf-8").splitlines(keepends=True)
        number = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
        lines[number] = 'msgstr "sin cerrar\n'
        es.write_text("".join(lines), encoding="utf-8")
        broken.append(es.read_bytes())

    engine = EditingEngine(half_saved)
    with pytest.raises(CatalogError) as caught:
        runner.run(load_config(project), engine_factory=lambda config: engine)
    error = caught.value
    assert error.path == Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po" and error.line is not None
    assert "unterminated string" in error.message and "polyleaf did not overwrite it" in error.message
    assert "\n" not in str(error)
    assert es.read_bytes() == broken[0]
    assert not list(project.rglob(f"*{TEMP_MARK}*"))
    assert not (project / LOCK_NAME).exists()


def test_file_that_keeps_changing_stops_the_save_with_a_message(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    es = po_path(project, "es")
    original = es.read_bytes()
    real = fsio.read_or_none
    saves = 0

    def translator_saves_every_time(path: Path) -> bytes | None:
        nonlocal saves
        if path == es:  # someone saves again right before every replace
            saves += 1
            es.write_bytes(original.replace(b"Language-Team: ", f"Language-Team: save {saves}".encode()))
        return real(path)

    monkeypatch.setattr(fsio, "read_or_none", translator_saves_every_time)
    with pytest.raises(CatalogError, match="keeps changing while polyleaf saves it"):
        runner.run(load_config(project), engine_factory=lambda config: FakeEngine())
    assert es.read_bytes().startswith(original[:10]) and b"Language-Team: save " in es.read_bytes()
    assert not list(project.rglob(f"*{TEMP_MARK}*"))


@pytest.mark.slow  # real CLI processes
def test_cli_reports_a_concurrent_edit_conflict_in_one_line(project: Path, tmp_path: Path) -> None:
    """Through the CLI: a translator breaks the file while ``polyleaf translate`` runs → exit 1, one line."""
    assert (
        subprocess.run([sys.executable, "-m", "polyleaf", "update"], cwd=project, capture_output=True).returncode == 0
    )
    es = po_path(project, "es")
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(TESTS)!r})
        from pathlib import Path
        from test_reliability_concurrency import EditingEngine
        from polyleaf import cli
        from polyleaf.pipeline import translate

        def edit():
            path = Path({str(es)!r})
            path.write_text(path.read_text(encoding="utf-8") + 'msgid "x"\\nmsgstr "broken\\n', encoding="utf-8")

        translate.default_engine = lambda config: EditingEngine(edit)
        cli.main(["translate"])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, env={**os.environ, "CI": "true"}
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    line_count = len(es.read_text(encoding="utf-8").splitlines())
    assert lines[0] == (
        f"polyleaf: locales/es/LC_MESSAGES/{ARTICLE}.po:{line_count}: unterminated string "
        "(the file was changed during this run; polyleaf did not overwrite it)"
    )
    assert es.read_text(encoding="utf-8").endswith('msgstr "broken\n')


def test_write_never_leaves_a_temp_file_when_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"original\n")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsio.write_atomic(path, b"new\n", within=tmp_path)
    assert path.read_bytes() == b"original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(Exception, match="cannot write: No space left on device"):
        fsio.write_atomic(path, b"new\n", within=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]
