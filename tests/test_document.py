"""Source documents: parsing .txt and .md into blocks and segments, exact spans, byte-exact round trip."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.errors import SourceError
from polyleaf.source.document import TRANSLATABLE_KINDS, Document, assemble
from polyleaf.source.parse.markdown import parse_markdown
from polyleaf.source.parse.reading import parse_document, read_source
from polyleaf.source.parse.spans import is_disclaimer_text
from polyleaf.source.parse.txt import is_txt_heading, parse_txt

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
BVN = SOURCE / "bvn-ablation-vertebral-venous-malformations.txt"
BVNA = SOURCE / "bvna-chronic-low-back-pain.txt"
ARTICLES = [BVN, BVNA]
MARKDOWN_FIXTURES = sorted((Path(__file__).parent / "data" / "markdown").glob("*.md"))
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def identity(document: Document) -> str:
    return assemble(document, lambda segment: segment.text)


def check_invariants(document: Document) -> None:
    """Everything the rest of the pipeline relies on: exact spans, order, clean msgids, round trip."""
    text = document.text
    assert identity(document) == text
    assert assemble(document, lambda segment: None) == text
    position = 0
    for number, block in enumerate(document.blocks):
        if block.kind not in TRANSLATABLE_KINDS:
            assert block.segments == ()
        for index, segment in enumerate(block.segments):
            assert text[segment.start : segment.end] == segment.raw
            assert position <= segment.start < segment.end
            position = segment.end
            assert segment.text
            assert segment.text == segment.text.strip()
            assert "\n" not in segment.text
            assert "\r" not in segment.text
            assert (segment.block, segment.index, segment.count) == (number, index, len(block.segments))
            assert segment.line == len(LINE_BREAK.findall(text, 0, segment.start)) + 1


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


# --- .txt articles -------------------------------------------------------------------------------------------

VARIANTS: dict[str, Callable[[str], str]] = {
    "original": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "bom": lambda t: "\ufeff" + t,
    "bom-crlf": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
    "final-newline": lambda t: t.rstrip("\n") + "\n",
    "no-final-newline": lambda t: t.rstrip("\n"),
    "two-final-newlines": lambda t: t + "\n\n",
    "trailing-spaces": lambda t: t.replace("\n", "  \t\n") + "   ",
    "leading-spaces": lambda t: "  " + t.replace("\n", "\n   "),
    "blank-lines": lambda t: "\n\n" + t.replace("\n", "\n\n \n"),
    "cr-only": lambda t: t.replace("\n", "\r"),
}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("variant", VARIANTS, ids=str)
@pytest.mark.parametrize("parser", [parse_txt, parse_markdown], ids=["txt", "md"])
def test_article_round_trip(article: Path, variant: str, parser: Callable[..., Document]) -> None:
    text = VARIANTS[variant](text_of(article))
    document = parser(text, Path("source") / article.name)
    check_invariants(document)
    assert len(document.segments) > 30


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_article_variants_give_the_same_segments(article: Path, variant: str) -> None:
    base = parse_txt(text_of(article), Path("a.txt"))
    document = parse_txt(VARIANTS[variant](text_of(article)), Path("a.txt"))
    assert [s.text for s in document.segments] == [s.text for s in base.segments]
    assert [b.kind for b in document.blocks] == [b.kind for b in base.blocks]


def test_read_source_is_byte_exact(tmp_path: Path) -> None:
    for article in ARTICLES:
        document = read_source(article, Path("source") / article.name)
        assert document.path == Path("source") / article.name
        assert document.format == "txt"
        assert identity(document).encode("utf-8") == article.read_bytes()


def headings(document: Document) -> list[tuple[str, str]]:
    return [(b.kind, b.segments[0].text) for b in document.blocks if b.kind in ("title", "heading")]


def test_headings_bvn() -> None:
    document = read_source(BVN)
    assert headings(document) == [
        ("title", "Introduction"),
        ("heading", "Understanding Vertebral Venous Malformations (VVMs)"),
        ("heading", "The BVN Ablation Procedure: A Detailed Look"),
        ("heading", "Benefits and Risks of BVN Ablation"),
        ("heading", "Recovery and Long-Term Outcomes"),
        ("heading", "Conclusion"),
    ]
    assert [b.kind for b in document.blocks].count("paragraph") == 10
    assert not document.has_disclaimer()
    assert document.title == "Introduction"


def test_headings_bvna() -> None:
    document = read_source(BVNA)
    assert headings(document) == [
        ("title", "Introduction: A New Approach to Chronic Back Pain Relief"),
        ("heading", "Understanding the Mechanism of Action"),
        ("heading", "Clinical Evidence and Research Findings"),
        ("heading", "Potential Benefits and Considerations for Patients"),
        ("heading", "Conclusion: A Promising Future for Back Pain Management"),
    ]
    assert [b.kind for b in document.blocks] == [
        "title", "paragraph", "heading", "paragraph", "heading", "paragraph",
        "heading", "paragraph", "heading", "paragraph", "separator", "paragraph",
    ]  # fmt: skip


def test_disclaimer_is_one_segment_with_markup() -> None:
    document = read_source(BVNA)
    block = document.blocks[-1]
    assert block.is_disclaimer
    assert document.has_disclaimer()
    assert len(block.segments) == 1
    text = block.segments[0].text
    assert text.startswith("**Disclaimer:** *This article is for informational purposes only")
    assert text.endswith("related to your treatment.*")
    assert block.segments[0].line == 12
    assert sum(b.is_disclaimer for b in document.blocks) == 1


def test_standard_disclaimer_file() -> None:
    document = read_source(SOURCE / "disclaimer.txt")
    assert [b.kind for b in document.blocks] == ["paragraph"]
    assert document.blocks[0].is_disclaimer
    assert len(document.segments) == 1
    assert identity(document) == text_of(SOURCE / "disclaimer.txt")


def test_sentences_and_lines_bvna() -> None:
    document = read_source(BVNA)
    intro = document.blocks[1]
    assert [s.line for s in intro.segments] == [2] * 7
    assert intro.segments[3].text == (
        "Says Dr. Zachary Lipman, fortunately, a rapidly evolving treatment option is gaining traction: "
        "basivertebral nerve ablation (BVNA)."
    )
    assert (intro.segments[3].index, intro.segments[3].count) == (3, 7)
    assert document.comment_for(intro.segments[1]) == (
        'paragraph 1, sentence 2 of 7 — section "Introduction: A New Approach to Chronic Back Pain Relief"'
    )
    conclusion = document.blocks[9]
    assert conclusion.section == "Conclusion: A Promising Future for Back Pain Management"
    assert conclusion.ordinal == 5
    assert conclusion.segments[0].line == 10
    assert document.blocks[0].level == 1 and document.blocks[2].level == 2 and conclusion.level == 0


def test_line_numbers_with_crlf_and_blank_lines() -> None:
    text = "Title\r\n\r\nFirst paragraph. Two.\n\n\nHeading here\r\nLast one."
    document = parse_txt(text, Path("a.txt"))
    assert [(s.text, s.line) for s in document.segments] == [
        ("Title", 1),
        ("First paragraph.", 3),
        ("Two.", 3),
        ("Heading here", 6),
        ("Last one.", 7),
    ]
    check_invariants(document)


def test_paragraph_mode_gives_one_segment_per_block() -> None:
    for article in ARTICLES:
        document = read_source(article, segmentation="paragraph")
        for block in document.blocks:
            expected = 0 if block.kind == "separator" else 1
            assert len(block.segments) == expected
            if block.segments:
                assert block.segments[0].raw == document.text[block.start : block.end]
        check_invariants(document)


def test_invalid_segmentation() -> None:
    with pytest.raises(ValueError, match="segmentation"):
        parse_txt("Title", Path("a.txt"), "word")


def test_txt_whitespace_is_skeleton() -> None:
    text = "\ufeff  Title  \n\t A sentence. Another one.\t \n"
    document = parse_txt(text, Path("a.txt"))
    assert [s.raw for s in document.segments] == ["Title", "A sentence.", "Another one."]
    translated = assemble(document, lambda s: s.text.upper())
    assert translated == "\ufeff  TITLE  \n\t A SENTENCE. ANOTHER ONE.\t \n"


@pytest.mark.parametrize("line", ["—", "–", "-", "---", "  —  ", "\t---", "* * *"])
def test_separators(line: str) -> None:
    document = parse_txt(f"Title\n{line}\nText here.", Path("a.txt"))
    assert [b.kind for b in document.blocks] == ["title", "separator", "paragraph"]
    assert document.blocks[1].segments == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Introduction", True),
        ("Introduction: A New Approach to Chronic Back Pain Relief", True),
        ("Understanding Vertebral Venous Malformations (VVMs)", True),
        ("What is BVN ablation?", False),
        ("It works.", False),
        ("Note:", False),
        ("Wait…", False),
        ('He said "stop."', False),
        ("(See below.)", False),
        ("**Important.**", False),
        ("one two three four five six seven eight nine ten eleven twelve", True),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", False),
    ],
)
def test_txt_heading_rule(line: str, expected: bool) -> None:
    assert is_txt_heading(line) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Disclaimer: this is not advice.", True),
        ("**Disclaimer:** *This is not advice.*", True),
        ("*Disclaimer:* this is not advice.", True),
        ("__Disclaimer:__ this is not advice.", True),
        ("**DISCLAIMER**: this is not advice.", True),
        ("disclaimer: lower case", True),
        ("The disclaimer: elsewhere", False),
        ("Disclaimer", False),
    ],
)
def test_disclaimer_detection(text: str, expected: bool) -> None:
    assert is_disclaimer_text(text) is expected
    document = parse_txt(f"Title\n{text}", Path("a.txt"))
    assert document.blocks[1].is_disclaimer is expected


def test_sections_before_first_heading_use_the_title() -> None:
    document = parse_txt("My title\nA paragraph here.\nA heading\nMore text.", Path("a.txt"))
    assert [b.section for b in document.blocks] == ["My title", "My title", "A heading", "A heading"]
    assert [b.ordinal for b in document.blocks] == [1, 1, 1, 2]


# --- reading and errors --------------------------------------------------------------------------------------


def test_read_source_non_utf8_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Title\nFine line.\nCaf\u00e9 au lait.\n".encode("latin-1"))
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert info.value.line == 3
    assert info.value.path == path
    assert "UTF-8" in str(info.value)
    assert str(info.value).startswith(f"{path}:3: ")


def test_read_source_crlf_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"# T\r\n\r\nok\r\n\r\nbad \xff here\r\n")
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert info.value.line == 5


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_read_source_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="empty"):
        read_source(path)


def test_read_source_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError, match="binary") as info:
        read_source(path)
    assert info.value.line == 3


def test_read_source_utf16(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Title\nText.".encode("utf-16"))
    with pytest.raises(SourceError, match="UTF-16"):
        read_source(path)


def test_read_source_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "article.docx"
    path.write_bytes(b"Title")
    with pytest.raises(SourceError, match="unsupported"):
        read_source(path)
    with pytest.raises(SourceError, match="unsupported"):
        parse_document("Title", Path("a.rst"))
    with pytest.raises(SourceError, match="cannot read"):
        read_source(tmp_path / "missing.txt")


def test_read_source_keeps_bom_and_crlf(tmp_path: Path) -> None:
    data = "\ufeff# Title\r\n\r\nText one. Text two.\r\n".encode()
    path = tmp_path / "doc.markdown"
    path.write_bytes(data)
    document = read_source(path, Path("source/doc.markdown"))
    assert document.format == "md"
    assert document.name == "doc"
    assert document.text.startswith("\ufeff")
    assert [s.text for s in document.segments] == ["Title", "Text one.", "Text two."]
    assert identity(document).encode("utf-8") == data


def test_parse_document_dispatches_by_suffix() -> None:
    assert parse_document("# T", Path("a.md")).format == "md"
    assert parse_document("# T", Path("a.MD")).format == "md"
    assert parse_document("# T", Path("a.txt")).format == "txt"
    assert parse_document("# T", Path("a.txt")).segments[0].text == "# T"


# --- Markdown ------------------------------------------------------------------------------------------------

MARKDOWN = """\ufeffIntro Title
===========

