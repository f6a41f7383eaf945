"""Bad input, as a user meets it through the command line: each case exits with the documented code, says what
is wrong in one ``path:line: message`` line (no traceback), and changes no file."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from argos_model import build_argos_package
from helpers import content_project, copied_project, isolated_home, one_line_error, polyleaf, polyleaf_process, tree
from po_editor import open_po
from polyleaf.catalog import model as catalog

ARTICLE = "bvna-chronic-low-back-pain"
REPO = Path(__file__).resolve().parent.parent
PO = f"locales/es/LC_MESSAGES/{ARTICLE}.po"


def error_of(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The one line a command failed with, without its ``polyleaf: `` prefix."""
    line = one_line_error(result, code)
    assert line.startswith("polyleaf: ")
    return line.removeprefix("polyleaf: ")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project after one ``polyleaf run`` (templates, PO files, draft build), copied by ``done``."""
    config = 'source_language = "en"\nlanguages = ["es", "ar"]\nformats = ["txt", "html"]\n'
    root = content_project(tmp_path_factory.mktemp("first-run") / "project", config)
    result = polyleaf(root, "run")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def done(first_run: Path, tmp_path: Path) -> Path:
    return copied_project(first_run, tmp_path)


# ----------------------------------------------------------------------------------------------- sources


def test_source_not_utf8(done: Path) -> None:
    (done / "source" / "latin1.txt").write_bytes("Title\nCaf\xe9 au lait.\n".encode("latin-1"))
    before = tree(done)
    message = error_of(polyleaf(done, "run"), 1)
    assert message == "source/latin1.txt:2: not valid UTF-8: byte 0xe9 at column 4 (save the file as UTF-8)"
    assert tree(done) == before


def test_source_utf16(done: Path) -> None:
    (done / "source" / "wide.txt").write_bytes("Title\nText.\n".encode("utf-16"))
    before = tree(done)
    assert error_of(polyleaf(done, "run"), 1) == "source/wide.txt:1: file is UTF-16; save it as UTF-8"
    assert tree(done) == before


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf\r\n"], ids=["empty", "blank", "bom-only"])
def test_empty_source(done: Path, content: bytes) -> None:
    (done / "source" / "empty.txt").write_bytes(content)
    before = tree(done)
    assert error_of(polyleaf(done, "run"), 1) == "source/empty.txt:1: empty file: nothing to translate"
    assert tree(done) == before


def test_binary_file_in_source(done: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    (done / "source" / "figure.txt").write_bytes(png)
    before = tree(done)
    message = error_of(polyleaf(done, "run"), 1)
    assert message == "source/figure.txt:3: binary file (contains NUL bytes), not a text article"
    assert tree(done) == before
    (done / "source" / "figure.txt").unlink()
    (done / "source" / "figure.docx").write_bytes(png)  # an image (.png) would be an asset for Markdown articles
    before = tree(done)
    message = error_of(polyleaf(done, "run"), 1)
    assert message == "source/figure.docx: unsupported source file type '.docx' (use .txt or .md)"
    assert tree(done) == before


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_bom_and_crlf_source_round_trips_into_the_build(done: Path, suffix: str) -> None:
    title = "Caring for your back" if suffix == ".txt" else "# Caring for your back"
    source = f"\ufeff{title}\r\nRest for a day. Then walk a little every day.\r\n"
    (done / "source" / f"crlf{suffix}").write_bytes(source.encode("utf-8"))
    assert polyleaf(done, "update").returncode == 0
    po_file = done / "locales" / "es" / "LC_MESSAGES" / "crlf.po"
    pot = (done / "locales" / "templates" / "crlf.pot").read_text(encoding="utf-8")
    assert f"#: source/crlf{suffix}:2" in pot and "\ufeff" not in pot and "\r" not in pot
    po = open_po(po_file)
    spanish = {
        "Caring for your back": "Cuidar la espalda",
        "Rest for a day.": "Descanse un día.",
        "Then walk a little every day.": "Luego camine un poco cada día.",
    }
    for entry in po:
        entry.msgstr = spanish[entry.msgid]
    po.save()
    result = polyleaf(done, "run")
    assert result.returncode == 0, result.stderr
    built = (done / "build" / "es" / f"crlf.es{suffix}").read_bytes()
    assert built.startswith("\ufeff".encode())
    assert b"\n" not in built.replace(b"\r\n", b"")  # every line break is still CRLF
    title_es = "Cuidar la espalda" if suffix == ".txt" else "# Cuidar la espalda"
    assert f"{title_es}\r\nDescanse un día. Luego camine un poco cada día.\r\n".encode() in built


@pytest.mark.slow
def test_one_megabyte_single_line_paragraph(done: Path) -> None:
    words = ["pain", "nerve", "spine", "relief", "dose", "daily", "therapy", "muscle", "rest", "walk", "week"]
    sentences = []
    size = number = 0
    while size < 1_000_000:
        picked = " ".join(words[(number * 7 + k * 3) % len(words)] for k in range(8))
        sentence = f"Patient {number} noted {picked}, e.g. on day {number % 30 + 1}, at 2.5 mg per dose."
        sentences.append(sentence)
        size += len(sentence) + 1
        number += 1
    (done / "source" / "huge.txt").write_text("A very long article\n" + " ".join(sentences) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = polyleaf(done, "run", "--format", "txt")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 180, f"{elapsed:.0f} s for a 1 MB paragraph"
    entries = catalog.read_po(done / "locales" / "es" / "LC_MESSAGES" / "huge.po").entries()
    assert len(entries) == len(sentences) + 1  # the title, then every sentence (pysbd keeps "e.g." and "2.5")
    assert entries[1].msgid == sentences[0] and entries[-1].msgid == sentences[-1]
    built = (done / "build" / "es" / "huge.es.txt").read_text(encoding="utf-8")
    assert sentences[-1] in built


# ----------------------------------------------------------------------------------------------- PO files


def replace_line(path: Path, startswith: str, new: str, after: int = 0) -> int:
    """Replace the first line (after line ``after``) starting with ``startswith``; its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith(startswith) and i >= after)
    lines[number] = new
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


