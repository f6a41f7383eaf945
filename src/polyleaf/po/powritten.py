"""PO files as PO writers lay them out (msgcat, polib, Babel, polyleaf), read entry by entry with one regular
expression an entry, as ``poread``'s lexer and grammar would read them; and how an entry read either way is made
from what was read (``entry_message``, ``with_origin``), so that both readings make the same entries
(``tests/test_poread_layouts.py``). Anything else in a file, and anything to refuse, is left to the grammar.
"""

from __future__ import annotations

import re

from polyleaf.errors import CatalogError
from polyleaf.po.pofile import Message, Origin, parse_flags, parse_references
from polyleaf.po.postring import decode_string, number


class Unusual(Exception):
    """A file that is not laid out as writers lay PO files out: the lexer and grammar below read it."""


_STRING_LINE = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"\n'


def _field(name: str, keyword: str, mark: str) -> str:
    """``mark keyword "…"`` and its continuation lines ``mark"…"``, the strings captured as ``name``."""
    mark = re.escape(mark)
    return rf"{mark}{keyword} (?P<{name}>{_STRING_LINE}(?:{mark}{_STRING_LINE})*)"


def _entry(mark: str, previous: str) -> re.Pattern[str]:
    """One entry as msgcat, polib, Babel and polyleaf write it, followed by its blank lines: comment lines (``#``
    but not ``#~``/``#|``), ``#|`` previous fields, ``msgctxt``, ``msgid``, then ``msgstr`` or ``msgid_plural`` and
    ``msgstr[N]``; every keyword at the start of its line, one space before its string, nothing after it."""
    forms = rf"{re.escape(mark)}msgstr\[[0-9]+\] {_STRING_LINE}(?:{re.escape(mark)}{_STRING_LINE})*"
    return re.compile(
        r"(?P<entry>(?P<comments>(?:#(?![~|])[^\n]*\n)*)"
        rf"(?:(?:{_field('previous_msgctxt', 'msgctxt', previous)})?{_field('previous_msgid', 'msgid', previous)}"
        rf"(?:{_field('previous_plural', 'msgid_plural', previous)})?)?"
        rf"(?:{_field('msgctxt', 'msgctxt', mark)})?{_field('msgid', 'msgid', mark)}"
        rf"(?:{_field('msgstr', 'msgstr', mark)}|{_field('plural', 'msgid_plural', mark)}(?P<forms>(?:{forms})+)))\n*"
    )


_ACTIVE, _OBSOLETE = _entry("", "#| "), _entry("#~ ", "#~| ")
_GROUPS = (
    "comments",
    "msgctxt",
    "msgid",
    "plural",
    "forms",
    "msgstr",
    "previous_msgctxt",
    "previous_msgid",
    "previous_plural",
)
_FORMS = {mark: re.compile(_field("form", r"msgstr\[(?P<index>[0-9]+)\]", mark)) for mark in ("", "#~ ")}


def written_messages(text: str) -> list[Message] | None:
    """The entries of a file laid out as PO writers lay them out, entry by entry with one regular expression, as
    the lexer and grammar would read them; None when anything else is in it (joined lines, blanks around a keyword,
    trailing comments, an error…): then the lexer and grammar read the whole file, and say what is wrong."""
    if "\\\n" in text or text.endswith("\\") or "\x04" in text:
        return None
    if not text.endswith("\n"):
        text += "\n"
    position = len(text) - len(text.lstrip("\n"))
    line = position + 1
    messages: list[Message] = []
    try:
        while position < len(text):
            match = _ACTIVE.match(text, position) or _OBSOLETE.match(text, position)
            if match is None:
                return None
            messages.append(_written_message(match, line))
            line += text.count("\n", position, match.end())
            position = match.end()
    except Unusual:
        return None
    return messages


