"""A clinic's own leaflet (issue 13, item 10): ``[leaflet]`` organisation, logo, contact block, reference code,
version and review-by date — validated key by key, shown in the leaflet's header and footer (HTML and PDF), in the
footer of every PDF page and in the PDF's metadata, instead of the project's name.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, OTHER, Node, content_project, copied_project, one_line_error, parse, polyleaf
from pdf_bytes import inflated
from polyleaf.config.leaflet import LeafletIdentity
from polyleaf.config.model import load_config
from polyleaf.errors import ConfigError
from polyleaf.pipeline import runner

#: A 2×1 PNG (a logo needs no more to be copied, linked and laid out).
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000020000000108020000007b40e85d0000000f4944415478"
    "9c63e0f5ab6400020007e601c1a34cfb900000000049454e44ae426082"
)
ORGANISATION = "Northside Spine Clinic"
CONTACT = "12 Harbour Road, Northside\nTelephone 020 7946 0000"
CLINIC = f'''languages = ["es", "ar"]
formats = ["txt", "html", "pdf"]

[leaflet]
organisation = "{ORGANISATION}"
logo = "img/logo.png"
contact = """{CONTACT}"""
reference = "NSC-PIL"
version = "2.1"
review_by = 2099-06-30

[leaflet.documents.{ARTICLE}]
reference = "NSC-PIL-014"
'''


def configure(project: Path, text: str) -> Path:
    (project / "polyleaf.toml").write_text(text, encoding="utf-8")
    (project / "img").mkdir(exist_ok=True)
    (project / "img" / "logo.png").write_bytes(LOGO)
    return project


# ----------------------------------------------------------------------------------------------- settings


DATE = "must be a date (YYYY-MM-DD), not"
BAD_SETTINGS = [
    ('organization = "X"', "4: unknown setting 'organization' in [leaflet] (did you mean 'organisation'?)"),
    ("reviewby = 2027-01-01", "4: unknown setting 'reviewby' in [leaflet] (did you mean 'review_by'?)"),
    ('review_by = "30/06/2027"', f"4: leaflet.review_by {DATE} str '30/06/2027'"),
    ("review_by = 2027-06-30T10:00:00", f"4: leaflet.review_by {DATE} a date and time (2027-06-30T10:00:00)"),
    ("review_by = 20270630", f"4: leaflet.review_by {DATE} int 20270630"),
    ("organisation = 3", "4: leaflet.organisation must be a str, not int 3"),
    ('reference = "A\\nB"', "4: leaflet.reference must not contain line breaks or control characters"),
    ('contact = "Tel\\u0007"', "4: leaflet.contact must not contain control characters (U+0007)"),
    ('logo = "img/logo.svg"', "4: leaflet.logo must be a PNG, JPEG, GIF or WebP file, not 'img/logo.svg'"),
    ('logo = "img/missing.png"', "4: leaflet.logo: no such file 'img/missing.png'"),
    ('logo = "../outside.png"', "4: leaflet.logo '../outside.png' is outside the project"),
    (
        "[leaflet.documents.bvna-chronic-low-back]",
        f"3: unknown document 'bvna-chronic-low-back' in [leaflet.documents] (did you mean '{ARTICLE}'?)",
    ),
    (
        f'[leaflet.documents.{ARTICLE}]\nrefrence = "X"',
        f"4: unknown setting 'refrence' in [leaflet.documents.{ARTICLE}] (did you mean 'reference'?)",
    ),
    (
        f'[leaflet.documents.{ARTICLE}]\nreview_by = "2027-13-01"',
        f"4: leaflet.documents.{ARTICLE}.review_by {DATE} str '2027-13-01'",
    ),
]


@pytest.mark.parametrize(("settings", "message"), BAD_SETTINGS)
def test_every_leaflet_setting_is_checked_with_a_one_line_error(project: Path, settings: str, message: str) -> None:
    table = "" if settings.startswith("[") else "[leaflet]\n"
    configure(project, f'languages = ["es"]\nformats = ["txt"]\n{table}{settings}\n')
    (project.parent / "outside.png").write_bytes(LOGO)
    with pytest.raises(ConfigError) as caught:
        load_config(project)
    assert caught.value.line == int(message.split(":")[0])
    assert caught.value.message.startswith(message.split(": ", 1)[1])
    result = polyleaf(project, "run")
    assert result.returncode == 2
    assert one_line_error(result).startswith(f"polyleaf: polyleaf.toml:{message}")
    assert not (project / "locales").exists()


def test_a_logo_symlinked_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    configure(project, CLINIC)
    secret = tmp_path / "secret.png"
    secret.write_bytes(LOGO)
    (project / "img" / "logo.png").unlink()
    (project / "img" / "logo.png").symlink_to(secret)
    result = polyleaf(project, "run")
    assert result.returncode == 2
    assert "leaflet.logo 'img/logo.png' is outside the project" in one_line_error(result)


def test_a_document_has_its_own_reference_and_shares_the_rest(project: Path) -> None:
    leaflet = load_config(configure(project, CLINIC)).leaflet
    assert leaflet.identity(ARTICLE) == LeafletIdentity("NSC-PIL-014", "2.1", dt.date(2099, 6, 30))
    assert leaflet.identity(OTHER) == LeafletIdentity("NSC-PIL", "2.1", dt.date(2099, 6, 30))
    assert leaflet.organisation == ORGANISATION and leaflet.contact == CONTACT
    assert leaflet.logo == project / "img" / "logo.png"
    assert load_config(project).publisher == ORGANISATION


# ----------------------------------------------------------------------------------------------- the leaflet


@pytest.fixture(scope="module")
def first_clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinic's project after one run (PDFs too), shared by the module: ``clinic`` copies it."""
    project = configure(content_project(tmp_path_factory.mktemp("clinic") / "project", CLINIC), CLINIC)
    report = runner.run(load_config(project), engine_factory=lambda config: FakeEngine())
    assert not [warning for warning in report.warnings if "not built" in warning], report.warnings
    return project


