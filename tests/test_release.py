"""Release builds (issue 4): only reviewed text is published, with the disclaimer, QA-clean, and recorded.

A release goes to ``build/release/<lang>/`` (drafts stay in ``build/<lang>/``) and ``build/release.json`` says
which source and catalog each published leaflet was built from. The catalogs are filled with the fake engine
first, so machine-translated text is recognisable (its words are reversed) and can be shown never to leak.
"""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import po_path, polyleaf
from po_editor import open_po
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.errors import RenderError
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.pipeline import runner
from polyleaf.pipeline.build import Outputs
from polyleaf.pipeline.report import Report
from polyleaf.pipeline.sources import disclaimer_text, load_sources
from release_helpers import (
    ARTICLE,
    BUILD,
    DOSE,
    DOSE_SENTENCE,
    MARKUP_SENTENCE,
    OTHER,
    SECOND_SENTENCE,
    TITLE,
    dose_project,
    line_of,
    manifest,
    release,
    review,
    reviewed_text,
    run,
    translated_everything,
)

#: A release.json record says which leaflet version a clinic holds by these (plus the date it was published).
IDENTITY = ("language", "document", "source_sha256", "catalog_sha256", "disclaimer_sha256", "interface_sha256")
FAKE = FakeEngine()


# ----------------------------------------------------------------------------------------------- helpers


def released(root: Path, language: str, name: str, extension: str) -> Path:
    return root / "build" / "release" / language / f"{name}.{language}.{extension}"


def msgids(root: Path, name: str) -> list[str]:
    template = root / "locales" / "templates" / f"{name}.pot"
    return [entry.msgid for entry in open_po(template)]


def published(root: Path) -> list[tuple[str, str]]:
    return [(record["language"], record["document"]) for record in manifest(root)]


def withheld(report: Report, language: str, name: str) -> str:
    """The reason ``language/name`` was withheld ('' when it was not)."""
    prefix = f"{language}/{name}: "
    return next((item.removeprefix(prefix) for item in report.withheld if item.startswith(prefix)), "")


def files(folder: Path) -> dict[Path, tuple[bytes, int]]:
    """Content and mtime of every file under ``folder`` (not the run record, in two files: it names the moment it was
    made at)."""
    return {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in {"run.json", "run-files.json"}
    }


def drafts(root: Path) -> dict[Path, tuple[bytes, int]]:
    return {**files(root / "build" / "es"), **files(root / "build" / "ar")}


def machine_words(*texts: str) -> set[str]:
    """Words only the fake engine writes (reversed, not palindromes), to prove no MT text was published."""
    return {word for text in texts for word in FAKE.translate_one(text).split() if len(word) > 4} - {
        word for text in texts for word in text.split()
    }


