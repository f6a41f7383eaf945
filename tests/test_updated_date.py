"""The leaflet's "updated" date: the source's last commit when it is committed, so clones agree."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from polyleaf.fsio import last_change

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(folder: Path, *args: str, when: str = "2024-03-05T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )


def test_committed_source_is_dated_by_its_commit_and_edits_by_file_time(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_text("Title\nText.\n", encoding="utf-8")
    os.utime(source, (1_800_000_000, 1_800_000_000))
    assert last_change(source) == dt.datetime.fromtimestamp(1_800_000_000, dt.UTC)  # not a git checkout

    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "article.txt")
    git(tmp_path, "commit", "-q", "-m", "add")
    assert last_change(source) == dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC)

    source.write_text("Title\nText, edited.\n", encoding="utf-8")
    os.utime(source, (1_800_000_100, 1_800_000_100))
    assert last_change(source) == dt.datetime.fromtimestamp(1_800_000_100, dt.UTC)


def test_dating_a_source_leaves_the_users_git_index_alone(tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_text("Title\nText.\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "article.txt")
    git(tmp_path, "commit", "-q", "-m", "add")
    os.utime(source, (1_800_000_000, 1_800_000_000))  # same content, new time: `git status` would refresh the index
    index = tmp_path / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    assert last_change(source) == dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC)
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
