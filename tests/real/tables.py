"""Real responsibility tables, transcribed from published pages, and what a careful human reads in each.

Each table is a grid of rows as an office types it into a worksheet: title rows, header rows, section rows and
data rows, top to bottom. A cell is text (line breaks are real line breaks), None for an empty cell, "^" for a
cell merged with the one above it and "<" for a cell merged with the one to its left. `make_real.py` writes
`<slug>.xlsx` (merges, wrapped multi-line cells, fixed dates) and `<slug>.json` (the expectations) from here.

The pages store the documents' text with some full-width punctuation folded to ASCII (，：；（）); the
transcriptions restore the full-width forms an office types. Nothing else is changed unless `shape` says so.
"""

from __future__ import annotations

from typing import Any

U = "^"  # merged with the cell above
L = "<"  # merged with the cell to the left


def item(content: str, task: str | None = None, group: str | None = None, number: str | None = None,
         units: list[str] | None = None, lead: list[str] | None = None, partners: list[str] | None = None,
         deadline: str | None = None, kind: str = "none",
         milestones: list[list[str]] | None = None) -> dict[str, Any]:
    """One expected work item, in the JSON shape of tests/real/<slug>.json."""
    return {"content_starts": content, "task_starts": task, "group_starts": group, "number": number,
            "units": units or [], "lead": lead or [], "partners": partners or [],
            "deadline": deadline, "deadline_kind": kind, "milestones": milestones or []}


TABLES: dict[str, dict[str, Any]] = {}

# --- 大竹县 2016: a 民生实事 table, one 序号 over two rows, units one per line, month-only deadlines -------------
TABLES["dazhu-2016-minsheng"] = {
    "source": "http://www.dazhu.gov.cn/xxgk-show-947.html",
    "office": "大竹县人民政府办公室",
    "title": "2016年民生实事目标任务分解表",
    "year": 2016,
    "shape": "民生实事 is the only text column (no separate content); 序号 5 and its unit cell are merged over two "
             "rows with their own deadlines; several units one per line in a cell; deadlines as months only "
             "(12月底前, 9月投入使用, 5月底前动工)",
    "excerpt": False,
    "widths": [6, 46, 18, 14],
    "grid": [
        ["附件", None, None, None],
        ["2016年民生实事目标任务分解表", L, L, L],
        ["序号", "民生实事", "责任单位", "完成时限"],
        ["1", "启动建设东柳河城区段综合治理工程和东湖湿地公园。", "县水务局\n县住建局\n县护城河指挥部", "12月底前"],
        ["2", "新建2座人行天桥。", "县住建局", "9月投入使用"],
        ["3", "启动县图书馆新馆建设。", "县文体广新局\n县代建中心", "12月底前"],
        ["4", "建成县残疾人综合服务中心。", "县残联", "5月底前动工"],
        ["5", "开工建设县老年养护楼。", "县民政局", "5月底前动工"],
        [U, "开工建设老年大学。", U, "12月底前"],
        ["6", "迁建县政务服务中心。", "县政务服务中心\n县代建中心", "12月底前"],
        ["7", "加快推进土地滩水库建设。", "县水务局", "12月底前"],
        ["8", "启动大竹县第十二小学建设，新建中心幼儿园2所。", "县教科局\n县代建中心", "12月底前"],
        ["9", "完成棚户区改造2836户。", "县住建局", "12月底前"],
        ["10", "城区再新建1个农贸市场。", "县商务局", "12月底前"],
    ],
    "counts": {"groups": 0, "tasks": 10, "items": 11, "agencies": 10},
    "agencies": ["县水务局", "县住建局", "县护城河指挥部", "县文体广新局", "县代建中心", "县残联", "县民政局",
                 "县政务服务中心", "县教科局", "县商务局"],
    "extra_columns": [],
    "items": [
        item("启动建设东柳河城区段", number="1", units=["县水务局", "县住建局", "县护城河指挥部"],
             deadline="2016-12-31", kind="by"),
        item("新建2座人行天桥", number="2", units=["县住建局"], deadline="2016-09-30", kind="by"),
        item("建成县残疾人综合服务", number="4", units=["县残联"], deadline="2016-05-31", kind="by"),
        item("开工建设县老年养护楼", number="5", units=["县民政局"], deadline="2016-05-31", kind="by"),
        item("开工建设老年大学", number="5", units=["县民政局"], deadline="2016-12-31", kind="by"),
        item("启动大竹县第十二小学", number="8", units=["县教科局", "县代建中心"], deadline="2016-12-31",
             kind="by"),
    ],
}

# --- 常州市钟楼区 2021: 重大民生实事, 项目名称 merged over its contents, leader column, no deadline column -------
TABLES["zhonglou-2021-minsheng"] = {
    "source": "https://1wenmi.com/doc/507125.html",
    "office": "常州市钟楼区人民政府",
    "title": "2021年重大民生实事项目目标任务责任分解表",
    "year": 2021,
    "shape": "no deadline column; a 区政府分管领导 (person) column between content and units; 项目名称 merged over "
             "several 主要内容 rows, with the leader and unit cells merged over some of them but not all (项目 3 has "
             "two leaders and two lead units); 牵头单位 one per cell, 配合单位 one per line",
    "excerpt": True,
    "widths": [6, 14, 46, 10, 10, 18],
    "grid": [
        ["2021年重大民生实事项目目标任务责任分解表", L, L, L, L, L],
        ["序号", "项目名称", "主要内容", "区政府分管领导", "牵头单位", "配合单位"],
        ["1", "增加教育资源供给", ("实施新建、改扩建学校重点建设项目12个，计划竣工3个，其中幼儿园7个、小学4个、初中1个；"
         "增加学位5000个，其中幼儿园420个，中小学4580个。"), "何海平", "教育局",
         "经开区\n高新园（邹区镇）\n各街道\n市国有公司"],
        ["2", "促进就业稳定增长", ("落实就业优先战略。全区城镇新增就业15000人，失业人员再就业5800人，新增参保大学生5400人，"
         "城乡“零就业家庭”动态清零，城镇登记失业率控制在3%以内；支持成功自主创业2000人，支持大学生创业240人；"
         "开展职业技能补贴培训10000人次。"), "何海平", "人社局", "高新园（邹区镇）\n各街道"],
        ["3", "老城厢复兴发展", "完成瞿秋白纪念馆整体提升工程对外开放，完成常州盛宣怀故居（本体）修缮展陈。", "何海平",
         "文体旅局", "晋陵公司\n轨道公司"],
        [U, U, "推进大庙弄核心区改造、瞿秋白纪念馆周边立面整治及三堡街、西横街、民元里、邮电路、北大街等老城厢道路整治。",
         "芮春祥", "住建局", "五星街道\n南大街街道\n荷花池街道"],
        ["4", "优化养老服务", "为全区23000名老年人提供居家上门服务。", "张菁", "民政局", "高新园（邹区镇）\n各街道"],
        [U, U, "提升改造8家城乡社区居家养老服务中心（站）。", U, U, U],
        [U, U, "对300户困难老人家庭进行居家适老化改造。", U, U, U],
        [U, U, "提升康复辅具社区租赁服务点建设水平，为1000人提供康复辅具社区租赁服务。", U, U, U],
    ],
    "counts": {"groups": 0, "tasks": 4, "items": 8, "agencies": 14},
    "agencies": ["教育局", "经开区", "高新园（邹区镇）", "各街道", "市国有公司", "人社局", "文体旅局", "晋陵公司",
                 "轨道公司", "住建局", "五星街道", "南大街街道", "荷花池街道", "民政局"],
    "extra_columns": ["区政府分管领导"],
    "items": [
        item("实施新建、改扩建学校", task="增加教育资源", number="1",
             units=["教育局", "经开区", "高新园（邹区镇）", "各街道", "市国有公司"], lead=["教育局"],
             partners=["经开区", "高新园（邹区镇）", "各街道", "市国有公司"]),
        item("完成瞿秋白纪念馆整体", task="老城厢复兴发", number="3", units=["文体旅局", "晋陵公司", "轨道公司"],
             lead=["文体旅局"], partners=["晋陵公司", "轨道公司"]),
        item("推进大庙弄核心区改造", task="老城厢复兴发", number="3",
             units=["住建局", "五星街道", "南大街街道", "荷花池街道"], lead=["住建局"],
             partners=["五星街道", "南大街街道", "荷花池街道"]),
        item("提升改造8家城乡社区", task="优化养老服务", number="4", units=["民政局", "高新园（邹区镇）", "各街道"],
             lead=["民政局"], partners=["高新园（邹区镇）", "各街道"]),
        item("提升康复辅具社区租赁", task="优化养老服务", number="4", units=["民政局", "高新园（邹区镇）", "各街道"],
             lead=["民政局"], partners=["高新园（邹区镇）", "各街道"]),
    ],
}

