"""pilot-docs build: workbook → model → documents → HTML → PDF and DOCX → build/, read top to bottom."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .collect import ledger_path
from .documents import Document, documents
from .errors import FontError, Problem
from .forms import return_form
from .ledger import read_ledger
from .model import Model
from .output import Output, OutputFolder, safe_name
from .project import Project, find_project, load_model
from .reports import progress_report, report_date
from .templating import environment, render_template, template_path

KINDS = ("annex", "letter", "form", "progress")
FORMATS = ("docx", "pdf")
FOLDERS = {"annex": "", "letter": "letters", "form": "forms", "progress": "reports"}


@dataclass
class BuildResult:
    """What a build wrote, and how long it took."""

    out: Path
    outputs: list[Output] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, kind: str) -> int:
        """How many documents of a kind were written (any format counted once)."""
        return len({(o.agency, o.path.rsplit(".", 1)[0]) for o in self.outputs if o.kind == kind})


@dataclass
class Job:
    """One document to write: a rendered template (in each format) or a return form."""

    kind: str
    agency: str | None
    stem: str
    document: Document | None = None
    make_form: Callable[[], bytes] | None = None


def build(source: Path | None = None, out: Path | None = None, only: tuple[str, ...] = (),
          formats: tuple[str, ...] = FORMATS, year: int | None = None, as_of: dt.date | None = None) -> BuildResult:
    """Build every document of the project (or only some kinds) in the given formats, then the manifest."""
    start = time.perf_counter()
    project = find_project(source)
    model, warnings = load_model(project, year)
    fonts = _fonts(project)
    jobs = [j for j in _jobs(project, model, fonts, as_of, only or KINDS) if j.kind in (only or KINDS)]
    folder = OutputFolder(out or project.root / "build")
    env = environment(project.templates_dir)
    result = BuildResult(out=folder.root, warnings=warnings)
    for job, relative in zip(jobs, _file_names(jobs), strict=True):
        if job.make_form is not None:
            data = job.make_form()
            result.outputs.append(Output(job.kind, job.agency, "xlsx", f"{relative}.xlsx",
                                         folder.write(f"{relative}.xlsx", data)))
            continue
        assert job.document is not None
        template = template_path(env, job.document.template)
        html = render_template(env, job.document.template, job.document.context)
        for fmt in formats:
            data = _render(fmt, html, template, fonts, project, model)
            result.outputs.append(Output(job.kind, job.agency, fmt, f"{relative}.{fmt}",
                                         folder.write(f"{relative}.{fmt}", data)))
    folder.write_manifest(result.outputs, previous=folder.read_manifest())
    result.seconds = time.perf_counter() - start
    return result


def _jobs(project: Project, model: Model, fonts, as_of: dt.date | None,
          kinds: tuple[str, ...]) -> list[Job]:
    """Every document of a build in a stable order: annex, letters, forms, the progress report."""
    jobs = [Job(d.kind, d.agency, d.stem, document=d) for d in documents(model)]
    jobs += [Job("form", a.name, f"进度反馈表-{a.name}", make_form=_form_maker(model, a)) for a in model.agencies]
    if "progress" not in kinds:
        return jobs
    settings = project.config.get("report", {})
    when = report_date(settings, as_of)
    entries = read_ledger(ledger_path(project))
    report = progress_report(model, entries, when, settings, _chart_font(fonts))
    jobs.append(Job("progress", None, report.stem, document=report))
    return jobs


def _form_maker(model: Model, agency) -> Callable[[], bytes]:
    return lambda: return_form(model, agency)


def _file_names(jobs: list[Job]) -> list[str]:
    """Each document's path without extension, relative to the output folder; unique even if names clash."""
    seen: dict[str, int] = {}
    names = []
    for job in jobs:
        base = safe_name(job.stem)
        folder = FOLDERS.get(job.kind, job.kind)
        key = f"{folder}/{base}".lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            base = f"{base}-{seen[key]}"
        names.append(f"{folder}/{base}" if folder else base)
    return names


def _fonts(project: Project):
    from .render.fonts import FontConfig

    return FontConfig(project.config.get("fonts") or None, folder=project.root / "fonts")


def _chart_font(fonts) -> tuple[str, int]:
    """The 黑体 stand-in's file and face index, for chart labels."""
    from .render.vocabulary import HEITI

    faces = fonts.faces(HEITI)
    if not faces:
        raise FontError(f"no installed font for {HEITI} (chart labels): {fonts.describe(HEITI)}")
    return faces[0].path, faces[0].index


def _render(fmt: str, html: str, template: str, fonts, project: Project, model: Model) -> bytes:
    if fmt == "pdf":
        from .render.pdf import render_pdf

        return render_pdf(html, base_url=str(project.root), fonts=fonts, source_name=template)
    if fmt == "docx":
        from .render.docx import render_docx

        return render_docx(html, source_name=template, fonts=fonts, date=model.plan.extra.get("date"))
    return html.encode("utf-8")
