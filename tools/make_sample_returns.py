"""Make the SAMPLE returns of the embedded demo and collect them into source/progress-ledger.jsonl.

示例数据 — SAMPLE DATA. The 2009 seed has no returns; these are invented so that
`pilot-docs build --as-of 2009-07-01` shows a realistic mid-year report. Each form is the real return form of
its agency, filled as an agency would in Excel, marked as sample data on its sheet and in its hidden metadata,
then collected with `pilot-docs collect` (SOURCE_DATE_EPOCH fixes the collection time). Run from the repository:

    SOURCE_DATE_EPOCH=1246406400 .venv/bin/python tools/make_sample_returns.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from pilot_docs.returns.collect import collect, ledger_path
from pilot_docs.returns.forms import FORM_SHEET, HEADER_ROW, META_SHEET, REPORT_DATE_CELL, return_form
from pilot_docs.source.project import find_project, load_model

D = dt.date
# agency → (report date, {item: (status, completion date, progress, problems)}); contact added below.
SAMPLES: dict[str, tuple[dt.date, dict[str, tuple]]] = {
    "市安监局": (D(2009, 6, 29), {
        "1.1": ("已完成", D(2009, 6, 26), "市安全生产应急救援指挥中心已挂牌运作，职责和值班、信息报送等制度已印发。", ""),
        "1.3": ("推进中", None, "已督促15个负有安全监管职责的部门明确专门机构，9个部门已落实。", ""),
        "2.1": ("推进中", None, "已汇编规章及规范性文件86件，案例库收录典型案例32宗。", ""),
        "3.1": ("推进中", None, "完成专业救援队伍摸底，共登记队伍41支、1260人。", "部分行业主管部门数据报送不及时。"),
        "4.1": ("推进中", None, "应急物资仓库选址已确定，正在办理用地手续。", ""),
        "5.1": ("推进中", None, "指挥平台建设方案已通过专家评审，正在编制招标文件。", "建设资金尚未全部落实。"),
        "6.1": ("推进中", None, "《江门市安全生产应急管理部门职责》已形成征求意见稿。", ""),
        "7.1": ("推进中", None, "已完成市级预案评估，修订专项预案5个。", ""),
        "7.2": ("推进中", None, "组织企业预案编制培训2期，指导企业修订预案120份。", ""),
        "7.3": ("推进中", None, "6月组织危险化学品事故综合演练1次。", ""),
        "8.1": ("推进中", None, "与江门日报合作开设“应急管理”专栏，已刊发6期。", ""),
        "8.2": ("推进中", None, "举办应急管理培训班1期，培训高危行业从业人员300人次。", ""),
        "8.3": ("推进中", None, "已下发通知指导生产经营单位开展自救演练。", ""),
        "9.1": ("已完成", D(2009, 5, 31), "24小时值班制度已建立并运行，每月编发信息统计分析。", ""),
    }),
    "市编办": (D(2009, 6, 22), {"1.1": ("已完成", D(2009, 6, 18), "已批复设立市安全生产应急救援指挥中心，核定编制8名。", "")}),
    "市财政局": (D(2009, 6, 30), {
        "1.1": ("推进中", None, "指挥中心开办经费已列入调整预算，待市政府审定。", "年中预算调整尚未批准。"),
        "4.1": ("未启动", None, "", ""),
        "5.1": ("推进中", None, "平台一期经费已安排。", ""),
    }),
    "市公安局": (D(2009, 6, 26), {"1.3": ("已完成", D(2009, 6, 10), "治安管理支队明确专人负责危爆物品安全监管。", ""),
                                  "3.1": ("推进中", None, "特警支队救援分队组建中。", ""),
                                  "7.1": ("推进中", None, "修订治安突发事件应急预案。", ""),
                                  "9.1": ("已完成", D(2009, 6, 1), "落实24小时值班。", "")}),
    "市建设局": (D(2009, 6, 24), {"1.3": ("已完成", D(2009, 6, 5), "质安站明确专人负责建设施工安全监管。", ""),
                                  "3.1": ("推进中", None, "组建建设施工抢险队伍2支。", ""),
                                  "7.3": ("滞后", None, "综合演练方案未定。", "演练经费未落实。")}),
    "江门海事局": (D(2009, 6, 25), {"1.3": ("已完成", D(2009, 5, 20), "危管防污科负责水上交通安全监管。", ""),
                                    "3.1": ("已完成", D(2009, 6, 20), "水上搜救队伍已纳入数据库。", "")}),
    "市质监局": (D(2009, 6, 23), {"1.3": ("推进中", None, "特种设备安全监察科职责调整中。", "")}),
    "市卫生局": (D(2009, 6, 27), {"3.1": ("推进中", None, "组建医疗救援队伍3支。", ""),
                                  "7.3": ("推进中", None, "计划9月开展卫生应急演练。", "")}),
    "市交通局": (D(2009, 6, 28), {"1.3": ("推进中", None, "", ""), "3.1": ("推进中", None, "道路抢险队伍整合中。", "")}),
    "市气象局": (D(2009, 6, 24), {"6.1": ("已完成", D(2009, 6, 15), "气象灾害预警信息发布机制已建立。", ""),
                                  "1.3": ("已完成", D(2009, 5, 30), "明确专人负责防雷安全监管。", "")}),
    "市委宣传部": (D(2009, 6, 29), {"8.1": ("推进中", None, "协调主流媒体开设宣传栏目。", ""),
                                    "8.2": ("未启动", None, "", "")}),
    "市水利局": (D(2009, 6, 25), {"6.1": ("推进中", None, "三防预警信息与安监部门共享机制建设中。", "")}),
    "市科技局": (D(2009, 6, 25), {"6.1": ("推进中", None, "地震预警信息报送机制建设中。", "")}),
    "市政府应急办": (D(2009, 6, 30), {"7.1": ("推进中", None, "总体预案修订稿已征求意见。", ""),
                                      "7.2": ("推进中", None, "", ""), "7.3": ("推进中", None, "", "")}),
    "蓬江区人民政府": (D(2009, 6, 28), {"1.2": ("已完成", D(2009, 6, 12), "区安全生产应急指挥中心已成立，五落实到位。", ""),
                                        "5.2": ("推进中", None, "区级平台方案编制中。", "")}),
    "江海区人民政府": (D(2009, 6, 29), {"1.2": ("推进中", None, "机构设置方案已报区编委。", "人员编制未落实。")}),
    "新会区人民政府": (D(2009, 6, 27), {"1.2": ("已完成", D(2009, 6, 20), "区应急指挥机构已成立。", ""),
                                        "7.1": ("推进中", None, "", ""), "9.1": ("已完成", D(2009, 6, 1), "", "")}),
    "台山市人民政府": (D(2009, 6, 26), {"1.2": ("推进中", None, "", ""), "4.1": ("未启动", None, "", "")}),
    "开平市人民政府": (D(2009, 6, 30), {"1.2": ("滞后", None, "机构组建方案尚未审定。", "编制紧张。")}),
}
CONTACT = "办公室 联络员"


def fill(model, agency: str, reported: dt.date, rows: dict[str, tuple], folder: Path) -> Path:
    """The agency's real return form, filled and marked as sample data."""
    wb = load_workbook(io.BytesIO(return_form(model, model.agency(agency))))
    ws = wb[FORM_SHEET]
    ws["A2"] = "【示例数据 SAMPLE DATA】" + str(ws["A2"].value)
    ws[REPORT_DATE_CELL] = reported
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        values = rows.get(str(ws.cell(r, 1).value))
        if values:
            status, done, text, problems = values
            for col, value in zip(range(5, 10), (status, done, text or None, problems or None, CONTACT)):
                ws.cell(r, col, value)
    wb[META_SHEET].append(["sample", 1])
    path = folder / f"进度反馈表-{agency}.xlsx"
    wb.save(path)
    return path


def main(root: Path) -> None:
    """Write the sample forms to a temporary folder and collect them into the project."""
    model, _ = load_model(find_project(root))
    with tempfile.TemporaryDirectory() as tmp:
        files = [fill(model, agency, reported, rows, Path(tmp)) for agency, (reported, rows) in SAMPLES.items()]
        result = collect(files, root)
    if result.refused:
        sys.exit("\n".join(str(p) for p in result.refused))
    print(f"collected {len(result.added)} sample rows from {len(result.collected)} forms into "
          f"{ledger_path(find_project(root))}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
