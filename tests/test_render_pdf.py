"""PDF: page sizes, embedded and intended fonts, page numbers on alternating sides, glyph check, reproducibility."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pilot_docs.errors import FontError, TemplateError
from pilot_docs.render import FontConfig, check_harfbuzz_subset, find_stylesheet, normalize
from pilot_docs.render.text import pdf_pages
from tests.render_fixtures import (
    FIXTURES,
    PT_PER_MM,
    chart_png,
    compilation_html,
    compilation_pdf,
    default_fonts,
    drawn_images,
    figure,
    figure_pdf,
    letter_pdf,
    pdf_outline,
    render_pdf,
    small_html,
)

A4 = (595, 842)
SOURCE = "templates/letter.html.j2"
pytestmark = pytest.mark.usefixtures("pdf_engine")  # every test with both PDF engines (conftest.py)


def _render(body: str, fonts: FontConfig | None = None, body_class: str = "letter", **kwargs: object) -> bytes:
    return render_pdf(small_html(body, body_class), base_url=FIXTURES, fonts=fonts or default_fonts(),
                      source_name=SOURCE, **kwargs)


def _sizes(data: bytes) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(io.BytesIO(data)).pages]


def _embedded_faces(data: bytes) -> dict[str, str]:
    """BaseFont name -> PostScript name inside the embedded font program."""
    faces = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            data = program.get_object().get_data()
            if data[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
                faces[str(font["/BaseFont"])] = TTFont(io.BytesIO(data))["name"].getDebugName(6)
            else:  # a bare CFF program (Typst embeds CFF faces so): its font name is the PostScript name
                from fontTools.cffLib import CFFFontSet

                cff = CFFFontSet()
                cff.decompile(io.BytesIO(data), None)
                # (a .ttc's faces share one CFF, named after its first face): the face's own PostScript name
                # is the BaseFont, after the subset tag
                faces[str(font["/BaseFont"])] = str(font["/BaseFont"]).split("+", 1)[-1].removesuffix("-Identity-H")
    return faces


def _bbox_words(data: bytes, page: int) -> list[tuple[float, float, str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"],
                             capture_output=True, text=True, check=True).stdout
    words = []
    for line in out.splitlines():
        if "<word " in line:
            x_min = float(line.split('xMin="')[1].split('"')[0])
            y_min = float(line.split('yMin="')[1].split('"')[0])
            words.append((x_min, y_min, line.split(">")[1].split("<")[0]))
    return words


@pytest.mark.weasyprint_only("WeasyPrint subsets fonts with HarfBuzz; Typst subsets them itself")
def test_harfbuzz_subsetting_is_available() -> None:
    assert check_harfbuzz_subset() is True


@pytest.mark.weasyprint_only("WeasyPrint subsets fonts with HarfBuzz; Typst subsets them itself")
def test_missing_harfbuzz_subset_is_a_setup_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from pilot_docs.render import pdf

    monkeypatch.setattr(pdf, "check_harfbuzz_subset", lambda: False)
    with pytest.raises(FontError, match="libharfbuzz-subset0"):
        _render("<p>正文</p>")


@pytest.mark.weasyprint_only("a WeasyPrint warning")
def test_weasyprint_falling_back_to_fonttools_is_a_font_error() -> None:
    import logging

    from pilot_docs.render.pdf import _raise_for

    record = logging.LogRecord("weasyprint", logging.WARNING, "", 0,
                               'Using fontTools instead of HarfBuzz-Subset for font "%s".', ("仿宋_GB2312",), None)
    with pytest.raises(FontError, match="fell back to fontTools"):
        _raise_for([record], SOURCE, Path("gongwen.css"))


def test_pages_are_a4_and_the_attachment_landscape() -> None:
    sizes = _sizes(letter_pdf())
    assert sizes[0] == A4
    assert (842, 595) in sizes
    first_landscape = sizes.index((842, 595))
    landscape_run = sizes[first_landscape:first_landscape + sizes.count((842, 595))]
    assert set(landscape_run) == {(842, 595)}  # one block of landscape pages
    assert sizes[-1] == A4  # the 版记 goes back to a portrait page


def test_whole_document_landscape() -> None:
    assert set(_sizes(_render("<p>正文</p>", body_class="landscape"))) == {(842, 595)}


def test_all_fonts_are_embedded(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_pdf())
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert len(rows) >= 4
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


def test_standard_names_use_the_intended_faces() -> None:
    faces = set(_embedded_faces(letter_pdf()).values())
    # 仿宋/宋体 → Noto Serif CJK SC, 小标宋 → its Bold, 黑体 → Noto Sans CJK SC, 楷体 → LXGW WenKai;
    # the Simplified Chinese faces of the .ttc files, never the Japanese one (index 0).
    assert {"NotoSerifCJKsc-Regular", "NotoSerifCJKsc-Bold", "NotoSansCJKsc-Regular", "LXGWWenKai-Regular"} <= faces
    assert not any("jp" in face.lower() for face in faces)


def test_page_numbers_alternate_sides() -> None:
    data = letter_pdf()
    pages = pdf_pages(data)
    assert "— 1 —" in pages[0]
    assert "— 2 —" in pages[1]
    odd = [x for x, y, w in _bbox_words(data, 1) if w == "1" and y > 700]
    even = [x for x, y, w in _bbox_words(data, 2) if w == "2" and y > 700]
    assert odd and odd[0] > 450  # right, one character in from the type area's edge (521 pt)
    assert even and even[0] < 120  # left, one character in from 79 pt


def test_page_number_sits_7mm_below_the_type_area() -> None:
    words = _bbox_words(letter_pdf(), 1)
    dash = next((x, y) for x, y, w in words if w == "—")
    line_middle = dash[1] + 10  # the 14 pt line starts about 3 pt above the glyph box
    assert abs(line_middle - (842 - 35 * 72 / 25.4 + 7 * 72 / 25.4)) < 4


def test_same_html_same_bytes() -> None:
    body = '<header class="masthead">江门市安全生产委员会文件</header><p>正文。</p>'
    assert _render(body) == _render(body)


def test_missing_glyph_is_a_font_error() -> None:
    with pytest.raises(FontError) as info:
        _render("<p>正文</p>\n<p>私用区\ue000字</p>")
    message = str(info.value)
    assert message.startswith(f"{SOURCE}: line 6: character '\ue000' (U+E000) has no glyph")
    assert "(仿宋_GB2312 → Noto Serif CJK SC)" in message


def test_missing_glyph_in_a_heading_names_its_font() -> None:
    with pytest.raises(FontError, match=r"U\+20000.*\(黑体 → Noto Sans CJK SC\)"):
        _render("<h2>一、\U00020000</h2>")


def test_masthead_is_red(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "letter.pdf"
    path.write_bytes(letter_pdf())
    subprocess.run(["pdftoppm", "-r", "20", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    pixels = image.tobytes()
    red = sum(1 for i in range(0, len(pixels), 3) if pixels[i] > 200 and pixels[i + 1] < 90 and pixels[i + 2] < 90)
    assert red > 50


@pytest.mark.weasyprint_only("gongwen.css is WeasyPrint's stylesheet; the Typst layout is render/typst.py's")
def test_project_stylesheet_overrides(tmp_path: Path) -> None:
    (tmp_path / "gongwen.css").write_text("@page { size: A5; }\nbody { page: portrait; }\n", encoding="utf-8")
    assert find_stylesheet([tmp_path]) == tmp_path / "gongwen.css"
    assert _sizes(_render("<p>正文</p>", style_dirs=[tmp_path])) == [(420, 595)]


@pytest.mark.weasyprint_only("gongwen.css is WeasyPrint's stylesheet; the Typst layout is render/typst.py's")
def test_projects_own_stylesheet_is_found_under_base_url(tmp_path: Path) -> None:
    static = tmp_path / "templates" / "static"
    static.mkdir(parents=True)
    (static / "gongwen.css").write_text("@page { size: A5; }\nbody { page: portrait; }\n", encoding="utf-8")
    data = render_pdf(small_html("<p>正文</p>"), base_url=tmp_path, fonts=default_fonts(), source_name=SOURCE)
    assert _sizes(data) == [(420, 595)]


@pytest.mark.weasyprint_only("gongwen.css is WeasyPrint's stylesheet; the Typst layout is render/typst.py's")
def test_stylesheet_problems_are_reported(tmp_path: Path) -> None:
    (tmp_path / "gongwen.css").write_text("p { colour: red; }\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="gongwen.css"):
        _render("<p>正文</p>", style_dirs=[tmp_path])


def _renamed_font(source: Path, target: Path, family: str) -> None:
    """A copy of a font whose family (every name record) is `family`."""
    font = TTFont(source)
    names = font["name"]
    for name_id, value in ((1, family), (4, family), (16, family), (6, "ProjectFangSong")):
        names.removeNames(nameID=name_id)
        names.setName(value, name_id, 3, 1, 0x804)
    font.save(target)


def test_project_fonts_folder_wins_and_falls_back(tmp_path: Path) -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.exists():
        pytest.skip("DejaVu Sans is not installed")
    _renamed_font(dejavu, tmp_path / "fangsong.ttf", "仿宋_GB2312")
    fonts = FontConfig(folder=tmp_path)
    assert fonts.describe("仿宋_GB2312") == "仿宋_GB2312 → fangsong.ttf, Noto Serif CJK SC"
    faces = _embedded_faces(_render("<p>Report 2009 正文</p>", fonts))
    # Latin text from the project's font (a face named 仿宋_GB2312), the Chinese it lacks from the next font.
    assert any(name.endswith("+仿宋_GB2312") for name in faces) or "ProjectFangSong" in faces.values(), faces
    assert "NotoSerifCJKsc-Regular" in faces.values()


def test_fonts_table_overrides_the_chain() -> None:
    fonts = FontConfig({"楷体_GB2312": ["No Such Font", "Noto Serif CJK SC"]})
    assert fonts.describe("楷体_GB2312") == "楷体_GB2312 → Noto Serif CJK SC"
    with pytest.raises(FontError, match="unknown font name"):
        FontConfig({"Comic Sans": "Noto Sans CJK SC"})
    with pytest.raises(FontError, match="no installed font for 黑体"):
        FontConfig({"黑体": "No Such Font"}).faces("黑体")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_render_is_quick() -> None:
    letter_pdf()  # warm: fonts read, fontconfig set up
    body = "<h1>关于印发通知</h1>" + "<p>各地、各部门要认真贯彻落实，切实加强领导，确保各项工作落到实处。</p>" * 60
    start = time.perf_counter()
    _render(body)
    assert time.perf_counter() - start < 1.5  # ~0.15 s on a quiet machine; generous for CI


# -- figures ---------------------------------------------------------------------------------------------------

def test_figure_is_an_image_as_wide_as_the_type_area_with_its_caption() -> None:
    data = figure_pdf()
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert len(page.images) == 1 and page.images[0].image.size == (624, 240)
    (number, _, left, _, width, height), = drawn_images(data)
    assert number == 1
    assert abs(left - 28) < 0.05 and abs(width - 156) < 0.05  # the type area: 28 mm in, 156 mm wide
    assert abs(height - 156 * 240 / 624) < 0.05  # the aspect ratio kept
    text = normalize(pdf_pages(data)[0])
    assert "图1各项任务完成情况（按责任单位计）" in text
    assert text.count("各项任务完成情况") == 1  # the caption's; the alt text is not drawn


def test_figure_caption_is_centred_under_the_image() -> None:
    data = figure_pdf()
    (_, _, _, top, _, height), = drawn_images(data)
    words = [(x, y) for x, y, w in _bbox_words(data, 1) if w.startswith("图1")]
    caption_x, caption_y = words[0]
    assert top + height < caption_y / PT_PER_MM < top + height + 10.2  # on the line under the image
    assert caption_x / PT_PER_MM > 28 + 30  # centred, not at the left edge (nor indented two characters)


@pytest.mark.parametrize(("body_class", "width", "cap"), [("report", 156, 202), ("landscape", 225, 130.5)])
def test_a_tall_figure_shrinks_to_fit_the_type_area(body_class: str, width: float, cap: float) -> None:
    data = _render(figure(png=chart_png(300, 1500)), body_class=body_class)
    (_, _, left, _, drawn_width, drawn_height), = drawn_images(data)
    assert abs(drawn_height - cap) < 0.05 and abs(drawn_width - cap / 5) < 0.05  # not stretched
    margin = 28 if body_class == "report" else 35
    assert abs(left + drawn_width / 2 - (margin + width / 2)) < 0.05  # centred
    assert len(pdf_pages(data)) == 1


def test_landscape_figure_uses_the_landscape_text_width() -> None:
    data = _render(f'<p>正文</p>\n<section class="attachment landscape">{figure()}</section>')
    (number, _, left, _, width, _), = drawn_images(data)
    assert number == 2 and abs(left - 35) < 0.05 and abs(width - 225) < 0.05


def test_a_figure_that_does_not_fit_moves_to_the_next_page_whole() -> None:
    tall = chart_png(300, 1500)
    data = _render("<p>正文。</p>\n" * 5 + figure("图1　很高的图", png=tall) + "\n<p>其后正文。</p>")
    (number, *_), = drawn_images(data)
    pages = pdf_pages(data)
    assert number == 2 and "图1" not in pages[0] and "图1很高的图" in normalize(pages[1])


def test_a_heading_image_and_caption_fit_one_page() -> None:
    data = _render("<h2>一、总体进展情况</h2>\n" + figure("图1　很高的图", png=chart_png(300, 1500)),
                   body_class="report")
    assert len(pdf_pages(data)) == 1


def test_same_figure_html_same_pdf_bytes_and_jpeg_too() -> None:
    body = figure() + figure("图2", png=chart_png(200, 100, "JPEG"))
    first = _render(body)
    assert first == _render(body)
    assert [image.image.format for image in PdfReader(io.BytesIO(first)).pages[0].images] == ["PNG", "JPEG"]


# -- compilations: 目录, bookmarks, parts ------------------------------------------------------------------------

COMPILATION_OUTLINE = [
    ("目录", 1, 1),
    ("2009年江门市安全生产应急管理综合试点工作总结", 1, 2),
    ("一、基本情况", 2, 2),
    ("二、主要做法", 2, 2),
    ("（一）加强领导，周密部署。", 3, 2),
    ("（二）健全机构，完善机制。", 3, 2),
    ("（三）加大投入，强化保障。", 3, 3),
    ("三、存在问题和下一步工作安排", 2, 3),
    ("市安监局2009年度安全生产应急管理工作总结", 1, 5),
    ("一、工作完成情况", 2, 5),
    ("二、2010年工作思路", 2, 5),
    ("2009年试点工作任务完成情况统计表", 1, 6),
]


def _word_boxes(data: bytes, page: int) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMin, word) of each word on a page, in points."""
    return [(float(line.split('xMin="')[1].split('"')[0]), float(line.split('xMax="')[1].split('"')[0]), y, word)
            for line, (_, y, word) in zip(
                [line for line in _bbox_lines(data, page) if "<word " in line], _bbox_words(data, page), strict=True)]


