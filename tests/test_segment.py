"""Sentence segmentation: abbreviations, inline markup, forced breaks, spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.source import pysbd_boundaries, segment
from polyleaf.source.pysbd_boundaries import pysbd_language
from polyleaf.source.segment import markup_spans, split_sentences

REPO = Path(__file__).resolve().parents[1]


def sentences(text: str, language: str = "en") -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, language)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Says Dr. Zachary Lipman, fortunately, it works. It is new.",
            ["Says Dr. Zachary Lipman, fortunately, it works.", "It is new."],
        ),
        (
            "Take a painkiller, e.g. ibuprofen, if needed. Rest well.",
            ["Take a painkiller, e.g. ibuprofen, if needed.", "Rest well."],
        ),
        (
            "Avoid strain, i.e. heavy lifting, for a week. Rest well.",
            ["Avoid strain, i.e. heavy lifting, for a week.", "Rest well."],
        ),
        (
            "It is approved in the U.S. and in Europe. Ask your doctor.",
            ["It is approved in the U.S. and in Europe.", "Ask your doctor."],
        ),
        ("Take 2.5 mg twice a day. Drink water.", ["Take 2.5 mg twice a day.", "Drink water."]),
        (
            "The pain fades... slowly. It helps.",
            ["The pain fades... slowly.", "It helps."],
        ),
        ("Recovery takes approx. 5 days. Rest well.", ["Recovery takes approx. 5 days.", "Rest well."]),
        ("See Fig. 2 for the anatomy. It shows the nerve.", ["See Fig. 2 for the anatomy.", "It shows the nerve."]),
        ("Compare cf. Smith et al. 2020. Then decide.", ["Compare cf. Smith et al. 2020.", "Then decide."]),
    ],
)
def test_abbreviations_do_not_split(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_exclude_surrounding_whitespace() -> None:
    text = "  First sentence here.   Second one follows.  \t"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["First sentence here.", "Second one follows."]
    assert spans[0][0] == 2


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \t ") == []


def test_disclaimer_emphasis_is_one_segment() -> None:
    text = "**Disclaimer:** *Sentence one. Sentence two.*"
    assert sentences(text) == [text]


def test_boundary_before_closing_marker_moves_after_it() -> None:
    assert sentences("*Sentence one.* Sentence two.") == ["*Sentence one.*", "Sentence two."]
    assert sentences("One. **Two.** Three.") == ["One.", "**Two.**", "Three."]


def test_link_and_code_are_never_cut() -> None:
    text = "A [link. With dot](http://a.b/c.d) here. Use `a. B` code. End."
    assert sentences(text) == ["A [link. With dot](http://a.b/c.d) here.", "Use `a. B` code.", "End."]


def test_punctuation_only_fragments_join_a_neighbour() -> None:
    assert sentences("Yes. ... No.") in (["Yes. ...", "No."], ["Yes.", "... No."], ["Yes. ... No."])
    assert sentences("...") == ["..."]


def test_lowercase_start_continues_the_sentence() -> None:
    assert sentences("Compare vs. them. cf. above.") == ["Compare vs. them. cf. above."]


def test_forced_breaks() -> None:
    text = "Roses are red violets are blue"
    spans = split_sentences(text, breaks=[text.index(" violets")])
    assert [text[a:b] for a, b in spans] == ["Roses are red", "violets are blue"]
    # a forced break inside emphasis is ignored: markup stays balanced
    text = "*Roses are red violets* are blue"
    assert [text[a:b] for a, b in split_sentences(text, breaks=[text.index(" violets")])] == [text]


def test_line_breaks_split() -> None:
    assert sentences("A line\nanother line") == ["A line", "another line"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "en"), ("pt_BR", "en"), ("zh_Hans", "zh"), ("de-AT", "de"), ("xx", "en"), ("", "en"), ("FR", "fr")],
)
def test_language_fallback(language: str, expected: str) -> None:
    assert pysbd_language(language) == expected


def test_other_languages() -> None:
    assert sentences("你好。再见。", "zh_Hans") == ["你好。", "再见。"]
    assert sentences("Hola. ¿Qué tal? Bien.", "es") == ["Hola.", "¿Qué tal?", "Bien."]
    assert sentences("One sentence. Two sentences.", "tlh") == ["One sentence.", "Two sentences."]


def test_segmenter_is_cached() -> None:
    assert pysbd_boundaries._segmenter("en") is pysbd_boundaries._segmenter("en")


def test_repeated_sentences_keep_their_own_spans() -> None:
    text = "Rest well. Drink water. Rest well. Rest well."
    assert split_sentences(text) == [(0, 10), (11, 23), (24, 34), (35, 45)]


def test_markup_spans() -> None:
    text = "a `x. y` [l](u) **b. c** _d_ snake_case <http://x.y>"
    found = [text[a:b] for a, b in markup_spans(text)]
    assert found == ["`x. y`", "[l](u)", "**b. c**", "_d_", "<http://x.y>"]


WORDS = st.sampled_from(
    [
        *["Dr.", "e.g.", "U.S.", "2.5", "mg", "...", "approx.", "Fig.", "pain", "Back", "é", "中文。", "*", "**"],
        *["`", "[a", "](u)", "x.", "Yes!", "no?", "(", ")", '"', " ", "  ", "\t", "\n", "—", "_", "123", "A."],
        "b.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40).map(" ".join), st.sampled_from(["en", "de", "zh", "xx"]))
def test_spans_are_stripped_ordered_and_cover_all_text(text: str, language: str) -> None:
    spans = split_sentences(text, language)
    covered: set[int] = set()
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        covered.update(range(start, end))
        position = end
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())


# ------------------------------------------------------------------------------------------ pysbd without regex churn


def test_char_spans_are_pysbds_own() -> None:
    """``_char_spans`` (str.find) gives exactly the spans pysbd's ``segment(char_span=True)`` finds with a regex
    per sentence: repeated sentences, sentences that occur inside others, whitespace runs."""
    from polyleaf.source.pysbd_boundaries import _char_spans, _segmenter

    segmenter = _segmenter("en")
    texts = [
        (REPO / "source" / "bvna-chronic-low-back-pain.txt").read_text(encoding="utf-8"),
        "Dr. Smith went to Washington D.C. He said hi.  Dr. Smith went to Washington D.C. He said hi.",
        "Yes. Yes.   Yes.\tNo. Yes.",
        "He said: Hi. Hi. She said: Hi.",
        "Take 2.5 mg e.g. twice. U.S. rules apply!  Really?",
    ]
    for text in texts:
        sentences = list(segmenter.processor(text).process())
        expected = [(span.sent, span.start, span.end) for span in segmenter.segment(text)]
        assert _char_spans(text, sentences) == expected


def test_pysbd_compiles_each_pattern_once() -> None:
    """pysbd's modules get a ``re`` that caches every compiled pattern; the standard ``re`` stays as it is."""
    import re
    import sys

    from polyleaf.source.segment import split_sentences

    split_sentences("Dr. Smith saw approx. 5 patients, e.g. Mr. Jones. He was fine.")
    shims = {module.re for name, module in sys.modules.items() if name.startswith("pysbd.") and hasattr(module, "re")}
    assert len(shims) == 1 and re not in shims
    (shim,) = shims
    split_sentences("Mr. Jones saw Dr. Who on Jan. 5. Then he left.")
    before = shim.compile.cache_info()
    split_sentences("Mr. Jones saw Dr. Who on Jan. 5. Then he left.")
    after = shim.compile.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    assert re.sub is not shim.sub


