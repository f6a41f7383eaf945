"""Publishing leaflets (issue 13, items 11–12): every file names its language, ``release.json`` traces each
published file by its own hash to its sources and printed version, and a PDF that cannot be built is never linked
— a warning in a draft, a failed ``build --release``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fake_engine import FakeEngine
from helpers import ARTICLE, OTHER, parse
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.errors import RenderError
from polyleaf.pipeline import runner
from release_helpers import manifest, release, review, translated_everything

FORMATS = '["txt", "html", "pdf"]'


def with_pdf(project: Path, extra: str = "") -> Path:
    (project / "polyleaf.toml").write_text(
        f'source_language = "en"\nlanguages = ["es", "ar"]\nformats = {FORMATS}\n{extra}', encoding="utf-8"
    )
    return project


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str) -> Result:
    """``polyleaf ARGS`` in the working folder."""
    return CliRunner().invoke(main, list(args))


def broken_pdf(html: str, base_url: Path | None = None) -> bytes:
    raise RenderError("font 'Noto Sans' is not installed: install the Debian package fonts-noto-core")


# ----------------------------------------------------------------------------------------------- file names


@pytest.mark.slow
def test_every_leaflet_file_names_its_language(project: Path) -> None:
    (project / "source" / "guide.md").write_text("# Guide\n\nRest for a day.\n", encoding="utf-8")
    runner.run(load_config(with_pdf(project)), engine_factory=lambda config: FakeEngine())
    for language in ("es", "ar"):
        names = sorted(path.name for path in (project / "build" / language).iterdir())
        expected = [
            f"{name}.{language}.{extension}"
            for name, extensions in ((OTHER, "html pdf txt"), (ARTICLE, "html pdf txt"), ("guide", "html md pdf"))
            for extension in extensions.split()
        ]
        assert names == sorted([*expected, "index.html"])
    index = parse((project / "build" / "es" / "index.html").read_text(encoding="utf-8"))
    hrefs = [str(a.attrs["href"]) for a in index.iter("a")]
    assert f"{ARTICLE}.es.pdf" in hrefs and f"{ARTICLE}.es.html" in hrefs and "guide.es.md" in hrefs
    assert all((project / "build" / "es" / href).resolve().is_file() for href in hrefs)


@pytest.mark.slow
def test_files_named_before_the_language_was_in_the_name_are_removed(project: Path) -> None:
    translated_everything(project)
    review(project, "es", ARTICLE)
    old = [project / "build" / "es" / f"{ARTICLE}.html", project / "build" / "release" / "es" / f"{ARTICLE}.txt"]
    for path in old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("an older version\n", encoding="utf-8")
    runner.run(load_config(project), steps=frozenset({"build"}))
    release(project)
    assert not any(path.exists() for path in old)
    assert (project / "build" / "release" / "es" / f"{ARTICLE}.es.txt").exists()


# ----------------------------------------------------------------------------------------------- release.json


@pytest.mark.slow
def test_release_json_traces_every_published_file_to_its_hash_and_printed_version(project: Path) -> None:
    settings = '[leaflet]\nreference = "NSC-PIL"\nversion = "3"\nreview_by = 2099-01-31\n'
    settings += f'[leaflet.documents.{ARTICLE}]\nreference = "NSC-PIL-014"\n'
    translated_everything(with_pdf(project, settings))
    review(project, "es", ARTICLE)
    review(project, "es", OTHER)
    release(project)
    folder = project / "build" / "release"
    records = {record["document"]: record for record in manifest(project)}
    assert set(records) == {ARTICLE, OTHER}
    article = records[ARTICLE]
    assert (article["reference"], article["version"], article["review_by"]) == ("NSC-PIL-014", "3", "2099-01-31")
    assert records[OTHER]["reference"] == "NSC-PIL"
    for name, record in records.items():
        files = record["files"]
        assert sorted(files) == [f"es/{name}.es.{extension}" for extension in ("html", "pdf", "txt")]
        for path, digest in files.items():
            assert digest == sha256(folder / path)  # each file's own hash: a printed PDF is traced by its bytes
    # a new version number is recorded; the leaflet's date still follows its sources (the manifest's date rule)
    with_pdf(project, settings.replace('version = "3"', 'version = "4"'))
    release(project)
    again = {record["document"]: record for record in manifest(project)}
    assert again[ARTICLE]["version"] == "4" and again[ARTICLE]["date"] == article["date"]
    assert again[ARTICLE]["files"][f"es/{ARTICLE}.es.pdf"] == sha256(folder / "es" / f"{ARTICLE}.es.pdf")
    assert again[ARTICLE]["files"][f"es/{ARTICLE}.es.pdf"] != article["files"][f"es/{ARTICLE}.es.pdf"]


@pytest.mark.slow
def test_a_release_records_the_images_it_publishes(project: Path) -> None:
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
    (project / "source" / "img").mkdir()
    (project / "source" / "img" / "chart.png").write_bytes(png)
    (project / "source" / "chart.md").write_text("# Chart\n\n![A chart](img/chart.png)\n", encoding="utf-8")
    translated_everything(project)
    review(project, "es", "chart")
    release(project, documents=("chart",))
    (record,) = manifest(project)
    assert record["files"]["es/img/chart.png"] == hashlib.sha256(png).hexdigest()
    assert sorted(record["files"]) == ["es/chart.es.html", "es/chart.es.md", "es/img/chart.png"]


# ----------------------------------------------------------------------------------------------- a PDF not built


@pytest.mark.slow
def test_a_draft_pdf_that_cannot_be_built_is_a_warning_and_linked_nowhere(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.run(load_config(with_pdf(project)), engine_factory=lambda config: FakeEngine())
    pdf = project / "build" / "es" / f"{ARTICLE}.es.pdf"
    assert pdf.exists()
    review(project, "es", ARTICLE)  # the leaflet changes: its PDF must be rendered again
    monkeypatch.setattr("polyleaf.render.pdf.render_pdf", broken_pdf)
    report = runner.run(load_config(project), steps=frozenset({"build"}))
    assert report.errors == []
    assert any(f"build/es/{ARTICLE}.es.pdf: not built: font 'Noto Sans'" in warning for warning in report.warnings)
    assert not pdf.exists()  # not the previous version either
    index = (project / "build" / "es" / "index.html").read_text(encoding="utf-8")
    assert f"{ARTICLE}.es.pdf" not in index
    assert f'href="{OTHER}.es.pdf"' in index  # unchanged, so not rendered again: still there and linked
    page = (project / "build" / "es" / f"{ARTICLE}.es.html").read_text(encoding="utf-8")
    assert ".pdf" not in page and "application/pdf" not in page


def release_files(project: Path) -> dict[str, bytes]:
    folder = project / "build" / "release"
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_a_release_whose_pdf_cannot_be_built_publishes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A release is all or nothing: when one PDF cannot be rendered, the previous release stays, whole (not the new
    web page beside no PDF), and the command fails with one line that says why."""
    translated_everything(with_pdf(project))
    review(project, "es", ARTICLE)
    monkeypatch.chdir(project)  # as a coordinator runs it: paths are shown relative to the project
    assert cli("build", "--release").exit_code == 0
    previous = release_files(project)
    assert f"es/{ARTICLE}.es.pdf" in previous
    review(project, "es", ARTICLE, text=lambda language, msgid: f"ES second: {msgid}")
    monkeypatch.setattr("polyleaf.render.pdf.render_pdf", broken_pdf)

    result = cli("build", "--release")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"polyleaf: build/release/es/{ARTICLE}.es.pdf: not built: {broken_message()} "
        "(nothing was published: build/release/ holds the previous release)"
    )
    assert "published" not in result.output.replace("nothing was published", "")
    assert release_files(project) == previous and cli("verify-release").exit_code == 0
    (record,) = manifest(project)
    assert f"es/{ARTICLE}.es.pdf" in record["files"]
    draft = cli("build")
    assert draft.exit_code == 0, draft.output  # a draft without its PDF is still a useful draft
    assert f"warning: build/es/{ARTICLE}.es.pdf: not built" in draft.output


