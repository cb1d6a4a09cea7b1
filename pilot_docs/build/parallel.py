"""Rendering spread over every core: a process pool whose workers each set up fonts once."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..source.config import DEFAULT_PDF_ENGINE
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
    engine: str = DEFAULT_PDF_ENGINE  # the PDF engine ([render] pdf_engine): render/typst.py or render/pdf.py

    @property
    def alone(self) -> bool:
        """A long document: made in a process of its own (Pool.run)."""
        return len(self.html) >= BIG_HTML


def _setup(font_overrides: dict | None, font_folder: str, model: Any = None, parent: int | None = None) -> None:
    """Worker initializer: the worker dies with its build, and the font configuration is built once per process;
    the model is what the forms are made from (inherited, not sent, where processes fork)."""
    if parent is not None:
        _die_with(parent)
    from ..render.fonts import FontConfig

    _STATE["fonts"] = FontConfig(font_overrides, folder=font_folder)
    _STATE["model"] = model
    _STATE["worker"] = parent is not None  # a process of the pool, not the build making a small build itself


def _warm(base_url: str | None, engine: str = DEFAULT_PDF_ENGINE) -> None:
    """What every worker needs whatever it renders, done while the build plans: the libraries imported, the
    fonts' configurations (WeasyPrint's and its parsed stylesheet, or Typst's font book: only the engine's, the
    other is not imported), the prepared DOCX packages (each then cached per process)."""
    from ..render.docx import _prepared

    if engine == "typst":
        from ..render.typst import typst_fonts

        typst_fonts(_STATE["fonts"], copies=True)
    else:
        from ..render.pdf import warm_up

        warm_up(_STATE["fonts"], base_url)
    _prepared(False), _prepared(True)


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
    if task.toc is None:
        made = _render(task)
    else:
        from ..render.pdf import reusing_pieces

        with reusing_pieces():  # the 目录's first pass lays out every part; the second only the 目录's again
            made = _render(task)
    if task.toc is not None or len(task.html) > BIG_HTML:
        release_memory()  # once the first pass's parts are let go too
    return made


def _render(task: RenderTask) -> list[tuple[int, bytes]]:
    fonts = _STATE["fonts"]
    html = task.html
    if task.toc is not None:
        html = task.toc.final_html(html, task.base_url, fonts, task.outputs[0][2], task.engine)
        if len(html) > BIG_HTML:
            release_memory()  # the first pass's layout goes back before the second
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
            if len(html) > BIG_HTML and len(task.outputs) > 1:
                release_memory()  # what the layout held goes back before the DOCX writer takes its own
        elif fmt == "docx":
            from ..render.docx import render_docx

            if has_colophon(html) and not layout:
                render_pdf(html, base_url=task.base_url, fonts=fonts, source_name=name, write=False, layout=layout)
            data = render_docx(html, source_name=name, fonts=fonts, date=task.date,
                               colophon_page=bool(layout.get("colophon_page")))
            if "data-summary" in html:  # a volume with the agencies' own summaries (render/external.py)
                from ..render.external import compose_docx

                data = compose_docx(data, html, task.base_url)
            made.append((index, data))
        else:
            made.append((index, html.encode("utf-8")))
    made.sort(key=lambda m: [o[0] for o in task.outputs].index(m[0]))
    return made


BIG_HTML = 1_000_000  # characters: a document this long is made in a process of its own (see _alone)


def _alone(task) -> bool:
    """Whether a task is made in a process of its own, started for it and ended after it, one such at a time: a
    long document (a province's summary, volume, progress report). Each holds hundreds of MB for minutes, and a
    worker that made one kept most of it (heap that glibc and Python's allocator keep fragmented) through every
    document after it: at 5,000 items × 300 agencies two such workers were 667 and 476 MB while making letters.
    A process of its own gives all of it back when it ends; the workers make the short documents meanwhile."""
    return getattr(task, "alone", False)


def _next(order: list, alone_running: bool) -> int | None:
    """Which task of those left to hand out goes next: the first long one (_alone) when none is being made, so that
    it starts as soon as a core is free; else the first short one; None when only long ones are left."""
    if not alone_running:
        first = next((i for i, task in enumerate(order) if _alone(task)), None)
        if first is not None:
            return first
    return next((i for i, task in enumerate(order) if not _alone(task)), None)


def release_memory() -> None:
    """Give the memory a long document freed back to the system: glibc keeps freed heap pages for reuse, so a
    worker that laid out a province's summary would otherwise hold ~450 MB through the letters that follow."""
    import gc
    import sys

    engine = sys.modules.get("pilot_docs.render.typst")
    if engine is not None:
        engine.evict_cache()  # what Typst memoized of the document (render/typst.py)
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
    import sys

    engine = sys.modules.get("pilot_docs.render.typst")
    return multiprocessing.get_context("spawn") if engine is not None and engine.compiled() else None


def _preload(engine: str) -> None:
    """Import in the build process the modules every worker imports to render (the PDF engine's, the DOCX
    writer's, the titles' words), make the GB 2312 repertoire and the prepared DOCX packages, before the workers
    fork: they then share them instead of each making them again (WeasyPrint's import alone is about 0.3 s of CPU
    a process). None of it starts a thread (Typst starts its own when it compiles)."""
    import sqlite3  # noqa: F401

    import uharfbuzz  # noqa: F401

    from ..render import word_table  # noqa: F401
    from ..render.docx import _prepared
    from ..render.font_copies import repertoire

    repertoire()
    _prepared(False), _prepared(True)  # the prepared DOCX packages (_warm's, then already made)
    if engine == "typst":
        import typst  # noqa: F401

        from ..render import typst as _  # noqa: F401
    else:
        import weasyprint  # noqa: F401

        from ..render import pdf  # noqa: F401


@dataclass(frozen=True)
class FormTask:
    """One agency's return form (returns/forms.py), made from the model each worker holds."""

    index: int
    agency: str
    password: str | None
    file: str

    def run(self) -> list[tuple[int, str]]:
        from ..returns.forms import return_form

        model = _STATE["model"]
        agency = next(a for a in model.agencies if a.name == self.agency)
        data = return_form(model, agency, self.password)
        write_file(Path(self.file), data)
        return [(self.index, hashlib.sha256(data).hexdigest())]


def _run_task(task) -> list[tuple[int, str]]:
    """In a worker: a document's outputs, a form or a bundle, written to their files; (index, sha256) of each."""
    made = render_to_files(task) if isinstance(task, RenderTask) else task.run()
    if _STATE.get("worker") and _resident() > WORKER_MEMORY:
        release_memory()
    return made


def _run_inherited() -> list[tuple[int, str]]:
    """In a process forked for one long document: the task it inherited (Pool._own_process)."""
    return _run_task(_STATE.pop("inherited"))


# Bytes of memory a worker of the pool may hold between tasks: above it, it lets go of what Typst memoized and
# gives its freed heap back (release_memory). Typst keeps what its last ten compiles used, and the heap stays
# fragmented: a worker making a province's letters grew from 110 to 410 MB over 18 of them (15,000 characters
# each), and stays near 220 MB when it gives back after each. At 5,000 items × 300 agencies 256 MiB kept the
# workers at 210 MB each, 224 at 187 for the same CPU; 200 at 163–185 but for 31% more CPU (giving back after
# nearly every task). A seed build's workers stay under it (at most 211 MB).
WORKER_MEMORY = 224 * 2**20


def _resident() -> int:
    """This process's resident memory in bytes (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class Pool:
    """The build's worker processes, one per core, kept for the whole build: documents, forms and bundles all go
    to them. `start()` forks them early (the build starts them before it plans, so that they set up the fonts,
    the stylesheet and the DOCX packages meanwhile); otherwise they start with the first work given, and a small
    build (fewer than 4 tasks, or one core) is done in this process."""

    def __init__(self, font_overrides: dict | None, font_folder: str, model: Any = None,
                 workers: int | None = None, engine: str = DEFAULT_PDF_ENGINE) -> None:
        self._args = (font_overrides, font_folder, model)
        self.workers = workers or os.cpu_count() or 1
        self.engine = engine  # the build's PDF engine: what the workers set up and the build imports for them
        self._pool: ProcessPoolExecutor | None = None
        self._local = False

    def start(self, base_url: str | None = None) -> None:
        """Fork the workers now, each setting itself up for the project at base_url and the PDF engine (_warm)."""
        if self._pool is None and self.workers > 1:
            context = _context()
            if (context or multiprocessing.get_context()).get_start_method() == "fork":
                _preload(self.engine)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_setup,
                                             mp_context=context, initargs=(*self._args, os.getpid()))
            for _ in range(self.workers):
                self._pool.submit(_warm, base_url, self.engine)  # the workers fork at the first submit

    def run(self, tasks: list, progress: Callable[[int], None] | None = None) -> Iterator[tuple[int, str]]:
        """Run each task (a RenderTask, FormTask or BundleTask) on the workers, a long document in a process of
        its own (_alone); (index, sha256) of each output as its task completes. The pool takes the list over: it
        is emptied as the tasks are handed out."""
        if not tasks:
            return
        if self._pool is None and (self.workers <= 1 or len(tasks) < 4):
            if not self._local:
                _setup(*self._args)
                self._local = True
            while tasks:
                results = _run_task(tasks.pop(0))
                if progress:
                    progress(len(results))
                yield from results
            return
        self.start()
        assert self._pool is not None
        order = tasks  # taken over: a task leaves it when handed out, so that only its future holds its HTML
        running: dict = {}  # future → the process of its own it runs in, or None (a worker of the pool)
        try:
            while order or running:
                while order:
                    own = sum(e is not None for e in running.values())
                    busy = len(running) - own  # the pool's tasks handed out, queued ones included
                    pick = _next(order, bool(own))
                    if pick is None:
                        break  # only long documents are left to hand out, and one is being made
                    # a process of its own takes a core: it starts when the pool's tasks leave one free, and the
                    # workers then make one task fewer at a time, with none queued (a queued task would start on
                    # the worker that frees first, both then busy); otherwise one task is queued ahead
                    if _alone(order[pick]):
                        if busy >= self.workers:
                            break
                    elif busy >= (self.workers - own if own else self.workers + 1):
                        break
                    task = order.pop(pick)
                    if _alone(task):
                        executor, future = self._own_process(task)
                        running[future] = executor
                    else:
                        running[self._pool.submit(_run_task, task)] = None
                    del task
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    executor = running.pop(future)
                    if executor is not None:
                        executor.shutdown(wait=True)  # the process ends, and its memory with it
                    results = future.result()
                    if progress:
                        progress(len(results))
                    yield from results
        except BaseException:
            for future, executor in running.items():
                future.cancel()
                if executor is not None:
                    _stop(executor)
                    executor.shutdown(wait=False, cancel_futures=True)
            _stop(self._pool)
            raise

    def _own_process(self, task) -> tuple[ProcessPoolExecutor, Any]:
        """A process for one long document (_alone), set up as the workers are, and the future of its task; the
        process ends when its document is made. Forked from the build, it finds the task in what it inherits
        (sent through a pipe, a 9 M-character volume and its 目录's context stayed pickled in the build, about
        50 MB, for as long as the document took); started afresh where Typst has compiled in the build's
        process (_context), it is sent the task."""
        context = _context()
        executor = ProcessPoolExecutor(max_workers=1, initializer=_setup, mp_context=context,
                                       initargs=(*self._args, os.getpid()))
        if (context or multiprocessing.get_context()).get_start_method() != "fork":
            return executor, executor.submit(_run_task, task)
        _STATE["inherited"] = task
        try:
            return executor, executor.submit(_run_inherited)  # the process forks here, holding the task
        finally:
            del _STATE["inherited"]

    def close(self, failed: bool = False) -> None:
        """Let the workers go: at once when the build failed or was interrupted (its documents are not waited for)."""
        if self._pool is not None:
            if failed:
                _stop(self._pool)
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def render_all(tasks: list[RenderTask], font_overrides: dict | None, font_folder: str,
               progress: Callable[[int], None] | None = None, workers: int | None = None) -> Iterator[tuple[int, str]]:
    """Write each task's outputs to its files, on all cores when there is enough to share out; (index, sha256) of
    each output as its task completes."""
    pool = Pool(font_overrides, font_folder, workers=workers, engine=tasks[0].engine if tasks else DEFAULT_PDF_ENGINE)
    try:
        yield from pool.run(list(tasks), progress)
    except BaseException:
        pool.close(failed=True)
        raise
    pool.close()
