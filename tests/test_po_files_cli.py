"""PO files through the real command line: what translators and their editors do to a PO file survives
``polyleaf run`` with gettext's meaning, and every file polyleaf writes is what GNU msgcat writes."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fake_engine import FakeEngine
from helpers import content_project, copied_project, polyleaf
from po_editor import open_po
from polyleaf.catalog import model as catalog
from polyleaf.config.model import load_config
from polyleaf.pipeline import runner
from polyleaf.pipeline.status import status
from polyleaf.po import pofile, poread
from release_helpers import reviewed_text

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "bvna-chronic-low-back-pain"
TITLE = "Introduction: A New Approach to Chronic Back Pain Relief"
ES = f"locales/es/LC_MESSAGES/{ARTICLE}.po"
AR = f"locales/ar/LC_MESSAGES/{ARTICLE}.po"
GNU = all(shutil.which(tool) for tool in ("msgfmt", "msgcat"))
needs_gnu = pytest.mark.skipif(not GNU, reason="GNU gettext (msgfmt, msgcat) is not installed")


def run_ok(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = polyleaf(root, *(args or ("run",)), env=env)
    assert result.returncode == 0, result.stderr
    return result


def locales(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted((root / "locales").rglob("*.po*"))}


def set_entry(path: Path, msgid: str, body: str, flags: str | None = None) -> None:
    """Edit a PO file as text, as a translator in a text editor does: the lines after ``msgid "…"`` become
    ``body``, and the entry's ``#,`` line becomes ``flags``."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for index, block in enumerate(blocks):
        lines = block.rstrip("\n").split("\n")
        if f'msgid "{msgid}"' in lines:
            at = lines.index(f'msgid "{msgid}"')
            head = [line for line in lines[:at] if not line.startswith("#,")] + ([flags] if flags else [])
            blocks[index] = "\n".join([*head, lines[at], body]) + ("\n" if block.endswith("\n") else "")
            break
    else:
        raise AssertionError(f"{msgid!r} not in {path}")
    path.write_text("\n\n".join(blocks), encoding="utf-8")


def msgfmt_check(path: Path) -> None:
    if GNU:
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = content_project(
        tmp_path_factory.mktemp("po-cli") / "project", 'languages = ["es", "ar"]\nformats = ["txt"]\n'
    )
    run_ok(root)
    return root


@pytest.fixture
def done(first_run: Path, tmp_path: Path) -> Path:
    return copied_project(first_run, tmp_path)


def test_escapes_a_translator_types_mean_what_they_mean_to_gettext(done: Path) -> None:
    set_entry(done / ES, TITLE, 'msgstr "p\\xc3\\xadldora \\101."')
    run_ok(done)
    assert catalog.read_po(done / ES).translations()[TITLE] == catalog.Translation("píldora A.", True)
    assert 'msgstr "p\\xc3\\xadldora \\101."' in (done / ES).read_text(encoding="utf-8")  # their entry, untouched
    built = (done / "build" / "es" / f"{ARTICLE}.es.txt").read_text(encoding="utf-8")
    assert "\npíldora A.\n" in built and "\\" not in built
    before = locales(done)
    run_ok(done)
    assert locales(done) == before


def test_unicode_line_separators_in_sources_and_translations_survive_every_run(done: Path) -> None:
    sentence, other = "Rest well\u2028and walk.", "Sleep\x85deeply."
    (done / "source" / "sep.txt").write_text(f"Separators\n{sentence} {other}\n", encoding="utf-8")
    run_ok(done)
    po = done / "locales" / "es" / "LC_MESSAGES" / "sep.po"
    assert {sentence, other} <= {entry.msgid for entry in catalog.read_po(po).entries()}
    run_ok(done)  # polyleaf reads back what it wrote
    set_entry(po, sentence, 'msgstr "Descanse\u2028y camine\x85 \x1c\x0b."')
    run_ok(done)
    run_ok(done)
    assert catalog.read_po(po).translations()[sentence].text == "Descanse\u2028y camine\x85 \x1c\x0b."
    assert "Descanse\u2028y camine\x85" in (done / "build" / "es" / "sep.es.txt").read_text(encoding="utf-8")
    msgfmt_check(po)


def test_a_fuzzy_flag_without_comma_is_fuzzy_and_never_released(done: Path) -> None:
    runner.run(load_config(done), engine_factory=lambda config: FakeEngine())
    for path in (done / "locales" / "es" / "LC_MESSAGES").glob("*.po"):
        po = open_po(path)
        for entry in po:
            if "fuzzy" in entry.flags:  # the translator reviews every machine translation (QA-clean)
                entry.flags.remove("fuzzy")
                entry.msgstr = reviewed_text("es", entry.msgid) if entry.msgid_plural is None else entry.msgstr
        po.save()
    set_entry(done / ES, TITLE, 'msgstr "Introducción"', flags="#, fuzzy c-format")
    run_ok(done, "build", "--release", "--lang", "es")
    assert not (done / "build" / "release" / "es" / f"{ARTICLE}.es.txt").exists()
    rows = json.loads(run_ok(done, "status", "--json", "--lang", "es").stdout)
    row = next(row for row in rows if row["document"] == ARTICLE)
    assert (row["fuzzy"], row["machine_translated"], row["release_ready"]) == (1, 1, False)  # its "# mt:" says so
    set_entry(done / ES, TITLE, 'msgstr "Introducción"', flags="#, c-format")  # reviewed now: released
    run_ok(done, "build", "--release", "--lang", "es")
    assert (done / "build" / "release" / "es" / f"{ARTICLE}.es.txt").exists()


