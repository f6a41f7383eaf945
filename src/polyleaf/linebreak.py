"""Where GNU gettext breaks a PO string into lines, so that polyleaf writes exactly what ``msgcat`` writes.

``msgcat`` (write-po.c, function ``wrap``) escapes each ``\\n``-terminated portion of a string and asks
libunistring's ``ulc_width_linebreaks`` where to break it: UAX #14 line breaking with East Asian widths at width
79 (Chinese breaks between ideographs, URLs after ``/``, never inside an escape sequence). The same function of
the same shared library, called through ctypes, gives byte-identical lines; libunistring is installed wherever GNU
gettext is. Without it, a pure-Python fallback applies libunistring's UAX #14 pair table to line-break classes
guessed from Unicode categories (17 classes: spaces, ideographs, punctuation, hyphens, quotes…); it agrees with
libunistring on mixed Latin/CJK/Arabic/Vietnamese text in tests, and only rare characters may wrap differently.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache

#: libunistring's break values (unilbrk.h).
UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3
_POSSIBLE = bytes([POSSIBLE])
#: GNU's default page width.
PAGE_WIDTH = 79
NO_WRAP = 2**31 - 1

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
_ESCAPES.update({"\\": "\\\\", '"': '\\"'})
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')

Breaker = Callable[[bytes, int, int, bytes], bytes]


@cache
def _libunistring() -> Breaker | None:
    """``u8_width_linebreaks`` of the installed libunistring (the ``_v2`` rules msgcat 0.21 uses), or None."""
    name = ctypes.util.find_library("unistring")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    function = getattr(library, "u8_width_linebreaks_v2", None) or getattr(library, "u8_width_linebreaks", None)
    if function is None:
        return None
    function.restype = ctypes.c_int
    function.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int]
    function.argtypes += [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]

    def breaks(text: bytes, width: int, start: int, overrides: bytes) -> bytes:
        result = ctypes.create_string_buffer(len(text))
        function(text, len(text), width, start, 0, overrides, b"UTF-8", result)
        return result.raw

    return breaks


def width_linebreaks(text: bytes, width: int, start: int, overrides: bytes) -> bytes:
    """One value per byte of UTF-8 ``text``: POSSIBLE where a line break goes (libunistring's contract)."""
    breaker = _libunistring() or python_width_linebreaks
    return breaker(text, width, start, overrides)


def po_string_lines(
    prefix: str, keyword: str, value: str, width: int = PAGE_WIDTH, directives: Sequence[tuple[int, int]] = ()
) -> list[str]:
    """The lines GNU writes for ``keyword "value"`` (``prefix`` is ``""``, ``"#~ "``, ``"#| "`` or ``"#~| "``);
    ``width`` NO_WRAP writes each ``\\n``-terminated portion on one line, as for a ``no-wrap`` entry; no line breaks
    inside the format ``directives`` (start, end) of the value."""
    inside = {index for begin, end in directives for index in range(begin + 1, end)}
    lines: list[str] = []
    offset = 0  # where the portion starts in the value
    after_break = len(prefix) + 1
    usable = width - 1 - after_break
    first = True
    rest = value
    while True:
        cut = rest.find("\n") + 1 or len(rest)
        portion, rest = rest[:cut], rest[cut:]
        escaped = _escape(portion)
        kept = frozenset(index - offset for index in inside if offset <= index < offset + len(portion))
        offset += len(portion)
        start = len(prefix) + (len(keyword) + 1 if first else 0) + 1 - after_break
        if escaped and _fits(escaped, start, usable) and not (first and rest):
            pieces = [escaped]
        else:
            pieces = _break(portion, escaped, usable, start, kept)
            if first and escaped and (rest or start > usable or len(pieces) > 1):
                lines.append(f'{prefix}{keyword} ""')
                first = False
                start = len(prefix) + 1 - after_break
                pieces = _break(portion, escaped, usable, start, kept)
        head = f"{prefix}{keyword} " if first else prefix
        lines.append(f'{head}"{pieces[0]}"')
        lines.extend(f'{prefix}"{piece}"' for piece in pieces[1:])
        first = False
        if not rest:
            return lines


def _escape(portion: str) -> str:
    return portion.translate(_ESCAPE_TABLE) if _NEEDS_ESCAPE.search(portion) else portion


def _fits(escaped: str, start: int, usable: int) -> bool:
    """Cheap certainty that no break is needed: every character is at most 2 columns wide."""
    limit = usable - start
    return len(escaped) <= limit and (escaped.isascii() or 2 * len(escaped) <= limit)


def _break(portion: str, escaped: str, usable: int, start: int, kept: frozenset[int]) -> list[str]:
    """``escaped`` cut where libunistring puts line breaks; escape sequences, a final ``\\n`` and the characters of
    ``portion`` at the ``kept`` indexes (inside format directives) stay with what precedes them."""
    data = escaped.encode("utf-8")
    overrides = bytearray(len(data))
    index = data.find(b"\\")
    while index >= 0:
        overrides[index + 1] = PROHIBITED  # the character after a backslash belongs to the escape sequence
        index = data.find(b"\\", index + 2)
    if kept:
        position = 0
        for number, char in enumerate(portion):
            if number in kept:
                overrides[position] = PROHIBITED
            position += len(_ESCAPES.get(char, char).encode("utf-8"))
    if escaped.endswith("\\n"):
        overrides[-2] = PROHIBITED  # don't break immediately before the "\n" at the end
    breaks = width_linebreaks(data, usable, start, bytes(overrides))
    pieces = []
    begin = 0
    position = breaks.find(_POSSIBLE, 1)
    while position >= 0:
        pieces.append(data[begin:position].decode("utf-8"))
        begin = position
        position = breaks.find(_POSSIBLE, position + 1)
    pieces.append(data[begin:].decode("utf-8"))
    return pieces


def reference_lines(references: Sequence[str], width: int = PAGE_WIDTH) -> list[str]:
    """``#:`` lines as GNU fills them: a new line when the next reference would pass ``width`` (in bytes)."""
    lines: list[str] = []
    line, column = "#:", 2
    for reference in references:
        length = len(reference.encode("utf-8")) + 1
        if column > 2 and column + length > width:
            lines.append(line)
            line, column = "#:", 2
        line += " " + reference
        column += length
    lines.append(line)
    return lines


# ---------------------------------------------------------------------------------- pure-Python fallback


def python_width_linebreaks(text: bytes, width: int, start: int, overrides: bytes) -> bytes:
    """libunistring's greedy filling (``u8_width_linebreaks``) over a simplified UAX #14 break table."""
    chars = text.decode("utf-8")
    possible = _possible_breaks(chars)
    result = bytearray([PROHIBITED]) * len(text)
    position = 0
    last: int | None = None
    column, piece = start, 0
    for char, value in zip(chars, possible, strict=True):
        size = len(char.encode("utf-8"))
        if overrides[position] != UNDEFINED:
            value = overrides[position]
        if value in (POSSIBLE, MANDATORY) and last is not None and column + piece > width:
            result[last] = POSSIBLE
            column = 0
        if value == MANDATORY:
            result[position] = MANDATORY
            last, column, piece = None, 0, 0
        else:
            if value == POSSIBLE:
                last, column, piece = position, column + piece, 0
            piece += _width(char)
        position += size
    if last is not None and column + piece > width:
        result[last] = POSSIBLE
    return bytes(result)


def _width(char: str) -> int:
    """Columns of a character, as libunistring's ``uc_width`` for UTF-8 (ambiguous characters are narrow)."""
    if unicodedata.category(char) in ("Mn", "Me", "Cf") or char < " " or "\x7f" <= char < "\xa0":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


#: UAX #14 pair table for the classes the fallback knows, as libunistring applies it (read off its
#: ``u8_possible_linebreaks``): row = class before, column = class after; "_" break allowed, "%" only after
#: spaces, "^" never.
_CLASSES = ["OP", "CP", "CL", "QU", "EX", "SY", "IS", "PR", "PO", "NU", "AL", "ID", "HY", "BA", "B2", "NS", "GL"]
_PAIRS = {
    "OP": "^^^^^^^^^^^^^^^^^",
    "CP": "_^^%^^^%%%%_%%_%%",
    "CL": "_^^%^^^%%___%%_^%",
    "QU": "^^^%^^^%%%%%%%%%%",
    "EX": "_^^%^^^_____%%_%%",
    "SY": "_^^%^^^__%__%%_%%",
    "IS": "_^^%^^^__%__%%_%%",
    "PR": "%^^%^^^__%%%%%_%%",
    "PO": "%^^%^^^__%%_%%_%%",
    "NU": "%^^%^^^%%%%_%%_%%",
    "AL": "%^^%^^^%%%%_%%_%%",
    "ID": "_^^%^^^_%___%%_%%",
    "HY": "_^^%^^^__%__%%_%_",
    "BA": "_^^%^^^_____%%_%_",
    "B2": "_^^%^^^_____%%^%%",
    "NS": "_^^%^^^_____%%_%%",
    "GL": "%^^%^^^%%%%%%%%%%",
}
_FIXED = {
    **dict.fromkeys("([{", "OP"), **dict.fromkeys(")]", "CP"), **dict.fromkeys("}、。，．｝", "CL"),
    **dict.fromkeys("\"'«»‘’“”", "QU"), **dict.fromkeys("!?！？", "EX"), "/": "SY", **dict.fromkeys(",.:;", "IS"),
    **dict.fromkeys("\\+$£€¥", "PR"), **dict.fromkeys("%‰°¢", "PO"), "-": "HY", **dict.fromkeys("–|‐\t", "BA"),
    "—": "B2", **dict.fromkeys("ー々ゝゞヽヾ", "NS"), **dict.fromkeys("\u00a0\u202f\u2007", "GL"),
    **dict.fromkeys("\u2028\u2029\x85\x0b\x0c", "BK"), " ": "SP",
}  # fmt: skip


def _kind(char: str) -> str:
    """The UAX #14 line-break class of a character, from a few fixed ones and its Unicode category."""
    fixed = _FIXED.get(char)
    if fixed:
        return fixed
    category = unicodedata.category(char)
    if category in ("Mn", "Mc", "Me"):
        return "CM"
    if category == "Ps":
        return "OP"
    if category == "Pe":
        return "CL"
    if category in ("Pi", "Pf"):
        return "QU"
    if category == "Nd":
        return "NU"
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "NS" if "SMALL" in unicodedata.name(char, "") else "ID"
    return "AL"


def _possible_breaks(chars: str) -> list[int]:
    """POSSIBLE before a character where the pair table allows a break; MANDATORY on a line separator itself
    (libunistring's convention), after which a new line starts."""
    result = [PROHIBITED] * len(chars)
    before = ""  # the class before the current run of spaces ("" at the start of a line)
    spaces = False
    for index, char in enumerate(chars):
        kind = _kind(char)
        if kind == "BK":
            result[index] = MANDATORY
            before, spaces = "", False
            continue
        if kind not in ("SP", "CM") and before in _PAIRS:
            rule = _PAIRS[before][_CLASSES.index(kind)] if kind in _PAIRS else ("_" if before != "OP" else "^")
            result[index] = POSSIBLE if rule == "_" or (rule == "%" and spaces) else PROHIBITED
        if kind == "SP":
            spaces = True
        elif kind != "CM" or not before:
            before, spaces = (kind if kind != "CM" else "AL"), False
    return result
