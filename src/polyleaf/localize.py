"""The localize stage: a source Document and its catalogs' translations → a ``LocalizedDocument``.

This is where it is decided what text a page shows for every segment, in which language, and whether it is
reviewed; the renderers (text/Markdown, HTML, PDF) only lay that out. A draft shows the best text there is
(reviewed, else machine/fuzzy, else the source) and says on every page that it is a draft, not for patients,
whatever its review state; a reviewed segment whose translation fails QA is flagged with the finding. A release
shows reviewed text only. A document's own disclaimer block shows the standard disclaimer, which every leaflet of
a language shares (``Edition``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from polyleaf import locale
from polyleaf.catalog.model import Translation
from polyleaf.invisible import without_embeddings
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.source.document import Block, Document, Segment, without_comments
from polyleaf.source.inline_structure import paired_like

Findings = Mapping[str, tuple[str, ...]]
"""msgid → the QA errors of its reviewed translation (``[numbers] 2.5 mg → 25 mg: a number differs``)."""
_NO_FINDINGS: Findings = MappingProxyType({})

#: Scripts that do not put a space between sentences.
_UNSPACED_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Thai"})
#: Scripts whose labels take a full-width colon (``草稿：3/10``).
_FULL_WIDTH_COLON = frozenset({"Hans", "Hant", "Jpan"})
#: Blocks whose texts are not inline Markdown on a page: link titles (an attribute) and front-matter values.
_PLAIN_KINDS = frozenset({"link_definition", "front_matter"})


@dataclass(frozen=True, slots=True)
class LocalizedSegment:
    """What a page shows for one source segment."""

    source: Segment
    text: str
    reviewed: bool
    language: str = ""  # set when the text is not in the page's language (the source text shown in a draft)
    findings: tuple[str, ...] = ()  # a draft's reviewed text that fails QA: flagged on the page with these


@dataclass(frozen=True, slots=True)
class LocalizedBlock:
    """One block of the page. ``text`` keeps inline Markdown (``**bold**``, ``*em*``, links, inline code).

    ``language`` is set when the text is not in the page's language (untranslated source text in a draft);
    ``disclaimer`` marks the document's own disclaimer block and the separator that introduces it, which the
    leaflet replaces by its disclaimer box. ``source`` is the block of the source document, whose structure (list
    nesting, table shape, image source, footnote label) the renderers lay out; ``text`` is its segments joined
    with the spacing each sentence's language calls for, and never holds an HTML comment.
    """

    kind: str  # a ``document.BlockKind``
    text: str
    level: int = 0
    reviewed: bool = True
    language: str = ""
    segments: tuple[LocalizedSegment, ...] = ()
    disclaimer: bool = False
    source: Block | None = None

    def segment_text(self, index: int, fallback: str = "") -> str:
        """The shown text of the block's segment ``index`` (a table cell, an image's alt…), else ``fallback``."""
        return self.segments[index].text if 0 <= index < len(self.segments) else fallback

    def role_text(self, role: str, fallback: str = "") -> str:
        """The shown text of the segment playing ``role`` (``alt``, ``title``…), else ``fallback``."""
        if self.source is not None:
            for segment in self.segments:
                if self.source.role_of(segment.source) == role:
                    return segment.text
        return fallback


@dataclass(frozen=True, slots=True)
class Edition:
    """What every leaflet of one language shares: the localized standard disclaimer and the page's own words."""

    language: str  # Babel identifier, e.g. "pt_BR", "ar"
    source_language: str
    release: bool
    disclaimer: tuple[LocalizedSegment, ...]
    labels: tuple[tuple[str, str], ...]  # (key, text) for every key of ``labels.INTERFACE_MESSAGES``

    @property
    def disclaimer_findings(self) -> tuple[str, ...]:
        return tuple(finding for segment in self.disclaimer for finding in segment.findings)

    @property
    def disclaimer_text(self) -> str:
        return join_sentences(self.disclaimer, self.language)

    @property
    def disclaimer_reviewed(self) -> bool:
        return all(segment.reviewed for segment in self.disclaimer)


