"""The clinic's own words on its leaflets (``[leaflet]``): which of them are translated, and who stands behind a
leaflet.

The texts a clinic asks to have translated (``[leaflet] translate``: its contact block line by line, the notes of
its change history, its name if it wants…) are messages of ``interface.po`` beside polyleaf's labels: translated and
reviewed once per language, shown in every leaflet, checked by QA like any translation (a phone number that
changes is a ``numbers`` error), and required reviewed by a release like the labels (``needed_texts``). A line with
no words in it (a phone number, an e-mail or web address on its own) is printed as written.

Who stands behind a leaflet (``credits``) comes from the configuration and a Markdown source's front matter
(``author``, ``approved_by``, ``sources``); the translator's credit per language from ``[leaflet.translators]``,
else the PO file's ``Last-Translator`` (its name, never its e-mail address).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from polyleaf.config.leaflet import Authorship
from polyleaf.config.model import Config
from polyleaf.invisible import without_embeddings
from polyleaf.po.pofile import header_field
from polyleaf.source.document import Document
from polyleaf.source.parse.frontmatter import front_matter_fields

if TYPE_CHECKING:
    from polyleaf.catalog.model import Catalog, Translation

#: What a line may hold and still need no translation: web and e-mail addresses, digits, punctuation, symbols.
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
#: What gettext tools put in a new PO file's Last-Translator: nobody's name.
_NO_TRANSLATOR = ("FULL NAME", "LANGUAGE", "")


@dataclass(frozen=True, slots=True)
class ClinicText:
    """One text of ``[leaflet]`` that goes through ``interface.po``, and where it comes from (its ``#.`` comment)."""

    text: str
    where: str


def has_words(text: str) -> bool:
    """Whether a line says something to translate: a letter outside web and e-mail addresses."""
    return bool(_LETTER.search(_ADDRESS.sub("", text)))


def contact_lines(config: Config) -> tuple[str, ...]:
    """The contact block's lines, as printed (blank lines left out)."""
    return tuple(line.strip() for line in config.leaflet.contact.splitlines() if line.strip())


def clinic_texts(config: Config) -> list[ClinicText]:
    """Every ``[leaflet]`` text the clinic has translated (``translate``), shared and per document, in the order of
    ``interface.pot``."""
    leaflet, chosen = config.leaflet, config.leaflet.translate
    found: list[ClinicText] = []
    if "organisation" in chosen and leaflet.organisation:
        found.append(ClinicText(leaflet.organisation, "[leaflet] organisation"))
    if "contact" in chosen:
        found += [
            ClinicText(line, f"[leaflet] contact, line {number}")
            for number, line in enumerate(contact_lines(config), 1)
            if has_words(line)
        ]
    authorships = [("[leaflet]", Authorship(leaflet.author, leaflet.approved_by, leaflet.sources, leaflet.history))]
    authorships += [(f"[leaflet.documents.{name}]", own) for name, own in leaflet.authors]
    for table, own in authorships:
        found += _authorship_texts(table, own, chosen)
    return found


def _authorship_texts(table: str, own: Authorship, chosen: tuple[str, ...]) -> list[ClinicText]:
    found = []
    if "approved_by" in chosen and has_words(own.approved_by):
        found.append(ClinicText(own.approved_by, f"{table} approved_by"))
    if "sources" in chosen:
        found += [ClinicText(source, f"{table} sources") for source in own.sources if has_words(source)]
    if "history" in chosen:
        found += [
            ClinicText(change.note, f"{table} history, version {change.version}")
            for change in own.history
            if has_words(change.note)
        ]
    return found


def authorship(config: Config, document: Document) -> Authorship:
    """Who stands behind ``document``'s leaflet: its own ``[leaflet.documents]`` settings, else its front matter
    (``author``, ``approved_by``, ``sources``), else the shared ``[leaflet]`` ones."""
    own = dict(config.leaflet.authors).get(document.name, Authorship())
    front = _front_matter(document)
    return Authorship(
        author=own.author or _one(front.get("author")) or config.leaflet.author,
        approved_by=own.approved_by or _one(front.get("approved_by")) or config.leaflet.approved_by,
        sources=own.sources or _many(front.get("sources")) or config.leaflet.sources,
        history=own.history or config.leaflet.history,
    )


def needed_texts(config: Config, document: Document) -> tuple[str, ...]:
    """The clinic's translated texts the leaflet of ``document`` shows: a release needs each of them reviewed."""
    shown = set(contact_lines(config))
    if "organisation" in config.leaflet.translate:
        shown.add(config.leaflet.organisation)
    if config.leaflet.credits:
        own = authorship(config, document)
        shown |= {own.approved_by, *own.sources, *(change.note for change in own.history)}
    return tuple(item.text for item in clinic_texts(config) if item.text in shown)


def credits(config: Config, document: Document, language: str, catalog: Catalog | None) -> tuple[Authorship, str]:
    """What ``document``'s leaflet in ``language`` credits (in English): who stands behind it, and who translated
    it; nothing with ``[leaflet] credits = false``."""
    if not config.leaflet.credits:
        return Authorship(), ""
    translated_by = translator_credit(config, language, catalog) if language != config.source_language else ""
    return authorship(config, document), translated_by


def localized(text: str, translations: Mapping[str, Translation]) -> str:
    """``text`` as a page shows it: its reviewed translation in ``interface.po``, else as written (the release gate
    withholds a leaflet whose clinic's words are not reviewed)."""
    found = translations.get(text)
    return found.text if found is not None and found.reviewed else text


def localized_authorship(own: Authorship, translations: Mapping[str, Translation]) -> Authorship:
    """``own`` with its translated texts in their reviewed translations (the author's name is never translated)."""
    return replace(
        own,
        approved_by=localized(own.approved_by, translations),
        sources=tuple(localized(source, translations) for source in own.sources),
        history=tuple(replace(change, note=localized(change.note, translations)) for change in own.history),
    )


def translator_credit(config: Config, language: str, catalog: Catalog | None) -> str:
    """Who translated a leaflet into ``language``: ``[leaflet.translators]``, else the name in the ``Last-Translator``
    (else ``Language-Team``) of the document's PO file — the name only: an e-mail address is not for patients,
    gettext's placeholders (``FULL NAME``, ``LANGUAGE``) are nobody, and a bidi override (which would reorder the
    line it is printed on) is dropped."""
    configured = dict(config.leaflet.translators).get(language, "")
    header = catalog.po.header if catalog is not None else None
    if configured or header is None:
        return configured
    for name in ("Last-Translator", "Language-Team"):
        person = without_embeddings(re.sub(r"<[^>]*>", "", header_field(header.text, name) or "")).strip()
        if person.upper() not in _NO_TRANSLATOR:
            return person
    return ""


def _front_matter(document: Document) -> dict[str, str | tuple[str, ...]]:
    block = next((block for block in document.blocks if block.kind == "front_matter"), None)
    return front_matter_fields(document.text[block.start : block.end]) if block is not None else {}


def _one(value: str | tuple[str, ...] | None) -> str:
    return value if isinstance(value, str) else ""


def _many(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return value or ()
