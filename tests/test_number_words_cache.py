"""Each language's spelled-out numbers are kept in this user's cache folder (``qa.numerals``): a new process reads
them without num2words, the words are num2words' own, and an entry this machine did not write is not used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import num2words
import pytest

from polyleaf.qa import numerals


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A cache folder of the test's own, nothing kept in memory (as in a new process), and num2words' calls."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made: list[str] = []
    write = num2words.num2words

    def counting(number: int, lang: str = "en", **kwargs: object) -> str:
        made.append(lang)
        return str(write(number, lang=lang, **kwargs))

    monkeypatch.setattr(num2words, "num2words", counting)
    numerals.number_words.cache_clear()
    yield made
    numerals.number_words.cache_clear()


def test_number_words_written_once_are_read_by_a_new_process(calls: list[str]) -> None:
    first = numerals.number_words("es")
    assert calls and first["veintiuna"] == 21 and first["cien"] == 100
    assert first == numerals._written("es")
    calls.clear()
    numerals.number_words.cache_clear()
    again = numerals.number_words("es")
    assert calls == []
    assert list(again.items()) == list(first.items())


@pytest.mark.parametrize(
    "forged",
    [
        (b"polyleaf-cache-1 ", b"polyleaf-cache-1 0"),  # another machine's signature
        (b'"un":1,', b'"un":2,'),  # a word's value changed, the signature kept
    ],
)
def test_number_words_this_machine_did_not_keep_are_written_again(
    calls: list[str], tmp_path: Path, forged: tuple[bytes, bytes]
) -> None:
    numerals.number_words("fr")
    (kept,) = (tmp_path / "cache" / "polyleaf" / numerals.FOLDER).glob("fr*")
    raw = kept.read_bytes()
    assert forged[0] in raw
    kept.write_bytes(raw.replace(*forged, 1))
    calls.clear()
    numerals.number_words.cache_clear()
    assert numerals.number_words("fr")["un"] == 1
    assert calls