# --- 霍山经济开发区 2025: 重点工作 with a 责任领导 column, 全年 as the deadline -------------------------------------
TABLES["huoshan-2025-kaifaqu"] = {
    "source": "https://www.ahhuoshan.gov.cn/public/6598161/37968314.html",
    "office": "霍山经济开发区",
    "title": "2025年开发区重点工作及责任清单",
    "year": 2025,
    "shape": "header 重点工作 (not a known task/content word); a 责任领导 (person) column; two units in one cell; every "
             "deadline 全年 (read as: within the plan's year, by 31 December); the page's line wraps inside cells "
             "are removed",
    "excerpt": True,
    "widths": [6, 50, 10, 20, 10],
    "grid": [
        ["2025年开发区重点工作及责任清单", L, L, L, L],
        ["序号", "重点工作", "责任领导", "责任单位", "完成时限"],
        ["1", ("坚持服务跟着项目走，优化“重点项目直通车”“无忧办”工作机制，落实重点项目“领导+专班””“项目管家”等制度，"
         "全力服务重大项目落地见效。"), "叶林", "招商工作部、安商工作部", "全年"],
        ["2", "全力推进开发区“空间再造”，推动工业用地“腾笼换鸟”，力争全年盘活僵尸企业10家，盘活存量土地400亩。",
         "马振明", "改革办", "全年"],
        ["3", ("持续提升园区承载能力，加快推进开发区污水处理厂及污水管网提升项目，全面做好纬六路以北、中沟以北地块水电气"
         "路网等基础设施配套。"), "张云峰", "规划建设局", "全年"],
    ],
    "counts": {"groups": 0, "tasks": 3, "items": 3, "agencies": 4},
    "agencies": ["招商工作部", "安商工作部", "改革办", "规划建设局"],
    "extra_columns": ["责任领导"],
    "items": [
        item("坚持服务跟着项目走", number="1", units=["招商工作部", "安商工作部"], deadline="2025-12-31", kind="by"),
        item("全力推进开发区“空间", number="2", units=["改革办"], deadline="2025-12-31", kind="by"),
        item("持续提升园区承载能力", number="3", units=["规划建设局"], deadline="2025-12-31", kind="by"),
    ],
}

# --- 鞍山市立山区 2023: numbers typed in the task cell, 牵头单位 and 责任单位 columns, a section row ----------------
TABLES["lishan-2023-zhongdian"] = {
    "source": "http://www.lishan.gov.cn/html/ASLSQ/202303/0168765895614794.html",
    "office": "鞍山市立山区人民政府",
    "title": "立山区政府2023年重点工作任务分解和责任分工方案",
    "year": 2023,
    "shape": "published as a numbered list with 牵头单位/责任单位 lines, typed as a table without a 序号 column: the "
             "number is typed inside the task cell (1.努力…); a section row 一、… spans the table; 责任单位 here are "
             "the co-operating units; units separated by both ， and 、; no deadline column",
    "excerpt": True,
    "widths": [44, 12, 30],
    "grid": [
        ["立山区政府2023年重点工作任务分解和责任分工方案", L, L],
        ["工作任务", "牵头单位", "责任单位"],
        ["一、经济社会发展的主要预期目标", L, L],
        ["1.努力实现地区生产总值增长6.2%左右。", "区发改局", "立山经济开发区，全区经济运行各专班"],
        ["2.规模上工业增加值增长5%左右。", "区工信局", "立山经济开发区"],
        ["3.固定资产投资增长15%左右。", "区发改局", "立山经济开发区，各街道、区直各部门"],
        ["4.社会消费品零售总额增长9%左右。", "区商务局", "各街道，区市场局"],
        ["5.一般公共预算收入增长8%左右。", "区财政局", "立山经济开发区，各街道，税务局"],
        ["6.居民收入增长与经济增长基本同步。", "区发改局", "各街道，各相关单位"],
    ],
    "counts": {"groups": 1, "tasks": 6, "items": 6, "agencies": 11},
    "agencies": ["区发改局", "立山经济开发区", "全区经济运行各专班", "区工信局", "各街道", "区直各部门", "区商务局",
                 "区市场局", "区财政局", "税务局", "各相关单位"],
    "extra_columns": [],
    "items": [
        item("努力实现地区生产总值", task="努力实现地区生", group="一、经济社会", number="1",
             units=["区发改局", "立山经济开发区", "全区经济运行各专班"], lead=["区发改局"],
             partners=["立山经济开发区", "全区经济运行各专班"]),
        item("固定资产投资增长15%", task="固定资产投资增", group="一、经济社会", number="3",
             units=["区发改局", "立山经济开发区", "各街道", "区直各部门"], lead=["区发改局"],
             partners=["立山经济开发区", "各街道", "区直各部门"]),
        item("社会消费品零售总额增", task="社会消费品零售", group="一、经济社会", number="4",
             units=["区商务局", "各街道", "区市场局"], lead=["区商务局"], partners=["各街道", "区市场局"]),
        item("一般公共预算收入增长", task="一般公共预算收", group="一、经济社会", number="5",
             units=["区财政局", "立山经济开发区", "各街道", "税务局"], lead=["区财政局"],
             partners=["立山经济开发区", "各街道", "税务局"]),
    ],
}

