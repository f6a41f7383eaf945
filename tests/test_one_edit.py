"""A run after an edit of one article does that article's work (``pipeline.incremental``): it reads and builds that
article alone, takes what the other documents' pages show from what the last run left (``pipeline.library``), and
writes exactly the files a run of everything writes — PO files, templates, leaflets, language and site indexes, the
dashboard — with translation memory (reviewed text in any catalog) as the last run kept it. Anything else (an edit
that changes what other catalogs get from memory, an article added, a new character in a language's font subsets)
is a run of everything, or a build of every document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import ARTICLE, OTHER, po_path, run_everything, set_translation, snapshot, twin
from polyleaf.pipeline import incremental, runner

#: The sentence the edit changes, in the first article, and what it becomes (one word).
SENTENCE = "Chronic low back pain (LBP) remains a pervasive and debilitating condition affecting millions worldwide."
EDITED = SENTENCE.replace("pervasive", "common")


run = run_everything


def edit(project: Path, old: str = SENTENCE, new: str = EDITED, name: str = ARTICLE) -> None:
    path = project / "source" / f"{name}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def accept(project: Path, name: str, english: str, languages: tuple[str, ...] = ("es", "ar")) -> None:
    """What a translator does who accepts a translation as it is: the entry of ``english`` in catalog ``name``
    loses its fuzzy flag (and previous English)."""
    for language in languages:
        po = po_path(project, language, name)
        blocks = po.read_text(encoding="utf-8").split("\n\n")
        found = [index for index, block in enumerate(blocks) if _msgid(block) == english]
        assert len(found) == 1, (po, english)
        lines = blocks[found[0]].split("\n")
        flags = [line for line in lines if line.startswith("#,")]
        kept = [flag for flag in flags[0][2:].replace(" ", "").split(",") if flag != "fuzzy"] if flags else []
        lines = [line for line in lines if not line.startswith(("#,", "#|"))]
        blocks[found[0]] = "\n".join(([f"#, {', '.join(kept)}"] if kept else []) + lines)
        po.write_text("\n\n".join(blocks), encoding="utf-8")


def _msgid(block: str) -> str:
    """The msgid of a PO file's entry, unwrapped (escapes aside: the test's sentences have none)."""
    lines = block.split("\n")
    starts = [number for number, line in enumerate(lines) if line.startswith("msgid ")]
    if not starts:
        return ""
    parts = [lines[starts[0]][6:]]
    for line in lines[starts[0] + 1 :]:
        if not line.startswith('"'):
            break
        parts.append(line)
    return "".join(part[1:-1] for part in parts)


def written(project: Path) -> dict[str, bytes]:
    """What a run wrote for people (the caches aside: a run of some documents keeps other things there)."""
    return {path: data for path, data in snapshot(project).items() if not path.startswith("build/.cache")}


@pytest.fixture
def settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pinned_clock: None) -> Path:
    """A project of four articles in Spanish and Arabic, machine-translated and built by a run of everything."""
    config = 'source_language = "en"\nproject_name = "edits"\nlanguages = ["es", "ar"]\nformats = ["txt", "html"]\n'
    root = tmp_path / "a" / "project"
    (root / "source").mkdir(parents=True)
    repo = Path(__file__).resolve().parent.parent / "source"
    shutil.copyfile(repo / "disclaimer.txt", root / "source" / "disclaimer.txt")
    for name in (ARTICLE, OTHER):
        text = (repo / f"{name}.txt").read_text(encoding="utf-8")
        (root / "source" / f"{name}.txt").write_text(text, encoding="utf-8")
        (root / "source" / f"{name}-copy.txt").write_text(text.replace(".\n", ", again.\n"), encoding="utf-8")
    (root / "polyleaf.toml").write_text(config, encoding="utf-8")
    report, parsed = run(root, monkeypatch)
    assert report.filled_from_mt["es"] > 0 and not report.errors and len(parsed[0]) == 4
    return root


def test_one_edit_does_one_article_and_writes_what_a_run_of_everything_writes(
    settled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = twin(settled, "b")  # a copy: its record names other files, so its run does everything
    for project in (settled, everything):
        edit(project)
    report, parsed = run(settled, monkeypatch)
    full, parsed_everything = run(everything, monkeypatch)
    assert parsed == [(ARTICLE,)] and len(parsed_everything[0]) == 4
    assert written(settled) == written(everything)
    assert report.as_json(settled) == full.as_json(everything)
    assert report.filled_from_mt == {"es": 1, "ar": 1}
    spanish = (settled / "build" / "es" / f"{ARTICLE}.es.html").read_text(encoding="utf-8")
    assert FakeEngine().translate_one(EDITED) in spanish
    # and back: the second edit after the first is one article's work too, and equal to everything's
    for project in (settled, everything):
        edit(project, EDITED, SENTENCE)
    run(settled, monkeypatch), run(everything, monkeypatch)
    assert written(settled) == written(everything)


def test_the_library_keeps_the_entry_of_a_language_the_edit_left_as_it_was(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language's entry in the library (every document's row, link and QA lines) is written again only when the
    run changed it: one word for one word changes none of them; a sentence more changes the article's row."""
    entries = sorted((settled / "build" / ".cache" / "library" / "language").glob("*.json"))

    def states() -> list[tuple[int, int]]:
        return [(path.stat().st_ino, path.stat().st_mtime_ns) for path in entries]

    before = states()
    edit(settled)
    _report, parsed = run(settled, monkeypatch)
    assert parsed == [(ARTICLE,)] and states() == before  # not written: the same as the last run's
    everything = twin(settled, "b")
    for project in (settled, everything):
        edit(project, EDITED, f"{EDITED} A sentence more.")
    _report, parsed = run(settled, monkeypatch)
    run(everything, monkeypatch)
    assert parsed == [(ARTICLE,)] and all(now != then for now, then in zip(states(), before, strict=True))
    assert written(settled) == written(everything)
    for project in (settled, everything):  # and the next edit is one article's work, from the entries written
        edit(project, f"{EDITED} A sentence more.", SENTENCE)
    _report, parsed = run(settled, monkeypatch)
    run(everything, monkeypatch)
    assert parsed == [(ARTICLE,)] and written(settled) == written(everything)


