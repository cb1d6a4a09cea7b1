"""The figures of a progress report, computed from a known ledger."""

from __future__ import annotations

import datetime as dt

from pilot_docs.documents.progress import progress
from pilot_docs.returns.ledger import Entry
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO


def entry(agency: str, item: str, status: str, reported: str, date: str | None = None) -> Entry:
    return Entry(agency=agency, item=item, status=status, date=date, text="", problems="", contact="",
                 reported=reported, file="f.xlsx", sha256="0" * 64, sheet="进度反馈", row=7,
                 collected_at="2009-07-01T00:00:00")


def seed():
    return load_model(find_project(REPO))[0]


def test_nothing_reported() -> None:
    report = progress(seed(), [], dt.date(2009, 7, 1))
    assert report.total.pairs == sum(len(a.items) for a in seed().agencies)
    assert report.total.done == 0 and report.agencies_reported == 0
    # 1.1 (上半年前 = 2009-06-30) is the only item due before 2009-07-01
    assert [i.item.id for i in report.overdue_items] == ["1.1"]
    assert report.overdue_items[0].pending_agencies == ["市编办", "市安监局", "市财政局"]
    assert report.at_risk_items == []


def test_overdue_exactly_when_deadline_passed_without_done() -> None:
    model = seed()
    entries = [entry("市编办", "1.1", "已完成", "2009-06-20", "2009-06-18"),
               entry("市安监局", "1.1", "已完成", "2009-06-29", "2009-06-29"),
               entry("市财政局", "1.1", "已完成", "2009-07-05", "2009-07-03")]  # reported after the date
    report = progress(model, entries, dt.date(2009, 7, 1))
    assert [i.item.id for i in report.overdue_items] == ["1.1"]
    assert report.overdue_items[0].pending_agencies == ["市财政局"]
    later = progress(model, entries, dt.date(2009, 7, 10))
    assert later.overdue_items == [] and later.items_done == 1
    item = later.items[0]
    assert [p.on_time for p in item.pairs] == [True, True, False]  # 市财政局 finished after 6-30
    # as of 2009-11-01 every 10月 item is overdue unless done
    autumn = progress(model, entries, dt.date(2009, 11, 1))
    ids = {i.item.id for i in autumn.overdue_items}
    assert ids == {i.id for i in model.items() if i.deadline.date and i.deadline.date < dt.date(2009, 11, 1)} - {"1.1"}


def test_latest_report_wins_and_tallies() -> None:
    model = seed()
    entries = [entry("市安监局", "2.1", "推进中", "2009-06-01"), entry("市安监局", "2.1", "已完成", "2009-06-15", "2009-06-14"),
               entry("市法制局", "2.1", "滞后", "2009-06-15")]
    report = progress(model, entries, dt.date(2009, 10, 10), at_risk_days=30)
    task2 = report.tasks[1]
    assert (task2.items, task2.pairs, task2.reported, task2.done, task2.at_risk) == (1, 3, 2, 1, 2)
    ajj = next(a for a in report.agencies if a.name == "市安监局")
    assert (ajj.items, ajj.done, ajj.on_time, ajj.reported) == (14, 1, 1, 1)
    assert report.agencies_reported == 2
    assert round(report.total.rate, 4) == round(1 / report.total.pairs, 4)
