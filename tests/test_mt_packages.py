"""``polyleaf models install`` on hostile ``.argosmodel`` files: every attack is a one-line error, exit code 1,
and the packages directory (with the package already in it) and everything around it are left exactly as they were.
Also: a reinstall swaps the package atomically, and ``models download`` fails in one line offline."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from argos_model import build_argos_package, extract_package
from polyleaf.cli import main
from polyleaf.mt import package_install

METADATA = b'{"from_code": "en", "to_code": "de", "package_version": "1.0", "type": "translate"}'


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_argos_package(tmp_path_factory.mktemp("good"), "en", "es", eos_bias=2.0)


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, good_archive: Path) -> Path:
    """A packages directory holding one installed package, with a sentinel file next to it."""
    directory = tmp_path / "home" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(directory))
    assert install(good_archive).exit_code == 0
    (tmp_path / "home" / "sentinel.txt").write_text("keep me")
    return directory


def install(*paths: Path) -> Result:
    return CliRunner().invoke(main, ["models", "install", *map(str, paths)])


def snapshot(root: Path) -> dict[str, str]:
    """Every path below ``root`` (hidden ones included) with its type and content hash."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = str(path.relative_to(root))
        if path.is_symlink():
            found[relative] = f"link:{os.readlink(path)}"
        elif path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[relative] = "dir"
    return found


def member(name: str, data: bytes = b"x", mode: int = stat.S_IFREG | 0o644) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info, data


def package_members(top: str) -> list[tuple[zipfile.ZipInfo, bytes]]:
    return [
        member(f"{top}/metadata.json", METADATA),
        member(f"{top}/model/model.bin", b"weights"),
        member(f"{top}/sentencepiece.model", b"tokens"),
    ]


