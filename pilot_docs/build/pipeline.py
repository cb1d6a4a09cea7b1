"""pilot-docs build: workbook → model → documents → HTML → PDF and DOCX → build/, read top to bottom."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..documents.kinds import kind, names
from ..errors import Location, Problem
from ..render.templating import environment, render_template
from ..source.config import pdf_engine as pdf_engine_of
from ..source.project import display_path, find_project, load_model, masthead_warnings
from .bundles import BundleSpec, BundleTask, bundle_jobs
from .jobs import FormWork, Job, plan_jobs, project_fonts
from .keys import cache_text, code_version, digest, read_cache
from .output import Output, OutputFolder, read_manifest
from .overview import overview_context
from .parallel import FormTask, Pool, RenderTask, release_memory

FORMATS = ("docx", "pdf")


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
        if kind == "bundle":
            return len({o.agency for o in self.outputs if o.kind == kind})
        return len({o.path.rsplit(".", 1)[0] for o in self.outputs if o.kind == kind})


def build(source: Path | None = None, out: Path | None = None, only: tuple[str, ...] = (),
          formats: tuple[str, ...] = FORMATS, year: int | None = None, as_of: dt.date | None = None,
          on_progress: Callable[[int, int], None] | None = None, workers: int | None = None, wait: bool = True,
          on_wait: Callable[[str], None] | None = None, pdf_engine: str | None = None) -> BuildResult:
    """Build the project's documents; only what changed since the last build is rendered.

    The build holds its output folder's lock throughout: a second build into the same folder waits (telling
    on_wait), or with wait=False is refused naming the process that holds it."""
    start = time.perf_counter()
    project = find_project(source)
    if pdf_engine is not None:  # --pdf-engine: this build only (the output keys hold the engine)
        project.config = {**project.config, "render": {**project.config.get("render", {}), "pdf_engine": pdf_engine}}
    model, warnings = load_model(project, year)
    warnings += masthead_warnings(project, model)  # what the documents show placeholders for
    warnings += stylesheet_warnings(project)
    kinds = only or names()
    root = out or project.root / "build"
    # which kinds a narrowed build re-makes, from the manifest as it stands (read again under the lock below)
    made_before = {o.kind for o in read_manifest(root)}
    if only and "bundle" not in kinds and "bundle" in made_before and any(kind(k).bundled for k in kinds):
        kinds = (*kinds, "bundle")  # a narrowed build re-makes the bundles holding what it changed
    if only and "index" not in kinds and "index" in made_before:
        kinds = (*kinds, "index")  # the overview lists every output: kept true, never removed
    if not only and not {"docx", "pdf"} <= set(formats):
        kinds = tuple(k for k in kinds if k != "bundle")  # bundles hold DOCX and PDF: asked for by name only
    fonts = project_fonts(project)
    pool = Pool(project.config.get("fonts") or None, str(project.root / "fonts"), model, workers,
                pdf_engine_of(project.config))
    if not made_before:  # a cold build: the workers set themselves up (fonts, stylesheet, DOCX) while it plans
        pool.start(str(project.root))
    try:
        result = _build(project, model, warnings, kinds, formats, as_of, fonts, root, wait, on_wait, on_progress,
                        pool)
    except BaseException:
        pool.close(failed=True)
        raise
    pool.close()
    result.seconds = time.perf_counter() - start
    return result


def stylesheet_warnings(project) -> list[Problem]:
    """A project's own print stylesheet is WeasyPrint's: under Typst (the default engine) the PDFs keep the
    built-in layout, which the build says rather than leave the stylesheet unread in silence."""
    own = project.root / "templates" / "static" / "gongwen.css"
    if pdf_engine_of(project.config) != "typst" or not own.is_file():
        return []
    return [Problem(Location(display_path(own)), "the Typst PDF engine does not read a project's own stylesheet: "
                    "the PDFs keep the built-in layout; set pdf_engine = \"weasyprint\" in [render] of "
                    "pilot-docs.toml to lay them out with it", "warning")]


def _build(project, model, warnings, kinds, formats, as_of, fonts, root, wait, on_wait, on_progress,
           pool: Pool) -> BuildResult:
    plan = plan_jobs(project, model, fonts, kinds, formats, as_of)  # a bad template stops here: nothing touched
    folder = OutputFolder(root, wait, on_wait)  # holds the folder's lock until close()
    try:
        previous = {o.path: o for o in folder.read_manifest()}
        result = BuildResult(out=folder.root, warnings=warnings + plan.warnings)
        keys = read_cache(folder.root)
        pending = _reuse(plan.jobs, previous, keys, folder, result)
        _render(pending, project, model, folder, result, on_progress, pool)
        derived: list[Job] = []
        if "bundle" in kinds:
            env = environment(project.templates_dir)
            sender = f"{model.plan.extra.get('office') or model.plan.issuer} <noreply@pilot-docs.invalid>"
            hashes = {o.path: o.sha256 for o in result.outputs}

            def sha256_of(path: str) -> str:  # the build knows each output's hash: no file is read for it
                if path not in hashes:
                    hashes[path] = hashlib.sha256(folder.read(path)).hexdigest()
                return hashes[path]

            derived += bundle_jobs(model, plan, sha256_of, env, project.config.get("mail", {}), sender)
            _make_bundles(_reuse(derived, previous, keys, folder, result), folder, result, pool)
        jobs = plan.jobs + derived
        scope = {(j.kind, j.fmt) for j in jobs} | {(k, f) for k in kinds for f in formats}
        produced = {o.path for o in result.outputs}
        # Outputs of kinds and formats this build did not make stay, and so do reports of other dates.
        kept = [o for o in previous.values() if o.path not in produced and folder.unchanged(o)
                and ((o.kind, o.format) not in scope or _dated(o.kind))]
        if "index" in kinds:  # the overview lists everything the folder will hold
            jobs.append(_index_job(project, model, plan, result.outputs + kept))
            _run(_reuse(jobs[-1:], previous, keys, folder, result), folder, result)
        keys = {p: k for p, k in keys.items() if p not in produced} | {j.path: j.key for j in jobs}
        result.removed = folder.commit(result.outputs + kept, {"cache.json": cache_text(keys)})
    finally:
        folder.close()
    result.outputs.sort(key=lambda o: o.path)  # workers finish in any order; results are listed by path
    return result


def _dated(name: str) -> bool:
    """Outputs of a dated kind (reports, reminders of other dates) stay when a build makes another date's."""
    try:
        return kind(name).dated
    except KeyError:  # a kind an older pilot-docs made
        return False


