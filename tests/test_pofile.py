"""pofile/poread/linebreak: polyleaf reads PO files with msgfmt's meaning and writes exactly what msgcat writes.

Most tests are differential: the same bytes go to GNU gettext 0.21 (msgfmt, msgattrib, msgcat) and to polyleaf,
and both must agree. They are skipped, with the reason, where GNU gettext is not installed.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.errors import CatalogError
from polyleaf.po import linebreak, pofile, poread
from polyleaf.po.pofile import Message, PoFile

GNU = all(shutil.which(tool) for tool in ("msgfmt", "msgcat", "msgattrib"))
needs_gnu = pytest.mark.skipif(not GNU, reason="GNU gettext (msgfmt, msgcat, msgattrib) is not installed")
HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: t\\n"\n"PO-Revision-Date: 2024-01-01 00:00+0000\\n"\n'
    '"Last-Translator: a\\n"\n"Language-Team: b\\n"\n"Language: es\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)
HEADER_LINES = HEADER.count("\n")


def parse(text: str | Path, path: Path = Path("t.po")) -> PoFile:
    """Parse text, or a file's bytes (never ``read_text``: it would turn a carriage return into a newline)."""
    if isinstance(text, Path):
        return poread.parse_po_file(text.read_bytes(), text)
    return poread.parse_po_file(text.encode("utf-8"), path)


def msgfmt(path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["msgfmt", "--check", "-o", str(path.with_suffix(".mo")), str(path)], capture_output=True)


