"""What each document's release verdict holds against the shared catalogs, as the library keeps it: the few
blockers every document shares ("disclaimer not reviewed") once per language, each document naming them by index."""

from __future__ import annotations

import json
from pathlib import Path

from polyleaf.cache import Store, content_digest, encoded
from polyleaf.config.model import load_config
from polyleaf.pipeline.library import Library
from polyleaf.pipeline.readiness import Blocker

DISCLAIMER = Blocker("disclaimer", "disclaimer not reviewed", "the disclaimer is not reviewed in es")
LABELS = Blocker("interface", "labels not reviewed", "the leaflet's own words are not reviewed in interface.po")


def test_shared_blockers_are_kept_once_and_read_back_whole(project: Path) -> None:
    config = load_config(project)
    library = Library(config, ["es", "ar"])
    against = {("es", f"article-{n}"): (DISCLAIMER, LABELS) for n in range(50)} | {("es", "last"): (LABELS,)}
    library.record_rows([], against)
    assert library.languages["es"]["blockers"] == [list(vars_of(DISCLAIMER)), list(vars_of(LABELS))]
    assert library.languages["es"]["against"]["last"] == [1]
    library.save(since=7)

    loaded = Library.load(config, 7)
    assert loaded is not None
    assert loaded.against() == {**against}
    loaded.record_rows([], {("es", "last"): (DISCLAIMER,)}, only=["last"])  # a run of one edited article
    assert loaded.against()["es", "last"] == (DISCLAIMER,)
    assert len(loaded.languages["es"]["blockers"]) == 2  # no blocker twice


def test_an_entry_naming_a_blocker_it_does_not_hold_is_no_library(project: Path) -> None:
    config = load_config(project)
    library = Library(config, ["es", "ar"])
    library.record_rows([], {("es", "article"): (DISCLAIMER,)})
    library.save(since=7)
    store = Store(config.build_dir, "library")
    entry = json.loads(store.load_bytes("language/es") or b"")
    entry["against"]["article"] = [1]  # one past the table's end
    store.save_bytes("language/es", encoded(entry))
    documents = store.load("documents")
    digests = {**documents["languages"], "es": content_digest(encoded(entry))}
    store.save("documents", {**documents, "languages": digests})
    assert Library.load(config, 7) is None  # a run of everything, not a crash


def vars_of(blocker: Blocker) -> tuple[str, str, str]:
    return blocker.catalog, blocker.summary, blocker.reason
