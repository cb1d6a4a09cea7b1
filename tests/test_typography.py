"""Chinese typography in rendered text."""

from __future__ import annotations

import datetime as dt

import pytest

from pilot_docs.documents.typography import cn_date, cn_list, cn_text, doc_number


@pytest.mark.parametrize("raw,expected", [
    ("指挥中心,明确职责,完善制度。", "指挥中心，明确职责，完善制度。"),
    ("市司法局(普法办)", "市司法局（普法办）"),
    ("(一)加强领导,周密部署。", "（一）加强领导，周密部署。"),
    ("实行24小时值班;\n强化统计", "实行24小时值班；\n强化统计"),
    ("注意:按时报送", "注意：按时报送"),
    ("共1,000人,8:30开会", "共1,000人，8:30开会"),
    ("English text, (as is)", "English text, (as is)"),
    ("研究制定(含《规定》(试行))", "研究制定（含《规定》（试行））"),
    ("{{ 7*7 }}", "{{ 7*7 }}"),
])
def test_cn_text(raw: str, expected: str) -> None:
    assert cn_text(raw) == expected


def test_doc_number_and_dates() -> None:
    assert doc_number("江安委[2009]5号") == "江安委〔2009〕5号"
    assert doc_number("江安委（2009）5号") == "江安委〔2009〕5号"
    assert doc_number("江安委〔2009〕5号") == "江安委〔2009〕5号"
    assert cn_date(dt.date(2009, 6, 30)) == "2009年6月30日"
    assert cn_date(dt.date(2009, 1, 5)) == "2009年1月5日"


def test_lists_set_off_names_with_a_dunhao() -> None:
    assert cn_list(["市经贸局", "市安监局"]) == "市经贸局、市安监局"
    assert cn_list(["市安监局", "各市、区人民政府", "市公安局"]) == "市安监局，各市、区人民政府，市公安局"
