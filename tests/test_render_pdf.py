"""PDF output through WeasyPrint, checked with poppler-utils: real text in reading order, embedded fonts, metadata.

Needs poppler-utils and Pango (libpango-1.0-0, libpangoft2-1.0-0); the fonts come with the Python environment
(system Noto fonts are used instead where installed). The tests skip, saying why, only when WeasyPrint cannot load
Pango or poppler-utils is missing.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
import shutil
import socket
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pdf_bytes import inflated
from polyleaf.errors import RenderError
from polyleaf.localize import LocalizedBlock, LocalizedDocument
from polyleaf.render import fontconfig
from polyleaf.render import pdf as pdf_module
from polyleaf.render.html import render_leaflet_html
from polyleaf.render.meta import LeafletMeta
from polyleaf.render.pdf import render_pdf
from polyleaf.source.document import Document

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")

# Short real translations (the second paragraph of each carries inline markup and is unreviewed).
TEXTS: dict[str, dict[str, Any]] = {
    "es": {
        "title": "Malformaciones venosas vertebrales: qué debe saber",
        "heading": "Diagnóstico",
        "sentences": [
            "Las malformaciones venosas vertebrales son grupos anormales de venas en la columna.",
            "El diagnóstico suele combinar la **resonancia magnética** y la tomografía computarizada.",
        ],
        "disclaimer": "**Aviso:** *Este folleto es solo informativo y no sustituye el consejo de su médico.*",
    },
    "ar": {
        "title": "التشوهات الوريدية في الفقرات: ما يجب أن تعرفه",
        "heading": "التشخيص",
        "sentences": [
            "التشوهات الوريدية الفقرية هي تجمعات غير طبيعية من الأوردة في العمود الفقري.",
            "يجمع التشخيص عادة بين **التصوير بالرنين المغناطيسي** والتصوير المقطعي المحوسب.",
        ],
        "disclaimer": "**تنبيه:** *هذه النشرة لأغراض إعلامية فقط ولا تغني عن استشارة طبيبك.*",
        # vowel marks (tanween, damma, shadda) are drawn raised: see test_arabic_vowelled_words_are_extracted
        "vowelled": "يُجرى الإجراء عادةً في العيادات الخارجية ويستغرق ساعةً تقريبًا.",
    },
    "zh_Hans": {
        "title": "椎体静脉畸形：您需要了解的知识",
        "heading": "诊断",
        "sentences": [
            "椎体静脉畸形是脊柱中异常聚集的静脉。",
            "诊断通常结合**磁共振成像**和计算机断层扫描。",
        ],
        "disclaimer": "**提示：** *本手册仅供参考，不能代替医生的建议。*",
    },
    "vi": {
        "title": "Dị dạng tĩnh mạch đốt sống: những điều bạn cần biết",
        "heading": "Chẩn đoán",
        "sentences": [
            "Dị dạng tĩnh mạch đốt sống là những cụm tĩnh mạch bất thường trong cột sống.",
            "Việc chẩn đoán thường kết hợp *chụp cộng hưởng từ* và chụp cắt lớp vi tính.",
        ],
        "disclaimer": (
            "**Lưu ý:** *Tờ thông tin này chỉ nhằm mục đích tham khảo, không thay thế lời khuyên của bác sĩ.*"
        ),
    },
    "ru": {
        "title": "Венозные мальформации позвонков: что нужно знать",
        "heading": "Диагностика",
        "sentences": [
            "Венозные мальформации позвонков — это аномальные скопления вен в позвоночнике.",
            "Для диагностики обычно сочетают **магнитно-резонансную** и компьютерную томографию.",
        ],
        "disclaimer": "**Внимание:** *Эта памятка носит справочный характер и не заменяет совет врача.*",
    },
}


def leaflet_html(language: str, *, draft: bool = True, page_size: str = "A4", shown_as: str = "") -> str:
    """A leaflet of ``TEXTS[language]``, tagged as ``shown_as`` when given (to test other fonts' absence)."""
    text = TEXTS[language]
    first, second = text["sentences"]
    blocks: tuple[LocalizedBlock, ...] = (
        LocalizedBlock("title", text["title"]),
        LocalizedBlock("paragraph", first),
        LocalizedBlock("heading", text["heading"], level=2),
        LocalizedBlock("paragraph", second, reviewed=False),
    )
    if "vowelled" in text:
        blocks += (LocalizedBlock("paragraph", text["vowelled"]),)
    leaflet = LocalizedDocument(
        source=Document(Path("bvn-ablation-vertebral-venous-malformations.txt"), "txt", "", ()),
        language=shown_as or language,
        title=text["title"],
        blocks=blocks,
        disclaimer=text["disclaimer"],
        labels=(),
        unreviewed=1 if draft else 0,
        total=4,
        release=not draft,
        draft_notice="Draft — 1 of 4 segments is not reviewed" if draft else "",
        draft_banner="DRAFT — not for patients" if draft else "",
    )
    meta = LeafletMeta(updated=dt.date(2026, 3, 5), page_size=page_size, project="Northside Spine Clinic")
    return render_leaflet_html(leaflet, meta)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """Every sample rendered once (WeasyPrint's first layout is slow); fontconfig caches kept in tmp."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"poppler-utils is not installed ({', '.join(missing)} missing): apt-get install poppler-utils")
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CACHE_HOME", str(home / "cache"))
        rendered: dict[str, bytes] = {}
        for language in TEXTS:
            rendered[language] = _render_or_skip(leaflet_html(language))
        rendered["es-letter"] = _render_or_skip(leaflet_html("es", page_size="Letter"))
        yield rendered


def _render_or_skip(html: str) -> bytes:
    try:
        return render_pdf(html)
    except RenderError as error:
        if "Pango" in error.message or "WeasyPrint" in error.message:
            pytest.skip(f"WeasyPrint cannot run here: {error.message}")
        raise


def poppler(tool: str, data: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(data)
    target = [str(path), "-"] if tool == "pdftotext" else [str(path)]
    result = subprocess.run([tool, *args, *target], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def plain(markdown: str) -> str:
    return re.sub(r"[*_`]", "", markdown)


_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def squeeze(text: str) -> str:
    """Text for comparison: NFKC (a ligature's presentation form is its letters), no bidi controls, no Arabic vowel
    marks, no whitespace (line breaks vary)."""
    text = unicodedata.normalize("NFKC", text).translate(_BIDI_CONTROLS)
    text = "".join(ch for ch in text if not ("\u064b" <= ch <= "\u065f" or ch == "\u0670"))
    return "".join(text.split())


def arabic_pattern(sentence: str) -> re.Pattern[str]:
    """The sentence in logical order, lam-alef included (its ligature glyph maps to one presentation form, which
    extractors cannot reverse; see ``render.pdf_text``)."""
    return re.compile(re.escape(squeeze(sentence)))


def in_reading_order(language: str) -> list[str]:
    text = TEXTS[language]
    return [text["title"], text["sentences"][0], text["heading"], text["sentences"][1], text["disclaimer"]]


# --- the PDFs --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_pdf_has_pages_and_metadata(language: str, pdfs: dict[str, bytes], tmp_path: Path) -> None:
    info = poppler("pdfinfo", pdfs[language], tmp_path)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages > 0
    assert re.search(r"^Title:\s+(.*)$", info, re.MULTILINE).group(1) == TEXTS[language]["title"]  # type: ignore[union-attr]
    assert "Author:          Northside Spine Clinic" in info
    assert "Creator:         polyleaf" in info
    assert "A4" in info
    assert f"/Lang ({language.replace('_', '-')})".encode() in inflated(pdfs[language])


def test_letter_page_size(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    assert "612 x 792 pts (letter)" in poppler("pdfinfo", pdfs["es-letter"], tmp_path)


@pytest.mark.parametrize("language", ["es", "vi", "ru", "zh_Hans"])
def test_text_is_real_and_in_reading_order(language: str, pdfs: dict[str, bytes], tmp_path: Path) -> None:
    text = squeeze(poppler("pdftotext", pdfs[language], tmp_path))
    positions = [text.find(squeeze(plain(sentence))) for sentence in in_reading_order(language)]
    assert all(position >= 0 for position in positions), (positions, text)
    assert positions == sorted(positions)


def test_arabic_text_is_extracted_in_logical_order(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    raw = poppler("pdftotext", pdfs["ar"], tmp_path)
    text = squeeze(raw)
    positions = []
    for sentence in in_reading_order("ar"):
        match = arabic_pattern(plain(sentence)).search(text)
        assert match, (sentence, raw)
        positions.append(match.start())
    assert positions == sorted(positions)
    # Logical order: the first word of the sentence comes before its last word (visual order would reverse them).
    assert text.index("التشوهات") < text.index("الفقري")


def test_arabic_vowelled_words_are_extracted(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    """WeasyPrint draws raised vowel marks with a text rise, and pdftotext then takes them (and can take the words
    around them) for a separate line; so for vowelled text only check that every word is there, in logical order.
    """
    lines = [squeeze(line) for line in poppler("pdftotext", pdfs["ar"], tmp_path).splitlines()]
    for word in TEXTS["ar"]["vowelled"].rstrip(".").split():
        assert any(arabic_pattern(word).search(line) for line in lines), word


@pytest.mark.parametrize(
    ("language", "needed"),
    [  # body and heading face: the system's Noto font, or the packaged one standing in for it
        ("ar", [("NotoNaskhArabic", "Amiripolyleaf"), ("NotoSansArabic", "Tajawalpolyleaf")]),
        ("zh_Hans", [("NotoSerifCJKSC", "NotoSerifSCpolyleaf"), ("NotoSansCJKSC", "NotoSansSCpolyleaf")]),
        ("vi", [("NotoSerif",), ("NotoSans",)]),
        ("ru", [("NotoSerif",), ("NotoSans",)]),
    ],
)
def test_fonts_are_embedded(
    language: str, needed: list[tuple[str, ...]], pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    rows = poppler("pdffonts", pdfs[language], tmp_path).splitlines()[2:]
    fonts = {row.split()[0].split("+", 1)[-1].replace("-", ""): row.split()[-5] for row in rows}
    for families in needed:
        assert any(name.startswith(families) for name in fonts), (families, fonts)
    assert set(fonts.values()) == {"yes"}, rows  # every font embedded
    assert not any(name.startswith("DejaVu") for name in fonts), fonts  # no glyph fell back to DejaVu


def test_pdf_is_deterministic(pdfs: dict[str, bytes]) -> None:
    assert render_pdf(leaflet_html("es")) == pdfs["es"]


def test_rendering_never_touches_the_network(
    pdfs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access while rendering")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = leaflet_html("es").replace(
        "</main>",
        '<img src="https://example.org/pixel.png"><link rel="stylesheet" href="http://example.org/x.css"></main>',
    )
    assert render_pdf(html, base_url=tmp_path).startswith(b"%PDF-")


# --- failures that must say what to install -------------------------------------------------------------------------


def test_missing_cjk_font_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """polyleaf brings Simplified Chinese fonts; Traditional Chinese needs the system's."""
    monkeypatch.setattr(fontconfig, "missing_families", lambda families: [f for f in families if "CJK" in f])
    render_pdf(leaflet_html("zh_Hans"))  # packaged fonts stand in
    with pytest.raises(RenderError) as caught:
        render_pdf(leaflet_html("zh_Hans", shown_as="zh_Hant"))
    message = str(caught.value)
    assert message == "font 'Noto Serif CJK TC' for zh-Hant is not installed: install the Debian package fonts-noto-cjk"


def test_missing_hebrew_font_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontconfig, "missing_families", lambda families: [f for f in families if "Hebrew" in f])
    with pytest.raises(RenderError, match=r"'Noto Serif Hebrew' for he is not installed: .* fonts-noto-core"):
        render_pdf(leaflet_html("ar", shown_as="he"))


def test_missing_pango_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "unavailable_families", lambda stack: [])
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(RenderError) as caught:
        render_pdf("<html lang=en><title>x</title></html>")
    message = str(caught.value)
    assert "libpango-1.0-0" in message
    assert "\n" not in message


