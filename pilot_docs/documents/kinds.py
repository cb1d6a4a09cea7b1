"""The document kinds: each declared once, as one small class (Sphinx's builders are the model).

A kind says what it is called (`--only NAME`), where its files go, its file stem, its template, its formats,
which of its formats go into each agency's mailing bundle, and whether it has a 目录 (laid out twice). The build,
the CLI's `--only` choices, `build --help` and the README's table of outputs are all made from `KINDS`.

A new kind of document is one class here (with `documents()` saying what it says, usually by calling a function
of its own module in documents/) and one template in templates/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from ..model import Model
from .common import Document

KINDS: list[Kind] = []


@dataclass
class Inputs:
    """What documents are made from: the model, the config, the report's date, and (asked for lazily, since only
    some kinds need them) the progress ledger's entries and the chart font."""

    model: Model
    config: dict[str, Any]
    as_of: dt.date | None = None
    read_entries: Callable[[], list] = list
    find_chart_font: Callable[[], tuple[str, int]] = field(default=lambda: ("", 0))
    read_issued: Callable[[], list] = list
    read_own_summaries: Callable[[], Any] = lambda: None

    @cached_property
    def own_summaries(self) -> Any:
        """The agencies' own year-end summaries (own_summaries.OwnSummaries, None without source/summaries/)."""
        return self.read_own_summaries()

    @cached_property
    def issued(self) -> list:
        """The issue register's records (mail/register.py)."""
        return self.read_issued()

    @cached_property
    def entries(self) -> list:
        """The progress ledger's entries."""
        return self.read_entries()

    @cached_property
    def chart_font(self) -> tuple[str, int]:
        """The 黑体 stand-in's file and face index, for chart labels."""
        return self.find_chart_font()

    @cached_property
    def summary(self) -> dict[str, Any]:
        """The year-end summary's content, charts drawn: made once for the summary and the volume."""
        from .summary import summary_context

        return summary_context(self.model, self.entries, self.chart_font)


class Kind:
    """One kind of output. Subclasses set the class attributes and, for a rendered kind, `documents()`."""

    name: ClassVar[str]  # as in --only
    folder: ClassVar[str] = ""  # under the output folder ("" = at its top)
    stem: ClassVar[str]  # file name without extension: {agency}, {date}, {year} are filled in
    template: ClassVar[str | None] = None  # the Jinja template, for a rendered kind
    formats: ClassVar[tuple[str, ...]] = ("docx", "pdf")  # what a full build writes ("html" on request)
    bundled: ClassVar[tuple[str, ...]] = ()  # formats that go into each agency's bundle
    per_agency: ClassVar[bool] = False  # one document per agency
    toc: ClassVar[bool] = False  # a 目录 with page numbers from a first layout
    rendered: ClassVar[bool] = True  # made from its template's HTML (False: made by code)
    landscape: ClassVar[bool] = False
    dated: ClassVar[bool] = False  # its files name a date: those of other dates stay in the output folder
    description: ClassVar[str] = ""  # one line for the README and --help

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        KINDS.append(cls())

    def documents(self, inputs: Inputs) -> list[Document]:
        """What this kind's documents say, one Document each (none for kinds made by code)."""
        return []

    def document(self, context: dict[str, Any], agency: str | None = None, **fields: Any) -> Document:
        """A Document of this kind, its stem filled in from `agency` and `fields` (date, year)."""
        assert self.template is not None
        return Document(kind=self.name, template=self.template, stem=self.stem.format(agency=agency, **fields),
                        agency=agency, context=context, landscape=self.landscape)

    def wanted(self, formats: tuple[str, ...]) -> tuple[str, ...]:
        """The formats of a build's `--format` that this kind writes (its first format if none of them)."""
        return tuple(f for f in formats if f in self.formats or f == "html") or self.formats[:1]

    def paths(self) -> list[str]:
        """Where its files go, for the README: `letters/交办通知-<agency>.docx/.pdf`."""
        stem = self.stem.replace("{agency}", "<agency>").replace("{date}", "<date>").replace("{year}", "<year>")
        path = f"{self.folder}/{stem}" if self.folder else stem
        return [f"{path}." + "/.".join(self.formats)]


class Annex(Kind):
    name = "annex"
    stem = "附件-任务责任分解表"
    template = "annex.html.j2"
    bundled = ("pdf",)
    landscape = True
    description = ("the annex: the office's own table, landscape, its headers as typed, section rows, 序号 and the "
                   "task merged over their items, header row repeated on every page")

    def documents(self, inputs: Inputs) -> list[Document]:
        from .annex import annex

        return [annex(inputs.model)]


class Letter(Kind):
    name = "letter"
    folder = "letters"
    stem = "交办通知-{agency}"
    template = "letter.html.j2"
    bundled = ("docx", "pdf")
    per_agency = True
    description = ("one assignment letter (交办通知) per agency: masthead, 发文字号, title, the agency's full name as "
                   "主送机关, its items grouped by task with deadlines and the units sharing them (牵头/配合 where the "
                   "table says), 工作要求, 附件说明, signature, 版记")

    def documents(self, inputs: Inputs) -> list[Document]:
        from ..mail.register import planned_numbers
        from .letter import letter

        model, records = inputs.model, inputs.issued
        numbers = planned_numbers(model, records, inputs.config, "letter", [a.name for a in model.agencies],
                                  {r.agency for r in records if r.kind == "letter"})
        return [letter(model, a, numbers.get(a.name, ("", 0))[0]) for a in model.agencies]


