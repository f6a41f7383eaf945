"""Nothing misleading reaches paper (issue 20 items 1, 5 and 9): a draft says so on every page and flags reviewed
text that fails QA, `run` and `build` print those QA errors; a partial release marks every English passage and
never publishes an untranslated warning; `status`, its JSON and the dashboard give the release's verdict.

Through the command line, in-process (click's CliRunner), on small projects in a temporary folder.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from helpers import Node, parse, po_path
from po_editor import open_po
from polyleaf.cli import main
from polyleaf.labels import INTERFACE_MESSAGES

DOSE = "Take 2.5 mg of the medicine twice a day."
WRONG_DOSE = "Tome 25 mg del medicamento dos veces al día."  # the translator mistyped the dose
RIGHT_DOSE = {"es": "Tome 2,5 mg del medicamento dos veces al día.", "ar": "تناول 2.5 ملغ من الدواء مرتين في اليوم."}
FINDING = "[numbers] 2.5 mg → 25 mg: a number differs"
BANNER = INTERFACE_MESSAGES["draft_banner"]
SPANISH_BANNER = "BORRADOR — no apto para pacientes"
#: A paragraph long enough that the leaflet takes several pages.
FILLER = " ".join(f"Walking every day helps the back, and sentence {number} says so again." for number in range(12))


def polyleaf(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """The command line, in this process."""
    return CliRunner().invoke(main, ["--project", str(root), *args], env=env, catch_exceptions=False)


def review(
    root: Path, language: str, name: str, texts: dict[str, str] | None = None, *, skip: tuple[str, ...] = ()
) -> None:
    """A translator reviews every entry of a catalog (their words where given, else a marked copy), except ``skip``."""
    po = open_po(po_path(root, language, name))
    for entry in po:
        if entry.obsolete or entry.msgid in skip:
            continue
        entry.msgstr = (texts or {}).get(entry.msgid, f"{language.upper()}: {entry.msgid}")
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = None
    po.save()


def pdf_pages(path: Path) -> list[str]:
    """The text of every page of a PDF (pdftotext, page by page)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        for page in range(1, pages + 1)
    ]


def words(node: Node) -> str:
    return " ".join(node.text().split())


# ----------------------------------------------------------------------------------------------- item 1: drafts


@pytest.fixture
def dosed(tmp_path: Path) -> Path:
    """Spanish only: a dose leaflet (.txt) and its Markdown twin, everything reviewed, the dose mistyped (25 mg)."""
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent.parent / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "source" / "dose.txt").write_text(f"Dosage\n{DOSE}\n{FILLER}\n{FILLER}\n{FILLER}\n", encoding="utf-8")
    (root / "source" / "dose-md.md").write_text(f"# Dosage\n\n{DOSE}\n\n- {DOSE}\n", encoding="utf-8")
    (root / "polyleaf.toml").write_text('languages = ["es"]\nformats = ["txt", "html", "pdf"]\n', encoding="utf-8")
    assert polyleaf(root, "update").exit_code == 0
    for name in ("dose", "dose-md"):
        review(root, "es", name, {DOSE: WRONG_DOSE})
    review(root, "es", "disclaimer")
    review(root, "es", "interface", {BANNER: SPANISH_BANNER})
    return root


