"""Light web pages (issue 23, item 7): each page links WOFF2 subsets of its fonts with the characters of its
language's pages, declared with ``unicode-range`` and ``font-display: swap``; a Chinese page loads at most 1 MB of
fonts; an unchanged build rewrites no font, a changed text makes a new subset and removes the old; a release lists
and verifies its subsets. Printing is untouched (WeasyPrint embeds its own subsets of the installed files)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote

import pytest
from fontTools.ttLib import TTFont

from fake_engine import FakeEngine
from helpers import ARTICLE, Node, parse, po_path, po_string, set_translation
from polyleaf.config.model import load_config
from polyleaf.errors import RenderError
from polyleaf.pipeline import runner
from polyleaf.pipeline.verification import verify_release
from polyleaf.render import webfonts
from polyleaf.render.fonts import FontFace, WebFont, WebFonts, font_stack
from polyleaf.render.meta import LeafletMeta
from polyleaf.render.webfonts import make_subset_woff2, subset_woff2, unicode_range
from release_helpers import release, review, translated_everything

LANGUAGES = ("es", "ar", "zh_Hans", "ru")
_LETTERS = re.compile(r"[^\W\d_]+")
_RULE = re.compile(r"@font-face \{([^}]*)\}")
#: GB2312's first level: the 3,755 most common Chinese characters.
HANZI = [bytes([0xB0 + i // 94, 0xA1 + i % 94]).decode("gb2312") for i in range(3755)]


def chinese(word: str) -> str:
    """Two common Chinese characters for an English word, the same every time."""
    digest = hashlib.sha256(word.lower().encode()).digest()
    return "".join(HANZI[int.from_bytes(digest[start : start + 2], "big") % len(HANZI)] for start in (0, 2))


class ChineseEngine(FakeEngine):
    """The fake engine, but Chinese comes out as Chinese: many different characters, as a real leaflet has."""

    def translate(
        self, texts: Sequence[str], source: str, target: str, progress: Callable[[int], None] | None = None
    ) -> list[str]:
        outputs = super().translate(texts, source, target, progress)
        if target != "zh_Hans":
            return outputs
        return [_LETTERS.sub(lambda match: chinese(match.group()), text) for text in outputs]


@pytest.fixture
def web(project: Path) -> Path:
    (project / "polyleaf.toml").write_text(
        f'languages = {list(LANGUAGES)!r}\nformats = ["txt", "html"]\n'.replace("'", '"'), encoding="utf-8"
    )
    runner.run(load_config(project), engine_factory=lambda config: ChineseEngine())
    return project


def rules(page: Path) -> list[dict[str, str]]:
    """The ``@font-face`` rules of a page, as descriptor → value."""
    style = parse(page.read_text(encoding="utf-8")).find("style").text()
    found = []
    for body in _RULE.findall(style):
        pairs = (part.split(":", 1) for part in body.split(";") if ":" in part)
        found.append({name.strip(): value.strip() for name, value in pairs})
    return found


def linked(page: Path, rule: dict[str, str]) -> Path:
    url = re.fullmatch(r'url\("([^"]+)"\) format\("woff2"\)', rule["src"])
    assert url, rule["src"]
    return (page.parent / unquote(url.group(1))).resolve()


def cmap(path: Path) -> set[int]:
    with TTFont(path) as font:
        return set(font.getBestCmap())


def points(ranges: str) -> set[int]:
    found: set[int] = set()
    for part in ranges.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        found.update(range(int(first, 16), int(last or first, 16) + 1))
    return found


def text_of(node: Node) -> str:
    """The text a reader sees (the style sheet and attributes aside)."""
    return "".join(
        child if isinstance(child, str) else text_of(child)
        for child in node.children
        if isinstance(child, str) or child.tag != "style"
    )


def whole_font(rule: dict[str, str], languages: Sequence[str]) -> FontFace:
    """The font file a rule declares a subset of."""
    faces = {face for language in languages for face in font_stack(language).faces}
    family, style = rule["font-family"].strip('"'), rule["font-style"]
    (face,) = [face for face in faces if (face.family, face.style, face.weight) == (family, style, rule["font-weight"])]
    return face


def pages(root: Path) -> list[Path]:
    return [
        root / "build" / "index.html",
        *(page for lang in LANGUAGES for page in (root / "build" / lang).glob("*.html")),
    ]


@pytest.mark.slow
def test_every_page_links_woff2_subsets_that_hold_every_character_of_its_text_the_whole_fonts_had(web: Path) -> None:
    for page in pages(web):
        found = rules(page)
        assert found, page
        text = {ord(char) for char in text_of(parse(page.read_text(encoding="utf-8")))}
        for rule in found:
            path = linked(page, rule)
            assert path.parent == web / "build" / "fonts" and path.suffix == ".woff2", path
            assert path.read_bytes()[:4] == b"wOF2"
            assert rule["font-display"] == "swap"
            subset = cmap(path)
            assert points(rule["unicode-range"]) == subset  # the range says what the file has
            whole = whole_font(rule, LANGUAGES)
            assert cmap(whole.path) & text <= subset, (page, whole.path)  # nothing the page shows was lost
    zh = web / "build" / "zh_Hans" / f"{ARTICLE}.zh_Hans.html"
    han = {ord(char) for char in text_of(parse(zh.read_text(encoding="utf-8"))) if "\u4e00" <= char <= "\u9fff"}
    assert len(han) > 300  # a real Chinese leaflet's worth of characters
    serif = [linked(zh, rule) for rule in rules(zh) if rule["font-family"] == '"Noto Serif SC polyleaf"']
    assert serif and han <= cmap(serif[0])


@pytest.mark.slow
def test_a_chinese_page_loads_at_most_a_megabyte_of_fonts(web: Path) -> None:
    zh = web / "build" / "zh_Hans" / f"{ARTICLE}.zh_Hans.html"
    loaded = sum(linked(zh, rule).stat().st_size for rule in rules(zh))
    whole = sum(face.path.stat().st_size for face in font_stack("zh_Hans").faces)
    assert 0 < loaded <= 1_000_000 < 10_000_000 < whole


@pytest.mark.slow
def test_an_unchanged_build_rewrites_no_font_and_a_new_character_makes_a_new_subset(web: Path) -> None:
    config = load_config(web)
    fonts = web / "build" / "fonts"
    before = {path.name: path.read_bytes() for path in fonts.iterdir()}
    spanish = (web / "build" / "es" / f"{ARTICLE}.es.html").read_bytes()
    (web / "build" / ".cache" / "run.json").unlink()  # the run record aside: the build itself decides
    report = runner.run(config, steps=frozenset({"build"}))
    assert report.written == [] and not [path for path in report.written if path.suffix in (".woff2", ".html")]
    assert {path.name: path.read_bytes() for path in fonts.iterdir()} == before

    zh = web / "build" / "zh_Hans" / f"{ARTICLE}.zh_Hans.html"
    old = {linked(zh, rule).name for rule in rules(zh)}
    title = "Introduction: A New Approach to Chronic Back Pain Relief"
    set_translation(po_path(web, "zh_Hans", ARTICLE), title, po_string("龘齉爨"))  # characters no page had
    runner.run(config, steps=frozenset({"build"}))
    new = {linked(zh, rule).name for rule in rules(zh)}
    serif = [linked(zh, rule) for rule in rules(zh) if rule["font-family"] == '"Noto Serif SC polyleaf"']
    assert {ord(char) for char in "龘齉爨"} <= cmap(serif[0])
    assert new != old and not any((fonts / name).exists() for name in old - new)  # the old subset is gone
    index = web / "build" / "zh_Hans" / "index.html"
    assert {linked(index, rule).name for rule in rules(index)} <= new  # the language's pages share it
    assert (web / "build" / "es" / f"{ARTICLE}.es.html").read_bytes() == spanish  # other languages untouched
    assert {name for name in before if name in {path.name for path in fonts.iterdir()}} >= {
        linked(web / "build" / "es" / f"{ARTICLE}.es.html", rule).name
        for rule in rules(web / "build" / "es" / f"{ARTICLE}.es.html")
    }


@pytest.mark.slow
def test_a_release_lists_its_subsets_and_verifies_and_the_next_one_drops_the_old(project: Path) -> None:
    translated_everything(project)
    review(project, "es", ARTICLE)
    release(project)
    folder = project / "build" / "release"
    found = verify_release(folder)
    assert not found.problems and found.files == found.matching
    subsets = sorted(path.name for path in (folder / "fonts").iterdir())
    assert subsets and all(name.endswith(".woff2") for name in subsets)
    page = folder / "es" / f"{ARTICLE}.es.html"
    assert {linked(page, rule).name for rule in rules(page)} <= set(subsets)
    review(project, "es", ARTICLE, text=lambda language, msgid: f"ĘŚ: {msgid}")  # new characters
    release(project)
    assert not verify_release(folder).problems
    now = {path.name for path in (folder / "fonts").iterdir()}
    assert now != set(subsets) and {linked(page, rule).name for rule in rules(page)} <= now
    assert all(linked(other, rule).name in now for other in folder.glob("*/*.html") for rule in rules(other))


def test_a_page_gets_the_same_rules_whether_they_are_filled_in_or_rendered(project: Path) -> None:
    from polyleaf.render.html import render_leaflet_html
    from test_render_html import make_leaflet

    leaflet, meta = make_leaflet("ar"), LeafletMeta(updated=dt.date(2026, 1, 2))
    asked = WebFonts()
    first = render_leaflet_html(leaflet, meta, asked)
    subsets = {face: WebFont(f"../fonts/{index}.woff2", "U+20-7E") for index, face in enumerate(asked.asked)}
    filled = first.replace(asked.placeholder, WebFonts(subsets).css(asked.asked), 1)
    assert asked.placeholder in first and filled == render_leaflet_html(leaflet, meta, WebFonts(subsets))
    assert WebFonts().placeholder != asked.placeholder  # random: no page text can forge it


def test_a_subset_is_the_same_bytes_every_time_and_says_what_it_holds() -> None:
    face = font_stack("es").faces[0]
    codepoints = frozenset(map(ord, "Dolor lumbar crónico ¿Qué?"))
    made = make_subset_woff2(face.path, codepoints)
    assert made == make_subset_woff2(face.path, codepoints)
    with TTFont(io.BytesIO(made)) as font:
        assert set(font.getBestCmap()) == codepoints
        assert {axis.axisTag: (axis.minValue, axis.maxValue) for axis in font["fvar"].axes}["wght"] == (400, 700)
    assert unicode_range([0x41, 0x42, 0x43, 0x45, 0x4E2D]) == "U+41-43, U+45, U+4E2D"


#: Texts of the scripts polyleaf's fonts serve: accents, marks, ligatures, joining forms, punctuation.
SAMPLES = {
    "latin": "Dolor lumbar crónico: ¿Qué hacer? « Ça dépend » — São Paulo, 12 %, office fi ffl",
    "vietnamese": "Đau lưng mạn tính: điều trị thế nào?",
    "cyrillic": "Хроническая боль в пояснице — что делать?",
    "arabic": "ألم أسفل الظهر المزمن: لا يخلو العلاج من المخاطر (٢٠٢٤) «لأ»",
    "chinese": "慢性腰痛：怎么办？骨直",
}


def fonttools_subset(path: Path, codepoints: frozenset[int]) -> TTFont:
    """What fontTools' subsetter keeps of the font for ``codepoints`` (the subsetter polyleaf used before)."""
    from fontTools import subset
    from fontTools.varLib import instancer

    font = TTFont(path, fontNumber=0, recalcTimestamp=False)
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    axes = {axis.axisTag: axis for axis in font["fvar"].axes} if "fvar" in font else {}
    limits = {tag: limit for tag, limit in webfonts.WEB_AXES.items() if tag in axes}
    return instancer.instantiateVariableFont(font, limits) if limits else font


