"""Callouts (issue 23 item 4): GitHub's alert syntax (``> [!WARNING]``) is parsed as what it is — the marker is never
part of a PO entry, the label comes from interface.po — and rendered as a labelled box in HTML, kept as an alert in
Markdown, labelled in plain text; the urgent ones (important, warning, caution) are safety text for the release gate.

Through the command line, in-process (click's CliRunner), on small projects in a temporary folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helpers import Node, parse, po_path
from po_editor import open_po
from polyleaf.cli import main
from polyleaf.labels import INTERFACE_MESSAGES, callout_labels
from polyleaf.source.document import CALLOUT_KINDS, assemble
from polyleaf.source.parse.markdown import parse_markdown
from polyleaf.source.parse.txt import parse_txt

GUIDE = """\
# Your tablets

Take them with water.

> [!NOTE]
> They are white and round.

> [!TIP]
> A pill box helps you remember.

> [!IMPORTANT]
>
> Tell your doctor about other medicines.

> [!WARNING]
> Do not drive after taking them.
> - Stop if you feel dizzy.

> [!caution]
> Keep them away from children.

> A plain quote is a warning too.
"""
NOTE = "They are white and round."
WARNING = "Do not drive after taking them."
SPANISH_LABELS = {
    "Note": "Nota",
    "Tip": "Consejo",
    "Important": "Importante",
    "Warning": "Advertencia",
    "Caution": "Precaución",
}
SPANISH = {
    "Your tablets": "Sus pastillas",
    "Take them with water.": "Tómelas con agua.",
    NOTE: "Son blancas y redondas.",
    "A pill box helps you remember.": "Un pastillero le ayuda a recordar.",
    "Tell your doctor about other medicines.": "Informe a su médico de otros medicamentos.",
    WARNING: "No conduzca después de tomarlas.",
    "Stop if you feel dizzy.": "Deje de tomarlas si se marea.",
    "Keep them away from children.": "Manténgalas lejos de los niños.",
    "A plain quote is a warning too.": "Una cita también es una advertencia.",
}


def polyleaf(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def review(root: Path, name: str, texts: dict[str, str], *, skip: tuple[str, ...] = ()) -> None:
    """A translator reviews every entry of a Spanish catalog (their words where given, else a marked copy)."""
    po = open_po(po_path(root, "es", name))
    for entry in po:
        if entry.obsolete or entry.msgid in skip:
            continue
        entry.msgstr = texts.get(entry.msgid, f"ES: {entry.msgid}")
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = None
    po.save()


def unreview(root: Path, name: str, *msgids: str) -> None:
    """A reviewer takes their approval back: the entries are fuzzy again."""
    po = open_po(po_path(root, "es", name))
    for msgid in msgids:
        po.find(msgid).flags.append("fuzzy")
    po.save()


def project(tmp_path: Path, source: str = GUIDE, name: str = "guide.md", threshold: int = 100) -> Path:
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    shutil.copyfile(Path(__file__).parent.parent / "source" / "disclaimer.txt", root / "source" / "disclaimer.txt")
    (root / "source" / name).write_text(source, encoding="utf-8")
    (root / "polyleaf.toml").write_text(
        f'languages = ["es"]\nformats = ["txt", "html"]\n[release]\nthreshold = {threshold}\n', encoding="utf-8"
    )
    assert polyleaf(root, "update").exit_code == 0
    review(root, "disclaimer", {})
    review(root, "interface", SPANISH_LABELS)
    return root


def classes(node: Node) -> list[str]:
    return (node.attrs.get("class") or "").split()


def words(node: Node) -> str:
    return " ".join(node.text().split())


# --- parsing ---------------------------------------------------------------------------------------------------------


def test_each_alert_is_a_callout_whose_marker_is_skeleton() -> None:
    document = parse_markdown(GUIDE, Path("guide.md"))
    assert assemble(document, lambda segment: None) == GUIDE  # the marker lines stay, byte for byte
    assert all("[!" not in segment.text and "[!" not in segment.raw for segment in document.segments)
    by_text = {segment.text: document.blocks[segment.block] for segment in document.segments}
    kinds = {text: block.callout.kind if block.callout else "" for text, block in by_text.items()}
    assert kinds == {
        "Your tablets": "",
        "Take them with water.": "",
        NOTE: "note",
        "A pill box helps you remember.": "tip",
        "Tell your doctor about other medicines.": "important",  # after a blank quoted line
        WARNING: "warning",
        "Stop if you feel dizzy.": "warning",  # a list inside the callout belongs to it
        "Keep them away from children.": "caution",  # lower case is an alert too, as on GitHub
        "A plain quote is a warning too.": "",
    }
    assert callout_labels(document) == tuple(f"callout_{kind}" for kind in CALLOUT_KINDS)
    empty = parse_markdown("> [!WARNING]\n\nDo not drive.\n", Path("x.md"))
    assert callout_labels(empty) == ()  # a callout with nothing in it shows nothing, its label neither


@pytest.mark.parametrize(
    "source",
    [
        "> [!WARNING] Do not drive.\n",  # not alone on its line: GitHub shows a plain quote
        "> Do not drive.\n> [!WARNING]\n",  # not the first line
        "[!WARNING]\nDo not drive.\n",  # not in a block quote
        "> [!DANGER]\n> Do not drive.\n",  # not one of GitHub's kinds
    ],
)
def test_what_is_not_an_alert_stays_text(source: str) -> None:
    document = parse_markdown(source, Path("x.md"))
    assert all(block.callout is None for block in document.blocks)
    assert "[!" in " ".join(segment.text for segment in document.segments)
    assert callout_labels(document) == ()


def test_a_txt_line_starting_with_a_marker_is_a_callout() -> None:
    source = "Pills\nTake one a day.\n[!WARNING] Do not take more than 4 a day. Ask first.\n"
    document = parse_txt(source, Path("pills.txt"))
    assert assemble(document, lambda segment: None) == source
    (callout,) = [block for block in document.blocks if block.callout]
    assert callout.callout is not None and callout.callout.kind == "warning"
    assert [segment.text for segment in callout.segments] == ["Do not take more than 4 a day.", "Ask first."]


# --- through the command line ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_callouts_reach_every_format_with_their_translated_labels(tmp_path: Path) -> None:
    root = project(tmp_path)
    template = (root / "locales" / "templates" / "guide.pot").read_text(encoding="utf-8")
    assert "[!" not in template and "WARNING" not in template and "caution" not in template.lower()
    interface = (root / "locales" / "templates" / "interface.pot").read_text(encoding="utf-8")
    assert all(f'msgid "{INTERFACE_MESSAGES[f"callout_{kind}"]}"' in interface for kind in CALLOUT_KINDS)
    review(root, "guide", SPANISH)
    assert polyleaf(root, "build").exit_code == 0

    page = parse((root / "build" / "es" / "guide.es.html").read_text(encoding="utf-8"))
    boxes = [node for node in page.iter("div") if "callout" in classes(node)]
    assert [classes(box)[1] for box in boxes] == [f"callout-{kind}" for kind in CALLOUT_KINDS]
    for box, (english, spanish) in zip(boxes, SPANISH_LABELS.items(), strict=True):
        (label,) = [node for node in box.iter("p") if "callout-label" in classes(node)]
        assert words(label) == spanish != english and box.attrs["aria-label"] == spanish
        assert label.find("svg").attrs["aria-hidden"] == "true"  # an icon, in outline: it prints in black and white
    warning = boxes[CALLOUT_KINDS.index("warning")]
    assert SPANISH[WARNING] in words(warning) and SPANISH["Stop if you feel dizzy."] in words(warning.find("ul"))
    assert not any(box.iter("blockquote") for box in boxes)  # a callout is a box, not a quote in it
    assert words(page.find("blockquote")) == SPANISH["A plain quote is a warning too."]
    assert "[!" not in words(page.find("main"))
    shapes = {box.find("svg").elements[0].tag for box in boxes}
    assert len(shapes) == 3  # circle, path, rect: the icons differ (the paths draw a bulb, a triangle, an octagon)

    markdown = (root / "build" / "es" / "guide.es.md").read_text(encoding="utf-8")
    assert f"> [!NOTE]\n> {SPANISH[NOTE]}\n" in markdown
    assert f"> [!WARNING]\n> {SPANISH[WARNING]}\n> - {SPANISH['Stop if you feel dizzy.']}\n" in markdown
    assert "> [!IMPORTANT]\n>\n> Informe" in markdown and "> [!caution]\n> Manténgalas" in markdown
    again = parse_markdown(markdown, Path("guide.es.md"))  # and it reads back as the same callouts
    assert callout_labels(again) == callout_labels(parse_markdown(GUIDE, Path("guide.md")))


@pytest.mark.slow
def test_a_txt_callout_is_labelled_in_the_page_language(tmp_path: Path) -> None:
    source = "Pills\nTake one a day.\n[!WARNING] Do not take more than 4 a day.\n[!TIP] Use a pill box.\n"
    root = project(tmp_path, source, "pills.txt")
    review(root, "pills", {"Do not take more than 4 a day.": "No tome más de 4 al día."})
    assert polyleaf(root, "build").exit_code == 0
    text = (root / "build" / "es" / "pills.es.txt").read_text(encoding="utf-8").splitlines()
    assert "ADVERTENCIA: No tome más de 4 al día." in text
    assert "CONSEJO: ES: Use a pill box." in text
    assert not any("[!" in line for line in text)


def withheld(root: Path) -> list[str]:
    result = polyleaf(root, "build", "--release")
    return [line for line in result.stdout.splitlines() if line.startswith("withheld es/")]


@pytest.mark.slow
def test_an_unreviewed_warning_withholds_a_partial_release_an_unreviewed_note_does_not(tmp_path: Path) -> None:
    root = project(tmp_path, threshold=50)
    review(root, "guide", SPANISH, skip=(NOTE, WARNING))  # 7 of 9 reviewed: above the threshold
    (reason,) = withheld(root)
    assert "1 unreviewed segment in a block quote or with a glossary safety term" in reason  # the warning alone
    assert "guide.po:" in reason and json.loads(polyleaf(root, "status", "--json").stdout)[0]["release_ready"] is False
    release = root / "build" / "release" / "es"
    assert not (release / "guide.es.html").exists()

    review(root, "guide", SPANISH, skip=(NOTE,))
    assert withheld(root) == []
    page = parse((release / "guide.es.html").read_text(encoding="utf-8"))
    (note,) = [node for node in page.iter("div") if "callout-note" in classes(node)]
    assert NOTE in words(note)  # published in English, marked as such
    assert any("untranslated" in classes(node) or "data-untranslated" in node.attrs for node in note.iter())


@pytest.mark.slow
def test_a_callout_label_is_needed_only_where_a_callout_uses_it(tmp_path: Path) -> None:
    plain = "# Your tablets\n\nTake them with water.\n\n> [!WARNING]\n> Do not drive after taking them.\n"
    root = project(tmp_path, plain)
    review(root, "guide", SPANISH)
    unreview(root, "interface", "Note", "Tip", "Important", "Caution")
    assert withheld(root) == []  # the labels of callouts it does not have are not needed

    unreview(root, "interface", "Warning")
    (reason,) = withheld(root)
    assert "('Warning') are not reviewed in interface.po" in reason

    (root / "source" / "guide.md").write_text(plain.replace("> [!WARNING]\n", ""), encoding="utf-8")
    assert polyleaf(root, "update").exit_code == 0
    assert withheld(root) == []  # a plain quote needs no callout label
