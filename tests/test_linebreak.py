"""linebreak: the pure-Python line breaker breaks lines exactly where libunistring 1.0 and GNU gettext 0.21's msgcat
do, over every line-break class and width.

The oracle is libunistring's ``u8_width_linebreaks_v2`` through ctypes (skipped where libunistring 1.0 is not
installed) and ``msgcat`` itself (skipped without GNU gettext); strings are seeded random draws of characters of
every (line-break class, columns) group of the data, of any code point, and of sequences that exercise the special
rules (flags, emoji modifiers and ZWJ sequences, combining marks, Hebrew hyphens, CR LF, zero width spaces).
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from unittest import mock

import pytest

from polyleaf.po import linebreak, linebreak_data, pofile
from polyleaf.po.pofile import Message, PoFile

REPO = Path(__file__).resolve().parent.parent
LIBUNISTRING = linebreak._libunistring()
needs_libunistring = pytest.mark.skipif(LIBUNISTRING is None, reason="libunistring 1.0 is not installed")
needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext (msgcat) is not installed")
#: Sequences the special rules are about.
MOTIFS = [
    "🇫🇷", "🇫🇷🇩🇪🇮", "👍🏽", "👨\u200d👩\u200d👧", "\u200d", "a\u0301\u0302", " \u0301", "\u0301", "א-ב", "א\u05be",
    "\r\n", "\r", "\n", "\u2028", "\u200b", "\u200b ", "\u00ad", "\u3000", "\u2060", "\u00a0", "\ufeff", "%s", "(1)",
    "https://example.org/a/b?c=d", "1,000.5%", "$(x)", "«a»", "“a”", "—", "――", "日本語", "한국어", "ไทยลาว", "각",
]  # fmt: skip


@pytest.fixture(scope="module")
def groups() -> list[list[str]]:
    """Up to 60 characters of every (line-break class, columns) group of the data, surrogates left out."""
    members: dict[int, list[str]] = defaultdict(list)
    for code, value in enumerate(linebreak.unpacked_data()):
        if not 0xD800 <= code < 0xE000:
            members[value].append(chr(code))
    sampler = random.Random(1)
    return [sampler.sample(chars, min(60, len(chars))) for _, chars in sorted(members.items())]


def random_text(rng: random.Random, groups: list[list[str]], length: int) -> str:
    parts = []
    for _ in range(length):
        draw = rng.random()
        if draw < 0.2:
            parts.append(" " * rng.randint(1, 2))
        elif draw < 0.3:
            parts.append(rng.choice(MOTIFS))
        elif draw < 0.35:
            code = rng.randrange(0x110000 - 0x800)
            parts.append(chr(code + 0x800 if code >= 0xD800 else code))
        else:
            parts.append(rng.choice(rng.choice(groups)))
    return "".join(parts)


def test_the_data_covers_every_class_libunistring_has(groups: list[list[str]]) -> None:
    classes = {linebreak_data.CLASSES[value >> 2] for value in linebreak.unpacked_data()}
    assert classes == set(linebreak_data.CLASSES) - {"CP2"}  # Unicode 14.0 has no East Asian closing parenthesis
    assert {value & 3 for value in linebreak.unpacked_data()} == {0, 1, 2}
    assert len(groups) > len(linebreak_data.CLASSES)


@needs_libunistring
def test_the_python_breaker_equals_libunistring_on_12000_generated_strings(groups: list[list[str]]) -> None:
    assert LIBUNISTRING is not None
    rng = random.Random(20260522)
    differing = []
    for _ in range(12_000):
        text = random_text(rng, groups, rng.randint(0, 40)).encode("utf-8")
        overrides = bytes(len(text))
        if rng.random() < 0.3:
            overrides = bytes(rng.choice([0, 0, 0, 0, 0, 1, 1, 2, 3]) for _ in text)
        width, start = rng.choice([rng.randint(1, 12), rng.randint(10, 100)]), rng.randint(0, 20)
        expected = LIBUNISTRING(text, width, start, overrides)
        if linebreak.python_width_linebreaks(text, width, start, overrides) != expected:
            differing.append((text.decode("utf-8"), width, start))
    assert differing == []


@needs_libunistring
def test_linebreak_data_is_what_the_generator_reads_from_libunistring() -> None:
    script = REPO / "tools" / "generate_linebreak_data.py"
    spec = importlib.util.spec_from_file_location("generate_linebreak_data", script)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    expected = generator.module_text(generator.load_library())
    assert (REPO / "src" / "polyleaf" / "po" / "linebreak_data.py").read_text(encoding="utf-8") == expected


def msgcat_lines(path: Path, width: int) -> bytes:
    result = subprocess.run(["msgcat", f"--width={width}", str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


THUMBS, FAMILY, FLAGS = "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷🇩🇪🇮🇹"
SENTENCE = "Zero width spaces join these words so that only zero width spaces break this long line of text here"
WORDS = SENTENCE.split()
#: Strings the former fallback (line-break classes guessed from Unicode categories) broke elsewhere than msgcat, as
#: the lines msgcat writes them on at width 79: no break inside an emoji with its skin tone, a ZWJ sequence or a
#: flag, a break after a zero width space and after a soft hyphen, an ideographic space that is no space.
MSGCAT_LINES = [
    ["Los pulgares: " + THUMBS * 15, THUMBS * 10 + " y nada más."],
    ["Familia " + FAMILY * 11, FAMILY + " fin"],
    ["Banderas " + FLAGS * 11 + "🇫🇷", "🇩🇪🇮🇹" + FLAGS * 2 + " fin"],
    ["\u200b".join(WORDS[:-1]) + "\u200b", WORDS[-1]],
    ["\u00ad".join(WORDS[:-1]) + "\u00ad", WORDS[-1]],
    [
        "日本語の文章\u3000全角スペースのあとで\u3000行が折り返されるかどうかを確かめるため",
        "の\u3000十分に長い文です\u3000これで",
    ],
]
ISSUE_CASES = ["".join(lines) for lines in MSGCAT_LINES]


@pytest.mark.parametrize("lines", MSGCAT_LINES, ids=["thumbs", "family", "flags", "zwsp", "shy", "ideographic"])
def test_emoji_zero_width_space_soft_hyphen_and_ideographic_space_wrap_as_in_msgcat(lines: list[str]) -> None:
    """Runs everywhere; the test below checks these lines against msgcat."""
    with mock.patch.object(linebreak, "_libunistring", lambda: None):
        written = linebreak.po_string_lines("", "msgid", "".join(lines))
    assert written == ['msgid ""', *(f'"{line}"' for line in lines)]


@needs_msgcat
@pytest.mark.parametrize("width", [79, 33, 20])  # msgcat takes a width below 20 as 20
def test_the_python_breaker_writes_what_msgcat_writes(tmp_path: Path, width: int, groups: list[list[str]]) -> None:
    rng = random.Random(width)
    texts = ISSUE_CASES + [random_text(rng, groups, rng.randint(1, 60)) for _ in range(600)]
    texts = [text.replace("\r", "").replace("\u2028", "") for text in texts]  # no CR in a PO file
    texts = [text for text in texts if "\x00" not in text and text.strip()]
    header = Message(msgid="", msgstr=("Content-Type: text/plain; charset=UTF-8\n",))
    messages = [Message(msgid=f"{index} {text}", msgstr=(text,)) for index, text in enumerate(texts)]
    with mock.patch.object(linebreak, "_libunistring", lambda: None):
        written = pofile.write_po(PoFile((header, *messages)), width)
    path = tmp_path / "generated.po"
    path.write_bytes(written)
    assert msgcat_lines(path, width) == written
    assert written.count(b"\n") > 3 * len(texts)  # lines were broken
