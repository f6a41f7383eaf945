"""The held-out style QA tables (test_qa_quantities, test_qa_schedule): per language and source, the translations
that must pass and the defective ones with the check that must report each, checked as reviewed entries."""

from __future__ import annotations

from typing import Any

import pytest

from polyleaf.qa.model import CheckContext, Finding
from polyleaf.qa.registry import check_entry

#: language → source key → (translations that pass, [(a defective translation, the check that must report it)])
Table = dict[str, dict[str, tuple[list[str], list[tuple[str, str]]]]]


def errors(source: str, language: str, translation: str) -> list[Finding]:
    """The errors of a reviewed (not fuzzy) translation of an English ``source``."""
    findings = check_entry(source, translation, CheckContext("en", language), fuzzy=False)
    return [finding for finding in findings if finding.severity == "error"]


def passing(table: Table) -> list[Any]:
    """``(language, key, translation)`` parameters of every translation that must pass."""
    return [
        pytest.param(language, key, text, id=f"{language}-{key}-{n}")
        for language, rows in table.items()
        for key, (texts, _) in rows.items()
        for n, text in enumerate(texts)
    ]


def failing(table: Table) -> list[Any]:
    """``(language, key, translation, check)`` parameters of every defective translation."""
    return [
        pytest.param(language, key, text, check, id=f"{language}-{key}-{n}-{check}")
        for language, rows in table.items()
        for key, (_, defects) in rows.items()
        for n, (text, check) in enumerate(defects)
    ]
