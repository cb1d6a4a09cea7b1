"""Long documents laid out part by part (render/parts.py): the same pages as one layout, memory bounded by a part."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from pilot_docs.build.pipeline import build
from pilot_docs.documents.common import in_parts
from pilot_docs.render.parts import split_parts
from tests.helpers import REPO, pdf_outline

HEAD, TAIL = '<html lang="zh-CN"><head><title>t</title></head><body class="summary">', "</body></html>"


def bodies(html: str) -> list[str]:
    pieces = split_parts(html)
    assert all(p.startswith(HEAD) and p.endswith(TAIL) for p in pieces)
    return [p[len(HEAD):-len(TAIL)] for p in pieces]


def test_a_document_without_parts_is_one_piece() -> None:
    html = HEAD + "<p>a</p><section class=\"attachment\"><p>b</p></section>" + TAIL
    assert split_parts(html) == [html]


def test_cut_before_each_part_with_what_follows_it_kept_on() -> None:
    body = ('<h1>T</h1><section class="part"><h1>P1</h1><p>a</p><section class="part"><p>n1</p></section><p>mid</p>'
            '<section class="x"><section class="part"><p>n2</p></section><p>after</p></section><p>tail</p></section>'
            '<p>between</p><section class="part landscape"><p>P2</p></section><p>end</p>')
    assert bodies(HEAD + body + TAIL) == [
        "<h1>T</h1>",
        '<section class="part"><h1>P1</h1><p>a</p></section>',
        # a part cut out of its parent is wrapped in the parent's tags; what follows it in the parent stays with it
        '<section class="part"><section class="part"><p>n1</p></section><p>mid</p><section class="x"></section></section>',
        ('<section class="part"><section class="x"><section class="part"><p>n2</p></section><p>after</p></section>'
         '<p>tail</p></section><p>between</p>'),
        '<section class="part landscape"><p>P2</p></section><p>end</p>',
    ]
    assert bodies(HEAD + '<section class="part"><p>only</p></section>' + TAIL) == [
        '<section class="part"><p>only</p></section>']  # no empty first piece


def test_in_parts_bounds_each_run() -> None:
    assert in_parts([]) == [[]]
    assert in_parts([1, 2, 3], limit=10) == [[1, 2, 3]]  # a short document is one run: its layout is unchanged
    assert in_parts([5, 5, 5, 20, 1], weight=lambda w: w, limit=10) == [[5, 5], [5], [20], [1]]


def _pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_parts_give_the_pages_of_a_single_layout(tmp_path: Path) -> None:
    """The seed's volume (its parts cut and joined) against WeasyPrint laying out the same HTML in one go: the
    same pages, sizes, text and page numbers, and the same outline."""
    from weasyprint import CSS, HTML

    from pilot_docs.render.fonts import FontConfig
    from pilot_docs.render.pdf import document_css, find_stylesheet, font_configuration, prepare_html
    from pilot_docs.render.vocabulary import parse

    build(REPO, tmp_path, only=("volume",), formats=("html", "pdf"), pdf_engine="weasyprint")  # WeasyPrint's parts
    html = next((tmp_path / "summary").glob("*.html")).read_text(encoding="utf-8")
    assert len(split_parts(html)) >= 4
    joined = next((tmp_path / "summary").glob("*.pdf")).read_bytes()
    fonts = FontConfig(None, folder=REPO / "fonts")
    config = font_configuration(fonts)
    sheets = [CSS(filename=str(find_stylesheet()), font_config=config),
              CSS(string=document_css(parse(html, "volume")) or "p {}", font_config=config)]
    single = HTML(string=prepare_html(html), base_url=REPO.as_uri() + "/").render(
        stylesheets=sheets, font_config=config).write_pdf(pdf_identifier=False)
    assert _pages_of(joined) == _pages_of(single)
    a, b = PdfReader(io.BytesIO(joined)), PdfReader(io.BytesIO(single))
    assert [p.mediabox for p in a.pages] == [p.mediabox for p in b.pages]

    assert pdf_outline(joined) == pdf_outline(single) and len(pdf_outline(joined)) > 50
    assert a.metadata.title == b.metadata.title and a.trailer["/Root"]["/Lang"] == b.trailer["/Root"]["/Lang"]


def test_a_long_summary_is_laid_out_in_parts(tmp_path: Path) -> None:
    """A province-scale table: the summary, the annex and the volume put their long runs in parts, and the joined
    PDF numbers its pages on without a gap."""
    sys.path.insert(0, str(REPO))
    from bench.province import write_province

    project = write_province(tmp_path / "province", 400, 40)
    out = tmp_path / "build"
    build(project, out, only=("annex", "summary", "volume"), formats=("html",))
    counts = {p.name: len(split_parts(p.read_text(encoding="utf-8"))) for p in out.rglob("*.html")}
    assert counts["附件-任务责任分解表.html"] >= 3, counts
    assert counts["年度总结汇编-2009.html"] >= 6, counts
    assert counts["年度汇编合订本-2009.html"] >= 10, counts
    build(project, out, only=("annex",), formats=("pdf",))
    pdf = next(out.rglob("附件-任务责任分解表.pdf")).read_bytes()
    numbers = [re.findall(r"—\s*(\d+)\s*—", page)[-1] for page in _pages_of(pdf)]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) > 40


def test_a_long_progress_report_puts_its_long_tables_in_parts(tmp_path: Path) -> None:
    """The progress report's long tables (every item, the overdue and the due-soon ones, the tasks) run on in parts
    of PART_ROWS rows (at 5,000 items the report was laid out whole: 1,665 MB in Typst; in parts 580 MB); every
    row is kept once, and the seed's report is one piece."""
    sys.path.insert(0, str(REPO))
    from bench.province import write_province
    from pilot_docs.documents.common import PART_ROWS

    items = 5 * PART_ROWS + 100
    project = write_province(tmp_path / "province", items, 30)
    out = tmp_path / "build"
    build(project, out, only=("progress",), formats=("html",))
    html = next(out.rglob("进度通报-*.html")).read_text(encoding="utf-8")

    def rows(start: str, stop: str) -> int:
        text = html[html.index(start):html.index(stop, html.index(start))]
        return len(re.findall(r"<tr><td>\d+\.\d+</td>", text))

    listed = rows("各项工作内容进展情况", "</body>")
    overdue = rows("四、逾期未完成事项", "下一步工作要求")  # the overdue and the due-soon items
    assert listed == items and overdue > PART_ROWS, (listed, overdue)
    runs = -(-items // PART_ROWS) + -(-overdue // PART_ROWS)  # each table's first run is not a part of its own
    assert runs - 2 <= len(split_parts(html)) - 1 <= runs  # the due-soon ones: one more table
    # one task a row: the tasks' table runs on in parts too, its total row once, at the end of the last
    project = write_province(tmp_path / "rows", PART_ROWS + 100, 30, one_task_per_row=True)
    build(project, tmp_path / "rows-build", only=("progress",), formats=("html",))
    html = next((tmp_path / "rows-build").rglob("进度通报-*.html")).read_text(encoding="utf-8")
    tasks = html[html.index("二、各项任务进展情况"):html.index("三、各责任单位进展情况")]
    assert tasks.count('<section class="part">') == 1 and tasks.count("<tr><td>合计</td>") == 1
    assert tasks.index(f"第{PART_ROWS + 100}项重点工作任务") < tasks.index("<tr><td>合计</td>")
    build(REPO, tmp_path / "seed", only=("progress",), formats=("html",))
    assert len(split_parts(next((tmp_path / "seed").rglob("进度通报-*.html")).read_text(encoding="utf-8"))) == 1


@pytest.mark.parametrize("side", ["odd", "even"])
def test_a_piece_starting_on_an_even_page_starts_on_a_left_page(side: str) -> None:
    """Odd pages carry their number on the right, even ones on the left, across the cut."""
    from pilot_docs.render.fonts import FontConfig
    from pilot_docs.render.pdf import render_pdf

    first = "<p>一</p>" if side == "odd" else '<p>一</p><section class="attachment"><p>二</p></section>'
    html = (HEAD + first + '<section class="part"><p>部分</p></section>' + TAIL)
    pdf = render_pdf(html, base_url=None, fonts=FontConfig(None), source_name="t.html.j2")
    reader = PdfReader(io.BytesIO(pdf))
    last = reader.pages[-1]
    text = last.extract_text(extraction_mode="layout")
    number = re.search(r"—\s*(\d+)\s*—", text)
    assert number and int(number.group(1)) == len(reader.pages)
    width = float(last.mediabox.width)
    column = text.splitlines()[[i for i, line in enumerate(text.splitlines()) if "—" in line][-1]].index("—")
    line = [li for li in text.splitlines() if "—" in li][-1]
    on_right = line.index("—") > len(line) / 2 if len(line) > 20 else column > 20
    assert on_right == (len(reader.pages) % 2 == 1), (text, width)


def test_toc_rows_name_the_next_bookmark_they_are_or_end_with() -> None:
    """A 目录 row links to the next bookmark (in order) whose title it is, else ends with; rows naming nothing
    (or empty) get no link."""
    from pilot_docs.render.parts import toc_links

    marks = [("年度汇编", 1, 1), ("第一部分　年度总结", 1, 3), ("一、总体情况", 2, 3), ("市安监局", 2, 5),
             ("总结", 1, 7), ("市安监局", 2, 9)]
    rect = (0.0, 0.0, 1.0, 1.0)
    rows = [(2, rect, "第一部分　年度总结"), (2, rect, "一、总体 情况"), (2, rect, "市安监局"), (2, rect, "二、总结"),
            (2, rect, "市安监局"), (2, rect, "没有的标题"), (2, rect, " ")]
    assert [target for _, _, target in toc_links(rows, marks)] == [3, 3, 5, 7, 9]


def test_a_second_pass_lays_out_again_only_the_part_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 目录's second pass: the parts whose HTML and first page are those of the first pass are not laid out
    again, and the PDF is the bytes a pass without reuse gives; a 目录 that grows a page moves every later part,
    which is then laid out again."""
    from pilot_docs.render import pdf as module
    from pilot_docs.render.fonts import FontConfig

    fonts = FontConfig(None)
    parts = "".join(f'<section class="part"><h2>第{n}部分</h2><p>正文{n}</p></section>' for n in range(3))

    def html(toc: str) -> str:
        return HEAD + f'<section class="part"><p>目录</p>{toc}</section>' + parts + TAIL

    first, second = html("<p>一、1</p>"), html("<p>一、3</p>")
    plain = module.render_pdf(second, base_url=None, fonts=fonts, source_name="t.html.j2")
    laid: list[str] = []
    real = module._lay_out
    monkeypatch.setattr(module, "_lay_out", lambda piece, *a, **k: laid.append(piece) or real(piece, *a, **k))
    with module.reusing_pieces():
        outline: list = []
        module.render_pdf(first, base_url=None, fonts=fonts, source_name="t.html.j2", outline=outline, write=False)
        assert len(laid) == 4 and [m[0] for m in outline] == ["第0部分", "第1部分", "第2部分"]
        reused = module.render_pdf(second, base_url=None, fonts=fonts, source_name="t.html.j2")
        assert len(laid) == 5  # the 目录's part alone
        longer = html("".join(f"<p>{n}、3</p>" for n in range(60)))
        module.render_pdf(longer, base_url=None, fonts=fonts, source_name="t.html.j2")
        assert len(laid) == 9  # the 目录 took two pages: every part after it starts a page later
    assert reused == plain
    module.render_pdf(second, base_url=None, fonts=fonts, source_name="t.html.j2")
    assert len(laid) == 13  # outside reusing_pieces nothing is kept


PEAK = """
import resource, sys
from pathlib import Path
from pilot_docs.render.fonts import FontConfig
from pilot_docs.render.parts import split_parts
from pilot_docs.render.typst import pdf_renderer
html = Path(sys.argv[1]).read_text(encoding="utf-8")
if sys.argv[2] == "longest":
    html = max(split_parts(html), key=len)
pdf_renderer(sys.argv[3])(html, base_url=None, fonts=FontConfig(None), source_name="volume")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB")
def test_a_long_document_takes_the_memory_of_its_longest_part(tmp_path: Path, pdf_engine: str) -> None:
    """Memory follows the longest part, not the document, with either engine: a province's volume laid out in a
    fresh process peaks within half as much again as its longest part laid out alone (Typst laying the whole
    volume out at once took 2.8 times as much; so did it when it kept each part's layouts in its memo cache)."""
    import subprocess

    from bench.province import write_province

    project = write_province(tmp_path / "province", 200, 40)
    build(project, tmp_path / "out", only=("volume",), formats=("html",))
    html = next((tmp_path / "out" / "summary").glob("*.html"))
    assert len(split_parts(html.read_text(encoding="utf-8"))) >= 6

    def peak(what: str) -> int:
        done = subprocess.run([sys.executable, "-c", PEAK, str(html), what, pdf_engine], capture_output=True,
                              text=True, check=True, cwd=REPO)
        return int(done.stdout.split()[-1])

    whole, longest = peak("whole"), peak("longest")
    assert whole < 1.5 * longest, (whole, longest)


def test_joining_parts_lets_each_part_go_once_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    """pypdf keeps every reader it copied from alive: a province's volume held its parts' objects twice until its
    PDF was written. The join lets each part's reader go once its pages are copied (its first part's aside, kept
    for the metadata), and the PDF is the same."""
    import gc
    import weakref

    from pypdf import PdfReader, PdfWriter

    from pilot_docs.render import parts
    from tests.render_fixtures import letter_pdf

    readers: list = []
    alive_at_append: list[int] = []
    init, append = PdfReader.__init__, PdfWriter.append

    def tracked_init(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        readers.append(weakref.ref(self))

    def counted_append(self, *args, **kwargs):
        gc.collect()
        alive_at_append.append(sum(r() is not None for r in readers))
        return append(self, *args, **kwargs)

    monkeypatch.setattr(PdfReader, "__init__", tracked_init)
    monkeypatch.setattr(PdfWriter, "append", counted_append)
    pdf = letter_pdf()
    joined = parts.join_pdfs([pdf] * 6, [("一", 1, 1)])
    assert alive_at_append == [2] * 6  # the first part's, and the one being copied
    assert len(PdfReader(io.BytesIO(joined)).pages) == 6 * len(PdfReader(io.BytesIO(pdf)).pages)
