"""Where the format directives of a PO string are, as GNU gettext 0.21 marks them for ``msgcat``'s line breaking.

write-po.c never breaks a line inside a directive its format parser marked (start to end), for the entry's first
format flag. The parsers stop at the first invalid directive: what they marked before stays marked, the invalid
one and everything after it are not. Their rules are reproduced here (format-c-parse.h, format-python.c,
format-python-brace.c of 0.21), not Python's own: ``%a`` and ``%F`` are not Python directives for GNU, mixing
named and unnamed arguments ends the parse, and so on; a test compares with ``msgcat`` on generated strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_DIGITS = re.compile(r"[0-9]+")
_C_FLAGS = " +-#0'"
_C_SIZES = "hlLqjzZt"
_C_TYPED = "cCsSidouxXeEfFgGaApn"
_C_SYSDEP = re.compile(r"<PRI[diouxX](?:MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>")
_PYTHON_CONVERSIONS = "%csridouxXeEfgG"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?#?0?[0-9]*(?:\.[0-9]*)?[bcdoxXneEfFgG%]?", re.DOTALL)


def directive_spans(language: str, value: str, translated: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the directives of ``value`` for the format ``language`` (``c`` for ``c-format``…);
    ``translated`` for a msgstr (C's ``I`` flag is a msgstr-only flag). Other languages have none here."""
    if language in ("c", "objc"):
        return _c_spans(value, translated, objc=language == "objc")
    if language == "python":
        return _python_spans(value)
    if language == "python-brace":
        return _python_brace_spans(value)
    return []


class _Invalid(Exception):
    """The parser met an invalid directive: the spans found so far are the result."""


class _Arguments:
    """Numbered (``%1$s``, ``(name)``) and unnumbered arguments cannot mix: the parse ends where they do."""

    def __init__(self) -> None:
        self.numbered = 0
        self.unnumbered = 0

    def add(self, numbered: bool) -> None:
        if self.unnumbered if numbered else self.numbered:
            raise _Invalid
        if numbered:
            self.numbered += 1
        else:
            self.unnumbered += 1


def _scan(value: str, directive: Callable[[int], int]) -> list[tuple[int, int]]:
    """The spans of the ``%`` directives of ``value``, each parsed by ``directive`` (given the index after its
    ``%``, the index of its conversion character), up to the first invalid one."""
    spans: list[tuple[int, int]] = []
    index = value.find("%")
    try:
        while index >= 0:
            end = directive(index + 1)
            spans.append((index, end + 1))
            index = value.find("%", end + 1)
    except _Invalid:
        pass
    return spans


def _width_and_precision(value: str, index: int, star: Callable[[int], int]) -> int:
    """Past an optional width and an optional ``.precision`` at ``index``: digits, or ``*``, whose argument
    ``star`` takes (given the index after the ``*``, where parsing goes on)."""
    for part in ("width", "precision"):
        if part == "precision":
            if value[index : index + 1] != ".":
                break
            index += 1
        if value[index : index + 1] == "*":
            index = star(index + 1)
        else:
            digits = _DIGITS.match(value, index)
            index = digits.end() if digits else index
    return index


def _c_spans(value: str, translated: bool, objc: bool) -> list[tuple[int, int]]:
    arguments = _Arguments()
    return _scan(value, lambda index: _c_directive(value, index, translated, objc, arguments))


def _c_argument_number(value: str, index: int) -> tuple[int, int]:
    """``m$`` at ``index``: (m, index after the ``$``), or (0, ``index``) when there is none; ``0$`` is invalid."""
    digits = _DIGITS.match(value, index)
    if digits is None or value[digits.end() : digits.end() + 1] != "$":
        return 0, index
    if int(digits.group()) == 0:
        raise _Invalid
    return int(digits.group()), digits.end() + 1


