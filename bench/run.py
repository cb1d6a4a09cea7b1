"""The benchmark: prints a table and writes bench/RESULTS.md. Run by hand, never in the tests.

    .venv/bin/python bench/run.py            # everything (well over an hour on 2 cores)
    .venv/bin/python bench/run.py --quick    # fewer runs, province sizes 250/500/1000

Measures (medians of several runs):
  a. the whole seed build, cold (empty output folder) and warm (nothing changed);
  b. the pipeline's own overhead: the seed's PDFs built by pilot-docs on one core against WeasyPrint alone laying out
     and writing the same HTML (target: overhead at most 25%);
  c. per letter, our PDF against LibreOffice headless converting our own DOCX of the same letter (target: at least
     6 times faster);
  d. generated province-scale tables (by default 1,000, 2,000 and 5,000 items, 300 agencies) built end to end: time and peak memory of the
     whole process tree (target: at most 1 GiB), and how time grows from 500 to 1,000 to 2,000 items (target: linear).
     The memory is the peak of the processes' summed PSS (shared pages divided among the processes sharing them:
     what the tree occupies); the peak of their summed RSS, which counts shared pages once per process, is shown
     too; and the main process's CPU as a share of the wall time (an upper bound of the build's serial share);
  e. the peer a user would really run (bench/peer.py): docxtpl filling a letter template for every seed agency plus
     ONE LibreOffice call converting them all, and the naive one-call-per-letter variant, against pilot-docs making
     the same letters in DOCX and PDF: CPU (user + system of the process tree) and wall ratios (target: CPU 2×);
  f. where a cold seed build's CPU goes, per stage, on one core;
  g. a 5,000-row table whose every row is its own task (target: it builds).
CPU times are the figures to compare on a machine shared with other work; wall times there are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.peer import ours as ours_letters
from bench.peer import peer
from bench.province import write_province
from pilot_docs.build.pipeline import build


def timed(fn, runs: int) -> list[float]:
    """Seconds of each run."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def tree_memory(pid: int) -> tuple[int, int]:
    """Memory of a process and all its descendants, in bytes (from /proc): the sum of their resident sizes (RSS,
    which counts pages they share, such as libraries and fonts, once per process) and of their proportional sizes
    (PSS: each shared page divided among the processes sharing it, so the sum is the memory the tree occupies)."""
    rss = pss = 0
    stack, seen = [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return rss, pss


def run_measured(cmd: list[str]) -> tuple[float, int, int]:
    """Wall time and peak memory (RSS sum, PSS sum; see tree_memory) of the whole process tree of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            rss, pss = tree_memory(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()}")
    return time.perf_counter() - start, peak_rss, peak_pss


def seed_builds(runs: int) -> dict[str, float]:
    """a. the whole seed build, cold and warm."""
    cold, warm, files = [], [], 0
    for _ in range(runs):
        out = Path(tempfile.mkdtemp(prefix="bench-seed-"))
        cold += timed(lambda out=out: build(ROOT, out), 1)
        warm += timed(lambda out=out: build(ROOT, out), 1)
        files = sum(1 for p in out.rglob("*") if p.is_file())
        shutil.rmtree(out)
    return {"cold": statistics.median(cold), "warm": statistics.median(warm), "files": files}


def overhead(runs: int) -> dict[str, float]:
    """b. pilot-docs on one core making the seed's PDFs, against WeasyPrint alone on the same HTML."""
    from weasyprint import CSS, HTML

    from pilot_docs.render.fonts import FontConfig
    from pilot_docs.render.pdf import find_stylesheet, font_configuration, prepare_html

    html_out = Path(tempfile.mkdtemp(prefix="bench-html-"))
    build(ROOT, html_out, only=("annex", "letter", "progress"), formats=("html",))
    pages = [p.read_text(encoding="utf-8") for p in sorted(html_out.rglob("*.html"))]
    fonts = FontConfig(None, folder=ROOT / "fonts")
    stylesheet = find_stylesheet([ROOT / "templates" / "static"])
    font_config = font_configuration(fonts, copies=True)  # the fonts the pipeline lays the seed out from

    def weasyprint_alone() -> None:
        for html in pages:
            sheets = [CSS(filename=str(stylesheet), font_config=font_config)]
            HTML(string=prepare_html(html), base_url=str(ROOT)).render(
                stylesheets=sheets, font_config=font_config).write_pdf(pdf_identifier=False)

    def ours() -> None:
        out = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
        build(ROOT, out, only=("annex", "letter", "progress"), formats=("pdf",), workers=1)
        shutil.rmtree(out)

    weasyprint_alone()  # warm the font caches for both
    alone = statistics.median(timed(weasyprint_alone, runs))
    pipeline = statistics.median(timed(ours, runs))
    shutil.rmtree(html_out)
    return {"documents": len(pages), "weasyprint": alone, "pilot_docs": pipeline,
            "overhead": pipeline / alone - 1}


def against_libreoffice(letters: int) -> dict[str, float]:
    """c. per letter: our PDF against soffice converting our own DOCX, side by side in one run."""
    from pilot_docs.render.fonts import FontConfig
    from pilot_docs.render.pdf import render_pdf

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return {}
    out = Path(tempfile.mkdtemp(prefix="bench-lo-"))
    build(ROOT, out, only=("letter",), formats=("html", "docx"))
    fonts = FontConfig(None, folder=ROOT / "fonts")
    names = sorted((out / "letters").glob("*.html"))[:letters]
    ours, theirs = [], []
    profile = Path(tempfile.mkdtemp(prefix="bench-lo-profile-"))
    for html_path in names:
        html = html_path.read_text(encoding="utf-8")
        ours += timed(lambda html=html: render_pdf(html, base_url=ROOT, fonts=fonts,
                                                   source_name="templates/letter.html.j2"), 1)
        docx = html_path.with_suffix(".docx")
        theirs += timed(lambda docx=docx: subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out / "lo"), str(docx)], check=True, capture_output=True), 1)
    shutil.rmtree(out)
    shutil.rmtree(profile, ignore_errors=True)
    ours_m, theirs_m = statistics.median(ours), statistics.median(theirs)
    return {"letters": len(names), "ours": ours_m, "libreoffice": theirs_m, "speedup": theirs_m / ours_m}