def break_unterminated(po: Path) -> tuple[int, str]:
    return replace_line(po, "msgstr", 'msgstr "sin cerrar\n', after=20), "unterminated string"


def break_duplicate(po: Path) -> tuple[int, str]:
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    first = [number for number, line in enumerate(lines) if line.startswith("msgid ")][1]  # after the header
    end = next(number for number in range(first, len(lines)) if not lines[number].strip())
    po.write_text("".join([*lines, "\n", *lines[first:end]]), encoding="utf-8")
    return len(lines) + 2, f"duplicate msgid (first at line {first + 1})"


def header_line(po: Path) -> int:
    """Header problems are reported at the header entry's ``msgid`` line."""
    return next(n for n, line in enumerate(po.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("msgid"))


def break_charset(po: Path) -> tuple[int, str]:
    text = po.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    po.write_text(text, encoding="utf-8")
    return header_line(po), "header: charset must be UTF-8, not 'text/plain; charset=ISO-8859-1'"


def break_plural_syntax(po: Path) -> tuple[int, str]:
    replace_line(po, '"Plural-Forms:', '"Plural-Forms: nplurals=two; plural=n != 1;\\n"\n')
    return header_line(po), "header: malformed Plural-Forms 'nplurals=two; plural=n != 1;'"


def break_plural_expression(po: Path) -> tuple[int, str]:
    replace_line(po, '"Plural-Forms:', '"Plural-Forms: nplurals=2; plural=(n != 1;\\n"\n')
    return header_line(po), "header: invalid Plural-Forms expression (unbalanced parenthesis in plural form)"


def break_bom(po: Path) -> tuple[int, str]:
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes())
    return 1, "starts with a byte order mark (BOM); save it as UTF-8 without BOM"


def break_latin1(po: Path) -> tuple[int, str]:
    data = po.read_bytes()
    po.write_bytes(data + 'msgid "Caf\xe9"\nmsgstr ""\n'.encode("latin-1"))
    return data.count(b"\n") + 1, "not valid UTF-8"


def break_keyword(po: Path) -> tuple[int, str]:
    return replace_line(po, "msgstr", 'msgtsr ""\n', after=20), "unexpected text: 'msgtsr \"\"'"


