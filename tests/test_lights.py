"""Each item's light (red overdue, yellow due soon, green done) in the progress report — PDF and DOCX — its
charts and index.html, on the seed's sample ledger as of 2009-11-01 (issue 15, item 4)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document as Docx
from PIL import Image
from pypdf import PdfReader

from pilot_docs.build.pipeline import build
from pilot_docs.documents.charts import COLORS, Bar, bar_chart
from pilot_docs.documents.progress import GREEN, RED, YELLOW, light_of
from pilot_docs.render import render_docx
from pilot_docs.render.fonts import FontConfig
from pilot_docs.render.typst import ENGINES
from pilot_docs.render.vocabulary import HEITI, LIGHT_COLORS
from tests.helpers import REPO

# The sample ledger as of 2009-11-01: these items are past their deadline and not done by all their units.
OVERDUE = ["1.1", "2.1", "3.1", "6.1", "7.1", "7.2", "8.1", "8.2", "8.3", "9.1"]
STEM = "进度通报-2009-11-01"


@pytest.fixture(scope="module", params=ENGINES)
def site(tmp_path_factory, request: pytest.FixtureRequest) -> Path:
    """The report and overview as of 2009-11-01, with each PDF engine."""
    out = tmp_path_factory.mktemp("lights")
    build(REPO, out, only=("progress", "index"), as_of=dt.date(2009, 11, 1), pdf_engine=request.param)
    return out


def test_light_of_an_item() -> None:
    assert light_of(done=True, overdue=False, at_risk=False) == GREEN
    assert light_of(done=False, overdue=True, at_risk=False) == RED
    assert light_of(done=False, overdue=False, at_risk=True) == YELLOW
    assert light_of(done=False, overdue=False, at_risk=False) is None


def _light_rows(doc) -> dict[str, tuple[str, set[str]]]:
    """The attachment's table: item id → (the 状态 cell's text, the colours of its runs)."""
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "状态")
    assert [c.text for c in table.rows[0].cells] == ["编号", "工作内容", "完成时间", "完成单位", "状态"]
    rows = {}
    for row in table.rows[1:]:
        cell = row.cells[-1]
        colours = {str(r.font.color.rgb) for p in cell.paragraphs for r in p.runs if r.font.color.rgb is not None}
        rows[row.cells[0].text] = (cell.text, colours)
    return rows


def test_docx_overdue_items_are_red_runs(site: Path) -> None:
    doc = Docx(str(site / "reports" / f"{STEM}.docx"))
    assert [r.cells[0].text for r in doc.tables[2].rows][1:] == OVERDUE  # the report's own overdue table
    rows = _light_rows(doc)
    assert len(rows) == 16
    for item, (text, colours) in rows.items():
        if item in OVERDUE:
            assert (text, colours) == ("●逾期", {LIGHT_COLORS["red"]}), item
        else:  # on the sample ledger nothing else is done or due within 30 days
            assert (text, colours) == ("未到期", set()), item
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "●逾期10项，●临期0项，●已完成0项；临期指30日内到期且未完成。" in body
    assert "附件：各项工作内容进展情况" in body


def _pdf_lights(pdf: Path) -> tuple[list[tuple[str, tuple]], str]:
    """The attachment's lights as drawn, in order, each with its fill colour; and the attachment's text."""
    found: list[tuple[str, tuple]] = []
    words: list[str] = []
    state: dict[str, object] = {"fill": (0.0, 0.0, 0.0), "attachment": False}

    def before(op, args, cm, tm) -> None:
        # WeasyPrint sets an RGB fill with rg, Typst with scn in its sRGB colour space (one operand: its grey)
        if op in (b"rg", b"sc", b"scn") and len(args) in (1, 3):
            state["fill"] = tuple(round(float(a), 3) for a in args) * (3 if len(args) == 1 else 1)

    def text(piece, cm, tm, font, size) -> None:
        if piece.strip() == "各项工作内容进展情况":
            state["attachment"] = True
        elif state["attachment"]:
            words.append(piece)
            if piece.strip().startswith("●"):
                found.append((piece.strip(), state["fill"]))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found, "".join(words)


def test_pdf_overdue_items_are_drawn_red(site: Path) -> None:
    found, text = _pdf_lights(site / "reports" / f"{STEM}.pdf")
    rgb = {name: tuple(round(int(hex_[i:i + 2], 16) / 255, 3) for i in (0, 2, 4))
           for name, hex_ in LIGHT_COLORS.items()}
    assert rgb["red"] == (0.753, 0.0, 0.0)
    # the summary line's three, then one red light per overdue row (the DOCX test ties each to its row)
    assert found == [("●逾期", rgb["red"]), ("●临期", rgb["yellow"]), ("●已完成", rgb["green"])] \
        + [("●逾期", rgb["red"])] * len(OVERDUE)
    assert text.count("未到期") == 16 - len(OVERDUE)


def test_index_shows_each_items_light(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    table = html.split('<table id="items">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>([\d.]+)</td>.*?</tr>", table, flags=re.DOTALL)
    assert len(rows) == 16
    red = re.findall(r'<tr><td>([\d.]+)</td>(?:(?!</tr>).)*<span class="light red">●逾期</span>', table, flags=re.DOTALL)
    assert red == OVERDUE
    assert ".light.red { color: #c00000; }" in html


def test_chart_bars_in_the_lights_colours() -> None:
    face = FontConfig().faces(HEITI)[0]
    png = bar_chart([Bar("甲", 10, 2, 3, 4), Bar("乙", 4, 0, 0, 0)], face.path, face.index)
    colours = {c for _, c in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20)}
    for key, light in (("done", "green"), ("overdue", "red"), ("at_risk", "yellow")):
        assert COLORS[key] == tuple(int(LIGHT_COLORS[light][i:i + 2], 16) for i in (0, 2, 4))
        assert COLORS[key] in colours, key
    # a bar with nothing due soon has no amber: only the legend's swatch is
    swatch = _count(bar_chart([Bar("乙", 4, 1, 1, 0)], face.path, face.index), COLORS["at_risk"])
    assert 0 < swatch < _count(bar_chart([Bar("乙", 4, 1, 1, 2)], face.path, face.index), COLORS["at_risk"]) / 5


def _count(png: bytes, colour: tuple[int, int, int]) -> int:
    counts = Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 24) or []
    return sum(n for n, c in counts if c == colour)


LIGHT_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>
<p>状态：<span class="{cls}">●逾期</span>。</p></body></html>"""


def test_docx_light_is_a_coloured_run() -> None:
    data = render_docx(LIGHT_HTML.format(cls="light green"), source_name="t.html")
    runs = [r for p in Docx(io.BytesIO(data)).paragraphs for r in p.runs]
    coloured = [(r.text, str(r.font.color.rgb)) for r in runs if r.font.color.rgb is not None]
    assert coloured == [("●逾期", LIGHT_COLORS["green"])]