def test_an_edit_of_another_article_shows_the_row_the_last_edit_left(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run of one article keeps that article's dashboard row in the library (the others' rows are the library's
    own): the next edit, of another article, shows the row the first one left."""
    edit(settled, SENTENCE, f"{SENTENCE} A sentence more.")  # its row changes: a segment more
    _report, parsed = run(settled, monkeypatch)
    assert parsed == [(ARTICLE,)]
    edit(settled, "VVMs are abnormal clusters", "VVMs are unusual clusters", OTHER)
    _report, parsed = run(settled, monkeypatch)
    assert parsed == [(OTHER,)]
    everything = twin(settled, "b")  # a copy: its record names other files, so its run does everything
    _report, parsed = run(everything, monkeypatch)
    assert len(parsed[0]) == 4 and written(settled) == written(everything)


def test_an_edit_that_brings_a_new_character_builds_every_page_of_its_language(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages of a language share one font subset per face: a character no page had makes new subsets, which
    every page links, so every page of the language is written again — exactly as a run of everything does."""
    everything = twin(settled, "b")
    for project in (settled, everything):
        edit(project, new=SENTENCE.replace("millions", "millions (≈ 10⁶)"))
    report, parsed = run(settled, monkeypatch)
    full, _parsed = run(everything, monkeypatch)
    assert parsed[0] == (ARTICLE,) and len(parsed[-1]) == 4  # the edited article, then every document
    assert written(settled) == written(everything)
    other_page = Path("build") / "es" / f"{OTHER}.es.html"
    assert settled / other_page in report.written
    # what the build of one article wrote before it gave way (the new subsets, its text leaflets) is reported too
    assert report.as_json(settled) == full.as_json(everything)
    again, parsed = run(settled, monkeypatch)
    assert parsed == [] and again.written == []  # the run was recorded: the next is answered from the record


