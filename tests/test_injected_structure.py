"""A translation cannot add Markdown block structure (issue 21, item 6): each block construct CommonMark and GitHub
know, put by a reviewed translation where a line of a paragraph, list item, quote or footnote starts, leaves the
Markdown leaflet with its source's blocks and every word of the translation on the page; ``check`` reports each."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import REPO, po_path
from polyleaf.cli import main
from polyleaf.po.pofile import write_po
from polyleaf.po.poread import parse_po_file
from polyleaf.source import structure
from polyleaf.source.structure import block_start

#: (what it would start, a translation that starts it), in the names QA gives them
INJECTED = [
    ("a link reference definition", "[descanso]: https://x.org descanse un día."),
    ("a link reference definition", "[^9]: descanse un día."),  # a footnote definition
    ("an indented code block", "    Descanse un día."),
    ("an indented code block", "\tDescanse un día."),
    ("a heading", "## Descanse un día."),
    ("a block quote", "> Descanse un día."),
    ("a list item", "- Descanse un día."),
    ("a list item", "+ Descanse un día."),
    ("a list item", "1. Descanse un día."),
    ("a list item", "2) Descanse un día."),
    ("a code fence", "```descanse un día."),
    ("a code fence", "~~~ descanse un día."),
    ("a thematic break", "* * *"),
    ("a thematic break", "___"),
    ("a thematic break", "---"),
    ("a setext heading underline", "==="),
    ("a setext heading underline", "--"),
    ("a table delimiter row", "| --- | :-: |"),
    ("an HTML block", "<div>Descanse un día.</div>"),
    ("an HTML block", "<!-- descanse --> un día."),
    ("a task box or an alert", "[x] Descanse un día."),
    ("a task box or an alert", "[!WARNING] Descanse un día."),
]
#: Where a segment starts a line of a block's content: paragraph, wrapped line, list item, quote, footnote.
PLACES = [
    "Step {n} is rest.",
    "Step {n} is a walk.\nStep {n} is rest.",
    "- Step {n} is rest.",
    "> Step {n} is rest.",
    "Step {n} is care[^{n}].\n\n[^{n}]: Step {n} is rest.",
]


def _github() -> object:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("gfm-like").use(footnote_plugin)


def blocks(markdown: str) -> Counter[str]:
    """The block constructs a GitHub-like renderer makes of ``markdown``."""
    tokens = _github().parse(markdown)  # type: ignore[attr-defined]
    return Counter(
        t.type for t in tokens if t.type.endswith("_open") or t.type in ("fence", "code_block", "hr", "html_block")
    )


def rows() -> list[tuple[int, str, str, str]]:
    """(number, place, construct, translation): every construct in every place."""
    return [
        (number, place, construct, text.replace("un día", f"un día {number}"))
        for number, ((construct, text), place) in enumerate(
            ((injected, place) for injected in INJECTED for place in PLACES), 1
        )
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("structure")
    (project / "source").mkdir()
    shutil.copyfile(REPO / "source" / "disclaimer.txt", project / "source" / "disclaimer.txt")
    body = "\n\n".join(place.format(n=number) for number, place, *_ in rows())
    (project / "source" / "rest.md").write_text(f"# Rest\n\n{body}\n", "utf-8")
    (project / "polyleaf.toml").write_text('languages = ["es"]\nformats = ["txt", "html"]\n', "utf-8")
    invoke(project, "update")
    injected = {f"Step {number} is rest.": text for number, _, _, text in rows()}
    for name in ("rest", "disclaimer"):
        po = po_path(project, "es", name)
        catalog = parse_po_file(po.read_bytes(), po)
        messages = tuple(
            replace(m, msgstr=(injected.get(m.msgid) or _plain(m.msgid),), flags=(), comments=()) if m.msgid else m
            for m in catalog.messages
        )
        po.write_bytes(write_po(replace(catalog, messages=messages)))
    invoke(project, "build", "--format", "txt")
    yield project


def _plain(msgid: str) -> str:
    """A harmless translation that keeps the numbers and footnote references of ``msgid``."""
    return "Paso " + " ".join(re.findall(r"\d+|\[\^\d+\]", msgid)) + "."


def invoke(project: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(project), *args])
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_qa_names_each_construct() -> None:
    assert [block_start(translation) for _, translation in INJECTED] == [construct for construct, _ in INJECTED]
    for harmless in ("1.5 mg a day", "-5 °C", "+5 °C", "#1 priority", "[1] Smith", "*Take* it", "2--3 days", "a | b"):
        assert block_start(harmless) == "", harmless


def test_the_markdown_leaflet_keeps_the_source_blocks_and_every_word(built: Path) -> None:
    source = (built / "source" / "rest.md").read_text("utf-8")
    leaflet = (built / "build" / "es" / "rest.es.md").read_text("utf-8")
    body = leaflet[leaflet.index("# Paso") : leaflet.rindex("\n---\n")]  # without a draft notice and disclaimer
    assert blocks(body) == blocks(source)
    shown = _github().render(body)  # type: ignore[attr-defined]
    for number, _, _, text in rows():
        if "un día" in text:
            assert f"un día {number}" in shown, (number, text)


def test_check_reports_each_injected_construct_as_an_error(built: Path) -> None:
    output = invoke(built, "check", "--lang", "es")
    errors = [line for line in output.splitlines() if "error [structure]" in line]
    assert len(errors) == len(rows()), output
    for construct, _ in INJECTED:
        assert any(line.endswith(f"it would start {construct}") for line in errors), construct


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZéж中 \t#>*-_=+`~<|:[]!xX1.)/\n")), max_size=12))
def test_a_text_that_starts_with_a_letter_starts_no_block(text: str) -> None:
    """``block_start`` answers a text that starts with a letter without trying the patterns: none matches one."""
    stripped = text.lstrip(" ")
    if stripped[:1].isalpha():
        assert not any(pattern.match(stripped) for _name, pattern in structure._BLOCK_STARTS)
        assert block_start(text) in {"", "an indented code block"}
