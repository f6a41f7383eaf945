"""Properties: a reviewed translation survives any sequence of source edits, translator edits, updates, machine
translation and builds, and every PO file stays valid for msgfmt (and is what msgcat writes); the PO reader and the
source parsers never fail in an unexpected way on arbitrary input."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from fake_engine import FakeEngine
from po_editor import EditorFile, Entry, open_po
from polyleaf import locale
from polyleaf.catalog import merge
from polyleaf.catalog import model as catalog
from polyleaf.catalog.model import TemplateEntry
from polyleaf.catalog.template import build_template
from polyleaf.config.model import load_config
from polyleaf.errors import CatalogError
from polyleaf.pipeline import runner
from polyleaf.pipeline.build import Outputs
from polyleaf.po import poread
from polyleaf.source.document import assemble
from polyleaf.source.parse.markdown import parse_markdown
from polyleaf.source.parse.txt import parse_txt

REPO = Path(__file__).resolve().parent.parent
MSGFMT = shutil.which("msgfmt")
MSGCAT = shutil.which("msgcat")
LANGUAGES = ("es", "ar")
CATALOGS = ("article", "disclaimer")

#: Source words, some with what PO files must escape or keep as ordinary characters (U+2028, U+0085, quotes).
WORDS = ["pain", "nerve", "spine", "relief", "dose", "daily", "rest", "walk", "muscle", "therapy", "sleep", "heat"]
WORDS += ['"heat"', "back\\slash", "rest\u2028well", "dose\x85daily", "para\u2029graph"]
sentences = st.lists(st.sampled_from(WORDS), min_size=2, max_size=7).map(
    lambda words: " ".join(words).capitalize() + "."
)
paragraphs = st.lists(sentences, min_size=1, max_size=3)
#: What a translator types: escapes, Unicode line separators, control characters msgfmt accepts, other scripts.
PIECES = ["Revisado", "línea\nsiguiente", "tab\tulado", '"cita"', "barra\\", "sep\u2028arador", "nel\x85",
          "fs\x1cgs\x1drs\x1e", "vt\x0bff\x0c", "中文。", "العربية", "Tiếng Việt", "Русский", "p\xedldora"]  # fmt: skip
translator_texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map(" ".join)


class TranslatedProject(RuleBasedStateMachine):
    """A content project that a coordinator edits and runs, and a translator works on, in any order."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="polyleaf-property-"))
        self.root = self.folder / "project"
        (self.root / "source").mkdir(parents=True)
        shutil.copyfile(REPO / "source" / "disclaimer.txt", self.root / "source" / "disclaimer.txt")
        (self.root / "polyleaf.toml").write_text(
            f'languages = {list(LANGUAGES)!r}\nformats = ["txt"]\n'.replace("'", '"'), encoding="utf-8"
        )
        self.paragraphs: list[list[str]] = [["Rest helps the back heal.", "Walk a little every day."]]
        self.write_source()
        #: (language, catalog, msgid) → the text a translator reviewed; polyleaf must never lose it.
        self.reviewed: dict[tuple[str, str, str], str] = {}
        #: (language, catalog, msgctxt, msgid) → every form of an entry a translator added (plural or with a
        #: context): kept as it is, or as obsolete, never dropped.
        self.added: dict[tuple[str, str, str | None, str], tuple[str, ...]] = {}
        self.edits = 0

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- the coordinator edits the source -------------------------------------------------------------------

    def write_source(self) -> None:
        lines = ["Caring for your back", *(" ".join(paragraph) for paragraph in self.paragraphs)]
        (self.root / "source" / "article.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def edit_sentence(self, data: st.DataObject, word: str) -> None:
        paragraph = data.draw(st.integers(0, len(self.paragraphs) - 1))
        index = data.draw(st.integers(0, len(self.paragraphs[paragraph]) - 1))
        sentence = self.paragraphs[paragraph][index]
        how = data.draw(st.sampled_from(["append a word", "replace it"]))
        if how == "append a word":  # a small change: update carries the old translation over as fuzzy
            self.paragraphs[paragraph][index] = f"{sentence[:-1]} {word}."
        else:
            self.paragraphs[paragraph][index] = data.draw(sentences)
        self.write_source()

    @rule(paragraph=paragraphs)
    def add_paragraph(self, paragraph: list[str]) -> None:
        self.paragraphs.append(paragraph)
        self.write_source()

    @precondition(lambda self: len(self.paragraphs) > 1)
    @rule(data=st.data())
    def remove_paragraph(self, data: st.DataObject) -> None:
        del self.paragraphs[data.draw(st.integers(0, len(self.paragraphs) - 1))]
        self.write_source()

    # --- the coordinator runs polyleaf ----------------------------------------------------------------------

    @rule()
    def update(self) -> None:
        runner.run(load_config(self.root), steps=frozenset({"extract", "update"}))

    @rule()
    def translate(self) -> None:
        runner.run(
            load_config(self.root),
            steps=frozenset({"extract", "update", "translate"}),
            engine_factory=lambda config: FakeEngine(),
        )

    @rule()
    def build(self) -> None:
        runner.run(load_config(self.root), steps=frozenset({"build"}), outputs=Outputs(formats=("txt",)))

    # --- the translator edits the PO files (the way an editor does: load, change, save) --------------------

    def po_file(self, language: str, name: str) -> Path:
        return self.root / "locales" / language / "LC_MESSAGES" / f"{name}.po"

    def pick(self, data: st.DataObject, wanted: str) -> tuple[str, str, EditorFile, Entry] | None:
        language = data.draw(st.sampled_from(LANGUAGES))
        name = data.draw(st.sampled_from(CATALOGS))
        path = self.po_file(language, name)
        if not path.exists():
            return None
        po = open_po(path)
        entries = [
            entry
            for entry in po
            if not entry.obsolete
            and entry.msgid_plural is None
            and entry.msgctxt is None  # the translator's own context entries are tracked in ``added``
            and (wanted == "any" or (wanted == "reviewed" and entry.msgstr and "fuzzy" not in entry.flags))
        ]
        if not entries:
            return None
        return language, name, po, data.draw(st.sampled_from(entries))

    def supersede(self, language: str, name: str, entry: Entry) -> None:
        """The translator's new text replaces the reviewed text its ``#|`` came from (their own decision)."""
        if entry.previous_msgid is not None:
            self.reviewed.pop((language, name, entry.previous_msgid), None)

    @rule(data=st.data())
    def translator_reviews(self, data: st.DataObject) -> None:
        picked = self.pick(data, "any")
        if picked is None:
            return
        language, name, po, entry = picked
        self.edits += 1
        keep = entry.msgstr and data.draw(st.booleans())
        entry.msgstr = entry.msgstr if keep else f"{data.draw(translator_texts)} {self.edits}"
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        self.supersede(language, name, entry)
        entry.previous_msgid = None  # as Poedit does when a translation is approved
        po.save()
        self.reviewed[language, name, entry.msgid] = entry.msgstr

    @rule(data=st.data())
    def translator_edits(self, data: st.DataObject) -> None:
        picked = self.pick(data, "reviewed")
        if picked is None:
            return
        language, name, po, entry = picked
        self.edits += 1
        entry.msgstr = f"{data.draw(translator_texts)} {self.edits}"
        self.supersede(language, name, entry)
        po.save()
        self.reviewed[language, name, entry.msgid] = entry.msgstr

    @rule(data=st.data())
    def translator_unreviews(self, data: st.DataObject) -> None:
        picked = self.pick(data, "reviewed")
        if picked is None:
            return
        language, name, po, entry = picked
        entry.flags.append("fuzzy")
        po.save()
        self.reviewed.pop((language, name, entry.msgid), None)

    @rule(data=st.data(), how=st.sampled_from(["new plural", "make plural", "with context"]))
    def translator_adds(self, data: st.DataObject, how: str) -> None:
        """Entry kinds polyleaf's templates never have: plurals (new, or an entry turned into one) and msgctxt."""
        picked = self.pick(data, "any")
        if picked is None:
            return
        language, name, po, entry = picked
        self.edits += 1
        nplurals = int(locale.plural_forms(language).split(";")[0].split("=")[1])
        forms = [f"{data.draw(translator_texts)} {self.edits}.{form}" for form in range(nplurals)]
        if how == "make plural":
            entry.msgid_plural, entry.plural_forms = f"{entry.msgid} (plural)", forms
            entry.previous_msgid = None
            self.reviewed.pop((language, name, entry.msgid), None)
            self.supersede(language, name, entry)
            key = (language, name, entry.msgctxt, entry.msgid)
        elif how == "new plural":
            msgid = f"{self.edits} apple"
            po.add(msgid, "", plural=f"{self.edits} apples", forms=forms)
            key = (language, name, None, msgid)
        else:
            po.add(entry.msgid, forms[0], msgctxt=f"variant {self.edits}")
            key, forms = (language, name, f"variant {self.edits}", entry.msgid), forms[:1]
        po.save()
        self.added[key] = tuple(forms)

    # --- what must hold after every step --------------------------------------------------------------------

    @invariant()
    def no_reviewed_translation_is_lost(self) -> None:
        for (language, name, msgid), text in self.reviewed.items():
            messages = poread.parse_po_file(self.po_file(language, name).read_bytes(), Path("x.po")).messages
            found = [message for message in messages if message.msgid == msgid and message.msgctxt is None]
            if not found:  # the sentence changed: its fuzzy successor (or that one, obsolete) shows it
                successors = [m for m in messages if m.previous_msgid == msgid and m.text == text]
                assert successors, f"{language}/{name}.po: {msgid!r} is gone with its reviewed text {text!r}"
                continue
            assert len(found) == 1, f"{language}/{name}.po: {msgid!r} is there {len(found)} times"
            message = found[0]
            assert message.text == text, f"{language}/{name}.po: {msgid!r} lost its reviewed text {text!r}"
            if not message.obsolete:
                assert not message.fuzzy, f"{language}/{name}.po: {msgid!r} is no longer reviewed"
            for successor in messages:  # wherever the sentence changed, the new one starts from the reviewed text
                if successor.previous_msgid == msgid and not successor.obsolete:
                    assert successor.text, f"{successor.msgid!r} changed from a reviewed sentence but is empty"

    @invariant()
    def entries_a_translator_added_are_kept(self) -> None:
        for (language, name, msgctxt, msgid), forms in self.added.items():
            messages = poread.parse_po_file(self.po_file(language, name).read_bytes(), Path("x.po")).messages
            found = [message for message in messages if message.key == (msgctxt, msgid)]
            assert len(found) == 1 and found[0].msgstr == forms, f"{language}/{name}.po: {msgid!r} lost {forms}"

    @invariant()
    def every_po_file_is_valid_and_canonical(self) -> None:
        for path in sorted((self.root / "locales").rglob("*.po*")) if (self.root / "locales").exists() else ():
            catalog.read_po(path)
            if MSGFMT:
                result = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True)
                assert result.returncode == 0, f"{path}: {result.stderr.decode()}"
            if MSGCAT:
                result = subprocess.run([MSGCAT, str(path)], capture_output=True)
                assert result.stdout == path.read_bytes(), f"{path} is not what msgcat writes"