@dataclass(frozen=True, slots=True)
class LocalizedDocument:
    """One document in one language, as every renderer sees it."""

    source: Document
    language: str
    title: str
    blocks: tuple[LocalizedBlock, ...]
    disclaimer: str  # the localized standard disclaimer (inline Markdown)
    labels: tuple[tuple[str, str], ...]
    unreviewed: int  # segments of the document and the disclaimer that are not reviewed
    total: int
    release: bool = False
    draft_notice: str = ""  # e.g. "Draft: … Segments not reviewed: 12/40", in the page's language where reviewed
    draft_banner: str = ""  # on every page of a draft: "DRAFT — not for patients", translated and in English
    flagged: int = 0  # segments whose reviewed translation fails QA (a draft shows them flagged)
    disclaimer_findings: tuple[str, ...] = ()  # QA errors of the standard disclaimer's reviewed translation
    disclaimer_segments: tuple[LocalizedSegment, ...] = ()  # ``disclaimer`` by sentence, for the renderers

    @property
    def name(self) -> str:
        """The document id (file stem), used for file names and links."""
        return self.source.name

    @property
    def draft(self) -> bool:
        """Every page of a draft says it is one, whatever its review state: a fully reviewed draft may still show a
        dose a translator mistyped (flagged, for reviewers), and only a release has passed every gate."""
        return not self.release

    @property
    def untranslated(self) -> int:
        """Segments shown in the source language (a release below a 100 % threshold may have some): each is marked
        on the page, and the page says what the mark means."""
        return sum(1 for block in self.blocks if not block.disclaimer for s in block.segments if s.language)


def edition(
    language: str,
    source_language: str,
    release: bool,
    disclaimer: Document,
    disclaimer_translations: Mapping[str, Translation],
    interface_translations: Mapping[str, Translation],
    findings: Findings = _NO_FINDINGS,
) -> Edition:
    """The shared part of a language's leaflets; labels use reviewed translations only (else English).
    ``findings``: the disclaimer's QA errors, flagged in a draft."""
    usable = _usable(disclaimer_translations, release)
    labels = tuple((key, _reviewed_or(interface_translations, text)) for key, text in INTERFACE_MESSAGES.items())
    shown_findings = _NO_FINDINGS if release else findings
    return Edition(
        language=language,
        source_language=source_language,
        release=release,
        disclaimer=tuple(
            _best(usable, segment, source_language if language != source_language else "", shown_findings)
            for segment in disclaimer.segments
        ),
        labels=labels,
    )


def localize(
    document: Document,
    translations: Mapping[str, Translation],
    shared: Edition,
    findings: Findings = _NO_FINDINGS,
) -> LocalizedDocument:
    """Every block of ``document`` with the text a page shows; the title block becomes ``title``. A draft flags the
    reviewed segments that have ``findings`` (QA errors); a release never shows them (it withholds the document)."""
    usable = _usable(translations, shared.release)
    shown_findings = _NO_FINDINGS if shared.release else findings
    source_language = shared.source_language if shared.language != shared.source_language else ""
    blocks: list[LocalizedBlock] = []
    title = ""
    unreviewed = sum(1 for segment in shared.disclaimer if not segment.reviewed)
    total = len(shared.disclaimer)
    for position, block in enumerate(document.blocks):
        if block.is_disclaimer:
            blocks.append(_standard_disclaimer(block, shared))
            continue
        localized = _localized_block(document, position, usable, source_language, shown_findings, shared.language)
        unreviewed += sum(1 for segment in localized.segments if not segment.reviewed)
        total += len(localized.segments)
        if block.kind == "title" and not title:
            title = localized.text
        blocks.append(localized)
    title = title or _front_matter_title(blocks)
    flagged = sum(1 for block in blocks for segment in block.segments if segment.findings and not block.disclaimer)
    flagged += 1 if shared.disclaimer_findings else 0
    return LocalizedDocument(
        source=document,
        language=shared.language,
        title=title or document.name,
        blocks=tuple(blocks),
        disclaimer=shared.disclaimer_text,
        labels=shared.labels,
        unreviewed=unreviewed,
        total=total,
        release=shared.release,
        draft_notice="" if shared.release else _draft_notice(shared, unreviewed, total, flagged),
        draft_banner="" if shared.release else draft_banner(shared.labels, shared.language),
        flagged=flagged,
        disclaimer_findings=shared.disclaimer_findings,
        disclaimer_segments=shared.disclaimer,
    )


