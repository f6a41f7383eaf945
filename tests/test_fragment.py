"""The ``fragment`` leaflet format: the leaflet as HTML a clinic pastes into its own web site — the article alone,
in the leaflet's language and direction, its images at their published address, published and verified with the
release like every other file, and not offered to patients on the index pages."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from helpers import REPO, copied_project, invoke_in, parse
from release_helpers import DOSE, release, review, run, translated_everything

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
SOURCE = "# Dosage\n\nTake 2.5 mg of the medicine each morning.\n\n![Dosing chart](img/chart.png)\n"


CONFIG = 'languages = ["es", "ar"]\nformats = ["txt", "html", "fragment"]\n'
BUILD = frozenset({"build"})


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-leaflet project (Markdown with an image) in es and ar, machine-translated, built as txt, html and
    fragment; its disclaimer and the leaflet's own words reviewed."""
    root = tmp_path_factory.mktemp("fragment") / "project"
    (root / "source" / "img").mkdir(parents=True)
    (root / "source" / "disclaimer.txt").write_bytes((REPO / "source" / "disclaimer.txt").read_bytes())
    (root / "source" / f"{DOSE}.md").write_text(SOURCE, encoding="utf-8")
    (root / "source" / "img" / "chart.png").write_bytes(PNG)
    (root / "polyleaf.toml").write_text(CONFIG, encoding="utf-8")
    translated_everything(root)
    run(root, steps=BUILD)  # the reviewed words shown
    return root


@pytest.fixture
def root(first: Path, tmp_path: Path) -> Path:
    return copied_project(first, tmp_path)


def test_a_draft_fragment_is_the_article_alone_in_its_language(root: Path) -> None:
    for language, direction in (("es", "ltr"), ("ar", "rtl")):
        text = (root / "build" / language / f"{DOSE}.{language}.fragment.html").read_text(encoding="utf-8")
        assert text.startswith(f'<article class="polyleaf-leaflet draft" lang="{language}" dir="{direction}">')
        assert text.rstrip().endswith("</article>")
        for page_only in ("<html", "<head>", "<body", "<link", "<script", "@font-face", "<nav", "index.html"):
            assert page_only not in text, page_only
        article = parse(text).find("article")
        page = parse((root / "build" / language / f"{DOSE}.{language}.html").read_text(encoding="utf-8"))
        assert article.find("h1").text() == page.find("h1").text()  # what the web page shows, as a draft
        shown = [p.text() for p in page.find("main").iter("p")]  # the text, then the disclaimer
        assert shown[-2:] == [p.text() for p in article.iter("p")][-3:-1]  # the draft band after them
        assert "DRAFT — not for patients" in article.text()
        assert [img.attrs["src"] for img in article.iter("img")] == ["img/chart.png"]  # beside it, no base_url
        assert (root / "build" / language / "img" / "chart.png").read_bytes() == PNG
        index = (root / "build" / language / "index.html").read_text(encoding="utf-8")
        assert f"{DOSE}.{language}.html" in index and "fragment" not in index  # not for patients to pick


def test_with_a_base_url_the_fragments_images_lead_to_the_published_leaflet(root: Path) -> None:
    settings = '[leaflet]\nbase_url = "https://clinic.example/leaflets"\n'
    (root / "polyleaf.toml").write_text(CONFIG + settings, encoding="utf-8")
    run(root, steps=BUILD)
    text = (root / "build" / "es" / f"{DOSE}.es.fragment.html").read_text(encoding="utf-8")
    sources = [img.attrs["src"] for img in parse(text).iter("img")]
    assert sources == ["https://clinic.example/leaflets/es/img/chart.png"]


def test_fragments_are_rendered_once_and_go_when_the_format_is_dropped(root: Path) -> None:
    fragment = root / "build" / "es" / f"{DOSE}.es.fragment.html"
    fragment.write_text("<p>edited by hand</p>", encoding="utf-8")
    report = run(root, steps=BUILD)
    assert report.written == [fragment] and fragment.read_text(encoding="utf-8").startswith("<article")
    assert run(root, steps=BUILD).written == []
    (root / "polyleaf.toml").write_text('languages = ["es", "ar"]\nformats = ["txt", "html"]\n', encoding="utf-8")
    run(root, steps=BUILD)
    assert not fragment.exists() and (root / "build" / "es" / f"{DOSE}.es.html").exists()


def test_a_released_fragment_is_in_the_manifest_and_verified(root: Path) -> None:
    review(root, "es", DOSE)
    report = release(root)
    assert report.published == [f"es/{DOSE}"], report.withheld
    released = root / "build" / "release" / "es" / f"{DOSE}.es.fragment.html"
    text = released.read_text(encoding="utf-8")
    assert text.startswith('<article class="polyleaf-leaflet" lang="es" dir="ltr">')
    words = " ".join(parse(text).find("article").text().split())  # a quantity is kept on one line: a no-break space
    assert "ES: Take 2.5 mg of the medicine each morning." in words and "DRAFT" not in words
    assert "<style>" not in text  # nothing left untranslated: nothing to mark
    manifest = json.loads((root / "build" / "release" / "release.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(released.read_bytes()).hexdigest()
    assert manifest["leaflets"][0]["files"][f"es/{DOSE}.es.fragment.html"] == digest
    assert manifest["files"][f"es/{DOSE}.es.fragment.html"] == digest
    assert invoke_in(root, "verify-release").exit_code == 0
    released.write_text(text.replace("ES: Take", "ES: Take 25 mg"), encoding="utf-8")
    assert invoke_in(root, "verify-release").exit_code == 1