Some *emphasis. Across* sentences. A [link. With dot](http://a.b/c.d) here.
Use `a. b` code.

## Second level ##

Roses are red{TWO_SPACES}
violets are blue. And more\\
after backslash *in emph\\
asis* done.

1. First item. Two sentences.
   Continued line.
2. Second item
   - nested bullet
     continued

     second paragraph in nested

> Quoted text
> continues. Second sentence.
Lazy line.
>
> > Nested quote.

    indented code. Not segmented.

```python
fenced code. Not segmented.
```

<div>
HTML block. Not segmented.
</div>

***

Sub heading
-----------

# Another h1

**Disclaimer:** this is not advice.
""".replace("{TWO_SPACES}", "  ")

EXPECTED_MARKDOWN = [
    ("title", 1, 1, ["Intro Title"]),
    (
        "paragraph",
        0,
        4,
        ["Some *emphasis. Across* sentences.", "A [link. With dot](http://a.b/c.d) here.", "Use `a. b` code."],
    ),
    ("heading", 2, 7, ["Second level"]),
    ("paragraph", 0, 9, ["Roses are red", "violets are blue.", "And more", "after backslash *in emph asis* done."]),
    ("list_item", 0, 14, ["First item.", "Two sentences.", "Continued line."]),
    ("list_item", 0, 16, ["Second item"]),
    ("list_item", 0, 17, ["nested bullet continued"]),
    ("list_item", 0, 20, ["second paragraph in nested"]),
    ("blockquote", 0, 22, ["Quoted text continues.", "Second sentence.", "Lazy line."]),
    ("blockquote", 0, 26, ["Nested quote."]),
    ("code", 0, 28, []),
    ("code", 0, 30, []),
    ("html", 0, 34, []),
    ("separator", 0, 38, []),
    ("heading", 2, 40, ["Sub heading"]),
    ("heading", 1, 43, ["Another h1"]),
    ("paragraph", 0, 45, ["**Disclaimer:** this is not advice."]),
]


def markdown_summary(document: Document) -> list[tuple[str, int, int, list[str]]]:
    rows: list[tuple[str, int, int, list[str]]] = []
    for block in document.blocks:
        line = block.segments[0].line if block.segments else block.line
        rows.append((block.kind, block.level, line, [s.text for s in block.segments]))
    return rows


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_markdown_structures(newline: str) -> None:
    text = MARKDOWN.replace("\n", newline)
    document = parse_markdown(text, Path("a.md"))
    check_invariants(document)
    assert markdown_summary(document) == EXPECTED_MARKDOWN
    assert [s.line for s in document.blocks[1].segments] == [4, 4, 5]
    assert [s.line for s in document.blocks[3].segments] == [9, 10, 10, 11]
    assert [s.line for s in document.blocks[8].segments] == [22, 23, 24]
    assert document.blocks[-1].is_disclaimer
    assert document.title == "Intro Title"


def test_markdown_msgid_folds_line_breaks_and_markers() -> None:
    document = parse_markdown(MARKDOWN, Path("a.md"))
    quoted = next(s for s in document.segments if s.text == "Quoted text continues.")
    assert quoted.raw == "Quoted text\n> continues."
    nested = next(s for s in document.segments if s.text == "nested bullet continued")
    assert nested.raw == "nested bullet\n     continued"
    emph = next(s for s in document.segments if s.text.startswith("after backslash"))
    assert emph.raw == "after backslash *in emph\\\nasis* done."


def test_markdown_translation_keeps_skeleton() -> None:
    text = "## Title ##\n\n> One.\n> Two\n> three.\n\n- Item  \n  next\n\n```\ncode.\n```\n"
    document = parse_markdown(text, Path("a.md"))
    assert [s.text for s in document.segments] == ["Title", "One.", "Two three.", "Item", "next"]
    translated = assemble(document, lambda s: f"<{s.text}>")
    assert translated == "## <Title> ##\n\n> <One.>\n> <Two three.>\n\n- <Item>  \n  <next>\n\n```\ncode.\n```\n"


def test_markdown_title_only_for_first_heading() -> None:
    document = parse_markdown("## Intro\n\n# Big\n\ntext\n", Path("a.md"))
    assert [(b.kind, b.level) for b in document.blocks] == [("heading", 2), ("heading", 1), ("paragraph", 0)]
    assert document.blocks[2].section == "Big"


def test_markdown_paragraph_mode() -> None:
    document = parse_markdown(MARKDOWN, Path("a.md"), "paragraph")
    check_invariants(document)
    for block in document.blocks:
        assert len(block.segments) == (1 if block.kind in TRANSLATABLE_KINDS else 0)
    assert document.blocks[3].segments[0].text == (
        "Roses are red violets are blue. And more after backslash *in emph asis* done."
    )


def test_markdown_headings_edge_cases() -> None:
    text = "#\n\n### Closing #s ###\n\n#### Hash#\n\n> ## Quoted heading\n\n- # Listed heading\n"
    document = parse_markdown(text, Path("a.md"))
    check_invariants(document)
    assert [s.text for s in document.segments] == ["Closing #s", "Hash#", "Quoted heading", "Listed heading"]


def test_markdown_references_and_inline_html() -> None:
    text = "See [the docs][docs] and <b>bold</b> text. Next one.\n\n[docs]: https://example.org/a.b\n"
    document = parse_markdown(text, Path("a.md"))
    check_invariants(document)
    assert [s.text for s in document.segments] == ["See [the docs][docs] and <b>bold</b> text.", "Next one."]


@pytest.mark.parametrize("fixture", MARKDOWN_FIXTURES, ids=lambda p: p.stem)
def test_markdown_fixtures(fixture: Path) -> None:
    data = fixture.read_bytes()
    document = read_source(fixture)
    check_invariants(document)
    assert identity(document).encode("utf-8") == data
    translatable = [b for b in document.blocks if b.kind in TRANSLATABLE_KINDS and b.kind != "link_definition"]
    assert all(block.segments for block in translatable), "a block could not be mapped exactly"
    assert len(document.segments) >= max(10, len(translatable))
    assert len(document.segments) < len(data) / 20
    for segment in document.segments:
        expected = re.sub(r"[ \t]*(?:\r\n|\r|\n)[ \t>]*", " ", segment.raw)
        assert segment.text == expected.replace("\\ ", " ") or segment.text == expected
        assert not segment.text.startswith(">")
    for block in document.blocks:
        if block.kind in ("code", "html"):
            assert not any(block.start <= s.start < block.end for s in document.segments)


@pytest.mark.parametrize("fixture", MARKDOWN_FIXTURES, ids=lambda p: p.stem)
def test_markdown_fixture_variants(fixture: Path) -> None:
    text = text_of(fixture)
    base = [s.text for s in parse_markdown(text, fixture).segments]
    for variant in ("crlf", "bom", "no-final-newline", "trailing-spaces"):
        document = parse_markdown(VARIANTS[variant](text), fixture)
        check_invariants(document)
        if variant != "trailing-spaces":  # trailing spaces turn soft breaks into hard breaks
            assert [s.text for s in document.segments] == base


GFM = """---\ntitle: Guide\ndescription: 'A "quoted" one'\n---\n\n# Title <!-- c -->\n\n<!-- note -->\n\n\
Take 2 <!-- x --> tablets.[^1] See [a][ref] and ~~b~~.\n\n| A | B \\| c |\n|:--|--:|\n| 1. Two. | `x|y` |\n| | z |\n\n\
> | q | r |\n> |---|---|\n> | s | t |\n\n3. x\n4. y\n   - z\n\n![Alt *t*](img/a.png "T")\n\n![Ref][pic]\n\n\
[^1]: Note one.\n    More.\n\n    Second.\n[^n]: Two.\n\n\
[ref]: https://e.org "Ref title"\n[pic]: img/b.png\n  'Pic title'\n"""


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
@pytest.mark.parametrize("segmentation", ["sentence", "paragraph"])
def test_gfm_round_trip(variant: str, segmentation: str) -> None:
    text = VARIANTS[variant](GFM)
    document = parse_markdown(text, Path("a.md"), segmentation)
    check_invariants(document)
    kinds = {block.kind for block in document.blocks}
    if variant not in ("leading-spaces", "blank-lines"):  # those change the structure, not just the bytes
        assert {"front_matter", "table", "image", "footnote", "link_definition", "comment"} <= kinds
    assert not any("<!--" in segment.text for segment in document.segments)
    if variant == "original":
        texts = [segment.text for segment in document.segments]
        assert {"Guide", 'A "quoted" one', "1. Two.", "q", "t", "Alt *t*", "T", "Ref", "Ref title", "Pic title"} <= set(
            texts
        )
        assert "Take 2 tablets.[^1]" in texts or "Take 2 tablets.[^1] See [a][ref] and ~~b~~." in texts


# --- properties ----------------------------------------------------------------------------------------------

LINE_PARTS = st.sampled_from(
    [
        *"abcXYZ .*#->`\r\n—0123456789é中\t_[]()\\!?:\"'=+<",
        *["  ", "\r\n", "\n\n", "> ", "- ", "1. ", "```", "    ", "**", "Dr. ", "e.g. ", "\ufeff", "\xa0"],
        *["Disclaimer:", "ü", "😀", "---"],
        *["|", "| --- |", "|:-:|", "\\|", "<!--", "-->", "![", "](", "[^1]", "[^1]: ", "~~", '"', "title: ", "[a]: "],
    ]
)
TEXTS = st.lists(LINE_PARTS, max_size=60).map("".join)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(["sentence", "paragraph"]))
def test_txt_property(text: str, segmentation: str) -> None:
    check_invariants(parse_txt(text, Path("a.txt"), segmentation))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(["sentence", "paragraph"]))
def test_markdown_property(text: str, segmentation: str) -> None:
    check_invariants(parse_markdown(text, Path("a.md"), segmentation))


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=8))
def test_any_text_round_trips(lines: list[str]) -> None:
    text = "\n".join(lines)
    check_invariants(parse_txt(text, Path("a.txt")))
    check_invariants(parse_markdown(text, Path("a.md")))
