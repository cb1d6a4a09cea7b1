"""督办通知: one reminder per agency with items overdue or due soon, exactly those, as of a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from pilot_docs.build import build
from pilot_docs.documents.progress import progress
from pilot_docs.documents.reminder import reminders
from pilot_docs.returns.ledger import ledger_path, read_ledger
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO


def test_reminders_go_to_exactly_the_agencies_with_items_overdue_or_due_soon() -> None:
    project = find_project(REPO)
    model, _ = load_model(project)
    entries = read_ledger(ledger_path(project))
    for as_of in (dt.date(2009, 7, 1), dt.date(2009, 11, 1)):
        figures = progress(model, entries, as_of, 30)
        expected = {p.agency for i in figures.items for p in i.pairs if p.overdue or p.at_risk}
        docs = reminders(model, entries, as_of, {"at_risk_days": 30}, {})
        assert {d.agency for d in docs} == expected and expected
        for doc in docs:
            listed = {(i["id"], i["overdue"]) for i in doc.context["items"]}
            assert listed == {(p.item, p.overdue) for i in figures.items for p in i.pairs
                              if p.agency == doc.agency and (p.overdue or p.at_risk)}
            assert all(i["days"] >= 0 for i in doc.context["items"])
    # fewer days of warning, fewer reminders; none before anything is due
    assert len(reminders(model, entries, dt.date(2009, 11, 1), {"at_risk_days": 0}, {})) <= len(docs)
    assert reminders(model, entries, dt.date(2009, 1, 1), {"at_risk_days": 0}, {}) == []


def test_build_writes_reminders_as_of_a_date_and_keeps_those_of_other_dates(tmp_path: Path) -> None:
    build(REPO, tmp_path, only=("reminder",), formats=("pdf",), as_of=dt.date(2009, 7, 1))
    first = sorted(p.name for p in (tmp_path / "reminders").iterdir())
    assert first == ["督办通知-市财政局-2009-07-01.pdf"]
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "reminders" / first[0]).pages)
    text = text.replace("\n", "")
    assert "江门市财政局：" in text and "已逾期1日" in text and "请你单位对上述事项认真分析原因" in text
    assert "2009年7月8日前" in text  # reply within [reminder] reply_days (7) of the date
    result = build(REPO, tmp_path, only=("reminder",), formats=("pdf",), as_of=dt.date(2009, 11, 1))
    assert result.count("reminder") > 1
    assert (tmp_path / "reminders" / first[0]).is_file()  # issued reminders of another date stay
