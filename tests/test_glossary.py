"""The glossary file: do-not-translate terms, required translations, errors with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from polyleaf.errors import ConfigError
from polyleaf.glossary import Glossary, GlossaryEntry, load_glossary

GLOSSARY = """\ufeffterm,language,translation,note
BVNA,*,,procedure acronym
LBP,,,low back pain
MRI,*,,
CT,*,,
basivertebral nerve ablation,es,ablación del nervio basivertebral,approved
MRI,fr,IRM,French acronym
Dr. Zachary Lipman,pt-BR,,keep the name
"pain, chronic",es,"dolor crónico",quoted comma
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_load(tmp_path: Path) -> None:
    glossary = load_glossary(write(tmp_path, GLOSSARY))
    assert glossary.dnt_terms == ("BVNA", "LBP", "MRI", "CT")
    assert glossary.required_for("es") == {
        "basivertebral nerve ablation": "ablación del nervio basivertebral",
        "pain, chronic": "dolor crónico",
    }
    assert glossary.required_for("fr") == {"MRI": "IRM"}
    assert glossary.required_for("pt_BR") == {"Dr. Zachary Lipman": "Dr. Zachary Lipman"}
    assert glossary.required_for("pt-BR") == glossary.required_for("pt_BR")
    assert glossary.required_for("de") == {}
    assert glossary.entries[0] == GlossaryEntry("BVNA", "*", "", "procedure acronym", line=2)


def test_missing_file_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = load_glossary(tmp_path / "nope.csv")
    assert glossary.dnt_terms == ()
    assert glossary.required_for("es") == {}


def test_header_only_and_blank_lines(tmp_path: Path) -> None:
    glossary = load_glossary(write(tmp_path, "term,language,translation\n\n,,,\n"))
    assert glossary.entries == ()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("word,lang,translation,note\n", 1, "header"),
        ("term,language,translation,note\n,es,x,\n", 2, "empty term"),
        ("term,language,translation,note\nBVNA,*,,\nterm,xx_QQ_ZZ,y,\n", 3, "unknown language"),
        ("term,language,translation,note\na,es,b,c,d\n", 2, "fields"),
        ("term,language,translation,note\nMRI,*,IRM,\n", 2, "needs a language"),
        ("term,language,translation,note\nMRI,fr,IRM,\nMRI,fr,IRMf,\n", 3, "already defined on line 2"),
        ('term,language,translation,note\n"unclosed,es,x\n', 2, "CSV"),
    ],
)
def test_malformed_rows(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_glossary(path)
    assert caught.value.line == line
    assert caught.value.path == path
    assert message in caught.value.message
    assert "\n" not in str(caught.value)


def test_missing_required(tmp_path: Path) -> None:
    glossary = load_glossary(write(tmp_path, GLOSSARY))
    source = "Basivertebral nerve ablation (BVNA) after an MRI."
    assert glossary.missing_required(source, "La ablación del nervio basivertebral (BVNA) tras una MRI.", "es") == ()
    assert glossary.missing_required(source, "La ablación (ABVN) tras una RM.", "es") == (
        "basivertebral nerve ablation",
        "BVNA",
        "MRI",
    )
    assert glossary.missing_required("An MRI.", "Une IRM.", "fr") == ()
    assert Glossary().missing_required("An MRI.", "Une IRM.", "fr") == ()
