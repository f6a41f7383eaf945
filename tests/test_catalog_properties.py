"""Property: whatever happens to the source, a reviewed translation is never lost by update."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.catalog import merge
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import Fill, TemplateEntry
from polyleaf.catalog.template import build_template
from polyleaf.po import poread

WORDS = ["pain", "nerve", "the", "dose", "2.5 mg", "daily", "relief", "spine", "**bold**", "ablation"]
sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(lambda words: " ".join(words) + ".")
templates = st.lists(sentences, min_size=0, max_size=8, unique=True)


def make_template(msgids: list[str], folder: Path) -> catalog.Catalog:
    entries = [TemplateEntry(m, (("source/a.txt", i + 1),), ()) for i, m in enumerate(msgids)]
    return build_template(entries, "demo", folder / "a.pot")


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(st.tuples(templates, st.lists(st.integers(0, 7), max_size=3)), min_size=1, max_size=6))
def test_reviewed_translations_survive_any_sequence_of_updates(steps: list[tuple[list[str], list[int]]]) -> None:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        path = folder / "a.po"
        current: catalog.Catalog | None = None
        reviewed: dict[str, str] = {}  # msgid → reviewed text, everything a translator ever approved
        for msgids, to_review in steps:
            current = merge.update(make_template(msgids, folder), current, "es", path, "demo")
            path.write_bytes(current.to_bytes())
            current = catalog.read_po(path)  # every step goes through the file, as in real use
            every_msgstr = {message.text for message in poread.parse_po_file(path.read_bytes(), path).messages}
            for msgid, translation in reviewed.items():
                found = current.translations().get(msgid)
                if found is not None:
                    assert found == catalog.Translation(translation, reviewed=True)
                else:
                    assert translation in every_msgstr  # kept, as fuzzy or obsolete, with its text intact
            for index in to_review:
                if index < len(msgids) and msgids[index] not in reviewed:
                    translation = f"revisado {index} {msgids[index]}"
                    # a translator reviews: fill (if empty) or take over the entry's text
                    if current.fill([Fill(msgids[index], translation, "review", fuzzy=False)]):
                        reviewed[msgids[index]] = translation
            path.write_bytes(current.to_bytes())
            current = catalog.read_po(path)
