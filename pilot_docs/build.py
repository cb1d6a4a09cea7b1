"""pilot-docs build: workbook → model → documents → HTML → PDF and DOCX → build/, read top to bottom."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .cache import CACHE_FILE, cache_text, code_version, digest, fonts_key, read_cache
from .collect import ledger_path
from .documents import documents
from .errors import FontError, Problem
from .forms import return_form
from .ledger import read_ledger
from .model import Model
from .output import STATE_DIR, Output, OutputFolder, safe_name
from .parallel import RenderTask, render_all
from .project import Project, find_project, load_model
from .reports import progress_report, report_date
from .templating import environment, render_template, template_path

KINDS = ("annex", "letter", "form", "progress")
FORMATS = ("docx", "pdf")
FOLDERS = {"annex": "", "letter": "letters", "form": "forms", "progress": "reports"}


@dataclass
class BuildResult:
    """What a build wrote, reused and removed, and how long it took."""

    out: Path
    outputs: list[Output] = field(default_factory=list)  # this build's outputs, rendered or reused
    rendered: list[str] = field(default_factory=list)  # paths made anew
    reused: list[str] = field(default_factory=list)  # paths whose key had not changed
    removed: list[str] = field(default_factory=list)  # stale outputs deleted
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, kind: str) -> int:
        """How many documents of a kind this build produced (any format counted once)."""
        return len({o.path.rsplit(".", 1)[0] for o in self.outputs if o.kind == kind})


@dataclass
class Job:
    """One output file: a format of a rendered template, or a return form."""

    kind: str
    agency: str | None
    path: str
    fmt: str
    key: str
    html: str = ""
    template: str = ""
    form: Callable[[], bytes] | None = None


def build(source: Path | None = None, out: Path | None = None, only: tuple[str, ...] = (),
          formats: tuple[str, ...] = FORMATS, year: int | None = None, as_of: dt.date | None = None,
          on_progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> BuildResult:
    """Build the project's documents; only what changed since the last build is rendered."""
    start = time.perf_counter()
    project = find_project(source)
    model, warnings = load_model(project, year)
    kinds = only or KINDS
    fonts = _fonts(project)
    jobs = _jobs(project, model, fonts, kinds, formats, as_of)
    folder = OutputFolder(out or project.root / "build")
    result = BuildResult(out=folder.root, warnings=warnings)
    previous = {o.path: o for o in folder.read_manifest()}
    keys = read_cache(folder.root)
    pending: list[Job] = []
    for job in jobs:
        old = previous.get(job.path)
        if old is not None and keys.get(job.path) == job.key and folder.unchanged(old):
            result.outputs.append(old)
            result.reused.append(job.path)
        else:
            pending.append(job)
    try:
        _render(pending, project, model, folder, result, on_progress)
        scope = {(k, f) for k in kinds for f in (("xlsx",) if k == "form" else formats)}
        produced = {o.path for o in result.outputs}
        # Outputs of kinds and formats this build did not make stay, and so do reports of other dates.
        kept = [o for o in previous.values() if o.path not in produced and folder.unchanged(o)
                and ((o.kind, o.format) not in scope or o.kind == "progress")]
        keys = {p: k for p, k in keys.items() if p not in {j.path for j in jobs}} | {j.path: j.key for j in jobs}
        result.removed = folder.commit(result.outputs + kept, {"cache.json": cache_text(keys)})
    finally:
        folder.discard()
    result.seconds = time.perf_counter() - start
    return result


def _render(pending: list[Job], project: Project, model: Model, folder: OutputFolder, result: BuildResult,
            on_progress: Callable[[int, int], None] | None) -> None:
    """Render what changed (forms here, documents on every core) and stage each file."""
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, len(pending))

    tasks = [RenderTask(i, j.fmt, j.html, j.template, str(project.root), model.plan.extra.get("date"))
             for i, j in enumerate(pending) if j.form is None]
    for i, job in enumerate(pending):
        if job.form is not None:
            _stage(job, job.form(), folder, result)
            tick()
    for index, data in render_all(tasks, project.config.get("fonts") or None, str(project.root / "fonts"), tick):
        _stage(pending[index], data, folder, result)


def _stage(job: Job, data: bytes, folder: OutputFolder, result: BuildResult) -> None:
    result.outputs.append(Output(job.kind, job.agency, job.fmt, job.path, folder.stage(job.path, data)))
    result.rendered.append(job.path)


def _jobs(project: Project, model: Model, fonts, kinds: tuple[str, ...], formats: tuple[str, ...],
          as_of: dt.date | None) -> list[Job]:
    """Every output of a build in a stable order (annex, letters, forms, progress report), each with its key."""
    env = environment(project.templates_dir)
    docs = [d for d in documents(model) if d.kind in kinds]
    if "progress" in kinds:
        settings = project.config.get("report", {})
        entries = read_ledger(ledger_path(project))
        docs.append(progress_report(model, entries, report_date(settings, as_of), settings, _chart_font(fonts)))
    base = digest(code_version(), fonts_key(fonts), _stylesheet(project))
    jobs: list[Job] = []
    names = _file_names([(d.kind, d.stem) for d in docs] + [("form", f"进度反馈表-{a.name}") for a in model.agencies])
    for doc, name in zip(docs, names, strict=False):
        template = template_path(env, doc.template)
        html = render_template(env, doc.template, doc.context)
        for fmt in formats:
            key = digest(base, fmt, html, str(model.plan.extra.get("date")))
            jobs.append(Job(doc.kind, doc.agency, f"{name}.{fmt}", fmt, key, html=html, template=template))
    if "form" in kinds:
        for agency, name in zip(model.agencies, names[len(docs):], strict=True):
            plan = model.plan  # what a form shows of the plan: its identity and date
            data = {"agency": asdict(agency), "items": [model.item(i).to_json() for i in agency.items],
                    "plan": [plan.title, plan.year, plan.issuer, str(plan.extra.get("date"))]}
            key = digest(code_version(), "form", json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
            jobs.append(Job("form", agency.name, f"{name}.xlsx", "xlsx", key,
                            form=lambda a=agency: return_form(model, a)))
    return jobs


def _file_names(docs: list[tuple[str, str]]) -> list[str]:
    """Each document's path without extension, relative to the output folder; unique even if names clash."""
    seen: dict[str, int] = {}
    names = []
    for kind, stem in docs:
        base = safe_name(stem)
        folder = FOLDERS.get(kind, kind)
        key = f"{folder}/{base}".lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            base = f"{base}-{seen[key]}"
        names.append(f"{folder}/{base}" if folder else base)
    return names


def _fonts(project: Project):
    from .render.fonts import FontConfig

    return FontConfig(project.config.get("fonts") or None, folder=project.root / "fonts")


def _stylesheet(project: Project) -> bytes:
    from .render.pdf import find_stylesheet

    return find_stylesheet([project.root / "templates" / "static"]).read_bytes()


def _chart_font(fonts) -> tuple[str, int]:
    """The 黑体 stand-in's file and face index, for chart labels."""
    from .render.vocabulary import HEITI

    faces = fonts.faces(HEITI)
    if not faces:
        raise FontError(f"no installed font for {HEITI} (chart labels): {fonts.describe(HEITI)}")
    return faces[0].path, faces[0].index


__all__ = ["CACHE_FILE", "FORMATS", "KINDS", "STATE_DIR", "BuildResult", "build"]
