"""Write source/任务分解表.xlsx: the 2009 Jiangmen table transcribed from shared/seed, laid out as an office types it.

Kept for provenance: the workbook in source/ is the canonical data, edited in Excel from now on. This script
records how it was first transcribed (merged 序号/工作任务 cells, shared 完成时间 merged over consecutive items,
multi-clause contents as multi-line cells) and can recreate it. Text is kept as the seed writes it, half-width
commas and brackets included; only line breaks inside task names (a layout artefact) are mended.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

PREF = "市安监局、市公安局、市建设局、江门海事局、市质监局、市教育局、市文广新局、市农业局、市旅游局、市海洋渔业局、市卫生局、市交通局、市工商局、市国土资源局"
TITLE = "2009年江门市开展全国安全生产应急管理综合试点工作任务责任分解表"
# (序号, 工作任务, [(工作内容, 责任单位, 完成时间 or None when shared with the item above)])
TASKS = [
    (1, "推进安全生产应急指挥机构建设", [
        ("市本级要建成安全生产应急救援指挥中心,明确应急管理工作职责,完善工作制度,具备应急救援工作需要的反应速度以及处置能力。",
         "市编办、市安监局、市财政局", "上半年前"),
        ("各市、区抓紧成立、完善安全生产应急指挥机构,确保“机构、职责、编制、人员、经费”五落实。", "各市、区人民政府", "年底前"),
        ("负有安全监管职责的相关部门明确专门机构和人员负责相应行业、领域的安全生产监管工作。", PREF + "、市气象局", None),
    ]),
    (2, "加强安全生产应急管理法规建设", [
        (("搜集、汇编安全生产应急管理规章及规范性文件,建立健全处置安全生产应急管理工作的典型案例库和法规库;\n"
         "加强安全生产应急管理普法、执法工作。"), "市安监局、市法制局、市司法局(普法办)", "10月"),
    ]),
    (3, "加快形成涵盖重点行业领域的安全生产应急救援队伍体系", [
        (("建设一批救援能力涵盖矿山、危险化学品、民用爆炸品、道路交通、水上交通、建设施工、特种设备、电力、通信、旅游、供水、供气等重点行业领域的安全生产专业救援队伍;\n"
         "组织开展矿山、危化品和其他救援队伍质量标准化建设;\n建立专业救援队伍数据库,实现资源整合。"),
         "市安监局、市公安局、市经贸局、市公安消防局、市公安交管局、市交通局、市建设局、市市政局、市房产局、市质监局、市信息产业局、市卫生局、江门海事局、市旅游局、江门供电局",
         "10月"),
    ]),
    (4, "推进安全生产应急救援物资装备建设", [
        (("依托应急物资储备联席会议制度,统筹应急物资的使用调配;\n建成1个安全生产应急装备、物资仓库;\n"
         "探索建立社会化保障体系,逐步统一建立生产能力储备体系;\n整合实物储备信息资源,建立高效调运机制。"),
         "市经贸局、市发展改革局、市财政局、市安监局,各市、区人民政府", "年底前"),
    ]),
    (5, "推进安全生产应急救援指挥平台建设", [
        ("市本级安全生产应急救援指挥平台进入实质性的建设施工阶段。", "市安监局、市信息产业局、市财政局", "年底前"),
        ("各市、区要加快推进安全生产应急管理救援指挥平台建设。", "各市、区人民政府", None),
    ]),
    (6, "建立健全安全生产事故应急管理工作机制", [
        (("研究制定出台《江门市安全生产应急管理部门职责》等相关规定,明确各相关部门在事故预防和应急处置中的职责、权限、分工和要求;\n"
         "建立、完善事故预防机制、安全生产事故隐患排查治理机制和应急处置协调联动机制;\n"
         "进一步健全可能引发安全生产事故的自然灾害信息预警机制。"),
         "市安监局、市气象局、市海洋渔业局、市林业局、市水利局(市三防指挥部)、市科技局(市地震办)", "10月"),
    ]),
    (7, "加强安全生产应急预案管理", [
        ("组织开展安全生产应急预案评估工作,修订完善政府、部门安全生产事故应急预案和专项预案,健全完善我市应急预案体系。",
         "各市、区人民政府,市安监局、市公安局、市建设局、江门海事局、市质监局、市教育局、市文广新局、市农业局、市旅游局、市海洋渔业局、市卫生局、市交通局、市工商局、市国土资源局、市气象局、市政府应急办",
         "10月"),
        ("规范预案编制、修订和执行工作,指导、督促企业编制修订应急预案。", PREF + "、市气象局、市政府应急办", None),
        ("各市、区组织不少于1次的跨部门、跨行业综合性演练,各部门开展预案演练原则上每年不少于1次;高危行业所有企业组织不少于1次预案演练。",
         "各市、区人民政府,市安监局、市建设局、市交通局、市水利局、市公安局、市卫生局、市科技局、市环保局、市农业局、市教育局、市旅游局、市文广新局、市工商局、市国土资源局、江门海事局、市质监局、市海洋渔业局、江门供电局、市公安消防局、市公安交管局、市政府应急办",
         "年底前"),
    ]),
    (8, "加强安全生产应急管理培训和宣传", [
        ("创新应急管理宣教模式,创建主流媒体等“应急管理”宣传教育栏目,并充实相关内容。",
         "市委宣传部、市文广新局、市安监局,各市、区人民政府", "10月"),
        ("拓宽应急管理培训途径,加强应急管理专业人才培养和对高危行业领域从业人员的技能培训。",
         "市委宣传部、市人事局、市安监局,各市、区人民政府", None),
        ("指导、督促生产经营单位组织从业人员学习应急自救知识及开展自救演练。", PREF + "、市气象局", None),
    ]),
    (9, "加强安全生产信息管理", [
        ("建立完善安全生产值班制度,实行24小时值班;\n强化安全生产应急管理有关信息的统计分析工作。",
         PREF + ",各市、区人民政府", "10月"),
    ]),
]
COUNTIES = [("蓬江区人民政府", "江门市蓬江区人民政府"), ("江海区人民政府", "江门市江海区人民政府"),
            ("新会区人民政府", "江门市新会区人民政府"), ("台山市人民政府", "台山市人民政府"),
            ("开平市人民政府", "开平市人民政府"), ("鹤山市人民政府", "鹤山市人民政府"),
            ("恩平市人民政府", "恩平市人民政府")]
# 简称, 全称, 别名 (one per line)
AGENCIES = [
    ("市编办", "江门市机构编制委员会办公室", ""), ("市安监局", "江门市安全生产监督管理局", ""),
    ("市财政局", "江门市财政局", ""), ("市公安局", "江门市公安局", ""), ("市建设局", "江门市建设局", ""),
    ("江门海事局", "中华人民共和国江门海事局", ""), ("市质监局", "江门市质量技术监督局", ""),
    ("市教育局", "江门市教育局", ""), ("市文广新局", "江门市文化广电新闻出版局", ""),
    ("市农业局", "江门市农业局", ""), ("市旅游局", "江门市旅游局", ""), ("市海洋渔业局", "江门市海洋与渔业局", ""),
    ("市卫生局", "江门市卫生局", ""), ("市交通局", "江门市交通局", ""), ("市工商局", "江门市工商行政管理局", ""),
    ("市国土资源局", "江门市国土资源局", ""), ("市气象局", "江门市气象局", ""),
    ("市法制局", "江门市人民政府法制局", ""), ("市司法局", "江门市司法局", "市司法局(普法办)"),
    ("市经贸局", "江门市经济贸易局", ""), ("市公安消防局", "江门市公安消防局", ""),
    ("市公安交管局", "江门市公安局交通管理局", ""), ("市市政局", "江门市市政管理局", ""),
    ("市房产局", "江门市房产管理局", ""), ("市信息产业局", "江门市信息产业局", ""),
    ("江门供电局", "广东电网公司江门供电局", ""), ("市发展改革局", "江门市发展和改革局", ""),
    ("市林业局", "江门市林业局", ""), ("市水利局", "江门市水利局", "市水利局(市三防指挥部)"),
    ("市科技局", "江门市科学技术局", "市科技局(市地震办)"), ("市政府应急办", "江门市人民政府应急管理办公室", ""),
    ("市环保局", "江门市环境保护局", ""), ("市委宣传部", "中共江门市委宣传部", ""), ("市人事局", "江门市人事局", ""),
]
GROUP = "各市、区人民政府"

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def build(path: Path) -> None:
    """Write the workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.merge_cells("A1:E1")
    ws["A1"] = TITLE
    ws["A1"].font = Font(name="方正小标宋简体", size=16)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 36
    for col, head in enumerate(["序号", "工作任务", "工作内容", "责任单位", "完成时间"], 1):
        cell = ws.cell(2, col, head)
        cell.font = Font(name="黑体", size=12)
        cell.alignment = CENTER
        cell.border = BOX
    row = 3
    for no, title, items in TASKS:
        first = row
        deadline_row = row
        for content, units, deadline in items:
            ws.cell(row, 3, content)
            ws.cell(row, 4, units)
            if deadline is not None:
                if row - 1 > deadline_row:
                    ws.merge_cells(start_row=deadline_row, start_column=5, end_row=row - 1, end_column=5)
                ws.cell(row, 5, deadline)
                deadline_row = row
            row += 1
        if row - 1 > deadline_row:
            ws.merge_cells(start_row=deadline_row, start_column=5, end_row=row - 1, end_column=5)
        ws.cell(first, 1, no)
        ws.cell(first, 2, title)
        if row - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
            ws.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
    for r in range(3, row):
        for c in range(1, 6):
            cell = ws.cell(r, c)
            cell.border = BOX
            cell.font = Font(name="仿宋_GB2312", size=11)
            cell.alignment = CENTER if c in (1, 2, 5) else WRAP
    for col, width in zip("ABCDE", (6, 18, 60, 42, 10)):
        ws.column_dimensions[col].width = width
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.freeze_panes = "A3"

    reg = wb.create_sheet("单位名录")
    heads = ["简称", "全称", "别名", "电子邮箱", "联系人", "联系电话"]
    for col, head in enumerate(heads, 1):
        reg.cell(1, col, head).font = Font(bold=True)
    for r, (short, full) in enumerate(COUNTIES, 2):
        reg.cell(r, 1, short)
        reg.cell(r, 2, full)
    for r, (short, full, aliases) in enumerate(AGENCIES, 2 + len(COUNTIES)):
        reg.cell(r, 1, short)
        reg.cell(r, 2, full)
        reg.cell(r, 3, aliases or None)
    for col, width in zip("ABCDEF", (18, 34, 26, 28, 10, 16)):
        reg.column_dimensions[col].width = width
    reg.freeze_panes = "A2"

    groups = wb.create_sheet("单位分组")
    groups.cell(1, 1, "组名").font = Font(bold=True)
    groups.cell(1, 2, "成员").font = Font(bold=True)
    groups.cell(2, 1, GROUP).alignment = CENTER
    for r, (short, _) in enumerate(COUNTIES, 2):
        groups.cell(r, 2, short)
    groups.merge_cells(start_row=2, start_column=1, end_row=1 + len(COUNTIES), end_column=1)
    groups.column_dimensions["A"].width = 20
    groups.column_dimensions["B"].width = 20
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "source/任务分解表.xlsx"))
