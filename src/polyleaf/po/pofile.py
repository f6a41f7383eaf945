"""The PO format as GNU gettext 0.21 reads and writes it: what a PO file holds and ``write_po``.

Reading (``poread.parse_po_file``) follows msgfmt's lexer and grammar: a line ends at ``\\n`` only, ``\\x``/octal
escapes are bytes of the UTF-8 text, only the last ``#,`` line of an entry counts, and whatever msgfmt refuses is
refused with ``path:line``. Writing follows write-po.c byte for byte at width 79 (``linebreak`` does the line
breaking), except that an entry read from a file and not changed since is written with its original lines: an
editor's formatting is never churned. Flags GNU does not know (Weblate's ``read-only``…) are kept after the known
ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from polyleaf.errors import CatalogError
from polyleaf.po import formatdirectives, linebreak
from polyleaf.po.postring import MAX_DIGITS, decode_string, number

#: The format languages of GNU gettext 0.21, in the order msgcat writes their flags (message.c).
FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme", "lisp", "elisp",
    "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost",
    "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip
_FORMAT_SET = frozenset(FORMATS)
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")
_RANGE = re.compile(r"([0-9]+)\.\.([0-9]+)")


@dataclass(frozen=True, slots=True)
class Origin:
    """The lines an entry was read from, the entry as read, and where its ``msgid`` is among those lines."""

    text: str
    message: Message
    msgid_offset: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One PO entry. ``msgstr`` holds one string, or one per plural form (``msgstr[N]``) when ``msgid_plural``
    is set. ``flags`` are in GNU's order (``range: 1..5`` is one flag). ``line`` is the line of its ``msgid`` in
    the file it was read from or written to (0 when new); ``origin`` its original lines. Fields are given by
    keyword: thirteen in a row are too easy to shift by one."""

    msgid: str
    msgstr: tuple[str, ...] = ("",)
    msgctxt: str | None = None
    msgid_plural: str | None = None
    comments: tuple[str, ...] = ()
    extracted: tuple[str, ...] = ()
    references: tuple[tuple[str, int | None], ...] = ()
    flags: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = field(default=0, compare=False)
    origin: Origin | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def text(self) -> str:
        """What gettext returns for the msgid: the msgstr, or the first plural form."""
        return self.msgstr[0]

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_header(self) -> bool:
        return self.msgctxt is None and self.msgid == "" and not self.obsolete


@dataclass(frozen=True, slots=True, weakref_slot=True)
class PoFile:
    """The entries of a PO file in file order, the header entry (``msgid ""``) included. Weakly referable: a cache
    may remember answers about one without keeping its entries alive."""

    messages: tuple[Message, ...]

    @property
    def header(self) -> Message | None:
        return next((message for message in self.messages if message.is_header), None)


def write_po(po: PoFile, width: int = linebreak.PAGE_WIDTH) -> bytes:
    """The file as msgcat writes it (unchanged entries keep their original lines)."""
    return render(po, width)[0]


# ------------------------------------------------------------------------------------------------ header


def header_field(header: str, name: str) -> str | None:
    """The value of ``Name:`` in a header msgstr (its first such line)."""
    for line in header.split("\n"):
        key, colon, value = line.partition(":")
        if colon and key == name:
            return value.strip()
    return None