@pytest.mark.slow
def test_a_reviewed_draft_with_a_qa_error_says_draft_on_every_page_and_flags_it(dosed: Path) -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed (pdftotext, pdfinfo)")
    result = polyleaf(dosed, "run")
    assert result.exit_code == 0, result.output  # a draft run that printed its QA errors succeeds…
    line = open_po(po_path(dosed, "es", "dose")).find(DOSE).line
    assert (
        f"locales/es/LC_MESSAGES/dose.po:{line}: {FINDING} (a release withholds es/dose)" in result.stderr.splitlines()
    )
    assert "(a release withholds es/dose-md)" in result.stderr
    assert polyleaf(dosed, "run", "--strict").exit_code == 1  # …unless CI asks for strictness
    assert polyleaf(dosed, "build", env={"POLYLEAF_STRICT": "1"}).exit_code == 1
    assert polyleaf(dosed, "build", "--format", "txt").exit_code == 0

    folder = dosed / "build" / "es"
    both = f"{SPANISH_BANNER} · {BANNER}"  # in the reader's language, and in English
    pages = pdf_pages(folder / "dose.es.pdf")
    assert len(pages) >= 2
    for number, text_of_page in enumerate(pages, start=1):
        assert both in text_of_page.replace("\u2068", "").replace("\u2069", ""), number
    assert re.search(
        r"25\s+mg.*QA error:\s+\[numbers\] 2\.5 mg -> 25\s+mg: a number differs", " ".join(pages[0].split())
    )

    page = parse((folder / "dose.es.html").read_text(encoding="utf-8"))
    bands = [node for node in page.iter() if "draft-band" in (node.attrs.get("class") or "").split()]
    assert len(bands) == 2 and all(both in words(band).replace("\u2068", "").replace("\u2069", "") for band in bands)
    body = page.find("body").elements
    assert body[1] is bands[0] and body[-1] is bands[1]  # at the top (after the web page's links) and at the end
    (flag,) = [node for node in page.iter("mark") if node.attrs.get("class") == "qa-flag"]
    assert words(flag) == WRONG_DOSE
    assert FINDING.replace("→", "->") in words(page.find("main"))  # an arrow every bundled font prints

    text = (folder / "dose.es.txt").read_text(encoding="utf-8").replace("\u2068", "").replace("\u2069", "")
    lines = text.splitlines()
    assert lines[0] == lines[-1] == f"*** {both} ***"
    assert f"{WRONG_DOSE} [ES: QA error: {FINDING}]" in text

    markdown = (folder / "dose-md.es.md").read_text(encoding="utf-8").replace("\u2068", "").replace("\u2069", "")
    tokens = MarkdownIt("commonmark").parse(markdown)
    assert [token.type for token in tokens[:3]] == ["blockquote_open", "paragraph_open", "inline"]
    assert tokens[2].children is not None and tokens[2].children[1].type == "strong_open"  # the banner, in bold
    rendered = MarkdownIt("commonmark").render(markdown)
    assert rendered.count(f"<strong>{both}</strong>") == 2  # first and last
    assert rendered.count(f"{WRONG_DOSE} [ES: QA error: {FINDING}]") == 2  # as written: no link, no emphasis
    assert markdown.rstrip("\n").endswith(f"> **{both}**")

    index = parse((folder / "index.html").read_text(encoding="utf-8"))
    states = [words(node) for node in index.iter("span") if node.attrs.get("class") == "state"]
    assert len(states) == 2 and not any(INTERFACE_MESSAGES["reviewed"] in state for state in states)
    assert sorted(state[-len("QA errors: 1") :] for state in states) == ["QA errors: 1", "QA errors: 2"]  # md: twice

    result = polyleaf(dosed, "build", "--release")
    assert result.exit_code == 0
    assert "withheld es/dose: 1 QA error in reviewed entries" in result.stdout
    assert f"dose.po:{line}: {FINDING} (a release withholds es/dose)" in result.stderr
    assert not list((dosed / "build" / "release").glob("es/dose*"))


@pytest.mark.slow
def test_a_release_never_says_draft_and_a_clean_draft_still_does(dosed: Path) -> None:
    review(dosed, "es", "dose", {DOSE: RIGHT_DOSE["es"]})  # the dose fixed
    review(dosed, "es", "dose-md", {DOSE: RIGHT_DOSE["es"]})
    result = polyleaf(dosed, "run", "--strict", "--format", "txt", "--format", "html")
    assert result.exit_code == 0 and "QA" not in result.stderr, result.output
    draft = (dosed / "build" / "es" / "dose.es.txt").read_text(encoding="utf-8")
    assert draft.startswith(f"*** \u2068{SPANISH_BANNER}\u2069") and "Segments" not in draft  # 100 %: banner only
    assert polyleaf(dosed, "build", "--release", "--format", "txt", "--format", "html").exit_code == 0
    released = sorted((dosed / "build" / "release" / "es").iterdir())
    assert [path.name for path in released] == [
        "dose-md.es.html",
        "dose-md.es.md",
        "dose.es.html",
        "dose.es.txt",
        "index.html",
    ]
    for path in released:
        text = path.read_text(encoding="utf-8")
        assert BANNER not in text and SPANISH_BANNER not in text and "qa-flag" not in text, path.name
        assert "draft-band" not in text.split("</style>")[-1], path.name


# ------------------------------------------------------------------------------------------------- item 5: releases

GUIDE = """# Looking after your back

Rest for a day. Then walk a little every day.

## Exercises

- Stretch gently in the morning.
- Walk for a short time after meals.
  - Stop when it hurts.

| Activity | How often |
|---|---|
| Walking | Every day |
| Swimming | Every week |

![A chart of exercises](img/chart.png "Weekly plan")

> Go to A&E if your face swells or you cannot breathe.

Ask your doctor before you start a new exercise.
"""

