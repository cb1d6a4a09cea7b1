"""The peer a user would really run: docxtpl fills a Word letter template per agency, then LibreOffice turns the
DOCX into PDF — once for all letters (one soffice call, as anyone who batches does) and, beside it, the naive way
(one soffice start per letter). Measured in CPU seconds (user + system, of this process and its children) and
wall seconds, against pilot-docs building the same letters in both formats.

The template is made here with python-docx, as a user would make it in Word: the letter's title, the agency's
name, an opening paragraph, one table row per work item ({%tr for %}), the closing and the signature, in the
公文 fonts. It is a simpler document than ours (no masthead rule, no page-number footers, no 版记): the peer is
given the benefit of the doubt.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def cpu_seconds() -> float:
    """User + system CPU of this process and of its waited-for children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def letter_template(path: Path) -> Path:
    """A docxtpl letter template: Jinja tags in a Word document."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "仿宋_GB2312", Pt(16)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    title = doc.add_paragraph()
    run = title.add_run("关于落实{{ plan }}任务分工的通知")
    run.font.name, run.font.size = "方正小标宋简体", Pt(22)
    doc.add_paragraph("{{ agency_full }}：")
    doc.add_paragraph("为确保各项任务按时完成，现将{{ plan }}中由你单位承担的{{ count }}项工作任务通知如下，"
                      "请认真组织实施，并按时报送工作进展。")
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("编号", "工作内容", "完成时间"), strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for item in items %}"
    row = table.rows[2].cells
    row[0].text, row[1].text, row[2].text = "{{ item.id }}", "{{ item.content }}", "{{ item.deadline }}"
    extra = table.add_row().cells
    extra[0].text = "{%tr endfor %}"
    doc.add_paragraph("特此通知。")
    doc.add_paragraph("{{ issuer }}")
    doc.add_paragraph("{{ date }}")
    doc.save(path)
    return path


def letter_contexts(root: Path) -> list[dict]:
    """What each agency's letter says, from the project's model (the same data as our letters)."""
    from pilot_docs.documents.typography import cn_date
    from pilot_docs.source.project import find_project, load_model

    model, _ = load_model(find_project(root))
    items = {item.id: item for item in model.items()}
    plan = model.plan
    date = plan.extra.get("date")
    return [{"agency": a.name, "agency_full": a.full_name, "plan": plan.extra.get("name") or plan.title,
             "count": len(a.items), "issuer": plan.issuer, "date": cn_date(date) if date else "",
             "items": [{"id": i, "content": items[i].content, "deadline": items[i].deadline.text} for i in a.items]}
            for a in model.agencies]


def peer(root: Path, naive: bool = True) -> dict[str, float]:
    """docxtpl + one batch LibreOffice conversion, and the one-call-per-file variant: CPU and wall seconds."""
    from docxtpl import DocxTemplate

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return {}
    work = Path(tempfile.mkdtemp(prefix="bench-peer-"))
    template = letter_template(work / "letter.docx")
    contexts = letter_contexts(root)
    profile = work / "profile"
    lo = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*lo, "--outdir", str(work / "warm"), str(template)], check=True, capture_output=True)  # profile
    out = work / "docx"
    out.mkdir()
    cpu, wall = cpu_seconds(), time.perf_counter()
    files = []
    for n, context in enumerate(contexts):
        doc = DocxTemplate(str(template))
        doc.render(context)
        files.append(out / f"letter-{n:03d}.docx")
        doc.save(files[-1])
    docx_cpu, docx_wall = cpu_seconds() - cpu, time.perf_counter() - wall
    cpu, wall = cpu_seconds(), time.perf_counter()
    subprocess.run([*lo, "--outdir", str(work / "batch"), *map(str, files)], check=True, capture_output=True)
    batch_cpu, batch_wall = cpu_seconds() - cpu, time.perf_counter() - wall
    result = {"letters": len(files), "docx_cpu": docx_cpu, "docx_wall": docx_wall, "batch_cpu": batch_cpu,
              "batch_wall": batch_wall}
    if naive:
        cpu, wall = cpu_seconds(), time.perf_counter()
        for file in files:
            subprocess.run([*lo, "--outdir", str(work / "naive"), str(file)], check=True, capture_output=True)
        result |= {"naive_cpu": cpu_seconds() - cpu, "naive_wall": time.perf_counter() - wall}
    assert len(list((work / "batch").glob("*.pdf"))) == len(files), "LibreOffice did not convert every letter"
    shutil.rmtree(work, ignore_errors=True)
    return result


def ours(root: Path, engine: str = "weasyprint") -> dict[str, float]:
    """pilot-docs building every letter in DOCX and PDF from the workbook, cold, in a fresh process, with a PDF
    engine: CPU of the process tree and wall seconds."""
    import sys

    out = Path(tempfile.mkdtemp(prefix="bench-ours-"))
    cpu, wall = cpu_seconds(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "pilot_docs.cli", "build", "--source", str(root), "--out", str(out),
                    "--only", "letter", "--pdf-engine", engine, "--quiet"], check=True, capture_output=True)
    result = {"cpu": cpu_seconds() - cpu, "wall": time.perf_counter() - wall,
              "letters": len(list((out / "letters").glob("*.pdf")))}
    shutil.rmtree(out, ignore_errors=True)
    return result