# A build in a fresh process that reports its own CPU (the main process: planning, commit, whatever the workers
# do not do) and its workers' (waited for, so counted in RUSAGE_CHILDREN), as JSON in the file given.
MEASURED_BUILD = """
import json, resource, sys
from pathlib import Path
from pilot_docs.build.pipeline import build
build(Path(sys.argv[1]), pdf_engine=sys.argv[3] or None)
own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
Path(sys.argv[2]).write_text(json.dumps({"main_cpu": own.ru_utime + own.ru_stime,
                                         "workers_cpu": workers.ru_utime + workers.ru_stime}))
"""


def measured_build(folder: Path, engine: str | None = None) -> dict[str, float]:
    """A cold build of a project in a fresh process (with a PDF engine, else the project's): wall time, peak
    memory of the process tree, and the CPU of the main process and of the workers."""
    report = folder / "cpu.json"
    seconds, rss, pss = run_measured([sys.executable, "-c", MEASURED_BUILD, str(folder), str(report), engine or ""])
    cpu = json.loads(report.read_text())
    return {"seconds": seconds, "rss_mib": rss / 2**20, "pss_mib": pss / 2**20, **cpu,
            "cpu": cpu["main_cpu"] + cpu["workers_cpu"]}


def province(sizes: list[int], agencies: int, one_task_per_row: bool = False, engine: str | None = None
             ) -> Iterator[dict[str, float]]:
    """d. generated tables built end to end in a fresh process: time and peak memory of the process tree."""
    for items in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-province-{items}-"))
        write_province(folder, items, agencies, one_task_per_row=one_task_per_row)
        row = measured_build(folder, engine)
        files = sum(1 for _ in (folder / "build").rglob("*.*"))
        shutil.rmtree(folder)
        yield {"items": items, "agencies": agencies, "files": files, **row}


