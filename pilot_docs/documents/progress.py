"""进度: the figures of a progress report as of a date, from the model and the ledger. Plain data, no I/O.

A pair is one agency's share of one work item. A pair is done when the agency's latest report (as of the date)
says 已完成; an item is done when all its pairs are. Overdue = the deadline has passed (before the as-of date)
and not done; at risk = the deadline falls within `at_risk_days` from the as-of date and not done.

Each item (and each pair) has a light: red (overdue), yellow (due soon), green (done), or none (not done and not
yet near its deadline, or without a date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Model, WorkItem
from ..returns.ledger import Entry, latest

DONE = "已完成"
NOT_REPORTED = "未报送"
RED, YELLOW, GREEN = "red", "yellow", "green"
LIGHT_WORDS = {RED: "逾期", YELLOW: "临期", GREEN: "已完成"}


def light_of(done: bool, overdue: bool, at_risk: bool) -> str | None:
    """The light of an item or a pair: red overdue, yellow due soon, green done, None otherwise."""
    return GREEN if done else RED if overdue else YELLOW if at_risk else None


@dataclass
class Pair:
    """One agency's share of one item, as of the report date."""

    agency: str
    item: str
    status: str  # a status from the form, or 未报送
    done: bool
    on_time: bool
    overdue: bool
    at_risk: bool
    entry: Entry | None = None

    @property
    def light(self) -> str | None:
        """red, yellow, green or None (see light_of)."""
        return light_of(self.done, self.overdue, self.at_risk)


@dataclass
class Tally:
    """Counts for one task, one agency or the whole plan."""

    name: str
    items: int = 0
    pairs: int = 0
    reported: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    at_risk: int = 0

    @property
    def rate(self) -> float:
        """Share of pairs done, 0..1."""
        return self.done / self.pairs if self.pairs else 0.0

    def add(self, pair: Pair) -> None:
        """Count one pair."""
        self.pairs += 1
        self.reported += pair.status != NOT_REPORTED
        self.done += pair.done
        self.on_time += pair.on_time
        self.overdue += pair.overdue
        self.at_risk += pair.at_risk


@dataclass
class ItemProgress:
    """One work item across its agencies."""

    item: WorkItem
    task_no: int
    pairs: list[Pair]

    @property
    def done(self) -> bool:
        """All its agencies report 已完成."""
        return all(p.done for p in self.pairs)

    @property
    def overdue(self) -> bool:
        """Its deadline passed and some agency has not completed it."""
        return any(p.overdue for p in self.pairs)

    @property
    def at_risk(self) -> bool:
        """Its deadline is near and some agency has not completed it."""
        return any(p.at_risk for p in self.pairs)

    @property
    def light(self) -> str | None:
        """red when overdue, yellow when due soon, green when done by all its agencies, else None."""
        return light_of(self.done, self.overdue, self.at_risk)

    @property
    def pending_agencies(self) -> list[str]:
        """The agencies that have not reported it 已完成."""
        return [p.agency for p in self.pairs if not p.done]


@dataclass
class Progress:
    """Everything a progress report shows."""

    as_of: dt.date
    at_risk_days: int
    items: list[ItemProgress] = field(default_factory=list)
    tasks: list[Tally] = field(default_factory=list)
    agencies: list[Tally] = field(default_factory=list)
    total: Tally = field(default_factory=lambda: Tally("合计"))

    @property
    def items_done(self) -> int:
        """Items every agency has completed."""
        return sum(i.done for i in self.items)

    @property
    def overdue_items(self) -> list[ItemProgress]:
        """Items whose deadline passed without 已完成 from all their agencies."""
        return [i for i in self.items if i.overdue]

    @property
    def at_risk_items(self) -> list[ItemProgress]:
        """Items due soon and not done."""
        return [i for i in self.items if i.at_risk]

    @property
    def agencies_reported(self) -> int:
        """Agencies that reported at least one item."""
        return sum(1 for a in self.agencies if a.reported)


def progress(model: Model, entries: list[Entry], as_of: dt.date, at_risk_days: int = 30) -> Progress:
    """The progress of every item and agency as of a date."""
    reports = latest(entries, as_of)
    result = Progress(as_of=as_of, at_risk_days=at_risk_days)
    by_agency = {a.name: Tally(a.name) for a in model.agencies}
    owners: dict[str, list[str]] = {}
    for agency in model.agencies:
        for item_id in agency.items:
            owners.setdefault(item_id, []).append(agency.name)
    for task in model.tasks:
        tally = Tally(task.title)
        for item in task.items:
            pairs = [_pair(item, name, reports.get((name, item.id)), as_of, at_risk_days)
                     for name in owners.get(item.id, [])]
            result.items.append(ItemProgress(item, task.no, pairs))
            tally.items += 1
            for pair in pairs:
                tally.add(pair)
                by_agency[pair.agency].add(pair)
                by_agency[pair.agency].items += 1
                result.total.add(pair)
        result.tasks.append(tally)
    result.total.items = len(result.items)
    result.agencies = list(by_agency.values())
    return result


def _pair(item: WorkItem, agency: str, entry: Entry | None, as_of: dt.date, days: int) -> Pair:
    deadline = item.deadline.date
    done = entry is not None and entry.status == DONE
    finished = (entry.completed or entry.reported_date) if done and entry else None
    on_time = done and (deadline is None or (finished is not None and finished <= deadline))
    overdue = not done and deadline is not None and deadline < as_of
    at_risk = not done and deadline is not None and as_of <= deadline <= as_of + dt.timedelta(days=days)
    return Pair(agency, item.id, entry.status if entry else NOT_REPORTED, done, on_time, overdue, at_risk, entry)
