"""Caches are the machine's, not the repository's (issue 21, item 1): a content repository that commits
``build/.cache/`` or an MT journal — made with the same polyleaf on another machine, or linked to a folder
elsewhere — cannot change what a release says, what translators are asked to translate, or what the release gate
lets through. Each kind of cache is poisoned as an attacker with a machine of their own would, then released here
through the CLI. Each attack is also run against a cache whose signatures are not checked (``unchecked``, the
control): there it must succeed, so each test fails if the protection goes."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fake_engine import FakeEngine
from helpers import copied_project, po_path, po_string, set_translation
from polyleaf import cache
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Fill
from polyleaf.cli import main
from polyleaf.config.model import load_config
from polyleaf.pipeline import runner
from polyleaf.pipeline.build import Outputs
from polyleaf.pipeline.journal import Journal
from polyleaf.pipeline.po_cache import ParsedCatalogs, encode_messages
from polyleaf.pipeline.qa_cache import QaCache
from polyleaf.pipeline.run_record import ENTRY, RunRecord, _states_digest
from polyleaf.pipeline.segment_cache import SegmentCache
from polyleaf.pipeline.sources import Selection
from polyleaf.po import poread
from release_helpers import DOSE, MARKUP_SENTENCE, one_leaflet_project, review

pytestmark = pytest.mark.slow  # each attack re-runs and releases a copy of a built project
DOSE_SENTENCE = "Take 2.5 mg of the medicine twice a day."
WARNING = "Do not drive after a dose."
SOURCE = f"Dosage\n{DOSE_SENTENCE} {WARNING}\n{MARKUP_SENTENCE}\n"
SPANISH = {
    "Dosage": "Dosis",
    DOSE_SENTENCE: "Tome 2,5 mg del medicamento dos veces al día.",
    WARNING: "No conduzca después de una dosis.",
    MARKUP_SENTENCE: "Mantenga **todas** las tabletas lejos de los niños.",
}
#: What the attacks make a leaflet say instead: "keep all tablets within reach of children" (no QA check sees it).
FAR, NEAR = "lejos de los niños", "al alcance de los niños"


def cli(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one leaflet, reviewed in Spanish and released on this machine."""
    root = one_leaflet_project(tmp_path_factory.mktemp("first") / "project", SOURCE, ("es",))
    review(root, "es", DOSE, text=lambda language, msgid: SPANISH[msgid])
    released = cli(root, "build", "--release")
    assert released.exit_code == 0 and f"published es/{DOSE}" in released.output, released.output
    return root


@pytest.fixture
def project(first: Path, tmp_path: Path) -> Path:
    return copied_project(first, tmp_path)


class Machines:
    """Switch between this machine's cache key and an attacker's (their own machine, the same polyleaf)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, attacker: Path) -> None:
        self.monkeypatch = monkeypatch
        self.homes = {"here": os.environ["XDG_CACHE_HOME"], "attacker": str(attacker)}

    def be(self, machine: str) -> None:
        self.monkeypatch.setenv("XDG_CACHE_HOME", self.homes[machine])


@pytest.fixture
def machines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Machines:
    return Machines(monkeypatch, tmp_path / "attacker-cache")


@pytest.fixture(params=["checked", "unchecked"])
def checked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether cache signatures are checked; ``unchecked`` is the control, where every attack must work."""
    if request.param == "unchecked":
        monkeypatch.setattr(hmac, "compare_digest", lambda *args: True)
    return bool(request.param == "checked")


def leaflet(root: Path, extension: str) -> str:
    return (root / "build" / "release" / "es" / f"{DOSE}.es.{extension}").read_text(encoding="utf-8")


def assert_release_matches_its_po_files(root: Path, spanish: dict[str, str] = SPANISH) -> None:
    """The release says what the PO file says, and its release.json says so of every file on disk."""
    po = catalog.read_po(po_path(root, "es", DOSE))
    for msgid, text in spanish.items():
        translation = po.translations()[msgid]
        assert translation.text == text and translation.reviewed and text in leaflet(root, "txt")
    assert FAR in leaflet(root, "html") and NEAR not in leaflet(root, "html")
    (record,) = json.loads((root / "build" / "release" / "release.json").read_text(encoding="utf-8"))["leaflets"]
    assert record["catalog_sha256"] == po.fingerprint()
    assert cli(root, "verify-release").exit_code == 0