SPANISH_GUIDE = {
    "Looking after your back": "Cuidar la espalda",
    "Rest for a day.": "Descanse un día.",
    "Exercises": "Ejercicios",
    "Activity": "Actividad",
    "How often": "Frecuencia",
    "Walking": "Caminar",
    "Every week": "Cada semana",
    "Stop when it hurts.": "Pare cuando le duela.",
    "A chart of exercises": "Un gráfico de ejercicios",
    "Ask your doctor before you start a new exercise.": "Consulte a su médico antes de empezar un ejercicio.",
}
WARNING = "Go to A&E if your face swells or you cannot breathe."
#: Left in English: a sentence, list items, a table cell, a caption.
ENGLISH = [
    "Then walk a little every day.",
    "Stretch gently in the morning.",
    "Walk for a short time after meals.",
    "Every day",
    "Swimming",
    "Weekly plan",
]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ff"
    "ff3f0005fe02fedccc59e70000000049454e44ae426082"
)


@pytest.fixture
def partial(tmp_path: Path) -> Path:
    """A Markdown guide with every structure, Spanish, release threshold 40 %: most of it reviewed."""
    root = tmp_path / "project"
    (root / "source" / "img").mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent.parent / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "source" / "guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "source" / "img" / "chart.png").write_bytes(PNG)
    (root / "polyleaf.toml").write_text(
        'languages = ["es"]\nformats = ["html"]\n[release]\nthreshold = 40\n', encoding="utf-8"
    )
    assert polyleaf(root, "update").exit_code == 0
    review(root, "es", "guide", SPANISH_GUIDE, skip=(*ENGLISH, WARNING))
    review(root, "es", "disclaimer")
    review(root, "es", "interface")
    return root


def reviewed_warning(root: Path) -> None:
    """The translator reviews the warning too (the English passages stay English)."""
    review(
        root,
        "es",
        "guide",
        {**SPANISH_GUIDE, WARNING: "Vaya a urgencias si se le hincha la cara o no puede respirar."},
        skip=tuple(ENGLISH),
    )


@pytest.mark.slow
def test_a_block_quote_warning_keeps_its_document_withheld(partial: Path) -> None:
    result = polyleaf(partial, "build", "--release")
    assert "withheld es/guide: 1 unreviewed segment in a block quote or with a glossary safety term" in result.stdout
    assert json.loads(polyleaf(partial, "status", "--json").stdout)[0]["release_ready"] is False  # status agrees
    assert not (partial / "build" / "release" / "es" / "guide.es.html").exists()
    reviewed_warning(partial)
    result = polyleaf(partial, "build", "--release")
    assert "published es/guide" in result.stdout, result.output  # 12 of 18 reviewed: above the 40 % threshold


@pytest.mark.slow
def test_a_glossary_safety_term_makes_a_sentence_a_warning(partial: Path) -> None:
    (partial / "source" / "tablets.txt").write_text(
        "Your tablets\nTake them with food. If your face swells, go to the emergency department.\nKeep them dry.\n",
        encoding="utf-8",
    )
    (partial / "locales" / "glossary.csv").write_text(
        "term,language,translation,note\nemergency department,en,,safety: where to go at once\n", encoding="utf-8"
    )
    assert polyleaf(partial, "update").exit_code == 0
    review(partial, "es", "tablets", skip=("If your face swells, go to the emergency department.",))
    result = polyleaf(partial, "build", "--release", "--doc", "tablets")
    (withheld,) = [line for line in result.stdout.splitlines() if line.startswith("withheld es/tablets")]
    assert "1 unreviewed segment in a block quote or with a glossary safety term" in withheld
    review(partial, "es", "tablets")
    assert "published es/tablets" in polyleaf(partial, "build", "--release", "--doc", "tablets").stdout


def marked(node: Node, ancestors: list[Node]) -> bool:
    """Whether text in ``node`` is underlined as untranslated (the element or one around it carries the mark)."""
    return any(
        "data-untranslated" in element.attrs or "untranslated" in (element.attrs.get("class") or "").split()
        for element in [*ancestors, node]
    )


def english_passages(node: Node, ancestors: list[Node] | None = None) -> list[tuple[str, bool, str]]:
    """(text, marked, lang) of every element's own text under ``node``."""
    ancestors = ancestors or []
    found = []
    own = " ".join("".join(child for child in node.children if isinstance(child, str)).split())
    if own:
        lang = next((e.attrs["lang"] for e in reversed([*ancestors, node]) if e.attrs.get("lang")), "")
        found.append((own, marked(node, ancestors), lang or ""))
    for child in node.elements:
        found += english_passages(child, [*ancestors, node])
    return found