BREAKAGES = {
    "unterminated string": break_unterminated,
    "duplicate msgid": break_duplicate,
    "bad charset header": break_charset,
    "malformed Plural-Forms": break_plural_syntax,
    "invalid Plural-Forms expression": break_plural_expression,
    "byte order mark": break_bom,
    "not UTF-8": break_latin1,
    "misspelled keyword": break_keyword,
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_malformed_po_stops_the_run(done: Path, breakage: str) -> None:
    line, message = BREAKAGES[breakage](done / PO)
    before = tree(done)
    assert error_of(polyleaf(done, "run"), 1) == f"{PO}:{line}: {message}"
    assert tree(done) == before


@pytest.mark.parametrize("command", ["update", "translate", "check", "status", "build"])
def test_malformed_po_stops_every_command(done: Path, command: str) -> None:
    line, message = break_duplicate(done / PO)
    before = tree(done)
    assert error_of(polyleaf(done, command), 1) == f"{PO}:{line}: {message}"
    assert tree(done) == before


def test_valid_but_wrong_plural_forms_is_corrected_on_update(done: Path) -> None:
    replace_line(done / PO, '"Plural-Forms:', '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"\n')
    result = polyleaf(done, "update")
    assert result.returncode == 0, result.stderr
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in (done / PO).read_text(encoding="utf-8")
    if shutil.which("msgfmt"):
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(done / PO)], capture_output=True)
        assert check.returncode == 0, check.stderr


# ----------------------------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("espanol", "did you mean 'es' (Spanish)?"),
        ("español", "did you mean 'es' (Spanish)?"),
        ("Spanish", "did you mean 'es' (Spanish)?"),
        ("sp", "did you mean 'es' (Spanish)?"),
        ("Deutsch", "did you mean 'de' (German)?"),
        ("farsi", "did you mean 'fa' (Persian)?"),
        ("pt_XX", "did you mean 'pt' (Portuguese)?"),
        ("xx", "use a language code such as 'es', 'pt_BR' or 'zh_Hans'"),
    ],
)
def test_unknown_language_code_suggests_the_close_match(project: Path, code: str, hint: str) -> None:
    (project / "polyleaf.toml").write_text(f'source_language = "en"\nlanguages = ["fr", "{code}"]\n', encoding="utf-8")
    before = tree(project)
    message = error_of(polyleaf(project, "run"), 2)
    assert message == f"polyleaf.toml:2: unknown language code '{code}' ({hint})"
    assert tree(project) == before


def test_region_and_script_spellings_are_accepted(project: Path) -> None:
    (project / "polyleaf.toml").write_text('languages = ["pt-br", "zh-CN", "ES"]\n', encoding="utf-8")
    result = polyleaf(project, "update")
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in (project / "locales").iterdir()) == ["es", "pt_BR", "templates", "zh_Hans_CN"]
    header = catalog.read_po(project / "locales" / "pt_BR" / "LC_MESSAGES" / "disclaimer.po").language
    assert header == "pt_BR"


# ----------------------------------------------------------------------------------------------- models


@pytest.fixture(scope="module")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_argos_package(tmp_path_factory.mktemp("archive"), "en", "es", eos_bias=2.0)


