"""Workers give back the memory a long document freed."""

from __future__ import annotations

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


def _task(index: int, html: str, folder: Path) -> parallel.RenderTask:
    return parallel.RenderTask(((index, "html", f"{index}.html"),), html, ".", files=(str(folder / f"{index}.html"),))


def test_long_documents_are_handed_out_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A province's summary and volume each hold a worker's memory for minutes: never two at once, the other
    workers making the short documents meanwhile, and the next long one handed out as soon as the last ends."""
    monkeypatch.setattr(parallel, "LONG_HTML", 100)
    long_a, long_b, short = _task(0, "长" * 100, tmp_path), _task(1, "长" * 200, tmp_path), _task(2, "短", tmp_path)
    assert parallel._next([long_a, long_b, short], long_running=False) == 0
    assert parallel._next([long_b, short], long_running=True) == 1  # the short one, while long_a is made
    assert parallel._next([long_b], long_running=True) is None  # long_b waits for long_a
    assert parallel._next([long_b], long_running=False) == 0
    # and the pool makes them all, long ones left to the end included (fewer workers than tasks, more than one)
    tasks = [_task(n, ("长" if n < 3 else "短") * (150 if n < 3 else 1), tmp_path) for n in range(7)]
    pool = parallel.Pool(None, str(tmp_path), workers=2)
    try:
        done = sorted(index for index, _ in pool.run(tasks))
    finally:
        pool.close()
    assert done == list(range(7))
    assert (tmp_path / "2.html").read_text(encoding="utf-8") == "长" * 150