class ChangeNotice(Kind):
    name = "change"
    folder = "changes"
    stem = "变更通知-{agency}"
    template = "change.html.j2"
    bundled = ("docx", "pdf")
    per_agency = True
    description = ("a change notice (变更通知) to each agency whose assignment changed since it was last issued "
                   "to (`pilot-docs issue`): item by item, what was assigned before and what now")

    def documents(self, inputs: Inputs) -> list[Document]:
        from .change import change_notices

        return change_notices(inputs.model, inputs.issued, inputs.config)


class Form(Kind):
    name = "form"
    folder = "forms"
    stem = "进度反馈表-{agency}"
    formats = ("xlsx",)
    bundled = ("xlsx",)
    per_agency = True
    rendered = False
    description = "the agency's return form (进度反馈表): its items locked, input cells open (see the progress loop)"


class Progress(Kind):
    name = "progress"
    folder = "reports"
    stem = "进度通报-{date}"
    template = "progress.html.j2"
    dated = True
    description = ("the progress report (进度通报) as of `--as-of` (default `[report] as_of`, else today), each item's "
                   "light (red overdue, yellow due soon, green done) in its attachment and charts; reports of other "
                   "dates stay")

    def documents(self, inputs: Inputs) -> list[Document]:
        from .report import progress_report, report_date

        settings = inputs.config.get("report", {})
        return [progress_report(inputs.model, inputs.entries, report_date(settings, inputs.as_of), settings,
                                inputs.chart_font)]


class Reminder(Kind):
    name = "reminder"
    folder = "reminders"
    stem = "督办通知-{agency}-{date}"
    template = "reminder.html.j2"
    per_agency = True
    dated = True
    description = ("a reminder (督办通知) as of `--as-of` to each agency with items overdue or due within "
                   "`[report] at_risk_days`: each item's deadline, days overdue or left, last status and problems")

    def documents(self, inputs: Inputs) -> list[Document]:
        from .reminder import reminders
        from .report import report_date

        report = inputs.config.get("report", {})
        return reminders(inputs.model, inputs.entries, report_date(report, inputs.as_of), report,
                         inputs.config.get("reminder", {}), inputs.issued, inputs.config.get("numbering", {}))


class Summary(Kind):
    name = "summary"
    folder = "summary"
    stem = "年度总结汇编-{year}"
    template = "summary.html.j2"
    toc = True
    description = ("the year-end summary (年度总结汇编) as of 31 December: totals, charts, every item's outcome per "
                   "unit with the units' own words, per-agency rates, what is unfinished; a 目录 with page numbers "
                   "and PDF bookmarks")

    def documents(self, inputs: Inputs) -> list[Document]:
        from .summary import year_end_summary

        return [year_end_summary(inputs.model, inputs.entries, inputs.chart_font, inputs.summary)]


class Volume(Kind):
    name = "volume"
    folder = "summary"
    stem = "年度汇编合订本-{year}"
    template = "volume.html.j2"
    toc = True
    description = ("the compiled volume: the summary, the agencies' own year-end summaries from "
                   "`source/summaries/`, the annex and every agency's latest return in one page sequence, "
                   "bookmarked per part")

    def documents(self, inputs: Inputs) -> list[Document]:
        from .summary import compiled_volume

        return [compiled_volume(inputs.model, inputs.entries, inputs.chart_font, inputs.own_summaries,
                                inputs.summary)]


class Styles(Kind):
    name = "styles"
    stem = "公文样式"
    formats = ("dotx",)
    rendered = False
    description = ("a Word template (.dotx) of the documents' styles (正文, 标题, 标题 1–3, 目录 1–3, 发文机关标志, "
                   "发文字号, 主送机关, 附件说明, 署名, 成文日期, 版记 …) and page setup, for the office's own "
                   "documents; written when a build writes DOCX")


class Bundle(Kind):
    name = "bundle"
    folder = "bundles"
    stem = "{agency}"
    formats = ("zip",)
    per_agency = True
    rendered = False
    description = ("the agency's mailing bundle: the bundled formats of each kind (letter DOCX and PDF, annex PDF, "
                   "return form), `manifest.json` (names, sizes, sha256) and an `.eml` draft")

    def paths(self) -> list[str]:
        return ["bundles/<agency>/", "bundles/<agency>.zip"]


class Index(Kind):
    name = "index"
    stem = "index"
    formats = ("html",)
    rendered = False
    description = "an overview for the browser: every document linked, each agency's status, each item's light, the charts"


def kind(name: str) -> Kind:
    """The kind of a name (a KeyError names an unknown one)."""
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(name)


def names() -> tuple[str, ...]:
    """Every kind's name, in build order."""
    return tuple(k.name for k in KINDS)


def markdown_table() -> str:
    """The README's table of what a build writes, made from the kinds."""
    rows = ["| path | kind | what |", "| --- | --- | --- |"]
    for k in KINDS:
        rows.append(f"| {', '.join(f'`{p}`' for p in k.paths())} | `{k.name}` | {k.description} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m pilot_docs.documents.kinds: print the README's table
    print(markdown_table())
