"""A release is a transaction (issue 21, item 2): built aside, swapped in whole, ``release.json`` inside it, and
checked by ``polyleaf verify-release``. Ctrl-C or a full disk at any write, hard link or swap of a release leaves
the previous release exactly as it was; a release that goes through is the new one, whole; a language no longer
configured leaves the release and its manifest."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner, Result

from fake_engine import FakeEngine
from helpers import po_path, po_string, set_translation
from polyleaf import fsio
from polyleaf.cli import main
from polyleaf.pipeline import release as release_module
from polyleaf.pipeline import runner
from polyleaf.pipeline.sources import load_sources
from release_helpers import DOSE, one_leaflet_project, review, run

DOSE_SENTENCE = "Take 2.5 mg of the medicine with water."
SOURCE = f"Dosage\n{DOSE_SENTENCE}\nKeep it dry.\n"
RELEASE = Path("build") / "release"


def cli(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def configure(root: Path, languages: str) -> None:
    (root / "polyleaf.toml").write_text(f'languages = [{languages}]\nformats = ["txt", "html"]\n', encoding="utf-8")


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One leaflet, reviewed in Spanish and Arabic and released."""
    root = one_leaflet_project(tmp_path_factory.mktemp("first") / "project", SOURCE, ("es", "ar"))
    for language in ("es", "ar"):
        review(root, language, DOSE)
    result = cli(root, "build", "--release")
    assert result.exit_code == 0 and "2 leaflet(s) published, 0 withheld" in result.output, result.output
    return root


def copy(first: Path, to: Path) -> Path:
    """A copy of the project in the folder ``to``, under the same name (the name is printed on every page)."""
    shutil.copytree(first, to / first.name, symlinks=True)
    return to / first.name


@pytest.fixture
def project(first: Path, tmp_path: Path) -> Path:
    return copy(first, tmp_path)


def release_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root / RELEASE).as_posix(): path.read_bytes()
        for path in sorted((root / RELEASE).rglob("*"))
        if path.is_file()
    }


