"""A fresh machine (fontconfig sees DejaVu only, or no font at all; no apt run) builds a PDF in every language with
the right fonts, and everything the pipeline prints itself (list markers, numbering, the draft band, labels) has a
glyph.

The fonts come with the Python environment (Noto packages on PyPI, see ``polyleaf.render.fonts``). The real CLI
runs in a subprocess whose ``FONTCONFIG_FILE`` lists only the DejaVu folder (or an empty one where DejaVu is not
installed), or nothing, so the machine's own fonts cannot hide a missing dependency. Font names are read from the
PDF itself: no poppler needed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

from helpers import polyleaf, polyleaf_process
from pdf_bytes import embedded_fonts
from po_editor import open_po

pytestmark = pytest.mark.slow  # PDFs rendered in fresh processes, each with its own fontconfig

REPO = Path(__file__).resolve().parent.parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LANGUAGES = ("es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar")

SOURCE = """Vertebral venous malformations: what you should know
Bones and writing
Vertebral venous malformations are abnormal clusters of veins in the spine. Diagnosis usually combines **magnetic resonance imaging** and computed tomography.
"""  # noqa: E501
TITLE, HEADING, FIRST, SECOND = (
    "Vertebral venous malformations: what you should know",
    "Bones and writing",
    "Vertebral venous malformations are abnormal clusters of veins in the spine.",
    "Diagnosis usually combines **magnetic resonance imaging** and computed tomography.",
)
# Sentences with what each script must get right: 骨/写 (Simplified forms), stacked Vietnamese marks, Arabic joining.
TRANSLATIONS: dict[str, tuple[str, str, str, str]] = {
    "es": (
        "Malformaciones venosas vertebrales: qué debe saber",
        "Huesos y escritura",
        "Las malformaciones venosas vertebrales son grupos anormales de venas en la columna.",
        "El diagnóstico suele combinar la **resonancia magnética** y la tomografía computarizada.",
    ),
    "fr": (
        "Malformations veineuses vertébrales : ce qu’il faut savoir",
        "Os et écriture",
        "Les malformations veineuses vertébrales sont des amas anormaux de veines dans la colonne.",
        "Le diagnostic associe en général l’**imagerie par résonance magnétique** et la tomodensitométrie.",
    ),
    "pt_BR": (
        "Malformações venosas vertebrais: o que você precisa saber",
        "Ossos e escrita",
        "As malformações venosas vertebrais são aglomerados anormais de veias na coluna.",
        "O diagnóstico geralmente combina **ressonância magnética** e tomografia computadorizada.",
    ),
    "ru": (
        "Венозные мальформации позвонков: что нужно знать",
        "Кости и письмо",
        "Венозные мальформации позвонков — это аномальные скопления вен в позвоночнике.",
        "Для диагностики обычно сочетают **магнитно-резонансную** и компьютерную томографию.",
    ),
    "zh_Hans": (
        "椎体静脉畸形：您需要了解的知识",
        "骨骼与书写",
        "椎体静脉畸形是脊柱骨骼中异常聚集的静脉，请写下您的症状。",
        "诊断通常结合**磁共振成像**和计算机断层扫描。",
    ),
    "vi": (
        "Dị dạng tĩnh mạch đốt sống: những điều bạn cần biết",
        "Xương và chữ viết",
        "Dị dạng tĩnh mạch đốt sống là những cụm tĩnh mạch bất thường, vẫn được ghi nhận ở mặc dù ít gặp.",
        "Việc chẩn đoán thường kết hợp **chụp cộng hưởng từ** và chụp cắt lớp vi tính.",
    ),
    "ar": (
        "التشوهات الوريدية في الفقرات: ما يجب أن تعرفه",
        "العظام والكتابة",
        "التشوهات الوريدية الفقرية هي تجمعات غير طبيعية من الأوردة في العمود الفقري.",
        "يجمع التشخيص عادة بين **التصوير بالرنين المغناطيسي** والتصوير المقطعي المحوسب.",
    ),
}
# What the pipeline prints around the text: numbers, nested list markers (◦ and ▪ by default: in no bundled Latin
# or Arabic font), and, left untranslated, the draft band and labels.
LISTS = """# Lists

1. First step
2. Second step

- Level one
  - Level two
    - Level three