def _written_message(match: re.Match[str], line: int) -> Message:
    """The entry ``match`` found at ``line``, with its lines as its origin."""
    obsolete = match.re is _OBSOLETE
    mark, before = ("#~ ", "#~| ") if obsolete else ("", "#| ")
    lines, msgctxt, msgid, plural, forms, msgstr, *previous = match.group(*_GROUPS)
    comments = lines[1:-1].split("\n#") if lines else []  # each line starts with "#": its text follows
    strings = (_optional_text(msgctxt, mark), _text(msgid, mark), _optional_text(plural, mark))
    if previous[1] is not None:  # a previous msgid: what previous fields there are
        previous = [_optional_text(text, before) for text in previous]
    texts = _forms(forms, mark) if plural is not None else (_text(msgstr, mark),)
    msgid_line = line + match.string.count("\n", match.start(), match.start("msgid"))
    message = entry_message(comments, previous, strings, texts, obsolete, msgid_line)
    return with_origin(message, match.group("entry")[:-1], msgid_line - line)


def _text(lines: str, mark: str) -> str:
    """The text of a keyword's string lines (``"…"\\n`` then ``mark"…"\\n``…), their escapes decoded line by line."""
    bodies = lines[1:-2]
    separator = f'"\n{mark}"'
    if "\\" not in bodies:  # no escape: no quote inside a body either, so every separator is one
        return bodies.replace(separator, "")
    try:
        return "".join(decode_string(body) for body in bodies.split(separator))
    except CatalogError:
        raise Unusual from None


def _optional_text(lines: str | None, mark: str) -> str | None:
    return None if lines is None else _text(lines, mark)


def _forms(lines: str, mark: str) -> tuple[str, ...]:
    """The ``msgstr[N]`` strings, numbered from 0 in order (else the grammar says what is wrong)."""
    forms: list[str] = []
    for match in _FORMS[mark].finditer(lines):
        if number(match.group("index")) != len(forms):
            raise Unusual
        forms.append(_text(match.group("form"), mark))
    return tuple(forms)


def entry_message(
    comments: list[str],
    previous: list[str | None],
    strings: tuple[str | None, str, str | None],
    forms: tuple[str, ...],
    obsolete: bool,
    line: int,
) -> Message:
    """An entry read at ``line`` from its comments, previous ``msgctxt``, ``msgid`` and ``msgid_plural``, its
    ``msgctxt``, ``msgid`` and ``msgid_plural``, and its ``msgstr`` forms."""
    flags, translator, extracted, references = _dispatch(comments)
    context, before, before_plural = previous
    msgctxt, msgid, plural = strings
    return Message(
        msgid=msgid,
        msgstr=forms,
        msgctxt=msgctxt,
        msgid_plural=plural,
        comments=translator,
        extracted=extracted,
        references=references,
        flags=flags,
        previous_msgctxt=context,
        previous_msgid=before,
        previous_msgid_plural=before_plural,
        obsolete=obsolete,
        line=line,
    )


_FIELDS = tuple(Message.__dataclass_fields__)


def with_origin(message: Message, text: str, msgid_offset: int) -> Message:
    """``message`` with its original lines ``text`` as its origin (which holds ``message`` as read, without them).
    ``dataclasses.replace`` does the same with checks that every entry of every file read would pay for."""
    copy = object.__new__(Message)
    for name in _FIELDS:
        object.__setattr__(copy, name, getattr(message, name))
    object.__setattr__(copy, "origin", Origin(text, message, msgid_offset))
    return copy


def _dispatch(
    comments: list[str],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[tuple[str, int | None], ...]]:
    """GNU's comment dispatcher: ``#.`` extracted, ``#:`` references, ``#,``/``#!`` flags (the last such line
    wins), anything else a translator comment (one leading space removed)."""
    flags: tuple[str, ...] = ()
    translator: list[str] = []
    extracted: list[str] = []
    references: list[tuple[str, int | None]] = []
    for text in comments:
        kind = text[:1]
        if kind == ".":
            extracted.append(text[2:] if text.startswith(". ") else text[1:])
        elif kind == ":":
            references.extend(parse_references(text[1:]))
        elif kind in (",", "!"):
            flags = parse_flags(text[1:])
        else:
            translator.append(text[1:] if kind == " " else text)
    return flags, tuple(translator), tuple(extracted), tuple(dict.fromkeys(references))  # GNU keeps each once
