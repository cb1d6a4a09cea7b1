"""The table's columns by role: a header is recognised from the words it is made of, not from a closed list."""

from __future__ import annotations

import re

# The names offices use most; a header equal to one of them (whitespace and a trailing bracketed remark aside)
# has that role whatever the word rules below say.
TABLE_HEADERS: dict[str, tuple[str, ...]] = {
    "no": ("序号", "编号"),
    "task": ("工作任务", "重点任务", "主要任务", "项目名称", "民生实事", "专项整治行业名称"),
    "content": ("工作内容", "具体要求", "主要内容", "具体措施", "目标任务", "工作措施", "具体内容"),
    "units": ("责任单位", "责任科室", "责任部门"),
    "lead": ("牵头单位", "牵头责任单位", "主要责任单位", "牵头部门"),
    "partners": ("配合单位", "协同配合单位", "协办单位", "配合部门"),
    "deadline": ("完成时间", "完成时限", "时限要求", "时间安排", "完成期限", "时间节点"),
}

# The role names of the reader (left) and of the model's JSON and pilot-docs.toml [source] columns (right).
ROLE_NAMES = {"no": "number", "task": "task", "content": "content", "units": "units", "lead": "lead",
              "partners": "partners", "deadline": "deadline", "people": "people", "remarks": "remarks",
              "extra": "extra", "group": "group"}
READER_ROLE = {v: k for k, v in ROLE_NAMES.items()}

# Word rules, checked in this order: a header that names a role's modifier (牵头, 配合, 领导) has that role even
# when it also ends in 单位; otherwise the last role word in the header decides (工作目标 is content, 任务内容 is
# content, 任务完成时间 is a deadline): Chinese compounds put the head last.
_NUMBER = re.compile(r"^(序号|编号|序|号|项次|NO\.?|No\.?|no\.?)$")
_FIRST = (
    ("remarks", re.compile(r"^(备注|说明|备考)")),
    ("people", re.compile(r"^(.{0,2}领导|.*(责任|分管|牵头|联系|负责|包案|挂钩|包抓)(市|区|县)?领导(同志)?|"
                          r".*(责任人|联系人|负责人|经办人|分管领导)(及.*)?)$")),
    ("partners", re.compile(r"配合|协同|协办|参与|协助|参加|共同责任")),
    ("lead", re.compile(r"牵头|主要责任|主责|主办|主体责任")),
    ("group", re.compile(r"(领域|板块|类别|方面|篇章|分类|大类)$")),
    # 完成情况 / 进展情况: what a progress report says was done, kept as typed (its dates are not deadlines)
    ("extra", re.compile(r"(情况|进展)$")),
)
_HEADS = (
    ("units", re.compile(r"单位|部门|科室|股室|处室|责任主体|承办|责任分工|实施主体|主体")),
    ("deadline", re.compile(r"时限|时间|期限|节点|进度|日期|时序|完成时")),
    ("content", re.compile(r"内容|措施|要求|目标|指标|举措|标准|路径|做法|成效")),
    ("task", re.compile(r"任务|事项|项目|名称|实事|工作|重点|问题")),
)


def normalize_header(text: str) -> str:
    """A header without whitespace and without a trailing bracketed remark (完成时间（截止日期） → 完成时间)."""
    text = "".join(text.split())
    return re.sub(r"[（(].*?[）)]$", "", text) or text


def header_role(text: str) -> str | None:
    """The reader's role for a header ('no', 'task', 'content', 'units', 'lead', 'partners', 'deadline',
    'people', 'remarks', 'group'), or None when its words name none."""
    name = normalize_header(text)
    if not name or len(name) > 16:
        return None  # a sentence, not a header
    for role, names in TABLE_HEADERS.items():
        if name in names:
            return role
    if _NUMBER.match(name):
        return "no"
    for role, words in _FIRST:
        if words.search(name):
            if role == "people" and re.search(r"单位|部门|科室|处室", name):
                return "units"  # 责任单位及责任人: the units, whoever signs for them
            return role
    best: tuple[int, str] | None = None
    for role, words in _HEADS:
        for m in words.finditer(name):
            if best is None or m.end() > best[0]:
                best = (m.end(), role)
    return best[1] if best else None


_UNIT_END = re.compile(r"(局|委|办|厅|部|院|署|会|政府|中心|公司|队|站|所|处|科|室|股|镇|乡|街道|管委会|集团|社|行|馆|团)"
                       r"([（(][^）)]*[）)])?$")
_DATEISH = re.compile(r"\d+\s*月|年底|年内|季度|半年|持续|长期|每月|每年|\d{4}[-./年]")


def looks_like(values: list[str]) -> str | None:
    """The role that the cells of an unnamed column hold: 'units' when most are lists of agencies, 'deadline'
    when most name dates, else None."""
    values = [v for v in values if v]
    if len(values) < 1:
        return None
    unitish = sum(1 for v in values if len(v) <= 120 and all(
        _UNIT_END.search(p.strip("。.；;，, ")) for p in re.split(r"[、，,；;\n\s]+", v) if p.strip("。.；;，, ")))
    if unitish * 3 >= len(values) * 2:
        return "units"
    dated = sum(1 for v in values if len(v) <= 60 and _DATEISH.search(v))
    if dated * 3 >= len(values) * 2:
        return "deadline"
    return None
