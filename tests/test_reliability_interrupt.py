"""Interruption: ``kill -9`` or Ctrl-C in the middle of machine translation loses at most one chunk, leaves every
file complete and parseable, and the next run carries on without translating anything twice.

Every chunk is journaled as it is done (``locales/.journal/<lang>.jsonl``) and a language's PO files are written
when its last chunk is in: what a killed run saved is in its PO files and its journals, which the next run replays.

The run under test is the real CLI (``polyleaf translate``) in a subprocess; the only thing the driver script
changes is the engine (a slow fake, so that there is a "middle" to interrupt), the way a user would plug in one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.fsio import LOCK_NAME, TEMP_MARK, remove_stale_temp_files
from polyleaf.pipeline import runner, translate
from polyleaf.pipeline.catalogs import Catalogs, merge_catalogs
from polyleaf.pipeline.journal import Journal
from polyleaf.pipeline.sources import load_sources, make_templates

TESTS = Path(__file__).resolve().parent
SENTENCES = 700  # about five chunks of translate.CHUNK_SEGMENTS per language

DRIVER = """
# a foreground job in a terminal, whatever started the tests: a shell runs a background job (`pytest &`) with
# SIGINT ignored, which Python and every child keep
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)
import sys, time
sys.path.insert(0, {tests!r})
from fake_engine import FakeEngine
from polyleaf import cli
from polyleaf.pipeline import translate


class SlowEngine(FakeEngine):
    def translate(self, texts, source, target, progress=None):
        time.sleep(0.004 * len(texts))
        outputs = super().translate(texts, source, target, progress)
        with open({log!r}, "a", encoding="utf-8") as log:
            log.write("".join(text.replace("\\n", " ") + "\\n" for text in texts))
        return outputs


