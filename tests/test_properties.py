"""Properties of reading and collecting (hypothesis): whatever the cells hold, the reader returns a model or
refuses with our own errors, and collect records exactly the valid rows of a form or refuses it whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pilot_docs.errors import SourceError, ValidationFailed
from pilot_docs.model import Model
from pilot_docs.render.fonts import FontConfig
from pilot_docs.returns.collect import collect, ledger_path
from pilot_docs.returns.forms import FORM_SHEET, HEADER_ROW, REPORT_DATE_CELL, STATUSES, return_form
from pilot_docs.returns.ledger import read_ledger
from pilot_docs.returns.printable import glyph_check
from pilot_docs.source.deadlines import cn_number, parse_deadline
from pilot_docs.source.grid import clean_text
from pilot_docs.source.project import find_project, load_model, read_model
from pilot_docs.source.reader import TABLE_HEADERS
from pilot_docs.source.units import split_units
from pilot_docs.source.xlsx import SourceBook

PROJECT = Path(__file__).resolve().parent / "corpus" / "project"
def examples(n: int) -> settings:
    """Settings for a property: n examples, no deadline (file I/O varies), fixtures shared between examples."""
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

def mostly(good: st.SearchStrategy, bad: st.SearchStrategy, one_in: int = 8) -> st.SearchStrategy:
    """The good strategy, except about one time in `one_in` the bad one (shrinking goes to the good one)."""
    return st.sampled_from([False] * (one_in - 1) + [True]).flatmap(lambda worse: bad if worse else good)


def rarely(strategy: st.SearchStrategy, one_in: int = 8) -> st.SearchStrategy:
    """None, except about one time in `one_in` the strategy: most inputs come as they should."""
    return mostly(st.none(), strategy, one_in)


# ---------------------------------------------------------------- text that offices type

WORDS = ["市安监局", "市公安局", "各市、区人民政府", "市司法局(普法办、法制办)", "（牵头）", "配合", "注：", "10月底前",
         "上半年", "第三季度", "持续推进", "2009年6月30日", "2009-06-30", "十二", "十十", "一二十", "１２", "²", "三、",
         "{{ 7*7 }}", "<b>", "&amp;", "../..", "CON", "\u2028", "\u3000", "\n", "、", "，", ",", "；", ";", " ",
         "(", "）", "【", "〔", "#REF!", "=A1", "序号", "工作任务", "责任单位", "完成时间", "简称", "全称", "组名", "成员"]
text = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=6).map(
    lambda parts: ILLEGAL_CHARACTERS_RE.sub("", "".join(parts)))  # what openpyxl can write (and Excel save)
headers = st.sampled_from([name for names in TABLE_HEADERS.values() for name in names] + ["备注", "简称", "全称"])
value = st.one_of(
    st.none(), text, headers, st.integers(-10, 10**12), st.floats(allow_nan=False),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)),
    st.booleans(),
)


@examples(300)
@given(text)
def test_units_and_deadlines_never_fail(cell: str) -> None:
    units = split_units(cell, ["各市、区人民政府", "市司法局(普法办、法制办)"])
    assert all(u and u == " ".join(u.split()) for u in units)
    deadline, _ = parse_deadline(cell, 2009)
    assert deadline.kind in ("by", "ongoing", "recurring", "unknown", "none")
    number = cn_number(cell)
    assert number is None or 0 <= number < 10**9


# ---------------------------------------------------------------- the reader on random grids


@st.composite
def grids(draw: st.DrawFn) -> Workbook:
    """A workbook of one to three sheets: random cells, often a header row of known names, merged ranges."""
    wb = Workbook()
    wb.remove(wb.active)
    for n in range(draw(st.integers(1, 3))):
        ws = wb.create_sheet(draw(st.sampled_from(["任务分解", "单位名录", "单位分组", "Sheet"])) + str(n))
        rows, cols = draw(st.integers(1, 12)), draw(st.integers(1, 7))
        if draw(st.booleans()):  # a header the reader knows, somewhere near the top
            top = draw(st.integers(1, 3))
            for c in range(1, cols + 1):
                ws.cell(top, c, draw(headers))
        for _ in range(draw(st.integers(0, rows * cols))):
            r, c = draw(st.integers(1, rows)), draw(st.integers(1, cols))
            v = draw(value)
            if isinstance(v, str) and v.startswith("="):
                v = "'" + v  # a formula needs a saved value; test_uncached_formulas covers the others
            ws.cell(r, c, v)
        taken: set[tuple[int, int]] = set()
        for _ in range(draw(st.integers(0, 4))):
            r1, c1 = draw(st.integers(1, rows)), draw(st.integers(1, cols))
            r2, c2 = draw(st.integers(r1, rows)), draw(st.integers(c1, cols))
            cells = {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
            if (r1, c1) != (r2, c2) and not cells & taken:
                taken |= cells
                ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    return wb


UNITS = ["市安监局", "市公安局", "市财政局", "各市、区人民政府", "市司法局(普法办)", "市公安局（牵头）", "../x", "CON"]
SEPARATORS = ["、", "，", ",", "；", "\n", " ", "\u3000"]


@st.composite
def tables(draw: st.DrawFn) -> Workbook:
    """A table laid out the way offices type it, now and then with the accidents they make: blanks, stray
    values, bad numbers, merges over the wrong rows, a registry that does not know every unit."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    top = draw(st.integers(1, 3))
    if top > 1:
        ws.cell(1, 1, draw(mostly(st.just("2009年任务分解表"), st.sampled_from(["任务分解表", "注：", ""]))))
    columns = draw(mostly(st.just(["序号", "工作任务", "工作内容", "责任单位", "完成时间"]),
                          st.permutations(["序号", "工作任务", "工作内容", "责任单位", "完成时间"])))
    for c, name in enumerate(columns, 1):
        ws.cell(top, c, name)
    rows = draw(st.integers(1, 15))
    task = 0
    for r in range(top + 1, top + 1 + rows):
        new = r == top + 1 or draw(st.booleans())
        task += new
        cells = {
            "序号": draw(mostly(st.sampled_from([task, str(task), f"{task}.", f"（{task}）"] if new else [None]),
                              st.sampled_from(["十十", "x", "²", -1, 1, None]), 12)),
            "工作任务": draw(mostly(st.just(f"任务{task}" if new else None),
                                st.sampled_from(["任务一", "{{ x }}", None]), 12)),
            "工作内容": draw(mostly(st.tuples(st.sampled_from(["加强", "开展", "落实"]), text).map("".join),
                                st.one_of(st.none(), text))),
            "责任单位": draw(mostly(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3).flatmap(
                lambda us: st.sampled_from(SEPARATORS).map(lambda sep: sep.join(us))), st.one_of(st.none(), text))),
            "完成时间": draw(mostly(st.one_of(st.sampled_from(["6月底前", "上半年", "年底前", "第三季度", "持续推进"]),
                                          st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), st.none()),
                                value)),
        }
        for c, name in enumerate(columns, 1):
            if cells[name] is not None:
                ws.cell(r, c, cells[name])
    for _ in range(draw(st.integers(0, 3))):
        c = draw(st.integers(1, 5))
        r1 = draw(st.integers(top + 1, top + rows))
        r2 = draw(st.integers(r1, top + rows))
        if r2 > r1 and not any(rng.min_col <= c <= rng.max_col and not (r2 < rng.min_row or r1 > rng.max_row)
                               for rng in ws.merged_cells.ranges):
            ws.merge_cells(start_row=r1, start_column=c, end_row=r2, end_column=c)
    if draw(st.booleans()):
        known = draw(mostly(st.just(REGISTERED), st.lists(st.sampled_from(REGISTERED), max_size=8)))
        registry = wb.create_sheet("单位名录")
        registry.append(["简称", "全称", "别名"])
        for unit in known:
            registry.append([unit, "江门" + unit, {"市司法局": "市司法局(普法办)"}.get(unit)])
        groups = wb.create_sheet("单位分组")
        groups.append(["组名", "成员"])
        groups.append(["各市、区人民政府", "蓬江区人民政府"])
        groups.append([None, draw(mostly(st.just("江海区人民政府"), st.just("江海区政府")))])
    return wb