def kept(font: TTFont) -> tuple[set[int], int, list[tuple[str, float, float]]]:
    """What a subset holds: its characters, how many glyphs, its variation axes."""
    axes = [(axis.axisTag, axis.minValue, axis.maxValue) for axis in font["fvar"].axes] if "fvar" in font else []
    return set(font.getBestCmap()), len(font.getGlyphOrder()), axes


def same_as_fonttools(path: Path, text: str) -> bool | None:
    """Whether the subset of ``text`` holds what fontTools' subsetter keeps; None where the font has few of its
    characters."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    codepoints = webfonts.font_characters(path, digest).covered(map(ord, text))
    if len(codepoints) < 5:
        return None
    with TTFont(io.BytesIO(make_subset_woff2(path, codepoints))) as made:
        return kept(made) == kept(fonttools_subset(path, codepoints))


def test_a_subset_holds_the_glyphs_fonttools_subsetter_keeps() -> None:
    assert same_as_fonttools(font_stack("es").faces[0].path, SAMPLES["latin"])
    assert same_as_fonttools(font_stack("ar").faces[0].path, SAMPLES["arabic"])  # joining forms, lam-alef


@pytest.mark.slow  # every bundled face, and fontTools' subsetter for each
@pytest.mark.parametrize("script", sorted(SAMPLES))
def test_every_bundled_face_keeps_the_glyphs_fonttools_keeps(script: str) -> None:
    from polyleaf.render.fonts import _PACKAGED, _package_dir

    folders = {face: _package_dir(face.module) for faces in _PACKAGED.values() for face in faces}
    files = sorted(
        {folder / face.file for face, folder in folders.items() if folder and (folder / face.file).is_file()}
    )
    compared = {path.name: same for path in files if (same := same_as_fonttools(path, SAMPLES[script])) is not None}
    assert compared and [name for name, same in compared.items() if not same] == []


@pytest.mark.parametrize("flavor", ["woff", "woff2"])
def test_a_house_font_packed_as_woff_is_subset_as_its_font_is(tmp_path: Path, flavor: str) -> None:
    path = font_stack("es").faces[0].path
    packed = tmp_path / f"House.{flavor}"
    with TTFont(path, recalcTimestamp=False) as font:
        font.flavor = flavor
        font.save(packed)
    codepoints = frozenset(map(ord, "Dolor crónico"))
    assert make_subset_woff2(packed, codepoints) == make_subset_woff2(path, codepoints)


def test_a_font_file_harfbuzz_cannot_read_is_a_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font" * 100)
    with pytest.raises(RenderError, match=r"broken\.ttf: not a usable font file"):
        make_subset_woff2(broken, frozenset(map(ord, "abc")))


@pytest.fixture
def subset_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user whose cache folder is empty, and no subset kept in this process: where the subsets will be kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    subset_woff2.cache_clear()
    yield tmp_path / "cache" / "polyleaf" / webfonts.SUBSET_CACHE_FOLDER
    subset_woff2.cache_clear()


def _spanish_subset() -> tuple[Path, str, frozenset[int]]:
    face = font_stack("es").faces[0]
    return face.path, hashlib.sha256(face.path.read_bytes()).hexdigest(), frozenset(map(ord, "Dolor crónico"))


def test_a_subset_made_once_is_taken_from_the_users_cache_by_the_next_process(
    subset_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, digest, codepoints = _spanish_subset()
    made = subset_woff2(path, digest, codepoints)
    assert made == make_subset_woff2(path, codepoints)
    assert [entry.name for entry in subset_cache.iterdir()] == [webfonts._cache_name(digest, codepoints)]
    subset_woff2.cache_clear()  # as a new process

    def not_again(path: Path, codepoints: frozenset[int]) -> bytes:
        raise AssertionError("made again")

    monkeypatch.setattr(webfonts, "make_subset_woff2", not_again)
    assert subset_woff2(path, digest, codepoints) == made
    with pytest.raises(AssertionError, match="made again"):  # another font content is another subset
        subset_woff2(path, "0" * 64, codepoints)


@pytest.mark.parametrize("damage", ["byte", "cut", "unsigned", "moved", "link"])
def test_a_damaged_forged_or_linked_cache_entry_is_ignored_and_made_again(subset_cache: Path, damage: str) -> None:
    path, digest, codepoints = _spanish_subset()
    made = subset_woff2(path, digest, codepoints)
    entry = subset_cache / webfonts._cache_name(digest, codepoints)
    raw = entry.read_bytes()
    forged = b"\x00" * len(made)  # what a forger would have a page link: not the subset
    if damage == "byte":
        entry.write_bytes(raw[:-100] + bytes([raw[-100] ^ 1]) + raw[-99:])
    elif damage == "cut":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "unsigned":
        entry.write_bytes(raw.split(b"\n", 1)[0] + b"\n" + forged)
    elif damage == "moved":  # a signed entry of another subset under this one's name
        other = frozenset(map(ord, "Dolor"))
        subset_woff2(path, digest, other)
        entry.write_bytes((subset_cache / webfonts._cache_name(digest, other)).read_bytes())
    else:
        elsewhere = subset_cache.parent / "elsewhere"
        elsewhere.write_bytes(raw)
        entry.unlink()
        entry.symlink_to(elsewhere)
    subset_woff2.cache_clear()
    assert subset_woff2(path, digest, codepoints) == made
    assert entry.read_bytes() == raw and not entry.is_symlink()  # made again, and kept again


def test_the_subset_cache_keeps_within_its_size_the_ones_used_last(
    subset_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, digest, _ = _spanish_subset()
    sets = [frozenset(map(ord, text)) for text in ("Dolor", "crónico", "lumbar")]
    first = len(subset_woff2(path, digest, sets[0]))
    subset_woff2(path, digest, sets[1])
    old = subset_cache / webfonts._cache_name(digest, sets[0])
    header = old.stat().st_size - first  # the signature line
    os.utime(old, (1, 1))
    subset_woff2.cache_clear()
    subset_woff2(path, digest, sets[0])  # used again: now the newest
    both = first + len(make_subset_woff2(path, sets[2])) + 2 * header  # the first and the third, not the second
    room = both * 8 // 7 + 1  # a cache over its size keeps 7/8 of it
    monkeypatch.setattr(webfonts, "SUBSET_CACHE_BYTES", room)
    subset_woff2(path, digest, sets[2])
    kept = {entry.name for entry in subset_cache.iterdir()}
    assert kept == {webfonts._cache_name(digest, sets[0]), webfonts._cache_name(digest, sets[2])}


def test_a_fonts_characters_are_read_once_per_user_then_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a font's character map (a CJK font's above all) is most of what the web pages of a one-article run
    cost: it is kept in the user's cache by the font's content, and a new process takes it from there, the same
    code points."""
    face = font_stack("zh_Hans", ()).faces[0]
    digest = hashlib.sha256(face.path.read_bytes()).hexdigest()
    with TTFont(face.path, lazy=True, fontNumber=0) as font:
        expected = frozenset(font.getBestCmap())
    webfonts.font_characters.cache_clear()
    assert frozenset(webfonts.font_characters(face.path, digest)) == expected
    webfonts.font_characters.cache_clear()  # a new process: the font file is not read again

    def unreadable(*args: object, **kwargs: object) -> None:
        raise OSError("the font was read again")

    monkeypatch.setattr("fontTools.ttLib.TTFont", unreadable)
    assert frozenset(webfonts.font_characters(face.path, digest)) == expected
    webfonts.font_characters.cache_clear()
    with pytest.raises(RenderError, match="read again"):
        webfonts.font_characters(face.path, "another digest: another font")