def _bbox_lines(data: bytes, page: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout.splitlines()


def test_bookmarks_per_part_and_heading_point_at_their_pages() -> None:
    # h1 level 1, h2 level 2, h3 level 3, nested as they come; the h4s ("1. 预案体系") and the signature make none.
    assert pdf_outline(compilation_pdf()) == COMPILATION_OUTLINE


def test_masthead_number_signature_and_h4_make_no_bookmarks() -> None:
    outline = pdf_outline(letter_pdf())
    assert [(title, level) for title, level, _ in outline] == [
        ("关于印发2009年江门市开展全国安全生产应急管理综合试点工作任务责任分解表的通知", 1), ("一、总体要求", 2),
        ("（一）工作目标", 3), ("二、组织领导", 2), ("（一）加强领导，周密部署。", 3), ("（二）协调联动，形成合力。", 3),
        ("（三）加强督导，力求实效。", 3), ("（四）加大投入，保障经费。", 3), ("（五）认真总结，广泛宣传。", 3),
        ("2009年江门市开展全国安全生产应急管理综合试点工作任务责任分解表", 1)]
    assert outline[0][2] == 1 and outline[-1][2] == _sizes(letter_pdf()).index((842, 595)) + 1


def test_toc_numbers_are_the_pages_the_outline_gives() -> None:
    # How a template fills its 目录: render, read the bookmarks' pages, render again with the numbers.
    from pilot_docs.render import parse

    toc = parse(compilation_html(), SOURCE).find("table")
    numbers = [int("".join(tr.elements()[1].children)) for tr in toc.find("tbody").elements()]
    assert numbers == [page for title, level, page in COMPILATION_OUTLINE[1:] if level <= 2]


def test_toc_layout_entries_left_numbers_right_on_the_entry_line() -> None:
    words = _word_boxes(compilation_pdf(), 1)
    assert [w for *_, w in words][:3] == ["目录", "一、2009年江门市安全生产应急管理综合试点工作总结", "2"]
    rows = words[1:-3]  # the title above, "— 1 —" below: nothing else is text (the dot leaders are not)
    assert len(rows) == 16 and [w for *_, w in words[-3:]] == ["—", "1", "—"]
    left, right = 28 * PT_PER_MM, (28 + 156) * PT_PER_MM
    for (x_entry, _, y_entry, entry), (_, x_number_end, y_number, number) in zip(rows[::2], rows[1::2], strict=True):
        indent = 2 * 16 if entry in ("一、基本情况", "二、主要做法", "三、存在问题和下一步工作安排", "一、工作完成情况",
                                     "二、2010年工作思路") else 0
        assert abs(x_entry - left - indent) < 0.5, entry  # td.toc-sub two characters in
        assert abs(x_number_end - right) < 1, number  # right-aligned at the edge of the type area
        assert abs(y_number - y_entry) < 0.5, number  # on the entry's line
    tops = [y for _, _, y, _ in rows[::2]]
    assert all(abs(b - a - 28.95) < 0.05 for a, b in itertools.pairwise(tops))  # 3号 on the line grid


def test_toc_number_stands_on_the_last_line_of_a_long_entry() -> None:
    data = _render('<table class="toc"><tr><td>一、关于印发2009年江门市开展全国安全生产应急管理综合试点工作任务责任分解表'
                   "的通知</td><td>12</td></tr></table>")
    words = _word_boxes(data, 1)
    first, second, number = words[0], words[1], words[2]
    assert number[3] == "12" and abs(number[2] - second[2]) < 0.5 and second[2] > first[2]
    assert max(first[1], second[1]) < (28 + 156) * PT_PER_MM - 3 * 16 + 1  # the entry stays out of the number column


def test_parts_start_new_pages_and_page_numbers_run_on() -> None:
    data = compilation_pdf()
    pages = [normalize(p) for p in pdf_pages(data)]
    assert len(pages) == 8
    for title, level, page in COMPILATION_OUTLINE:
        if level == 1 and title != "目录":
            assert pages[page - 1].startswith(title), title  # each part at the top of a new page
    # one run of numbers through parts and orientations; the body ends on page 6, so the 版记 goes alone to page 8
    # after a blank page 7, neither numbered (GB/T 9704 7.5)
    assert all(f"—{n}—" in p for n, p in enumerate(pages[:6], 1))
    assert pages[6] == "" and pages[7].endswith("印发") and "—8—" not in pages[7]
    assert _sizes(data) == [A4] * 5 + [(842, 595), A4, A4]  # the landscape part, then the 版记 back on portrait


def test_part_is_portrait_unless_landscape() -> None:
    sizes = _sizes(_render('<p>正文</p><section class="part"><p>二</p></section>'
                           '<section class="part landscape"><p>三</p></section><section class="part"><p>四</p></section>'))
    assert sizes == [A4, A4, (842, 595), A4]


# -- the 版记 on an even page (GB/T 9704 7.4, 7.5) -----------------------------------------------------------------

COLOPHON = ('<footer class="colophon"><p class="cc">抄送：省安委办。</p><p class="printed">'
            '<span class="printer">市安委办</span><span class="print-date">2009年6月30日印发</span></p></footer>')


def _colophon_pages(lines: int) -> tuple[list[str], dict]:
    """Each page's text of a letter of `lines` one-line paragraphs and a 版记, with the layout render_pdf reports."""
    body = "".join(f"<p>第{n}行。</p>" for n in range(lines)) + COLOPHON
    layout: dict = {}
    data = _render(body, layout=layout)
    return ["".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages], layout


def test_a_one_page_letter_has_its_colophon_alone_on_page_two_unnumbered() -> None:
    pages, layout = _colophon_pages(3)
    assert len(pages) == 2 and layout == {"pages": 2, "colophon_page": True}
    assert "— 1 —" in " ".join(pages[0]) or "—1—" in pages[0]
    assert pages[1].startswith("抄送") and "—2—" not in pages[1]  # the 版记 page carries no number


def test_a_colophon_that_fits_on_an_even_page_stays_there_numbered() -> None:
    pages, layout = _colophon_pages(22 + 10)  # page 2 holds ten lines and the 版记
    assert len(pages) == 2 and layout == {"pages": 2, "colophon_page": False}
    assert "第31行" in pages[1] and "抄送" in pages[1] and "—2—" in pages[1]


def test_a_colophon_with_no_room_on_an_even_page_goes_two_pages_on() -> None:
    pages, layout = _colophon_pages(22 + 21)  # page 2 full: the 版记 would land on page 3, alone
    assert len(pages) == 4 and layout == {"pages": 4, "colophon_page": True}
    assert "—2—" in pages[1] and pages[2] == "" and pages[3].startswith("抄送")  # blank 3, unnumbered as 4