def records(root: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((root / RELEASE / "release.json").read_text(encoding="utf-8"))["leaflets"]
    return data


def verified(root: Path) -> bool:
    return cli(root, "verify-release").exit_code == 0


def next_release(root: Path) -> None:
    """What the coordinator changes before the next release: a new Spanish wording, Arabic no longer offered."""
    set_translation(
        po_path(root, "es", DOSE), DOSE_SENTENCE, po_string("ES nuevo: Tome 2,5 mg del medicamento con agua.")
    )
    configure(root, '"es"')


# ----------------------------------------------------------------------------------------------- all or nothing


@pytest.mark.slow
def test_release_json_is_inside_the_release_and_the_old_place_links_to_it(project: Path) -> None:
    assert {(record["language"], record["document"]) for record in records(project)} == {("es", DOSE), ("ar", DOSE)}
    legacy = project / "build" / "release.json"
    assert legacy.is_symlink() and os.readlink(legacy) == "release/release.json"
    assert json.loads(legacy.read_text(encoding="utf-8"))["leaflets"] == records(project)
    assert verified(project)


def test_a_release_with_nothing_new_swaps_nothing_and_writes_nothing(project: Path) -> None:
    def state() -> tuple[int, dict[Path, int]]:
        return (project / RELEASE).stat().st_ino, {
            path: path.stat().st_mtime_ns for path in (project / RELEASE).rglob("*")
        }

    before = state()
    result = cli(project, "build", "--release")
    assert result.exit_code == 0 and result.output.endswith("0 file(s) written\n")
    assert state() == before
    with mock.patch.object(runner, "load_sources", side_effect=load_sources) as reads:
        assert cli(project, "build", "--release").exit_code == 0
    assert not reads.called and state() == before  # and the next one is answered from the run record


def test_a_language_no_longer_configured_leaves_the_release_and_its_manifest(project: Path) -> None:
    next_release(project)
    result = cli(project, "build", "--release")
    assert result.exit_code == 0, result.output
    assert [(record["language"], record["document"]) for record in records(project)] == [("es", DOSE)]
    assert not (project / RELEASE / "ar").exists()
    assert "ES nuevo" in (project / RELEASE / "es" / f"{DOSE}.es.txt").read_text(encoding="utf-8")
    assert verified(project)


def test_what_a_content_repository_put_in_the_release_folder_is_not_carried_over(project: Path) -> None:
    (project / RELEASE / "es" / "evil.es.html").write_text("<p>Take 25 mg</p>", encoding="utf-8")
    (project / RELEASE / "notes.txt").write_text("not part of a release", encoding="utf-8")
    (project / RELEASE / "es" / "passwd.es.txt").symlink_to("/etc/passwd")
    next_release(project)
    assert cli(project, "build", "--release").exit_code == 0
    leftovers = {"es/evil.es.html", "notes.txt", "es/passwd.es.txt"}
    assert not leftovers & {path.relative_to(project / RELEASE).as_posix() for path in (project / RELEASE).rglob("*")}
    assert verified(project)


def test_a_release_folder_that_is_a_link_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "www"
    (project / RELEASE).rename(elsewhere)
    (project / RELEASE).symlink_to(elsewhere)
    before = {path: path.read_bytes() for path in elsewhere.rglob("*") if path.is_file()}
    next_release(project)
    result = cli(project, "build", "--release")
    assert result.exit_code == 1 and "build/release: not a folder (a symbolic link?)" in result.output
    assert {path: path.read_bytes() for path in elsewhere.rglob("*") if path.is_file()} == before


# ----------------------------------------------------------------------------------------------- interrupted


class Injection:
    """``fail`` called at the N-th call of ``patch`` (``module.name``) during one ``build --release``."""

    def __init__(self, patch: str, nth: int, fail: Callable[[], None]) -> None:
        module, self.name = patch.rsplit(".", 1)
        self.target = {"fsio": fsio, "os": os, "release": release_module}[module]
        self.nth, self.fail = nth, fail
        self.calls = 0
        self.swapped = False  # whether the new release was in place
        self.failed_after_swap: bool | None = None  # None: it never failed

    def run(self, root: Path) -> Result:
        real, real_swap = getattr(self.target, self.name), release_module._swap

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.nth:
                self.failed_after_swap = self.swapped
                self.fail()
            return real(*args, **kwargs)

        def swap(*args: Any) -> None:
            real_swap(*args)
            self.swapped = True

        with mock.patch.object(self.target, self.name, counted), mock.patch.object(release_module, "_swap", swap):
            return cli(root, "build", "--release")


def ctrl_c() -> None:
    raise KeyboardInterrupt


class _FullDisk:
    """A temp file that takes no bytes: the disk is full."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exception: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def disk_full() -> None:
    """A full disk at this write: writing its temp file fails (whether or not the write is flushed to disk, as a
    cache entry is not), and the real writer must clean up after itself."""
    real_fdopen = os.fdopen

    def full(fd: int, *args: Any, **kwargs: Any) -> _FullDisk:
        os.fdopen = real_fdopen
        return _FullDisk(real_fdopen(fd, *args, **kwargs))

    os.fdopen = full  # type: ignore[assignment]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("patch", "fail"),
    [
        ("fsio._write", ctrl_c),
        ("fsio._write", disk_full),
        ("os.link", ctrl_c),
        ("release._exchange", ctrl_c),
        ("release._sync_tree", ctrl_c),
    ],
    ids=["ctrl-c at a write", "disk full at a write", "ctrl-c at a hard link", "ctrl-c at the swap", "ctrl-c at sync"],
)
def test_an_interrupted_release_leaves_the_previous_one_whole(
    first: Path, tmp_path: Path, patch: str, fail: Callable[[], None]
) -> None:
    """For every N, on a fresh copy of the project, the N-th call fails. A failure before the new release is in
    place leaves the previous one (or, when only a cache write failed, which costs time, the new one); after, the
    new one. Either way whole: every file as its release.json says, nothing of a half-built release left."""
    previous = release_files(first)
    pristine = copy(first, tmp_path / "pristine")
    next_release(pristine)
    expected = copy(pristine, tmp_path / "expected")
    assert cli(expected, "build", "--release").exit_code == 0
    new = release_files(expected)
    assert new != previous
    kept_previous = 0
    for nth in range(1, 500):
        root = copy(pristine, tmp_path / f"attempt-{nth}")
        injection = Injection(patch, nth, fail)
        result = injection.run(root)
        after = release_files(root)
        if injection.failed_after_swap is None:  # nothing failed: the last attempt went through
            assert result.exit_code == 0 and after == new
            break
        assert verified(root), f"call {nth} of {patch}: {result.output}"
        assert not [path for path in (root / "build").iterdir() if path.name.startswith(".release-")]
        if injection.failed_after_swap or result.exit_code == 0:
            assert after == new, f"call {nth} of {patch}: {result.output}"
        else:
            assert after == previous, f"call {nth} of {patch}: {result.output}"
            kept_previous += 1
        shutil.rmtree(root.parent)
    else:
        pytest.fail("the release never went through")
    assert kept_previous


def test_a_swap_by_two_renames_killed_in_between_is_repaired_by_the_next_release(project: Path) -> None:
    """Where a file system cannot exchange folders, the old release is put aside first; a kill right after that
    leaves no build/release/, and the next release build brings the previous one back before it starts."""
    next_release(project)
    real_rename = os.rename

    def killed_after_the_first(source: Any, target: Any) -> None:
        real_rename(source, target)
        if str(target).endswith(release_module.PREVIOUS):
            raise KeyboardInterrupt  # (no chance to move it back, as with kill -9)

    with (
        mock.patch.object(release_module, "_exchange", lambda first, second: False),
        mock.patch.object(release_module, "_swap_by_renames", _no_rollback(killed_after_the_first)),
    ):
        assert cli(project, "build", "--release").exit_code == 130
    assert not (project / RELEASE).exists() and (project / "build" / release_module.PREVIOUS).is_dir()
    assert cli(project, "verify-release").exit_code == 1
    with mock.patch.object(release_module, "_exchange", lambda first, second: False):
        assert cli(project, "build", "--release").exit_code == 0
    assert verified(project) and [record["language"] for record in records(project)] == ["es"]
    assert not (project / "build" / release_module.PREVIOUS).exists()


def _no_rollback(rename: Callable[[Any, Any], None]) -> Callable[[Path, Path], None]:
    def swap(staging: Path, current: Path) -> None:
        rename(current, current.parent / release_module.PREVIOUS)
        rename(staging, current)

    return swap


# ----------------------------------------------------------------------------------------------- verify-release


def test_verify_release_names_every_file_that_is_not_the_released_one(project: Path, tmp_path: Path) -> None:
    text = project / RELEASE / "es" / f"{DOSE}.es.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("2,5", "25").replace("2.5", "25"), encoding="utf-8")
    (project / RELEASE / "ar" / f"{DOSE}.ar.html").unlink()
    result = cli(project, "verify-release")
    assert result.exit_code == 1
    assert f"build/release/es/{DOSE}.es.txt: changed: its SHA-256 is not the one release.json records" in result.output
    assert f"build/release/ar/{DOSE}.ar.html: missing (or not a regular file)" in result.output
    as_json = json.loads(cli(project, "verify-release", "--json").output)
    assert as_json["leaflets"] == 2 and len(as_json["problems"]) == 2
    assert as_json["matching"] == as_json["files"] - 2 and as_json["unlisted"] == 0

    published = tmp_path / "www"  # a copy on the web server, checked after publishing
    shutil.copytree(project / RELEASE, published)
    assert cli(project, "verify-release", str(published)).exit_code == 1
    forged = {
        "leaflets": [{"language": "es", "files": {"es/\nx": "0"}}],
        "files": {"../release.json": "0", "es/\nx": "0"},
    }
    (published / "release.json").write_text(json.dumps(forged), encoding="utf-8")
    result = cli(project, "verify-release", str(published))
    assert result.exit_code == 1 and f"{published}/../release.json: not a path inside the release" in result.output
    assert f"{published}/es/\\nx: missing" in result.output  # one line each, whatever a path holds
    (published / "release.json").write_text("[{", encoding="utf-8")
    result = cli(project, "verify-release", str(published))
    assert result.exit_code == 1 and "release.json: not a release manifest" in result.output
    (published / "release.json").unlink()
    (published / "release.json").mkdir()  # opens like a file, and cannot be read
    result = cli(project, "verify-release", str(published))
    assert result.exit_code == 1 and "no release.json (not a release folder)" in result.output


# ----------------------------------------------------------------------------------------------- partial releases


def page_links(page: Path) -> set[str]:
    return set(re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_a_partial_release_does_not_keep_a_leaflet_whose_english_changed(project: Path) -> None:
    """``build --release --lang ar`` after the English changed: the Spanish leaflet, not reviewed against the new
    English, is withdrawn, not left published with the old dose; the index pages list what is published."""
    source = project / "source" / f"{DOSE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("2.5 mg", "5 mg"), encoding="utf-8")
    assert cli(project, "update").exit_code == 0
    review(project, "ar", DOSE)
    result = cli(project, "build", "--release", "--lang", "ar")
    assert result.exit_code == 0, result.output
    assert (
        f"published ar/{DOSE}" in result.output and f"withheld es/{DOSE}: 1 of 3 segments not reviewed" in result.output
    )
    assert [(record["language"], record["document"]) for record in records(project)] == [("ar", DOSE)]
    assert not (project / RELEASE / "es").exists()
    assert "AR: Take 5 mg" in (project / RELEASE / "ar" / f"{DOSE}.ar.txt").read_text(encoding="utf-8")
    assert page_links(project / RELEASE / "index.html") >= {"ar/index.html"}
    assert "es/index.html" not in page_links(project / RELEASE / "index.html")
    assert verified(project)


def test_a_partial_release_publishes_what_it_carries_over_as_it_is_now(project: Path) -> None:
    """A reviewed Spanish wording changed since the last release: ``--lang ar`` does not leave the old one
    published as if it were current; it builds it again (through the release gate), and every index page lists
    every language and leaflet that is published, not only what the command selected."""
    next_release(project)
    configure(project, '"es", "ar"')
    result = cli(project, "build", "--release", "--lang", "ar")
    assert result.exit_code == 0, result.output
    assert "ES nuevo" in (project / RELEASE / "es" / f"{DOSE}.es.txt").read_text(encoding="utf-8")
    assert {"es/index.html", "ar/index.html"} <= page_links(project / RELEASE / "index.html")
    assert f"{DOSE}.es.html" in page_links(project / RELEASE / "es" / "index.html")
    assert verified(project)
    before = release_files(project)
    result = cli(project, "build", "--release", "--lang", "es")  # nothing new: nothing rebuilt, nothing written
    assert result.exit_code == 0 and result.output.endswith("0 file(s) written\n") and release_files(project) == before


@pytest.mark.slow
def test_a_partial_release_of_one_document_keeps_every_document_on_the_index(project: Path) -> None:
    (project / "source" / "rest.txt").write_text("Rest\nRest for a day.\n", encoding="utf-8")
    run(project, engine=FakeEngine())
    for language in ("es", "ar"):
        review(project, language, "rest")
    assert cli(project, "build", "--release").exit_code == 0
    review(project, "es", "rest", text=lambda language, msgid: f"ES otra vez: {msgid}")
    result = cli(project, "build", "--release", "--doc", "rest")
    assert result.exit_code == 0, result.output
    for language in ("es", "ar"):
        assert {f"{DOSE}.{language}.html", f"rest.{language}.html"} <= page_links(
            project / RELEASE / language / "index.html"
        )
    assert "ES otra vez" in (project / RELEASE / "es" / "rest.es.txt").read_text(encoding="utf-8")
    assert len(records(project)) == 4 and verified(project)


def damage_truncated(release: Path) -> None:
    manifest = release / "release.json"
    manifest.write_bytes(manifest.read_bytes()[:100])


def damage_forged_without_spanish(release: Path) -> None:
    """A release.json that no longer mentions the Spanish leaflet, whose files are still there."""
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    manifest["leaflets"] = [record for record in manifest["leaflets"] if record["language"] != "es"]
    manifest["files"] = {path: digest for path, digest in manifest["files"].items() if not path.startswith("es/")}
    (release / "release.json").write_text(json.dumps(manifest), encoding="utf-8")


def damage_legacy(release: Path) -> None:
    """The layout of an older polyleaf: the manifest a list of leaflets in build/release.json."""
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    (release / "release.json").unlink()
    (release.parent / "release.json").unlink()
    (release.parent / "release.json").write_text(json.dumps(manifest["leaflets"]), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (damage_truncated, "build/release/release.json: not a release manifest"),
        (damage_forged_without_spanish, "build/release/es/"),
        (damage_legacy, "build/release: no release.json"),
    ],
    ids=["truncated", "forged", "older layout"],
)
def test_a_partial_release_refuses_a_release_it_cannot_trust(
    project: Path, damage: Callable[[Path], None], problem: str
) -> None:
    """A damaged or hand-made release.json never makes a partial release drop (or keep) leaflets silently: it
    stops with one line that asks for a full release, which then replaces the damaged release whole."""
    damage(project / RELEASE)
    before = release_files(project)
    review(project, "ar", DOSE, text=lambda language, msgid: f"AR nuevo: {msgid}")
    result = cli(project, "build", "--release", "--lang", "ar")
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith(f"polyleaf: {problem}") and line.endswith("make a full release (`polyleaf build --release`)")
    assert release_files(project) == before
    result = cli(project, "build", "--release")
    assert result.exit_code == 0 and "this release replaces the previous one whole" in result.output
    assert {(record["language"], record["document"]) for record in records(project)} == {("es", DOSE), ("ar", DOSE)}
    assert verified(project)


def test_a_forged_leaflet_the_manifest_vouches_for_is_rendered_again(project: Path) -> None:
    """A release.json and a leaflet forged together (hashes that match) is carried over by a partial release only
    as polyleaf renders it from the PO files: the forged text is gone."""
    forged = project / RELEASE / "es" / f"{DOSE}.es.txt"
    forged.write_text(forged.read_text(encoding="utf-8").replace("2,5", "25").replace("2.5", "25"), encoding="utf-8")
    manifest = json.loads((project / RELEASE / "release.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(forged.read_bytes()).hexdigest()
    manifest["files"][f"es/{DOSE}.es.txt"] = digest
    next(record for record in manifest["leaflets"] if record["language"] == "es")["files"][f"es/{DOSE}.es.txt"] = digest
    (project / RELEASE / "release.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert verified(project)
    review(project, "ar", DOSE, text=lambda language, msgid: f"AR nuevo: {msgid}")
    assert cli(project, "build", "--release", "--lang", "ar").exit_code == 0
    assert " 25 mg" not in forged.read_text(encoding="utf-8") and verified(project)


# ----------------------------------------------------------------------------------------------- the whole folder


@pytest.mark.slow
def test_verify_release_fails_a_copy_that_keeps_a_withdrawn_leaflet(project: Path, tmp_path: Path) -> None:
    """``rsync -a`` without ``--delete`` (here: cp -a) after a release that withdrew the Spanish leaflet: the copy
    still serves it, and verify-release says so."""
    server = tmp_path / "srv"
    shutil.copytree(project / RELEASE, server)
    source = project / "source" / f"{DOSE}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("2.5 mg", "5 mg"), encoding="utf-8")
    assert cli(project, "update").exit_code == 0
    review(project, "ar", DOSE)
    assert f"withheld es/{DOSE}" in cli(project, "build", "--release").output
    shutil.copytree(project / RELEASE, server, dirs_exist_ok=True)
    result = cli(project, "verify-release", str(server))
    assert result.exit_code == 1
    assert f"{server}/es/{DOSE}.es.txt: not part of the release: release.json does not list it" in result.output
    assert "file(s) it does not list (copy a release with `rsync -a --delete`)" in result.output
    # its txt, its web page, the Spanish index, and the web font subsets made for the text the release had then
    old_subsets = {path.name for path in (server / "fonts").iterdir()} - {
        path.name for path in (project / RELEASE / "fonts").iterdir()
    }
    assert old_subsets and all(name.endswith(".woff2") for name in old_subsets)
    unlisted = json.loads(cli(project, "verify-release", str(server), "--json").output)["unlisted"]
    assert unlisted == 3 + len(old_subsets)
    assert verified(project)


@pytest.mark.parametrize(
    "tamper",
    ["index.html", "es/index.html", "fonts", "fonts/sub/evil.html", "assets/x.png"],
)
def test_verify_release_checks_every_file_of_the_folder(project: Path, tamper: str) -> None:
    """Index pages and fonts are hashed like the leaflets; a file in a subfolder of fonts/ is not part of the
    release, and the next release does not carry it."""
    path = project / RELEASE / tamper
    if tamper == "fonts":
        path = next(path.iterdir())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as file:
        file.write(b"<script>alert(1)</script>")
    result = cli(project, "verify-release")
    assert result.exit_code == 1
    problem = "changed: its SHA-256" if tamper in ("index.html", "es/index.html", "fonts") else "not part of the"
    assert f"build/release/{path.relative_to(project / RELEASE).as_posix()}: {problem}" in result.output
    next_release(project)
    result = cli(project, "build", "--release")
    assert result.exit_code == 0 and b"<script>" not in b"".join(release_files(project).values())
    assert verified(project)


def test_verify_release_fails_an_empty_or_invented_manifest(project: Path) -> None:
    manifest = project / RELEASE / "release.json"
    manifest.write_text('{"leaflets": [], "files": {}}', encoding="utf-8")
    result = cli(project, "verify-release")
    assert result.exit_code == 1 and "build/release/release.json: lists no leaflet" in result.output
    assert "build/release/es/index.html: not part of the release" in result.output
    (project / RELEASE / "notes.txt").write_text("hello", encoding="utf-8")
    listed = {"notes.txt": hashlib.sha256(b"hello").hexdigest()}
    manifest.write_text(json.dumps({"leaflets": [], "files": listed}), encoding="utf-8")
    result = cli(project, "verify-release")
    assert "build/release/notes.txt: listed, but no leaflet's file, index page, font or logo" in result.output
    for broken in ("[]", "{}", '{"leaflets": [{"files": {"a": 1}}], "files": {}}', "[" * 100_000):
        manifest.write_text(broken, encoding="utf-8")
        result = cli(project, "verify-release")
        assert result.exit_code == 1 and len(result.output.splitlines()) == 1, result.output


def test_a_release_that_only_removes_files_says_so(project: Path) -> None:
    (project / RELEASE / "es" / "evil.es.html").write_text("<p>Take 25 mg</p>", encoding="utf-8")
    (project / RELEASE / "fonts" / "sub").mkdir()
    (project / RELEASE / "fonts" / "sub" / "evil.html").write_text("<p>Take 25 mg</p>", encoding="utf-8")
    result = cli(project, "build", "--release")
    assert result.exit_code == 0 and result.output.endswith("0 file(s) written, 2 removed\n")
    assert not (project / RELEASE / "fonts" / "sub").exists() and verified(project)
    as_json = json.loads(cli(project, "-v", "build", "--release", "--json").output)
    assert as_json["removed"] == []


def test_verify_release_reads_a_copy_of_any_depth(project: Path, tmp_path: Path) -> None:
    """A folder thousands of levels deep in a copy (or a release folder) is one more file that is not part of the
    release — not a traceback."""
    server = tmp_path / "srv"
    shutil.copytree(project / RELEASE, server)
    folder = os.open(server, os.O_RDONLY)
    for _level in range(1100):  # past Python's recursion limit
        os.mkdir("a", dir_fd=folder)
        below = os.open("a", os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = below
    os.close(os.open("x", os.O_CREAT | os.O_WRONLY, dir_fd=folder))
    os.close(folder)
    result = cli(project, "verify-release", str(server))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{server}/{'a/' * 1100}x: not part of the release" in result.output
    release_module._remove_tree(server)  # as a release removes the one it replaced: whatever its depth
    assert not server.exists()