@pytest.mark.parametrize("language", ["en", "ar", "hi", "zh_Hans"])
def test_a_fonts_characters_read_with_glyph_names_of_our_own_are_its_character_map(language: str) -> None:
    """``font_characters`` names the glyphs itself (a CFF font's own names are its whole charset, tens of MB held
    for a CJK font): the code points are those of the font's own best character map, for every face a stack has."""
    for face in font_stack(language, ()).faces:
        with TTFont(face.path, lazy=True, fontNumber=0) as font:
            expected = frozenset(font.getBestCmap())
        webfonts.font_characters.cache_clear()
        digest = hashlib.sha256(face.path.read_bytes()).hexdigest()
        assert frozenset(webfonts.font_characters(face.path, digest)) == expected and expected
    webfonts.font_characters.cache_clear()


@pytest.mark.parametrize("ranges", ["U+41-43, U+45, U+4E2D", "U+4E2D, U+41-60, U+43-45, U+46-46, U+62-61", ""])
def test_a_fonts_characters_kept_as_runs_hold_the_code_points_of_their_ranges(ranges: str) -> None:
    """A font's code points are kept as runs (a CJK font's as a set took 17 MB of a build): the same code points
    as the ranges name, read back canonical whatever their order or overlaps, and a page's characters the font
    has are exactly those in the set."""
    points = {p for part in filter(None, ranges.split(", ")) for p in _range(part)}
    coverage = webfonts._points(ranges)
    assert coverage is not None and list(coverage) == sorted(points)
    assert unicode_range(coverage) == unicode_range(points)
    page = range(0x30, 0x70)
    assert coverage.covered([*page, 0x4E2D, 0x4E2E, -1]) == frozenset(p for p in [*page, 0x4E2D, 0x4E2E] if p in points)


