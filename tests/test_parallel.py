"""Workers give back the memory a long document freed."""

from __future__ import annotations

import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from pilot_docs.build import parallel


def _rss_mb() -> int:
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) // 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_release_memory_gives_freed_heap_back() -> None:
    root = etree.Element("root")
    for n in range(400_000):  # ~100 MB of C heap in small blocks, as python-docx's and Pango's trees are
        etree.SubElement(root, "w", val=str(n))
    held = _rss_mb()
    del root
    before = _rss_mb()
    parallel.release_memory()
    after = _rss_mb()
    assert before - after > 50, (held, before, after)  # freed, yet held until given back


def test_long_documents_release_memory_short_ones_do_not(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(parallel, "release_memory", lambda: calls.append(1))
    monkeypatch.setitem(parallel._STATE, "fonts", None)
    short = parallel.RenderTask(((0, "html", "a.html"),), "<p>短</p>", ".")
    long = parallel.RenderTask(((1, "html", "b.html"),), "<p>长</p>" * (parallel.BIG_HTML // 8 + 1), ".")
    assert parallel.render(short) == [(0, "<p>短</p>".encode())]
    assert calls == []
    parallel.render(long)
    assert calls == [1]


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_a_worker_over_its_memory_gives_back_after_a_task(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Typst keeps what its last ten compiles used and the heap stays fragmented: a worker making a province's
    letters grew to 410 MB. Above WORKER_MEMORY after a task, it gives back; under it, or in the build's own
    process (a small build made there), it does not spend the time."""
    calls = []
    monkeypatch.setattr(parallel, "release_memory", lambda: calls.append(1))
    monkeypatch.setitem(parallel._STATE, "fonts", None)
    task = _task(0, "<p>短</p>", tmp_path)
    assert parallel._resident() > 10 * 2**20
    for worker, budget, released in ((True, 2**40, 0), (True, 0, 1), (False, 0, 0)):
        monkeypatch.setitem(parallel._STATE, "worker", worker)
        monkeypatch.setattr(parallel, "WORKER_MEMORY", budget)
        calls.clear()
        assert parallel._run_task(task) == [(0, parallel.hashlib.sha256("<p>短</p>".encode()).hexdigest())]
        assert len(calls) == released


def _task(index: int, html: str, folder: Path) -> parallel.RenderTask:
    return parallel.RenderTask(((index, "html", f"{index}.html"),), html, ".", files=(str(folder / f"{index}.html"),))


def test_long_documents_are_handed_out_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A province's summary and volume each hold hundreds of MB for minutes: never two at once, the workers
    making the short documents meanwhile, and the next long one handed out as soon as the last ends."""
    monkeypatch.setattr(parallel, "BIG_HTML", 100)
    long_a, long_b, short = _task(0, "长" * 100, tmp_path), _task(1, "长" * 200, tmp_path), _task(2, "短", tmp_path)
    assert long_a.alone and long_b.alone and not short.alone
    assert parallel._next([long_a, long_b, short], alone_running=False) == 0
    assert parallel._next([long_b, short], alone_running=True) == 1  # the short one, while long_a is made
    assert parallel._next([long_b], alone_running=True) is None  # long_b waits for long_a
    assert parallel._next([long_b], alone_running=False) == 0
    assert parallel._next([short, long_b], alone_running=False) == 1  # a long one first, to start when a core frees
    # and the pool makes them all, long ones left to the end included (fewer workers than tasks, more than one)
    tasks = [_task(n, ("长" if n < 3 else "短") * (150 if n < 3 else 1), tmp_path) for n in range(7)]
    pool = parallel.Pool(None, str(tmp_path), workers=2)
    try:
        done = sorted(index for index, _ in pool.run(tasks))
    finally:
        pool.close()
    assert done == list(range(7))
    assert tasks == []  # the pool took the list over, letting each task go as it was handed out
    few = [_task(7, "短", tmp_path), _task(8, "短", tmp_path)]  # made in this process: taken over the same way
    pool = parallel.Pool(None, str(tmp_path), workers=2)
    assert sorted(index for index, _ in pool.run(few)) == [7, 8] and few == []
    assert (tmp_path / "2.html").read_text(encoding="utf-8") == "长" * 150


@dataclass(frozen=True)
class _Timed:
    """A task that notes the process it ran in and when (a long one, `alone`, or a short one)."""

    index: int
    alone: bool

    def run(self) -> list[tuple[int, str]]:
        start = time.monotonic()
        time.sleep(0.15)
        return [(self.index, f"{os.getpid()} {start} {time.monotonic()}")]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_each_long_document_is_made_in_a_process_of_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                             start: str) -> None:
    """A worker that made a long document kept its memory through every document after it: each long one now
    has a process of its own, ended after it, and takes a core, the pool's workers making one task fewer
    meanwhile (two cores: one short task at a time beside a long one). Forked, the process inherits its task;
    started afresh (after Typst has compiled in the build), it is sent it."""
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context(start))
    tasks = [_Timed(0, True), _Timed(1, True), *(_Timed(n, False) for n in range(2, 9)), _Timed(9, True)]
    pool = parallel.Pool(None, str(tmp_path), workers=2)
    try:
        made = {index: text.split() for index, text in pool.run(tasks)}
    finally:
        pool.close()
    assert sorted(made) == list(range(10))
    runs = {i: (int(pid), float(a), float(b)) for i, (pid, a, b) in made.items()}
    alone, short = [runs[i] for i in (0, 1, 9)], [runs[i] for i in range(2, 9)]
    assert len({pid for pid, _, _ in alone}) == 3  # a process each
    assert not {pid for pid, _, _ in alone} & {pid for pid, _, _ in short}  # none of them a worker of the pool
    assert len({pid for pid, _, _ in short}) <= 2
    for pid in {pid for pid, _, _ in alone}:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()

    def overlap(x, y) -> bool:
        return x[1] < y[2] and y[1] < x[2]

    assert not any(overlap(x, y) for x in alone for y in alone if x is not y)  # one at a time
    for a in alone:  # beside a long one, one short task at a time
        beside = [s for s in short if overlap(s, a)]
        assert not any(overlap(x, y) for x in beside for y in beside if x is not y)
    assert any(overlap(s, a) for s in short for a in alone)  # the workers did go on meanwhile
