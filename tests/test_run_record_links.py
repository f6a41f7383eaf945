"""The run record sees what the run reads (issue 21, item 3): files reached through symbolic links inside the
project (``locales/es -> ../translations/es``, ``source/img -> ../assets/img``) and the fonts its PDFs are set in.
An edit behind a link, or a font installed since, makes the next run do its work instead of answering "0 file(s)
written" with the old dose still in the leaflet."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner, Result

from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.pipeline import runner, sources
from polyleaf.pipeline.run_record import RunRecord
from polyleaf.render import fontconfig, fonts
from release_helpers import DOSE, DOSE_SENTENCE, one_leaflet_project, review

SOURCE = f"Dosage\n{DOSE_SENTENCE}\n"
IMAGE_SOURCE = "# Rest\n\n![A chart](img/chart.png)\n\nRest for a day.\n"


def cli(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def replayed(root: Path) -> bool:
    """``polyleaf run``; whether it was answered from the record (it read no source)."""
    reads = []
    load_sources = sources.load_sources

    def counting(*args: Any, **kwargs: Any) -> Any:
        reads.append(args)
        return load_sources(*args, **kwargs)

    with mock.patch.object(runner, "load_sources", counting):
        result = cli(root, "run")
    assert result.exit_code == 0, result.output
    return not reads


def settled(root: Path) -> None:
    """Run until the record answers (the first run after a change writes, the next records the state)."""
    for _attempt in range(3):
        if replayed(root):
            return
    pytest.fail("the run never settled")


def leaflet(root: Path) -> str:
    return (root / "build" / "es" / f"{DOSE}.es.txt").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = one_leaflet_project(tmp_path / "project", SOURCE, ("es",))
    review(root, "es", DOSE, text=lambda language, msgid: {"Dosage": "Dosis"}.get(msgid, "Tome 2,5 mg con agua."))
    return root


@pytest.mark.slow
def test_an_edit_behind_a_linked_locale_folder_is_seen(project: Path) -> None:
    settled(project)  # the PO files as polyleaf writes them (it never writes through the link made now)
    (project / "translations").mkdir()
    (project / "locales" / "es").rename(project / "translations" / "es")
    (project / "locales" / "es").symlink_to(Path("..") / "translations" / "es")
    settled(project)
    assert "Tome 2,5 mg con agua." in leaflet(project)
    real = project / "translations" / "es" / "LC_MESSAGES" / f"{DOSE}.po"
    real.write_bytes(real.read_bytes().replace(b"con agua", b"con comida"))  # the translator's edit, in place
    assert not replayed(project)
    assert "Tome 2,5 mg con comida." in leaflet(project)
    settled(project)


def test_readmes_linked_locale_layout_is_written_through_and_a_link_out_is_not(project: Path, tmp_path: Path) -> None:
    """Attack 1, finding 13: with ``locales/es -> ../translations/es`` a change that rewrites the PO file (an edit
    of the English, a QA note) is written to the linked folder, the link kept; a link that leaves the project (or
    leads into ``.git``) is still refused with nothing written there."""
    (project / "translations").mkdir()
    (project / "locales" / "es").rename(project / "translations" / "es")
    (project / "locales" / "es").symlink_to(Path("..") / "translations" / "es")
    source = project / "source" / f"{DOSE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("2.5 mg", "5 mg"), encoding="utf-8")
    result = cli(project, "run")
    assert result.exit_code == 0, result.output
    real = project / "translations" / "es" / "LC_MESSAGES" / f"{DOSE}.po"
    text = real.read_text(encoding="utf-8")
    assert f'#| msgid "{DOSE_SENTENCE}"' in text and "5 mg of the medicine" in text
    assert (project / "locales" / "es").is_symlink()
    for target in (tmp_path / "outside", project / ".git" / "es"):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(project / "translations" / "es", target)
        (project / "locales" / "es").unlink()
        (project / "locales" / "es").symlink_to(target)
        source.write_text(source.read_text(encoding="utf-8").replace("5 mg", "7 mg"), encoding="utf-8")
        before = (target / "LC_MESSAGES" / f"{DOSE}.po").read_bytes()
        result = cli(project, "run")
        assert result.exit_code == 1 and re.search(
            "refusing to (read|write): .* (outside the project|into a .git)", result.output
        )
        assert (target / "LC_MESSAGES" / f"{DOSE}.po").read_bytes() == before


def test_an_image_behind_a_linked_folder_is_seen(project: Path) -> None:
    (project / "assets" / "img").mkdir(parents=True)
    (project / "assets" / "img" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\nfirst")
    (project / "source" / "rest.md").write_text(IMAGE_SOURCE, encoding="utf-8")
    (project / "source" / "img").symlink_to(Path("..") / "assets" / "img")
    settled(project)
    copied = project / "build" / "es" / "img" / "chart.png"
    assert copied.read_bytes().endswith(b"first")
    with (project / "assets" / "img" / "chart.png").open("r+b") as file:  # edited in place: the folder's
        file.seek(-5, os.SEEK_END)  # times do not change
        file.write(b"other")
    assert not replayed(project)
    assert copied.read_bytes().endswith(b"other")


def test_links_that_loop_or_lead_outside_are_not_walked(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not the project's", encoding="utf-8")
    (project / "locales" / "loop").symlink_to("..")
    (project / "locales" / "outside").symlink_to(outside)
    record = RunRecord(load_config(project), "request")
    states = record._looked().states(0)
    assert str(project / "locales" / "outside") in states
    assert not any("secret" in path for path in states)
    assert not any(path.startswith(str(project / "locales" / "loop") + os.sep) for path in states)


def test_a_font_installed_since_the_last_run_is_seen(project: Path) -> None:
    """A run that prints PDFs records fontconfig's answer: a font dropped into the user's font folder (as
    ``fc-cache`` or a package manager would install it) makes the next run render again."""
    answer, folders = fontconfig.fontconfig_answer(["Tajawal"])
    home = os.environ["XDG_DATA_HOME"]
    user_folder = next((Path(folder) for folder in folders if folder.startswith(home)), None)
    if user_folder is None:
        pytest.skip("fontconfig here reads no font folder under XDG_DATA_HOME")
    assert answer == {"Tajawal": ()}
    config = project / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"html"]', '"html", "pdf"]'), encoding="utf-8")
    settled(project)
    (packaged,) = [face.path for face in fonts.packaged_faces("Noto Sans Arabic") if face.weight == "400"]
    existed = user_folder.exists()
    try:
        user_folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged, user_folder / "Tajawal-Regular.ttf")
        assert not replayed(project)
    finally:
        (user_folder / "Tajawal-Regular.ttf").unlink(missing_ok=True)
        if not existed:
            shutil.rmtree(user_folder, ignore_errors=True)
