"""From paper to the other languages (issue 23, item 2): with ``[leaflet] base_url`` every PDF carries a QR code and
the printed address of its own web page; every leaflet lists the languages it is available in by their own names
(links on the web page) — the languages built, and in a release only those published.

The QR code is read back as a phone reads a printed sheet: the PDF page rendered by pdfium, decoded by zxing-cpp.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

import arabic_leaflets
from fake_engine import FakeEngine
from helpers import REPO, Node, one_line_error, parse, polyleaf
from polyleaf.config.model import load_config
from polyleaf.errors import ConfigError
from polyleaf.labels import release_labels
from polyleaf.localize import LocalizedBlock, LocalizedDocument
from polyleaf.pipeline import runner
from polyleaf.pipeline.sources import Selection
from polyleaf.project import web_page_url
from polyleaf.render.html import render_leaflet_html
from polyleaf.render.meta import Alternate, LeafletMeta, PageLinks
from polyleaf.source.document import Document
from release_helpers import release, review

NAME = "back-pain"
REPO_ARTICLE = "bvna-chronic-low-back-pain"
ARTICLE = "Back pain\nKeep moving, and walk a little every day.\n"
LANGUAGES = ("es", "ar", "zh_Hans")
AUTONYMS = {"es": "Español", "ar": "العربية", "zh_Hans": "中文 (简体)"}
BASE = "https://leaflets.example.org/pil/"


def config_text(*, base_url: str = BASE, languages: tuple[str, ...] = LANGUAGES, formats: str = '"html", "pdf"') -> str:
    table = f'\n[leaflet]\nbase_url = "{base_url}"\n' if base_url else ""
    listed = ", ".join(f'"{language}"' for language in languages)
    return f"languages = [{listed}]\nformats = [{formats}]\n{table}"


def small_project(root: Path, config: str) -> Path:
    """A project with one short article (one page in every language) and the standard disclaimer."""
    (root / "source").mkdir(parents=True)
    (root / "source" / f"{NAME}.txt").write_text(ARTICLE, encoding="utf-8")
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "polyleaf.toml").write_text(config, encoding="utf-8")
    return root


def qr_codes(pdf: Path) -> list[tuple[int, str]]:
    """Every QR code printed in ``pdf``, as (page number, text): each page rendered in grey at 150 dpi by pdfium
    and decoded by zxing-cpp."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for number in range(len(document)):
            image = document[number].render(scale=150 / 72, grayscale=True).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
            found += [(number + 1, code.text) for code in codes]
        return found
    finally:
        document.close()


def pdf_text(pdf: Path) -> str:
    """The text of ``pdf`` as pdftotext reads it. (pdfium takes a right-to-left line with more left-to-right runs
    than Arabic ones — English, Spanish and Chinese names — for a left-to-right one, and turns the Arabic around:
    ``render.pdf_order`` says so.)"""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    return arabic_leaflets.pdftotext(pdf)


def page(root: Path, language: str, *, release: bool = False) -> Node:
    folder = root / "build" / ("release" if release else "") / language
    return parse((folder / f"{NAME}.{language}.html").read_text(encoding="utf-8"))


def by_class(node: Node, name: str) -> Node:
    found = [element for element in node.iter() if name in (element.attrs.get("class") or "").split()]
    assert found, f"no .{name}"
    return found[0]