REGISTERED = ["市安监局", "市公安局", "市财政局", "市司法局", "../x", "CON", "蓬江区人民政府", "江海区人民政府"]


@examples(300)
@given(st.one_of(grids(), tables(), tables()), st.sampled_from([None, 2009]))
def test_the_reader_returns_a_model_or_our_error(wb: Workbook, year: int | None) -> None:
    """Read in memory (no file), so that many grids are tried: a model whose items all have units, or a
    SourceError (ValidationFailed included) whose every line names the workbook."""
    try:
        model, warnings = read_model(SourceBook(wb), "t.xlsx", {}, year)
    except SourceError as exc:
        assert all(line.startswith("t.xlsx") or " error(s) in " in line for line in str(exc).splitlines())
        event("refused")
        return
    event("accepted")
    assert isinstance(model, Model) and model.tasks
    assert all(item.units for item in model.items()) and all(w.severity == "warning" for w in warnings)
    ids = [item.id for item in model.items()]
    assert len(ids) == len(set(ids))
    assert {i for a in model.agencies for i in a.items} <= set(ids)
    json.dumps(model.to_json(), ensure_ascii=False).encode("utf-8")  # writable: no lone surrogates


@examples(25)
@given(grids())
def test_the_same_through_a_file(tmp_path_factory: pytest.TempPathFactory, wb: Workbook) -> None:
    path = tmp_path_factory.mktemp("grid") / "t.xlsx"
    wb.save(path)
    try:
        load_model(find_project(path), 2009)
    except SourceError as exc:
        assert "\n" not in str(exc) or isinstance(exc, ValidationFailed)


