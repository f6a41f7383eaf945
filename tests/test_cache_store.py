"""The one cache primitive (``polyleaf.cache.Store``): entries found by the digest of what they were computed from,
written only at ``commit``, kept within a size, and nothing but this machine's well-formed entries used."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from polyleaf import cache
from polyleaf.cache import Store, content_digest, json_digest


def test_an_entry_is_found_only_by_the_digest_it_was_computed_from_and_written_only_at_commit(tmp_path: Path) -> None:
    store = Store(tmp_path, "part")
    digest = content_digest("salt", b"bytes")
    store.stage("es/doc", digest, {"value": [1, 2]})
    assert store.lookup("es/doc", digest) == {"sha256": digest, "value": [1, 2]}  # staged: seen before the commit
    assert not store.path("es/doc").exists()
    store.commit()
    assert Store(tmp_path, "part").lookup("es/doc", digest) == {"sha256": digest, "value": [1, 2]}
    assert Store(tmp_path, "part").lookup("es/doc", content_digest("salt", b"other bytes")) is None
    store.path("es/doc").write_bytes(store.path("es/doc").read_bytes().replace(b"[1,2]", b"[1,3]"))
    assert Store(tmp_path, "part").lookup("es/doc", digest) is None  # no longer what this machine signed


def test_a_staged_entry_whose_making_fails_is_left_out(tmp_path: Path) -> None:
    store = Store(tmp_path, "part")

    def fails() -> dict[str, object]:
        raise ValueError("cannot be encoded")

    store.stage("bad", "1", fails)
    store.stage("good", "2", lambda: {"value": "x"})
    assert store.lookup("bad", "1") is None
    store.commit()
    assert not store.path("bad").exists() and store.lookup("good", "2") == {"sha256": "2", "value": "x"}


def test_digests_separate_their_parts() -> None:
    assert content_digest("ab", "c") != content_digest("a", "bc")
    assert content_digest("a", b"b") == content_digest(b"a", "b")
    assert json_digest(["a", 1]) != json_digest(["a", "1"])


def test_a_part_over_its_size_is_brought_down_to_seven_eighths_the_oldest_entries_going_first(
    tmp_path: Path,
) -> None:
    one = len(_entry(tmp_path, "probe"))
    store = Store(tmp_path, "bounded", max_bytes=4 * one)
    for age, name in enumerate(("es/recent", "fr/newer", "fr/old", "es/oldest")):  # written, then dated
        store.stage(name, "d", {"text": "x" * 100})
        store.commit()
        os.utime(store.path(name), (1000 - age * 100, 1000 - age * 100))
    assert len(_files(tmp_path)) == 5  # four entries, within the size, and the count
    store.stage("ar/newest", "d", {"text": "y" * 100})
    store.commit()  # five: over; brought down to 3.5 entries' bytes at most
    kept = sorted(path.relative_to(tmp_path / ".cache" / "bounded").as_posix() for path in _files(tmp_path))
    assert kept == [".bytes.json", "ar/newest.json", "es/recent.json", "fr/newer.json"]  # and the count


def test_a_commit_within_the_kept_count_looks_at_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store keeps how many bytes it holds at most: a commit that leaves it within its size lists none of its
    entries (a library's caches hold tens of thousands), one that goes over looks and removes the oldest."""
    looks: list[int] = []
    files_below = cache._files_below

    def counting(folder: int, relative: PurePosixPath) -> list[tuple[os.stat_result, PurePosixPath]]:
        looks.append(1)
        return files_below(folder, relative)

    monkeypatch.setattr(cache, "_files_below", counting)
    one = len(_entry(tmp_path, "probe"))
    store = Store(tmp_path, "bounded", max_bytes=3 * one)
    store.stage("es/first", "d", {"text": "x" * 100})
    store.commit()
    assert looks  # no count yet: the files are looked at, and counted
    looks.clear()
    for name in ("fr/second", "ar/third"):
        store = Store(tmp_path, "bounded", max_bytes=3 * one)
        store.stage(name, "d", {"text": "x" * 100})
        store.commit()
        os.utime(store.path(name), (1000, 1000))  # the oldest
    assert not looks and len(_files(tmp_path)) == 4  # three entries and the count, none looked at
    store.stage("es/fourth", "d", {"text": "y" * 100})
    store.commit()
    assert looks  # over its size by the count: looked at, and the oldest removed down to 7/8 of it
    kept = sorted(path.relative_to(tmp_path / ".cache" / "bounded").as_posix() for path in _files(tmp_path))
    assert kept == [".bytes.json", "es/first.json", "es/fourth.json"]
    looks.clear()
    store.stage("fr/fifth", "d", {"text": "z" * 100})
    store.commit()
    assert not looks and len(_files(tmp_path)) == 4  # the room the removals left: the next commit lists nothing


