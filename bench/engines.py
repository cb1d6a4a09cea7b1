"""The two PDF engines side by side: per letter, per page, the seed's cold build, and a province-scale table.

    .venv/bin/python bench/engines.py                 # per letter and page, seed build (about 5 minutes)
    .venv/bin/python bench/engines.py --province 2000 # and a generated table of 2,000 items, 300 agencies
    .venv/bin/python bench/run.py --engines           # the same, from the main benchmark

Measures, for WeasyPrint (render/pdf.py) and Typst (render/typst.py):
  e. the PDF step of the seed's 41 letters, in one process with fonts loaded (what a worker does): CPU seconds per
     letter and per page (target: Typst at least 5 times cheaper per letter);
  f. the seed's cold build, CPU seconds of the whole process tree (build and workers) and wall time (target: Typst
     at least 2 times cheaper in CPU), and that the DOCX files of both builds are byte for byte the same;
  g. optionally, a generated province table built end to end with each engine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pilot_docs.build.pipeline import build

ENGINES = ("weasyprint", "typst")
CLI = [sys.executable, "-m", "pilot_docs.cli"]


def letters_html() -> list[str]:
    """The seed's letters as the build renders them (HTML)."""
    out = Path(tempfile.mkdtemp(prefix="bench-engines-html-"))
    build(ROOT, out, only=("letter",), formats=("html",))
    pages = [p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))]
    shutil.rmtree(out)
    return pages


def per_letter(runs: int) -> dict[str, dict[str, float]]:
    """e. CPU seconds of the PDF step per letter and per page, for each engine (warm: fonts loaded once)."""
    from pypdf import PdfReader

    from pilot_docs.render.fonts import FontConfig
    from pilot_docs.render.typst import pdf_renderer

    pages_html = letters_html()
    fonts = FontConfig(None, folder=ROOT / "fonts")
    results = {}
    for engine in ENGINES:
        render = pdf_renderer(engine)
        pdfs = [render(html, base_url=ROOT, fonts=fonts, source_name="letter") for html in pages_html[:2]]  # warm
        times = []
        for _ in range(runs):
            start = time.process_time()
            pdfs = [render(html, base_url=ROOT, fonts=fonts, source_name="letter") for html in pages_html]
            times.append(time.process_time() - start)
        import io

        pages = sum(len(PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs)
        cpu = statistics.median(times)
        results[engine] = {"letters": len(pages_html), "pages": pages, "cpu": cpu,
                           "per_letter_ms": 1000 * cpu / len(pages_html), "per_page_ms": 1000 * cpu / pages}
    return results


def cold_build(engine: str, out: Path, source: Path = ROOT) -> dict[str, float]:
    """One cold build in a process of its own: wall seconds and CPU seconds of it and all its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*CLI, "build", "--source", str(source), "--out", str(out), "--pdf-engine", engine, "--quiet"],
                   check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def seed_builds(runs: int) -> dict[str, object]:
    """f. the seed's cold build with each engine; whether the DOCX files of both are identical."""
    results: dict[str, object] = {}
    folders = {}
    for engine in ENGINES:
        rows = []
        for n in range(runs):
            out = Path(tempfile.mkdtemp(prefix=f"bench-engines-{engine}-"))
            rows.append(cold_build(engine, out))
            if n:
                shutil.rmtree(out)
            else:
                folders[engine] = out
        results[engine] = {"wall": statistics.median(r["wall"] for r in rows),
                           "cpu": statistics.median(r["cpu"] for r in rows),
                           "pages": sum(_pages(p) for p in folders[engine].rglob("*.pdf"))}
    docx = sorted(p.relative_to(folders["weasyprint"]) for p in folders["weasyprint"].rglob("*.docx"))
    same = [d for d in docx if (folders["weasyprint"] / d).read_bytes() == (folders["typst"] / d).read_bytes()]
    results["docx"] = {"files": len(docx), "identical": len(same)}
    for folder in folders.values():
        shutil.rmtree(folder)
    return results


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def province(items: int, agencies: int = 300) -> dict[str, dict[str, float]]:
    """g. a generated province table built cold with each engine."""
    from bench.province import write_province

    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-engines-province-") as folder:
        project = Path(folder) / "project"
        write_province(project, items, agencies)
        for engine in ENGINES:
            results[engine] = cold_build(engine, Path(folder) / f"out-{engine}", project)
    return results


def report(runs: int, province_items: int | None = None) -> list[str]:
    """The table rows of the engines' measures (printed as they are measured)."""
    lines: list[str] = []

    def emit(row: str) -> None:
        print(row, flush=True)
        lines.append(row)

    emit("| measure | WeasyPrint | Typst | ratio | target |")
    emit("| --- | --- | --- | --- | --- |")
    letter = per_letter(runs)
    w, t = letter["weasyprint"], letter["typst"]
    emit(f"| e. PDF step per letter ({w['letters']} letters, CPU) | {w['per_letter_ms']:.0f} ms | "
         f"{t['per_letter_ms']:.0f} ms | {w['per_letter_ms'] / t['per_letter_ms']:.1f}× | ≥ 5× |")
    emit(f"| e. PDF step per page ({w['pages']} / {t['pages']} pages) | {w['per_page_ms']:.1f} ms | "
         f"{t['per_page_ms']:.1f} ms | {w['per_page_ms'] / t['per_page_ms']:.1f}× | |")
    seed = seed_builds(runs)
    w, t = seed["weasyprint"], seed["typst"]
    emit(f"| f. seed build, cold, CPU of the process tree | {w['cpu']:.1f} s | {t['cpu']:.1f} s | "
         f"{w['cpu'] / t['cpu']:.1f}× | ≥ 2× |")
    emit(f"| f. seed build, cold, wall ({w['pages']} / {t['pages']} PDF pages) | {w['wall']:.1f} s | "
         f"{t['wall']:.1f} s | {w['wall'] / t['wall']:.1f}× | |")
    docx = seed["docx"]
    emit(f"| f. DOCX files byte-identical between the two builds | {docx['identical']} of {docx['files']} | | | "
         "all |")
    if province_items:
        prov = province(province_items)
        w, t = prov["weasyprint"], prov["typst"]
        emit(f"| g. province table, {province_items} items, 300 agencies, cold, CPU | {w['cpu']:.0f} s | "
             f"{t['cpu']:.0f} s | {w['cpu'] / t['cpu']:.1f}× | |")
        emit(f"| g. same, wall | {w['wall']:.0f} s | {t['wall']:.0f} s | {w['wall'] / t['wall']:.1f}× | |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--province", type=int, default=None, help="also a generated table of this many items")
    args = parser.parse_args()
    lines = report(args.runs, args.province)
    (ROOT / "bench" / "ENGINES.md").write_text(
        "# PDF engines: WeasyPrint and Typst\n\nWritten by `bench/engines.py`; medians of "
        f"{args.runs} runs, {time.strftime('%Y-%m-%d')}.\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
