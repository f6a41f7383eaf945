"""A number never leaves its unit, nor a range its ends, in HTML and PDF (issue 20, item 6): each quantity QA reads
(``qa.quantities``) is a non-wrapping span at render time, the PO text untouched, and table columns size by them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import Markup

from po_editor import open_po
from polyleaf.cli import main
from polyleaf.render.nowrap import keep_together, quantity_runs
from polyleaf.render.pdf import render_pdf

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "language", "kept"),
    [
        ("Take 50 mg (2,5 / ml) with food.", "en", ["50 mg", "2,5 / ml"]),
        ("De 200 a 400 mg cada 6 a 8 horas.", "es", ["200 a 400 mg", "6 a 8 horas"]),
        ("Paracetamol oral suspension (250 mg / 5 ml), 10–20 ml", "en", ["250 mg / 5 ml", "10–20 ml"]),
        ("Entre 5 et 10 mg par jour.", "fr", ["5 et 10 mg"]),
        ("تناول من 200 إلى 400 mg كل 6 إلى 8 ساعات", "ar", ["200 إلى 400 mg", "6 إلى 8 ساعات"]),
        ("每次200毫克", "zh_Hans", ["200毫克"]),
        ("In 2026, room 12 and 020 7946 0000.", "en", []),  # numbers that count nothing wrap as they please
    ],
)
def test_quantities_with_their_units_and_ranges(text: str, language: str, kept: list[str]) -> None:
    assert [text[start:end] for start, end in quantity_runs(text, language)] == kept


def test_spans_cross_inline_markup_and_keep_it() -> None:
    html = keep_together(Markup("Take <strong>50 mg</strong> or <em>200</em> to 400 mg &amp; rest."), "en")
    assert html == (
        'Take <strong><span class="quantity">50 mg</span></strong> or '
        '<span class="quantity"><em>200</em> to 400 mg</span> &amp; rest.'
    )


SOURCE = """# Doses

| Medicine | Adults | Children | Night | Maximum | Liquid |
|---|---|---|---|---|---|
| Ibuprofen | 200 to 400 mg | 5 to 10 mg | 30 mg | 1200 mg | 50 mg (2.5 / ml) |

Children take 5 to 10 mg per kilogram of body weight, adults 200 to 400 mg.
"""
SPANISH = {
    "Doses": "Dosis",
    "Medicine": "Medicamento",
    "Adults": "Adultos",
    "Children": "Niños",
    "Night": "Noche",
    "Maximum": "Máximo",
    "Liquid": "Líquido",
    "Ibuprofen": "Ibuprofeno",
    "200 to 400 mg": "De 200 a 400 mg",
    "5 to 10 mg": "De 5 a 10 mg",
    "30 mg": "30 mg",
    "1200 mg": "1200 mg",
    "50 mg (2.5 / ml)": "50 mg (2,5 / ml)",
    "Children take 5 to 10 mg per kilogram of body weight, adults 200 to 400 mg.": (
        "Los niños toman de 5 a 10 mg por kilogramo de peso corporal, los adultos de 200 a 400 mg."
    ),
}
IN_ONE_PIECE = ("200 a 400 mg", "5 a 10 mg", "1200 mg", "2,5 / ml", "50 mg")


@pytest.mark.slow
def test_a_narrow_table_never_breaks_a_dose(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    (root / "source" / "doses.md").write_text(SOURCE, encoding="utf-8")
    shutil.copyfile(REPO / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "polyleaf.toml").write_text('languages = ["es"]\nformats = ["html"]\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(root), "update"]).exit_code == 0
    po = open_po(root / "locales" / "es" / "LC_MESSAGES" / "doses.po")
    for entry in po:
        entry.msgstr = SPANISH.get(entry.msgid, entry.msgstr)
    po.save()
    result = runner.invoke(main, ["--project", str(root), "build"])
    assert result.exit_code == 0, result.output
    page = root / "build" / "es" / "doses.es.html"
    html = page.read_text(encoding="utf-8")
    assert '<td><span class="quantity">De 200 a 400 mg</span></td>' not in html  # "De" may wrap…
    assert 'De <span class="quantity">200 a 400 mg</span>' in html  # …the range may not
    assert "De 200 a 400 mg" in po.path.read_text(encoding="utf-8")  # the PO text is never changed

    def lines(html: str) -> str:
        pdf = pdfium.PdfDocument(render_pdf(html, base_url=page.parent))
        return "\n".join(" ".join(p.get_textpage().get_text_range().split(" ")) for p in pdf)

    text = lines(html)
    assert all(quantity in text for quantity in IN_ONE_PIECE), text
    # the same page, quantities allowed to wrap: the narrow columns break them (so the check above means something)
    loose = lines(html.replace("</style>", ".quantity { white-space: normal; }</style>", 1))
    assert not all(quantity in loose for quantity in IN_ONE_PIECE), loose
    assert re.search(r"\d\r?\n(mg|a)\b", loose), loose
