"""The project glossary: terms that must not be translated and terms with a required translation.

``locales/glossary.csv`` (UTF-8, a spreadsheet can write it) has the header ``term,language,translation,note``:

    term,language,translation,note
    BVNA,*,,procedure acronym: keep as is
    MRI,,,
    basivertebral nerve ablation,es,ablación del nervio basivertebral,approved by the Madrid clinic
    MRI,fr,IRM,the French acronym

* language ``*`` or empty, translation empty: a do-not-translate term for every language;
* language and translation: the required translation of ``term`` in that language (it wins over a do-not-translate
  row for the same term, as ``MRI`` → ``IRM`` in French above);
* language and an empty translation: do not translate ``term`` in that language only;
* ``note`` is for people, except that a note starting with ``safety`` makes the term a safety term: a segment that
  mentions it is safety text, never published untranslated (``readiness.release_verdict``). A row for the source
  language (``call 999,en,,safety: emergency``) does only that. How terms are found in text (case, whole words) is
  ``polyleaf.terms``.

Enforcement of required terms is by **masking**: before MT the source term is replaced by a placeholder, and the
placeholder is replaced by the required target term afterwards (``polyleaf.mt.placeholders``). The alternative,
post-substitution, lets the engine translate the term and then replaces the engine's wording with the required
one — which needs to know how the engine rendered the term (a second translation of the term alone, then a search
that fails as soon as the term is inflected or reordered in context), so it silently misses. Masking always puts the
required term in, and when the engine drops the placeholder the loss is reported, never silent. Its cost: the
engine does not see the term, so agreement around it (articles, gender, case) can be off — acceptable for output
that a reviewer checks anyway, and what ``missing_required`` lets QA verify after a translator edits the entry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from polyleaf import locale
from polyleaf.errors import ConfigError
from polyleaf.fsio import read_regular
from polyleaf.terms import canonical, term_pattern

HEADER = ("term", "language", "translation", "note")
ALL_LANGUAGES = "*"
#: A note that starts with this marks a safety term.
SAFETY_NOTE = "safety"


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One row: ``language`` is a normalized Babel identifier or ``*``; empty ``translation`` = do not translate."""

    term: str
    language: str = ALL_LANGUAGES
    translation: str = ""
    note: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Glossary:
    """Do-not-translate terms and required translations, as loaded from the glossary file."""

    entries: tuple[GlossaryEntry, ...] = ()
    path: Path | None = None

    @property
    def dnt_terms(self) -> tuple[str, ...]:
        """Terms kept verbatim in every language."""
        return tuple(
            dict.fromkeys(
                entry.term for entry in self.entries if entry.language == ALL_LANGUAGES and not entry.translation
            )
        )

    @property
    def safety_terms(self) -> tuple[str, ...]:
        """Terms whose note starts with ``safety``: the text that mentions them is a warning."""
        return tuple(dict.fromkeys(entry.term for entry in self.entries if entry.note.lower().startswith(SAFETY_NOTE)))

    def required_for(self, language: str) -> dict[str, str]:
        """Source term → the text it must become in ``language`` (itself for a language-specific keep)."""
        target = _normalize(language)
        return {entry.term: entry.translation or entry.term for entry in self.entries if entry.language == target}

    def missing_required(self, source_text: str, translated_text: str, language: str) -> tuple[str, ...]:
        """Terms of ``source_text`` whose required form (or do-not-translate form) is absent from the translation."""
        required = self.required_for(language)
        expected = {**{term: term for term in self.dnt_terms}, **required}
        pattern = term_pattern(list(expected))
        if pattern is None:
            return ()
        missing: dict[str, None] = {}
        for match in pattern.finditer(source_text):
            term = canonical(match.group(), list(expected))
            if term is None:
                continue
            wanted = term_pattern([expected[term]])
            if wanted is not None and not wanted.search(translated_text):
                missing[term] = None
        return tuple(missing)


def _normalize(language: str) -> str:
    return language if language == ALL_LANGUAGES else locale.normalize(language)


def load_glossary(path: Path) -> Glossary:
    """Read ``path``; a missing file is an empty glossary, a malformed row a ConfigError with its line."""
    try:
        text = read_regular(path).decode("utf-8-sig")
    except FileNotFoundError:
        return Glossary(path=path)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read glossary: {error}", path) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    entries: list[GlossaryEntry] = []
    seen: dict[tuple[str, str], GlossaryEntry] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                if header[: len(HEADER) - 1] != list(HEADER[:-1]) or not set(header) <= set(HEADER):
                    raise ConfigError(f"glossary header must be {','.join(HEADER)}", path, line)
                continue
            entry = _entry(row, header, path, line)
            key = (entry.term.casefold() if entry.term == entry.term.lower() else entry.term, entry.language)
            previous = seen.get(key)
            if previous is not None:
                raise ConfigError(
                    f"{entry.term!r} ({entry.language}) is already defined on line {previous.line}", path, line
                )
            seen[key] = entry
            entries.append(entry)
    except csv.Error as error:
        raise ConfigError(f"malformed CSV: {error}", path, reader.line_num) from None
    return Glossary(entries=tuple(entries), path=path)


def _entry(row: list[str], header: list[str], path: Path, line: int) -> GlossaryEntry:
    if len(row) > len(header):
        raise ConfigError(
            f"{len(row)} fields, expected at most {len(header)} (quote fields that contain commas)", path, line
        )
    cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
    term = cells.get("term", "")
    if not term:
        raise ConfigError("empty term", path, line)
    raw_language = cells.get("language", "") or ALL_LANGUAGES
    translation = cells.get("translation", "")
    if raw_language == ALL_LANGUAGES and translation:
        raise ConfigError(
            f"translation {translation!r} needs a language (language * means: do not translate)", path, line
        )
    try:
        language = _normalize(raw_language)
    except ConfigError as error:
        raise ConfigError(error.message, path, line) from None
    return GlossaryEntry(term=term, language=language, translation=translation, note=cells.get("note", ""), line=line)