def lie_about_the_po_file(project: Path, build: Path) -> Path:
    """Keep in ``build``'s cache (signed with the current machine's key) a parse of the project's Spanish PO file,
    as it is, that says "within reach of children"."""
    parsed = ParsedCatalogs(load_config(project))
    parsed.store = cache.Store(build, "po")
    path = po_path(project, "es", DOSE)
    raw = path.read_bytes()
    lie = poread.parse_po_file(raw.replace(FAR.encode(), NEAR.encode()), path)
    assert parsed.store.save(f"es/{DOSE}", {"sha256": parsed._digest(raw), "messages": encode_messages(lie)})
    return build


def released_here(project: Path, checked: bool, extension: str) -> None:
    """Release on this machine: it matches the PO files; without checked signatures the lie shows in the leaflet's
    ``extension`` file."""
    assert cli(project, "build", "--release").exit_code == 0
    if checked:
        assert_release_matches_its_po_files(project)
    else:
        assert NEAR in leaflet(project, extension)


# ----------------------------------------------------------------------------------------------- committed caches


def test_a_committed_parse_of_a_po_file_cannot_change_a_leaflet(
    project: Path, machines: Machines, checked: bool
) -> None:
    machines.be("attacker")
    lie_about_the_po_file(project, project / "build")
    machines.be("here")
    released_here(project, checked, "txt")


def test_a_committed_render_stamp_cannot_keep_a_forged_page(project: Path, machines: Machines, checked: bool) -> None:
    stamps = cache.Store(project / "build", "stamps")
    name = f"release/es/{DOSE}.es.html"
    inputs, _output = stamps.load(name)  # what the same polyleaf computes on any machine
    machines.be("attacker")
    page = project / "build" / "release" / "es" / f"{DOSE}.es.html"
    page.write_text(page.read_text(encoding="utf-8").replace(FAR, NEAR), encoding="utf-8")
    stamps.save(name, [inputs, hashlib.sha256(page.read_bytes()).hexdigest()])
    machines.be("here")
    released_here(project, checked, "html")


def test_a_committed_qa_result_cannot_open_the_release_gate(project: Path, machines: Machines, checked: bool) -> None:
    set_translation(po_path(project, "es", DOSE), DOSE_SENTENCE, po_string("Tome 25 mg del medicamento."))
    machines.be("attacker")
    assert "withheld es/dose" in cli(project, "build", "--release").output  # QA finds the dose, and caches that
    store = QaCache(load_config(project)).store
    stored = store.load(f"es/{DOSE}")
    assert any("[numbers]" in str(row) or "numbers" in row for row in stored["diagnostics"])
    store.save(f"es/{DOSE}", {**stored, "diagnostics": []})
    (project / "build" / ".cache" / "run.json").unlink()  # (the attacker's run record: another test's attack)
    machines.be("here")
    result = cli(project, "build", "--release")
    if checked:
        assert result.exit_code == 0 and "withheld es/dose: " in result.output and "numbers" in result.output
        assert not (project / "build" / "release" / "es").exists()
        assert (
            json.loads((project / "build" / "release" / "release.json").read_text(encoding="utf-8"))["leaflets"] == []
        )
    else:
        assert "published es/dose" in result.output and "25 mg" in leaflet(project, "txt")


def test_a_committed_run_record_cannot_replay_an_old_release(project: Path, machines: Machines, checked: bool) -> None:
    now = {**SPANISH, MARKUP_SENTENCE: "Mantenga **todas** las tabletas lejos de los niños, siempre."}
    set_translation(po_path(project, "es", DOSE), MARKUP_SENTENCE, po_string(now[MARKUP_SENTENCE]))
    machines.be("attacker")  # a record saying "nothing changed since the last release", for this very state
    config = load_config(project)
    record = RunRecord(config, (sorted({"build"}), Selection(), Outputs(True)), pdfs="pdf" in config.formats)
    since = time.time_ns()
    report: dict[str, object] = {"notes": [], "warnings": [], "errors": [], "withheld": [], "published": [f"es/{DOSE}"]}
    report |= {"qa_errors": [], "filled": [], "translated": [], "skipped": {}, "suggested": {}}
    digest = record._digest(_states_digest(record._looked().states(since)))
    record.store.save(ENTRY, {"since": since, "digest": digest, "report": report})
    machines.be("here")
    result = cli(project, "build", "--release")
    assert result.exit_code == 0
    if checked:
        assert_release_matches_its_po_files(project, now)
    else:
        assert result.output.endswith("0 file(s) written\n") and "siempre" not in leaflet(project, "txt")