# --- 济南市钢城区 2021: roles written inside the unit cell, two heading levels ------------------------------------
TABLES["gangcheng-2021-fangguanfu"] = {
    "source": "https://kuaibao.lzzcloud.net/news_info/820521.html",
    "office": "济南市钢城区人民政府办公室",
    "title": "深化“放管服”改革优化营商环境2021年重点任务分工方案",
    "year": 2021,
    "shape": "published as a list with the roles in brackets after each task, typed as a table whose one 责任单位 "
             "cell holds both roles (牵头单位：X；责任单位：Y — item 1 separates them with ， not ；); two heading "
             "levels 一、 and （一） as section rows; 等有关部门 after a unit; no deadline column",
    "excerpt": True,
    "widths": [6, 56, 40],
    "grid": [
        ["深化“放管服”改革优化营商环境2021年重点任务分工方案", L, L],
        ["序号", "重点任务", "责任单位"],
        ["一、推进简政放权，释放发展活力", L, L],
        ["（一）规范精简审批，进一步提高行政效能。", L, L],
        ["1", ("及时承接落实国务院和省、市政府取消、下放和改变管理方式的行政权力事项。对省、市调整下放的行政权力事项，"
         "组织开展评估工作，保障各承接事项有效落实。"), "牵头单位：区政府办公室，责任单位：区政府有关部门，各街道（功能区）"],
        ["2", "严格落实行政许可设定审查制度，开展行政许可实施情况监督，实施行政许可案卷评查。",
         "牵头单位：区政府办公室、区司法局、区行政审批服务局；责任单位：区政府有关部门"],
        ["3", "规范行政备案事项管理，编制并公布区级层面设定的行政备案事项清单。",
         "牵头单位：区政府办公室；责任单位：区司法局等有关部门"],
        ["4", ("深入研究论证区级行政权力事项，对不适应经济社会发展需求以及市场机制能够有效调节的，分类实施取消或转变管理"
         "方式。"), "牵头单位：区司法局；责任单位：区政府有关部门"],
    ],
    "counts": {"groups": 1, "tasks": 4, "items": 4, "agencies": 5},
    "agencies": ["区政府办公室", "区政府有关部门", "各街道（功能区）", "区司法局", "区行政审批服务局"],
    "extra_columns": [],
    "items": [
        item("及时承接落实国务院和", task="及时承接落实国", group="（一）规范精简", number="1",
             units=["区政府办公室", "区政府有关部门", "各街道（功能区）"], lead=["区政府办公室"],
             partners=["区政府有关部门", "各街道（功能区）"]),
        item("严格落实行政许可设定", task="严格落实行政许", group="（一）规范精简", number="2",
             units=["区政府办公室", "区司法局", "区行政审批服务局", "区政府有关部门"],
             lead=["区政府办公室", "区司法局", "区行政审批服务局"], partners=["区政府有关部门"]),
        item("规范行政备案事项管理", task="规范行政备案事", group="（一）规范精简", number="3",
             units=["区政府办公室", "区司法局"], lead=["区政府办公室"], partners=["区司法局"]),
        item("深入研究论证区级行政", task="深入研究论证区", group="（一）规范精简", number="4",
             units=["区司法局", "区政府有关部门"], lead=["区司法局"], partners=["区政府有关部门"]),
    ],
}

# --- 运城市 2017: three numbering levels, a task cell and a unit cell merged over four measures -------------------
TABLES["yuncheng-2017-yingji"] = {
    "source": "https://ncp.pkulaw.com/epidemiclar/38be8d5449e27cd4d9743b715461238bbdfb.html",
    "office": "运城市人民政府办公厅",
    "title": "运城市突发事件应急体系建设“十三五”规划责任分解",
    "year": 2017,
    "shape": "published as a list (（一）/1./（1） with one 责任单位 line per task), typed as a table: section row "
             "（一）…, the task 1.完善应急预案体系 merged over its four （1）–（4） measures and one unit cell merged "
             "over all four; header 建设任务 (not a known word); the title names no year (十三五); brackets with 、 "
             "inside a unit name (各县（市、区）人民政府); no deadline column",
    "excerpt": True,
    "widths": [16, 56, 30],
    "grid": [
        ["运城市突发事件应急体系建设“十三五”规划责任分解", L, L],
        ["“十三五”应急体系9个具体建设任务", L, L],
        ["建设任务", "具体措施", "责任单位"],
        ["（一）“一案三制”建设", L, L],
        ["1.完善应急预案体系", ("（1）加强应急预案管理，规范应急预案编制、审批、发布、备案、修订和评估工作，增强应急预案的"
         "针对性、实用性和可操作性。"), "市直各有关单位、各县（市、区）人民政府、各开发区管委会"],
        [U, "（2）推进政府及其部门应急预案“精编化”，及时修订完善现有应急预案，促进单位和基层应急预案编制全覆盖。", U],
        [U, "（3）加强应急预案演练，完善演练管理制度，推进“双盲”演练，强化针对性、实战性。", U],
        [U, "（4）加强应急预案的培训宣传，扩大应急预案发布范围，提高全社会对应急预案的知晓率。", U],
    ],
    "counts": {"groups": 1, "tasks": 1, "items": 4, "agencies": 3},
    "agencies": ["市直各有关单位", "各县（市、区）人民政府", "各开发区管委会"],
    "extra_columns": [],
    "items": [
        item("加强应急预案管理，规", task="完善应急预案体", group="（一）“一案三", number="（1）",
             units=["市直各有关单位", "各县（市、区）人民政府", "各开发区管委会"]),
        item("推进政府及其部门应急", task="完善应急预案体", group="（一）“一案三", number="（2）",
             units=["市直各有关单位", "各县（市、区）人民政府", "各开发区管委会"]),
        item("加强应急预案演练，完", task="完善应急预案体", group="（一）“一案三", number="（3）",
             units=["市直各有关单位", "各县（市、区）人民政府", "各开发区管委会"]),
        item("加强应急预案的培训宣", task="完善应急预案体", group="（一）“一案三", number="（4）",
             units=["市直各有关单位", "各县（市、区）人民政府", "各开发区管委会"]),
    ],
}

# --- 天津市 2006: “X、Y牵头” in the unit cell, no numbers ------------------------------------------------------
TABLES["tianjin-2006-shiyiwu"] = {
    "source": "http://wisor.cc/policy/show.php?from=client&itemid=50504",
    "office": "天津市人民政府",
    "title": "《天津市国民经济和社会发展第十一个五年规划纲要》主要目标和任务分工",
    "year": 2006,
    "shape": "published as running text with （X、Y牵头） after each target, typed as a two-column table whose unit "
             "cell reads “市人口计生委、市公安局牵头” (the role written after the names, once for several); no 序号, "
             "no deadline column; the title names no year; a section row （一）主要目标",
    "excerpt": True,
    "widths": [50, 30],
    "grid": [
        ["《天津市国民经济和社会发展第十一个五年规划纲要》主要目标和任务分工", L],
        ["主要目标", "责任部门"],
        ["（一）主要目标", L],
        ["常住人口控制在1150万人左右。", "市人口计生委、市公安局牵头"],
        ["万元地区生产总值能源消耗降低20%。", "市经委牵头"],
        ["万元工业增加值取水量降低20%。", "市节水办、市经委牵头"],
        ["耕地保有量保持在国务院确定的我市2010年耕地保有量面积。", "市国土房管局牵头"],
        ["主要污染物排放总量减少10%。", "市环保局牵头"],
    ],
    "counts": {"groups": 1, "tasks": 5, "items": 5, "agencies": 6},
    "agencies": ["市人口计生委", "市公安局", "市经委", "市节水办", "市国土房管局", "市环保局"],
    "extra_columns": [],
    "items": [
        item("常住人口控制在115", task="常住人口控制在", group="（一）主要目", units=["市人口计生委", "市公安局"],
             lead=["市人口计生委", "市公安局"]),
        item("万元地区生产总值能源", task="万元地区生产总", group="（一）主要目", units=["市经委"], lead=["市经委"]),
        item("万元工业增加值取水量", task="万元工业增加值", group="（一）主要目", units=["市节水办", "市经委"],
             lead=["市节水办", "市经委"]),
        item("耕地保有量保持在国务", task="耕地保有量保持", group="（一）主要目", units=["市国土房管局"],
             lead=["市国土房管局"]),
    ],
}