# ---------------------------------------------------------------- collect on mutated forms

AGENCY = "市安监局"
ITEMS = ["1.1", "1.2", "3.1"]  # the agency's items in the corpus project, in form order
COLLECTED = dt.datetime(2009, 7, 1)
PRINTABLE = glyph_check(FontConfig(folder=PROJECT / "fonts"))  # the corpus project's fonts (no [fonts] table)
GOOD_DATES = ("2009-06-30", "2009/6/30", "2009年6月30日")
printable = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", "\u2028"]),
                    max_size=8).filter(lambda t: not t.startswith("="))  # openpyxl would write a formula


inputs = st.tuples(
    mostly(st.sampled_from(STATUSES), st.sampled_from([" 已完成 ", "完成了", "", None])),
    mostly(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), st.sampled_from(GOOD_DATES)),
           st.sampled_from(["", "六月底", "2009-02-30", 40000])),
    st.one_of(st.none(), printable), st.one_of(st.none(), printable), st.one_of(st.none(), printable),
)
mutations = st.fixed_dictionaries({
    "reported": mostly(st.dates(dt.date(2009, 1, 1), dt.date(2009, 12, 31)), st.sampled_from(["下周", None])),
    "rows": st.dictionaries(st.sampled_from(ITEMS), inputs, min_size=1, max_size=3),
    "locked": rarely(st.tuples(st.sampled_from(ITEMS), st.integers(2, 4), printable), 10),
    "id": rarely(st.tuples(st.sampled_from(ITEMS), st.sampled_from([*ITEMS, "9.9", "1.10"])), 10),
    "extra": rarely(st.tuples(st.integers(10, 40), st.sampled_from([1, 5, 7, 26]),
                              st.sampled_from(["备注", "1.1", "已完成", "x"])), 10),
})


def blank(v: object) -> bool:
    return v is None or v == ""


def oracle(m: dict) -> list[tuple[str, str]] | None:
    """The (item, status) rows a mutated form must add, or None when it must be refused whole."""
    if not isinstance(m["reported"], dt.date) or m["locked"] is not None or m["id"] is not None:
        return None  # no report date; a locked cell edited; an item id changed (unknown, or twice)
    if m["extra"] is not None and m["extra"][1] != 26:
        return None  # an id or an input below the items: an unknown item
    if m["reported"] > COLLECTED.date():
        return None  # a 填报日期 after the day of collecting
    rows = []
    for item in ITEMS:
        values = m["rows"].get(item)
        if values is None or all(blank(v) for v in values):
            continue
        state = " ".join(str(values[0] or "").split())
        date = values[1]
        # 40000 typed in the date-formatted 完成日期 cell is the date Excel shows (2009-07-06): accepted
        if state not in STATUSES or not (blank(date) or isinstance(date, dt.date) or date in (*GOOD_DATES, 40000)):
            return None
        completed = date if isinstance(date, dt.date) else dt.date(2009, 7, 6) if date == 40000 else \
            dt.date(2009, 6, 30) if date in GOOD_DATES else None
        if completed is not None and completed > m["reported"]:
            return None  # completed after the form's 填报日期
        if any(PRINTABLE(clean_text(v)) for v in values[2:] if isinstance(v, str)):
            return None  # a character no document could print
        rows.append((item, state))
    return rows or None  # a form that reports nothing is refused