def test_fontconfig_knows_installed_and_unknown_families(pdfs: dict[str, bytes]) -> None:
    from polyleaf.render.fontconfig import missing_families

    if not Path("/usr/share/fonts/truetype/dejavu").is_dir():
        pytest.skip("DejaVu fonts are not installed (fonts-dejavu-core): no family known to be there")
    assert missing_families(["No Such Font Family 0xDEAD", "DejaVu Sans"]) == ["No Such Font Family 0xDEAD"]


def test_a_leaflet_with_images_is_the_same_pdf_in_any_project_folder(tmp_path: Path) -> None:
    """A PDF names each image by a hash of its URL: with the real folder's path, the same leaflet built in two
    copies of a project (a clinic's CI checkout, a colleague's machine) differed. Images next to the leaflet and the
    clinic's logo in the build folder (``../``) are still read from the real folders, spaces and accents included."""
    from PIL import Image

    html = (
        '<html lang="en"><body><p><img src="../logo.png" alt="Clinic"></p><p>Keep moving.</p>'
        '<p><img src="img/stretch.png" alt="A stretch"></p></body></html>'
    )
    rendered = []
    for project in (tmp_path / "one", tmp_path / "two copies" / "clínica"):
        folder = project / "build" / "es"
        (folder / "img").mkdir(parents=True)
        Image.new("RGB", (40, 30), (200, 10, 10)).save(folder / "img" / "stretch.png")
        Image.new("RGB", (20, 20), (10, 10, 200)).save(project / "build" / "logo.png")
        rendered.append(_render_or_skip_at(html, folder))
    assert rendered[0] == rendered[1]
    assert len(re.findall(rb"/Subtype\s*/Image", inflated(rendered[0]))) == 2  # both read, neither left out


