"""What a build makes: one job per output file, each with the key that says when it must be made again."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..documents.common import Document
from ..documents.kinds import KINDS, Inputs, kind
from ..documents.summary import pages_of
from ..errors import FontError, Problem
from ..model import Model
from ..render.templating import environment, render_template, template_path
from ..returns.ledger import ledger_path
from ..returns.printable import printable_entries
from ..source.config import DEFAULT_PDF_ENGINE, pdf_engine
from ..source.project import Project, display_path
from .keys import code_version, digest, fonts_key
from .output import safe_name


@dataclass
class Job:
    """One output file: a format of a rendered template, or bytes made by a function (forms, bundles, index)."""

    kind: str
    agency: str | None
    path: str
    fmt: str
    key: str
    html: str = ""
    template: str = ""
    make: Callable[[], bytes] | None = None
    toc: TocPass | None = None  # a document whose 目录 needs page numbers from a first layout
    work: Any = None  # made by a worker from plain data instead: a FormWork, a bundles.BundleSpec


@dataclass(frozen=True)
class FormWork:
    """An agency's return form, made in a worker from the model (parallel.FormTask)."""

    agency: str
    password: str | None


@dataclass(frozen=True)
class TocPass:
    """What a worker needs to fill a document's 目录: lay the HTML out once, then render its template again with
    each heading's page (`pages`). Plain data, so that it can go to another process."""

    templates_dir: str | None
    template: str
    context: dict

    def final_html(self, first_html: str, base_url: str, fonts, source_name: str,
                   engine: str = DEFAULT_PDF_ENGINE) -> str:
        from ..render.typst import pdf_renderer

        render_pdf = pdf_renderer(engine)

        outline: list[tuple[str, int, int]] = []
        render_pdf(first_html, base_url=base_url, fonts=fonts, source_name=source_name, outline=outline,
                   write=False)  # the layout is all a first pass needs
        env = environment(Path(self.templates_dir) if self.templates_dir else None)
        return render_template(env, self.template, {**self.context, "pages": pages_of(outline)})


@dataclass
class Plan:
    """The jobs of a build, and where each document's files go (kind, agency) → path without extension."""

    jobs: list[Job]
    paths: dict[tuple[str, str | None], str]
    documents: list[Document]
    warnings: list[Problem] = field(default_factory=list)  # about the ledger's text (shown, never stopping)