# ------------------------------------------------------------------------------------------ linear on long paragraphs

#: Texts where pysbd rewrites the text once per abbreviation and list number it meets (repeated, in several cases).
PYSBD_TEXTS = [
    "Dr. Lee saw pt. 5. Dr. Lee saw PT. 6. dr. Lee left. St. John met st. Mary at approx. 5 p.m. on Jan. 6. Done.",
    " ".join(
        f"Step {n}. Rest {n % 3 + 1} days. {n}. Item {n}. {n}) Other {n}. See No. {n} and no. {n}." for n in range(40)
    ),
    " ".join(
        f"a. Alpha {n}. b. Beta. i. One. ii. Two. iv. Four. Mr. X. Mrs. Y. e.g. this. U.S. law." for n in range(30)
    ),
    "1. First. 2. Second. 3. Third. 9. Nine. 10. Ten. 0. Zero. 11. Eleven. 12. Twelve. " * 10,
    "Ask your doctor. " * 200,
]


def test_pysbd_gives_its_own_sentences_with_each_replacement_made_once() -> None:
    """The methods ``_make_each_replacement_once`` gives pysbd produce exactly the sentences of pysbd's own (run in a
    process that never imported polyleaf)."""
    import json
    import subprocess
    import sys

    script = (
        "import json, sys, pysbd\n"
        "segmenter = pysbd.Segmenter(language='en', clean=False, char_span=True)\n"
        "texts = json.load(sys.stdin)\n"
        "print(json.dumps([list(segmenter.processor(text).process()) for text in texts]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(PYSBD_TEXTS), capture_output=True, text=True, check=True
    )
    segmenter = pysbd_boundaries._segmenter("en")
    assert [list(segmenter.processor(text).process()) for text in PYSBD_TEXTS] == json.loads(done.stdout)


def test_a_long_paragraph_of_repeated_sentences_is_split_in_each() -> None:
    text = " ".join(["Rest. Ask your doctor. Take **one** tablet, e.g. at night. See [it](u). Run `x`."] * 300)
    found = sentences(text)
    assert len(found) == 1500
    assert found[:5] == ["Rest.", "Ask your doctor.", "Take **one** tablet, e.g. at night.", "See [it](u).", "Run `x`."]
    assert found == found[:5] * 300