def test_a_partial_release_marks_every_english_passage(partial: Path) -> None:
    reviewed_warning(partial)
    assert "published es/guide" in polyleaf(partial, "build", "--release").stdout
    page = parse((partial / "build" / "release" / "es" / "guide.es.html").read_text(encoding="utf-8"))
    passages = english_passages(page.find("main"))
    for english in ENGLISH:  # a sentence, whole list items, a table cell, a caption
        (found,) = [passage for passage in passages if passage[0] == english]
        assert found[1:] == (True, "en"), found  # underlined and lang="en": as the note at the top says
    for spanish in (
        "Pare cuando le duela.",
        "Cada semana",
        "un día",  # of "Descanse un día.": a quantity is a span of its own (render/nowrap.py)
        "Vaya a urgencias si se le hincha la cara o no puede respirar.",
    ):
        (found,) = [passage for passage in passages if passage[0] == spanish]
        assert found[1:] == (False, ""), (
            found
        )  # translated text is never underlined nor English, even in an English list item
    assert "ES: " + INTERFACE_MESSAGES["untranslated_note"] in words(page.find("main"))


#: A plain-text leaflet: a title, sentences and lines, some left in English.
PLAIN = (
    "Looking after your back\nRest for a day. Then walk a little every day.\nStretch gently in the morning.\n"
    "Walk for a short time after meals.\nStop when it hurts.\n"
)


def bracketed(text: str) -> tuple[list[str], str]:
    """The passages between ``[[`` and ``]]`` in a leaflet's text (brackets unescaped), and the text outside them."""
    plain = text.replace("\\[", "[").replace("\\]", "]")
    return re.findall(r"\[\[(.*?)\]\]", plain, re.DOTALL), re.sub(r"\[\[.*?\]\]", "", plain, flags=re.DOTALL)


def test_a_partial_release_marks_every_english_passage_in_text_and_markdown(partial: Path) -> None:
    config = partial / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('["html"]', '["txt"]'), encoding="utf-8")
    (partial / "source" / "plain.txt").write_text(PLAIN, encoding="utf-8")
    assert polyleaf(partial, "update").exit_code == 0
    reviewed_warning(partial)
    review(partial, "es", "plain", SPANISH_GUIDE, skip=tuple(ENGLISH))
    guide = open_po(po_path(partial, "es", "guide"))
    guide.find("Exercises").msgstr = ""  # a heading left in English too
    guide.save()
    note = INTERFACE_MESSAGES["untranslated_note_text"]
    interface = open_po(po_path(partial, "es", "interface"))
    interface.find(note).msgstr = ""  # the note of text leaflets is still English: no release shows it so
    interface.save()
    result = polyleaf(partial, "build", "--release")
    assert "published es/" not in result.stdout and repr(note) in result.stdout, result.output
    config.write_text(config.read_text(encoding="utf-8").replace('["txt"]', '["html"]'), encoding="utf-8")
    assert "published es/guide" in polyleaf(partial, "build", "--release").stdout  # no text leaflet: not needed
    config.write_text(config.read_text(encoding="utf-8").replace('["html"]', '["txt"]'), encoding="utf-8")
    review(partial, "es", "interface")
    result = polyleaf(partial, "build", "--release")
    assert "published es/guide" in result.stdout and "published es/plain" in result.stdout, result.output

    folder = partial / "build" / "release" / "es"
    markdown = (folder / "guide.es.md").read_text(encoding="utf-8")
    plain = (folder / "plain.es.txt").read_text(encoding="utf-8")
    assert markdown.startswith("ES: Passages between \\[\\[ and \\]\\] are not translated yet")  # read literally
    assert plain.startswith(f"ES: {note}\n")
    spanish_guide = [text for english, text in SPANISH_GUIDE.items() if english != "Exercises"]
    for text, english_passages, spanish_passages in (
        (markdown, [*ENGLISH, "Exercises"], spanish_guide),
        (plain, ENGLISH[:3], ["Cuidar la espalda", "Descanse un día.", "Pare cuando le duela."]),
    ):
        passages, outside = bracketed(text.split("\n", 1)[1])  # the note aside
        assert sorted(passages) == sorted(english_passages), passages  # every English passage, and only those
        assert all(passage in outside for passage in spanish_passages)

    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    for passage in ENGLISH:  # a Markdown renderer shows the brackets as they are
        assert f"[[{passage}]]" in rendered.replace("&quot;", '"'), passage
    assert "<h1>Cuidar la espalda</h1>" in rendered and "<h2>[[Exercises]]</h2>" in rendered
    assert "<li>[[Stretch gently in the morning.]]" in rendered

    assert polyleaf(partial, "build").exit_code == 0  # a draft marks them too, as its web page does
    draft = (partial / "build" / "es" / "guide.es.md").read_text(encoding="utf-8")
    assert sorted(bracketed(draft.split("ES: Passages", 1)[1].split("\n", 1)[1])[0]) == sorted([*ENGLISH, "Exercises"])


