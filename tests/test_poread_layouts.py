"""Reading PO comments fast where writers write them plainly, and as GNU reads them everywhere: references between
spaces, and flags lines remembered.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.po import pofile


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
