"""责任单位 cells split into names the way offices type them."""

from __future__ import annotations

import pytest

from pilot_docs.source.units import role_mark, split_units


@pytest.mark.parametrize("text,protected,expected", [
    ("市编办、市安监局、市财政局", [], ["市编办", "市安监局", "市财政局"]),
    ("市安监局，市公安局,市财政局；市水利局;市林业局", [], ["市安监局", "市公安局", "市财政局", "市水利局", "市林业局"]),
    ("市安监局 市公安局\n市财政局", [], ["市安监局", "市公安局", "市财政局"]),
    ("市经贸局、市安监局,各市、区人民政府", [], ["市经贸局", "市安监局", "各市、区人民政府"]),
    ("各县、市、区人民政府、市安监局", [], ["各县、市、区人民政府", "市安监局"]),
    ("市司法局（普法办、法制办）、市安监局", [], ["市司法局（普法办、法制办）", "市安监局"]),
    ("市水利局(市三防指挥部)、市科技局(市地震办)", [], ["市水利局(市三防指挥部)", "市科技局(市地震办)"]),
    ("甲、乙单位、丙", ["甲、乙单位"], ["甲、乙单位", "丙"]),
    ("  市安监局  ", [], ["市安监局"]),
    ("", [], []),
])
def test_split(text, protected, expected) -> None:
    assert split_units(text, protected) == expected


def test_registered_name_matches_either_bracket_width() -> None:
    assert split_units("市司法局（普法、法制）、市安监局", ["市司法局(普法、法制)"]) == ["市司法局（普法、法制）", "市安监局"]


def test_role_marks() -> None:
    assert role_mark("市安监局（牵头）") == ("市安监局", "lead")
    assert role_mark("市公安局(配合)") == ("市公安局", "partner")
    assert role_mark("市公安局") == ("市公安局", None)


def test_cell_notes_and_units_joined_by_and() -> None:
    from pilot_docs.source.units import cell_notes, split_and

    notes = cell_notes("市经信局、市税务局（列第一位者为工作牵头单位或汇总单位，下同）")
    assert (notes.text, notes.lead_first, notes.standing) == ("市经信局、市税务局", True, True)
    notes = cell_notes("省发展改革委、商务厅按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。")
    assert notes.text == "省发展改革委、商务厅。" and notes.shared and not notes.lead_first
    notes = cell_notes("州司法局、各县市人民政府，6月底完成")
    assert notes.deadline == "6月底完成" and "6月" not in notes.text
    assert cell_notes("市教育局（牵头）").text == "市教育局（牵头）"  # a role mark is not a note
    assert split_and("州委编办及州直相关单位") == ["州委编办", "州直相关单位"]
    assert split_and("市场监管及食品安全") == ["市场监管及食品安全"]  # not two unit names