class Leaflet(HTMLParser):
    """What matters in a leaflet page: the draft band, unreviewed marks, body text and the disclaimer box."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.classes: list[str] = []
        self.unreviewed = 0
        self.text: list[str] = []
        self.disclaimer: list[str] = []
        self.last_in_main: str = ""
        self._stack: list[str] = []
        self._in_disclaimer = 0
        self._in_main = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.classes += (values.get("class") or "").split()
        self.unreviewed += values.get("data-reviewed") == "false"
        if tag == "main":
            self._in_main = True
        elif self._in_main and tag in ("p", "h2", "h3", "ul", "aside", "blockquote", "hr") and not self._in_disclaimer:
            self.last_in_main = tag
        if tag == "aside" and "disclaimer" in (values.get("class") or ""):
            self._in_disclaimer += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "aside" and self._in_disclaimer:
            self._in_disclaimer -= 1
        if tag == "main":
            self._in_main = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_disclaimer:
            self.disclaimer.append(data)


def plain(markdown: str) -> str:
    return markdown.replace("**", "").replace("*", "")


def disclaimer_msgid(root: Path) -> str:
    return disclaimer_text(load_sources(load_config(root)).disclaimer)


# ----------------------------------------------------------------------------------------------- reviewed only


@pytest.mark.slow
def test_one_unreviewed_sentence_withholds_the_document_until_it_is_reviewed(project: Path) -> None:
    translated_everything(project)
    review(project, "es", ARTICLE, skip={SECOND_SENTENCE})
    before = drafts(project)

    report = release(project)
    reason = withheld(report, "es", ARTICLE)
    assert reason.startswith("1 of 35 segments not reviewed (release threshold 100% reviewed)")
    line = line_of(project, "es", ARTICLE, SECOND_SENTENCE)
    assert f"first: locales/es/LC_MESSAGES/{ARTICLE}.po:{line}" in reason  # where the translator goes next
    for language, name in (("es", OTHER), ("ar", ARTICLE), ("ar", OTHER)):
        assert "segments not reviewed" in withheld(report, language, name)
    assert report.published == []
    assert not released(project, "es", ARTICLE, "txt").exists()
    assert not released(project, "es", ARTICLE, "html").exists()
    assert manifest(project) == []
    assert drafts(project) == before  # the drafts in build/<lang>/ are not touched by a release

    review(project, "es", ARTICLE, only={SECOND_SENTENCE})
    report = release(project)
    assert report.published == [f"es/{ARTICLE}"]
    assert withheld(report, "es", ARTICLE) == ""
    assert published(project) == [("es", ARTICLE)]

    document = load_sources(load_config(project), (ARTICLE,)).documents[0]
    sentences = [segment.text for segment in document.segments if not segment.text.startswith("**Disclaimer")]
    text = released(project, "es", ARTICLE, "txt").read_text(encoding="utf-8")
    assert text.startswith(f"ES: {TITLE}\n")
    assert "Draft" not in text and "Borrador" not in text
    for sentence in sentences:
        assert reviewed_text("es", sentence) in text
    assert not any(word in text for word in machine_words(*sentences, disclaimer_msgid(project)))
    assert text.rstrip("\n").endswith("\n" + reviewed_text("es", disclaimer_msgid(project)))

    page = Leaflet(released(project, "es", ARTICLE, "html").read_text(encoding="utf-8"))
    body = "".join(page.text)
    assert "draft" not in page.classes and "draft-band" not in page.classes
    assert page.unreviewed == 0
    assert plain(reviewed_text("es", SECOND_SENTENCE)) in body
    assert not any(word in body for word in machine_words(*sentences, disclaimer_msgid(project)))
    assert "".join(page.disclaimer).strip() == plain(reviewed_text("es", disclaimer_msgid(project)))
    assert page.last_in_main == "aside"  # the disclaimer closes the leaflet


def test_threshold_publishes_a_mostly_reviewed_document_with_source_text_for_the_rest(project: Path) -> None:
    config = project / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[release]\nthreshold = 90\n", encoding="utf-8")
    translated_everything(project)
    sentences = [msgid for msgid in msgids(project, ARTICLE) if msgid]
    unreviewed = sentences[1:5]  # 4 of 35: 88.6% reviewed
    review(project, "es", ARTICLE, skip=unreviewed)
    reason = withheld(release(project), "es", ARTICLE)
    assert reason.startswith("4 of 35 segments not reviewed (release threshold 90% reviewed)")

    review(project, "es", ARTICLE, only=unreviewed[:1])  # 3 of 35: 91.4% reviewed
    assert release(project).published == [f"es/{ARTICLE}"]
    text = released(project, "es", ARTICLE, "txt").read_text(encoding="utf-8")
    for sentence in unreviewed[1:]:
        assert sentence in text and reviewed_text("es", sentence) not in text  # the English source, as it is
        assert FAKE.translate_one(sentence) not in text  # never the machine translation
    assert reviewed_text("es", unreviewed[0]) in text
    assert "Draft" not in text
    page = Leaflet(released(project, "es", ARTICLE, "html").read_text(encoding="utf-8"))
    assert "draft" not in page.classes and page.unreviewed == 0
    assert not any(word in "".join(page.text) for word in machine_words(*unreviewed))


@pytest.mark.slow
def test_disclaimer_must_be_reviewed_in_the_language(project: Path) -> None:
    run(project, engine=FakeEngine())
    for language in ("es", "ar"):
        for name in (ARTICLE, OTHER, "interface"):
            review(project, language, name)
    report = release(project)
    assert report.published == []
    for language in ("es", "ar"):
        for name in (ARTICLE, OTHER):
            assert withheld(report, language, name) == f"the disclaimer is not reviewed in {language}"

    disclaimer = disclaimer_msgid(project)
    arabic = "**إخلاء المسؤولية:** *هذا المقال لأغراض إعلامية فقط ولا يشكل نصيحة طبية.*"
    review(project, "ar", "disclaimer", text=lambda language, msgid: arabic)
    report = release(project)
    assert sorted(report.published) == [f"ar/{OTHER}", f"ar/{ARTICLE}"]
    assert withheld(report, "es", ARTICLE) == withheld(report, "es", OTHER) == "the disclaimer is not reviewed in es"
    assert {language for language, _ in published(project)} == {"ar"}

    review(project, "es", "disclaimer")
    report = release(project)
    assert report.withheld == []
    assert published(project) == [("ar", OTHER), ("ar", ARTICLE), ("es", OTHER), ("es", ARTICLE)]
    localized = {"es": reviewed_text("es", disclaimer), "ar": arabic}
    for language, name in published(project):
        text = released(project, language, name, "txt").read_text(encoding="utf-8")
        assert text.rstrip("\n").endswith("\n" + localized[language])
        assert text.count(localized[language]) == 1
        assert "informational purposes" not in text.replace(localized[language], "")
        page = Leaflet(released(project, language, name, "html").read_text(encoding="utf-8"))
        assert "".join(page.disclaimer).strip() == plain(localized[language])
        assert page.last_in_main == "aside"


def test_the_leaflets_own_words_must_be_reviewed(project: Path) -> None:
    run(project, engine=FakeEngine())
    for name in (ARTICLE, OTHER, "disclaimer"):
        review(project, "es", name)
    report = release(project)
    # the web page's links and the languages line too
    shown = "'Language', 'Updated', 'Disclaimer', 'All leaflets', 'Other languages', 'Available in'"
    assert f"the leaflet's own words ({shown}) are not reviewed" in withheld(report, "es", ARTICLE)
    review(project, "es", "interface", only={INTERFACE_MESSAGES["updated"]})
    still = "('Language', 'Disclaimer', 'All leaflets', 'Other languages', 'Available in')"
    assert still in withheld(release(project), "es", ARTICLE)
    review(project, "es", "interface")
    report = release(project)
    assert f"es/{ARTICLE}" in report.published
    page = released(project, "es", ARTICLE, "html").read_text(encoding="utf-8")
    assert reviewed_text("es", "Updated") in page and ">Updated<" not in page


@pytest.mark.slow
def test_qa_error_in_a_reviewed_entry_withholds_the_document(project: Path) -> None:
    dose_project(project)
    report = release(project, documents=(DOSE,))
    assert report.published == [f"es/{DOSE}"]  # "2,5 mg" is 2.5 mg in Spanish
    assert polyleaf(project, "check", "--lang", "es", "--doc", DOSE).returncode == 0

    wrong = {DOSE_SENTENCE: "Tome 25 mg del medicamento dos veces al día."}
    review(project, "es", DOSE, only=wrong, text=lambda language, msgid: wrong[msgid])
    line = line_of(project, "es", DOSE, DOSE_SENTENCE)
    diagnostic = f"locales/es/LC_MESSAGES/{DOSE}.po:{line}: error [numbers] 2.5 mg → 25 mg: a number differs"
    report = release(project, documents=(DOSE,))
    assert report.published == []
    assert withheld(report, "es", DOSE) == f"1 QA error in reviewed entries, first: {diagnostic}"
    assert not released(project, "es", DOSE, "txt").exists()  # the earlier release is taken back
    assert not released(project, "es", DOSE, "html").exists()
    assert published(project) == []

    result = polyleaf(project, "check", "--lang", "es", "--doc", DOSE)
    assert result.returncode == 1
    assert diagnostic in result.stdout.splitlines()
    as_json = json.loads(polyleaf(project, "check", "--lang", "es", "--doc", DOSE, "--json").stdout)
    assert {"line": line, "severity": "error", "check": "numbers"}.items() <= as_json[0].items()

    lost = {MARKUP_SENTENCE: "Mantenga todas las tabletas lejos de los niños."}
    review(project, "es", DOSE, only=lost, text=lambda language, msgid: lost[msgid])
    markup_line = line_of(project, "es", DOSE, MARKUP_SENTENCE)
    result = polyleaf(project, "check", "--lang", "es", "--doc", DOSE)
    assert result.returncode == 1
    assert (
        f"locales/es/LC_MESSAGES/{DOSE}.po:{markup_line}: error [markup] **: 2 in the source, 0 in the translation"
        in result.stdout.splitlines()
    )
    assert withheld(release(project, documents=(DOSE,)), "es", DOSE).startswith("2 QA errors in reviewed entries")


def test_qa_errors_in_fuzzy_entries_are_warnings_and_do_not_fail_check(project: Path) -> None:
    dose_project(project)
    path = po_path(project, "ar", DOSE)
    po = open_po(path)
    entry = po.find(DOSE_SENTENCE)
    assert "fuzzy" in entry.flags  # machine-translated, not reviewed
    entry.msgstr = entry.msgstr.replace("2.5", "25")
    po.save()
    line = line_of(project, "ar", DOSE, DOSE_SENTENCE)
    result = polyleaf(project, "check", "--lang", "ar", "--doc", DOSE)
    assert result.returncode == 0, result.stdout
    assert f"locales/ar/LC_MESSAGES/{DOSE}.po:{line}: warning [numbers] 2.5 mg → 25: a number differs" in (
        result.stdout.splitlines()
    )
    assert "0 error(s)" in result.stderr


# ----------------------------------------------------------------------------------------------- manifest


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: What release.json records of a leaflet besides its identity.
RECORDED = ("date", "waived", "reference", "version", "review_by", "files", "imported_as_reviewed")


@pytest.mark.slow
def test_manifest_records_exactly_what_is_published_and_does_not_churn(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # build dates after the sources' mtimes, so the leaflets' "updated" date (the source's) stays the same
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    translated_everything(project)
    review(project, "es", ARTICLE)
    review(project, "es", OTHER)
    review(project, "ar", OTHER, skip={msgids(project, OTHER)[-1]})  # ar: one sentence short
    run(project, steps=frozenset({"extract", "update"}))  # the PO files as polyleaf writes them
    release(project)

    records = manifest(project)
    assert [(r["language"], r["document"]) for r in records] == [("es", OTHER), ("es", ARTICLE)]
    for record in records:
        name = record["document"]
        assert set(record) == {*IDENTITY, *RECORDED}
        assert not record["waived"] and not record["imported_as_reviewed"]  # reviewed here, every entry
        assert record["source_sha256"] == sha256(project / "source" / f"{name}.txt")
        assert record["catalog_sha256"] == catalog.read_po(po_path(project, "es", name)).fingerprint()
        assert record["disclaimer_sha256"] == catalog.read_po(po_path(project, "es", "disclaimer")).fingerprint()
        assert record["date"] == "2030-01-01"

    # the same build again, later: nothing is rewritten, not even the manifest's dates
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893542400")  # 2030-01-02
    before = files(project / "build" / "release") | files(project / "build")
    report = release(project)
    assert report.written == []
    assert files(project / "build" / "release") | files(project / "build") == before

    # an edit that changes no sentence: still published, new source hash, new date
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_bytes(source.read_bytes().replace(b"\nUnderstanding", b"\n\nUnderstanding", 1))
    release(project)
    record = next(r for r in manifest(project) if r["document"] == ARTICLE)
    assert record["source_sha256"] == sha256(source) != records[1]["source_sha256"]
    assert record["date"] == "2030-01-02"
    assert next(r for r in manifest(project) if r["document"] == OTHER) == records[0]  # untouched

    # an edited sentence: its reviewed translation becomes fuzzy, so the document is withheld again
    edited = SECOND_SENTENCE.replace("reduced mobility", "severely reduced mobility")
    source.write_text(source.read_text(encoding="utf-8").replace(SECOND_SENTENCE, edited), encoding="utf-8")
    run(project, steps=frozenset({"extract", "update"}))
    report = release(project)
    assert withheld(report, "es", ARTICLE).startswith("1 of 35 segments not reviewed")
    assert published(project) == [("es", OTHER)]
    assert not released(project, "es", ARTICLE, "html").exists()

    review(project, "es", ARTICLE, only={edited})
    release(project)
    record = next(r for r in manifest(project) if r["document"] == ARTICLE)
    assert record["source_sha256"] == sha256(source)
    assert record["catalog_sha256"] != records[1]["catalog_sha256"]


def test_disclaimer_translation_change_is_a_new_leaflet_version(project: Path) -> None:
    translated_everything(project)
    review(project, "es", ARTICLE)
    release(project)
    [before] = manifest(project)
    review(project, "es", "disclaimer", text=lambda language, msgid: "Aviso: " + msgid)
    release(project)
    [after] = manifest(project)
    assert after["disclaimer_sha256"] != before["disclaimer_sha256"]
    assert after["catalog_sha256"] == before["catalog_sha256"]
    assert "Aviso: " in released(project, "es", ARTICLE, "txt").read_text(encoding="utf-8")


def test_partial_release_builds_keep_the_rest_of_the_manifest(project: Path) -> None:
    translated_everything(project)
    for language in ("es", "ar"):
        review(project, language, ARTICLE)
        review(project, language, OTHER)
    release(project)
    everything = manifest(project)
    assert len(everything) == 4

    report = release(project, documents=(OTHER,))  # polyleaf build --release --doc …
    assert sorted(report.published) == sorted(f"{record['language']}/{record['document']}" for record in everything)
    assert report.written == []  # what it carries over is checked through the release gate, and unchanged
    assert manifest(project) == everything
    assert polyleaf(project, "build", "--release", "--lang", "ar").returncode == 0
    assert manifest(project) == everything
    assert released(project, "es", ARTICLE, "txt").exists()


def test_withdrawn_and_deleted_documents_leave_nothing_behind(project: Path) -> None:
    translated_everything(project)
    review(project, "es", ARTICLE)
    review(project, "es", OTHER)
    release(project)
    index = project / "build" / "release" / "es" / "index.html"
    assert f"{ARTICLE}.es.html" in index.read_text(encoding="utf-8")

    (project / "source" / f"{OTHER}.txt").unlink()  # the coordinator retires an article
    release(project)
    assert published(project) == [("es", ARTICLE)]
    assert not released(project, "es", OTHER, "txt").exists()
    assert not released(project, "es", OTHER, "html").exists()
    assert f"{OTHER}.es.html" not in index.read_text(encoding="utf-8")

    review(project, "es", "disclaimer", text=lambda language, msgid: msgid + " 2")  # a QA error: a new number
    assert release(project).published == []
    assert published(project) == []
    assert not index.exists()  # no page left pointing at leaflets that were taken back
    assert not released(project, "es", ARTICLE, "html").exists()
    folder = project / "build" / "release"
    pages = "".join(page.read_text(encoding="utf-8") for page in folder.rglob("*.html"))
    fonts = sorted(path.name for path in (folder / "fonts").glob("*.woff2"))
    assert fonts and [name for name in fonts if name not in pages] == []  # nor fonts only the taken-back pages used
    listed = (folder / "release.json").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"fonts/([^\"]+\.woff2)", listed))) == fonts  # and the manifest lists those only


def test_cli_release_build_lists_published_and_withheld(project: Path) -> None:
    translated_everything(project)
    review(project, "es", ARTICLE)
    result = polyleaf(project, "build", "--release")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"published es/{ARTICLE}" in lines
    assert any(line.startswith(f"withheld ar/{ARTICLE}: 35 of 35 segments not reviewed") for line in lines)
    assert lines[-2] == "1 leaflet(s) published, 3 withheld" and lines[-1].endswith(" file(s) written")
    as_json = json.loads(polyleaf(project, "build", "--release", "--json").stdout)
    assert as_json["published"] == [f"es/{ARTICLE}"] and as_json["written"] == []
    assert len(as_json["withheld"]) == 3


@pytest.mark.slow
def test_a_release_folder_holds_only_what_the_last_release_built(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translated_everything(project)
    for name in (ARTICLE, OTHER):
        review(project, "es", name)
    release(project)
    assert released(project, "es", ARTICLE, "html").exists()
    # a release in fewer formats removes the older files of the formats it did not build
    runner.run(load_config(project), steps=BUILD, outputs=Outputs(True, ("txt",)))
    assert released(project, "es", ARTICLE, "txt").exists()
    assert not released(project, "es", ARTICLE, "html").exists()
    # a PDF that cannot be rendered now does not leave the previous version beside the new HTML
    (project / "polyleaf.toml").write_text(
        (project / "polyleaf.toml")
        .read_text(encoding="utf-8")
        .replace('formats = ["txt", "html"]', 'formats = ["txt", "html", "pdf"]'),
        encoding="utf-8",
    )
    release(project)
    assert released(project, "es", ARTICLE, "pdf").exists()
    before = {path: path.read_bytes() for path in (project / "build" / "release").rglob("*") if path.is_file()}
    review(project, "es", ARTICLE, text=lambda language, msgid: f"ES second: {msgid}")

    def broken(html: str, base_url: Path | None = None) -> bytes:
        raise RenderError("font 'Noto Sans' is not installed: install the Debian package fonts-noto-core")

    monkeypatch.setattr("polyleaf.render.pdf.render_pdf", broken)
    with pytest.raises(RenderError, match=f"build/release/es/{ARTICLE}.es.pdf: not built: font 'Noto Sans'"):
        release(project)  # a release is whole or not at all: not the new HTML beside no PDF, nor the old PDF
    assert {path: path.read_bytes() for path in (project / "build" / "release").rglob("*") if path.is_file()} == before