def _localized_block(
    document: Document,
    position: int,
    usable: Mapping[str, Translation],
    source_language: str,
    findings: Findings,
    language: str,
) -> LocalizedBlock:
    """The block at ``position`` with the text a page shows: each segment's best translation (``source_language``:
    the language an untranslated block is marked as, empty when the page is in it)."""
    block = document.blocks[position]
    segments = tuple(
        _best(usable, segment, source_language, findings, inline=block.kind not in _PLAIN_KINDS)
        for segment in block.segments
    )
    text = join_sentences(segments, language)
    if block.kind in ("code", "html"):
        text = without_comments(document, block.start, block.end)
    untranslated = bool(segments) and all(s.text == s.source.text for s in segments)
    return LocalizedBlock(
        kind=block.kind,
        text=text,
        level=block.level,
        reviewed=all(segment.reviewed for segment in segments),
        language=source_language if untranslated else "",
        segments=segments,
        disclaimer=_introduces_disclaimer(document, position),
        source=block,
    )


def _draft_notice(shared: Edition, unreviewed: int, total: int, flagged: int) -> str:
    """What a draft's band says besides the banner: how many segments are not reviewed, how many fail QA."""
    words = dict(shared.labels)
    parts = []
    if unreviewed:
        parts.append(f"{words['draft']} {_counted(words, 'not_reviewed', f'{unreviewed}/{total}', shared)}")
    if flagged:
        parts.append(_counted(words, "qa_errors", str(flagged), shared))
    return " ".join(parts)


def _counted(words: Mapping[str, str], key: str, value: str, shared: Edition) -> str:
    """``label: value``, with the colon of the label's language (English until the label is reviewed)."""
    label_language = shared.source_language if words[key] == INTERFACE_MESSAGES[key] else shared.language
    return labelled(words[key], value, label_language)


def draft_banner(labels: tuple[tuple[str, str], ...], language: str) -> str:
    """ "DRAFT — not for patients" in the page's language (its reviewed translation) and in English, each a bidi
    isolate so that neither reorders the other on a right-to-left page; English alone until it is reviewed."""
    english = INTERFACE_MESSAGES["draft_banner"]
    translated = dict(labels).get("draft_banner", english)
    if translated.strip() in ("", english):
        return english
    return f"\u2068{translated}\u2069 · \u2068{english}\u2069"


def join_sentences(segments: Sequence[LocalizedSegment], language: str) -> str:
    """The sentences of a block as one text, spaced by the language of each: Chinese and Japanese sentences follow
    one another without a space, and so does anything after a full-width full stop (``。``); English shown inside
    a Chinese paragraph (a draft's untranslated sentence) is set off by a space like any spaced language."""
    return "".join(gap + segment.text for gap, segment in spaced(segments, language))


def spaced(segments: Sequence[LocalizedSegment], language: str) -> Iterator[tuple[str, LocalizedSegment]]:
    """The segments that show a text, each with what goes before it (``sentence_gap``; nothing before the first).
    Renderers lay each out on its own, so that a sentence's markup stays its own (``confined``)."""
    previous: LocalizedSegment | None = None
    for segment in segments:
        if segment.text:
            yield ("" if previous is None else sentence_gap(previous, segment, language)), segment
            previous = segment