"""
# Families (as WeasyPrint names them in the PDF) that must carry each language's text.
EXPECTED = {
    **dict.fromkeys(("es", "fr", "pt_BR", "ru", "vi"), ("Noto-Serif", "Noto-Sans")),
    "zh_Hans": ("Noto-Serif-SC", "Noto-Sans-SC"),
    "ar": ("Amiri", "Tajawal"),
}


def dejavu_only(folder: Path, *font_dirs: Path) -> dict[str, str]:
    """The environment of a machine whose fontconfig knows DejaVu (and ``font_dirs``) only."""
    dirs = "".join(f"<dir>{path}</dir>" for path in (DEJAVU, *font_dirs))
    config = folder / "fonts.conf"
    config.write_text(f"<fontconfig>{dirs}<cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>\n", "utf-8")
    return {**os.environ, "CI": "true", "FONTCONFIG_FILE": str(config)}


def font_free(folder: Path) -> dict[str, str]:
    """The environment of a machine whose fontconfig lists no font at all: polyleaf's own fonts alone."""
    config = folder / "no-fonts.conf"
    config.write_text(f"<fontconfig><cachedir>{folder / 'fc-cache-none'}</cachedir></fontconfig>\n", "utf-8")
    return {**os.environ, "CI": "true", "FONTCONFIG_FILE": str(config)}


def make_project(root: Path, languages: tuple[str, ...], extra: str = "", *, lists: bool = False) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "source" / "leaflet.txt").write_text(SOURCE, encoding="utf-8")
    if lists:
        (root / "source" / "lists.md").write_text(LISTS, encoding="utf-8")
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    listed = ", ".join(f'"{language}"' for language in languages)
    (root / "polyleaf.toml").write_text(f'languages = [{listed}]\nformats = ["html", "pdf"]\n{extra}', encoding="utf-8")
    update = polyleaf(root, "update")
    assert update.returncode == 0, update.stderr
    for language in languages:
        po_path = root / "locales" / language / "LC_MESSAGES" / "leaflet.po"
        po = open_po(po_path)
        for english, translated in zip((TITLE, HEADING, FIRST, SECOND), TRANSLATIONS[language], strict=True):
            po.find(english).msgstr = translated
        po.save()
    return root


def family_of(font: str) -> str:
    """``Noto-Serif-polyleaf-Bold`` -> ``Noto-Serif``; ``Noto-Sans-SC-polyleaf`` -> ``Noto-Sans-SC``."""
    return re.sub(r"-(polyleaf|Bold|Italic)\b.*", "", font)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, subprocess.CompletedProcess[str]]]:
    root = make_project(tmp_path_factory.mktemp("fresh") / "project", LANGUAGES, lists=True)
    result = polyleaf_process(root, "build", env=dejavu_only(root.parent))
    if "PDF rendering needs" in result.stdout + result.stderr:
        pytest.skip(f"WeasyPrint cannot run here: {result.stdout}{result.stderr}")
    yield root, result