# --- 宁波市 2014: 牵头领导, 项目责任人 and 实际完成情况 columns around the units, a table inside a cell -------------
TABLES["ningbo-2014-minsheng"] = {
    "source": "http://daily.cnnb.com.cn/nbrb/html/2014-07/22/content_776769.htm?div=-1",
    "office": "宁波市人民政府办公厅",
    "title": "2014年市政府民生实事项目1—6月份进展情况",
    "year": 2014,
    "shape": "a progress table: columns 牵头领导 and 项目责任人 (people) around 责任单位, a 配合单位 column, and "
             "实际完成情况 (one cell holds a small table of figures by district, typed line by line); header 实事项目 "
             "(not a known word); units separated by ， and 、; no deadline column",
    "excerpt": True,
    "widths": [6, 30, 10, 22, 18, 30, 40],
    "grid": [
        ["2014年市政府民生实事项目1—6月份进展情况", L, L, L, L, L, L],
        ["序号", "实事项目", "牵头领导", "责任单位", "项目责任人", "配合单位", "实际完成情况"],
        ["1", "轨道交通1号线一期工程投入试运营。", "林静国", "市轨道交通工程建设指挥部", "尹文德", None,
         "轨道交通1号线一期工程已于2014年5月30日通车试运营。"],
        ["2", "新增安装300套路口交通信息视频采集设备。", "王仁洲", "市公安局", "王伟标", "市城管局、市财政局",
         ("中心设备调试、前端摄像机上杆安装，以及外场线路铺设、立杆基础浇筑、基础管道施工等工作整体进度已完成年度目标"
         "任务的55%，项目按预期计划扎实有序推进。")],
        ["3", "新辟公交线路10条，优化调整20条。", "王仁洲", "市交通委", "劳可军", "市公安局、市城管局，各区政府",
         ("鄞州 海曙、江东、江北 镇海 北仑 合计\n新辟线路年度目标 2 5 1 2 10\n实际完成 1 2 0 3 6\n"
         "优化调整线路年度目标 6 9 1 4 20\n实际完成 12 12 0 0 24")],
        ["4", "新投放公共自行车3000辆，新增100个网点。", "王仁洲", "市交通委，各区政府，相关管委会",
         "劳可军，各区区长，相关管委会主任", ("市发改委、市经信委、市公安局、市财政局、市国土资源局、市规划局、市住建委、"
         "市城管局、市工商局、宁波电业局"), None],
    ],
    "counts": {"groups": 0, "tasks": 4, "items": 4, "agencies": 14},
    "agencies": ["市轨道交通工程建设指挥部", "市公安局", "市城管局", "市财政局", "市交通委", "各区政府", "相关管委会",
                 "市发改委", "市经信委", "市国土资源局", "市规划局", "市住建委", "市工商局", "宁波电业局"],
    "extra_columns": ["牵头领导", "项目责任人", "实际完成情况"],
    "items": [
        item("轨道交通1号线一期工", number="1", units=["市轨道交通工程建设指挥部"], lead=["市轨道交通工程建设指挥部"]),
        item("新增安装300套路口", number="2", units=["市公安局", "市城管局", "市财政局"], lead=["市公安局"],
             partners=["市城管局", "市财政局"]),
        item("新辟公交线路10条", number="3", units=["市交通委", "市公安局", "市城管局", "各区政府"], lead=["市交通委"],
             partners=["市公安局", "市城管局", "各区政府"]),
        item("新投放公共自行车30", number="4",
             units=["市交通委", "各区政府", "相关管委会", "市发改委", "市经信委", "市公安局", "市财政局",
                    "市国土资源局", "市规划局", "市住建委", "市城管局", "市工商局", "宁波电业局"],
             lead=["市交通委", "各区政府", "相关管委会"],
             partners=["市发改委", "市经信委", "市公安局", "市财政局", "市国土资源局", "市规划局", "市住建委",
                       "市城管局", "市工商局", "宁波电业局"]),
    ],
}

# --- 滁州市 2020: 牵头负责领导, 牵头责任单位 and 协同责任单位, “…等，各县、市、区政府” ----------------------------
TABLES["chuzhou-2020-zhongdian"] = {
    "source": "http://www.chuzhou.gov.cn/public/152523227/567017766.html",
    "office": "滁州市人民政府",
    "title": "2020年市政府重点工作及责任分解",
    "year": 2020,
    "shape": "published as a list with 牵头负责领导/牵头责任单位/协同责任单位 lines, typed as a table with those three "
             "columns (协同责任单位 is not a known header); units end “…管委会等，各县、市、区政府” — 等 in the middle "
             "and a collective name with 、 inside; a section row; no deadline column",
    "excerpt": True,
    "widths": [6, 30, 10, 16, 50],
    "grid": [
        ["2020年市政府重点工作及责任分解", L, L, L, L],
        ["序号", "重点工作", "牵头负责领导", "牵头责任单位", "协同责任单位"],
        ["一、确保完成全年主要预期目标", L, L, L, L],
        ["1", "地区生产总值增长8%以上。", "金力", "市发展改革委",
         "市经信局、市商务局、市交通局、市农业农村局、滁州经开区管委会、中新苏滁高新区管委会等，各县、市、区政府"],
        ["2", "财政收入增长8%左右。", "金力", "市财政局",
         "市税务局、滁州海关、市人行、滁州经开区管委会、中新苏滁高新区管委会等，各县、市、区政府"],
        ["3", "固定资产投资增长10%以上。", "金力", "市发展改革委",
         "市经信局、市住建局、市交通局、市水利局、滁州经开区管委会、中新苏滁高新区管委会等，各县、市、区政府"],
    ],
    "counts": {"groups": 1, "tasks": 3, "items": 3, "agencies": 14},
    "agencies": ["市发展改革委", "市经信局", "市商务局", "市交通局", "市农业农村局", "滁州经开区管委会",
                 "中新苏滁高新区管委会", "各县、市、区政府", "市财政局", "市税务局", "滁州海关", "市人行", "市住建局",
                 "市水利局"],
    "extra_columns": ["牵头负责领导"],
    "items": [
        item("地区生产总值增长8%", group="一、确保完成", number="1",
             units=["市发展改革委", "市经信局", "市商务局", "市交通局", "市农业农村局", "滁州经开区管委会",
                    "中新苏滁高新区管委会", "各县、市、区政府"], lead=["市发展改革委"],
             partners=["市经信局", "市商务局", "市交通局", "市农业农村局", "滁州经开区管委会", "中新苏滁高新区管委会",
                       "各县、市、区政府"]),
        item("财政收入增长8%左右", group="一、确保完成", number="2",
             units=["市财政局", "市税务局", "滁州海关", "市人行", "滁州经开区管委会", "中新苏滁高新区管委会",
                    "各县、市、区政府"], lead=["市财政局"],
             partners=["市税务局", "滁州海关", "市人行", "滁州经开区管委会", "中新苏滁高新区管委会", "各县、市、区政府"]),
        item("固定资产投资增长10", group="一、确保完成", number="3",
             units=["市发展改革委", "市经信局", "市住建局", "市交通局", "市水利局", "滁州经开区管委会",
                    "中新苏滁高新区管委会", "各县、市、区政府"], lead=["市发展改革委"],
             partners=["市经信局", "市住建局", "市交通局", "市水利局", "滁州经开区管委会", "中新苏滁高新区管委会",
                       "各县、市、区政府"]),
    ],
}

