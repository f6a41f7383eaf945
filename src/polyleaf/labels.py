"""The words polyleaf itself puts on a page (leaflets and index pages), one registry for all of them.

Every label is a message of ``interface.po``, translated once per language like any other text; a page shows the
reviewed translation, else the English below. Keys are what templates use (``labels.updated``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from polyleaf.formats import LEAFLET_FORMATS, SOURCE_FORMATS, TEXT, has_kind
from polyleaf.source.document import CALLOUT_KINDS, Document

if TYPE_CHECKING:
    from polyleaf.config.leaflet import Authorship
    from polyleaf.config.model import Config

#: key → English text. Order is the order of ``interface.pot``.
INTERFACE_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        # the draft band of a leaflet
        "draft": "Draft: this translation has not been fully reviewed yet.",
        "not_reviewed": "Segments not reviewed",
        # on every page of a draft, whatever its review state (with the English words after the translated ones)
        "draft_banner": "DRAFT — not for patients",
        # a draft's segment whose reviewed translation fails QA (a dose that differs…), and how many there are
        "qa_error": "QA error",
        "qa_errors": "Segments with QA errors",
        # a leaflet's own words
        "language": "Language",
        "updated": "Updated",
        "disclaimer": "Disclaimer",
        "unreviewed_legend": "Passages marked with a bar in the margin have not been reviewed by a translator yet.",
        "untranslated_note": "Passages underlined with dots are not translated yet; they are shown in the original "
        "language.",
        # the same note in a .txt or .md leaflet, whose untranslated passages are between these brackets
        # (ASCII: every font and every Markdown renderer shows them as they are, escaped)
        "untranslated_note_text": "Passages between [[ and ]] are not translated yet; they are shown in the original "
        "language.",
        # which printed version a leaflet is, and who to contact
        "reference": "Reference",
        "version": "Version",
        "review_by": "Review by",
        "contact": "Contact",
        # who stands behind a leaflet, at its end ([leaflet] author, approved_by, sources, history; the translator)
        "written_by": "Written by",
        "approved_by": "Approved by",
        "translated_by": "Translated by",
        "sources": "Sources",
        "history": "Changes",
        # a leaflet's web page: where it leads
        "index_link": "All leaflets",
        "pdf_link": "PDF for printing",
        "other_languages": "Other languages",
        # the end of a leaflet: the languages it is in (by their own names), and on paper its web page's address
        # beside a QR code ([leaflet] base_url)
        "available_in": "Available in",
        "web_version": "Read this leaflet online",
        # index pages
        "site_title": "Patient leaflets",
        "languages": "Languages",
        "leaflets": "Leaflets",
        "all_languages": "All languages",
        "reviewed": "Reviewed",
        "draft_badge": "Draft",
        "no_leaflets": "No leaflets yet.",
        # a leaflet's files on its language's index, by format (words, so no language keeps one as it is)
        **{f"format_{leaflet.extension}": leaflet.label for leaflet in LEAFLET_FORMATS if leaflet.label},
        "format_large_print": "Large-print PDF",
        **{f"format_{source.name}": source.label for source in SOURCE_FORMATS},  # the text leaflet's
        "status_link": "Translation status",
        # the label of a callout (GitHub's ``> [!WARNING]``), by its kind (``document.CALLOUT_KINDS``)
        "callout_note": "Note",
        "callout_tip": "Tip",
        "callout_important": "Important",
        "callout_warning": "Warning",
        "callout_caution": "Caution",
    }
)

#: The labels every released leaflet shows: a clinic's leaflet must not carry unreviewed (or English) words.
RELEASE_LABELS = ("language", "updated", "disclaimer")
#: Shown, and so needed in a release, when a leaflet has passages left in the source language (threshold < 100).
UNTRANSLATED_LABEL = "untranslated_note"
#: Its twin in .txt and .md leaflets (``render.text``), which mark those passages with brackets.
UNTRANSLATED_TEXT_LABEL = "untranslated_note_text"


def untranslated_labels(config: Config) -> tuple[str, ...]:
    """The notes a leaflet with passages left in the source language shows with this configuration's formats,
    which a release of such a leaflet needs reviewed (a partial release never prints an English note)."""
    return (UNTRANSLATED_LABEL, *((UNTRANSLATED_TEXT_LABEL,) if TEXT in config.formats else ()))


def release_labels(config: Config, document: str) -> tuple[str, ...]:
    """The labels a released leaflet of ``document`` shows with this configuration (``RELEASE_LABELS``, the web
    page's links, the languages it is in and its web address, the identity line and the contact box where they are
    shown), which a release needs reviewed."""
    keys = list(RELEASE_LABELS)
    printed = has_kind(config.formats, "printed")
    if has_kind(config.formats, "web_page"):
        keys.append("index_link")
        keys += ["other_languages"] if len(config.languages) > 1 else []
        keys += ["pdf_link"] if printed else []
    if has_kind(config.formats, "web_page", "printed"):
        keys += ["available_in"] if len(config.languages) > 1 else []
        keys += ["web_version"] if config.leaflet.base_url and printed else []
    identity = config.leaflet.identity(document)
    keys += [key for key in ("reference", "version", "review_by") if getattr(identity, key)]
    if config.leaflet.contact:
        keys.append("contact")
    return tuple(keys)


def credit_labels(own: Authorship, translated_by: str) -> tuple[str, ...]:
    """The labels of the credits a leaflet prints (who wrote and approved it, who translated it, its sources and
    changes), which a release needs reviewed."""
    shown = {
        "written_by": own.author,
        "approved_by": own.approved_by,
        "translated_by": translated_by,
        "sources": own.sources,
        "history": own.history,
    }
    return tuple(key for key, value in shown.items() if value)


def callout_label(kind: str) -> str:
    """The label key of a callout kind (``warning`` → ``callout_warning``)."""
    return f"callout_{kind}"


def callout_labels(document: Document) -> tuple[str, ...]:
    """The callout labels ``document`` shows (one per kind it uses, in the catalog's order): a release needs those
    reviewed, and no other."""
    used = {block.callout.kind for block in document.blocks if block.callout is not None and block.segments}
    return tuple(callout_label(kind) for kind in CALLOUT_KINDS if kind in used)


Labels = Mapping[str, str]
"""Localized label texts by key; every key of ``INTERFACE_MESSAGES`` is present."""


def localized_labels(translations: Mapping[str, str]) -> dict[str, str]:
    """Every label in its reviewed translation (``translations``: English text → reviewed text), else English."""
    return {key: translations.get(text) or text for key, text in INTERFACE_MESSAGES.items()}
