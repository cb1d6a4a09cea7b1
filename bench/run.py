"""The benchmark: prints a table and writes bench/RESULTS.md. Run by hand, never in the tests.

    .venv/bin/python bench/run.py            # everything (about 40 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # fewer runs, province sizes 250/500/1000

Measures (medians of several runs):
  a. the whole seed build, cold (empty output folder) and warm (nothing changed);
  b. the pipeline's own overhead: the seed's PDFs built by pilot-docs on one core against WeasyPrint alone laying out
     and writing the same HTML (target: overhead at most 25%);
  c. per letter, our PDF against LibreOffice headless converting our own DOCX of the same letter (target: at least
     6 times faster);
  d. a generated province-scale table (2,000 items, 300 agencies) built end to end: time and peak memory of the
     whole process tree (target: at most 1 GiB), and how time grows from 500 to 1,000 to 2,000 items (target: linear).
     The memory is the peak of the processes' summed PSS (shared pages divided among the processes sharing them:
     what the tree occupies); the peak of their summed RSS, which counts shared pages once per process, is shown
     too.
"""

from __future__ import annotations

import argparse
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


def province(sizes: list[int], agencies: int) -> Iterator[dict[str, float]]:
    """d. generated tables built end to end in a fresh process: time and peak memory of the process tree."""
    for items in sizes:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-province-{items}-"))
        write_province(folder, items, agencies)
        seconds, rss, pss = run_measured([sys.executable, "-m", "pilot_docs.cli", "build", "--source", str(folder),
                                          "--quiet"])
        files = sum(1 for _ in (folder / "build").rglob("*.*"))
        shutil.rmtree(folder)
        yield {"items": items, "agencies": agencies, "seconds": seconds, "rss_mib": rss / 2**20,
               "pss_mib": pss / 2**20, "files": files}


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


def main() -> None:
    """Run the benchmark, print the table and write bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller province tables")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--engines", action="store_true",
                        help="only the two PDF engines side by side (bench/engines.py, writes bench/ENGINES.md)")
    args = parser.parse_args()
    if args.engines:
        from bench import engines

        sys.argv = [sys.argv[0], "--runs", str(args.runs or 3)]
        engines.main()
        return
    runs = args.runs or (2 if args.quick else 5)
    sizes = [250, 500, 1000] if args.quick else [500, 1000, 2000]
    lines: list[str] = []

    def emit(*rows: str) -> None:  # each result as soon as it is measured
        for row in rows:
            print(row, flush=True)
            lines.append(row)

    emit(f"Machine: {machine()}", f"Date: {time.strftime('%Y-%m-%d')}; medians of {runs} runs.", "")
    seed = seed_builds(runs)
    emit(*["| measure | result | target |", "| --- | --- | --- |",
              f"| a. seed build, cold ({seed['files']} files) | {seed['cold']:.2f} s | |",
              f"| a. seed build, warm (nothing changed) | {seed['warm']:.2f} s | |"])
    over = overhead(runs)
    emit(*[f"| b. WeasyPrint alone, {over['documents']} seed documents (HTML → PDF) | {over['weasyprint']:.2f} s | |",
              f"| b. pilot-docs, same PDFs from the workbook, one core | {over['pilot_docs']:.2f} s | |",
              f"| b. pipeline overhead | {100 * over['overhead']:.0f}% | ≤ 25% |"])
    lo = against_libreoffice(3 if args.quick else 8)
    if lo:
        emit(*[f"| c. one letter: our PDF (WeasyPrint) | {lo['ours']:.2f} s | |",
                  f"| c. one letter: LibreOffice headless from our DOCX | {lo['libreoffice']:.2f} s | |",
                  f"| c. speed-up over LibreOffice | {lo['speedup']:.1f}× | ≥ 6× |"])
    base = None
    for row in province(sizes, 300):
        base = base or row
        per = row["seconds"] / row["items"] * 1000
        growth = (row["seconds"] / base["seconds"]) / (row["items"] / base["items"])
        emit(f"| d. province table, {row['items']} items, 300 agencies ({row['files']} files) | "
                     f"{row['seconds']:.1f} s, peak {row['pss_mib']:.0f} MiB (PSS; RSS sum {row['rss_mib']:.0f}), "
                     f"{per:.1f} ms/item, "
                     f"growth vs linear {growth:.2f} | ≤ 1024 MiB; linear |")
    text = "\n".join(lines)
    (ROOT / "bench" / "RESULTS.md").write_text("# Benchmark results\n\nWritten by `bench/run.py`.\n\n" + text + "\n",
                                              encoding="utf-8")


if __name__ == "__main__":
    main()