# --- 安徽省 2022: the same shape at province level; 等 at the end; one body written two ways ------------------------
TABLES["anhui-2022-zhongdian"] = {
    "source": "http://bbs.tongheshandao.com/archiver/showtopic-13251.aspx",
    "office": "安徽省人民政府",
    "title": "2022年重点工作及责任分解",
    "year": 2022,
    "shape": "a repost of the province's list (牵头负责领导/牵头责任单位/协同责任单位), typed as a table; trailing 等 "
             "after the partner list; 省农业农村厅 also written 省农村农业厅 (one body, counted once); a prefix "
             "written once (省政府各部门、各直属机构); the repost dropped the year digits, restored from "
             "“省十三届人大五次会议” (January 2022); no deadline column",
    "excerpt": True,
    "widths": [6, 34, 10, 14, 56],
    "grid": [
        ["2022年重点工作及责任分解", L, L, L, L],
        ["序号", "重点工作", "牵头负责领导", "牵头责任单位", "协同责任单位"],
        ["一、确保完成全年主要预期目标", L, L, L, L],
        ["1", "全省生产总值增长7%以上，在实际工作中力争更好结果。", "刘惠", "省发展改革委", "省政府各部门、各直属机构"],
        ["2", "固定资产投资力争增长10%以上，在实际工作中奋力完成得更快一些。", "刘惠", "省发展改革委",
         "省经济和信息化厅、省财政厅、省自然资源厅、省住房城乡建设厅、省交通运输厅、省农业农村厅、省水利厅、省林业局等"],
        ["3", "社会消费品零售总额增长9%左右。", "周喜安", "省商务厅",
         "省发展改革委、省经济和信息化厅、省财政厅、省农村农业厅、省文化和旅游厅、省市场监管局、省税务局等"],
        ["4", "进出口总额增长9%左右、增速高于全国平均水平。", "周喜安", "省商务厅",
         "省发展改革委、省经济和信息化厅、省财政厅、合肥海关、省税务局、省外汇管理局等"],
        ["5", "一般公共预算收入增长7%左右。", "刘惠", "省财政厅", "省发展改革委、省税务局、人行合肥中心支行等"],
    ],
    "counts": {"groups": 1, "tasks": 5, "items": 5, "agencies": 18},
    "agencies": ["省发展改革委", "省政府各部门", "省政府各直属机构", "省经济和信息化厅", "省财政厅", "省自然资源厅",
                 "省住房城乡建设厅", "省交通运输厅", "省农业农村厅", "省水利厅", "省林业局", "省商务厅",
                 "省文化和旅游厅", "省市场监管局", "省税务局", "合肥海关", "省外汇管理局", "人行合肥中心支行"],
    "extra_columns": ["牵头负责领导"],
    "items": [
        item("全省生产总值增长7%", group="一、确保完成", number="1",
             units=["省发展改革委", "省政府各部门", "省政府各直属机构"], lead=["省发展改革委"],
             partners=["省政府各部门", "省政府各直属机构"]),
        item("社会消费品零售总额增", group="一、确保完成", number="3",
             units=["省商务厅", "省发展改革委", "省经济和信息化厅", "省财政厅", "省农业农村厅", "省文化和旅游厅",
                    "省市场监管局", "省税务局"], lead=["省商务厅"],
             partners=["省发展改革委", "省经济和信息化厅", "省财政厅", "省农业农村厅", "省文化和旅游厅",
                       "省市场监管局", "省税务局"]),
        item("进出口总额增长9%左", group="一、确保完成", number="4",
             units=["省商务厅", "省发展改革委", "省经济和信息化厅", "省财政厅", "合肥海关", "省税务局",
                    "省外汇管理局"], lead=["省商务厅"],
             partners=["省发展改革委", "省经济和信息化厅", "省财政厅", "合肥海关", "省税务局", "省外汇管理局"]),
        item("一般公共预算收入增长", group="一、确保完成", number="5",
             units=["省财政厅", "省发展改革委", "省税务局", "人行合肥中心支行"], lead=["省财政厅"],
             partners=["省发展改革委", "省税务局", "人行合肥中心支行"]),
    ],
}

# --- 许昌市 2020: 等 before a comma and a collective with two bracketed parts ----------------------------------------
TABLES["xuchang-2020-zhongdian"] = {
    "source": "http://henan.kjzch.com/xuchang/2020-05-28/694791.html",
    "office": "许昌市人民政府",
    "title": "《政府工作报告》2020年重点工作任务分解",
    "year": 2020,
    "shape": "published as a list with a 责任单位 line per task, typed as a table; the unit cell reads "
             "“市疫情防控指挥部办公室、市卫生健康委等，各县（市、区）政府（管委会）” — 等 then more units, and a "
             "collective name with two bracketed parts; a long section row; no deadline column",
    "excerpt": True,
    "widths": [6, 60, 34],
    "grid": [
        ["《政府工作报告》2020年重点工作任务分解", L, L],
        ["序号", "工作任务", "责任单位"],
        ["一、抓好常态化疫情防控，全面恢复生产生活秩序", L, L],
        ["1", ("坚持“外防输入、内防反弹”总体防控策略，完善常态化疫情防控举措，健全“及时发现、快速处置、精准管控、有效"
         "救治”常态化防控机制，巩固疫情防控持续向好态势，保障经济社会秩序全面恢复。"),
         "市疫情防控指挥部办公室、市卫生健康委等，各县（市、区）政府（管委会）"],
        ["2", ("坚持必要的人员管控和健康监测措施，引导群众做好自我防护。分类实施差异化防控措施，突出重点人群、重点场所、"
         "重点单位，强化无症状感染者、境外和中高风险地区来许返许人员管理，严密防范聚集性疫情风险。大力开展爱国卫生运动。"),
         "市疫情防控指挥部办公室、市卫生健康委等，各县（市、区）政府（管委会）"],
    ],
    "counts": {"groups": 1, "tasks": 2, "items": 2, "agencies": 3},
    "agencies": ["市疫情防控指挥部办公室", "市卫生健康委", "各县（市、区）政府（管委会）"],
    "extra_columns": [],
    "items": [
        item("坚持“外防输入、内防", task="坚持“外防输入", group="一、抓好常态", number="1",
             units=["市疫情防控指挥部办公室", "市卫生健康委", "各县（市、区）政府（管委会）"]),
        item("坚持必要的人员管控和", task="坚持必要的人员", group="一、抓好常态", number="2",
             units=["市疫情防控指挥部办公室", "市卫生健康委", "各县（市、区）政府（管委会）"]),
    ],
}

