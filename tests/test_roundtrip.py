"""Property: any model written to a workbook the way offices lay it out reads back as the same model."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pilot_docs.source.project import find_project, load_model
from tests.helpers import HEADER, registry_sheets

UNITS = ["市安监局", "市公安局", "市财政局", "市水利局(市三防指挥部)", "江门海事局", "各市、区人民政府",
         "市司法局(普法办)", "市委宣传部"]
REGISTRY = registry_sheets(["市安监局", "市公安局", "市财政局", ("市水利局", "江门市水利局", "市水利局(市三防指挥部)"),
                            "江门海事局", ("市司法局", "江门市司法局", "市司法局(普法办)"), "市委宣传部",
                            "蓬江区人民政府", "江海区人民政府"],
                           {"各市、区人民政府": ["蓬江区人民政府", "江海区人民政府"]})
DEADLINES = ["上半年前", "年底前", "10月", "6月底前", "持续推进", "每季度", dt.date(2009, 9, 15), None]
SEPARATORS = ["、", "，", ",", "；", "\n", " "]

line = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80) | st.sampled_from(list("，。；、0123456789abc{}%<>&\"'")),
               min_size=1, max_size=30).filter(lambda s: s.strip() == s and s[0] not in "注备说")
content = st.lists(line, min_size=1, max_size=3).map("\n".join)
item = st.fixed_dictionaries({
    "content": content,
    "units": st.lists(st.sampled_from(UNITS), min_size=1, max_size=4, unique=True),
    "sep": st.sampled_from(SEPARATORS),
    "deadline": st.sampled_from(DEADLINES),
    "merge_deadline": st.booleans(),
})
task = st.fixed_dictionaries({"title": line, "items": st.lists(item, min_size=1, max_size=4),
                              "merged": st.booleans()})
plan = st.lists(task, min_size=1, max_size=5, unique_by=lambda t: t["title"])


def write(path: Path, tasks: list[dict]) -> list[dict]:
    """Lay the tasks out as an office would; returns the expected items (deadline after sharing)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(["2009年测试任务分解表"])
    ws.merge_cells("A1:E1")
    ws.append(HEADER)
    expected = []
    r = 3
    for no, t in enumerate(tasks, 1):
        first = r
        shared_from = None
        previous = None
        for k, it in enumerate(t["items"]):
            ws.cell(r, 3, it["content"])
            ws.cell(r, 4, it["sep"].join(it["units"]))
            deadline = it["deadline"]
            if k > 0 and it["merge_deadline"] and previous is not None:
                deadline = previous  # shares the cell above: merged, or left blank
                shared_from = shared_from or r - 1
            else:
                if shared_from is not None and shared_from < r - 1:
                    ws.merge_cells(start_row=shared_from, start_column=5, end_row=r - 1, end_column=5)
                shared_from = None
                if deadline is not None:
                    ws.cell(r, 5, deadline)
                elif previous is not None:
                    deadline = previous  # a blank under a value in the same task is "same as above"
            previous = deadline
            expected.append({"id": f"{no}.{k + 1}", "content": it["content"], "units": it["units"],
                             "deadline": deadline})
            r += 1
        if shared_from is not None and shared_from < r - 1 and t["merged"]:
            ws.merge_cells(start_row=shared_from, start_column=5, end_row=r - 1, end_column=5)
        ws.cell(first, 1, no)
        ws.cell(first, 2, t["title"])
        if t["merged"] and r - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
            ws.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
    for name, rows in REGISTRY.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)
    return expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan)
def test_written_model_reads_back(tasks: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        expected = write(path, tasks)
        model, _ = load_model(find_project(path), 2009)
    assert [(t.no, t.title) for t in model.tasks] == [(n, t["title"]) for n, t in enumerate(tasks, 1)]
    got = model.items()
    assert [i.id for i in got] == [e["id"] for e in expected]
    for item, want in zip(got, expected):
        assert item.content == want["content"]
        assert item.units == want["units"]
        deadline = want["deadline"]
        if isinstance(deadline, dt.date):
            assert item.deadline.date == deadline
        else:
            assert item.deadline.text == (deadline or "")
