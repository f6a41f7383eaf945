"""The articles of ``source_dir`` are listed from one look at the folder (``sources.source_paths``): a file is the
resolved folder's and only a symbolic link is resolved on its own — the same articles, and the same paths as shown
(``sources.shown_paths``), as resolving every file finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import content_project
from polyleaf.config.model import Config, load_config
from polyleaf.errors import ConfinementError
from polyleaf.pipeline.sources import shown_paths, source_paths
from polyleaf.project import IMAGE_SUFFIXES


def resolving_each(config: Config) -> list[Path]:
    """The articles as a look at each file, resolved, finds them."""
    return sorted(
        path
        for path in config.source_dir.iterdir()
        if path.exists()
        and not path.is_dir()
        and not path.name.startswith(".")
        and path.suffix.lower() not in IMAGE_SUFFIXES
        and path.resolve() != config.disclaimer.resolve()
    )


def test_articles_links_and_what_is_no_article_are_told_apart_as_resolving_each_file_does(tmp_path: Path) -> None:
    root = content_project(tmp_path / "project", 'source_language = "en"\nlanguages = ["es"]\n')
    source, drafts = root / "source", root / "drafts"
    drafts.mkdir()
    (drafts / "kept.md").write_text("# Kept\n\nA sentence.\n", encoding="utf-8")
    (source / "linked.md").symlink_to(drafts / "kept.md")  # an article kept elsewhere in the project
    (source / "nowhere.txt").symlink_to(root / "missing.txt")  # a link that leads nowhere: no article
    (source / "also-disclaimer.txt").symlink_to(source / "disclaimer.txt")  # the disclaimer under another name
    (source / ".hidden.txt").write_text("Hidden\n", encoding="utf-8")
    (source / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (source / "folder.txt").mkdir()
    (source / "drafts").symlink_to(drafts)  # a link to a folder
    config = load_config(root)
    paths = source_paths(config)
    assert paths == resolving_each(config)
    names = [path.name for path in paths]
    assert "linked.md" in names and not {"nowhere.txt", "also-disclaimer.txt", "folder.txt", "drafts"} & set(names)
    shown = shown_paths(config, paths)
    assert shown == tuple(config.relative(path) for path in paths)
    assert shown[names.index("linked.md")] == Path("drafts/kept.md")  # a link is shown as where it leads
    assert shown[0] == Path("source") / names[0]


def test_a_link_that_leads_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = content_project(tmp_path / "project", 'source_language = "en"\nlanguages = ["es"]\n')
    (tmp_path / "secret.txt").write_text("Secret\n", encoding="utf-8")
    (root / "source" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(ConfinementError) as raised:
        source_paths(load_config(root))
    assert raised.value.path == root / "source" / "leak.txt"  # as ``relative`` shows a path that leads outside
    assert f"leads outside the project (to {(tmp_path / 'secret.txt').resolve()})" in raised.value.message
