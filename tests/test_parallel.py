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