def _c_directive(value: str, index: int, translated: bool, objc: bool, arguments: _Arguments) -> int:
    """The index of the conversion character of the C directive whose ``%`` is just before ``index``."""
    number, index = _c_argument_number(value, index)
    while value[index : index + 1] and (value[index] in _C_FLAGS or (translated and value[index] == "I")):
        index += 1

    def star(after: int) -> int:
        number, after = _c_argument_number(value, after)
        arguments.add(numbered=number > 0)
        return after

    index = _width_and_precision(value, index, star)
    sysdep = _C_SYSDEP.match(value, index)
    if value[index : index + 1] == "<":
        if sysdep is None:
            raise _Invalid
        index = sysdep.end() - 1
    else:
        while value[index : index + 1] and value[index] in _C_SIZES:
            index += 1
        conversion = value[index : index + 1]
        if not conversion or conversion not in _C_TYPED + "%m" + ("@" if objc else ""):
            raise _Invalid
        if conversion in "%m":
            return index
    arguments.add(numbered=number > 0)
    return index


def _python_spans(value: str) -> list[tuple[int, int]]:
    arguments = _Arguments()
    return _scan(value, lambda index: _python_directive(value, index, arguments))


def _python_directive(value: str, index: int, arguments: _Arguments) -> int:
    """The index of the conversion character of the Python directive whose ``%`` is just before ``index``."""
    named = value[index : index + 1] == "("
    if named:
        depth = 0
        index += 1
        while index < len(value) and not (value[index] == ")" and depth == 0):
            depth += {"(": 1, ")": -1}.get(value[index], 0)
            index += 1
        if index == len(value):
            raise _Invalid
        index += 1
    while value[index : index + 1] and value[index] in "-+ #0":
        index += 1

    def star(after: int) -> int:
        arguments.add(numbered=False)
        return after

    index = _width_and_precision(value, index, star)
    if value[index : index + 1] and value[index] in "hlL":
        index += 1
    conversion = value[index : index + 1]
    if not conversion or conversion not in _PYTHON_CONVERSIONS:
        raise _Invalid
    if named or conversion != "%":
        arguments.add(numbered=named)
    return index


def _python_brace_spans(value: str) -> list[tuple[int, int]]:
    """GNU 0.21's format-python-brace.c marks each directive relative to the directive's own start, that is at
    the start of the string: the string's first characters, up to the first directive's length, are kept
    together (nothing, if the first mark is an error). Reproduced, so the lines are msgcat's."""
    ends: list[int] = []
    error: int | None = None
    index = 0
    while index < len(value) and error is None:
        if value[index] != "{":
            index += 1
        elif value.startswith("{{", index):
            index += 2
        else:
            end, error = _brace_directive(value, index)
            if end is not None:
                ends.append(end - index)
                index = end + 1
    if not ends:
        return []
    first = min(ends)
    return [] if error is not None and error <= first else [(0, first + 1)]


def _brace_directive(value: str, start: int, toplevel: bool = True) -> tuple[int | None, int | None]:
    """parse_directive of format-python-brace.c at the ``{`` at ``start``: (index of its ``}``, None), or (None,
    the error's offset, which GNU counts from the ``{`` of the directive being parsed)."""
    position = start + 1
    name = _NAME.match(value, position)
    if name is None:
        return None, position - start
    position = name.end()
    while value[position : position + 1] in (".", "["):
        opener = value[position]
        item = (_NAME if opener == "[" else _IDENTIFIER).match(value, position + 1)
        if item is None:
            return None, position + 1 - start
        position = item.end()
        if opener == "[":
            if value[position : position + 1] != "]":
                return None, position + 1 - start
            position += 1
    if value[position : position + 1] == ":":
        if not toplevel:
            return None, position - start
        position += 1
        if value[position : position + 1] == "{":
            nested, error = _brace_directive(value, position, toplevel=False)
            if nested is None:
                return None, error
            position = nested + 1
        else:
            position = _SPEC.match(value, position).end()  # type: ignore[union-attr]
    if value[position : position + 1] != "}":
        return None, position - start
    return position, None