def test_every_language_gets_a_pdf_on_a_dejavu_only_machine(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    root, result = built
    assert result.returncode == 0, result.stderr
    assert "not built" not in result.stdout + result.stderr
    for language in LANGUAGES:
        pdf = (root / "build" / language / f"leaflet.{language}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-"), language
        families = {family_of(font) for font in embedded_fonts(pdf)}
        assert set(EXPECTED[language]) <= families, (language, families)
        assert not any(family.startswith("DejaVu") for family in families), (language, families)  # no fallback


@pytest.fixture(scope="module")
def without_fonts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = make_project(tmp_path_factory.mktemp("bare") / "project", LANGUAGES, lists=True)
    return root, polyleaf_process(root, "build", "--format", "pdf", env=font_free(root.parent))


def test_a_machine_without_any_font_prints_every_language_from_the_bundled_fonts(
    without_fonts: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    root, result = without_fonts
    if "PDF rendering needs" in result.stdout + result.stderr:
        pytest.skip(f"WeasyPrint cannot run here: {result.stdout}{result.stderr}")
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "not built" not in output and "no glyph" not in output, output  # every character has a glyph
    bundled = {family for families in EXPECTED.values() for family in families}
    for language in LANGUAGES:
        for name in ("leaflet", "lists"):
            families = {
                family_of(font)
                for font in embedded_fonts((root / "build" / language / f"{name}.{language}.pdf").read_bytes())
            }
            assert families and families <= bundled, (language, name, families)


def test_a_character_no_font_has_is_a_warning_naming_the_file_and_language(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", ("es",))
    po = open_po(root / "locales" / "es" / "LC_MESSAGES" / "leaflet.po")
    po.find(FIRST).msgstr += " ☤"
    po.save()
    result = polyleaf_process(root, "build", "--format", "pdf", env=font_free(tmp_path))
    if "PDF rendering needs" in result.stdout + result.stderr:
        pytest.skip(f"WeasyPrint cannot run here: {result.stdout}{result.stderr}")
    assert result.returncode == 0, result.stderr
    expected = (
        "build/es/leaflet.es.pdf: '☤' (U+2624 CADUCEUS) has no glyph in the fonts for es: it prints as an empty box"
    )
    assert expected in result.stdout + result.stderr


def test_the_packaged_fonts_are_the_ones_embedded(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = built
    fonts = embedded_fonts((root / "build" / "zh_Hans" / "leaflet.zh_Hans.pdf").read_bytes())
    assert "Noto-Serif-SC-polyleaf" in fonts  # the Song body face for Chinese, from pylopdf-fonts-zh-cn
    assert "Amiri-polyleaf" in embedded_fonts((root / "build" / "ar" / "leaflet.ar.pdf").read_bytes())
    assert "Noto-Serif-polyleaf-Bold" not in fonts  # no Latin bold in a Chinese leaflet's body


def test_html_links_the_fonts_copied_into_build(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    root, _ = built
    build = root / "build"
    for page in [
        build / "index.html",
        *(build / language / name for language in LANGUAGES for name in (f"leaflet.{language}.html", "index.html")),
    ]:
        urls = re.findall(r'src: url\("([^"]+)"\)', page.read_text(encoding="utf-8"))
        assert urls, page
        for url in urls:
            assert not url.startswith(("file:", "/")), url  # relative: the folder can be published as it is
            assert (page.parent / unquote(url)).resolve().is_file(), (page, url)
    copied = sorted(path.name for path in (build / "fonts").iterdir())  # WOFF2 subsets of the packaged files
    assert all(name.endswith(".woff2") for name in copied), copied
    assert any(name.startswith("NotoSerifSC-Regular.") for name in copied)
    assert any(name.startswith("Amiri-Regular.") for name in copied)
    zh = (build / "zh_Hans" / "leaflet.zh_Hans.html").read_text(encoding="utf-8")
    assert "NotoSerifSC-Regular." in zh and "Amiri" not in zh  # a page links only what it uses


def renamed_font(source: Path, family: str, target: Path) -> Path:
    """A copy of a packaged font under another family name: a stand-in for a system or a clinic's font."""
    from fontTools.ttLib import TTFont

    with TTFont(source) as font:
        for record in font["name"].names:
            if record.nameID in (1, 4, 6, 16):
                record.string = family if record.nameID != 6 else family.replace(" ", "")
        target.parent.mkdir(parents=True, exist_ok=True)
        font.save(target)
    return target


def test_system_fonts_come_first_and_leaflet_fonts_before_them(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    from polyleaf.render.fonts import packaged_faces

    tajawal = packaged_faces("Noto Sans Arabic")[0].path  # small, and it has Latin letters too
    system = tmp_path / "system-fonts"
    renamed_font(tajawal, "Noto Sans", system / "NotoSans-Regular.ttf")  # as if Debian's fonts-noto-core were there
    root = make_project(tmp_path / "plain", ("es",))
    result = polyleaf_process(root, "build", "--format", "pdf", env=dejavu_only(tmp_path, system))
    assert result.returncode == 0, result.stderr
    fonts = embedded_fonts((root / "build" / "es" / "leaflet.es.pdf").read_bytes())
    assert "Noto-Sans" in fonts  # the system's family…
    assert not any(font.startswith("Noto-Sans-polyleaf") for font in fonts), fonts  # …not the packaged stand-in
    assert "Noto-Serif-polyleaf" in fonts  # which still stands in for what the system lacks

    house = tmp_path / "house"
    renamed_font(tajawal, "Clinic House", house / "fonts" / "ClinicHouse.ttf")
    root = make_project(house, ("es",), '[leaflet]\nfonts = ["fonts/ClinicHouse.ttf"]\n')
    result = polyleaf_process(root, "build", env=dejavu_only(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Clinic-House" in embedded_fonts((root / "build" / "es" / "leaflet.es.pdf").read_bytes())
    (subset,) = (root / "build" / "fonts").glob("ClinicHouse.*.woff2")  # the web page's subset of the clinic's font
    with TTFont(subset) as font:
        assert font["name"].getDebugName(1) == "Clinic House"
    assert 'font-family: "Clinic House"' in (root / "build" / "es" / "leaflet.es.html").read_text(encoding="utf-8")


def test_a_missing_leaflet_font_file_is_a_config_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", ("es",), '[leaflet]\nfonts = ["fonts/Missing.ttf"]\n')
    cached = sorted((root / "build").rglob("*"))  # the update's segmentation cache, nothing else
    assert all(".cache" in path.relative_to(root / "build").parts for path in cached)
    result = polyleaf_process(root, "build", env=dejavu_only(tmp_path))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "polyleaf: polyleaf.toml: leaflet.fonts: fonts/Missing.ttf: no such font file in the project"
    )
    assert sorted((root / "build").rglob("*")) == cached
