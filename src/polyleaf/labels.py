"""The words polyleaf itself puts on a page (leaflets and index pages), one registry for all of them.

Every label is a message of ``interface.po``, translated once per language like any other text; a page shows the
reviewed translation, else the English below. Keys are what templates use (``labels.updated``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: key → English text. Order is the order of ``interface.pot``.
INTERFACE_MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        # the draft band of a leaflet
        "draft": "Draft: this translation has not been fully reviewed yet.",
        "not_reviewed": "Segments not reviewed",
        # a leaflet's own words
        "language": "Language",
        "updated": "Updated",
        "disclaimer": "Disclaimer",
        "unreviewed_legend": "Passages marked with a bar in the margin have not been reviewed by a translator yet.",
        "untranslated_note": "Passages underlined with dots are not translated yet; they are shown in the original "
        "language.",
        # index pages
        "site_title": "Patient leaflets",
        "languages": "Languages",
        "leaflets": "Leaflets",
        "all_languages": "All languages",
        "reviewed": "Reviewed",
        "draft_badge": "Draft",
        "no_leaflets": "No leaflets yet.",
    }
)

#: The labels a released leaflet shows: a clinic's leaflet must not carry unreviewed (or English) words.
RELEASE_LABELS = ("language", "updated", "disclaimer")
#: Shown, and so needed in a release, when a leaflet has passages left in the source language (threshold < 100).
UNTRANSLATED_LABEL = "untranslated_note"

Labels = Mapping[str, str]
"""Localized label texts by key; every key of ``INTERFACE_MESSAGES`` is present."""


def localized_labels(translations: Mapping[str, str]) -> dict[str, str]:
    """Every label in its reviewed translation (``translations``: English text → reviewed text), else English."""
    return {key: translations.get(text) or text for key, text in INTERFACE_MESSAGES.items()}