def plan_jobs(project: Project, model: Model, fonts, kinds: tuple[str, ...], formats: tuple[str, ...],
              as_of: dt.date | None) -> Plan:
    """Every rendered document and form of a build in a stable order, each with its key."""
    env = environment(project.templates_dir)
    bundling = "bundle" in kinds
    warnings: list[Problem] = []
    inputs = inputs_of(project, model, fonts, as_of, warnings)
    # a kind is made when asked for, or when the bundles hold some of its formats
    made = [k for k in KINDS if k.name in kinds or (bundling and k.bundled)]
    docs = [d for k in made if k.rendered for d in k.documents(inputs)]
    stems = [(d.kind, d.agency, d.stem) for d in docs]
    for k in made:
        if not k.rendered and k.per_agency and k.name != "bundle":  # forms: one file per agency, made by code
            stems += [(k.name, a.name, k.stem.format(agency=a.name)) for a in model.agencies]
    paths = dict(zip([(k, a) for k, a, _ in stems], file_names([(k, s) for k, _, s in stems]), strict=True))
    # the PDF engine too: switching engines rebuilds (a DOCX follows its PDF's layout for the 版记's page)
    base = digest(code_version(), fonts_key(fonts), stylesheet(project), pdf_engine(project.config))
    jobs: list[Job] = []
    for doc in docs:
        k = kind(doc.kind)
        template = template_path(env, doc.template)
        html = render_template(env, doc.template, doc.context)
        wanted = k.wanted(formats) if k.name in kinds else ()
        if bundling:  # bundles hold some formats of some kinds (the letters, the annex)
            wanted = tuple(dict.fromkeys([*wanted, *k.bundled]))
        toc = (TocPass(str(project.templates_dir) if project.templates_dir else None, doc.template, doc.context)
               if k.toc else None)
        for fmt in wanted:
            key = digest(base, fmt, html, str(model.plan.extra.get("date")))
            path = f"{paths[(doc.kind, doc.agency)]}.{fmt}"
            jobs.append(Job(doc.kind, doc.agency, path, fmt, key, html, template, toc=toc))
    if any(k.name == "form" for k in made):
        for agency in model.agencies:
            plan = model.plan  # what a form shows of the plan: its identity and date
            data = {"agency": asdict(agency), "items": [model.item(i).to_json() for i in agency.items],
                    "plan": [plan.title, plan.year, plan.issuer, str(plan.extra.get("date"))]}
            password = project.config.get("returns", {}).get("password")
            if password:
                data["password"] = hashlib.sha256(password.encode("utf-8")).hexdigest()
            key = digest(code_version(), "form", json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
            jobs.append(Job("form", agency.name, f"{paths[('form', agency.name)]}.xlsx", "xlsx", key,
                            work=FormWork(agency.name, password)))
    if any(k.name == "styles" for k in made) and ("docx" in formats or formats == ("dotx",)):
        from ..render.docx import render_dotx

        styles = kind("styles")
        jobs.append(Job("styles", None, f"{styles.stem}.dotx", "dotx", digest(code_version(), "styles"),
                        make=render_dotx))
    return Plan(jobs, paths, docs, warnings)


def inputs_of(project: Project, model: Model, fonts, as_of: dt.date | None = None,
              warnings: list[Problem] | None = None) -> Inputs:
    """What a project's documents are made from: the model, the config, the ledger, the chart font, the issue
    register. A ledger's character no font has never stops a build: 〓 and a warning (added to `warnings`)."""
    from ..mail.register import read_register, register_path

    def read_entries() -> list:
        path = ledger_path(project)
        entries, problems = printable_entries(path, display_path(path), fonts)
        if warnings is not None:
            warnings.extend(problems)
        return entries

    def read_own_summaries():
        from ..documents.own_summaries import find_summaries

        # each file checked, a refused one a warning; their digests go into the volume's HTML, hence its key
        return find_summaries(project, model, warnings if warnings is not None else [])

    return Inputs(model, project.config, as_of, read_entries=read_entries, find_chart_font=lambda: chart_font(fonts),
                  read_issued=lambda: read_register(register_path(project)), read_own_summaries=read_own_summaries)


def file_names(docs: list[tuple[str, str]]) -> list[str]:
    """Each document's path without extension, relative to the output folder; unique even if names clash."""
    seen: dict[str, int] = {}
    names = []
    for name, stem in docs:
        base = safe_name(stem)
        folder = kind(name).folder
        key = f"{folder}/{base}".lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            base = f"{base}-{seen[key]}"
        names.append(f"{folder}/{base}" if folder else base)
    return names


def stylesheet(project: Project) -> bytes:
    """The print stylesheet the PDFs use (the project's own, else the built-in one)."""
    from ..render.pdf import find_stylesheet

    return find_stylesheet([project.root / "templates" / "static"]).read_bytes()


def chart_font(fonts) -> tuple[str, int]:
    """The 黑体 stand-in's file and face index, for chart labels."""
    from ..render.vocabulary import HEITI

    faces = fonts.faces(HEITI)
    if not faces:
        raise FontError(f"no installed font for {HEITI} (chart labels): {fonts.describe(HEITI)}")
    return faces[0].path, faces[0].index


def project_fonts(project: Project):
    """The font map of a project: its [fonts] table and its fonts/ folder."""
    from ..render.fonts import FontConfig

    return FontConfig(project.config.get("fonts") or None, folder=Path(project.root) / "fonts")
