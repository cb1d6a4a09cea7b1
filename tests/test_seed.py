"""The canonical 2009 Jiangmen workbook reads to exactly what the seed document says."""

from __future__ import annotations

import json
import re

import pytest

from pilot_docs.source.project import find_project, load_model
from pilot_docs.source.units import split_units
from tests.helpers import REPO, run_cli

SEED = REPO / "tests" / "fixtures" / "jiangmen-2009-pilot-annex.txt"
COUNTIES = ["蓬江区人民政府", "江海区人民政府", "新会区人民政府", "台山市人民政府", "开平市人民政府",
            "鹤山市人民政府", "恩平市人民政府"]


def seed_rows() -> list[dict]:
    """The annex table of the seed text, parsed independently of the reader: one dict per work item."""
    text = SEED.read_text(encoding="utf-8").split("完成时间\n|\n", 1)[1]
    items, task, title, deadline = [], 0, "", ""
    for row in text.strip().split("\n|\n"):
        cells = [c.strip() for c in re.split(r"\n\| ", row.strip().rstrip("|").strip())]
        if len(cells) == 5:
            task, title = int(cells[0]), cells[1].replace("\n", "")  # mend the line break inside task names
            cells = cells[2:]
        if len(cells) == 3:
            deadline = cells[2]
        items.append({"task": task, "title": title, "content": cells[0], "units": cells[1], "deadline": deadline})
    return items


@pytest.fixture(scope="module")
def model():
    return load_model(find_project(REPO))[0]


def test_nine_tasks_sixteen_items(model) -> None:
    assert len(model.tasks) == 9
    assert [t.no for t in model.tasks] == list(range(1, 10))
    assert [len(t.items) for t in model.tasks] == [3, 1, 1, 1, 2, 1, 3, 3, 1]
    assert [i.id for i in model.items()][:4] == ["1.1", "1.2", "1.3", "2.1"]


def test_every_item_says_what_the_seed_says(model) -> None:
    expected = seed_rows()
    items = model.items()
    assert len(expected) == len(items) == 16
    by_task = {t.no: t for t in model.tasks}
    for want, item in zip(expected, items):
        task = by_task[int(item.id.split(".")[0])]
        assert task.no == want["task"]
        assert task.title == want["title"]
        assert item.content == want["content"]
        assert item.deadline.text == want["deadline"]
        # units as written: the seed's own separators, every name kept in order
        assert item.units == split_units(want["units"], ["各市、区人民政府"])


def test_units_and_dates(model) -> None:
    first = model.item("1.1")
    assert first.units == ["市编办", "市安监局", "市财政局"]
    assert first.deadline.to_json() == {"text": "上半年前", "date": "2009-06-30", "kind": "by"}
    assert model.item("1.2").units == ["各市、区人民政府"]
    assert model.item("1.3").deadline.date.isoformat() == "2009-12-31"  # merged 年底前 shared with 1.2
    assert model.item("2.1").units[-1] == "市司法局(普法办)"
    assert model.item("6.1").units[-2:] == ["市水利局(市三防指挥部)", "市科技局(市地震办)"]
    assert model.item("9.1").units[-1] == "各市、区人民政府"
    assert {i.deadline.date.isoformat() for i in model.items() if i.deadline.text == "10月"} == {"2009-10-31"}


def test_agencies(model) -> None:
    names = [a.name for a in model.agencies]
    assert len(names) == 41 and len(set(names)) == 41
    assert model.agency("市安监局").items == ["1.1", "1.3", "2.1", "3.1", "4.1", "5.1", "6.1", "7.1", "7.2",
                                              "7.3", "8.1", "8.2", "8.3", "9.1"]
    assert model.agency("市安监局").full_name == "江门市安全生产监督管理局"
    for county in COUNTIES:
        assert model.agency(county).items == ["1.2", "4.1", "5.2", "7.1", "7.3", "8.1", "8.2", "9.1"]
        assert model.agency(county).groups == ["各市、区人民政府"]
    # aliases merged: 市水利局(市三防指挥部) in 6.1 and 市水利局 in 7.3 are one agency
    assert model.agency("市水利局").items == ["6.1", "7.3"]
    assert model.agency("市科技局").items == ["6.1", "7.3"]
    assert "市水利局(市三防指挥部)" not in names and "各市、区人民政府" not in names
    assert len([n for n in names if n not in COUNTIES]) == 34


def test_check_passes_and_json(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("check")
    assert result.exit_code == 0, result.output
    assert "9 tasks, 16 work items, 41 agencies" in result.output
    result = run_cli("check", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["plan"]["year"] == 2009
    assert data["plan"]["issuer"] == "江门市安全生产委员会"
    assert len(data["plan"]["leadership"]) == 5
    assert data["tasks"][0]["title"] == "推进安全生产应急指挥机构建设"
    assert data["tasks"][0]["items"][0]["units"] == ["市编办", "市安监局", "市财政局"]
    assert data["tasks"][1]["title"] == "加强安全生产应急管理法规建设"
    agency = next(a for a in data["agencies"] if a["name"] == "市安监局")
    assert agency["full_name"] == "江门市安全生产监督管理局" and len(agency["items"]) == 14


def test_check_on_the_workbook_file_alone() -> None:
    result = run_cli("check", "--source", str(REPO / "source" / "任务分解表.xlsx"), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["plan"]["year"] == 2009
