"""What a process that renders PDFs keeps between leaflets (issue 27, item 6): the leaflet style sheet parsed once,
with one font configuration, per style sheet (a language's leaflets share one); PDFs byte-identical to rendering
each page with its own ``<style>``; fonts' times fixed without touching the environment (issue 26, item 4)."""

from __future__ import annotations

import io
import os
import time
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from polyleaf.render import pdf
from polyleaf.render.fonts import packaged_faces

pytestmark = pytest.mark.slow  # PDFs

DEVANAGARI = packaged_faces("Noto Sans Devanagari")[0].path  # a variable font: WeasyPrint embeds an instance


def page(text: str, size: int = 12) -> str:
    """A page set in the packaged variable font (fontTools saves its instance, stamped with the time of day)."""
    return (
        f'<html lang="hi"><head><title>t</title><style>@font-face {{ font-family: "Stamp Test"; src: '
        f'url("{DEVANAGARI.as_uri()}"); }} body {{ font-family: "Stamp Test"; font-size: {size}pt; }}</style></head>'
        f"<body><p>{text}</p></body></html>"
    )


@pytest.fixture
def no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf._stylesheet.cache_clear()
    pdf._font_config.cache_clear()


def test_a_pdf_with_a_font_fonttools_saves_is_the_same_a_second_later_and_the_environment_is_left_alone(
    no_epoch: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed: list[bool] = []
    real = pdf.fixed_font_time

    def spy(font: bytes, started: float) -> bytes:
        fixed.append(real(font, started) != font and "SOURCE_DATE_EPOCH" not in os.environ)
        return real(font, started)

    monkeypatch.setattr(pdf, "fixed_font_time", spy)
    first = pdf.render_pdf(page("नमस्ते दुनिया"))
    time.sleep(1.1)  # fontTools' stamp is in seconds
    assert pdf.render_pdf(page("नमस्ते दुनिया")) == first
    assert any(fixed) and "SOURCE_DATE_EPOCH" not in os.environ


def test_a_font_gets_the_time_fonttools_gives_it_when_source_date_epoch_is_0(monkeypatch: pytest.MonkeyPatch) -> None:
    def saved() -> bytes:
        with TTFont(DEVANAGARI) as font:
            data = io.BytesIO()
            font.save(data)
            return data.getvalue()

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    started = time.time()
    stamped = saved()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert stamped != saved() and pdf.fixed_font_time(stamped, started) == saved()
    as_made = DEVANAGARI.read_bytes()  # the file's own time: not a stamp of this render
    assert pdf.fixed_font_time(as_made, started) == as_made
    assert pdf.fixed_font_time(b"%PDF-1.7 not a font", started) == b"%PDF-1.7 not a font"


def test_a_style_sheet_is_parsed_once_per_process_and_the_pdfs_are_those_of_the_page_with_its_style(
    no_epoch: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    parsed: list[str] = []
    real_css = weasyprint.CSS

    def counting(*args: Any, **kwargs: Any) -> Any:
        parsed.append(kwargs.get("string", ""))
        return real_css(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", counting)
    texts = ["नमस्ते", "दुनिया", "नमस्ते दुनिया"]
    shared = [pdf.render_pdf(page(text)) for text in texts]
    other = pdf.render_pdf(page("नमस्ते", size=14))  # another style sheet: parsed, with its own fonts
    assert len(parsed) == 2 and len({*shared, other}) == 4
    assert pdf._font_config.cache_info().currsize == 1  # the two sheets declare the same fonts: one configuration
    arabic = page("نص").replace(DEVANAGARI.as_uri(), packaged_faces("Noto Sans Arabic")[0].path.as_uri())
    pdf.render_pdf(arabic)
    assert pdf._font_config.cache_info().currsize == 2  # other fonts: a configuration of their own
    monkeypatch.setattr(pdf, "_without_stylesheet", lambda html: (html, ""))  # each page with its own <style>
    assert [pdf.render_pdf(page(text)) for text in texts] == shared and pdf.render_pdf(page("नमस्ते", size=14)) == other


def test_a_page_without_one_style_element_is_rendered_as_it_is() -> None:
    two = "<html><head><style>p { color: red }</style><style>p { color: blue }</style></head><body></body></html>"
    assert pdf._without_stylesheet(two) == (two, "")
    assert pdf._without_stylesheet("<html><body>x</body></html>") == ("<html><body>x</body></html>", "")
    one = "<html><head><style>p { }</style></head><body>&lt;style&gt;</body></html>"
    assert pdf._without_stylesheet(one) == ("<html><head></head><body>&lt;style&gt;</body></html>", "p { }")