# --- 徐州市 2010: 主办单位, a prefix written once ------------------------------------------------------------------
TABLES["xuzhou-2010-mubiao"] = {
    "source": "https://js.010b.com/policy/detail/33238.html",
    "office": "徐州市人民政府",
    "title": "2010年《政府工作报告》主要目标任务分解方案",
    "year": 2010,
    "shape": "published as a list with a 主办单位 line, typed as a table whose unit header is 主办单位 (not a known "
             "word; it names the lead); “市发展和改革委员会、统计局” writes the 市 prefix once; a section row "
             "一、目标分解; no deadline column",
    "excerpt": True,
    "widths": [6, 40, 30],
    "grid": [
        ["2010年《政府工作报告》主要目标任务分解方案", L, L],
        ["序号", "目标任务", "主办单位"],
        ["一、目标分解", L, L],
        ["1", "地区生产总值增长13.5%。", "市发展和改革委员会、统计局"],
        ["2", "财政一般预算收入增长18%。", "市财政局"],
    ],
    "counts": {"groups": 1, "tasks": 2, "items": 2, "agencies": 3},
    "agencies": ["市发展和改革委员会", "市统计局", "市财政局"],
    "extra_columns": [],
    "items": [
        item("地区生产总值增长13", group="一、目标分解", number="1", units=["市发展和改革委员会", "市统计局"],
             lead=["市发展和改革委员会", "市统计局"]),
        item("财政一般预算收入增长", group="一、目标分解", number="2", units=["市财政局"], lead=["市财政局"]),
    ],
}

# --- 四川省 2022: units followed by 按职责分工负责 and a standing note --------------------------------------------
TABLES["sichuan-2022-liutong"] = {
    "source": "http://law.foodmate.net/show-219854.html",
    "office": "四川省发展和改革委员会",
    "title": "四川省“十四五”现代流通体系建设实施方案",
    "year": 2022,
    "shape": "published as a list with 〔责任单位：…〕 after each task, typed as a table; the first unit cell ends "
             "“…按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。” (a phrase and a standing note "
             "that are not units); 商务厅 among names that all write 省 (省商务厅: the prefix written once); numbers "
             "（一）（二） typed in the cell; the title names no year (十四五)",
    "excerpt": True,
    "widths": [64, 40],
    "grid": [
        ["四川省“十四五”现代流通体系建设实施方案", L],
        ["重点任务", "责任单位"],
        ["一、深化现代流通市场化改革", L],
        [("（一）加强市场体系建设。推进高标准市场体系建设，全面融入全国统一大市场。实施市场准入负面清单制度，实行“非禁即入”。"
         "探索建设数字资产交易中心，深化数据要素创新应用。争取将成都市纳入国家要素市场化配置综合改革试点。"),
         ("省发展改革委、省市场监管局、商务厅、省大数据中心按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，"
         "下同。")],
        [("（二）优化市场准入环境。实施“证照分离”改革全覆盖，持续推进“一网通办”“一日办结”。提升流通领域市场主体登记便利化"
         "水平。强化数据共享，推进电子营业执照跨部门、跨行业、跨领域互信互认、互通互用。将“食品经营许可”（预包装食品）和"
         "“报关企业注册登记”纳入“多证合一”改革。持续实施“歇业登记”等新制度。"), "省市场监管局"],
    ],
    "counts": {"groups": 1, "tasks": 2, "items": 2, "agencies": 4},
    "agencies": ["省发展改革委", "省市场监管局", "省商务厅", "省大数据中心"],
    "extra_columns": [],
    "items": [
        item("加强市场体系建设。推", task="加强市场体系建", group="一、深化现代", number="（一）",
             units=["省发展改革委", "省市场监管局", "省商务厅", "省大数据中心"]),
        item("优化市场准入环境。实", task="优化市场准入环", group="一、深化现代", number="（二）",
             units=["省市场监管局"]),
    ],
}

# --- 松阳县安民乡 2024: a township's 民生实事, a 责任领导 but no unit, deadlines inside the target text ---------------
TABLES["anmin-2024-minsheng"] = {
    "source": "https://www.songyang.gov.cn/art/2025/3/5/art_1229359135_59003825.html",
    "office": "松阳县安民乡人民政府",
    "title": "安民乡2024年“六件民生实事”项目进展情况",
    "year": 2024,
    "shape": "a township report typed as a table: each 民生实事 has a 责任领导 (a person) and no responsible unit at "
             "all; the deadline is inside the 年度目标 text (计划于2024年8月完工), one in the following year "
             "(计划于2025年10月完工); a 完成情况 column with several dates; headers 民生实事项目/年度目标 (not known "
             "words)",
    "excerpt": True,
    "widths": [6, 22, 10, 48, 40],
    "grid": [
        ["安民乡2024年“六件民生实事”项目进展情况", L, L, L, L],
        ["序号", "民生实事项目", "责任领导", "年度目标", "完成情况"],
        ["1", "全乡域单村供水站提升项目", "范伟建", ("完成12个单村供水站改造提升、给水管网铺设、净水设备采购、改建备用水源"
         "等，总投资额约470万元，计划于2024年8月完工。"), ("12个单村供水站提升项目于2024年1月份完成招投标、2024年6月份全面"
         "完工、2025年1月14日完成验收。")],
        ["2", "安民乡全水域整治项目", "邱土基", ("对相关点位新建堰坝、河道清淤整治、绿道建设、部分水毁点位修复等，总投资约"
         "100万元，计划于2025年10月完工。"), None],
    ],
    "counts": {"groups": 0, "tasks": 2, "items": 2, "agencies": 0},
    "agencies": [],
    "extra_columns": ["责任领导", "完成情况"],
    "items": [
        item("完成12个单村供水站", task="全乡域单村供水", number="1", deadline="2024-08-31", kind="by"),
        item("对相关点位新建堰坝", task="安民乡全水域整", number="2", deadline="2025-10-31", kind="by"),
    ],
}

# --- 湘西州 2020: roles and the deadline all inside the unit cell ---------------------------------------------------
TABLES["xiangxi-2020-fangguanfu"] = {
    "source": "http://m.bgbf.com.cn/zqt/ztsy/yshj/szyhyshjzc/202002/t20200222_13535478.html",
    "office": "湘西自治州人民政府",
    "title": "湘西自治州2020年深化“放管服”改革优化营商环境工作计划",
    "year": 2020,
    "shape": "published as a list with （牵头单位：…；责任单位：…，6月底完成） after each task, typed as a table whose "
             "one unit cell holds both roles and the deadline; 及 joins two units; the number 1. typed in the task "
             "cell; no deadline column (the only deadline is in the unit cell)",
    "excerpt": True,
    "widths": [60, 44],
    "grid": [
        ["湘西自治州2020年深化“放管服”改革优化营商环境工作计划", L],
        ["工作任务", "责任单位"],
        ["一、进一步提升政务服务效能", L],
        [("1.加大简政放权力度。坚持依法放权、宜放则放的原则，承接好省下放行政许可事项，下放一批管理审批权限，严格执行"
         "《湖南省乡镇权力清单和责任清单》，加大乡镇社会经济管理赋权力度，做到“应放尽放”“应接尽接”。大力推进吉首市、"
         "湘西经开区两个相对集中行政许可权改革试点，实现“一枚印章管审批”。"),
         ("牵头单位：州行政审批服务局；责任单位：州司法局、州委编办及州直相关单位，各县市人民政府、湘西经开区管委会，"
         "6月底完成")],
    ],
    "counts": {"groups": 1, "tasks": 1, "items": 1, "agencies": 6},
    "agencies": ["州行政审批服务局", "州司法局", "州委编办", "州直相关单位", "各县市人民政府", "湘西经开区管委会"],
    "extra_columns": [],
    "items": [
        item("加大简政放权力度。坚", task="加大简政放权力", group="一、进一步提", number="1",
             units=["州行政审批服务局", "州司法局", "州委编办", "州直相关单位", "各县市人民政府", "湘西经开区管委会"],
             lead=["州行政审批服务局"],
             partners=["州司法局", "州委编办", "州直相关单位", "各县市人民政府", "湘西经开区管委会"],
             deadline="2020-06-30", kind="by"),
    ],
}