class FormsProject(tuple):
    """(project folder, blank form of 市安监局), shown briefly when a property fails."""

    def __repr__(self) -> str:
        return f"FormsProject({self[0]})"


@pytest.fixture(scope="module")
def forms_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A copy of the corpus project and the blank form of 市安监局."""
    root = tmp_path_factory.mktemp("collect") / "project"
    shutil.copytree(PROJECT, root)
    model, _ = load_model(find_project(root))
    assert model.agency(AGENCY).items == ITEMS
    return FormsProject((root, return_form(model, model.agency(AGENCY))))


def filled(blank_form: bytes, m: dict) -> Workbook:
    """The form with the mutations applied."""
    wb = load_workbook(io.BytesIO(blank_form))
    ws = wb[FORM_SHEET]
    ws[REPORT_DATE_CELL] = m["reported"]
    rows = {item: HEADER_ROW + 1 + n for n, item in enumerate(ITEMS)}
    for item, values in m["rows"].items():
        for offset, v in enumerate(values):
            ws.cell(rows[item], 5 + offset, v)
    if m["locked"] is not None:
        item, col, new = m["locked"]
        ws.cell(rows[item], col, f"改{new}")  # never what was there
    if m["id"] is not None:
        item, new = m["id"]
        ws.cell(rows[item], 1, new if new != item else f"{new}.0")
    if m["extra"] is not None:
        r, c, v = m["extra"]
        ws.cell(r, c, v)
    return wb


@examples(150)
@given(mutations)
def test_collect_records_exactly_the_valid_rows_or_nothing(forms_project: tuple[Path, bytes], m: dict) -> None:
    root, blank_form = forms_project
    path = root.parent / "form.xlsx"
    filled(blank_form, m).save(path)
    ledger = ledger_path(find_project(root))
    before = ledger.read_bytes() if ledger.exists() else b""
    archived = sorted((root / "source").rglob("*.xlsx"))
    known = {e.sha256 for e in read_ledger(ledger)}
    result = collect([path], root, COLLECTED)
    after = ledger.read_bytes() if ledger.exists() else b""
    if hashlib.sha256(path.read_bytes()).hexdigest() in known:  # the same bytes again: nothing added
        assert result.skipped and after == before
        return
    expected = oracle(m)
    event("refused" if expected is None else f"accepted {len(expected)} row(s)")
    if expected is None:
        assert result.refused and not result.added, [(e.item, e.status) for e in result.added]
        assert after == before and sorted((root / "source").rglob("*.xlsx")) == archived
        assert all(str(p).startswith(str(path)) for p in result.refused)
    else:
        assert not result.refused, [str(p) for p in result.refused]
        assert [(e.item, e.status) for e in result.added] == expected
        assert after.startswith(before) and read_ledger(ledger)[-len(expected):] == result.added


# ---------------------------------------------------------------- the ledger


@examples(150)
@given(st.lists(st.one_of(text, st.just('{"agency": 1}'), st.just("[]"), st.just("{}")), max_size=4))
def test_a_damaged_ledger_is_refused_never_misread(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    path = tmp_path_factory.mktemp("ledger") / "progress-ledger.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        entries = read_ledger(path)
    except SourceError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        return
    assert all(entry.reported_date for entry in entries)


def test_unwritable_characters_are_dropped_on_reading() -> None:
    """Characters no document can carry (a control character, a lone surrogate) never reach the model; the other
    line breaks (U+2028, a vertical tab) become line breaks."""
    wb = Workbook()
    ws = wb.active
    for c, name in enumerate(["序号", "工作任务", "工作内容", "责任单位", "完成时间"], 1):
        ws.cell(1, c, name)
    for c, raw in enumerate([1, "任务\x01", "内容\ud800一\u2028二\x0b三", "市安监局\x1f", "10月"], 1):
        ws.cell(2, c)._value = raw  # past openpyxl's own check, as a damaged file might hold
    model, _ = read_model(SourceBook(wb), "t.xlsx", {}, 2009)
    item = model.items()[0]
    assert (model.tasks[0].title, item.content, item.units) == ("任务", "内容一\n二\n三", ["市安监局"])
