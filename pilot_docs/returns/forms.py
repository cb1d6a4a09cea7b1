"""回执/进度反馈表: the return form each agency fills in Excel — its items locked, input cells open.

The form records the plan, the agency and the form's version on a very hidden sheet, so that
`pilot-docs collect` recognises a returned file and refuses one of another plan or agency.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from ..build.ziputil import workbook_bytes
from ..documents.typography import cn_date, cn_text
from ..model import Agency, Model

FORM_VERSION = 1
STATUSES = ("未启动", "推进中", "已完成", "滞后")
META_SHEET = "_form"
FORM_SHEET = "进度反馈"
HEADER_ROW = 6
REPORT_DATE_CELL = "C4"  # 填报日期
COLUMNS = ["编号", "工作任务", "工作内容", "完成时间", "进展状态", "完成日期", "进展情况", "存在问题", "联系人"]
INPUT_COLUMNS = {"status": 5, "date": 6, "text": 7, "problems": 8, "contact": 9}
WIDTHS = (7, 18, 48, 12, 10, 13, 40, 30, 10)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def plan_id(model: Model) -> str:
    """A short identifier of the plan (title, year, issuer), the same for every form of one plan."""
    key = f"{model.plan.title}|{model.plan.year}|{model.plan.issuer}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def agency_line(agency: Agency) -> str:
    """The form's locked 填报单位 line (A3), naming the agency the form is for."""
    return f"填报单位：{cn_text(agency.full_name)}（{cn_text(agency.name)}）"


LOCKED_COLUMNS = 4  # 编号, 工作任务, 工作内容, 完成时间: the plan's text, locked


def locked_rows(model: Model, agency: Agency) -> dict[str, list[str]]:
    """The locked cells of each of the agency's item rows, as the current plan words them (what collect expects)."""
    titles = {item.id: task.title for task in model.tasks for item in task.items}
    items = {item.id: item for item in model.items()}  # Model.item() searches; a form may list thousands
    rows = {}
    for item_id in agency.items:
        item = items[item_id]
        deadline = cn_text(item.deadline.text)
        if item.deadline.date:
            deadline = f"{deadline}\n（{cn_date(item.deadline.date)}）" if deadline != cn_date(item.deadline.date) else deadline
        rows[item_id] = [item.id, cn_text(titles[item.id]), cn_text(item.content), deadline]
    return rows


def return_form(model: Model, agency: Agency, password: str | None = None) -> bytes:
    """The .xlsx return form for one agency, deterministic for the same model.

    With a password (`[returns] password`) the sheets and the workbook's structure (hiding and unhiding sheets)
    are protected with it: that stops casual edits only — Excel's sheet password is a 16-bit hash anyone can get
    round — and collect checks every locked cell and the hidden sheet against the current plan anyway."""
    wb = Workbook()
    ws = wb.active
    ws.title = FORM_SHEET
    last = len(COLUMNS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws["A1"] = "工作任务进度反馈表"
    ws["A1"].font = Font(name="黑体", size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws["A2"] = f"计划：{cn_text(model.plan.title)}"
    ws["A3"] = agency_line(agency)
    ws["A4"] = "填报日期："
    example = f"{model.plan.year}-06-30" if model.plan.year else "YYYY-MM-DD"  # a date of the plan's own year
    ws[REPORT_DATE_CELL].number_format = "yyyy-mm-dd"
    ws[REPORT_DATE_CELL].protection = Protection(locked=False)
    ws[REPORT_DATE_CELL].fill = INPUT_FILL
    ws[REPORT_DATE_CELL].border = BOX
    ws["A5"] = ("说明：只在黄色单元格内填写；进展状态从下拉列表选择（" + "、".join(STATUSES) +
                f"）；日期按 {example} 的格式填写。请勿改动其他单元格，填好后将本文件原样交回。")
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=last)
    ws["A5"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[5].height = 32
    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), 1):
        cell = ws.cell(HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        ws.column_dimensions[cell.column_letter].width = width
    locked = locked_rows(model, agency)
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="进展状态", error="请从下拉列表选择：" + "、".join(STATUSES))
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                           showErrorMessage=True, errorTitle="日期", error=f"请填写日期，例如 {example}")
    report_date = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                 showErrorMessage=True, errorTitle="日期", error=f"请填写日期，例如 {example}")
    ws.add_data_validation(status)
    ws.add_data_validation(dates)
    ws.add_data_validation(report_date)
    report_date.add(REPORT_DATE_CELL)
    row = HEADER_ROW
    row_digests: dict[str, str] = {}
    for item_id, values in locked.items():
        row += 1
        row_digests[f"row:{item_id}"] = locked_digest(values)
        for col, value in enumerate(values, 1):
            cell = ws.cell(row, col, value)
            cell.alignment = WRAP
            cell.border = BOX
        for col in INPUT_COLUMNS.values():
            cell = ws.cell(row, col)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
            cell.border = BOX
            cell.alignment = WRAP
        ws.cell(row, INPUT_COLUMNS["date"]).number_format = "yyyy-mm-dd"
    if row > HEADER_ROW:
        status.add(f"E{HEADER_ROW + 1}:E{row}")
        dates.add(f"F{HEADER_ROW + 1}:F{row}")
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let people widen columns and rows to read
    ws.protection.formatRows = False
    meta = wb.create_sheet(META_SHEET)
    for key, value in {**form_metadata(model, agency), **row_digests}.items():
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    if password:
        ws.protection.password = password
        meta.protection.password = password
        wb.security = WorkbookProtection(workbookPassword=password, lockStructure=True)
    return workbook_bytes(wb, _document_time(model))


def locked_digest(values: list[object]) -> str:
    """A fingerprint of a row's locked cells, to notice edits outside the input cells."""
    text = "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def form_metadata(model: Model, agency: Agency) -> dict[str, str | int]:
    """What the hidden sheet records: enough to recognise a returned form."""
    return {
        "kind": "pilot-docs return form",
        "form_version": FORM_VERSION,
        "plan_id": plan_id(model),
        "plan_title": model.plan.title,
        "agency": agency.name,
        "items": ",".join(agency.items),
        "header_row": HEADER_ROW,
    }


def _document_time(model: Model) -> dt.datetime:
    date = model.plan.extra.get("date") or dt.date(model.plan.year or 2000, 1, 1)
    return dt.datetime(date.year, date.month, date.day)
