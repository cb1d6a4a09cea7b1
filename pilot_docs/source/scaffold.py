"""`pilot-docs init`: a new office's project — an empty table, a commented config, templates/, .gitignore.

The workbook has the header row the reader recognises, a 单位名录 and a 单位分组 sheet, each with one example row
and instructions (rows starting 说明：/示例： are skipped by the reader). Nothing is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side

from ..errors import Location, SourceError
from .config import CONFIG_NAME

WORKBOOK = "source/任务分解表.xlsx"
TABLE_HEADER = ("序号", "工作任务", "工作内容", "牵头单位", "配合单位", "完成时间")
TABLE_NOTES = (
    "任务的编号：1、2、3……；同一任务的几项工作内容，编号只写在第一行（或合并单元格）。",
    "工作任务（重点任务）的名称；同一任务下的各行可合并此单元格，或只在第一行填写。",
    "一行一项具体工作内容（工作措施、目标要求）。",
    "负责该项工作的单位，多个单位用顿号“、”隔开。只有一个“责任单位”列的表，也可把本列标题改为“责任单位”。",
    "协助、配合的单位，多个单位用顿号隔开；没有可留空，本列也可删除。",
    "完成时限，照原文填写即可：2025年6月底前、10月底前、年底前、持续推进……",
)
TABLE_EXAMPLE = ("说明：从第4行起每行填写一项工作内容，本行和上面的标题行可以保留。示例：1 | 加强组织领导 | "
                 "制定实施方案，明确责任分工 | 县××局 | 县××局、县××局 | 2025年6月底前。")
REGISTRY_HEADER = ("简称", "全称", "别名", "电子邮箱", "联系人", "联系电话")
REGISTRY_EXAMPLE = ("示例：县××局", "××县××局", "××局\n县××管理局", "office@example.gov.cn", "张三", "0000-1234567")
GROUP_HEADER = ("组名", "成员")
GROUP_EXAMPLE = ("示例：各乡镇人民政府", "××镇人民政府")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NOTE_FONT = Font(color="808080", italic=True)


def init_project(folder: Path, force: bool = False) -> list[Path]:
    """Scaffold a project in `folder` (made if missing); refuses a non-empty folder unless `force`, and never
    overwrites a file that exists. Returns the files written."""
    if folder.exists() and not folder.is_dir():
        raise SourceError("not a folder", Location(str(folder)))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise SourceError("the folder is not empty: pilot-docs init starts a new project in an empty folder "
                          "(--force adds the missing files and keeps every file that is there)", Location(str(folder)))
    scaffold = resources.files("pilot_docs") / "scaffold"
    files = {
        WORKBOOK: workbook_bytes(),
        CONFIG_NAME: (scaffold / "pilot-docs.toml").read_bytes(),
        "templates/README.md": (scaffold / "templates-README.md").read_bytes(),
        ".gitignore": (scaffold / "gitignore").read_bytes(),
    }
    written = []
    try:
        for name, data in files.items():
            path = folder / name
            if path.exists():
                continue  # never overwritten
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as fh:  # "x": a file that appeared meanwhile is not overwritten either
                fh.write(data)
            written.append(path)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(folder)
        raise SourceError(f"cannot write: {exc.strerror or exc}", Location(os.path.relpath(where))) from exc
    return written


def workbook_bytes() -> bytes:
    """The empty table: a title row, the header row with a note on each column, a 说明 row; 单位名录 and 单位分组
    (both optional) with one example row each. Deterministic bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(["××××年××工作任务责任分解表（第1行是表格标题，请改为本表的标题）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TABLE_HEADER))
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(TABLE_HEADER))
    for col, (note, width) in enumerate(zip(TABLE_NOTES, (6, 20, 48, 18, 22, 16), strict=True), 1):
        cell = ws.cell(2, col)
        cell.font = Font(bold=True)
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(note, "pilot-docs", width=260, height=90)
        ws.column_dimensions[cell.column_letter].width = width
    ws.append([TABLE_EXAMPLE])
    ws["A3"].font = NOTE_FONT
    ws.freeze_panes = "A3"
    for title, header, example, widths in (("单位名录", REGISTRY_HEADER, REGISTRY_EXAMPLE, (16, 28, 20, 26, 10, 16)),
                                           ("单位分组", GROUP_HEADER, GROUP_EXAMPLE, (24, 28))):
        sheet = wb.create_sheet(title)
        sheet.append(list(header))
        for col, width in enumerate(widths, 1):
            sheet.cell(1, col).font = Font(bold=True)
            sheet.column_dimensions[sheet.cell(1, col).column_letter].width = width
        sheet.append(list(example))
        for col in range(1, len(header) + 1):
            sheet.cell(2, col).font = NOTE_FONT
            sheet.cell(2, col).alignment = Alignment(wrap_text=True, vertical="top")
        note = (REGISTRY_NOTE if title == "单位名录" else GROUP_NOTE)
        sheet.cell(1, len(header) + 2, note).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[sheet.cell(1, len(header) + 2).column_letter].width = 50
    from ..build.ziputil import workbook_bytes as deterministic

    return deterministic(wb, dt.datetime(2000, 1, 1))


REGISTRY_NOTE = ("说明（可选）：每行一个单位。简称是表中写的名称，全称用于交办通知的主送机关；别名每行一个（表中写法"
                 "不同的同一单位）；电子邮箱用于邮件草稿。填了本表，表中每个单位都须在此登记（写错会提示）。以“示例：”"
                 "开头的行不读取，可删除。")
GROUP_NOTE = ("说明（可选）：一个组名代表几个单位（如“各乡镇人民政府”），每行一个成员，组名只在第一行填写或合并。"
              "成员须在单位名录中。以“示例：”开头的行不读取，可删除。")
