"""Reviewed Arabic leaflets, and how much of their text PDF readers give back.

The project: this repository's seed articles and ``data/arabic/pain-relief-after-ablation.md`` (a table, links,
Latin names, quantities, a phone number), a clinic's contact block, and every Arabic PO entry filled from the
hand-written, reviewed translations of ``data/arabic/reviewed.ar.po``. Shared by ``test_rtl_text.py`` and
``benchmarks/arabic_extraction.py``.

A segment "comes back" when its reviewed text is found in the text a reader extracts from the PDF, after NFKC and
without format characters (category Cf: the embedding marks pdftotext adds, the bidi marks of ``pdf_order``, the
joiner a kashida maps to): ``exact`` (issue 20's measure) as written, whitespace aside (a line may break inside a
word). Two looser measures tell what the rest misses: ``words``, its words in order, punctuation and brackets aside;
``words_unvowelled``, also without the Arabic vowel marks and tatweel. And each segment a reader misses is put
down to what limits it (``limit``): its vowel marks, a Latin or numeric run in a right-to-left line, or other.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from po_editor import open_po
from polyleaf.cli import main
from polyleaf.render.inline import plain_text

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "arabic"
MARKDOWN = "pain-relief-after-ablation"
CONTACT = ("12 Harbour Road, Northside", "Telephone 020 7946 0000")
CONFIG = f'''languages = ["ar"]
formats = ["txt", "html", "pdf"]

[leaflet]
organisation = "Northside Spine Clinic"
contact = """{CONTACT[0]}
{CONTACT[1]}"""
reference = "NSC-PIL"
version = "2.1"
'''
METRICS = ("exact", "words", "words_unvowelled")
LIMITS = ("vowel marks", "left-to-right run", "other")

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = re.compile(rf"[\w{_MARKS}]+")
_SPACE_BEFORE_MARK = re.compile(rf"\s+(?=[{_MARKS}])")
_MARK_OR_TATWEEL = re.compile(rf"[{_MARKS}\u0640]")
_MARKS_AND_GAPS = re.compile(rf"\s*[{_MARKS}\u0640]+\s*")
_LEFT_TO_RIGHT = re.compile(r"[A-Za-z0-9]")


def make_project(root: Path, runner: CliRunner | None = None) -> Path:
    """The project at ``root``, its Arabic catalogs filled with the reviewed translations (nothing built yet)."""
    runner = runner or CliRunner()
    (root / "source").mkdir(parents=True)
    for path in (REPO / "source").iterdir():
        shutil.copyfile(path, root / "source" / path.name)
    shutil.copyfile(DATA / f"{MARKDOWN}.md", root / "source" / f"{MARKDOWN}.md")
    (root / "polyleaf.toml").write_text(CONFIG, encoding="utf-8")
    result = runner.invoke(main, ["--project", str(root), "update"])
    assert result.exit_code == 0, result.output
    reviewed = {entry.msgid: entry.msgstr for entry in open_po(DATA / "reviewed.ar.po")}
    for path in sorted((root / "locales" / "ar" / "LC_MESSAGES").glob("*.po")):
        po = open_po(path)
        for entry in po:
            if entry.msgid in reviewed and not entry.obsolete:
                entry.msgstr = reviewed[entry.msgid]
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        po.save()
    return root


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdfium(pdf: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


READERS: dict[str, Callable[[Path], str]] = {"pdftotext": pdftotext, "pypdfium2": pdfium}


def comparable(text: str) -> str:
    """NFKC, format characters dropped, runs of spaces one space, line breaks kept."""
    text = "".join(char for char in unicodedata.normalize("NFKC", text) if unicodedata.category(char) != "Cf")
    text = re.sub(r"[^\S\n]+", " ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r" ?\n ?", "\n", text)


def printed(msgstr: str) -> str:
    """A translation as a PDF prints it: markup gone, a link's URL after its text in brackets."""
    with_urls = _LINK.sub(lambda match: f"{match.group(1)} ({match.group(2)})", msgstr)
    return " ".join(comparable(plain_text(with_urls)).split())


def words(text: str, *, vowels: bool = True) -> str:
    """The words of ``text`` joined by single spaces (with spaces around, to match whole words)."""
    if not vowels:
        text = _MARK_OR_TATWEEL.sub("", _SPACE_BEFORE_MARK.sub("", text))
    return f" {' '.join(_WORD.findall(text))} "


def _exact(segment: str) -> re.Pattern[str]:
    """``segment`` with any whitespace where it has a space, and an optional line break inside words."""
    parts = []
    for index, char in enumerate(segment):
        if char == " ":
            parts.append(r"\s+")
            continue
        parts.append(re.escape(char))
        if index + 1 < len(segment) and segment[index + 1] != " ":
            parts.append("\n?")
    return re.compile("".join(parts))


