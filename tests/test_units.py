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