def _reuse(jobs: list[Job], previous: dict[str, Output], keys: dict[str, str], folder: OutputFolder,
           result: BuildResult) -> list[Job]:
    """Keep the outputs whose key is unchanged and whose file is intact; return the jobs still to run."""
    pending = []
    for job in jobs:
        old = previous.get(job.path)
        if old is not None and keys.get(job.path) == job.key and folder.unchanged(old):
            result.outputs.append(old)
            result.reused.append(job.path)
            job.html = ""  # its file is kept: its HTML is not needed again
        else:
            pending.append(job)
    return pending


def _render(pending: list[Job], project, model, folder: OutputFolder, result: BuildResult,
            on_progress: Callable[[int, int], None] | None, pool: Pool) -> None:
    """Render what changed (documents and forms on every core) and stage each file."""
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, len(pending))

    _run([j for j in pending if j.make is not None], folder, result, tick)
    documents = [j for j in pending if j.make is None and j.work is None]
    # the longest first (a summary and a volume lay out twice), so that they do not end the build alone
    documents.sort(key=lambda j: (j.toc is None, -len(j.html)))
    # the formats of a document with a 目录 share its first layout: one task makes them all; so do those of a
    # document with a 版记, whose DOCX puts it on the page the PDF's layout gives it
    from ..render.pdf import has_colophon

    groups: dict[object, list[int]] = {}
    for i, j in enumerate(documents):
        key = id(j.toc) if j.toc is not None else ("colophon", id(j.html)) if has_colophon(j.html) else -1 - i
        groups.setdefault(key, []).append(i)
    tasks: list = [RenderTask(tuple((i, documents[i].fmt, f"{documents[i].template} ({documents[i].path})")
                                    for i in group),
                              documents[group[0]].html, str(project.root), model.plan.extra.get("date"),
                              documents[group[0]].toc, tuple(str(folder.staged_path(documents[i].path))
                                                             for i in group), pdf_engine_of(project.config))
                   for group in groups.values()]
    forms = [j for j in pending if isinstance(j.work, FormWork)]  # after the documents: short, they fill the tail
    tasks += [FormTask(len(documents) + n, j.work.agency, j.work.password, str(folder.staged_path(j.path)))
              for n, j in enumerate(forms)]
    made = documents + forms
    # the tasks hold the HTML now, each until it is handed out and made: the build lets go of the rest (a
    # province's 23 M characters of HTML, and what planning left in the heap: 280 → 150 MB at 5,000 items)
    for job in documents:
        job.html = ""
    release_memory()
    for index, sha256 in pool.run(tasks, tick):
        job = made[index]
        result.outputs.append(Output(job.kind, job.agency, job.fmt, job.path, folder.adopt(job.path, sha256)))
        result.rendered.append(job.path)


def _make_bundles(pending: list[Job], folder: OutputFolder, result: BuildResult, pool: Pool) -> None:
    """Make the bundles that changed, each once for all its files, in the workers, and stage their files."""
    groups: dict[int, tuple[BundleSpec, list[int]]] = {}
    for i, job in enumerate(pending):
        groups.setdefault(id(job.work), (job.work, []))[1].append(i)
    tasks = [BundleTask(spec, tuple(str(folder.source_path(p)) for p in spec.sources),
                        tuple((i, pending[i].path, str(folder.staged_path(pending[i].path))) for i in indexes))
             for spec, indexes in groups.values()]
    for index, sha256 in pool.run(tasks):
        job = pending[index]
        result.outputs.append(Output(job.kind, job.agency, job.fmt, job.path, folder.adopt(job.path, sha256)))
        result.rendered.append(job.path)


def _run(jobs: list[Job], folder: OutputFolder, result: BuildResult, tick: Callable[[], None] | None = None) -> None:
    for job in jobs:
        assert job.make is not None
        _stage(job, job.make(), folder, result)
        if tick:
            tick()


def _stage(job: Job, data: bytes, folder: OutputFolder, result: BuildResult) -> None:
    result.outputs.append(Output(job.kind, job.agency, job.fmt, job.path, folder.stage(job.path, data)))
    result.rendered.append(job.path)


def _index_job(project, model, plan, outputs: list[Output]) -> Job:
    """build/index.html, made from the list of outputs (so it is keyed on every output's hash)."""
    env = environment(project.templates_dir)
    html = render_template(env, "index.html.j2", overview_context(model, plan, outputs))
    data = html.encode("utf-8")
    return Job("index", None, "index.html", "html", digest(code_version(), html), make=lambda: data)
