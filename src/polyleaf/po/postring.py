"""The body of a PO string literal read with msgfmt's meaning (GNU gettext 0.21, po-lex.c), and what no PO string
can hold.

Both the reader (``poread``) and the writer (``pofile``, which keeps a header's original lines where it can) decode
string bodies, so the escapes live below both.
"""

from __future__ import annotations

import re
from pathlib import Path

from polyleaf.errors import CatalogError

_ESCAPE = re.compile(r"\\(?:([ntbrfva\\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))", re.DOTALL)
_SIMPLE = {"n": 10, "t": 9, "b": 8, "r": 13, "f": 12, "v": 11, "a": 7, "\\": 92, '"': 34}
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOWHERE = Path("-")
#: Digit runs a PO file gives as numbers (line numbers, plural indexes, nplurals, ranges) longer than this are no
#: number: Python refuses to convert more than 4,300 digits (a traceback), and no real count comes near 10^18.
MAX_DIGITS = 18


def number(digits: str) -> int | None:
    """The ASCII ``digits`` of a PO file as a number; None when there are more than ``MAX_DIGITS``."""
    return int(digits) if len(digits) <= MAX_DIGITS else None


def decode(body: str, path: Path, number: int) -> str:
    """A string's escapes with msgfmt's meaning; hex and octal escapes are bytes of the UTF-8 text."""
    value = body
    if "\\" in body:
        data = bytearray()
        position = 0
        for match in _ESCAPE.finditer(body):
            data += body[position : match.start()].encode("utf-8")
            simple, octal, hexadecimal, bad = match.groups()
            if bad is not None:
                raise CatalogError(f"invalid escape sequence \\{bad}", path, number)
            data.append(_SIMPLE[simple] if simple else int(octal or hexadecimal, 8 if octal else 16) & 0xFF)
            position = match.end()
        data += body[position:].encode("utf-8")
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError:
            message = "escape sequences make invalid UTF-8 (\\x and octal escapes are bytes of UTF-8 text)"
            raise CatalogError(message, path, number) from None
    if "\x00" in value or "\x04" in value:
        raise CatalogError(string_problem(value), path, number)
    return value


def decode_string(body: str) -> str:
    """The text of a string literal's body that was read once already (its escapes with msgfmt's meaning)."""
    return decode(body, _NOWHERE, 0)


def string_problem(value: str) -> str:
    """Why a PO file cannot hold ``value`` as a string, "" when it can: a NUL (gettext would cut the text there),
    the context separator <EOT> (msgfmt refuses it), a lone surrogate (not UTF-8: no file can hold it)."""
    if "\x00" in value:
        return "NUL character (\\0): gettext would cut the text there"
    if "\x04" in value:
        return "context separator <EOT> (\\004) within string"
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        return f"lone surrogate U+{ord(surrogate.group()):04X}: not a character (UTF-8 cannot hold it)"
    return ""