def sentence_gap(left: LocalizedSegment, right: LocalizedSegment, language: str) -> str:
    """What goes between two sentences of a block on a page in ``language``: a space, or nothing."""
    left_unspaced = locale.script(left.language or language) in _UNSPACED_SCRIPTS
    right_unspaced = locale.script(right.language or language) in _UNSPACED_SCRIPTS
    if left_unspaced and (right_unspaced or _ends_full_width(left.text)):
        return ""
    return " "


def _ends_full_width(text: str) -> bool:
    stripped = text.rstrip()
    return bool(stripped) and unicodedata.east_asian_width(stripped[-1]) in ("F", "W")


def labelled(label: str, value: str, language: str) -> str:
    """``label: value`` with the language's own colon (``标签：值`` in Chinese and Japanese)."""
    if locale.script(language) in _FULL_WIDTH_COLON:
        return f"{label}：{value}"
    return f"{label}: {value}"


def _front_matter_title(blocks: Sequence[LocalizedBlock]) -> str:
    """The localized ``title`` of the front matter (for a document without a ``#`` title)."""
    for block in blocks:
        if block.kind == "front_matter":
            return block.role_text("title")
    return ""


def _standard_disclaimer(block: Block, shared: Edition) -> LocalizedBlock:
    """A document's own disclaimer block shows the standard disclaimer: all of it in place of its first segment."""
    segments = tuple(
        LocalizedSegment(segment, "", shared.disclaimer_reviewed)
        if segment.index
        else LocalizedSegment(
            segment, shared.disclaimer_text, shared.disclaimer_reviewed, findings=shared.disclaimer_findings
        )
        for segment in block.segments
    )
    return LocalizedBlock(
        kind=block.kind,
        text=shared.disclaimer_text,
        level=block.level,
        reviewed=shared.disclaimer_reviewed,
        segments=segments,
        disclaimer=True,
        source=block,
    )


def _introduces_disclaimer(document: Document, position: int) -> bool:
    """A separator directly followed by the disclaimer block belongs to it."""
    block = document.blocks[position]
    following = document.blocks[position + 1] if position + 1 < len(document.blocks) else None
    return block.kind == "separator" and following is not None and following.is_disclaimer


def _usable(translations: Mapping[str, Translation], release: bool) -> dict[str, Translation]:
    """What a page may show for each msgid.

    A release shows reviewed translations only. A draft also shows machine translations — but never a *changed*
    entry's msgstr: that is the old translation of English that has since changed (it may give the old dose), kept
    in the PO for the translator only. A draft shows the machine translation of the current English instead when
    there is one (``Translation.suggestion``), else the English itself."""
    usable = {}
    for msgid, found in translations.items():
        if found.reviewed:
            usable[msgid] = found
        elif release:
            continue
        elif found.state == "changed":
            if found.suggestion:
                usable[msgid] = Translation(found.suggestion, False, found.line, "machine")
        else:
            usable[msgid] = found
    return usable


def _best(
    translations: Mapping[str, Translation],
    segment: Segment,
    source_language: str = "",
    findings: Findings = _NO_FINDINGS,
    *,
    inline: bool = True,
) -> LocalizedSegment:
    """The translation to show, else the source text (marked as being in ``source_language``); a reviewed
    translation carries its QA ``findings``. A translation with ``inline`` Markdown is written so that its markup
    renders as the source's does (``paired_like``). A bidi embedding or override is dropped: it would print "50" as
    "05" while QA read "50" (``qa.characters`` reports it)."""
    found = translations.get(segment.text)
    if found is None:
        return LocalizedSegment(segment, segment.text, False, source_language)
    shown = without_embeddings(found.text)
    text = paired_like(segment.text, shown) if inline else shown
    return LocalizedSegment(
        segment, text, found.reviewed, findings=findings.get(segment.text, ()) if found.reviewed else ()
    )


def _reviewed_or(translations: Mapping[str, Translation], text: str) -> str:
    found = translations.get(text)
    return without_embeddings(found.text) if found is not None and found.reviewed else text