# --- 湖州市 2020: the lead is the first unit listed, said once in a note inside the cell ------------------------------
TABLES["huzhou-2020-zhongdian"] = {
    "source": "https://www.huzhou.gov.cn/art/2020/5/28/art_1229596870_59047718.html",
    "office": "湖州市人民政府办公室",
    "title": "2020年政府工作报告重点工作责任分解",
    "year": 2020,
    "shape": "published as a list, typed as a table; the section row names a leader (一、王纲市长主抓重点工作); the "
             "unit cell ends with a note “（列第一位者为工作牵头单位或汇总单位，下同）” — the lead is the first unit "
             "listed, for this and every later row; no deadline column",
    "excerpt": True,
    "widths": [60, 44],
    "grid": [
        ["2020年政府工作报告重点工作责任分解", L],
        ["重点工作", "责任单位"],
        ["一、王纲市长主抓重点工作", L],
        [("1.坚定不移支持企业发展。认真落实关于营造更好发展环境、推动民营企业改革发展的各项政策措施。全面落实疫情发生以来"
         "出台的各类稳企业、稳经济、稳发展政策意见，大力实施减税、减费、减租、减息措施，力争减轻企业各类负担200亿元，全力"
         "支持企业复产达产、健康发展。"),
         "市经信局、市财政局、市发展改革委、市人力社保局、市金融办、市税务局（列第一位者为工作牵头单位或汇总单位，下同）"],
    ],
    "counts": {"groups": 1, "tasks": 1, "items": 1, "agencies": 6},
    "agencies": ["市经信局", "市财政局", "市发展改革委", "市人力社保局", "市金融办", "市税务局"],
    "extra_columns": [],
    "items": [
        item("坚定不移支持企业发展", task="坚定不移支持企", group="一、王纲市长", number="1",
             units=["市经信局", "市财政局", "市发展改革委", "市人力社保局", "市金融办", "市税务局"], lead=["市经信局"],
             partners=["市财政局", "市发展改革委", "市人力社保局", "市金融办", "市税务局"]),
    ],
}

# --- 遂宁市 2016: no title row, 负责部门/时间进度 headers, 常态工作, year ranges, a relative deadline ------------------
TABLES["suining-2016-huanwei"] = {
    "source": "https://www.suining.gov.cn/gongkai/show/59c771049d684296b517a8c985056f68.html",
    "office": "遂宁市人民政府",
    "title": "",
    "year": 2016,
    "shape": "the page starts with the table: no title row and no year anywhere but in the deadlines; headers 负责部门 "
             "and 时间进度 (not known words); deadlines 常态工作 (ongoing), “2016年6底前” (a typo for 6月底前), year "
             "ranges “2016—2017年底前”, and a relative one “省出台文件后2个月完成”; units separated by ， and 、 with a "
             "bracketed collective (各县（区）政府); the page's spaces around figures removed",
    "excerpt": True,
    "widths": [6, 50, 44, 18],
    "grid": [
        ["序号", "工作任务", "负责部门", "时间进度"],
        ["1", "完善城市管理体制", "市委编办、市住建局、市城管局", "省出台文件后2个月完成"],
        ["2", "完善城市工作机制", "市住建局，各县（区）政府、市直园区管委会", "2016年6底前"],
        ["3", "推进市、县、园区数字化城市管理平台建设，将城市环卫作业纳入数字化城市管理平台监管",
         "市城管局，各县（区）政府、市直园区管委会", "常态工作"],
        ["4", "开展环境卫生设施规划编制工作", "市住建局、市发改委、市财政局、市环保局，各县（区）政府、市直园区管委会",
         "2016年底前"],
        ["5", "加强生活垃圾处理设施运行监管，开展排查、评估和治理工作", "市住建局、市环保局，各县（区）政府、市直园区管委会",
         "常态工作"],
        ["6", "开展城镇生活垃圾分类试点，逐步建立健全生活垃圾分类体系",
         "市住建局、市发改委、市财政局、市商务局、市供销社，各县（区）政府、市直园区管委会", "2016—2017年底前"],
        ["7", "加快环境卫生设施建设", "市住建局、市发改委、市财政局、市环保局，各县（区）政府、市直园区管委会",
         "2016—2018年底前"],
        ["8", "防止过度包装，减少包装废弃物产生", "市质监局、市商务局，各县（区）政府、市直园区管委会", "常态工作"],
        ["9", "鼓励净菜上市，减少餐厨垃圾产量", "市商务局、市农业局，各县（区）政府、市直园区管委会", "常态工作"],
        ["10", "在宾馆和餐饮等服务行业、特别是星际宾馆，推广使用可循环利用物品，限制使用一次性用品",
         "市商务局、市旅游局，各县（区）政府、市直园区管委会", "常态工作"],
        ["11", "抓好再生资源分拣中心和利用基地建设，推动城市生活垃圾资源回收利用",
         "市住建局、市供销社，各县（区）政府、市直园区管委会", "常态工作"],
    ],
    "counts": {"groups": 0, "tasks": 11, "items": 11, "agencies": 13},
    "agencies": ["市委编办", "市住建局", "市城管局", "各县（区）政府", "市直园区管委会", "市发改委", "市财政局",
                 "市环保局", "市商务局", "市供销社", "市质监局", "市农业局", "市旅游局"],
    "extra_columns": [],
    "items": [
        item("完善城市管理体制", number="1", units=["市委编办", "市住建局", "市城管局"], kind="unknown"),
        item("完善城市工作机制", number="2", units=["市住建局", "各县（区）政府", "市直园区管委会"],
             deadline="2016-06-30", kind="by"),
        item("推进市、县、园区数字", number="3", units=["市城管局", "各县（区）政府", "市直园区管委会"],
             kind="ongoing"),
        item("开展环境卫生设施规划", number="4",
             units=["市住建局", "市发改委", "市财政局", "市环保局", "各县（区）政府", "市直园区管委会"],
             deadline="2016-12-31", kind="by"),
        item("开展城镇生活垃圾分类", number="6",
             units=["市住建局", "市发改委", "市财政局", "市商务局", "市供销社", "各县（区）政府", "市直园区管委会"],
             deadline="2017-12-31", kind="by"),
        item("加快环境卫生设施建设", number="7",
             units=["市住建局", "市发改委", "市财政局", "市环保局", "各县（区）政府", "市直园区管委会"],
             deadline="2018-12-31", kind="by"),
    ],
}