def test_a_store_left_without_its_count_looks_at_its_files(tmp_path: Path) -> None:
    """The count is taken away while entries are written: a process that stops before its ``bound`` leaves none,
    and the next commit counts the files again (the entries it wrote are in the count)."""
    one = len(_entry(tmp_path, "probe"))
    Store(tmp_path, "bounded", max_bytes=2 * one).save("es/first", {"sha256": "d", "text": "x" * 100})
    Store(tmp_path, "bounded", max_bytes=2 * one).bound()  # counted: one entry
    Store(tmp_path, "bounded", max_bytes=2 * one).save("fr/second", {"sha256": "d", "text": "x" * 100})  # stops
    assert not (tmp_path / ".cache" / "bounded" / ".bytes.json").exists()
    store = Store(tmp_path, "bounded", max_bytes=2 * one)
    store.stage("ar/third", "d", {"text": "x" * 100})
    store.commit()  # three entries, whatever a count would have said: over, the oldest go down to 7/8 of it
    assert len([path for path in _files(tmp_path) if path.name != ".bytes.json"]) == 1


def test_a_folder_where_an_entry_or_the_count_would_be_is_absent(tmp_path: Path) -> None:
    """A folder named as an entry (or as the count) is read as no entry: it opens like a file, and cannot be read."""
    one = len(_entry(tmp_path, "probe"))
    (tmp_path / ".cache" / "bounded" / ".bytes.json").mkdir(parents=True)
    (tmp_path / ".cache" / "bounded" / "es" / "doc.json").mkdir(parents=True)
    store = Store(tmp_path, "bounded", max_bytes=2 * one)
    assert store.load("es/doc") is None
    for name in ("fr/first", "fr/second", "fr/third"):
        store.stage(name, "d", {"text": "x" * 100})
        store.commit()
    assert store.load("fr/third") == {"sha256": "d", "text": "x" * 100} and store.load("fr/first") is None


def test_reading_renews_an_entry_when_the_store_says_so(tmp_path: Path) -> None:
    for renews in (False, True):
        store = Store(tmp_path, f"renews-{renews}", max_bytes=10**6, reads_renew=renews)
        store.save("entry", {"x": 1})
        os.utime(store.path("entry"), (1000, 1000))
        assert store.load("entry") == {"x": 1}
        assert (store.path("entry").stat().st_mtime > 1000) is renews


def test_a_link_in_the_cache_is_neither_read_nor_counted_nor_removed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.json").write_bytes(b"x" * 10_000)
    store = Store(tmp_path / "build", "bounded", max_bytes=1)
    store.stage("entry", "d", {"x": 1})
    store.commit()  # over its size at once: the entry itself goes
    (tmp_path / "build" / ".cache" / "bounded" / "linked").symlink_to(outside)
    store.stage("entry", "e", {"x": 2})
    store.commit()
    assert (outside / "precious.json").read_bytes() == b"x" * 10_000 and store.load("linked/precious") is None


def _entry(tmp_path: Path, name: str) -> bytes:
    store = Store(tmp_path, "probe")
    store.save(name, {"sha256": "d", "text": "x" * 100})
    return store.path(name).read_bytes()


def _files(root: Path) -> list[Path]:
    return [path for path in (root / ".cache" / "bounded").rglob("*") if path.is_file()]


def test_entries_are_not_flushed_to_disk_and_a_torn_one_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache only saves time: its writes skip the two fsyncs of a durable write (a one-edit run writes dozens of
    entries), and an entry a power cut left torn fails its signature."""
    flushed: list[int] = []
    real_fsync = os.fsync

    def counted(fd: int) -> None:
        flushed.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counted)
    store = Store(tmp_path, "part")
    store.stage("es/doc", "1", {"value": "x" * 1000})
    store.commit()
    assert flushed == [] and store.path("es/doc").is_file()
    from polyleaf.fsio import write_atomic

    write_atomic(tmp_path / "a.po", b"durable", within=tmp_path)
    assert len(flushed) == 2  # a PO file: its bytes, then its folder
    whole = store.path("es/doc").read_bytes()
    for torn in (whole[: len(whole) // 2], whole[:-1], b"", whole[:100] + bytes(len(whole) - 100)):
        store.path("es/doc").write_bytes(torn)
        assert Store(tmp_path, "part").lookup("es/doc", "1") is None


def test_a_staged_entry_is_held_as_its_bytes_not_what_it_was_made_from(tmp_path: Path) -> None:
    """A run stages an entry for each of thousands of files: holding their objects to the commit held the library."""
    import gc
    import weakref

    class Rows(list[str]):
        pass

    def stage(store: Store) -> weakref.ref[Rows]:
        rows = Rows(["a", "b"])
        store.stage("es/doc", "1", lambda: {"rows": rows})
        return weakref.ref(rows)

    store = Store(tmp_path, "part")
    alive = stage(store)
    gc.collect()
    assert alive() is None
    assert store.lookup("es/doc", "1") == {"sha256": "1", "rows": ["a", "b"]}
    store.commit()
    assert Store(tmp_path, "part").lookup("es/doc", "1") == {"sha256": "1", "rows": ["a", "b"]}
