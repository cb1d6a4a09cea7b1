"""Hand-written HTML in the render vocabulary, and the letter rendered once per test session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pilot_docs.render import FontConfig, render_docx, render_pdf

FIXTURES = Path(__file__).parent
LETTER = FIXTURES / "letter.html"
LETTER_NAME = "tests/render_fixtures/letter.html"


def letter_html() -> str:
    """The fixture letter: masthead to colophon, a two-page table, a landscape attachment."""
    return LETTER.read_text(encoding="utf-8")


@cache
def default_fonts() -> FontConfig:
    """The default font map (free fonts of this machine)."""
    return FontConfig()


@cache
def letter_pdf() -> bytes:
    """The fixture letter as PDF."""
    return render_pdf(letter_html(), base_url=FIXTURES, fonts=default_fonts(), source_name=LETTER_NAME)


@cache
def letter_docx() -> bytes:
    """The fixture letter as DOCX."""
    return render_docx(letter_html(), source_name=LETTER_NAME, fonts=default_fonts())


def small_html(body: str, body_class: str = "letter") -> str:
    """A whole document around some body HTML (the body starts on line 4)."""
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"><title>测试</title></head>\n'
            f'<body class="{body_class}">\n{body}\n</body>\n</html>\n')