# ----------------------------------------------------------------------------------------------- item 9: status


@pytest.mark.slow
def test_status_json_table_and_dashboard_give_the_release_verdict(dosed: Path) -> None:
    config = dosed / "polyleaf.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace('["es"]', '["es", "ar"]')
        .replace('"txt", "html", "pdf"', '"txt", "html"'),
        encoding="utf-8",
    )
    assert polyleaf(dosed, "update").exit_code == 0
    review(dosed, "es", "dose", {DOSE: RIGHT_DOSE["es"]})
    for name in ("dose", "dose-md", "disclaimer"):
        review(dosed, "ar", name, {DOSE: RIGHT_DOSE["ar"]})  # ar: all reviewed but its own words (interface.po: 0 %)
    assert polyleaf(dosed, "build").exit_code == 0  # writes build/status.html
    rows = {(row["language"], row["document"]): row for row in json.loads(polyleaf(dosed, "status", "--json").stdout)}
    assert rows["ar", "interface"]["percent_reviewed"] == 0
    assert rows["ar", "interface"]["release_ready"] is False
    assert "are not reviewed in interface.po" in rows["ar", "interface"]["blocker"]
    assert rows["es", "interface"]["release_ready"] is True

    table = {tuple(line.split()[:2]): line for line in polyleaf(dosed, "status").stdout.splitlines()[1:]}
    assert table["ar", "interface"].endswith("labels not reviewed") and table["es", "interface"].endswith("ready")

    html = (dosed / "build" / "status.html").read_text(encoding="utf-8")
    page = parse(html)
    catalogs = {
        tuple(words(cell) for cell in row.elements[:2]): words(row.elements[9])
        for row in page.iter("tr")
        if len(row.elements) == 11 and row.elements[0].tag == "td"
    }
    assert catalogs["ar", "interface"] == rows["ar", "interface"]["blocker"] != "release-ready"
    languages = {
        words(row.elements[0]).split()[-1]: words(row.elements[4])
        for row in page.iter("tr")
        if len(row.elements) == 7 and row.elements[0].tag == "td"
    }
    assert languages == {"es": "1/2", "ar": "0/2"}  # es/dose is ready; es/dose-md has its QA error

    result = polyleaf(dosed, "build", "--release")
    published = {
        tuple(line.split()[1].split("/")) for line in result.stdout.splitlines() if line.startswith("published ")
    }
    ready = {key for key, row in rows.items() if row["release_ready"] and key[1] not in ("disclaimer", "interface")}
    assert published == ready == {("es", "dose")}


def test_the_text_leaflets_note_translated_whole_is_not_a_markup_error(partial: Path) -> None:
    """Labels are printed as they are, never read as Markdown: "[[ y ]]" in the Spanish note is two brackets, not a
    changed link to "[and]" that would withhold every Spanish leaflet."""
    config = partial / "polyleaf.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('["html"]', '["txt"]'), encoding="utf-8")
    assert polyleaf(partial, "update").exit_code == 0
    reviewed_warning(partial)
    review(partial, "es", "interface")
    interface = open_po(po_path(partial, "es", "interface"))
    interface.find(
        INTERFACE_MESSAGES["untranslated_note_text"]
    ).msgstr = "Los pasajes entre [[ y ]] aún no están traducidos; se muestran en el idioma original."
    interface.save()
    checked = polyleaf(partial, "check")
    assert "interface.po" not in checked.output or "[markup]" not in checked.output, checked.output
    result = polyleaf(partial, "build", "--release")
    assert "published es/guide" in result.stdout, result.output
    note = (partial / "build" / "release" / "es" / "guide.es.md").read_text(encoding="utf-8")
    assert note.startswith("Los pasajes entre \\[\\[ y \\]\\] aún no están traducidos")