# --- 广州市 2006: both roles in one cell, the 市 prefix written once for several partners ---------------------------
TABLES["guangzhou-2006-gongzuo"] = {
    "source": "http://www.moonvisionstudio.com/zwgk/fggw/sfbgtwj/content/post_2847289.html",
    "office": "广州市人民政府办公厅",
    "title": "2006年《政府工作报告》要求重点做好的工作事项",
    "year": 2006,
    "shape": "a mirror (in traditional characters, transcribed back to simplified) of a list with （牵头单位：X；配合"
             "单位：…） after each item, typed as a table whose one cell holds both roles; the partners write the 市 "
             "prefix once (市发改委、国土房管局、外经贸局、规划局), and 市国土房管局 is also written in full; numbers "
             "（一）… typed in the cell; header 工作事项 (not a known word); item （六） left out (garbled on the page)",
    "excerpt": True,
    "widths": [56, 48],
    "grid": [
        ["2006年《政府工作报告》要求重点做好的工作事项", L],
        ["工作事项", "责任单位"],
        ["一、努力构建现代产业体系，促进经济又快又好发展", L],
        ["（一）加快建设东部、花都、南沙三大汽车产业基地。", "牵头单位：市经贸委；配合单位：市发改委、国土房管局、外经贸局、规划局"],
        ["（二）推进东部石化基地、南沙临港石化基地建设，抓好80万吨乙烯改扩建项目。",
         "牵头单位：市发改委；配合单位：市经贸委、国土房管局、规划局、黄埔区政府、南沙区政府"],
        ["（三）创建以广州国际生物岛和广州科学城为核心区，番禺、从化、白云和花都为拓展辐射区的生物医药产业基地。",
         "牵头单位：市发改委；配合单位：市经贸委、科技局、外经贸局"],
        ["（四）加快广州空港、南沙、黄埔三大国际枢纽物流园区建设。", "牵头单位：市交委；配合单位：市经贸委、外经贸局"],
        ["（五）加快珠江新城金融商贸区建设，引导金融机构集聚发展。", "牵头单位：市金融办；配合单位：市国土房管局、规划局"],
    ],
    "counts": {"groups": 1, "tasks": 5, "items": 5, "agencies": 10},
    "agencies": ["市经贸委", "市发改委", "市国土房管局", "市外经贸局", "市规划局", "黄埔区政府", "南沙区政府",
                 "市科技局", "市交委", "市金融办"],
    "extra_columns": [],
    "items": [
        item("加快建设东部、花都、", task="加快建设东部、", group="一、努力构建", number="（一）",
             units=["市经贸委", "市发改委", "市国土房管局", "市外经贸局", "市规划局"], lead=["市经贸委"],
             partners=["市发改委", "市国土房管局", "市外经贸局", "市规划局"]),
        item("推进东部石化基地、南", task="推进东部石化基", group="一、努力构建", number="（二）",
             units=["市发改委", "市经贸委", "市国土房管局", "市规划局", "黄埔区政府", "南沙区政府"], lead=["市发改委"],
             partners=["市经贸委", "市国土房管局", "市规划局", "黄埔区政府", "南沙区政府"]),
        item("创建以广州国际生物岛", task="创建以广州国际", group="一、努力构建", number="（三）",
             units=["市发改委", "市经贸委", "市科技局", "市外经贸局"], lead=["市发改委"],
             partners=["市经贸委", "市科技局", "市外经贸局"]),
        item("加快珠江新城金融商贸", task="加快珠江新城金", group="一、努力构建", number="（五）",
             units=["市金融办", "市国土房管局", "市规划局"], lead=["市金融办"], partners=["市国土房管局", "市规划局"]),
    ],
}

# --- 平顶山市 2013: two heading levels with two sub-sections, 牵头单位/责任单位 columns ---------------------------
TABLES["pingdingshan-2013-zhongdian"] = {
    "source": "http://henan.kjzch.com/pingdingshan/2013-03-14/592561.html",
    "office": "平顶山市人民政府办公室",
    "title": "2013年市政府重点工作任务分解",
    "year": 2013,
    "shape": "published as a list with 牵头单位/责任单位 lines, typed as a table: heading rows 一、 and two （一）（二） "
             "under it; numbers 1.–4. typed in the task cell and running on across sub-sections; 等 inside the "
             "content (not units); units separated by 、 and ，; no deadline column",
    "excerpt": True,
    "widths": [60, 16, 40],
    "grid": [
        ["2013年市政府重点工作任务分解", L, L],
        ["工作任务", "牵头单位", "责任单位"],
        ["一、加快产业转型", L, L],
        ["（一）调整优化存量", L, L],
        [("1.对煤炭、电力、化工、钢铁等传统优势产业，加大帮扶力度，搭建好产销对接、银企对接服务平台，帮助企业开拓市场，增加"
         "订单，释放产能。"), "市工业和信息化局", "市发改委、市政府金融办、市商务局、市煤炭局"],
        [("2.利用市场倒逼机制，加快产业产品结构调整，重点抓好平煤神马25万吨己二酸和20万吨己内酰胺、海星化工10万吨针状焦、"
         "厚普盐化120万吨真空制盐、中加矿业300万吨铁精粉等项目建设，不断向下游精深加工延伸，巩固扩大传统产业优势。"),
         "市发改委", "市工业和信息化局，相关县（市、区）政府"],
        ["（二）着力扩大增量", L, L],
        [("3.装备制造产业，重点抓好智能电网高端装备产业基地、煤炭综采成套装备及智能控制系统、隆鑫机车工业园等项目，装备制造"
         "板块主营业务收入超400亿元。"), "市发改委", "市工业和信息化局、高新区管委会、新城区管委会，相关县（市、区）政府"],
        [("4.围绕新兴产业，重点抓好圣光医疗孵化园、兴宇中科锂电池隔膜等项目，形成一批超100亿元的优势产业集群和超20亿元的"
         "特色产业集群。"), "市发改委", "市工业和信息化局、高新区管委会、新城区管委会，相关县（市、区）政府"],
    ],
    "counts": {"groups": 2, "tasks": 4, "items": 4, "agencies": 8},
    "agencies": ["市工业和信息化局", "市发改委", "市政府金融办", "市商务局", "市煤炭局", "相关县（市、区）政府",
                 "高新区管委会", "新城区管委会"],
    "extra_columns": [],
    "items": [
        item("对煤炭、电力、化工、", task="对煤炭、电力、", group="（一）调整优", number="1",
             units=["市工业和信息化局", "市发改委", "市政府金融办", "市商务局", "市煤炭局"], lead=["市工业和信息化局"],
             partners=["市发改委", "市政府金融办", "市商务局", "市煤炭局"]),
        item("利用市场倒逼机制，加", task="利用市场倒逼机", group="（一）调整优", number="2",
             units=["市发改委", "市工业和信息化局", "相关县（市、区）政府"], lead=["市发改委"],
             partners=["市工业和信息化局", "相关县（市、区）政府"]),
        item("装备制造产业，重点抓", task="装备制造产业，", group="（二）着力扩", number="3",
             units=["市发改委", "市工业和信息化局", "高新区管委会", "新城区管委会", "相关县（市、区）政府"],
             lead=["市发改委"], partners=["市工业和信息化局", "高新区管委会", "新城区管委会", "相关县（市、区）政府"]),
        item("围绕新兴产业，重点抓", task="围绕新兴产业，", group="（二）着力扩", number="4",
             units=["市发改委", "市工业和信息化局", "高新区管委会", "新城区管委会", "相关县（市、区）政府"],
             lead=["市发改委"], partners=["市工业和信息化局", "高新区管委会", "新城区管委会", "相关县（市、区）政府"]),
    ],
}
