"""Rendering spread over every core: a process pool whose workers each set up fonts once."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .output import write_file

_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class RenderTask:
    """Outputs made from one HTML: each (index, format, name for messages), format "pdf" | "docx" | "html"."""

    outputs: tuple[tuple[int, str, str], ...]
    html: str
    base_url: str
    date: Any = None
    toc: Any = None  # a jobs.TocPass: the 目录 is filled from a first layout (done once) before the outputs are made
    files: tuple[str, ...] = ()  # where render_all writes each output (in the order of `outputs`)
    engine: str = "weasyprint"  # the PDF engine ([render] pdf_engine): render/pdf.py or render/typst.py


def _setup(font_overrides: dict | None, font_folder: str, parent: int | None = None) -> None:
    """Worker initializer: the worker dies with its build, and the font configuration is built once per process."""
    if parent is not None:
        _die_with(parent)
    from ..render.fonts import FontConfig

    _STATE["fonts"] = FontConfig(font_overrides, folder=font_folder)


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """End this worker when the build that started it ends, however it ends (kill -9 included).

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere a daemon thread
    polls the parent's id. Ctrl-C is the build's to handle: the build stops its workers itself, so a worker
    ignores SIGINT (a terminal sends it to every process of the group) rather than print a traceback."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:  # the build died before the signal was armed
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers at once (an interrupted or failed build does not wait for their documents)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def render(task: RenderTask) -> list[tuple[int, bytes]]:
    """The bytes of each output of a task (in a worker, or in the main process for small builds)."""
    fonts = _STATE["fonts"]
    html = task.html
    if task.toc is not None:
        html = task.toc.final_html(html, task.base_url, fonts, task.outputs[0][2], task.engine)
    from ..render.pdf import has_colophon
    from ..render.typst import pdf_renderer

    render_pdf = pdf_renderer(task.engine)

    made = []
    layout: dict = {}  # the PDF's layout: whether the 版记 has a page of its own, which the DOCX follows
    # the PDF first: the DOCX takes the 版记's page from its layout (laid out for the DOCX alone if not asked for)
    for index, fmt, name in sorted(task.outputs, key=lambda o: o[1] != "pdf"):
        if fmt == "pdf":
            made.append((index, render_pdf(html, base_url=task.base_url, fonts=fonts, source_name=name,
                                           layout=layout)))
        elif fmt == "docx":
            from ..render.docx import render_docx

            if has_colophon(html) and not layout:
                render_pdf(html, base_url=task.base_url, fonts=fonts, source_name=name, write=False, layout=layout)
            made.append((index, render_docx(html, source_name=name, fonts=fonts, date=task.date,
                                            colophon_page=bool(layout.get("colophon_page")))))
        else:
            made.append((index, html.encode("utf-8")))
    made.sort(key=lambda m: [o[0] for o in task.outputs].index(m[0]))
    if task.toc is not None or len(task.html) > BIG_HTML:
        release_memory()
    return made


BIG_HTML = 1_000_000  # characters: after a document this long, the worker gives its freed memory back


def release_memory() -> None:
    """Give the memory a long document freed back to the system: glibc keeps freed heap pages for reuse, so a
    worker that laid out a province's summary would otherwise hold ~450 MB through the letters that follow."""
    import gc

    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim():
    """glibc's malloc_trim, or None (another C library). Looked up in the process itself: ctypes.util.find_library
    would run ldconfig, forking a worker of several hundred MB."""
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def render_to_files(task: RenderTask) -> list[tuple[int, str]]:
    """Make a task's outputs and write each to its file; (index, sha256) of each. The process that made a
    document writes it: a province's volume (tens of MB) is not also copied through a pipe into the build."""
    written = []
    for (index, data), file in zip(render(task), task.files, strict=True):
        write_file(Path(file), data)  # in the build's staging folder, which a failed build discards whole
        written.append((index, hashlib.sha256(data).hexdigest()))
    return written


def _context():
    """How workers start: forked (the default), unless Typst has compiled in this process: its thread pool does not
    survive a fork (a forked worker would wait for it forever), so the workers then start afresh (spawn)."""
    import multiprocessing
    import sys

    engine = sys.modules.get("pilot_docs.render.typst")
    return multiprocessing.get_context("spawn") if engine is not None and engine.compiled() else None


def render_all(tasks: list[RenderTask], font_overrides: dict | None, font_folder: str,
               progress: Callable[[int], None] | None = None, workers: int | None = None) -> Iterator[tuple[int, str]]:
    """Write each task's outputs to its files, on all cores when there is enough to share out; (index, sha256) of
    each output as its task completes."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(tasks) < 4:
        _setup(font_overrides, font_folder)
        for task in tasks:
            results = render_to_files(task)
            if progress:
                progress(len(results))
            yield from results
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), initializer=_setup, mp_context=_context(),
                             initargs=(font_overrides, font_folder, os.getpid())) as pool:
        futures = [pool.submit(render_to_files, task) for task in tasks]
        try:
            for future in as_completed(futures):
                results = future.result()
                if progress:
                    progress(len(results))
                yield from results
        except BaseException:
            for future in futures:
                future.cancel()
            _stop(pool)
            raise
