"""build/index.html, checked in headless Chromium: it loads without console errors and links every document."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from pilot_docs.build.pipeline import build
from tests.helpers import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build(REPO, out, only=("bundle", "progress", "index"))
    return out


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    assert CHROMIUM, "Debian's chromium is installed by scripts/setup.sh"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120, check=False)


def test_index_links_every_output(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    links = {unquote(h) for h in re.findall(r'href="([^"]+)"', html)}
    for link in links:
        assert (site / link).is_file(), link
    assert "附件-任务责任分解表.pdf" in links and "reports/进度通报-2009-07-01.pdf" in links
    assert len([x for x in links if x.startswith("letters/")]) == 82
    assert len([x for x in links if x.startswith("bundles/") and x.endswith(".zip")]) == 41


def test_index_shows_in_chromium_without_errors(site: Path, tmp_path: Path) -> None:
    url = (site / "index.html").resolve().as_uri()
    dom = chromium("--dump-dom", url, profile=tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    errors = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert errors == []
    rows = re.findall(r"<tr>", dom.stdout.split('<table id="agencies">', 1)[1])
    assert len(rows) == 1 + 41  # header and one row per agency
    assert dom.stdout.count("<img") == 2 and "市安监局" in dom.stdout
    shot = tmp_path / "index.png"
    result = chromium(f"--screenshot={shot}", "--window-size=1280,1600", url, profile=tmp_path / "profile2")
    assert result.returncode == 0 and shot.stat().st_size > 50_000