TranslatedProject.TestCase.settings = settings(
    max_examples=25, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_reviewed_translations_survive_everything = pytest.mark.slow(TranslatedProject.TestCase)


# ----------------------------------------------------------------------------------------------- the PO reader


def valid_po() -> str:
    """A realistic PO file: header, references, comments, fuzzy with a previous msgid, obsolete, escapes."""
    folder = Path(tempfile.mkdtemp(prefix="polyleaf-po-"))
    try:
        entries = [
            TemplateEntry("First sentence.", (("source/a.txt", 2),), ("paragraph 1",)),
            TemplateEntry('Say "two" \\ three.', (("source/a.txt", 3),), ()),
            TemplateEntry("**Bold** and a long line " * 6, (("source/a.txt", 4),), ()),
        ]
        template = build_template(entries, "demo", folder / "a.pot")
        old = merge.update(
            build_template(
                [TemplateEntry("First sentences.", (), ()), TemplateEntry("Gone.", (), ())], "d", folder / "o.pot"
            ),
            None,
            "ar",
            folder / "a.po",
            "demo",
        )
        old.fill(
            [catalog.Fill("First sentences.", "Primera.", "mt: x", fuzzy=False), catalog.Fill("Gone.", "Ido.", "tm: y")]
        )
        (folder / "a.po").write_bytes(old.to_bytes())
        merged = merge.update(template, catalog.read_po(folder / "a.po"), "ar", folder / "a.po", "demo")
        return merged.to_bytes().decode("utf-8")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


VALID = valid_po()
VALID_LINES = VALID.splitlines(keepends=True)
FRAGMENTS = [
    "msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "msgstr[1] ", '"', '""', "\\", "\\n", "\\t", "\\q",
    "\n", "\r\n", "#", "#~ ", "#| ", "#, fuzzy", "#: a.txt:1", "# ", " ", "é", "\ufeff", "\x00",
    '"Plural-Forms: nplurals=2; plural=(n;\\n"', '"Content-Type: text/plain; charset=latin1\\n"',
    '"Plural-Forms: nplurals=9; plural=n;\\n"',
]  # fmt: skip


def assert_clean(raw: bytes) -> None:
    """The reader's contract: a Catalog that can be written and read back, or CatalogError with a line."""
    path = Path("locales/es/LC_MESSAGES/fuzz.po")
    try:
        parsed = catalog.parse_po(raw, path)
    except CatalogError as error:
        assert error.path == path
        assert isinstance(error.line, int) and error.line >= 1, str(error)
        assert "\n" not in str(error)
        return
    parsed.entries()
    parsed.stats()
    again = catalog.parse_po(parsed.to_bytes(), path)  # what polyleaf would write, it can read again
    assert again.translations() == parsed.translations()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=40).map("".join))
