"""Characters that do not print as they read: control characters, noncharacters, and the bidi controls that change
the order in which a line prints. Imports normalise them (``imports.usable_text``), QA reports them in a PO file
edited by hand (``qa.characters``), and no leaflet prints an embedding or an override (``localize``): what QA
checked is what prints.

Decided per character:

- C0 controls but tab and line feed, DEL, C1 controls U+0080–U+009F (U+009B is the 8-bit CSI a terminal showing a
  .txt leaflet obeys, U+0085 ends a line for some readers), the separators U+2028/U+2029 (line breaks to browsers'
  text APIs and Python, an ordinary character to PO files and the text grammars) and noncharacters (U+FDD0–U+FDEF,
  U+xFFFE and U+xFFFF of every plane) are no text: a translation may have them only where its English does.
- Embeddings and overrides, U+202A–U+202E (LRE, RLE, PDF, LRO, RLO), force the direction of whatever they enclose:
  "50" inside an override prints "05", "1.5" prints "5.1". A leaflet's direction comes from its markup (``dir``),
  so no translation needs them: never in a translation, and removed before a page is rendered.
- Marks and isolates, U+200E/U+200F (LRM, RLM), U+061C (ALM) and U+2066–U+2069 (LRI, RLI, FSI, PDI), are how
  right-to-left text keeps a Latin name or a number with its punctuation: allowed, unless they change the order in
  which a number prints ("1 RLM . RLM 5" prints "15."). The line is laid out by the Unicode bidirectional algorithm
  in the language's direction with and without them, and a number that prints as another one is reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

#: Control characters and noncharacters (see the module's docstring); tab, line feed and carriage return are
#: line structure, handled where lines are.
CONTROLS = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)
#: Embeddings and overrides, and the pop that ends them.
EMBEDDINGS = "\u202a\u202b\u202c\u202d\u202e"
#: Direction marks and isolates.
MARKS = "\u200e\u200f\u061c\u2066\u2067\u2068\u2069"
_EMBEDDING_TABLE = dict.fromkeys(map(ord, EMBEDDINGS))
_MARK_TABLE = dict.fromkeys(map(ord, MARKS))
#: A number as a line prints it: digits, and the separators between them.
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")


def named(chars: str) -> str:
    """``U+202E`` (and its Unicode name, when it has one) for each distinct character, in code point order."""
    return ", ".join(
        f"U+{ord(char):04X}" + (f" {unicodedata.name(char)}" if unicodedata.name(char, "") else "")
        for char in sorted(set(chars))
    )


def controls_in(text: str, english: str = "") -> str:
    """The control characters and noncharacters of ``text`` that ``english`` has not."""
    return "".join(sorted({char for char in CONTROLS.findall(text) if char not in english}))


def embeddings_in(text: str) -> str:
    return "".join(sorted({char for char in text if char in EMBEDDINGS}))


def without_embeddings(text: str) -> str:
    """``text`` as a page prints it: without embeddings and overrides."""
    return text.translate(_EMBEDDING_TABLE) if any(char in EMBEDDINGS for char in text) else text


def reordered_number(text: str, right_to_left: bool) -> tuple[str, str] | None:
    """Where the direction marks and isolates of ``text`` make a number print as another one: the numbers as they
    print without them (as QA reads them) and as they print with them, each joined by spaces. None when every number
    prints the same (or there are no marks): a mark that moves a whole number elsewhere on the line (an isolated
    Latin name before it, on a right-to-left page) changes no quantity."""
    if not any(char in MARKS for char in text):
        return None
    from bidi import get_display  # type: ignore[import-untyped]

    direction = "R" if right_to_left else "L"
    text = without_embeddings(text)
    read = Counter(_NUMBER.findall(get_display(text.translate(_MARK_TABLE), base_dir=direction)))
    printed = Counter(_NUMBER.findall(get_display(text, base_dir=direction).translate(_MARK_TABLE)))
    if read == printed:
        return None
    return " ".join(sorted((read - printed).elements())), " ".join(sorted((printed - read).elements()))
