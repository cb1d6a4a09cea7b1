"""Hand-written HTML in the render vocabulary, and the letter rendered once per test session."""

from __future__ import annotations

import base64
import io
import subprocess
from functools import cache
from pathlib import Path

from pilot_docs.render import FontConfig, render_docx
from pilot_docs.render.typst import pdf_renderer

FIXTURES = Path(__file__).parent
LETTER = FIXTURES / "letter.html"
LETTER_NAME = "tests/render_fixtures/letter.html"


# The PDF engine the tests of a module parametrized over engines run with (conftest.py: the `pdf_engine`
# fixture sets it); WeasyPrint otherwise.
ENGINE = {"name": "weasyprint"}


def render_pdf(html: str, **kwargs) -> bytes:
    """render_pdf (WeasyPrint) or render_typst, as the test's engine is."""
    return pdf_renderer(ENGINE["name"])(html, **kwargs)


def letter_html() -> str:
    """The fixture letter: masthead to colophon, a two-page table, a landscape attachment."""
    return LETTER.read_text(encoding="utf-8")


@cache
def default_fonts() -> FontConfig:
    """The default font map (free fonts of this machine)."""
    return FontConfig()


def letter_pdf() -> bytes:
    """The fixture letter as PDF (with the test's engine)."""
    return _letter_pdf(ENGINE["name"])


@cache
def _letter_pdf(engine: str) -> bytes:
    return pdf_renderer(engine)(letter_html(), base_url=FIXTURES, fonts=default_fonts(), source_name=LETTER_NAME)


@cache
def letter_docx() -> bytes:
    """The fixture letter as DOCX."""
    return render_docx(letter_html(), source_name=LETTER_NAME, fonts=default_fonts())


COMPILATION = FIXTURES / "compilation.html"
COMPILATION_NAME = "tests/render_fixtures/compilation.html"


def compilation_html() -> str:
    """The fixture compilation: a 目录, two portrait parts and a landscape one, a 版记."""
    return COMPILATION.read_text(encoding="utf-8")


def compilation_pdf() -> bytes:
    """The fixture compilation as PDF (with the test's engine)."""
    return _compilation_pdf(ENGINE["name"])


@cache
def _compilation_pdf(engine: str) -> bytes:
    return pdf_renderer(engine)(compilation_html(), base_url=FIXTURES, fonts=default_fonts(),
                                source_name=COMPILATION_NAME)


@cache
def compilation_docx() -> bytes:
    """The fixture compilation as DOCX."""
    return render_docx(compilation_html(), source_name=COMPILATION_NAME, fonts=default_fonts())


def pdf_outline(data: bytes) -> list[tuple[str, int, int]]:
    """The PDF's bookmarks in order: (title, level from 1, page from 1)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found: list[tuple[str, int, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((str(item.title), level, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def small_html(body: str, body_class: str = "letter") -> str:
    """A whole document around some body HTML (the body starts on line 4)."""
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"><title>测试</title></head>\n'
            f'<body class="{body_class}">\n{body}\n</body>\n</html>\n')


@cache
def cjk_sans() -> tuple[str, int]:
    """File and face index of Noto Sans CJK SC (as fontconfig finds it), for drawing Chinese into test images."""
    found = subprocess.run(["fc-match", "-f", "%{file}|%{index}", "Noto Sans CJK SC"], capture_output=True,
                           text=True, check=True).stdout
    path, index = found.rsplit("|", 1)
    return path, int(index or 0)


@cache
def chart_png(width: int = 624, height: int = 240, kind: str = "PNG") -> bytes:
    """A small bar chart with a Chinese label, drawn with Pillow (PNG, or JPEG with kind="JPEG")."""
    from PIL import Image, ImageDraw, ImageFont

    path, index = cjk_sans()
    font = ImageFont.truetype(path, max(12, height // 8), index=index)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width // 40, height // 2), "责任单位", font=font, fill="black", anchor="lm")
    draw.rectangle([width // 4, height // 4, width * 9 // 10, height * 3 // 4], fill=(46, 125, 50))
    draw.rectangle([0, 0, width - 1, height - 1], outline="black")
    out = io.BytesIO()
    image.save(out, format=kind, **({"dpi": (200, 200)} if kind == "PNG" else {"quality": 90}))
    return out.getvalue()


def data_uri(data: bytes, mime: str = "image/png") -> str:
    """A data: URI carrying an image."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def figure(caption: str = "图1　各项任务完成情况（按责任单位计）", png: bytes | None = None,
           alt: str = "各项任务完成情况") -> str:
    """A <figure class="chart"> as templates/progress.html.j2 writes it, on one line (`png` may be a JPEG)."""
    data = chart_png() if png is None else png
    src = data_uri(data, "image/jpeg" if data.startswith(b"\xff\xd8") else "image/png")
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="chart"><img src="{src}" alt="{alt}">{caption_html}</figure>'


def figure_html(body_class: str = "report") -> str:
    """A short report with a chart between paragraphs and a heading."""
    return small_html("<h2>一、总体进展情况</h2>\n<p>截至2009年9月30日，共有12个单位报送了进展情况。</p>\n"
                      f"{figure()}\n<h2>二、下一步工作要求</h2>\n<p>各单位要加快工作进度。</p>", body_class)


FIGURE_NAME = "templates/progress.html.j2"


def figure_pdf() -> bytes:
    """`figure_html()` as PDF (with the test's engine)."""
    return _figure_pdf(ENGINE["name"])


@cache
def _figure_pdf(engine: str) -> bytes:
    return pdf_renderer(engine)(figure_html(), base_url=FIXTURES, fonts=default_fonts(), source_name=FIGURE_NAME)


@cache
def figure_docx() -> bytes:
    """`figure_html()` as DOCX."""
    return render_docx(figure_html(), source_name=FIGURE_NAME, fonts=default_fonts())


PT_PER_MM = 72 / 25.4


def drawn_images(data: bytes) -> list[tuple[int, str, float, float, float, float]]:
    """Each image drawn: (page, XObject name, left, top, width, height), in millimetres from the page's top left."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    found = []
    for number, page in enumerate(reader.pages, 1):
        xobjects = page["/Resources"].get("/XObject", {})
        page_height = float(page.mediabox.height)
        ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        stack = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                A, B, C, D, E, F = ctm
                ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
            elif operator == b"Do" and xobjects[operands[0]].get_object()["/Subtype"] == "/Image":
                a, _, _, d, e, f = ctm
                top = page_height - max(f, f + d)
                found.append((number, str(operands[0]), e / PT_PER_MM, top / PT_PER_MM, a / PT_PER_MM, abs(d) / PT_PER_MM))
    return found
