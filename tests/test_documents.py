"""What each document says: the annex and the letters, as plain data."""

from __future__ import annotations

from pathlib import Path

from pilot_docs.documents.annex import annex
from pilot_docs.documents.common import cn_ordinal
from pilot_docs.documents.kinds import Inputs, kind
from pilot_docs.documents.letter import letter
from pilot_docs.render.templating import environment, render_template
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO, write_workbook

COUNTIES = ["蓬江区人民政府", "江海区人民政府", "新会区人民政府", "台山市人民政府", "开平市人民政府",
            "鹤山市人民政府", "恩平市人民政府"]


def seed_model():
    return load_model(find_project(REPO))[0]


def test_one_annex_and_41_letters() -> None:
    docs = [d for k in ("annex", "letter") for d in kind(k).documents(Inputs(seed_model(), {}))]
    assert [d.kind for d in docs].count("annex") == 1
    assert [d.kind for d in docs].count("letter") == 41


def test_letter_lists_the_agency_items_grouped_by_task() -> None:
    model = seed_model()
    doc = letter(model, model.agency("市安监局"))
    ids = [i["id"] for t in doc.context["tasks"] for i in t["work_items"]]
    assert ids == ["1.1", "1.3", "2.1", "3.1", "4.1", "5.1", "6.1", "7.1", "7.2", "7.3", "8.1", "8.2", "8.3", "9.1"]
    html = render_template(environment(None), doc.template, doc.context)
    assert doc.context["count"] == 14 and "14项工作任务" in html
    assert "为贯彻落实《2009年江门市开展全国安全生产应急管理综合试点工作方案》，确保各项任务按时完成" in html
    assert doc.context["recipient"] == "江门市安全生产监督管理局"
    first = doc.context["tasks"][0]["work_items"][0]
    assert first["deadline"] == "上半年前（2009年6月30日前）"
    assert first["others"] == "市编办、市财政局"
    assert first["content"] == [("市本级要建成安全生产应急救援指挥中心，明确应急管理工作职责，完善工作制度，"
                                "具备应急救援工作需要的反应速度以及处置能力。")]
    assert doc.context["plan"]["doc_number"] == "江安委〔2009〕5号"
    assert doc.context["plan"]["leadership"][0]["heading"] == "加强领导，周密部署。"


def test_county_letters_have_eight_items_and_omit_their_own_group() -> None:
    model = seed_model()
    for county in COUNTIES:
        doc = letter(model, model.agency(county))
        items = [i for t in doc.context["tasks"] for i in t["work_items"]]
        assert len(items) == 8
        assert all("各市、区人民政府" not in i["others"] for i in items)
    water = letter(model, model.agency("市水利局"))
    item = water.context["tasks"][0]["work_items"][0]
    assert "市水利局" not in item["others"]  # 市水利局(市三防指挥部) is this agency


def test_lead_and_partner_roles(tmp_path: Path) -> None:
    rows = [["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
            [1, "任务", "内容", "市安监局", "市公安局、市财政局", "持续推进"]]
    model, _ = load_model(find_project(write_workbook(tmp_path / "t.xlsx", {"S": rows})), 2009)
    lead = letter(model, model.agency("市安监局")).context["tasks"][0]["work_items"][0]
    partner = letter(model, model.agency("市公安局")).context["tasks"][0]["work_items"][0]
    assert (lead["role"], lead["lead"], lead["deadline"]) == ("牵头", "", "持续推进")
    # the lead is named once, as the lead: not again among the units sharing the item
    assert (partner["role"], partner["lead"], partner["others"]) == ("配合", "市安监局", "市财政局")
    assert (lead["partners"], lead["others"]) == ("市公安局、市财政局", "")


def test_annex_merges_shared_deadlines() -> None:
    doc = annex(seed_model())
    task1 = doc.context["tasks"][0]["work_items"]
    assert [(i["deadline"], i["deadline_rows"], i["deadline_shared"]) for i in task1] == [
        ("上半年前", 1, False), ("年底前", 2, False), ("年底前", 1, True)]
    task8 = doc.context["tasks"][7]["work_items"]
    assert task8[0]["deadline_rows"] == 3
    assert doc.landscape


def test_cn_ordinal() -> None:
    assert [cn_ordinal(n) for n in (1, 9, 10, 11, 20, 21)] == ["一", "九", "十", "十一", "二十", "二十一"]
    # a province table has hundreds of tasks
    assert [cn_ordinal(n) for n in (99, 100, 101, 110, 115, 250, 1000, 1001, 1010, 2003, 10000, 10010, 123456)] == [
        "九十九", "一百", "一百零一", "一百一十", "一百一十五", "二百五十", "一千", "一千零一", "一千零一十", "二千零三",
        "一万", "一万零一十", "十二万三千四百五十六"]