def _range(part: str) -> range:
    first, _, last = part.removeprefix("U+").partition("-")
    return range(int(first, 16), int(last or first, 16) + 1)


def _table(data: bytearray, tag: bytes) -> tuple[int, int]:
    """Where the table directory names the table ``tag`` of a font file, and where that table starts."""
    for record in range(12, 12 + 16 * struct.unpack(">H", data[4:6])[0], 16):
        if data[record : record + 4] == tag:
            return record, struct.unpack(">L", data[record + 8 : record + 12])[0]
    raise AssertionError(f"no {tag!r} table")


def _short_maxp(data: bytearray) -> None:
    record, _start = _table(data, b"maxp")
    data[record + 12 : record + 16] = struct.pack(">L", 4)  # the glyph count is cut off


def _odd_cmap(data: bytearray) -> None:
    _record, start = _table(data, b"cmap")
    subtable = start + struct.unpack(">L", data[start + 8 : start + 12])[0]
    data[subtable + 3] |= 1  # the first subtable's length: odd


@pytest.mark.parametrize("damage", [_short_maxp, _odd_cmap], ids=["short maxp", "odd cmap length"])
def test_a_damaged_fonts_characters_are_a_one_line_error(tmp_path: Path, damage: Callable[[bytearray], None]) -> None:
    """fontTools raises struct.error, ValueError… for a table cut short: a ``[leaflet] fonts`` file that is damaged
    stops the build with one line naming it, not a traceback."""
    data = bytearray(font_stack("en", ()).faces[0].path.read_bytes())
    damage(data)
    damaged = tmp_path / "damaged.ttf"
    damaged.write_bytes(data)
    webfonts.font_characters.cache_clear()
    with pytest.raises(RenderError, match=r"damaged\.ttf: not a usable font file"):
        webfonts.font_characters(damaged, hashlib.sha256(data).hexdigest())
    webfonts.font_characters.cache_clear()