def _render_or_skip_at(html: str, folder: Path) -> bytes:
    try:
        return render_pdf(html, base_url=folder)
    except RenderError as error:
        if "Pango" in error.message or "WeasyPrint" in error.message:
            pytest.skip(f"WeasyPrint cannot run here: {error.message}")
        raise


def test_a_leaflets_folder_may_have_any_name(tmp_path: Path) -> None:
    """The folder's name is part of the URL WeasyPrint is given: a ``#`` or ``?`` in it would end the URL's path, and
    no image next to the leaflet, nor the logo above it, would be found."""
    from PIL import Image

    folder = tmp_path / "build" / "leaflets #2?"
    (folder / "img").mkdir(parents=True)
    Image.new("RGB", (40, 30), (200, 10, 10)).save(folder / "img" / "stretch.png")
    Image.new("RGB", (20, 20), (10, 10, 200)).save(tmp_path / "build" / "logo.png")
    images = '<img src="../logo.png" alt="Clinic"><img src="img/stretch.png" alt="A stretch">'
    html = f'<html lang="en"><body><p>{images}</p></body></html>'
    pdf = inflated(_render_or_skip_at(html, folder))
    assert sorted(re.findall(rb"/Width (\d+)", pdf)) == [b"20", b"40"]


@pytest.mark.parametrize(
    "href",
    ["file://{secret}", "../../../../../../../..{secret}", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e{secret}"],
)
def test_an_image_cannot_pull_a_file_from_outside_the_build_folder_into_the_pdf(tmp_path: Path, href: str) -> None:
    """WeasyPrint reads a file it cannot read as a raster image as SVG, whatever its name: an SVG saved as
    ``chart.png`` could embed any file of the machine in the PDF (a photo from the home folder). The leaflet's
    document reads files of the build folder only."""
    from PIL import Image

    secret = tmp_path / "home" / "private.png"
    secret.parent.mkdir()
    Image.new("RGB", (77, 55), (1, 2, 3)).save(secret)
    folder = tmp_path / "project" / "build" / "es"
    (folder / "img").mkdir(parents=True)
    Image.new("RGB", (40, 30), (200, 10, 10)).save(folder / "img" / "stretch.png")
    disguised = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="60"><image width="77" height="55" href="{}"/></svg>'
    )
    (folder / "img" / "chart.png").write_text(disguised.format(href.format(secret=secret)), encoding="utf-8")
    images = '<img src="img/chart.png" alt="A chart"><img src="img/stretch.png" alt="A stretch">'
    pdf = inflated(_render_or_skip_at(f'<html lang="en"><body><p>{images}</p></body></html>', folder))
    assert re.findall(rb"/Width (\d+)", pdf) == [b"40"]