def limit(segment: str, text: str) -> str:
    """What keeps ``segment`` from coming back exactly in ``text``: ``vowel marks`` when it is found once the vowel
    marks (and tatweel) and the spaces around them are taken out of both (a reader cut a word at a mark or moved
    it), ``left-to-right run`` for a segment with Latin letters or digits (readers reorder such runs in a
    right-to-left line by their own rules), else ``other``."""
    if _exact(_MARKS_AND_GAPS.sub("", segment)).search(_MARKS_AND_GAPS.sub("", text)):
        return LIMITS[0]
    return LIMITS[1] if _LEFT_TO_RIGHT.search(segment) else LIMITS[2]


@dataclass
class Scores:
    """Segments that came back, per reader and metric, the ones that did not, and what limits them per reader."""

    total: int = 0
    found: dict[tuple[str, str], int] = field(default_factory=dict)
    missed: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    limits: dict[str, dict[str, int]] = field(default_factory=dict)

    def share(self, reader: str, metric: str) -> float:
        return self.found.get((reader, metric), 0) / self.total if self.total else 0.0


def reviewed_segments(root: Path) -> Iterator[tuple[str, str]]:
    """(document, printed text) of every reviewed Arabic segment a leaflet shows, the disclaimer in each."""
    catalogs = root / "locales" / "ar" / "LC_MESSAGES"
    disclaimer = [entry.msgstr for entry in open_po(catalogs / "disclaimer.po") if entry.msgstr]
    for path in sorted(catalogs.glob("*.po")):
        if path.stem in ("disclaimer", "interface"):
            continue
        entries = [entry.msgstr for entry in open_po(path) if entry.msgstr and "fuzzy" not in entry.flags]
        for msgstr in (*entries, *disclaimer):
            yield path.stem, printed(msgstr)


def score(root: Path, build: Path) -> Scores:
    """How many of the reviewed segments each reader gives back from the PDFs in ``build`` (``<doc>.ar.pdf``)."""
    scores = Scores()
    texts: dict[str, dict[str, str]] = {}
    for document, segment in reviewed_segments(root):
        pdf = build / f"{document}.ar.pdf"
        if not pdf.exists():
            continue
        if document not in texts:
            texts[document] = {reader: comparable(read(pdf)) for reader, read in READERS.items()}
        scores.total += 1
        for reader, text in texts[document].items():
            checks = {
                "exact": bool(_exact(segment).search(text)),
                "words": words(segment) in words(text),
                "words_unvowelled": words(segment, vowels=False) in words(text, vowels=False),
            }
            for metric, ok in checks.items():
                key = (reader, metric)
                scores.found[key] = scores.found.get(key, 0) + ok
                if not ok:
                    scores.missed.setdefault(key, []).append(f"{document}: {segment}")
            if not checks["exact"]:
                limits = scores.limits.setdefault(reader, dict.fromkeys(LIMITS, 0))
                limits[limit(segment, text)] += 1
    return scores


def bundled_fonts_only(folder: Path) -> dict[str, str]:
    """The environment of a machine whose fontconfig lists no font: the PDFs are set in polyleaf's own fonts alone,
    whatever the machine has installed (a system "Noto Naskh Arabic" takes part of the Arabic text otherwise).
    Fontconfig reads it once per process: for a subprocess, or before anything is rendered."""
    config = folder / "no-fonts.conf"
    config.write_text(f"<fontconfig><cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}


def visual_lines(pdf: Path) -> list[str]:
    """Each line of each page as the glyphs sit on it, left to right (Arabic letters therefore reversed): what the
    reader's eye sees, whatever order an extractor would give (the ``ActualText`` of spans set aside: pdfium lays
    a span's text out over its glyphs in its own order)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    lines: list[str] = []
    try:
        for page in document:
            _drop_actual_text(page)
            text = page.get_textpage()
            placed: list[tuple[float, float, str]] = []  # each char's height on the page, left edge, char
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                left, bottom, right, top = text.get_charbox(index, loose=True)
                if char.strip() or right > left:
                    placed.append(((bottom + top) / 2, left, char))
            rows: list[list[tuple[float, float, str]]] = []
            for item in sorted(placed, reverse=True):  # from the top: a row takes what sits within 3 pt of its start
                if rows and rows[-1][0][0] - item[0] <= 3:
                    rows[-1].append(item)
                else:
                    rows.append([item])
            lines += ["".join(char for _, _, char in sorted(row, key=lambda item: item[1])) for row in rows]
    finally:
        document.close()
    return lines


def _drop_actual_text(page: Any) -> None:
    """Removes, in memory, the marked-content marks that carry an ``ActualText`` from the page's objects."""
    import pypdfium2

    pdfium = pypdfium2.raw
    for item in page.get_objects():
        marks = [
            pdfium.FPDFPageObj_GetMark(item.raw, index) for index in range(pdfium.FPDFPageObj_CountMarks(item.raw))
        ]
        for mark in marks:
            if pdfium.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != pdfium.FPDF_OBJECT_UNKNOWN:
                pdfium.FPDFPageObj_RemoveMark(item.raw, mark)
