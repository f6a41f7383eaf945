"""Setting a content project up: ``polyleaf init`` (a new project) and ``polyleaf add-language`` (one more language).

``init`` writes the smallest working project — ``polyleaf.toml`` (named after its folder, so that a clone elsewhere
keeps the name), ``source/disclaimer.txt``, ``locales/glossary.csv``
and a ``.gitignore`` for ``build/``, the lock and the MT journal — and never overwrites a file that exists.
``add-language`` edits the configuration with tomlkit, which keeps the file's comments and layout, then creates the
language's PO files.
"""

from __future__ import annotations

from pathlib import Path

from polyleaf import locale
from polyleaf.config.model import CONFIG_NAMES, Config
from polyleaf.errors import ConfigError
from polyleaf.fsio import read_regular, write_atomic

DISCLAIMER_TEXT = (
    "**Disclaimer:** *This leaflet is for general information only and does not replace the advice of your "
    "doctor, nurse or pharmacist. Talk to them about any question related to your treatment.*\n"
)
GLOSSARY_HEADER = "term,language,translation,note\n"


def init_project(folder: Path, languages: tuple[str, ...], source_language: str = "en") -> list[Path]:
    """Create a content project in ``folder``; returns the files written. Refuses a folder that already has one."""
    for name in CONFIG_NAMES:
        existing = folder / name
        if existing.is_file() and (name == "polyleaf.toml" or b"[tool.polyleaf]" in read_regular(existing)):
            raise ConfigError("there is a polyleaf project here already", existing)
    import tomlkit

    codes = [locale.normalize(code) for code in languages]
    source = locale.normalize(source_language)
    quoted = ", ".join(f'"{code}"' for code in codes)
    name = tomlkit.item(folder.resolve().name).as_string()  # a clone elsewhere keeps it
    files = {
        folder / "polyleaf.toml": (
            "# A polyleaf content project (every setting is described in polyleaf's README).\n"
            f"project_name = {name}  # what PO headers and leaflets call the project\n"
            f'source_language = "{source}"\n'
            f"languages = [{quoted}]\n"
            'formats = ["txt", "html", "pdf"]\n'
            "\n[release]\n"
            "threshold = 100  # % of a document's segments that must be reviewed to publish it\n"
        ),
        folder / "source" / "disclaimer.txt": DISCLAIMER_TEXT,
        folder / "locales" / "glossary.csv": GLOSSARY_HEADER,
        folder / ".gitignore": "build/\n.polyleaf.lock\nlocales/.journal/\n",  # a killed run's MT journal
    }
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        write_atomic(path, text.encode("utf-8"), within=folder)
        written.append(path)
    return written


def add_language(config: Config, language: str) -> str:
    """Add ``language`` (normalized) to the project's configured languages; returns its code.

    The configuration keeps its comments and layout; a language that is configured already is an error.
    """
    import tomlkit

    code = locale.normalize(language)
    if code in config.languages:
        raise ConfigError(f"{code!r} is configured already", config.config_file)
    document = tomlkit.parse(read_regular(config.config_file).decode("utf-8"))
    table = document
    if config.config_file.name == "pyproject.toml":
        table = document["tool"]["polyleaf"]
    languages = table.get("languages")
    if languages is None:
        table["languages"] = [code]
    else:
        languages.append(code)
    write_atomic(config.config_file, tomlkit.dumps(document).encode("utf-8"), within=config.root)
    return code