def broken_message() -> str:
    return "font 'Noto Sans' is not installed: install the Debian package fonts-noto-core"


# ----------------------------------------------------------------------------------------------- stale drafts


def draft_files(project: Path) -> set[str]:
    found = (path for language in ("es", "ar") for path in (project / "build" / language).iterdir())
    return {path.relative_to(project / "build").as_posix() for path in found}


def test_drafts_of_a_retired_document_or_a_dropped_format_are_removed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No stale page: ``build/<lang>/`` holds what a build makes now, and its index links nothing else."""
    translated_everything(project)
    monkeypatch.chdir(project)
    assert {f"es/{OTHER}.es.html", f"ar/{OTHER}.ar.txt"} <= draft_files(project)
    (project / "source" / f"{OTHER}.txt").unlink()  # the coordinator retires an article
    result = cli("build")
    assert result.exit_code == 0 and result.output.endswith(", 4 removed\n"), result.output
    assert not {name for name in draft_files(project) if OTHER in name}
    assert OTHER not in (project / "build" / "es" / "index.html").read_text(encoding="utf-8")

    article = project / "source" / f"{ARTICLE}.txt"
    article.rename(article.with_suffix(".md"))  # the same article, now in Markdown
    (project / "polyleaf.toml").write_text(
        'source_language = "en"\nlanguages = ["es", "ar"]\nformats = ["txt"]\n', encoding="utf-8"
    )  # and no web pages any more
    result = cli("-v", "build", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert f"removed build/es/{ARTICLE}.es.html" in result.output
    assert draft_files(project) == {
        f"es/{ARTICLE}.es.md",
        f"ar/{ARTICLE}.ar.txt",
        f"ar/{ARTICLE}.ar.html",
        "ar/index.html",
    }
    assert not (project / "build" / "index.html").exists()  # (Arabic is cleaned when it is built)