def test_po_reader_on_po_like_text(text: str) -> None:
    assert_clean(text.encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "insert", "swap", "truncate"]),
            st.integers(0, len(VALID_LINES) - 1),
            st.integers(0, 200),
            st.sampled_from(FRAGMENTS),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_po_reader_on_mutated_po_files(mutations: list[tuple[str, int, int, str]]) -> None:
    lines = list(VALID_LINES)
    for operation, number, column, fragment in mutations:
        number %= max(1, len(lines))
        if not lines:
            break
        if operation == "delete":
            del lines[number]
        elif operation == "duplicate":
            lines.insert(number, lines[number])
        elif operation == "insert":
            line = lines[number]
            column %= len(line) + 1
            lines[number] = line[:column] + fragment + line[column:]
        elif operation == "swap" and number + 1 < len(lines):
            lines[number], lines[number + 1] = lines[number + 1], lines[number]
        elif operation == "truncate":
            lines[number] = lines[number][: column % (len(lines[number]) + 1)]
    assert_clean("".join(lines).encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_po_reader_on_bytes(data: bytes) -> None:
    assert_clean(data)
    assert_clean(VALID.encode("utf-8")[: len(data)] + data)


def test_the_valid_po_file_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text(VALID, encoding="utf-8")
    assert len(catalog.read_po(path).entries()) == 3
    assert "#~ msgid" in VALID and "#| msgid" in VALID
    if MSGFMT:
        assert subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)]).returncode == 0