translate.default_engine = lambda config: SlowEngine()
cli.main(["translate"])
"""


def long_article(count: int) -> str:
    """A title and ``count`` distinct sentences, a dozen per paragraph."""
    sentences = [
        f"Patient group {number} reported that the pain eased after {number % 9 + 2} weeks." for number in range(count)
    ]
    paragraphs = [" ".join(sentences[start : start + 12]) for start in range(0, count, 12)]
    return "Recovery after treatment\n" + "\n".join(paragraphs) + "\n"


def start(project: Path, log: Path) -> subprocess.Popen[str]:
    script = DRIVER.format(tests=str(TESTS), log=str(log))
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=project,
        env={**os.environ, "CI": "true"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def machine_translated(project: Path) -> dict[tuple[str, str], str]:
    """(language, msgid) → msgstr of every MT entry on disk, in a PO file (parsing every PO file strictly on the
    way) or in a journal."""
    found = {}
    for path in sorted((project / "locales").rglob("*.po")):
        for entry in catalog.read_po(path).entries():
            if entry.msgstr and any(comment.startswith("mt: ") for comment in entry.comments):
                found[path.parts[-3], entry.msgid] = entry.msgstr
    for language in ("es", "ar"):
        for fill in Journal(project / "locales", language).read():
            found[language, fill.msgid] = fill.text
    return found


def wait_for_first_chunk(project: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    journal = Journal(project / "locales", "es")
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the run ended before it could be interrupted: {process.communicate()}")
        if journal.read():
            return
        time.sleep(0.01)
    raise AssertionError("no chunk was saved in time")


def msgfmt_check(project: Path) -> None:
    if shutil.which("msgfmt") is None:
        return
    for path in (project / "locales").rglob("*.po"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path}: {result.stderr}"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_translation_keeps_chunks_and_resumes(project: Path, tmp_path: Path, sig: signal.Signals) -> None:
    (project / "source" / "recovery.txt").write_text(long_article(SENTENCES), encoding="utf-8")
    log = tmp_path / "translated.log"
    process = start(project, log)
    wait_for_first_chunk(project, process)
    process.send_signal(sig)
    _stdout, stderr = process.communicate(timeout=60)

    if sig == signal.SIGINT:
        assert process.returncode == 130
        assert (
            stderr.strip().splitlines()[-1] == "polyleaf: interrupted; files on disk are complete (writes are atomic)"
        )
        assert not (project / LOCK_NAME).exists()  # released on the way out
        assert not list(project.rglob(f"*{TEMP_MARK}*"))
    else:
        assert process.returncode == -signal.SIGKILL

    # every file on disk is complete: each PO parses strictly and passes msgfmt
    saved = machine_translated(project)
    msgfmt_check(project)
    total = len(translate.pending_texts(catalogs_after_update(project), "es"))
    saved_es = {msgid for (language, msgid) in saved if language == "es"}
    assert 0 < len(saved_es) < total, "the run was interrupted in the middle"
    # at most one chunk is lost: of what the engine had finished, everything but one chunk reached the disk
    # (the engine sees markup as placeholders: count the plain sentences of the long article)
    finished = {text for text in log.read_text(encoding="utf-8").splitlines() if text.startswith("Patient group")}
    assert len(finished - {msgid for _, msgid in saved}) <= translate.CHUNK_SEGMENTS

    # the next run (a stale lock after kill -9 is taken over) translates only what is still empty
    engine = FakeEngine()
    runner.run(
        load_config(project), engine_factory=lambda config: engine, steps=frozenset({"extract", "update", "translate"})
    )
    for language in ("es", "ar"):
        again = {text for texts, _source, target in engine.calls if target == language for text in texts}
        kept = {msgid for lang, msgid in saved if lang == language}
        assert not again & kept, f"{language}: translated twice"
    after = machine_translated(project)
    assert {key: after[key] for key in saved} == saved  # what was saved is kept as it was
    assert not (project / "locales" / ".journal").exists()  # replayed into the PO files
    for path in (project / "locales").rglob("*.po"):
        assert not catalog.read_po(path).untranslated(), f"{path} still has empty entries"
    assert not list(project.rglob(f"*{TEMP_MARK}*"))
    assert not (project / LOCK_NAME).exists()
    msgfmt_check(project)


def catalogs_after_update(project: Path) -> Catalogs:
    """The catalogs as the interrupted run started translating them (update only, in memory)."""
    config = load_config(project)
    sources = load_sources(config)
    templates = make_templates(config, sources)
    return merge_catalogs(config, templates, Catalogs(), config.languages)


def test_temp_files_of_a_killed_write_are_removed_by_the_next_run(project: Path) -> None:
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    (project / LOCK_NAME).write_text("999999 2026-12-07T10:00:00+00:00\n", encoding="ascii")  # as kill -9 leaves it
    leftover = project / "locales" / "es" / "LC_MESSAGES" / f".disclaimer.po{TEMP_MARK}x1y2z3.tmp"
    leftover.write_text('msgid ""\nmsgstr "half', encoding="utf-8")
    old_build = project / "build" / "es" / f".index.html{TEMP_MARK}a1b2c3.tmp"
    old_build.write_text("<html", encoding="utf-8")
    os.utime(old_build, (time.time() - 3600, time.time() - 3600))
    # a fresh one too: nothing writes in build/ without the project lock (``status`` takes it to write its page)
    fresh_build = project / "build" / f".status.html{TEMP_MARK}d4e5f6.tmp"
    fresh_build.write_text("<html", encoding="utf-8")
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    assert not leftover.exists() and not old_build.exists()
    assert not fresh_build.exists()


def test_only_temp_files_are_removed_and_not_through_a_linked_folder(tmp_path: Path) -> None:
    """What ``Path.rglob`` of the temp files' pattern found, hidden folders included, linked folders not walked."""
    folder = tmp_path / "build"
    (folder / ".cache" / "segments").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    temps = [folder / f".a.po{TEMP_MARK}1.tmp", folder / ".cache" / "segments" / f".b.json{TEMP_MARK}2.tmp"]
    kept = [
        folder / f"a.po{TEMP_MARK}3.tmp",  # not hidden
        folder / f".a.po{TEMP_MARK}4.tmp.json",
        folder / ".a.po.tmp",
        outside / f".c.po{TEMP_MARK}5.tmp",
    ]
    for path in [*temps, *kept]:
        path.write_text("", encoding="utf-8")
    assert sorted(remove_stale_temp_files(folder)) == sorted(temps)
    assert all(path.exists() for path in kept) and not any(path.exists() for path in temps)


def test_a_run_after_one_that_ended_walks_no_folder_for_temp_files(project: Path) -> None:
    """Only a killed holder leaves temp files (every write holds the lock, a holder removes its lock file however its
    code ends): after a run that ended, the next one does not walk the library's folders for them (a file with a
    temp file's name, which no write left, shows it)."""
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    planted = project / "build" / ".cache" / "segments" / f".planted.json{TEMP_MARK}a1b2.tmp"
    planted.write_text("{", encoding="utf-8")
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    assert planted.exists()
    (project / LOCK_NAME).write_text("999999 2026-12-07T10:00:00+00:00\n", encoding="ascii")
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine(pairs=()))
    assert not planted.exists() and not (project / LOCK_NAME).exists()
