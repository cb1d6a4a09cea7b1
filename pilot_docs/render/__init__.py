"""Rendering: the HTML vocabulary of docs/html-vocabulary.md to PDF (WeasyPrint) and DOCX (python-docx).

Both writers read the same checked HTML, so both formats carry the same words:

    fonts = FontConfig(config.get("fonts"), font_dirs=[project / "fonts"])
    pdf = render_pdf(html, base_url=templates, fonts=fonts, source_name="templates/letter.html.j2")
    docx = render_docx(html, source_name="templates/letter.html.j2", fonts=fonts, date=plan_date)
"""

from __future__ import annotations

from .docx import render_docx
from .fonts import FontConfig, check_harfbuzz_subset
from .pdf import find_stylesheet, render_pdf
from .text import docx_repeated_headers, docx_text, normalize, pdf_text
from .vocabulary import STANDARD_FONTS, parse

__all__ = [
    "STANDARD_FONTS",
    "FontConfig",
    "check_harfbuzz_subset",
    "docx_repeated_headers",
    "docx_text",
    "find_stylesheet",
    "normalize",
    "parse",
    "pdf_text",
    "render_docx",
    "render_pdf",
]
