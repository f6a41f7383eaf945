"""Errors that carry where they happened, so the CLI can print one line: ``path:line: message``."""

from __future__ import annotations

import unicodedata
from pathlib import Path


class PolyleafError(Exception):
    """A user-facing failure: bad input, bad config, a locked project. Never shown as a traceback."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __reduce__(self) -> tuple[type[PolyleafError], tuple[str, Path | None, int | None]]:
        """Pickled with its path and line (a worker process's error reaches the main process whole)."""
        return type(self), (self.message, self.path, self.line)

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return printable_line(f"{where}{self.message}")


def printable_line(text: str) -> str:
    """``text`` with line breaks and other invisible control characters escaped (``\\n``, ``\\u202e``), so an
    error about a file named with a newline is still one line, and cannot reorder the terminal's text."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        else char
        for char in text
    )


class ConfigError(PolyleafError):
    """Configuration is missing or invalid (exit code 2, like a usage error)."""

    exit_code = 2


class SourceError(PolyleafError):
    """A source article cannot be read or parsed."""


class CatalogError(PolyleafError):
    """A PO/POT file cannot be read; nothing is written when this is raised."""


class ConfinementError(PolyleafError):
    """A path of the content project leads outside it (a symlink, ``..``): nothing is read or written there."""


class LockError(PolyleafError):
    """Another polyleaf run holds the project lock."""


class TranslationError(PolyleafError):
    """Machine translation failed (missing or corrupt model, engine failure)."""


class RenderError(PolyleafError):
    """A leaflet could not be rendered."""


class ExchangeError(PolyleafError):
    """An XLIFF or TMX file cannot be imported (malformed, another version, a language or catalog the project
    does not have); nothing is written when this is raised."""