def archive(path: Path, members: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    duplicates = len({info.filename for info, _ in members}) < len(members)
    expected = pytest.warns(UserWarning, match="Duplicate name") if duplicates else contextlib.nullcontext()
    with expected, zipfile.ZipFile(path, "w") as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


ATTACKS: dict[str, tuple[Callable[[], list[tuple[zipfile.ZipInfo, bytes]]], str]] = {
    "dot folder (rmtree'd the packages directory)": (lambda: package_members("."), "unsafe path './metadata.json'"),
    "parent traversal": (lambda: [*package_members("pkg"), member("pkg/../../evil.txt")], "unsafe path"),
    "parent at the top": (lambda: [*package_members("pkg"), member("../evil.txt")], "unsafe path '../evil.txt'"),
    "absolute path": (lambda: [*package_members("pkg"), member("/tmp/polyleaf-evil.txt")], "unsafe path"),
    "backslashes": (lambda: [*package_members("pkg"), member("pkg\\..\\..\\evil.txt")], "unsafe path"),
    "drive letter": (lambda: package_members("C:pkg"), "unsafe path 'C:pkg/metadata.json'"),
    "symbolic link": (
        lambda: [*package_members("pkg"), member("pkg/link", b"../../sentinel.txt", stat.S_IFLNK | 0o777)],
        "'pkg/link' is a symbolic link",
    ),
    "device file": (
        lambda: [*package_members("pkg"), member("pkg/dev", b"", stat.S_IFCHR | 0o644)],
        "'pkg/dev' is not a regular file",
    ),
    "duplicate member": (
        lambda: [*package_members("pkg"), member("pkg/metadata.json", METADATA)],
        "duplicate member 'pkg/metadata.json'",
    ),
    "names that differ only in case": (
        lambda: [*package_members("pkg"), member("pkg/Model/model.bin")],
        "duplicate member 'pkg/Model/model.bin'",
    ),
    "file and folder of the same name": (
        lambda: [*package_members("pkg"), member("pkg/model/model.bin/x")],
        "'pkg/model/model.bin' is both a file and a folder",
    ),
    "two top folders": (lambda: [*package_members("pkg"), member("other/x")], "expected one folder"),
    "hidden package folder": (lambda: package_members(".hidden"), "'.hidden' is not a plain name"),
    "package folder with a space": (lambda: package_members("my pkg"), "'my pkg' is not a plain name"),
    "empty path part": (lambda: [*package_members("pkg"), member("pkg//x")], "unsafe path 'pkg//x'"),
    "zip bomb": (
        lambda: [
            *package_members("pkg")[:1],
            member("pkg/model/model.bin", bytes(50 * 1024**2)),
            member("pkg/bpe.model"),
        ],
        "'pkg/model/model.bin' inflates more than 200:1",
    ),
    "folder named like another pair (swapped the installed en-es out)": (
        lambda: package_members("translate-en_es-1_0"),
        "'translate-en_es-1_0' names the pair en-es, its metadata.json en-de",
    ),
    "language code that is a path": (
        lambda: [member("pkg/metadata.json", b'{"from_code": "../x", "to_code": "es"}'), *package_members("pkg")[1:]],
        "from_code '../x' is not a language code",
    ),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_hostile_archives_are_refused_and_nothing_is_touched(packages: Path, tmp_path: Path, attack: str) -> None:
    build, message = ATTACKS[attack]
    path = archive(tmp_path / "hostile.argosmodel", build())
    before = snapshot(tmp_path / "home")
    result = install(path)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("polyleaf: ")
    assert message in result.stderr
    assert snapshot(tmp_path / "home") == before
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/polyleaf-evil.txt").exists()


def test_too_many_members(packages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_install, "MAX_MEMBERS", 4)
    path = archive(tmp_path / "many.argosmodel", [*package_members("pkg"), member("pkg/a"), member("pkg/b")])
    before = snapshot(tmp_path / "home")
    result = install(path)
    assert result.exit_code == 1 and "more than 4 members" in result.stderr
    assert snapshot(tmp_path / "home") == before


def test_a_corrupt_member_leaves_the_installed_package(packages: Path, good_archive: Path, tmp_path: Path) -> None:
    data = bytearray(good_archive.read_bytes())
    with zipfile.ZipFile(good_archive) as zf:
        info = zf.getinfo(next(name for name in zf.namelist() if name.endswith("model.bin")))
    data[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF  # inside the compressed data
    broken = tmp_path / "broken.argosmodel"
    broken.write_bytes(bytes(data))
    before = snapshot(tmp_path / "home")
    result = install(broken)
    assert result.exit_code == 1 and "corrupt archive" in result.stderr and result.stderr.count("\n") == 1
    assert snapshot(tmp_path / "home") == before


def test_reinstall_swaps_the_package_folder(packages: Path, good_archive: Path, tmp_path: Path) -> None:
    [folder] = [path for path in packages.iterdir()]
    (folder / "stale.txt").write_text("from the old install")
    other = build_argos_package(tmp_path / "other", "en", "fr", eos_bias=2.0)
    assert install(other).exit_code == 0
    untouched = snapshot(packages / other.stem)
    result = install(good_archive)
    assert result.exit_code == 0 and result.stdout == "installed en-es 1.0\n"
    assert not (folder / "stale.txt").exists()
    assert snapshot(folder) == snapshot(extract_package(good_archive, tmp_path / "fresh"))
    assert snapshot(packages / other.stem) == untouched
    assert sorted(path.name for path in packages.iterdir()) == sorted([folder.name, other.stem])


def test_a_failed_swap_puts_the_old_package_back(
    packages: Path, good_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(tmp_path / "home")
    renames: list[tuple[str, str]] = []
    real_rename = os.rename

    def failing_second_rename(source: Any, destination: Any) -> None:
        renames.append((str(source), str(destination)))
        if len(renames) == 2:
            raise OSError(28, "No space left on device")
        real_rename(source, destination)

    monkeypatch.setattr("polyleaf.mt.package_install.os.rename", failing_second_rename)
    result = install(good_archive)
    assert result.exit_code == 1
    assert result.stderr.endswith("cannot install: No space left on device\n")
    assert len(renames) == 3  # aside, (failed) in, back
    assert snapshot(tmp_path / "home") == before


def test_download_offline_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch, packages: Path) -> None:
    def offline(*args: object, **kwargs: object) -> object:
        raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    result = CliRunner().invoke(main, ["--project", str(project), "models", "download", "es"])
    assert result.exit_code == 1
    assert result.stderr == (
        "polyleaf: cannot reach the argos package index ([Errno -3] Temporary failure in name resolution); get the "
        ".argosmodel file another way and run `polyleaf models install FILE.argosmodel`\n"
    )


def test_a_package_never_replaces_another_pair(packages: Path, tmp_path: Path) -> None:
    """A plain-named folder says no pair: the installed package in it decides. An en→de package may replace an en→de
    one (a reinstall), never an en→fr one; and an archive named for one pair must hold that pair."""
    french = METADATA.replace(b'"to_code": "de"', b'"to_code": "fr"')
    clinic = archive(
        tmp_path / "clinic.argosmodel", [member("clinic/metadata.json", french), *package_members("clinic")[1:]]
    )
    assert install(clinic).exit_code == 0
    before = snapshot(tmp_path / "home")
    result = install(archive(tmp_path / "other.argosmodel", package_members("clinic")))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert f"refused: this en-de package would replace the installed en-fr package in {packages / 'clinic'}" in (
        result.stderr
    )
    assert snapshot(tmp_path / "home") == before
    misnamed = install(archive(tmp_path / "translate-en_fr-1_0.argosmodel", package_members("pkg")))
    assert misnamed.exit_code == 1
    assert "'translate-en_fr-1_0' names the pair en-fr, its metadata.json en-de" in misnamed.stderr
    assert snapshot(tmp_path / "home") == before
    again = archive(
        tmp_path / "again.argosmodel", [member("clinic/metadata.json", french), *package_members("clinic")[1:]]
    )
    assert install(again).exit_code == 0  # the same pair: a reinstall