@pytest.fixture
def clinic(first_clinic: Path, tmp_path: Path) -> Path:
    return copied_project(first_clinic, tmp_path)


def page(root: Path, language: str, name: str = ARTICLE) -> Node:
    return parse((root / "build" / language / f"{name}.{language}.html").read_text(encoding="utf-8"))


def by_class(node: Node, name: str) -> Node:
    found = [element for element in node.iter() if name in (element.attrs.get("class") or "").split()]
    assert found, f"no .{name}"
    return found[0]


def text(node: Node) -> str:
    return " ".join(node.text().split())


@pytest.mark.slow
def test_the_organisation_logo_and_identity_head_the_leaflet(clinic: Path) -> None:
    assert (clinic / "build" / "assets" / "logo.png").read_bytes() == LOGO
    for language in ("es", "ar"):
        doc = page(clinic, language)
        header = doc.find("header")
        assert text(by_class(header, "project")) == ORGANISATION
        assert "polyleaf" not in text(header) and "project" not in text(header).lower()
        logo = header.find("img")
        assert logo.attrs["src"] == "../assets/logo.png" and logo.attrs["alt"] == ""
        assert (clinic / "build" / language / "../assets/logo.png").resolve().is_file()
        identity = by_class(header, "identity")
        assert "NSC-PIL-014" in text(identity) and "2.1" in text(identity)
        assert identity.find("time").attrs["datetime"] == "2099-06-30"
        metas = {node.attrs.get("name"): node.attrs.get("content") for node in doc.iter("meta")}
        assert metas["author"] == metas["publisher"] == ORGANISATION
        assert (metas["reference"], metas["version"], metas["review-by"]) == ("NSC-PIL-014", "2.1", "2099-06-30")
    other = by_class(page(clinic, "es", OTHER).find("header"), "identity")
    assert "NSC-PIL " in text(other) + " " and "NSC-PIL-014" not in text(other)  # the shared reference


@pytest.mark.slow
def test_the_contact_block_ends_every_leaflet_with_its_lines(clinic: Path) -> None:
    footer = page(clinic, "ar").find("footer")
    assert footer.attrs["class"] == "contact"
    assert text(by_class(footer, "organisation")) == ORGANISATION
    lines = by_class(footer, "contact-lines").elements  # a block per line, each in its own text's direction
    assert [line.text() for line in lines] == CONTACT.splitlines() and {line.attrs["dir"] for line in lines} == {"ltr"}
    body = page(clinic, "ar").find("body").elements
    # the text, a draft's closing band, the languages it is in, contact
    assert [node.tag for node in body][-4:] == ["main", "p", "aside", "footer"]
    assert body[-3].attrs["class"] == "draft-band draft-end" and body[-2].attrs["class"] == "availability"


