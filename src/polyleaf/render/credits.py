"""Who stands behind a leaflet, as its end prints it in every format: author, approver, translator, sources and the
change history, each under its label from ``interface.po``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from polyleaf import locale
from polyleaf.config.leaflet import Authorship
from polyleaf.labels import INTERFACE_MESSAGES
from polyleaf.render.meta import LeafletMeta


@dataclass(frozen=True, slots=True)
class Credit:
    """One line of the credits at a leaflet's end: its label key (a class name too), the label as shown, whether the
    label is still English, and what it credits (several lines for sources and changes)."""

    key: str
    label: str
    english: bool
    values: tuple[str, ...]
    several: bool = False


def credit_lines(meta: LeafletMeta, labels: dict[str, str], language: str) -> list[Credit]:
    """Who stands behind the leaflet, as its end prints it (``LeafletMeta.authorship``, ``translated_by``): author,
    approver, translator, sources, and the change history (version · date · what changed)."""
    own = meta.authorship or Authorship()
    changes = tuple(
        " · ".join(part for part in (change.version, _day(change.date, language), change.note) if part)
        for change in own.history
    )
    shown = {
        "written_by": ((own.author,) if own.author else (), False),
        "approved_by": ((own.approved_by,) if own.approved_by else (), False),
        "translated_by": ((meta.translated_by,) if meta.translated_by else (), False),
        "sources": (own.sources, True),
        "history": (changes, True),
    }
    return [
        Credit(key, labels[key], labels[key] == INTERFACE_MESSAGES[key], values, several)
        for key, (values, several) in shown.items()
        if values
    ]


def _day(date: dt.date | None, language: str) -> str:
    return locale.format_day(date, language) if date else ""
