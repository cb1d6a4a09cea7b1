"""A killed or interrupted build leaves no worker behind: real builds, real signals, real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO
from tests.progress_helpers import seed_project

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1246406400", "PYTHONPATH": str(REPO)}


def _children(pid: int) -> set[int]:
    """The running (not zombie) processes whose parent is pid."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _build_with_workers(tmp_path: Path) -> tuple[subprocess.Popen, set[int]]:
    """A full build of the seed, started in its own session, once its pool's workers run."""
    root = seed_project(tmp_path)
    build = subprocess.Popen([sys.executable, "-m", "pilot_docs.cli", "build", "--source", str(root), "--out",
                              str(tmp_path / "out"), "--quiet"], env=ENV, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and build.poll() is None:
        workers = _children(build.pid)
        if len(workers) >= 2:
            time.sleep(1)  # the workers are rendering
            return build, _children(build.pid)
        time.sleep(0.05)
    build.kill()
    pytest.fail("the build started no workers")


def _seconds_until_gone(pids: set[int], limit: float = 10) -> float:
    start = time.monotonic()
    while any(_running(p) for p in pids):
        if time.monotonic() - start > limit:
            for pid in pids:
                if _running(pid):
                    os.kill(pid, signal.SIGKILL)
            pytest.fail(f"workers still running {limit} s after their build ended")
        time.sleep(0.02)
    return time.monotonic() - start


def test_kill_9_of_the_build_ends_its_workers(tmp_path: Path) -> None:
    build, workers = _build_with_workers(tmp_path)
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert _seconds_until_gone(workers) < 3
    build.communicate(timeout=5)  # nothing holds the build's output open any more


def test_ctrl_c_ends_the_build_and_its_workers(tmp_path: Path) -> None:
    build, workers = _build_with_workers(tmp_path)
    os.killpg(build.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    _, err = build.communicate(timeout=30)
    assert build.returncode == 130
    assert err.decode().strip() == "interrupted"  # no worker traceback
    assert _seconds_until_gone(workers) < 3
    assert not list((tmp_path / "out" / ".pilot-docs").glob("staging-*"))  # the interrupted build cleaned up