@pytest.mark.slow
def test_index_pages_carry_the_organisation_and_logo(clinic: Path) -> None:
    site = parse((clinic / "build" / "index.html").read_text(encoding="utf-8"))
    assert site.find("img").attrs["src"] == "assets/logo.png"
    assert text(by_class(site, "project")) == ORGANISATION
    assert ORGANISATION in site.find("title").text()
    language = parse((clinic / "build" / "es" / "index.html").read_text(encoding="utf-8"))
    assert language.find("img").attrs["src"] == "../assets/logo.png"


def test_without_an_organisation_the_project_name_heads_the_leaflet(project: Path) -> None:
    (project / "polyleaf.toml").write_text(
        'languages = ["es"]\nformats = ["html"]\nproject_name = "Spine leaflets"\n', encoding="utf-8"
    )
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine())
    doc = page(project, "es")
    assert text(by_class(doc.find("header"), "project")) == "Spine leaflets"
    assert [node for node in doc.iter() if "identity" in (node.attrs.get("class") or "")] == []
    assert doc.iter("footer") == [] and not (project / "build" / "assets").exists()


@pytest.mark.slow
def test_a_removed_logo_leaves_no_file_behind(clinic: Path) -> None:
    configure(clinic, CLINIC.replace('logo = "img/logo.png"\n', ""))
    runner.run(load_config(clinic), steps=frozenset({"build"}))
    assert list((clinic / "build" / "assets").iterdir()) == []
    assert page(clinic, "es").find("header").iter("img") == []


def test_a_passed_review_by_date_is_a_warning(project: Path) -> None:
    configure(project, CLINIC.replace("2099-06-30", "2020-01-31").replace('"txt", "html", "pdf"', '"txt"'))
    report = runner.run(load_config(project), engine_factory=lambda config: FakeEngine())
    assert f"source/{ARTICLE}.txt: the leaflet's review-by date 2020-01-31 has passed" in " ".join(report.warnings)


# ----------------------------------------------------------------------------------------------- the PDF


def pdf_of(root: Path, language: str) -> bytes:
    path = root / "build" / language / f"{ARTICLE}.{language}.pdf"
    if not path.exists():
        pytest.skip("the PDF could not be built here (WeasyPrint/Pango)")
    return path.read_bytes()


@pytest.mark.slow
def test_the_pdf_metadata_names_the_organisation_and_the_printed_version(clinic: Path) -> None:
    info = inflated(pdf_of(clinic, "es"))
    assert f"/Author ({ORGANISATION})".encode() in info
    assert f"/publisher ({ORGANISATION})".encode() in info
    assert b"/reference (NSC-PIL-014)" in info and b"/version (2.1)" in info and b"/reviewby (2099-06-30)" in info
    assert b"polyleaf" not in re.sub(rb"/Creator \(polyleaf [^)]*\)", b"", info.split(b"/Author", 1)[1][:400])


@pytest.mark.slow
@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_pdf_page_has_the_reference_version_and_review_date_in_its_footer(clinic: Path, language: str) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = clinic / "build" / language / f"{ARTICLE}.{language}.pdf"
    pdf_of(clinic, language)
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages_text = pages.split("\f")[:-1]
    assert len(pages_text) >= 2  # the footer is shown on more than the first page
    for number, sheet in enumerate(pages_text, 1):
        assert "NSC-PIL-014" in sheet and "2.1" in sheet and "2099" in sheet, number
        counter = (f"{number}/{len(pages_text)}", f"{len(pages_text)}/{number}")  # right to left: as Arabic reads
        bare = re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", sheet)  # bidi marks of ActualText aside
        assert any(shown in bare for shown in counter), number
    last = pages_text[-1].replace("\u2068", "").replace("\u2069", "")
    assert "Telephone 020 7946 0000" in last and ORGANISATION in last  # the contact block