def msgcat(path: Path, *options: str) -> bytes:
    result = subprocess.run(["msgcat", *options, str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


# ------------------------------------------------------------------------------------------------ escapes

ACCEPTED_ESCAPES = {
    "\\n": "\n", "\\t": "\t", "\\r": "\r", "\\b": "\b", "\\f": "\f", "\\v": "\v", "\\a": "\a", "\\\\": "\\",
    '\\"': '"', "\\101": "A", "\\7": "\a", "\\1011": "A1", "\\x41": "A", "\\x414243": "C", "\\xc3\\xad": "í",
    "\\303\\255": "í", "p\\xc3\\xadldora \\101.": "píldora A.",
}  # fmt: skip
REFUSED_ESCAPES = ["\\?", "\\'", "\\u00e9", "\\q", "\\x", "\\8", "\\004"]
#: msgfmt accepts these but would damage the text (cut it at NUL, write bytes that are not UTF-8): refused.
STRICTER_ESCAPES = ["\\0", "\\000", "\\xff", "\\xc3"]


@needs_gnu
@pytest.mark.parametrize("escape", sorted(ACCEPTED_ESCAPES))
def test_escapes_mean_what_they_mean_to_msgfmt(tmp_path: Path, escape: str) -> None:
    path = tmp_path / "t.po"
    path.write_text(f'{HEADER}msgid "a"\nmsgstr "x{escape}y"\n', encoding="utf-8")
    assert msgfmt(path).returncode == 0
    with path.with_suffix(".mo").open("rb") as compiled:
        gnu = gettext.GNUTranslations(compiled).gettext("a")
    ours = parse(path).messages[-1].text
    assert ours == gnu == f"x{ACCEPTED_ESCAPES[escape]}y"


@needs_gnu
@pytest.mark.parametrize("escape", REFUSED_ESCAPES + STRICTER_ESCAPES)
def test_escapes_msgfmt_refuses_or_that_damage_text_are_errors_with_a_line(tmp_path: Path, escape: str) -> None:
    path = tmp_path / "t.po"
    path.write_text(f'{HEADER}msgid "a"\nmsgstr "x{escape}y"\n', encoding="utf-8")
    assert (msgfmt(path).returncode != 0) == (escape in REFUSED_ESCAPES)
    with pytest.raises(CatalogError) as caught:
        parse(path)
    assert caught.value.line == HEADER_LINES + 2
    assert "\n" not in str(caught.value)


# ------------------------------------------------------------------------------------------------ grammar

#: (PO text after the header, whether msgfmt --check accepts it); polyleaf must agree on every one.
GRAMMAR = {
    "keyword and string on separate lines": 'msgid\n"a"\nmsgstr\n"b"\n',
    "one entry on one line": 'msgid "a" msgstr "b"\n',
    "two entries on one line": 'msgid "a" msgstr "b" msgid "c" msgstr "d"\n',
    "comment between msgid and msgstr": 'msgid "a"\n# note\nmsgstr "b"\n',
    "comment after a string": 'msgid "a" # note\nmsgstr "b"\n',
    "comment between #| and msgid": '#| msgid "o"\n#, fuzzy\nmsgid "a"\nmsgstr "b"\n',
    "obsolete and active mixed": '#~ msgid "a"\nmsgstr "b"\n',
    "obsolete entry with previous fields": '#, fuzzy\n#~| msgid "o"\n#~ msgid "a"\n#~ msgstr "b"\n',
    "msgstr[0] without msgid_plural": 'msgid "a"\nmsgstr[0] "b"\n',
    "plural entry with plain msgstr": 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n',
    "plural forms out of order": 'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\nmsgstr[0] "y"\n',
    "plural forms": 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n',
    "plural index with blanks": 'msgid "a"\nmsgid_plural "as"\nmsgstr [ 0 ] "x"\nmsgstr[1] "y"\n',
    "three forms for nplurals=2": 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n',
    "three forms, fuzzy": '#, fuzzy\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n',
    "msgid_plural without msgstr": 'msgid "a"\nmsgid_plural "as"\n',
    "msgctxt": 'msgctxt "c"\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    "msgctxt without msgid": 'msgctxt "c"\nmsgstr "b"\n',
    "duplicate": 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    "duplicate of an obsolete entry": 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',
    "missing msgstr": 'msgid "a"\n\nmsgid "b"\nmsgstr ""\n',
    "unknown keyword": 'msgid "a"\nmsgtsr "b"\n',
    "string outside an entry": '"a"\n',
    "msgstr without a string": 'msgid "a"\nmsgstr\n',
    "unterminated string": 'msgid "a"\nmsgstr "b\n',
    "msgid ends with \\n, msgstr not": 'msgid "a\\n"\nmsgstr "b"\n',
    "msgid ends with \\n, msgstr not, fuzzy": '#, fuzzy\nmsgid "a\\n"\nmsgstr "b"\n',
    "msgid ends with \\n, untranslated": 'msgid "a\\n"\nmsgstr ""\n',
    "msgstr begins with \\n": 'msgid "a"\nmsgstr "\\nb"\n',
    "line separators inside strings": 'msgid "a\u2028b"\nmsgstr "c\u2029d\x85e\x1cf\x1dg\x1eh\x0bi\x0cj"\n',
    "raw tab and carriage return inside a string": 'msgid "a"\nmsgstr "b\tc\rd"\n',
    "backslash-newline inside a string": 'msgid "a"\nmsgstr "ab\\\ncd"\n',
    "backslash-newline after a comment joins the next line": '# note \\\nmsgid "a"\nmsgstr "b"\n',
    "CRLF line ends": 'msgid "a"\r\nmsgstr "b"\r\n',
    "junk": 'msgid "a"\nmsgstr "b"\n%\n',
    "previous msgctxt without previous msgid": '#| msgctxt "c"\nmsgid "a"\nmsgstr "b"\n',
}


@needs_gnu
@pytest.mark.parametrize("name", sorted(GRAMMAR))
def test_polyleaf_accepts_exactly_what_msgfmt_check_accepts(tmp_path: Path, name: str) -> None:
    path = tmp_path / "t.po"
    path.write_text(HEADER + GRAMMAR[name], encoding="utf-8")
    accepted = msgfmt(path).returncode == 0
    try:
        parse(path)
    except CatalogError as error:
        assert not accepted, f"msgfmt accepts it, polyleaf says {error}"
        assert error.line is not None and error.line > HEADER_LINES - 12
    else:
        assert accepted, "msgfmt refuses it, polyleaf accepted it"


def test_domain_directives_are_refused(tmp_path: Path) -> None:
    """msgfmt writes one .mo per domain; a polyleaf catalog is one file, one domain."""
    with pytest.raises(CatalogError, match="domain"):
        parse(HEADER + 'domain "other"\nmsgid "a"\nmsgstr "b"\n')


def test_a_po_line_ends_at_newline_only() -> None:
    text = "a\u2028b\u2029c\x85d\x1ce\x1df\x1eg\x0bh\x0ci"
    po = parse(HEADER + f'msgid "{text}"\nmsgstr "{text}!"\n')
    message = po.messages[-1]
    assert (message.msgid, message.text, message.line) == (text, f"{text}!", HEADER_LINES + 1)


# ------------------------------------------------------------------------------------------------ flags

FLAG_LINES = {
    "no comma": "#, fuzzy c-format",
    "no blank": "#,fuzzy",
    "fuzzy second": "#, c-format fuzzy",
    "two lines, fuzzy first": "#, fuzzy\n#, c-format",
    "two lines, fuzzy last": "#, c-format\n#, fuzzy",
    "bang": "#! fuzzy",
    "lookalike": "#, fuzzyish, no-fuzzy",
    "commas and tabs": "#,\tno-wrap,,fuzzy",
}


@needs_gnu
@pytest.mark.parametrize("name", sorted(FLAG_LINES))
def test_fuzzy_is_what_msgattrib_says(tmp_path: Path, name: str) -> None:
    path = tmp_path / "t.po"
    path.write_text(f'{HEADER}{FLAG_LINES[name]}\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    listed = subprocess.run(["msgattrib", "--only-fuzzy", str(path)], capture_output=True, text=True).stdout
    assert parse(path).messages[-1].fuzzy == ('msgid "a"' in listed)


def test_flags_are_kept_in_gnu_order_with_unknown_ones_last() -> None:
    flags = pofile.parse_flags(" read-only, no-wrap, python-format fuzzy range: 1..5, possible-c-format")
    assert flags == ("fuzzy", "c-format", "python-format", "range: 1..5", "no-wrap", "read-only")


# ------------------------------------------------------------------------------------------------ writing

CORNERS = [
    "word " * 20,
    "x" * 90,
    "line one\nline two\n",
    "end\n",
    "中文" * 50,
    "http://example.com/a/very/long/path/segment/another/segment/and/more/stuff/here.html ok",
    'a\\b"c ' * 14,
    "Tiếng Việt có dấu và những từ rất dài để ngắt dòng ở đúng chỗ như msgcat làm " * 2,
    "العربية نص طويل جدا يحتاج إلى أن يلتف عبر عدة أسطر كما يفعل msgcat بالضبط هنا " * 2,
    "Русский текст, который достаточно длинный, чтобы перенести его на несколько строк. " * 2,
    "tab\there and a bell\a and form\ffeed and a vertical\vtab in a line that wraps somewhere " * 2,
    "sep\u2028arator " * 12,
]


@needs_gnu
@pytest.mark.parametrize("width", [79, 50, 100])
def test_writer_matches_msgcat_on_corner_cases(tmp_path: Path, width: int) -> None:
    messages = [
        Message(
            msgid="", msgstr=(HEADER.split('msgstr ""\n')[1].replace('"', "").replace("\\n\n", "\n").strip() + "\n",)
        )
    ]
    for index, text in enumerate(CORNERS):
        messages.append(Message(msgid=f"m{index} {text}" if not text.endswith("\n") else f"m{index}\n", msgstr=(text,)))
    messages.append(
        Message(msgid="o", msgstr=("obsolete " * 12,), previous_msgid="old " * 25, obsolete=True, flags=("fuzzy",))
    )
    po = PoFile(tuple(messages))
    path = tmp_path / "t.po"
    path.write_bytes(pofile.write_po(po, width))
    assert msgcat(path, f"--width={width}") == path.read_bytes()
    assert parse(path) == po


#: Directives with a break opportunity inside; for python-brace, also GNU 0.21's quirk (marks at the string's start)
DIRECTIVES = {
    "c-format": "% d|%-10s|%5.1f%%|%1$ d|%y % d|%-<PRIxLEAST16>|%1$-*2$d|%-'lld",
    "python-format": "%(count) d|%(name)-10s|%%|%y % d|%(a(b) c)-s|%-.s",
    "python-brace-format": "{count:>10}|{0}|{name!r:^ 8}|{a.b[0]:>10}|{{x}} {n: >9}|{x[}|{:d}|{a:{b}}|{a:{b:c}} x",
}


@needs_gnu
@pytest.mark.parametrize("flag", sorted(DIRECTIVES))
def test_lines_never_break_inside_a_format_directive(tmp_path: Path, flag: str) -> None:
    """As GNU: with a format flag, a directive such as ``% d`` is never split across lines."""
    messages = [Message(msgid="", msgstr=("Content-Type: text/plain; charset=UTF-8\n",))]
    for directive in DIRECTIVES[flag].split("|"):
        for filler in (*range(55, 80), 0, 3):
            text = f"{'x' * filler} {directive} and a few words {directive} more {'y ' * 30}"
            messages.append(Message(msgid=text, msgstr=("",), flags=(flag,)))
    path = tmp_path / "t.po"
    path.write_bytes(pofile.write_po(PoFile(tuple(messages))))
    assert msgcat(path) == path.read_bytes()


#: Characters of directives and of what ends them (C's ``<PRIx8>``, Python's ``%(a(b))s``…) and break opportunities.
ALPHABET = "{}%ab0.[]:>! -()sd$*<PRIx18hlF'"


@needs_gnu
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    flag=st.sampled_from(sorted(DIRECTIVES)),
    texts=st.lists(st.text(alphabet=ALPHABET, min_size=20, max_size=120), min_size=1, max_size=8),
)
def test_format_directives_of_any_shape_wrap_as_msgcat_wraps(tmp_path: Path, flag: str, texts: list[str]) -> None:
    """In msgid and msgstr: GNU's C parser takes an ``I`` flag in a msgstr only."""
    messages = [Message(msgid="", msgstr=("Content-Type: text/plain; charset=UTF-8\n",))]
    messages += [
        Message(msgid=f"{index} {text}", msgstr=(f"{text} {index}",), flags=(flag,)) for index, text in enumerate(texts)
    ]
    path = tmp_path / "t.po"
    path.write_bytes(pofile.write_po(PoFile(tuple(messages)), 40))
    assert msgcat(path, "--width=40") == path.read_bytes()


def test_unchanged_entries_keep_their_original_lines() -> None:
    """An editor's own wrapping (here: none) stays as long as the entry does not change."""
    text = HEADER + f'msgid "a"\nmsgstr "{"word " * 30}"\n\n#: x.txt:1\nmsgid "b"\nmsgstr "c"\n'
    po = parse(text)
    assert pofile.write_po(po).decode() == text
    changed = PoFile((*po.messages[:-1], Message(msgid="b", msgstr=("d",), references=(("x.txt", 2),))))
    assert pofile.write_po(changed).decode() == text.replace(
        '#: x.txt:1\nmsgid "b"\nmsgstr "c"', '#: x.txt:2\nmsgid "b"\nmsgstr "d"'
    )


@needs_gnu
def test_a_comment_ending_with_a_backslash_does_not_swallow_the_next_line(tmp_path: Path) -> None:
    po = PoFile(
        (Message(msgid="a", msgstr=("b",), comments=("C:\\",), extracted=("x\\",)), Message(msgid="c", msgstr=("d",)))
    )
    path = tmp_path / "t.po"
    path.write_bytes(pofile.write_po(po))
    assert [m.msgid for m in parse(path).messages] == ["a", "c"]
    assert msgcat(path) == path.read_bytes()


# --- property: any catalog polyleaf writes is what msgcat writes, passes msgfmt --check and reads back the same

ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 .,;:!?-–—/()[]{}«»“”'\"\\%*_ \t\n"
    "中文字词句。、，ひらがなカタカナ한국어 العربية Русский Tiếng Việt ǹ\u0301 ｆｕｌｌ\u2028\u2029\x85\x1c\x0b\x0c\a\r"
)
words = st.text(alphabet=ALPHABET, min_size=1, max_size=12) | st.sampled_from(["x" * 85, "https://example.org/a/b/c"])
texts = st.lists(words, min_size=1, max_size=14).map(" ".join).map(lambda text: text.strip("\n") or "x")


@st.composite
def messages(draw: st.DrawFn, index: int) -> Message:
    msgid = f"{index} {draw(texts)}"
    ending = "\n" if draw(st.booleans()) and draw(st.booleans()) else ""
    translated = draw(st.booleans())
    forms: tuple[str, ...] = (draw(texts) + ending if translated else "",)
    plural = None
    if draw(st.integers(0, 5)) == 0:
        plural, forms = draw(texts) + ending, (forms[0], draw(texts) + ending if translated else "")
    obsolete = translated and draw(st.integers(0, 4)) == 0
    fuzzy = translated and draw(st.booleans())
    flags = (("fuzzy",) if fuzzy else ()) + draw(st.sampled_from([(), ("no-wrap",), ("range: 1..5",)]))
    reference_names = st.sampled_from(["source/a.txt", "source/très-long-nom-de-fichier.md", "b"])
    references = draw(st.lists(st.tuples(reference_names, st.integers(1, 9999) | st.none()), max_size=8, unique=True))
    comment_text = st.text(alphabet=ALPHABET.replace("\n", ""), max_size=30).map(lambda text: text.strip().rstrip("\\"))
    return Message(
        msgid=msgid + ending,
        msgstr=forms,
        msgctxt=draw(st.none() | texts),
        msgid_plural=plural,
        comments=tuple(draw(st.lists(comment_text, max_size=2))),
        extracted=() if obsolete else tuple(draw(st.lists(comment_text, max_size=2))),
        references=() if obsolete else tuple(references),
        flags=tuple(flag for flag in flags if not (obsolete and flag.startswith("range"))),
        previous_msgid=(draw(texts) + ending) if fuzzy and draw(st.booleans()) else None,
        obsolete=obsolete,
    )


@st.composite
def catalogs(draw: st.DrawFn) -> PoFile:
    header = Message(
        msgid="", msgstr=(HEADER.split('msgstr ""\n')[1].replace('"', "").replace("\\n\n", "\n").strip() + "\n",)
    )
    count = draw(st.integers(1, 6))
    return PoFile((header, *(draw(messages(index)) for index in range(count))))


@pytest.mark.slow
@needs_gnu
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(po=catalogs(), width=st.sampled_from([79, 79, 79, 40, 60, 100]))
def test_written_catalogs_are_what_msgcat_writes_and_msgfmt_accepts(tmp_path: Path, po: PoFile, width: int) -> None:
    path = tmp_path / "t.po"
    data = pofile.write_po(po, width)
    path.write_bytes(data)
    assert msgcat(path, f"--width={width}") == data
    assert msgfmt(path).returncode == 0, msgfmt(path).stderr.decode()
    written = [m for m in po.messages if not m.obsolete] + [m for m in po.messages if m.obsolete and any(m.msgstr)]
    assert parse(data.decode("utf-8")) == PoFile(tuple(written))


@pytest.mark.skipif(linebreak._libunistring() is None, reason="libunistring is not installed")
@settings(max_examples=400, deadline=None)
@given(
    text=st.text(
        alphabet="abcdefghij ,.;:!?()[]{}-/中文字。、ア한 Tiếng العربية—–\"'«»%$0123\u00a0\u2028", max_size=150
    ),
    width=st.integers(10, 90),
)
def test_the_pure_python_fallback_breaks_lines_like_libunistring(text: str, width: int) -> None:
    data = text.encode("utf-8")
    overrides = bytes(len(data))
    assert linebreak.python_width_linebreaks(data, width, 6, overrides) == linebreak.width_linebreaks(
        data, width, 6, overrides
    )
