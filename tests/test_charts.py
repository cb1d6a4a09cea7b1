"""Charts stay within a page however long the table, and messages never print data."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from pathlib import Path

from PIL import Image

from pilot_docs.build import build
from pilot_docs.documents.charts import MAX_BARS, MAX_PIXELS, Bar, bar_chart, bounded
from pilot_docs.errors import PilotDocsError
from pilot_docs.render.fonts import FontConfig
from pilot_docs.render.vocabulary import HEITI
from tests.helpers import HEADER, write_workbook


def test_many_bars_are_bounded_keeping_the_most_overdue() -> None:
    bars = [Bar(f"任务{i}", 10, i % 7, 1 if i % 100 == 0 else 0) for i in range(5000)]
    shown, summed = bounded(bars)
    assert len(shown) == MAX_BARS and summed == 5000 - (MAX_BARS - 1)
    assert sum(1 for b in shown[:-1] if b.overdue) == MAX_BARS - 1  # the 50 overdue ones come first (44 shown)
    assert shown[-1].label == f"其他{summed}项"
    assert sum(b.total for b in shown) == 50_000 and sum(b.done for b in shown) == sum(b.done for b in bars)
    face = FontConfig().faces(HEITI)[0]
    image = Image.open(io.BytesIO(bar_chart(bars, face.path, face.index)))
    assert image.width <= MAX_PIXELS[0] and image.height <= MAX_PIXELS[1]
    assert bounded(bars[:MAX_BARS]) == (bars[:MAX_BARS], 0)  # a chart that fits is drawn as before


def test_a_table_of_many_one_item_tasks_gets_a_chart_of_one_page(tmp_path: Path) -> None:
    rows = [HEADER] + [[n, f"任务{n}", f"内容{n}", f"单位{n % 60}", "6月底前"] for n in range(1, 301)]
    write_workbook(tmp_path / "source" / "t.xlsx", {"S": rows})
    result = build(tmp_path, tmp_path / "build", only=("progress",), formats=("html",), year=2024,
                   as_of=dt.date(2024, 7, 1))
    html = (tmp_path / "build" / result.outputs[0].path).read_text(encoding="utf-8")
    images = [Image.open(io.BytesIO(base64.b64decode(src))) for src in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]
    assert len(images) == 2 and all(i.height <= MAX_PIXELS[1] for i in images)
    assert "其余256项合并" in html and "其余16个合并" in html


def test_messages_never_print_data() -> None:
    data = "data:image/png;base64," + "A" * 5_000_000
    message = str(PilotDocsError(f"cannot draw {data} here"))
    assert len(message) < 200 and "5,000,022 characters" in message
