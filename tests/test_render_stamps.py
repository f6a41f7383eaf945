"""An output is rendered again when anything it is rendered from changes, not only its text: the content of the
font files a PDF is set in (a clinic's font edited in place, keeping its name and family), fontconfig's answer for
the families a leaflet names (a font installed since), and the code and templates that render (a template changed
between versions without a new version number). Each is part of the render stamp's key (``stamps.Stamps.stale``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers import REPO
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.pipeline import leaflet_fonts, stamps
from polyleaf.render.fonts import font_stack
from release_helpers import DOSE, one_leaflet_project, review

SOURCE = "Dosage\nTake 2.5 mg of the medicine with water.\n"


def count_calls(monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> list[tuple[Any, ...]]:
    """Count the calls of ``module.name`` (looked up where it is called: renderers are imported lazily)."""
    import importlib

    target = importlib.import_module(module)
    real: Callable[..., Any] = getattr(target, name)
    calls: list[tuple[Any, ...]] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, counted)
    return calls


def build(root: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(root), "build"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def house_font(tmp_path: Path) -> Path:
    """A project whose leaflets are set in a font file of its own (``fonts/House.ttf``), built once in PDF."""
    from polyleaf.render.fonts import packaged_faces

    root = one_leaflet_project(tmp_path / "project", SOURCE, ("es",))
    review(root, "es", DOSE)
    (root / "fonts").mkdir()
    shutil.copyfile(packaged_faces("Noto Sans Arabic")[0].path, root / "fonts" / "House.ttf")
    (root / "polyleaf.toml").write_text(
        'languages = ["es"]\nformats = ["txt", "pdf"]\n[leaflet]\nfonts = ["fonts/House.ttf"]\n', encoding="utf-8"
    )
    build(root)
    assert (root / "build" / "es" / f"{DOSE}.es.pdf").is_file()
    return root


@pytest.mark.slow
def test_a_font_file_edited_in_place_renders_the_pdfs_again(house_font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fontTools.ttLib import TTFont

    renders = count_calls(monkeypatch, "polyleaf.render.pdf", "render_pdf")
    font = house_font / "fonts" / "House.ttf"
    with TTFont(font) as edited:  # the same family, style and weight; other glyphs (here: another revision)
        edited["head"].fontRevision += 1
        edited.save(font)
    build(house_font)
    assert len(renders) == 1
    (house_font / "build" / ".cache" / "run.json").unlink()  # the run record aside: the stamp alone decides
    build(house_font)
    assert len(renders) == 1  # unchanged since: not rendered again


@pytest.mark.slow
def test_a_font_fontconfig_finds_since_renders_the_pdfs_again(
    house_font: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from polyleaf.render import fontconfig

    renders = count_calls(monkeypatch, "polyleaf.render.pdf", "render_pdf")
    installed = tmp_path / "data" / "fonts" / "NotoSerif-Regular.ttf"  # as if installed in ~/.local/share/fonts
    installed.parent.mkdir(parents=True)
    shutil.copyfile(house_font / "fonts" / "House.ttf", installed)
    real = fontconfig.fontconfig_answer

    def with_it(families: Any) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
        answer, inputs = real(families)
        return {**answer, "Noto Serif": (*answer.get("Noto Serif", ()), str(installed))}, inputs

    monkeypatch.setattr(fontconfig, "fontconfig_answer", with_it)
    build(house_font)
    assert len(renders) == 1
    with installed.open("ab") as file:  # the installed file changes (an update of the font package)
        file.write(b"\0")
    build(house_font)
    assert len(renders) == 2


def test_each_font_file_is_hashed_once_and_its_hash_kept_for_the_next_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # a user's cache that has hashed nothing yet
    root = one_leaflet_project(tmp_path / "project", SOURCE, ("es",))
    hashed = count_calls(monkeypatch, "polyleaf.pipeline.leaflet_fonts", "file_sha256")
    files = leaflet_fonts.FontFiles(load_config(root), ())
    first = files.digest("es", ())
    assert hashed and files.digest("fr", ()) == first  # the same fonts…
    assert files.digest("ar", ()) != first
    assert len(hashed) == len({str(path) for (path,) in hashed})  # …each file read once
    hashed.clear()
    assert leaflet_fonts.FontFiles(load_config(root), ()).digest("es", ()) == first and hashed == []  # the next build
    font = tmp_path / "House.ttf"
    shutil.copyfile(font_stack("es", ()).faces[0].path, font)
    kept = leaflet_fonts.FontFiles(load_config(root), ()).file_hash(str(font))
    with font.open("ab") as file:  # the file changes: its hash is made again
        file.write(b"\0")
    assert leaflet_fonts.FontFiles(load_config(root), ()).file_hash(str(font)) != kept and len(hashed) == 2


def test_a_change_to_the_renderers_code_or_templates_renders_every_page_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "polyleaf"
    shutil.copytree(REPO / "src" / "polyleaf", package, ignore=shutil.ignore_patterns("__pycache__"))
    digest = stamps.code_digest(package)
    assert stamps.code_digest(package) == digest
    for changed in ("render/templates/leaflet.css", "qa/quantities.py", "mt/argos.py"):
        (package / changed).write_text((package / changed).read_text(encoding="utf-8") + "\n", encoding="utf-8")
        now = stamps.code_digest(package)
        assert (now != digest) == (changed != "mt/argos.py"), changed  # the renderers and what they call, only
        digest = now

    root = one_leaflet_project(tmp_path / "project", SOURCE, ("es",))
    build(root)  # the reviewed disclaimer
    pages = count_calls(monkeypatch, "polyleaf.render.html", "render_leaflet_html")
    (root / "build" / ".cache" / "run.json").unlink()  # the run record aside: the stamp alone decides
    build(root)
    assert not pages
    monkeypatch.setattr(stamps, "renderer_digest", lambda: "another polyleaf's templates")
    (root / "build" / ".cache" / "run.json").unlink()
    build(root)
    assert len(pages) == 1
