"""The values QA works with: what a check knows (CheckContext), what it reports (Finding, Diagnostic), and the part
of a PO entry it reads (EntryView); qa never imports polib, catalog.py maps its entries onto EntryView."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from polyleaf.qa.waivers import markers_of

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What the checks know besides the two texts: the language pair and the terms that must survive."""

    source_language: str
    target_language: str
    dnt_terms: tuple[str, ...] = ()
    required_terms: Mapping[str, str] = field(default_factory=dict)
    lost_placeholders: tuple[str, ...] = ()
    # the texts are printed as they are, never read as Markdown (``interface.po``: labels, the clinic's words), so
    # the markup check does not apply: "[[ and ]]" in a label is two brackets, not a link to "[and]"
    plain_text: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one segment; ``waived`` when a reviewer waived its check on this entry (severity is then info)."""

    check: str
    severity: Severity
    message: str
    waived: bool = False


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding located in a catalog, printed as ``path:line: severity [check] message``."""

    path: Path
    line: int
    severity: Severity
    check: str
    message: str
    msgid: str
    waived: bool = False

    def __str__(self) -> str:
        waived = " (waived)" if self.waived else ""
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}{waived}"

    def as_json(self) -> dict[str, object]:
        """One record of ``polyleaf check --json``."""
        return {
            "path": self.path.as_posix(),
            "line": self.line,
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
            "msgid": self.msgid,
            "waived": self.waived,
        }


@dataclass(frozen=True, slots=True)
class EntryView:
    """The part of a PO entry QA needs.

    ``lost_placeholders`` are the placeholders machine translation lost in this entry, added to the context's.
    ``flags`` are the entry's ``#,`` flags (``no-translate``, ``ignore-numbers``…); ``translator_comment`` is its
    ``# `` comment lines joined by newlines (polib's ``tcomment``), where ``keep: reason`` and ``ignore-<check>:
    reason`` lines count as flags, and a waiver's binding is read.
    """

    msgid: str
    msgstr: str
    line: int
    fuzzy: bool
    lost_placeholders: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    translator_comment: str = ""

    @property
    def markers(self) -> frozenset[str]:
        """The flags that steer QA: the entry's flags and those written as translator comment lines (``waivers``)."""
        return markers_of(self.flags, self.translator_comment)


CheckFunction = Callable[[str, str, CheckContext], list[str]]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its id (shown in brackets), default severity, what it protects, and the function."""

    id: str
    severity: Severity
    explanation: str
    function: CheckFunction
