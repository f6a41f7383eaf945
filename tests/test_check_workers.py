"""A ``check`` with PO files enough to pay for worker processes checks them there, a language per task, and finds
what it finds in one process: the same findings, kept in the same caches; a language whose files a worker found
changed or unreadable is checked by ``check`` itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import ARTICLE, po_path, po_string
from polyleaf.config.model import load_config
from polyleaf.glossary import load_glossary
from polyleaf.pipeline import review
from polyleaf.project import DISCLAIMER, INTERFACE
from test_check_cache import DOSE, WRONG, check, count_work, has_dose_error, translated, uncached

__all__ = ["translated"]  # the fixture: a reviewed Spanish dose sentence that lost a number


def with_workers(project: Path, workers: int) -> None:
    """``workers = N`` in the project's configuration (the first line, where a top-level key belongs)."""
    config = project / "polyleaf.toml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("workers =")]
    config.write_text(f"workers = {workers}\n" + "".join(kept), encoding="utf-8")


def test_workers_find_what_one_process_finds_and_fill_the_same_caches(
    translated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_workers(translated, 1)
    alone = uncached(translated)
    assert alone[0] == 1 and has_dose_error(alone[1])
    monkeypatch.setattr(review, "BYTES_PER_WORKER", 1)  # a few kilobytes pay for workers
    with_workers(translated, 2)
    counts = count_work(monkeypatch)
    assert uncached(translated) == alone
    assert counts["checked"] == counts["compared"] == 0  # not in this process: on the workers
    assert any((translated / "build" / ".cache" / "qa" / "es").iterdir())  # what the workers' QA found is kept
    assert check(translated) == alone  # and answered from the caches
    assert counts["checked"] == counts["compared"] == 0 and counts["parsed"] == 0


def test_a_language_a_worker_finds_changed_or_unreadable_is_left_to_check(translated: Path) -> None:
    config = load_config(translated)
    files = review.PoFiles(config, ["es"], [ARTICLE, DISCLAIMER, INTERFACE])
    digests = {name: files.digest(key) for key in files.keys for name in [key[1]]}
    glossary = load_glossary(config.glossary)
    done = review.language_task(config, glossary, "es", digests, [ARTICLE], True)
    assert done is not None and any(d.msgid == DOSE and d.check == "numbers" for d in done[0][ARTICLE])
    assert done[1] is not None and done[2]  # the consistency findings, and the QA cache's entries to keep
    assert review.language_task(config, glossary, "es", {**digests, ARTICLE: "0" * 64}, [ARTICLE], True) is None
    path = po_path(translated, "es", ARTICLE)
    path.write_bytes(path.read_bytes() + b'\nmsgid "unterminated\n')
    files = review.PoFiles(config, ["es"], [ARTICLE, DISCLAIMER, INTERFACE])
    digests = {name: files.digest(key) for key in files.keys for name in [key[1]]}
    assert review.language_task(config, glossary, "es", digests, [ARTICLE], False) is None
    path.unlink()  # gone since ``check`` hashed it
    assert review.language_task(config, glossary, "es", digests, [ARTICLE], False) is None


def test_a_po_file_replaced_after_check_hashed_it_leaves_no_answer_for_the_bytes_it_hashed(
    translated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixed between ``check`` hashing it and a worker reading it: what the fixed file has ("no findings") must not be
    kept for the bytes hashed, or the file put back as it was would pass."""
    monkeypatch.setattr(review, "BYTES_PER_WORKER", 1)
    with_workers(translated, 2)
    path = po_path(translated, "es", ARTICLE)
    wrong = path.read_bytes()
    fixed = path.parent / "fixed.tmp"
    fixed.write_bytes(wrong.replace(po_string(WRONG).encode(), po_string("Tome 2 comprimidos cada 6 horas.").encode()))
    on_workers = review._checked_on_workers

    def replaced_first(*args: Any) -> dict[object, list[Any]]:
        fixed.replace(path)  # as an editor saves: a new file renamed over the old one
        return on_workers(*args)

    monkeypatch.setattr(review, "_checked_on_workers", replaced_first)
    code, records = uncached(translated)
    assert code == 0 and not has_dose_error(records)  # the file as it is when read
    monkeypatch.setattr(review, "_checked_on_workers", on_workers)
    path.write_bytes(wrong)  # put back
    assert check(translated) == uncached(translated) and has_dose_error(check(translated)[1])