def set_header_field(header: str, name: str, value: str) -> str:
    """``header`` with ``Name: value`` where the field is, else appended; every other line unchanged."""
    lines = header.split("\n")
    if lines[-1] == "":
        lines.pop()
    for index, line in enumerate(lines):
        key, colon, _ = line.partition(":")
        if colon and key == name:
            lines[index] = f"{name}: {value}"
            break
    else:
        lines.append(f"{name}: {value}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------ flags


@lru_cache(maxsize=1024)
def parse_flags(text: str) -> tuple[str, ...]:
    """A ``#,`` line as GNU reads it (commas and whitespace separate; ``range:`` takes the next token), in GNU's
    order: fuzzy, formats (``possible-`` written as plain, ``impossible-`` dropped), range, no-wrap, then the
    flags GNU does not know, in their order. Remembered: a library's files hold a handful of different lines."""
    tokens = [token for token in _FLAG_SEPARATORS.split(text) if token]
    fuzzy, wrap = False, ""
    formats: dict[str, str] = {}
    number_range = ""
    others: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        language, value = _format_flag(token)
        if token == "fuzzy":
            fuzzy = True
        elif language:
            formats[language] = value
        elif token == "range:":
            if index < len(tokens):
                match = _RANGE.match(tokens[index])
                index += 1
                low, high = (number(match.group(1)), number(match.group(2))) if match else (None, None)
                if low is not None and high is not None and low <= high:
                    number_range = f"range: {low}..{high}"
        elif token in ("wrap", "no-wrap"):
            wrap = token
        elif token not in others:
            others.append(token)
    flags = ["fuzzy"] if fuzzy else []
    for language in FORMATS:
        kind = formats.get(language)
        if kind in ("yes", "possible"):
            flags.append(f"{language}-format")
        elif kind == "no":
            flags.append(f"no-{language}-format")
    flags += [number_range] if number_range else []
    flags += ["no-wrap"] if wrap == "no-wrap" else []
    return (*flags, *others)


def _format_flag(token: str) -> tuple[str, str]:
    if not token.endswith("-format"):
        return "", ""
    name = token[: -len("-format")]
    for prefix, value in (("no-", "no"), ("possible-", "possible"), ("impossible-", "impossible")):
        if name.startswith(prefix) and name[len(prefix) :] in _FORMAT_SET:
            return name[len(prefix) :], value
    return (name, "yes") if name in _FORMAT_SET else ("", "")


def with_flag(flags: tuple[str, ...], flag: str, present: bool) -> tuple[str, ...]:
    """``flags`` with ``flag`` added (in GNU's order) or removed."""
    without = tuple(item for item in flags if item != flag)
    return parse_flags(", ".join((flag, *without))) if present else without


def parse_references(text: str) -> list[tuple[str, int | None]]:
    """po_parse_comment_filepos: ``file:12``, ``file: 12``, ``file :12``, ``file : 12`` or a bare ``file``."""
    found = _plain_references(text)
    return found if found is not None else _references(text)


def _references(text: str) -> list[tuple[str, int | None]]:
    """``parse_references`` for any line: GNU's reading character by character."""
    found: list[tuple[str, int | None]] = []
    blank = " \t\n"
    position, end = 0, len(text)
    while position < end:
        while position < end and text[position] in blank:
            position += 1
        if position == end:
            break
        start = position
        while position < end and text[position] not in blank:
            position += 1
        word = text[start:position]
        after = position
        while after < end and text[after] in blank:
            after += 1
        if after < end and text[after] == ":":  # "file :12" or "file : 12"
            number, stop = _digits(text, after + 1, blank)
            if number is not None:
                found.append((word, number))
                position = stop
                continue
        if word.endswith(":"):  # "file: 12"
            number, stop = _digits(text, position, blank)
            if number is not None:
                found.append((word[:-1], number))
                position = stop
                continue
        name, colon, digits = word.rpartition(":")
        trailing = len(word) - len(word.rstrip("0123456789"))
        if colon and name and trailing and trailing == len(digits) <= MAX_DIGITS:
            found.append((name, int(digits)))
        else:
            found.append((word, None))
    return found


def _plain_references(text: str) -> list[tuple[str, int | None]] | None:
    """The references of a line of ``file:12`` and bare ``file`` words between spaces, as writers write them; None
    for any other line (a word that begins or ends with a colon, a tab…)."""
    if "\t" in text or "\n" in text:
        return None
    found: list[tuple[str, int | None]] = []
    for word in text.split(" "):
        if not word:
            continue
        if word[0] == ":" or word[-1] == ":":
            return None
        name, _, digits = word.rpartition(":")
        line = number(digits) if name and digits.isascii() and digits.isdigit() else None
        found.append((name, line) if line is not None else (word, None))
    return found


def _digits(text: str, position: int, blank: str) -> tuple[int | None, int]:
    """A line number after optional blanks, ending at a blank or the end; (None, position) if there is none."""
    while position < len(text) and text[position] in blank:
        position += 1
    stop = position
    while stop < len(text) and "0" <= text[stop] <= "9":
        stop += 1
    if stop == position or stop - position > MAX_DIGITS or (stop < len(text) and text[stop] not in blank):
        return None, position
    return int(text[position:stop]), stop


# ------------------------------------------------------------------------------------------------ writing


def render(po: PoFile, width: int = linebreak.PAGE_WIDTH, reuse: bool = True) -> tuple[bytes, PoFile]:
    """The bytes msgcat would write (active entries, then obsolete ones with a translation; original lines for
    unchanged entries when ``reuse``), and the entries with the lines they have in those bytes."""
    active = [message for message in po.messages if not message.obsolete]
    obsolete = [message for message in po.messages if message.obsolete and any(message.msgstr)]
    out: list[str] = []
    placed: list[Message] = []
    line = 1  # where the next entry starts
    for message in active + obsolete:
        if out:
            out.append("")
            line += 1
        origin = message.origin
        if not (reuse and origin is not None and origin.message == message):
            kept = _header_lines(message, origin, width) if reuse and origin and message.is_header else None
            lines, offset = kept or message_lines(message, width)
            origin = Origin("\n".join(lines), message, offset)
        placed.append(_placed(message, line + origin.msgid_offset, origin))
        out.append(origin.text)
        line += origin.text.count("\n") + 1
    data = ("\n".join(out) + "\n").encode("utf-8") if out else b""
    return data, PoFile(tuple(placed))


def _header_lines(message: Message, origin: Origin, width: int) -> tuple[list[str], int] | None:
    """A header whose fields changed, in the lines it was read from but for the fields that changed (GNU's lines for
    those): a tool wraps a long field its own way (Babel's Plural-Forms), and a new POT-Creation-Date changes that
    line alone, as msgmerge's would. None when more than the fields changed, or the lines are not one string each."""
    if replace(origin.message, msgstr=message.msgstr) != message:
        return None
    lines = origin.text.split("\n")
    start = origin.msgid_offset + 1
    if start >= len(lines) or _HEADER_START.match(lines[start]) is None:
        return None
    kept: dict[str, list[list[str]]] = {}  # a field's text → the lines it was written on (each time it was)
    field, physical = "", []
    for line in lines[start + 1 :]:
        match = _STRING_LINE.match(line)
        if match is None:
            return None
        try:
            field += decode_string(match.group(1))
        except CatalogError:  # UTF-8 escaped in bytes that one line cuts
            return None
        physical.append(line)
        if field.endswith("\n"):
            kept.setdefault(field, []).append(physical)
            field, physical = "", []
    kept.setdefault(field, []).append(physical)
    string_width = linebreak.NO_WRAP if "no-wrap" in message.flags else width
    written = lines[: start + 1]
    for field in re.findall(r"[^\n]*\n|[^\n]+", message.text):
        found = kept.get(field)
        written += found.pop(0) if found else linebreak.po_string_lines("", "msgstr", f"\n{field}", string_width)[2:]
    return written, origin.msgid_offset


_HEADER_START = re.compile(r'msgstr[ \t]*""[ \t]*\Z')
_STRING_LINE = re.compile(r'[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*\Z', re.DOTALL)


def _placed(message: Message, line: int, origin: Origin) -> Message:
    values = {name: getattr(message, name) for name in Message.__dataclass_fields__}
    values.update(line=line, origin=origin)
    return Message(**values)


def message_lines(message: Message, width: int = linebreak.PAGE_WIDTH) -> tuple[list[str], int]:
    """An entry's lines as write-po.c prints them, and the index of its ``msgid`` line."""
    lines = [f"# {safe_comment(part)}" if part else "#" for text in message.comments for part in text.split("\n")]
    lines += [f"#. {safe_comment(text)}" if text else "#." for text in message.extracted]
    if message.references:
        names = [_reference(name, number) for name, number in dict.fromkeys(message.references)]
        lines += linebreak.reference_lines(names, width)
    flags = [
        flag
        for flag in message.flags
        if not (flag == "fuzzy" and not message.obsolete and not message.text)
        and not (message.obsolete and flag.startswith("range:"))
    ]
    if flags:
        lines.append("#, " + ", ".join(flags))
    string_width = linebreak.NO_WRAP if "no-wrap" in message.flags else width
    language = next((flag[:-7] for flag in message.flags if flag.endswith("-format") and flag[:3] != "no-"), "")

    def strings(prefix: str, keyword: str, value: str) -> list[str]:
        spans = formatdirectives.directive_spans(language, value, keyword.startswith("msgstr")) if language else []
        return linebreak.po_string_lines(prefix, keyword, value, string_width, spans)

    previous_prefix, prefix = ("#~| ", "#~ ") if message.obsolete else ("#| ", "")
    for keyword, value in (
        ("msgctxt", message.previous_msgctxt),
        ("msgid", message.previous_msgid),
        ("msgid_plural", message.previous_msgid_plural),
    ):
        if value is not None:
            lines += strings(previous_prefix, keyword, value)
    if message.msgctxt is not None:
        lines += strings(prefix, "msgctxt", message.msgctxt)
    offset = len(lines)
    lines += strings(prefix, "msgid", message.msgid)
    if message.msgid_plural is None:
        lines += strings(prefix, "msgstr", message.text)
    else:
        lines += strings(prefix, "msgid_plural", message.msgid_plural)
        for index, form in enumerate(message.msgstr):
            lines += strings(prefix, f"msgstr[{index}]", form)
    return lines, offset


def safe_comment(text: str) -> str:
    """A comment as it can be written: a final backslash would join the next line (GNU writes it anyway and then
    cannot read its own file), so such a comment gets a trailing space."""
    return text + " " if text.endswith("\\") else text


def _reference(name: str, number: int | None) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name if number is None else f"{name}:{number}"