def test_plural_entries_a_translator_adds_or_makes_stay_in_the_file(done: Path) -> None:
    forms = "".join(f'msgstr[{n}] "مقدمة {n}"\n' for n in range(6))
    set_entry(done / AR, TITLE, f'msgid_plural "Introductions"\n{forms}'.rstrip("\n"))
    apples = "".join(f'msgstr[{n}] "تفاحة {n}"\n' for n in range(6))
    with (done / AR).open("a", encoding="utf-8") as file:
        file.write(f'\nmsgid "apple"\nmsgid_plural "apples"\n{apples}')
    run_ok(done)
    text = (done / AR).read_text(encoding="utf-8")
    assert f'msgid "{TITLE}"\nmsgid_plural "Introductions"\n{forms}' in text  # kept as it is
    obsolete = "".join(f'#~ msgstr[{n}] "تفاحة {n}"\n' for n in range(6))
    assert f'#~ msgid "apple"\n#~ msgid_plural "apples"\n{obsolete}' in text  # kept as obsolete, every form
    leaflet = (done / "build" / "ar" / f"{ARTICLE}.ar.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("مقدمة 0 [QA error: [numbers] 0") for line in leaflet)  # its 0 flagged in the draft
    msgfmt_check(done / AR)
    before = locales(done)
    run_ok(done)
    assert locales(done) == before


def test_header_comments_and_fields_of_other_tools_are_kept(done: Path) -> None:
    path = done / ES
    text = path.read_text(encoding="utf-8")
    credits = "# Spanish translation of the leaflets.\n# Copyright (C) 2026 A clinic\n# Ana <ana@example.org>, 2026.\n"
    fields = '"X-Poedit-Basepath: ..\\n"\n"X-Poedit-SearchPath-0: .\\n"\n'
    text = credits + text.replace('"X-Generator: polyleaf 0.1.0\\n"\n', '"X-Generator: Poedit 3.4.2\\n"\n' + fields)
    text = text.replace("Plural-Forms: nplurals=2; plural=(n != 1);", "Plural-Forms: nplurals=2; plural=n != 1;")
    path.write_text(text, encoding="utf-8")
    source = done / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8")
    run_ok(done)
    after = path.read_text(encoding="utf-8")
    assert "A new closing sentence." in after  # the file was rewritten…
    header = after.split("\n\n")[0] + "\n"
    assert header.startswith(credits)  # …with the translator's credits,
    assert '"X-Generator: Poedit 3.4.2\\n"\n' + fields in header  # the editor's fields, in their order,
    assert '"Plural-Forms: nplurals=2; plural=n != 1;\\n"' in header  # and its (equivalent) Plural-Forms


EDITOR_SAVES = {
    "Poedit-like width 79": ["--width=79"],
    "narrow": ["--width=60"],
    "wide": ["--width=100"],
    "no wrap (Lokalize, Weblate)": ["--no-wrap"],
    "sorted": ["--sort-output"],
    "sorted, no wrap": ["--sort-output", "--no-wrap"],
}


def editor_save(root: Path, options: list[str]) -> None:
    for path in (root / "locales").rglob("*.po"):
        saved = subprocess.run(["msgcat", *options, str(path)], capture_output=True, check=True).stdout
        path.write_bytes(saved)


@needs_gnu
@pytest.mark.parametrize("editor", sorted(EDITOR_SAVES))
def test_an_editor_save_without_a_change_is_left_byte_identical(done: Path, editor: str) -> None:
    runner.run(load_config(done), engine_factory=lambda config: FakeEngine())  # translations to wrap
    editor_save(done, EDITOR_SAVES[editor])
    before = locales(done)
    run_ok(done)
    assert locales(done) == before


@needs_gnu
@pytest.mark.parametrize("editor", sorted(EDITOR_SAVES))
def test_after_an_editor_save_a_source_change_touches_only_the_changed_entries(done: Path, editor: str) -> None:
    runner.run(load_config(done), engine_factory=lambda config: FakeEngine())
    editor_save(done, EDITOR_SAVES[editor])
    old_text = (done / ES).read_text(encoding="utf-8")
    source = done / "source" / f"{ARTICLE}.txt"
    edited = source.read_text(encoding="utf-8").replace("reduced mobility", "severely reduced mobility")
    source.write_text(edited, encoding="utf-8")
    run_ok(done)
    new_text = (done / ES).read_text(encoding="utf-8")
    old, new = (poread.parse_po_file(text.encode(), Path(ES)).messages for text in (old_text, new_text))
    changed_old = [m for m in old if m not in new or m.is_header]
    changed_new = [m for m in new if m not in old or m.is_header]
    assert len(changed_old) == 2 and len(changed_new) == 3  # the header, the sentence; it became obsolete
    assert all(m.origin for m in old)
    lines_of = {line for m in changed_old if m.origin for line in m.origin.text.split("\n")} | {""}
    diff = list(difflib.unified_diff(old_text.split("\n"), new_text.split("\n"), n=0, lineterm=""))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    assert set(removed) <= lines_of, "lines of unchanged entries were rewritten"
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    new_lines = {line for m in changed_new for line in pofile.message_lines(m)[0]} | {""}
    assert set(added) <= new_lines | {line for m in changed_new if m.origin for line in m.origin.text.split("\n")}


@pytest.mark.slow
@needs_gnu
def test_every_file_polyleaf_writes_is_what_msgcat_writes(project: Path) -> None:
    (project / "polyleaf.toml").write_text(
        'languages = ["es", "fr", "pt_BR", "ru", "zh_Hans", "vi", "ar"]\nformats = ["txt"]\n', encoding="utf-8"
    )
    runner.run(load_config(project), engine_factory=lambda config: FakeEngine())
    texts = {
        "ru": "Хроническая боль в пояснице остаётся широко распространённым состоянием, от которого страдают миллионы.",
        "zh_Hans": "慢性腰痛仍然是一种普遍存在的疾病，影响着全世界数百万人的生活质量，需要新的治疗方法。" * 2,
        "vi": "Đau thắt lưng mãn tính vẫn là một tình trạng phổ biến, ảnh hưởng đến hàng triệu người trên thế giới.",
        "ar": "لا يزال ألم أسفل الظهر المزمن حالة منتشرة تؤثر على ملايين الأشخاص في جميع أنحاء العالم اليوم.",
    }
    for language, text in texts.items():  # reviewed translations in other scripts, wrapped by polyleaf
        po = open_po(project / "locales" / language / "LC_MESSAGES" / f"{ARTICLE}.po")
        for entry in po:
            entry.msgstr, entry.flags = text, []
        po.save()
    source = project / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Relief", "Relief Today"), encoding="utf-8")
    report = runner.run(load_config(project), engine_factory=lambda config: FakeEngine())
    assert len(report.written) >= 7
    for path in sorted((project / "locales").rglob("*.po*")):
        assert subprocess.run(["msgcat", str(path)], capture_output=True).stdout == path.read_bytes(), path
        msgfmt_check(path)
    for path in sorted((project / "locales" / "templates").glob("*.pot")):
        checked = subprocess.run(["msgfmt", "-c", "--verbose", "-o", "/dev/null", str(path)], capture_output=True)
        assert b"warning" not in checked.stderr, checked.stderr.decode()
    if shutil.which("msgmerge"):  # and msgmerge finds nothing to do: each PO file merged with its template is itself
        for path in sorted((project / "locales").glob("*/LC_MESSAGES/*.po")):
            template = project / "locales" / "templates" / f"{path.stem}.pot"
            merged = subprocess.run(
                ["msgmerge", "--quiet", "--previous", "-o", "-", str(path), str(template)], capture_output=True
            )
            assert merged.stdout == path.read_bytes(), path  # QA notes included: translator comments, kept


def test_dates_alone_never_rewrite_a_file_and_po_files_carry_their_templates_date(done: Path) -> None:
    before = locales(done)
    run_ok(done, env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert locales(done) == before
    for path in (done / "locales").rglob("*.po"):
        template = done / "locales" / "templates" / f"{path.stem}.pot"
        date = [line for line in template.read_text(encoding="utf-8").split("\n") if "POT-Creation-Date" in line]
        assert date and date[0] in path.read_text(encoding="utf-8").split("\n")


def test_source_date_epoch_dates_the_files(project: Path) -> None:
    run_ok(project, env={"SOURCE_DATE_EPOCH": "1700000000"})
    for path in (project / "locales").rglob("*.po*"):
        text = path.read_text(encoding="utf-8")
        assert '"POT-Creation-Date: 2023-11-14 22:13+0000\\n"' in text
        assert '"PO-Revision-Date: 2023-11-14 22:13+0000\\n"' in text


def test_status_parses_each_po_file_once(done: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Catalogs keep their lines through update: nothing reads a PO file again to find where an entry is."""
    parsed: list[Path] = []
    parse = poread.parse_po_file

    def counting(raw: bytes, path: Path) -> pofile.PoFile:
        parsed.append(path)
        return parse(raw, path)

    monkeypatch.setattr(poread, "parse_po_file", counting)
    rows = status(load_config(done))
    assert sorted(parsed) == sorted(set(parsed)) and len(parsed) == len(rows) == 8
