"""Reading PO files with msgfmt's meaning (GNU gettext 0.21: po-lex.c, po-gram-gen.y, read-catalog-abstract.c,
msgl-check.c), and refusing with ``path:line`` what ``msgfmt --check`` refuses.

- A line ends at ``\\n`` only: U+2028, U+2029, U+0085, form feeds and the like are ordinary characters (Python's
  ``str.splitlines`` is never used). A backslash right before a newline joins the two lines, anywhere.
- Keywords and strings are tokens: ``msgid "a" msgstr "b"`` on one line is an entry; a comment may only stand
  between entries. ``#~`` marks obsolete entries, ``#|``/``#~|`` previous fields.
- Escapes: ``\\n \\t \\r \\b \\f \\v \\a \\\\ \\"``, octal ``\\101`` (up to 3 digits) and hex ``\\xc3\\xad`` (any
  number of digits, the low byte counts) are bytes of the UTF-8 text, so ``p\\xc3\\xadldora`` is "píldora".
  Anything else (``\\?``, ``\\'``, ``\\u00e9``…) is an invalid control sequence, as for msgfmt.
- Only the last ``#,`` line of an entry counts (msgfmt and msgattrib read it so); commas and whitespace separate.
- Checked as ``msgfmt --check`` does: duplicates (obsolete entries included), plural forms against the header's
  ``Plural-Forms`` (evaluated for n = 0…1000), ``\\n`` at the start/end of msgid and translated msgstr alike.

A file laid out as PO writers lay it out (keywords at the start of their lines, one space before the string, blank
lines between entries) is read entry by entry, one regular expression an entry; any other file, and any file with
something to refuse, is read by the lexer and grammar, which say what is wrong and where. Both read alike
(``tests/test_poread_layouts.py``).

polyleaf is stricter on purpose where msgfmt would damage text: the file must be UTF-8 (no BOM, no NUL byte),
escapes may not produce NUL (msgfmt cuts the text there) or invalid UTF-8, the charset must be UTF-8, and
``domain`` directives are refused. Format strings (``c-format``…) are not checked: leaflets have none.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from polyleaf.errors import CatalogError
from polyleaf.po.pofile import Message, PoFile, header_field
from polyleaf.po.postring import decode, number
from polyleaf.po.powritten import entry_message, with_origin, written_messages

_TOKEN = re.compile(
    r"""[ \t\r\f\v]*(?:
      (?P<word>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<quote>")(?P<string>[^"\\]*(?:\\.[^"\\]*)*)(?P<close>"?)
    | (?P<number>[0-9]+)
    | (?P<bracket>[\[\]])
    | (?P<hash>\#)
    | (?P<junk>\S)
    )""",
    re.VERBOSE | re.DOTALL,
)
_SIMPLE_LINE = re.compile(
    r"[ \t\r\f\v]*(#~\||#~|#\|)?[ \t\r\f\v]*(?:([A-Za-z_$][A-Za-z0-9_$]*)(?:\[([0-9]+)\])?[ \t\r\f\v]*)?"
    r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t\r\f\v]*\Z',
    re.DOTALL,
)
_KINDS = ("word", "quote", "number", "bracket", "hash", "junk")
_KEYWORDS = frozenset({"msgid", "msgstr", "msgctxt", "msgid_plural", "domain"})
_PREVIOUS_KEYWORDS = frozenset({"msgid", "msgctxt", "msgid_plural"})
_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*([0-9]+)\s*;\s*plural\s*=\s*([^;]+);?\s*")


@dataclass(slots=True)
class _Token:
    kind: str  # a keyword, string, number, [, ] or comment
    value: str
    line: int
    obsolete: bool
    previous: bool


def parse_po_file(raw: bytes, path: Path) -> PoFile:
    """The entries of a PO file, each with its line and original text; CatalogError for anything msgfmt refuses."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError("not valid UTF-8", path, raw[: error.start].count(b"\n") + 1) from None
    if text.startswith("\ufeff"):
        raise CatalogError("starts with a byte order mark (BOM); save it as UTF-8 without BOM", path, 1)
    if "\x00" in text:
        raise CatalogError("binary data (NUL byte), not a PO file", path, text[: text.index("\x00")].count("\n") + 1)
    messages = written_messages(text)
    if messages is None:
        physical = text.split("\n")
        tokens, ends = _tokenize(physical, path)
        messages = _Parser(tokens, path, physical, ends).messages()
    po = PoFile(tuple(messages))
    _check(po, path)
    return po


# ------------------------------------------------------------------------------------------------ lexer


def _tokenize(physical: list[str], path: Path) -> tuple[list[_Token], dict[int, int]]:
    """Tokens of every line; ``ends`` maps the first line of lines joined by a final backslash to the last."""
    tokens: list[_Token] = []
    ends: dict[int, int] = {}
    if not any(line.endswith("\\") for line in physical):  # no line joins the next: the usual case
        for number, line in enumerate(physical, 1):
            if line and not line.isspace():
                _tokenize_line(line, number, path, tokens)
        return tokens, ends
    index = 0
    while index < len(physical):
        first = index + 1
        line = physical[index]
        while line.endswith("\\") and index + 1 < len(physical):
            index += 1
            line = line[:-1] + physical[index]
        if index + 1 != first:
            ends[first] = index + 1
        index += 1
        if line and not line.isspace():
            _tokenize_line(line, first, path, tokens)
    return tokens, ends


def _tokenize_line(line: str, number: int, path: Path, tokens: list[_Token]) -> None:
    if line[0] == "#" and line[1:2] not in ("~", "|"):  # a comment: the most common line
        tokens.append(_Token("comment", line[1:], number, False, False))
        return
    fast = _SIMPLE_LINE.match(line)
    if fast is not None:  # [#~ | #| | #~|] [keyword[N]] "string": what every writer writes
        mark, keyword, index, body = fast.groups()
        obsolete, previous = bool(mark) and "~" in mark, bool(mark) and "|" in mark
        if keyword is not None and keyword not in (_PREVIOUS_KEYWORDS if previous else _KEYWORDS):
            raise CatalogError(f"unexpected text: {line[fast.start(2) :][:40]!r}", path, number)
        if keyword is not None:
            tokens.append(_Token(keyword, keyword, number, obsolete, previous))
            if index is not None:
                tokens.append(_Token("[", "[", number, obsolete, previous))
                tokens.append(_Token("number", index, number, obsolete, previous))
                tokens.append(_Token("]", "]", number, obsolete, previous))
        tokens.append(_Token("string", decode(body, path, number), number, obsolete, previous))
        return
    obsolete = previous = False
    position = 0
    while position < len(line):
        match = _TOKEN.match(line, position)
        if match is None:  # only blanks are left
            return
        position = match.end()
        kind = next(name for name in _KINDS if match.group(name) is not None)
        if kind == "hash":
            if line.startswith("~", position):
                obsolete, position = True, position + 1
                if line.startswith("|", position):
                    previous, position = True, position + 1
            elif line.startswith("|", position):
                previous, position = True, position + 1
            else:
                tokens.append(_Token("comment", line[position:], number, obsolete, previous))
                return
        elif kind == "quote":
            if not match.group("close"):
                raise CatalogError("unterminated string", path, number)
            tokens.append(_Token("string", decode(match.group("string"), path, number), number, obsolete, previous))
        elif kind == "word":
            word = match.group("word")
            if word not in (_PREVIOUS_KEYWORDS if previous else _KEYWORDS):
                raise CatalogError(f"unexpected text: {line[match.start('word') :][:40]!r}", path, number)
            tokens.append(_Token(word, word, number, obsolete, previous))
        elif kind in ("number", "bracket"):
            value = match.group(str(kind))
            tokens.append(_Token("number" if kind == "number" else value, value, number, obsolete, previous))
        else:
            raise CatalogError(f"unexpected text: {line[match.start('junk') :][:40]!r}", path, number)


# ------------------------------------------------------------------------------------------------ grammar


class _Parser:
    """po-gram-gen.y: comments between entries; ``[#| prev] [msgctxt] msgid (msgstr | msgid_plural msgstr[N]…)``.

    ``kinds`` spells each token's kind, ``|``-prefixed inside ``#|``, and ends with ``end``."""

    def __init__(self, tokens: list[_Token], path: Path, physical: list[str], ends: dict[int, int]) -> None:
        self.tokens = tokens
        self.physical = physical
        self.ends = ends
        self.kinds = [f"|{token.kind}" if token.previous else token.kind for token in tokens] + ["end"]
        self.index = 0
        self.path = path

    def error(self, message: str, line: int | None = None) -> CatalogError:
        if line is None:
            line = self.tokens[min(self.index, len(self.tokens) - 1)].line
        return CatalogError(message, self.path, line)

    def take(self, kind: str) -> _Token:
        found = self.kinds[self.index]
        if found != kind:
            if found == "end":
                raise self.error(f"{_spelled(kind)} expected at the end of the file")
            raise self.error(f"{_spelled(kind)} expected, found {_spelled(found)}")
        self.index += 1
        return self.tokens[self.index - 1]

    def strings(self, keyword: _Token) -> str:
        kind = "|string" if keyword.previous else "string"
        start = index = self.index
        while self.kinds[index] == kind:
            index += 1
        if index == start:
            raise self.error(f"{_spelled(self.kinds[start - 1])} without a string", keyword.line)
        self.index = index
        return self.tokens[start].value if index == start + 1 else "".join(t.value for t in self.tokens[start:index])

    def messages(self) -> list[Message]:
        """Every entry, with its original lines unless it shares a line with a neighbour."""
        found: list[tuple[Message, int, int]] = []
        comments: list[_Token] = []
        kinds = self.kinds
        while kinds[self.index] != "end":
            kind, token = kinds[self.index], self.tokens[self.index]
            if kind == "comment":
                comments.append(token)
                self.index += 1
            elif kind in ("msgid", "msgctxt", "|msgid", "|msgctxt"):
                start = comments[0].line if comments else token.line
                message = self.message([comment.value for comment in comments])
                found.append((message, start, self.tokens[self.index - 1].line))
                comments = []
            elif kind == "domain":
                raise self.error("domain directives are not supported (one catalog per file)")
            elif kind == "msgstr":
                raise self.error("msgstr without msgid")
            else:
                raise self.error(f"{_spelled(kind)} outside an entry")
        return [self.with_origin(index, found) for index in range(len(found))]

    def with_origin(self, index: int, found: list[tuple[Message, int, int]]) -> Message:
        message, start, last = found[index]
        end = self.ends.get(last, last)
        if (index and found[index - 1][2] >= start) or (index + 1 < len(found) and found[index + 1][1] <= end):
            return message
        return with_origin(message, "\n".join(self.physical[start - 1 : end]), message.line - start)

    def message(self, comments: list[str]) -> Message:
        kinds, begin = self.kinds, self.index
        previous: list[str | None] = [None, None, None]
        if kinds[begin] in ("|msgctxt", "|msgid"):
            if kinds[begin] == "|msgctxt":
                previous[0] = self.strings(self.take("|msgctxt"))
            previous[1] = self.strings(self.take("|msgid"))
            if kinds[self.index] == "|msgid_plural":
                previous[2] = self.strings(self.take("|msgid_plural"))
        msgctxt = self.strings(self.take("msgctxt")) if kinds[self.index] == "msgctxt" else None
        intro = self.take("msgid")
        msgid = self.strings(intro)
        plural = self.strings(self.take("msgid_plural")) if kinds[self.index] == "msgid_plural" else None
        if kinds[self.index] != "msgstr":
            raise self.error("entry has no msgstr" if plural is None else "missing 'msgstr[]' section", intro.line)
        forms = self.forms(plural is not None)
        if len({token.obsolete for token in self.tokens[begin : self.index]}) > 1:
            raise self.error("inconsistent use of #~", intro.line)
        return entry_message(
            comments, previous, (msgctxt, msgid, plural), forms, self.tokens[begin].obsolete, intro.line
        )

    def forms(self, plural: bool) -> tuple[str, ...]:
        keyword = self.take("msgstr")
        if self.kinds[self.index] != "[":
            if plural:
                raise self.error("msgstr in a plural entry (use msgstr[0], msgstr[1]…)", keyword.line)
            return (self.strings(keyword),)
        if not plural:
            raise self.error("missing 'msgid_plural' section (msgstr[N] needs msgid_plural)", keyword.line)
        forms: list[str] = []
        while True:
            self.take("[")
            index = self.take("number")
            self.take("]")
            if number(index.value) != len(forms):
                raise self.error("plural form has wrong index" if forms else "first plural form has nonzero index")
            forms.append(self.strings(keyword))
            if self.kinds[self.index] != "msgstr" or self.kinds[self.index + 1] != "[":
                return tuple(forms)
            keyword = self.take("msgstr")


def _spelled(kind: str) -> str:
    """A token kind as the user wrote it: ``|msgid`` is ``#| msgid``."""
    return f"#| {kind[1:]}" if kind.startswith("|") else kind


# ------------------------------------------------------------------------------------------------ checks


def _check(po: PoFile, path: Path) -> None:
    """What ``msgfmt --check`` refuses beyond syntax: duplicates, the header, plural forms, ``\\n`` agreement."""
    seen: dict[tuple[str | None, str], int] = {}
    for message in po.messages:
        if message.key in seen:
            raise CatalogError(f"duplicate msgid (first at line {seen[message.key]})", path, message.line)
        seen[message.key] = message.line
    header = po.header
    nplurals = _check_header(header, path) if header is not None else None
    for message in po.messages:
        if message.obsolete or message.is_header or message.fuzzy or not message.text:
            continue
        if message.msgid_plural is not None:
            if nplurals is None:
                raise CatalogError("plural entry, but the header has no Plural-Forms", path, message.line)
            if len(message.msgstr) != nplurals:
                raise CatalogError(
                    f"{len(message.msgstr)} plural forms, but the header's Plural-Forms has nplurals={nplurals}",
                    path,
                    message.line,
                )
        _check_newlines(message, path)


def _check_newlines(message: Message, path: Path) -> None:
    """check_pair of msgl-check.c: msgid, msgid_plural and every msgstr all begin (and all end) with \\n or none."""
    if not message.msgid:
        return
    texts = [*([message.msgid_plural] if message.msgid_plural is not None else []), *message.msgstr]
    for which in ("begin", "end"):
        if any(not newlines_agree(message.msgid, text, which) for text in texts):
            where = "msgid and msgstr" if message.msgid_plural is None else "msgid, msgid_plural and msgstr[N]"
            raise CatalogError(f"{where} do not all {which} with \\n", path, message.line)


def newlines_agree(msgid: str, text: str, which: str = "both") -> bool:
    """Whether ``text`` begins (``which`` "begin"), ends ("end") or both with \\n exactly when ``msgid`` does, as
    msgfmt --check requires of every translation (an empty msgid, the header, is exempt)."""
    begin = which in ("begin", "both") and text.startswith("\n") != msgid.startswith("\n")
    end = which in ("end", "both") and text.endswith("\n") != msgid.endswith("\n")
    return not msgid or not (begin or end)


def with_newlines_of(msgid: str, text: str) -> str:
    """``text`` beginning and ending with \\n as ``msgid`` does (what ``newlines_agree`` asks), its line breaks
    at either end replaced by the msgid's."""
    if newlines_agree(msgid, text):
        return text
    core = text.strip("\n")
    return ("\n" if msgid.startswith("\n") else "") + core + ("\n" if msgid.endswith("\n") else "")


def _check_header(header: Message, path: Path) -> int | None:
    """The header's charset must be UTF-8; a Plural-Forms must be valid. Returns nplurals (None without one)."""
    text = header.text
    charset = re.search(r"charset=([^ \t\n]*)", text)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        found = header_field(text, "Content-Type") or charset.group(1)
        raise CatalogError(f"header: charset must be UTF-8, not {found!r}", path, header.line)
    plural = header_field(text, "Plural-Forms")
    if plural is None:
        return None
    problem = plural_forms_problem(plural)
    if problem:
        raise CatalogError(f"header: {problem}", path, header.line)
    match = _PLURAL_FORMS.fullmatch(plural)
    return number(match.group(1)) if match else None


def plural_forms_problem(value: str) -> str:
    """Why msgfmt would refuse this Plural-Forms value (checked for n = 0…1000, as msgfmt does); "" if valid."""
    found = plural_mapping(value)
    return found if isinstance(found, str) else ""


@cache
def plural_mapping(value: str) -> tuple[int, tuple[int, ...]] | str:
    """nplurals and the form of every n = 0…1000 for a Plural-Forms value, or why msgfmt refuses it."""
    match = _PLURAL_FORMS.fullmatch(value)
    if match is None:
        return f"malformed Plural-Forms {value!r}"
    nplurals = number(match.group(1))
    if nplurals is None:
        return f"nplurals is too large ({len(match.group(1))} digits)"
    try:
        function = gettext.c2py(match.group(2))
        forms = tuple(function(n) for n in range(1001))
    except (ValueError, RecursionError, SyntaxError) as error:
        return f"invalid Plural-Forms expression ({error})"
    except ZeroDivisionError:
        return "Plural-Forms expression can divide by zero"
    if min(forms) < 0 or max(forms) >= nplurals:
        return f"Plural-Forms nplurals={nplurals}, but the expression gives values up to {max(forms)}"
    return nplurals, forms
