"""The typed values every configuration table is read with: each error names the key and the line it is on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from polyleaf import locale
from polyleaf.errors import ConfigError


class Reader:
    """Validates one configuration file's tables; every error names the key and the line it is on."""

    def __init__(self, root: Path, config_file: Path, text: str, table: str) -> None:
        self.root = root
        self.config_file = config_file
        self.lines = text.split("\n")
        self.table = table

    def error(self, message: str, key: str = "", value: object = None) -> ConfigError:
        return ConfigError(message, self.config_file, self.line_of(key, value))

    # --- typed values ---------------------------------------------------------------------------------------

    def value(self, raw: dict[str, Any], key: str, kind: type, default: Any, table: str = "") -> Any:
        """``raw[key]`` checked against ``kind`` (lists: of strings), or ``default`` when absent."""
        if key not in raw:
            return default
        value = raw[key]
        name = f"{table}.{key}" if table else key
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise self.error(f"{name} must be a list of strings, not {shown(value)}", key, value)
        elif kind is dict:
            if not isinstance(value, dict):
                raise self.error(f"{name} must be a table ([{self.sub(key)}]), not {shown(value)}", key)
        elif not isinstance(value, kind):
            raise self.error(f"{name} must be a {kind.__name__}, not {shown(value)}", key, value)
        return value

    def number(
        self, raw: dict[str, Any], key: str, kind: type, bounds: tuple[float, float], default: Any, table: str
    ) -> Any:
        if key not in raw:
            return default
        value = raw[key]
        name = f"{table}.{key}" if table else key
        wanted = "an integer" if kind is int else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and isinstance(value, float)):
            raise self.error(f"{name} must be {wanted}, not {shown(value)}", key, value)
        low, high = bounds
        if not low <= value <= high:
            raise self.error(f"{name} must be between {low:g} and {high:g}, not {value:g}", key, value)
        return kind(value)

    def choice(self, raw: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, table: str = "") -> str:
        value: str = self.value(raw, key, str, default, table)
        if value not in allowed:
            name = f"{table}.{key}" if table else key
            raise self.error(f"{name} must be one of {', '.join(allowed)}, not {value!r}", key, value)
        return value

    def language(self, code: object, key: str) -> str:
        if not isinstance(code, str):
            raise self.error(f"language codes must be strings, got {code!r}", key)
        try:
            return locale.normalize(code)
        except ConfigError as error:
            raise self.error(error.message, key, code) from None

    def text(self, raw: dict[str, Any], key: str, table: str, *, lines: bool = False) -> str:
        """A string setting, stripped; one line unless ``lines`` (no control characters either way)."""
        value: str = self.value(raw, key, str, "", table).strip()
        allowed = "\n" if lines else ""
        odd = next((char for char in value if ord(char) < 32 and char not in allowed), None)
        if odd is not None:
            what = "control characters" if lines else "line breaks or control characters"
            raise self.error(f"{table}.{key} must not contain {what} (U+{ord(odd):04X})", key)
        return value

    def date(self, raw: dict[str, Any], key: str, table: str) -> dt.date | None:
        """A TOML date (``2027-06-30``) or a string holding one."""
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        what = f"a date and time ({value.isoformat()})" if isinstance(value, dt.datetime) else shown(value)
        raise self.error(f"{table}.{key} must be a date (YYYY-MM-DD), not {what}", key, value)

    # --- where ----------------------------------------------------------------------------------------------

    def inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root.resolve())

    def sub(self, name: str) -> str:
        return f"{self.table}.{name}" if self.table else name

    def no_unknown_keys(self, raw: dict[str, Any], known: set[str], table: str) -> None:
        for key in raw:
            if key not in known:
                where = f" in [{table}]" if table else ""
                hint = closest(key, known)
                raise self.error(f"unknown setting {key!r}{where}{hint}", key)

    def line_of_table(self, *names: str) -> int | None:
        """The line of the ``[….<names…>]`` table header (names may be quoted)."""
        dot = r"\s*\.\s*"
        parts = dot.join(rf"[\"']?{re.escape(name)}[\"']?" for name in names)
        pattern = re.compile(rf"^\s*\[[^\]]*{parts}\s*\]")
        return next((number for number, line in enumerate(self.lines, 1) if pattern.match(line)), None)

    def line_of(self, key: str, value: object) -> int | None:
        """The line of the file where ``key`` is set (or, failing that, where ``value`` is written)."""
        if key:
            pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
            for number, line in enumerate(self.lines, 1):
                if pattern.match(line):
                    return number
        if isinstance(value, str):
            quoted = (f'"{value}"', f"'{value}'")
            for number, line in enumerate(self.lines, 1):
                if any(q in line for q in quoted):
                    return number
        return None


def closest(key: str, known: set[str]) -> str:
    """A did-you-mean hint: the known key most like ``key`` (whole, without underscores, or its first word)."""
    from difflib import SequenceMatcher

    def likeness(candidate: str) -> float:
        forms = (candidate, candidate.replace("_", ""), candidate.split("_")[0])
        return max(SequenceMatcher(None, key.lower(), form).ratio() for form in forms)

    best = max(sorted(known), key=likeness)
    return f" (did you mean {best!r}?)" if likeness(best) >= 0.7 else f" (known: {', '.join(sorted(known))})"


def shown(value: object) -> str:
    return f"{type(value).__name__} {value!r}"