def languages_line(doc: Node) -> list[Node]:
    """The names of the languages line at a leaflet's end (one ``<bdi>`` each)."""
    lines = [node for node in doc.iter("p") if node.attrs.get("class") == "languages"]
    return lines[0].iter("bdi") if lines else []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draft in es, ar and zh_Hans with a base URL: web pages and PDFs."""
    root = small_project(tmp_path_factory.mktemp("qr") / "project", config_text())
    report = runner.run(load_config(root), engine_factory=lambda config: FakeEngine())
    assert not [warning for warning in report.warnings if "not built" in warning or "glyph" in warning]
    return root


# ----------------------------------------------------------------------------------------------- the QR code


@pytest.mark.slow
def test_the_qr_code_on_the_printed_page_leads_to_the_leaflets_own_web_page(built: Path) -> None:
    config = load_config(built)
    for language in LANGUAGES:
        pdf = built / "build" / language / f"{NAME}.{language}.pdf"
        url = web_page_url(config, language, NAME)
        assert url == f"{BASE}{language}/{NAME}.{language}.html"
        # the address is where the build lays the page out: the same path below build/ (and build/release/)
        assert (built / "build" / unquote(url.removeprefix(BASE))).is_file()
        assert qr_codes(pdf) == [(1, url)]  # one code, the leaflet's own page: not another language's
        printed = " ".join(pdf_text(pdf).split())
        assert url.removeprefix("https://") in printed.replace(" ", "")  # typed by hand where nobody scans


@pytest.mark.slow
def test_the_printed_page_lists_every_language_by_its_own_name(built: Path) -> None:
    for language in LANGUAGES:
        printed = pdf_text(built / "build" / language / f"{NAME}.{language}.pdf")
        for autonym in AUTONYMS.values():
            assert autonym.replace(" ", "") in printed.replace(" ", ""), (language, autonym)
        assert "Available in" in printed  # the label (interface.po; English until reviewed)


@pytest.mark.slow
def test_the_web_page_links_the_other_languages_each_in_its_own_direction(built: Path) -> None:
    for language in LANGUAGES:  # a draft lists every language: each has its draft
        doc = page(built, language)
        names = languages_line(doc)
        assert [name.text() for name in names] == list(AUTONYMS.values())
        assert [name.attrs["dir"] for name in names] == ["ltr", "rtl", "ltr"]  # an isolate each, in every page
        assert [name.attrs["lang"] for name in names] == ["es", "ar", "zh-Hans"]
        for other, name in zip(LANGUAGES, names, strict=True):
            links = name.iter("a")
            if other == language:  # this page: named, not linked
                assert links == [] and name.find("span").attrs["aria-current"] == "page"
            else:
                assert links[0].attrs["href"] == f"../{other}/{NAME}.{other}.html"
                assert (built / "build" / language / links[0].attrs["href"]).is_file()
        # the web page is not paper: no QR code and no printed address; its own address is its canonical URL
        assert not [node for node in doc.iter("svg") if node.attrs.get("class") == "qr-code"]
        canonical = [node for node in doc.iter("link") if node.attrs.get("rel") == "canonical"]
        assert [node.attrs["href"] for node in canonical] == [web_page_url(load_config(built), language, NAME)]


@pytest.mark.slow
def test_without_a_base_url_there_is_no_qr_code_and_no_address(tmp_path: Path) -> None:
    root = small_project(tmp_path / "project", config_text(base_url="", languages=("es", "ar"), formats='"pdf"'))
    (root / "build" / "ar").mkdir(parents=True)
    (root / "build" / "ar" / f"{NAME}.ar.pdf").write_bytes(b"%PDF- an Arabic leaflet built before")
    runner.run(load_config(root), Selection(languages=("es",)), engine_factory=lambda config: FakeEngine())
    pdf = root / "build" / "es" / f"{NAME}.es.pdf"
    assert qr_codes(pdf) == []
    printed = pdf_text(pdf)
    assert "Read this leaflet online" not in printed and "http" not in printed
    assert "Español" in printed and "العربية" in printed  # the languages are still listed


# ----------------------------------------------------------------------------------------------- which languages


@pytest.mark.slow
def test_a_release_lists_only_the_languages_it_publishes(tmp_path: Path) -> None:
    root = small_project(tmp_path / "project", config_text())
    steps = frozenset({"extract", "update", "translate"})  # the PO files; the drafts' list is another test's
    runner.run(load_config(root), steps=steps, engine_factory=lambda config: FakeEngine(pairs=()))
    for language in ("es", "ar"):  # zh_Hans is not reviewed: a release withholds it
        for catalog in (NAME, "disclaimer", "interface"):
            review(root, language, catalog)
    report = release(root)
    assert [line.split(":")[0] for line in report.withheld] == [f"zh_Hans/{NAME}"]
    config = load_config(root)
    for language in ("es", "ar"):
        assert [name.text() for name in languages_line(page(root, language, release=True))] == ["Español", "العربية"]
        pdf = root / "build" / "release" / language / f"{NAME}.{language}.pdf"
        printed = pdf_text(pdf)
        assert "العربية" in printed and "中文" not in printed
        assert qr_codes(pdf) == [(1, web_page_url(config, language, NAME))]
        assert f"{language.upper()}: Read this leaflet online" in printed  # the reviewed label


@pytest.mark.slow
def test_a_partial_build_lists_the_languages_whose_pages_are_there(project: Path) -> None:
    """``--lang es`` builds Spanish only, and lists the languages whose leaflet is already in build/."""
    config = load_config(project)
    runner.run(config, Selection(languages=("es",)), engine_factory=lambda config: FakeEngine())
    assert languages_line(page_of(project, "es")) == []  # Spanish alone: no line to show
    runner.run(config, engine_factory=lambda config: FakeEngine())
    assert [name.text() for name in languages_line(page_of(project, "es"))] == ["Español", "العربية"]
    (project / "build" / "ar" / f"{REPO_ARTICLE}.ar.html").unlink()
    runner.run(config, Selection(languages=("es",)), engine_factory=lambda config: FakeEngine())
    assert languages_line(page_of(project, "es")) == []  # the Arabic page is gone: Spanish alone again


def page_of(root: Path, language: str) -> Node:
    return parse((root / "build" / language / f"{REPO_ARTICLE}.{language}.html").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------------------------- configuration


HOSTILE = [
    "javascript:alert(1)",
    'https://x.org/" onmouseover="alert(1)',
    "https://x.org/'><script>alert(1)</script>",
    "ftp://leaflets.example.org/",
    "file:///etc/passwd",
    "data:text/html,hi",
    "https://leaflets.example.org/a b/",
    " https://leaflets.example.org/",
    "https://leaflets.example.org/\\t",
    "https://user:secret@leaflets.example.org/",
    "https://leaflets.example.org/?id=1",
    "https://leaflets.example.org/#top",
    "https://leaflets.example.org/\\u202epdf.exe",
    "//leaflets.example.org/",
    "leaflets.example.org",
    "https://leaflets.example.org/../../",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_base_url_is_refused_naming_the_file_and_key(project: Path, value: str) -> None:
    escaped = value.replace('"', '\\"')
    (project / "polyleaf.toml").write_text(
        f'languages = ["es"]\nformats = ["html", "pdf"]\n[leaflet]\nbase_url = "{escaped}"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(project)
    assert caught.value.line == 4 and caught.value.message.startswith("leaflet.base_url ")


def test_the_command_line_says_what_is_wrong_with_the_base_url_in_one_line(project: Path) -> None:
    (project / "polyleaf.toml").write_text(
        'languages = ["es"]\nformats = ["html", "pdf"]\n[leaflet]\nbase_url = "javascript:alert(1)"\n',
        encoding="utf-8",
    )
    result = polyleaf(project, "run")
    line = one_line_error(result, 2)
    assert line.startswith("polyleaf: polyleaf.toml:4: leaflet.base_url must be an http:// or https:// address")
    assert "'javascript:alert(1)'" in line
    assert not (project / "locales").exists() and not (project / "build").exists()


def test_a_base_url_needs_web_pages_to_lead_to(project: Path) -> None:
    (project / "polyleaf.toml").write_text(config_text(formats='"pdf"'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"leaflet.base_url: the QR code leads to the leaflet's web page"):
        load_config(project)


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("https://leaflets.example.org", "https://leaflets.example.org/"),
        ("HTTPS://Leaflets.Example.ORG/PIL", "https://leaflets.example.org/PIL/"),
        ("http://localhost:8000/leaflets/", "http://localhost:8000/leaflets/"),
        ("https://example.org/patient%20leaflets/", "https://example.org/patient%20leaflets/"),
    ],
)
def test_a_base_url_is_a_folder_every_page_address_starts_with(project: Path, value: str, normalised: str) -> None:
    (project / "polyleaf.toml").write_text(config_text(base_url=value), encoding="utf-8")
    config = load_config(project)
    assert config.leaflet.base_url == normalised
    assert web_page_url(config, "zh_Hans", NAME) == f"{normalised}zh_Hans/{NAME}.zh_Hans.html"


def test_no_base_url_no_address(project: Path) -> None:
    assert web_page_url(load_config(project), "es", NAME) == ""


def test_a_release_needs_the_new_words_reviewed_only_where_they_are_shown(project: Path) -> None:
    (project / "polyleaf.toml").write_text(config_text(), encoding="utf-8")
    assert {"available_in", "web_version"} <= set(release_labels(load_config(project), NAME))
    (project / "polyleaf.toml").write_text(config_text(base_url=""), encoding="utf-8")
    assert "web_version" not in release_labels(load_config(project), NAME)
    (project / "polyleaf.toml").write_text(config_text(languages=("es",)), encoding="utf-8")
    labels = release_labels(load_config(project), NAME)
    assert "available_in" not in labels and "web_version" in labels


# ----------------------------------------------------------------------------------------------- the page itself


def localized(language: str) -> LocalizedDocument:
    source = Document(path=Path(f"{NAME}.txt"), format="txt", text="", blocks=())
    blocks = (LocalizedBlock("title", "Back pain"), LocalizedBlock("paragraph", "Keep moving."))
    return LocalizedDocument(source, language, "Back pain", blocks, "Not advice.", (), 0, 2, release=True)


def test_paper_gets_the_qr_code_and_address_the_web_page_gets_links() -> None:
    url = f"{BASE}ar/{NAME}.ar.html"
    meta = LeafletMeta(updated=dt.date(2026, 12, 6), languages=LANGUAGES, web_url=url)
    paper = parse(render_leaflet_html(localized("ar"), meta))
    end = by_class(paper, "availability")
    assert [node.attrs.get("class") for node in end.iter("svg")] == ["qr-code"]
    (address,) = [node for node in end.iter("a") if node.attrs.get("class") == "url"]
    assert address.attrs["href"] == url and address.attrs["dir"] == "ltr"  # read left to right on an Arabic page
    assert address.text() == url.removeprefix("https://")
    names = languages_line(paper)
    assert [name.text() for name in names] == list(AUTONYMS.values()) and not any(name.iter("a") for name in names)

    alternates = tuple(Alternate(other, f"../{other}/{NAME}.{other}.html") for other in LANGUAGES)
    web = parse(render_leaflet_html(localized("ar"), meta, links=PageLinks(alternates=alternates)))
    assert not by_class(web, "availability").iter("svg") and not [
        n for n in web.iter("a") if n.attrs.get("class") == "url"
    ]
    assert [name.find("a").attrs["hreflang"] for name in languages_line(web) if name.iter("a")] == ["es", "zh-Hans"]


def test_nothing_to_show_no_end_block() -> None:
    alone = parse(render_leaflet_html(localized("es"), LeafletMeta(updated=dt.date(2026, 12, 6), languages=("es",))))
    assert not [node for node in alone.iter() if node.attrs.get("class") == "availability"]
    assert not alone.iter("svg")