@pytest.mark.parametrize("change", ["reviewed", "added", "po"])
def test_anything_but_an_article_edit_is_a_run_of_everything(
    settled: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """A reviewed translation (translation memory crosses documents), a new article, a PO file a translator saved:
    the run does everything, and a reviewed translation is never overwritten."""
    edit(settled)
    po = po_path(settled, "es", OTHER)
    if change == "reviewed":
        set_translation(po, "Conclusion", '"Conclusión"')
    elif change == "added":
        shutil.copyfile(settled / "source" / f"{OTHER}.txt", settled / "source" / "another.txt")
    else:
        po.write_bytes(po.read_bytes() + b"\n")
    report, parsed = run(settled, monkeypatch)
    assert not report.errors and len(parsed[0]) >= 4
    if change == "reviewed":
        assert 'msgid "Conclusion"\nmsgstr "Conclusión"' in po.read_text(encoding="utf-8")
        everything = twin(settled, "b")
        for project in (settled, everything):
            edit(project, EDITED, SENTENCE)
        _again, parsed = run(settled, monkeypatch)
        run(everything, monkeypatch)
        assert parsed == [(ARTICLE,)]  # the next edit is one article's work, with the review in memory
        assert written(settled) == written(everything)


def test_a_leaflet_warning_of_another_article_is_given_again_after_an_edit(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library keeps no warning about a leaflet's images or PDF: when the last build gave one, the run after an
    edit does everything, and warns again."""
    (settled / "source" / "pictured.md").write_text("# Pictured\n\nA scan.\n\n![A scan](scan.png)\n", encoding="utf-8")
    first, _parsed = run(settled, monkeypatch)
    assert any("pictured.md: image 'scan.png' not shown" in line for line in first.warnings)
    edit(settled)
    again, parsed = run(settled, monkeypatch)
    assert len(parsed[0]) == 5 and any("pictured.md: image 'scan.png' not shown" in line for line in again.warnings)


def test_a_po_file_saved_after_the_runs_look_is_read_by_the_next_run_of_everything(
    settled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator's save after the run's one look at the project (is it as the last run left it, and what does
    the run start from) was once recorded as seen and never read: the other article's leaflet kept its draft count,
    and the next edit took the one-article path with a reviewed translation in the project. Now the run's last look
    finds a file it did not write: it leaves no record, and the next run reads everything."""
    from polyleaf.pipeline.run_record import RunRecord

    edit(settled)
    po = po_path(settled, "es", OTHER)
    begin = RunRecord.begin

    def translator_saves_first(record: RunRecord) -> None:
        set_translation(po, "Conclusion", '"Conclusión"')
        begin(record)

    monkeypatch.setattr(RunRecord, "begin", translator_saves_first)
    report, parsed = run(settled, monkeypatch)
    monkeypatch.setattr(RunRecord, "begin", begin)
    assert not report.errors and parsed == [(ARTICLE,)]  # the look was before the save: one article's work
    assert 'msgid "Conclusion"\nmsgstr "Conclusión"' in po.read_text(encoding="utf-8")
    report, parsed = run(settled, monkeypatch)
    assert not report.errors and len(parsed[0]) == 4  # no record of the run above: every document read
    everything = twin(settled, "b")
    run(everything, monkeypatch)
    assert written(settled) == written(everything)


#: Sentences of the other article (``OTHER``, whose catalog sorts before the edited one's) a translator reviewed,
#: and the edit that brings them to the first article: one the same (an exact match), one a word apart (fuzzy).
REVIEWED = "VVMs are abnormal clusters of veins in the spine."
NEAR = "Traditional treatments can be invasive and yield inconsistent results."
TWO_MATCHES = f"{REVIEWED} {NEAR.replace('inconsistent', 'variable')}"
#: A sentence of the edited article a translator reviewed (the edit leaves it as it is).
OWN = "Beyond pain reduction, BVNA offers several potential benefits."
LAST = "This article will delve into the science behind BVNA, exploring its mechanisms, benefits, and considerations"


@pytest.fixture
def reviewed(settled: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project after translators reviewed sentences of the other article, of the edited one, of the edited
    one's copy (which sorts after it) and the disclaimer; run again (a run of everything: PO files changed)."""
    accept(settled, OTHER, REVIEWED)
    accept(settled, OTHER, NEAR)
    accept(settled, ARTICLE, OWN)
    accept(settled, f"{ARTICLE}-copy", f"{LAST} for patients, again.")
    for language in ("es", "ar"):
        po = po_path(settled, language, "disclaimer")
        po.write_text(po.read_text(encoding="utf-8").replace("#, fuzzy\n", ""), encoding="utf-8")
    report, parsed = run(settled, monkeypatch)
    assert not report.errors and len(parsed[0]) == 4 and report.suggested_from_tm["es"] > 0
    return settled


def test_an_edit_with_reviewed_text_in_the_library_does_one_article(
    reviewed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Translation memory crosses documents: the edited article's new sentences take an exact match and a fuzzy
    suggestion from another article's reviewed text, as in a run of everything — and the other catalogs, whose
    suggestions the edit leaves as they are, are not read."""
    everything = twin(reviewed, "b")
    for project in (reviewed, everything):
        edit(project, new=TWO_MATCHES)
    report, parsed = run(reviewed, monkeypatch)
    full, _parsed = run(everything, monkeypatch)
    assert parsed == [(ARTICLE,)]
    assert written(reviewed) == written(everything)
    assert report.as_json(reviewed) == full.as_json(everything)
    assert report.filled_from_tm == {"es": 1, "ar": 1} and report.filled_from_mt == {"es": 1, "ar": 1}
    entries = {_msgid(block): block for block in po_path(reviewed, "es", ARTICLE).read_text("utf-8").split("\n\n")}
    assert f"# tm: reviewed in {OTHER}.po" in entries[REVIEWED] and "fuzzy" not in entries[REVIEWED]
    near = entries[NEAR.replace("inconsistent", "variable")]
    assert f"tm-suggestion (88 %, {OTHER}" in near and "#, fuzzy" in near
    # the reviewed sentence of the edited article is kept, and the edit back is one article's work too
    assert "fuzzy" not in entries[OWN]
    for project in (reviewed, everything):
        edit(project, TWO_MATCHES, SENTENCE)
    _report, parsed = run(reviewed, monkeypatch)
    run(everything, monkeypatch)
    assert parsed == [(ARTICLE,)] and written(reviewed) == written(everything)


@pytest.mark.parametrize("change", ["own-reviewed", "later-catalog", "changed-elsewhere"])
def test_an_edit_that_changes_what_others_get_from_memory_does_every_document(
    reviewed: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """An edit of a reviewed sentence (memory loses it), one that takes an exact match from a catalog that sorts
    after the edited one (memory then names the edited catalog for that sentence), one that brings a sentence
    another article has as a changed entry (its machine translation is that entry's suggestion): the other
    catalogs' suggestions change, so the run does every document — and writes what a run of everything writes."""
    if change == "changed-elsewhere":  # a reviewed sentence of the other article changed, in a run of its own
        accept(reviewed, f"{OTHER}-copy", NEAR)  # (its suggestion from memory stands in for machine translation)
        run(reviewed, monkeypatch)
        edit(reviewed, "inconsistent results", "variable results", name=OTHER)
        run(reviewed, monkeypatch)
    everything = twin(reviewed, "b")
    new = {
        "own-reviewed": (OWN, OWN.replace("several", "many")),
        "later-catalog": (SENTENCE, f"{LAST} for patients, again."),
        "changed-elsewhere": (SENTENCE, NEAR.replace("inconsistent", "variable")),
    }[change]
    for project in (reviewed, everything):
        edit(project, *new)
    report, parsed = run(reviewed, monkeypatch)
    full, _parsed = run(everything, monkeypatch)
    assert parsed[0] == (ARTICLE,) and len(parsed[-1]) == 4  # the edited article, then every document
    assert written(reviewed) == written(everything)
    assert report.as_json(reviewed) == full.as_json(everything)


def test_a_translator_who_saves_during_a_run_of_one_article_keeps_their_work(
    reviewed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translator saves the edited article's PO file and another article's while the run of the edited article
    goes (after it read them): both reviews stay, the run records nothing, and the next run does every document —
    with the other article's new review in memory, as a run of everything has it."""
    edit(reviewed)
    check = incremental.memory_unchanged

    def translator_saves(*args: object) -> bool:
        set_translation(po_path(reviewed, "es", ARTICLE), "Understanding the Mechanism of Action", '"Mecanismo"')
        set_translation(po_path(reviewed, "es", OTHER), "Conclusion", '"Conclusión"')
        return check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "memory_unchanged", translator_saves)
    report, parsed = run(reviewed, monkeypatch)
    monkeypatch.setattr(runner, "memory_unchanged", check)
    assert not report.errors and parsed == [(ARTICLE,)]
    for name, english, text in (
        (ARTICLE, "Understanding the Mechanism of Action", "Mecanismo"),
        (OTHER, "Conclusion", "Conclusión"),
    ):
        assert f'msgid "{english}"\nmsgstr "{text}"' in po_path(reviewed, "es", name).read_text(encoding="utf-8")
    everything = twin(reviewed, "b")
    _again, parsed = run(reviewed, monkeypatch)
    assert len(parsed[0]) == 4  # the run recorded nothing: the next one reads everything
    run(everything, monkeypatch)
    assert written(reviewed) == written(everything)