# ----------------------------------------------------------------------------------------------- the source parsers

SOURCE_FRAGMENTS = [
    "Title", "A sentence.", " Another one? ", "Dr. Lee said so.", "e.g. this", "2.5 mg", "**bold**", "*it*", "_u_",
    "`code`", "[link](http://x.y)", "<http://a.b>", "\n", "\r\n", "\r", "\n\n", "# ", "## ", "> ", "- ", "1. ", "---",
    "—", "   ", "\t", "```\ncode\n```\n", "<div>\n", "Disclaimer:", "\ufeff", "é", "中文。", "\\*",
]  # fmt: skip
source_texts = st.lists(st.sampled_from(SOURCE_FRAGMENTS) | st.text(max_size=3), max_size=30).map("".join)


@pytest.mark.parametrize("parser", [parse_txt, parse_markdown], ids=["txt", "md"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=source_texts, segmentation=st.sampled_from(["sentence", "paragraph"]))
def test_source_parsers_round_trip_any_text(parser: object, text: str, segmentation: str) -> None:
    suffix = ".txt" if parser is parse_txt else ".md"
    document = parser(text, Path(f"source/fuzz{suffix}"), segmentation)  # type: ignore[operator]
    assert assemble(document, lambda segment: None) == text
    for segment in document.segments:
        assert text[segment.start : segment.end] == segment.raw
        assert segment.text.strip() == segment.text and segment.text