def stage_cpu(root: Path = ROOT) -> dict[str, float]:
    """f. where the CPU of a cold seed build goes, on one core in this process: each stage's own CPU seconds
    (time inside a stage nested in another counts for the inner one only)."""
    import weasyprint
    from weasyprint.document import Document

    from pilot_docs.build import bundles, jobs
    from pilot_docs.render import docx
    from pilot_docs.returns import forms

    totals: dict[str, float] = {}
    stack: list[list] = []  # [name, start, time of the stages nested in it]

    def timed_stage(name, fn):
        def wrapper(*args, **kwargs):
            stack.append([name, time.process_time(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                _, begun, inner = stack.pop()
                spent = time.process_time() - begun
                totals[name] = totals.get(name, 0.0) + spent - inner
                if stack:
                    stack[-1][2] += spent
        return wrapper

    patches = [(weasyprint.HTML, "render", "layout (WeasyPrint)"), (Document, "write_pdf", "PDF writing"),
               (docx, "render_docx", "DOCX"), (jobs.TocPass, "final_html", "目录 first passes"),
               (forms, "return_form", "return forms"), (bundles.BundleSpec, "make", "bundles (mail, zip)")]
    saved = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in patches]
    for owner, attr, name in patches:
        setattr(owner, attr, timed_stage(name, getattr(owner, attr)))
    out = Path(tempfile.mkdtemp(prefix="bench-stages-"))
    try:
        begun = time.process_time()
        build(root, out, workers=1)
        total = time.process_time() - begun
    finally:
        for owner, attr, fn in saved:
            setattr(owner, attr, fn)
        shutil.rmtree(out, ignore_errors=True)
    totals["other (reading, planning, checks, commit)"] = total - sum(totals.values())
    return {"total": total, **totals}


def machine() -> str:
    """What the numbers were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    import weasyprint

    lo = subprocess.run(["soffice", "--version"], capture_output=True, text=True, check=False).stdout.strip() \
        if shutil.which("soffice") else "not installed"
    return (f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.platform()}, Python {platform.python_version()}, "
            f"WeasyPrint {weasyprint.__version__}, {lo}")


def seed_cpu(runs: int) -> dict[str, float]:
    """a. the seed build, cold, in a fresh process: CPU of the whole process tree (user + system) and wall."""
    rows = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="bench-seed-cpu-"))
        project = folder / "project"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__"))
        rows.append(measured_build(project))
        shutil.rmtree(folder)
    return {key: statistics.median(r[key] for r in rows) for key in ("cpu", "main_cpu", "seconds")}


PARTS = "abcdefg"


def main() -> None:
    """Run the benchmark, print the table and write bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller province tables")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--parts", default=PARTS, help="which parts to run (letters a–g; default all)")
    parser.add_argument("--sizes", default=None, help="province sizes for d, comma-separated (items)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--pdf-engine", choices=("weasyprint", "typst"), default=None,
                        help="the PDF engine of the province builds (d, g; default: the project's)")
    parser.add_argument("--engines", action="store_true",
                        help="only the two PDF engines side by side (bench/engines.py, writes bench/ENGINES.md)")
    args = parser.parse_args()
    if args.engines:
        from bench import engines

        sys.argv = [sys.argv[0], "--runs", str(args.runs or 3)]
        engines.main()
        return
    runs = args.runs or (2 if args.quick else 5)
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else \
        [250, 500, 1000] if args.quick else [1000, 2000, 5000]
    lines: list[str] = []

    def emit(*rows: str) -> None:  # each result as soon as it is measured
        for row in rows:
            print(row, flush=True)
            lines.append(row)

    emit(f"Machine: {machine()}; shared with other sessions working at the same time, so wall times are noisy "
         "and CPU times (user + system of the whole process tree) are the figures to compare.",
         f"Date: {time.strftime('%Y-%m-%d')}; medians of {runs} runs.", "",
         "| measure | result | target |", "| --- | --- | --- |")
    if "a" in args.parts:
        seed = seed_builds(runs)
        cpu = seed_cpu(runs)
        emit(f"| a. seed build, cold ({seed['files']} files) | {seed['cold']:.2f} s | |",
             f"| a. seed build, warm (nothing changed) | {seed['warm']:.2f} s | |",
             f"| a. seed build, cold, CPU of the process tree | {cpu['cpu']:.2f} s (main process {cpu['main_cpu']:.2f} s; "
             f"wall {cpu['seconds']:.2f} s) | ≥ ⅓ below the code before issue 16, side by side |")
    if "b" in args.parts:
        over = overhead(runs)
        emit(f"| b. WeasyPrint alone, {over['documents']} seed documents (HTML → PDF) | {over['weasyprint']:.2f} s | |",
             f"| b. pilot-docs, same PDFs from the workbook, one core | {over['pilot_docs']:.2f} s | |",
             f"| b. pipeline overhead | {100 * over['overhead']:.0f}% | ≤ 25% |")
    if "c" in args.parts:
        lo = against_libreoffice(3 if args.quick else 8)
        if lo:
            emit(f"| c. one letter: our PDF (WeasyPrint) | {lo['ours']:.2f} s | |",
                 f"| c. one letter: LibreOffice headless from our DOCX, one soffice start per letter | "
                 f"{lo['libreoffice']:.2f} s | |",
                 f"| c. speed-up over one soffice start per letter (the naive use; see e for the batch) | "
                 f"{lo['speedup']:.1f}× | |")
    if "e" in args.parts:
        theirs = peer(ROOT)
        mine = ours_letters(ROOT)
        typst = ours_letters(ROOT, "typst")
        if theirs:
            n = theirs["letters"]
            batch_cpu = theirs["docx_cpu"] + theirs["batch_cpu"]
            batch_wall = theirs["docx_wall"] + theirs["batch_wall"]
            naive_cpu = theirs["docx_cpu"] + theirs["naive_cpu"]
            naive_wall = theirs["docx_wall"] + theirs["naive_wall"]
            emit(f"| e. pilot-docs: {mine['letters']} letters, DOCX and PDF, cold build | {mine['cpu']:.2f} s CPU "
                 f"({1000 * mine['cpu'] / mine['letters']:.0f} ms a letter), {mine['wall']:.2f} s wall | |",
                 f"| e. docxtpl: {n} letters (DOCX) | {theirs['docx_cpu']:.2f} s CPU, {theirs['docx_wall']:.2f} s wall | |",
                 f"| e. docxtpl + ONE LibreOffice call converting all {n} | {batch_cpu:.2f} s CPU "
                 f"({1000 * batch_cpu / n:.0f} ms a letter), {batch_wall:.2f} s wall | |",
                 f"| e. docxtpl + one LibreOffice call per letter (naive) | {naive_cpu:.2f} s CPU, "
                 f"{naive_wall:.2f} s wall | |",
                 f"| e. pilot-docs against docxtpl + batch LibreOffice | CPU {batch_cpu / mine['cpu']:.2f}×, "
                 f"wall {batch_wall / mine['wall']:.2f}× | CPU ≥ 2× |",
                 f"| e. pilot-docs against docxtpl + one call per letter | CPU {naive_cpu / mine['cpu']:.2f}×, "
                 f"wall {naive_wall / mine['wall']:.2f}× | |",
                 f"| e. pilot-docs with the Typst engine (`--pdf-engine typst`): {typst['letters']} letters, DOCX "
                 f"and PDF | {typst['cpu']:.2f} s CPU ({1000 * typst['cpu'] / typst['letters']:.0f} ms a letter), "
                 f"{typst['wall']:.2f} s wall | |",
                 f"| e. pilot-docs with Typst against docxtpl + batch LibreOffice | CPU {batch_cpu / typst['cpu']:.2f}×, "
                 f"wall {batch_wall / typst['wall']:.2f}× | CPU ≥ 2× |")
    if "f" in args.parts:
        stages = stage_cpu()
        total = stages.pop("total")
        emit(f"| f. seed build, cold, one core: CPU | {total:.2f} s | |")
        for name, seconds in stages.items():
            emit(f"| f. — {name} | {seconds:.2f} s ({100 * seconds / total:.0f}%) | |")
    if "d" in args.parts:
        base = None
        for row in province(sizes, 300, engine=args.pdf_engine):
            base = base or row
            per = row["seconds"] / row["items"] * 1000
            growth = (row["seconds"] / base["seconds"]) / (row["items"] / base["items"])
            engine = f", {args.pdf_engine}" if args.pdf_engine else ""
            emit(f"| d. province table, {row['items']} items, 300 agencies{engine} ({row['files']} files) | "
                 f"{row['seconds']:.1f} s, peak {row['pss_mib']:.0f} MiB (PSS; RSS sum {row['rss_mib']:.0f}), "
                 f"{per:.1f} ms/item, growth vs linear {growth:.2f}; CPU {row['cpu']:.0f} s, main process "
                 f"{row['main_cpu']:.1f} s = {100 * row['main_cpu'] / row['seconds']:.1f}% of wall | "
                 "≤ 1024 MiB; linear; main < 5% |")
    if "g" in args.parts:
        for row in province([5000], 300, one_task_per_row=True, engine=args.pdf_engine):
            emit(f"| g. 5000 rows, each its own task, 300 agencies ({row['files']} files) | "
                 f"{row['seconds']:.1f} s, peak {row['pss_mib']:.0f} MiB (PSS), CPU {row['cpu']:.0f} s, main "
                 f"process {100 * row['main_cpu'] / row['seconds']:.1f}% of wall | builds |")
    text = "\n".join(lines)
    args.out.write_text("# Benchmark results\n\nWritten by `bench/run.py`.\n\n" + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
