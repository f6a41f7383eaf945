"""poread reads files laid out as PO writers lay them out entry by entry (one regular expression an entry), and
everything else with msgfmt's lexer and grammar. Both must read alike: every field, line number and original
text, and every refusal (the entry-by-entry reading gives up, so the grammar says what is wrong, where).

The grammar is the reference: it is the reader polyleaf had alone, and ``test_pofile`` holds it to GNU gettext.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.errors import CatalogError
from polyleaf.po import pofile, poread, powritten
from polyleaf.po.pofile import Message, PoFile

PATH = Path("t.po")
HEADER = (
    'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
)


def everything(message: Message | None) -> object:
    """All a message holds, its line and original lines (and the entry they were read as) included."""
    if message is None:
        return None
    fields = tuple(getattr(message, name) for name in Message.__dataclass_fields__ if name != "origin")
    origin = message.origin
    return fields, origin and (origin.text, origin.msgid_offset, everything(origin.message))


def by_grammar(text: str) -> list[object] | str:
    """What the lexer and grammar read in ``text``: its entries, or the error (with its line)."""
    physical = text.split("\n")
    try:
        tokens, ends = poread._tokenize(physical, PATH)
        return [everything(message) for message in poread._Parser(tokens, PATH, physical, ends).messages()]
    except CatalogError as error:
        return str(error)


def entry_by_entry(text: str) -> list[object] | None:
    """What the entry-by-entry reading makes of ``text`` (None: it leaves the file to the grammar)."""
    messages = powritten.written_messages(text)
    return None if messages is None else [everything(message) for message in messages]


def assert_read_alike(text: str) -> bool:
    """Both readings agree wherever the entry-by-entry one reads; whether it did."""
    fast = entry_by_entry(text)
    if fast is not None:
        assert fast == by_grammar(text)
    return fast is not None


# ------------------------------------------------------------------------------------------------ written files

WRITTEN = [  # active entries first, as they are written
    Message(
        msgid="", msgstr=("Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n",)
    ),
    Message(msgid="Plain.", msgstr=("Llano.",), comments=("mt: argos", ""), extracted=("paragraph 1",)),
    Message(
        msgid="Refs",
        msgstr=("Refs t",),
        references=(("a.txt", 3), ("b.txt", None), ("d:e", 7)),
        flags=("fuzzy", "c-format"),
    ),
    Message(msgid="Long " * 40, msgstr=("Largo " * 40,), msgctxt="ctx\nline"),
    Message(msgid='Esc "q" \\ \t\a\b\f\v\r é\n', msgstr=('"q"\n',)),
    Message(msgid="One", msgid_plural="Many", msgstr=("Uno", "Muchos")),
    Message(msgid="New", msgstr=("Viejo",), flags=("fuzzy",), previous_msgctxt="c", previous_msgid="Old " * 30),
    Message(msgid="Pl", msgid_plural="Pls", msgstr=("a", "b"), previous_msgid="P", previous_msgid_plural="Ps"),
    Message(msgid="\nEdges\n", msgstr=("\nBordes\n",), flags=("no-wrap",)),
    Message(msgid="Gone", msgstr=("Ido",), obsolete=True, comments=("kept",), previous_msgid="Went"),
    Message(msgid="Gone " * 30, msgid_plural="Gones", msgstr=("x " * 40, "y"), msgctxt="c", obsolete=True),
]


def test_files_as_writers_write_them_are_read_entry_by_entry_and_alike() -> None:
    data = pofile.write_po(PoFile(tuple(WRITTEN))).decode("utf-8")
    assert data.count("\n#~ msgid ") == 2 and "msgstr[1]" in data and '#| msgid ""' in data  # all kinds are there
    for text in (data, data.rstrip("\n"), "\n\n" + data.replace("\n\n", "\n\n\n"), data.replace("\n\n", "\n")):
        assert assert_read_alike(text)
    read = poread.parse_po_file(data.encode("utf-8"), PATH)
    assert read.messages == tuple(WRITTEN) and pofile.write_po(read).decode("utf-8") == data


def test_the_test_data_and_an_empty_file_are_read_entry_by_entry_and_alike() -> None:
    for path in sorted(Path(__file__).parent.glob("data/**/*.po")):
        assert assert_read_alike(path.read_text(encoding="utf-8")), path
    assert entry_by_entry("") == entry_by_entry("\n\n") == []


@pytest.mark.parametrize(
    "text",
    [
        'msgid "a"\nmsgstr "b" \n',  # a blank after the string
        'msgid "a"\r\nmsgstr "b"\r\n',  # CRLF
        'msgid  "a"\nmsgstr "b"\n',
        '# c\n\nmsgid "a"\nmsgstr "b"\n',  # a comment, a blank line, then its entry
        'msgid "a"\nmsgstr "b"\n# trailing comment\n',
        'msgid "a"\n\n"b"\nmsgstr ""\n',  # a string after a blank line continues the msgid
        'msgid "a"\n \nmsgstr "b"\n',
        'msgid "a" \\\n"b"\nmsgstr ""\n',  # joined lines
        '# c\\\n# d\nmsgid "a"\nmsgstr "b"\n',  # one comment: "# c# d"
        '#\\\nmsgid "a"\nmsgstr "b"\n',  # a comment that takes the msgid
        'msgid "a"\nmsgstr "\\xc3"\n"\\xad"\n',  # a character cut between two lines' escapes
        'msgid "a\\004"\nmsgstr ""\n',
        'msgid "a"\nmsgstr "b\x04"\n',
        'msgid "a"\nmsgstr "\\q"\n',
        'msgid "a"\nmsgid_plural "b"\nmsgstr[1] "x"\nmsgstr[0] "y"\n',
        'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[2] "y"\n',
        'msgid "a"\nmsgstr[0] "x"\n',
        'msgid "a"\nmsgid_plural "b"\nmsgstr "x"\n',
        '#~ msgid "a"\nmsgstr "b"\n',
        '#| msgid "a"\n#~ msgid "b"\n#~ msgstr "c"\n',
        '#~| msgid "a"\nmsgid "b"\nmsgstr "c"\n',
        '#| msgctxt "a"\nmsgid "b"\nmsgstr "c"\n',
        '#~\nmsgid "a"\nmsgstr "b"\n',
        'msgid "a"\nmsgstr "b"\ndomain "d"\n',
        'msgid "a"\n',
        'msgid "a\nmsgstr "b"\n',
    ],
)
def test_other_layouts_are_left_to_the_grammar(text: str) -> None:
    assert entry_by_entry(text) is None
    refused = by_grammar(text)
    if isinstance(refused, str):
        with pytest.raises(CatalogError) as error:
            poread.parse_po_file(text.encode("utf-8"), PATH)
        assert str(error.value) == refused
    else:
        assert [everything(message) for message in poread.parse_po_file(text.encode("utf-8"), PATH).messages] == refused


def test_what_the_grammar_does_not_check_is_checked_after_either_reading() -> None:
    text = 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n'
    assert assert_read_alike(text)
    with pytest.raises(CatalogError, match=r"t.po:4: duplicate msgid \(first at line 1\)"):
        poread.parse_po_file(text.encode("utf-8"), PATH)


# ------------------------------------------------------------------------------------------------ generated files

#: String bodies and comment lines that read (repeated: most files read), then ones that are refused or unusual.
BODIES = ["", "a", "Añ 中", "\\n", '\\"q\\"', "\\\\", "\\xc3\\xad", "\\303\\255", "\t\r\x1c\u2028"] * 6 + [
    "\\xc3",
    "\\q",
    "\\004",
]
COMMENTS = [
    "#",
    "# t",
    "#  two",
    "#. x",
    "#.y",
    "#: a.txt:1 b.txt",
    "#: a :2  c: 3\td:4",
    "#: :5 e:",
    "#, fuzzy",
] * 3 + [
    "#, c-format,fuzzy",
    "#, range: 1..3",
    "#! x",
    "#,",
    "#\\",
    "#~",
    "#~ x",
    "#| x",
]
KEYWORDS = ["msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", "msgstr[1]", "msgstr[01]", "domain", "foo"]
strings = st.sampled_from(BODIES).map(lambda body: f'"{body}"')
marks = st.sampled_from(["", "", "", "#~ ", "#| ", "#~| "])
odd_lines = st.one_of(
    st.sampled_from(["", " ", "\x1c", "#~", '"x', "msgid", "msgstr \\", 'msgid "a" "b"', 'msgid"a"', " #, fuzzy"]),
    st.tuples(
        marks, st.sampled_from(KEYWORDS), st.sampled_from([" ", "\t", "  "]), strings, st.sampled_from(["", " ", "\r"])
    ).map("".join),
)


@st.composite
def entries(draw: st.DrawFn) -> list[str]:
    """One entry, mostly as writers write it, sometimes with an odd line among its lines."""
    mark = draw(st.sampled_from(["", "", "#~ "]))
    previous = "#~| " if mark else "#| "
    lines = draw(st.lists(st.sampled_from(COMMENTS), max_size=3))

    def field(prefix: str, keyword: str) -> list[str]:
        first, more = draw(strings), draw(st.lists(strings, max_size=2))
        return [f"{prefix}{keyword} {first}", *(f"{prefix}{string}" for string in more)]

    if draw(st.booleans()):
        lines += field(previous, "msgctxt") if draw(st.booleans()) else []
        lines += field(previous, "msgid")
        lines += field(previous, "msgid_plural") if draw(st.booleans()) else []
    lines += field(mark, "msgctxt") if draw(st.booleans()) else []
    lines += field(mark, "msgid")
    if draw(st.booleans()):
        lines += field(mark, "msgstr")
    else:
        lines += field(mark, "msgid_plural")
        for index in draw(st.sampled_from([[0], [0, 1]] * 4 + [[1, 0], [0, 2], [0, 0]])):
            lines += field(mark, f"msgstr[{index}]")
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(odd_lines))
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = [""] * draw(st.integers(0, 1))
    for entry in draw(st.lists(entries(), min_size=1, max_size=5)):
        lines += entry + [""] * draw(st.integers(0, 2))
    text = "\n".join(lines)
    return text + "\n" if draw(st.booleans()) else text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents())
def test_generated_files_are_read_alike(text: str) -> None:
    assert_read_alike(text)
    assert_read_alike(HEADER + "\n" + text)


def test_the_generated_files_are_often_read_entry_by_entry() -> None:
    """The property above compares something: the entry-by-entry reading takes many generated files."""
    read: list[bool] = []

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)  # the same files every run
    @given(text=documents())
    def count(text: str) -> None:
        read.append(entry_by_entry(text) is not None)

    count()
    assert 0.2 < sum(read) / len(read) < 0.95


# ------------------------------------------------------------------------------------------------ references


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=" \t:ab.1\u00b2\u0663", max_size=20))
def test_references_between_spaces_are_read_as_gnu_reads_any_line(text: str) -> None:
    plain = pofile._plain_references(text)
    assert plain is None or plain == pofile._references(text)
    assert pofile.parse_references(text) == pofile._references(text)


def test_references_as_writers_write_them_take_the_plain_reading() -> None:
    line = " source/a.txt:12 b.txt  c:d:3 e:3x f:²"
    assert pofile._plain_references(line) == [
        ("source/a.txt", 12),
        ("b.txt", None),
        ("c:d", 3),
        ("e:3x", None),
        ("f:²", None),
    ]
    assert pofile.parse_references(line) == pofile._references(line)
    assert pofile._plain_references(" a : 3") is None and pofile.parse_references(" a : 3") == [("a", 3)]
    for line in (" a: 1", " a :1", " a : 1 b", ":1 a:2", " a:1: 2", "a:1\tb:2", " a::1", " :", " a:1:"):
        assert pofile.parse_references(line) == pofile._references(line), line


PLAIN = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # a header with nothing but the charset
HUGE = "9" * 5000  # more digits than Python converts to an int (4,300): a traceback, before


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (f'{PLAIN}#: a.txt:{HUGE}\nmsgid "a"\nmsgstr "b"\n', None),
        (f'{PLAIN}#: a.txt :{HUGE} b.txt:2\nmsgid "a"\nmsgstr "b"\n', None),
        (f'{PLAIN}#, range: 1..{HUGE}\nmsgid "a"\nmsgstr "b"\n', None),
        (f'{PLAIN}msgid "a"\nmsgid_plural "as"\nmsgstr[{HUGE}] "b"\n', "6: first plural form has nonzero index"),
        (PLAIN.replace("\\n", f"\\nPlural-Forms: nplurals={HUGE}; plural=0;\\n"), "1: header: nplurals is too large"),
    ],
    ids=["reference", "reference with blanks", "range", "plural index", "nplurals"],
)
def test_a_number_too_long_for_python_is_no_number_or_a_one_line_error(text: str, error: str | None) -> None:
    """A reference's line number that long stays part of its file name (the file is written back as it was); a
    plural index or nplurals that long is the grammar's error, with its line."""
    from polyleaf.catalog import model

    path = Path("huge.po")
    data = text.encode("utf-8")
    if error is not None:
        with pytest.raises(CatalogError) as raised:
            model.parse_po(data, path)
        assert str(raised.value).startswith(f"huge.po:{error}")
        return
    cat = model.parse_po(data, path)
    assert cat.to_bytes(None) == data
    assert all(line is None or line < 10**18 for _name, line in cat.po.messages[-1].references)