def corrupt_copies(package: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    """Broken .argosmodel files and the message each one gets."""
    folder.mkdir()
    truncated = folder / "truncated.argosmodel"
    truncated.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    not_zip = folder / "notes.argosmodel"
    not_zip.write_text("these are my notes, not a model\n", encoding="utf-8")
    flipped = folder / "flipped.argosmodel"
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(next(n for n in archive.namelist() if n.endswith("model.bin")))
    data[info.header_offset + 30 + len(info.filename) + len(info.extra) + 10] ^= 0xFF
    flipped.write_bytes(bytes(data))
    no_metadata = folder / "empty.argosmodel"
    with zipfile.ZipFile(no_metadata, "w") as archive:
        archive.writestr("pkg/readme.txt", "hello")
    return {
        "missing": (folder / "missing.argosmodel", "no such file"),
        "truncated": (truncated, "not an argos package (not a zip archive)"),
        "not a zip": (not_zip, "not an argos package (not a zip archive)"),
        "damaged data": (flipped, "corrupt archive: Error -3 while decompressing data: invalid literal/lengths set"),
        "no metadata": (
            no_metadata,
            "not an argos package (expected one folder with metadata.json at the archive root)",
        ),
    }


@pytest.mark.parametrize("case", ["missing", "truncated", "not a zip", "damaged data", "no metadata"])
def test_models_install_refuses_missing_or_corrupt_packages(tiny_package: Path, tmp_path: Path, case: str) -> None:
    path, message = corrupt_copies(tiny_package, tmp_path / "archives")[case]
    env = isolated_home(tmp_path / "home")
    before = tree(tmp_path / "home") if (tmp_path / "home").exists() else {}
    message_line = error_of(polyleaf(tmp_path, "models", "install", str(path), env=env), 1)
    assert message_line == f"{path.relative_to(tmp_path)}: {message}"
    assert (tree(tmp_path / "home") if (tmp_path / "home").exists() else {}) == before
    assert not (tmp_path / "home" / "packages").exists() or not any((tmp_path / "home" / "packages").iterdir())


def test_corrupt_installed_model_stops_translate_and_changes_nothing(
    done: Path, tiny_package: Path, tmp_path: Path
) -> None:
    env = isolated_home(tmp_path / "home")
    assert polyleaf(done, "models", "install", str(tiny_package), env=env).returncode == 0
    model = next((tmp_path / "home" / "packages").glob("*/model/model.bin"))
    model.write_bytes(model.read_bytes()[:1000])
    before = tree(done)
    message = error_of(polyleaf(done, "translate", env=env), 1)
    assert message.startswith(f"{model.parent.parent}: cannot load argos package en-es 1.0: ")
    assert tree(done) == before


# ----------------------------------------------------------------------------------------------- writing


def read_only_prefix() -> tuple[str, ...]:
    """How to run polyleaf so that file modes are enforced (root ignores them unless it drops CAP_DAC_*)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only directory cannot be simulated")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


def test_read_only_locales(done: Path) -> None:
    source = done / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8")
    folders = [done / "locales", *(path for path in (done / "locales").rglob("*") if path.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        before = tree(done)
        message = error_of(polyleaf_process(done, "update", prefix=read_only_prefix()), 1)
        after = tree(done)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert message == f"locales/templates/{ARTICLE}.pot: cannot write: Permission denied"
    assert after == before
    assert not [path for path in done.rglob("*") if ".polyleaf-" in path.name]


NEEDS_PROC = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell temp files apart")


def test_unreadable_source_directory(done: Path) -> None:
    (done / "source").chmod(0o311)  # can enter, cannot list
    try:
        before = tree(done)
        message = error_of(polyleaf_process(done, "run", prefix=read_only_prefix()), 1)
    finally:
        (done / "source").chmod(0o755)
    assert message == "source: cannot list the source files: Permission denied"
    assert tree(done) == before


@NEEDS_PROC
def test_disk_full_leaves_the_original_file_intact(done: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = done / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8")
    before = tree(done)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if ".polyleaf-" in os.path.basename(os.readlink(f"/proc/self/fd/{fd}")):  # the temp file of a write
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = polyleaf(done, "run")
    monkeypatch.undo()
    message = error_of(result, 1)
    assert message == f"locales/templates/{ARTICLE}.pot: cannot write: {os.strerror(errno.ENOSPC)}"
    assert tree(done) == before
    assert not [path for path in done.rglob("*") if ".polyleaf-" in path.name]


@NEEDS_PROC
def test_disk_full_while_saving_a_po_file(done: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process: the templates were written, then the disk fills up on a PO file; that file stays as it was."""
    from fake_engine import FakeEngine
    from polyleaf.config.model import load_config
    from polyleaf.errors import PolyleafError
    from polyleaf.pipeline import runner

    source = done / "source" / f"{ARTICLE}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new closing sentence.\n", encoding="utf-8")
    po_before = (done / PO).read_bytes()
    real_fsync = os.fsync

    def full(fd: int) -> None:
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if name.startswith(".") and ".po.polyleaf-" in name:  # the temp file of a PO write
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(PolyleafError) as caught:
        runner.run(load_config(done), engine_factory=lambda config: FakeEngine())
    assert caught.value.message == f"cannot write: {os.strerror(errno.ENOSPC)}"
    assert caught.value.path is not None and caught.value.path.suffix == ".po"
    assert (done / PO).read_bytes() == po_before
    for path in (done / "locales").rglob("*.po"):
        catalog.read_po(path)
    assert not [path for path in done.rglob("*") if ".polyleaf-" in path.name]
