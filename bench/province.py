"""A generated province-scale table (任务分解表) for the benchmark: N items, M agencies, seeded and reproducible."""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

CLAUSES = ["建立健全工作机制", "完善应急预案体系", "加强队伍建设", "推进信息平台建设", "开展隐患排查治理",
           "组织开展综合演练", "加强宣传教育培训", "落实经费保障", "强化督导检查", "健全考核评价制度"]
DEADLINES = ["上半年前", "年底前", "10月", "6月底前", "9月底前", "第三季度", "持续推进", "每季度"]


def write_province(path: Path, items: int, agencies: int, seed: int = 2009, one_task_per_row: bool = False) -> Path:
    """Write a project folder with a workbook of `items` work items over `agencies` agencies: tasks of 5 to 15
    items each, or with `one_task_per_row` every row its own task (the table that once made a 52,000-px chart)."""
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append([f"2009年全省安全生产应急管理工作任务责任分解表（{items}项）"])
    ws.append(["序号", "工作任务", "工作内容", "责任单位", "完成时间"])
    names = [f"省直单位{n:03d}局" for n in range(1, agencies + 1)]
    row, task = 3, 0
    while row - 3 < items:
        task += 1
        count = 1 if one_task_per_row else min(rng.randint(5, 15), items - (row - 3))
        first = row
        for _ in range(count):
            content = "；\n".join(rng.sample(CLAUSES, 3)) + f"，确保第{task}项任务按期完成。"
            ws.append([task if row == first else None, f"第{task}项重点工作任务" if row == first else None,
                       content, "、".join(rng.sample(names, rng.randint(3, 8))), rng.choice(DEADLINES)])
            row += 1
        if row - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
            ws.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
    reg = wb.create_sheet("单位名录")
    reg.append(["简称", "全称"])
    for name in names:
        reg.append([name, "广东省" + name.replace("省直", "")])
    (path / "source").mkdir(parents=True, exist_ok=True)
    wb.save(path / "source" / "任务分解表.xlsx")
    (path / "pilot-docs.toml").write_text(
        '[plan]\nyear = 2009\nissuer = "广东省安全生产委员会"\nname = "全省安全生产应急管理工作方案"\n'
        'doc_number = "粤安委〔2009〕1号"\ndate = 2009-03-01\n\n[report]\nas_of = 2009-07-01\n', encoding="utf-8")
    return path