def test_a_committed_sentence_split_cannot_cut_a_warning_out_of_its_sentence(
    project: Path, machines: Machines, checked: bool
) -> None:
    store = SegmentCache(load_config(project)).store
    splits = store.load(DOSE)["splits"]
    paragraph = len(DOSE_SENTENCE) + 1 + len(WARNING)
    (key,) = [
        key for key, spans in splits.items() if spans == [[0, len(DOSE_SENTENCE)], [len(DOSE_SENTENCE) + 1, paragraph]]
    ]
    cut = len(DOSE_SENTENCE) + len(" Do not")
    splits[key] = [[0, cut], [cut + 1, paragraph]]  # "… twice a day. Do not" | "drive after a dose."
    machines.be("attacker")
    store.save(DOSE, {"splits": splits})
    machines.be("here")
    assert cli(project, "extract").exit_code == 0
    template = catalog.read_po(project / "locales" / "templates" / f"{DOSE}.pot")
    msgids = [entry.msgid for entry in template.entries()]
    assert (WARNING in msgids and "drive after a dose." not in msgids) if checked else "drive after a dose." in msgids


def test_a_committed_mt_journal_cannot_put_words_in_a_po_file(project: Path, machines: Machines, checked: bool) -> None:
    """The journal a killed run leaves is replayed as machine translation; one from elsewhere is not."""
    sentence = "Store below 25 °C."
    with (project / "source" / f"{DOSE}.txt").open("a", encoding="utf-8") as source:
        source.write(f"{sentence}\n")
    machines.be("attacker")
    Journal(project / "locales", "es").append([Fill(sentence, "Guárdelo por debajo de 52 °C.", "mt: argos en-es 1.9")])
    machines.be("here")
    engine = FakeEngine()
    runner.run(load_config(project), engine_factory=lambda config: engine)
    filled = catalog.read_po(po_path(project, "es", DOSE)).translations()[sentence].text
    assert filled == (engine.translate_one(sentence) if checked else "Guárdelo por debajo de 52 °C.")


# ----------------------------------------------------------------------------------------------- linked caches


def files(folder: Path) -> dict[Path, tuple[bytes, int]]:
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.rglob("*") if path.is_file()}


@pytest.mark.parametrize("where", [".cache", ".cache/po", ".cache/po/es", f".cache/po/es/{DOSE}.json"])
@pytest.mark.parametrize("how", ["linked", "copied"])
def test_a_cache_is_never_read_or_written_through_a_link(project: Path, tmp_path: Path, where: str, how: str) -> None:
    """The lying cache is this machine's own: copied into place it is used (the control), linked it is not."""
    elsewhere = lie_about_the_po_file(project, tmp_path / "elsewhere" / "build")  # signed on this machine
    before = files(elsewhere)
    inside = project / "build" / where
    shutil.rmtree(inside) if inside.is_dir() else inside.unlink()
    if how == "linked":
        inside.symlink_to(elsewhere / where)
    elif (elsewhere / where).is_dir():
        shutil.copytree(elsewhere / where, inside)
    else:
        shutil.copyfile(elsewhere / where, inside)
    assert cli(project, "build", "--release").exit_code == 0
    if how == "linked":
        assert_release_matches_its_po_files(project)
        assert files(elsewhere) == before  # nothing written there either: a linked folder is left alone, a linked
        assert inside.is_symlink() != where.endswith(".json")  # entry replaced by a real one
    else:
        assert NEAR in leaflet(project, "txt")


def test_special_files_in_the_cache_are_absent_entries(project: Path) -> None:
    """A FIFO would block a reader, a device would never end: neither is opened as a cache entry."""
    for entry in ("run.json", f"po/es/{DOSE}.json", f"qa/es/{DOSE}.json"):
        path = project / "build" / ".cache" / entry
        path.unlink()
        os.mkfifo(path)
    (project / "build" / ".cache" / "stamps").rename(project / "stamps")
    (project / "build" / ".cache" / "stamps").symlink_to("/dev")
    set_translation(po_path(project, "es", DOSE), "Dosage", po_string("Posología"))
    assert cli(project, "build", "--release").exit_code == 0
    assert_release_matches_its_po_files(project, {**SPANISH, "Dosage": "Posología"})
    assert (project / "build" / ".cache" / "run.json").is_file()  # replaced by a real entry


def test_the_key_is_private_and_made_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    key = cache.machine_key()
    path = tmp_path / "cache" / "polyleaf" / "cache-key"
    assert key is not None and len(key) == 32 and path.read_bytes() == key
    assert path.stat().st_mode & 0o777 == 0o600 and (path.parent.stat().st_mode & 0o777) == 0o700
    cache._key_at.cache_clear()
    assert cache.machine_key() == key  # another process reads the same key
    path.chmod(0o644)  # readable by others: not a secret any more, so replaced
    cache._key_at.cache_clear()
    assert cache.machine_key() not in (None, key) and path.stat().st_mode & 0o777 == 0o600