def _straddling_by_scan(spans: list[tuple[int, int]], before: int, after: int) -> tuple[int, int] | None:
    return next((span for span in spans if span[0] < after and before < span[1]), None)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=12).map(
        lambda pairs: sorted((start, start + length) for start, length in pairs)
    ),
    st.integers(0, 90),
    st.integers(0, 90),
)
def test_the_straddling_markup_span_is_found_by_bisection(
    spans: list[tuple[int, int]], before: int, after: int
) -> None:
    assert segment._Markup(spans).straddling(before, after) == _straddling_by_scan(spans, before, after)


def _code_spans_by_scan(text: str) -> list[tuple[int, int]]:
    """CommonMark code spans, each backtick run matched with the next run as long by a scan of the runs after it."""
    import re

    spans = []
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    index = 0
    while index < len(runs):
        start, end = runs[index]
        if start > 0 and segment._escaped(text, start):
            start += 1
            if start == end:
                index += 1
                continue
        for other in range(index + 1, len(runs)):
            if runs[other][1] - runs[other][0] == end - start:
                spans.append((start, runs[other][1]))
                index = other
                break
        index += 1
    return spans


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["`", "``", "```", "\\", "a", " "]), max_size=40).map("".join))
def test_code_spans_pair_each_run_with_the_next_as_long(text: str) -> None:
    assert segment.code_spans(text) == _code_spans_by_scan(text)


# ------------------------------------------------------------------------------------------ one sentence without pysbd

PLAIN_WORDS = st.sampled_from(
    [
        *["a", "b", "i", "ii", "iv", "x", "A", "I", "IV", "D", "U", "S", "e", "g", "p", "m", "no", "No", "St", "Dr"],
        *["Mr", "vs", "etc", "am", "pm", "Jan", "Fig", "al", "et", "approx", "min", "mm", "Hg", "ca", "cf", "ie"],
        *["eg", "Take", "tablets", "every", "hours", "1", "2", "12", "1,000", "1.5", "0.5", "10%", "5-10", "5–10"],
        *["x2", "", " ", ",", "-", "–", "%", "(LBP)", "(NSAID)", "(iv)", "(IV)", "(ii)", "(a)", "(1)", "(see it)"],
        *["(iii)", "(v)", "(ab 1)", "(ab 2)", "(ab c)", "(ab d)"],
        *["(Fig 2)", "(2 mg)", "(", ")", "It", "The", "affects"],
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(PLAIN_WORDS, max_size=12).map(" ".join),
    st.sampled_from(["", ".", "!", "?", ". ", " "]),
    st.sampled_from(["", " ", "  "]),
)
def test_a_text_pysbd_cannot_split_is_one_sentence_without_it(text: str, end: str, indent: str) -> None:
    """The texts ``pysbd_spans`` answers without pysbd (words, numbers, commas, at most one final mark) are split as
    pysbd splits them."""
    text = indent + text + end
    if pysbd_boundaries._ONE_SENTENCE.fullmatch(text):
        assert pysbd_boundaries.pysbd_spans(text, "en") == pysbd_boundaries._pysbd_spans(text, "en")


@pytest.mark.parametrize(
    "text",
    [
        "Choose option (ii) or (iii) today.",  # roman numerals in brackets: a list to pysbd
        "Use a spacer (vi) and a mask (vii) daily",
        "Ask about options (see 1) and (see 2) today",  # a number closing a bracket: a numbered list
        "Use (one a) then (one b) now",  # a letter closing a bracket: a lettered list
    ],
)
def test_brackets_pysbd_takes_for_list_items_are_split_as_pysbd_splits_them(text: str) -> None:
    assert len(pysbd_boundaries._pysbd_spans(text, "en")) > 1
    assert pysbd_boundaries.pysbd_spans(text, "en") == pysbd_boundaries._pysbd_spans(text, "en")


def test_pysbd_is_not_run_for_a_plain_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    def segmenter(language: str) -> None:
        raise AssertionError("pysbd was run")

    monkeypatch.setattr(pysbd_boundaries, "_segmenter", segmenter)
    assert split_sentences(" Take 1.5 ml every 4–6 hours, at most 4 times a day. ") == [(1, 52)]
    assert split_sentences("No more than 10%") == [(0, 16)]
    assert split_sentences("Low back pain (LBP) affects 5% of adults") == [(0, 40)]
    with pytest.raises(AssertionError):
        split_sentences("Take 1 tablet. Then wait.")
    with pytest.raises(AssertionError):
        split_sentences("Take 1 tablet", "zh")
    with pytest.raises(AssertionError):
        split_sentences("Low back pain (LBP) Affects 5% of adults")  # a bracket before a capital may end one
