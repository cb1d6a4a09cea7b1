"""Locks between real processes: concurrent collect runs never lose a row; one build per output folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pilot_docs.locks import LockHeld, exclusive, holder
from pilot_docs.returns.ledger import ledger_path
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO
from tests.progress_helpers import fill_form, seed_project

CLI = [sys.executable, "-m", "pilot_docs.cli"]
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1246406400", "PYTHONPATH": str(REPO)}
TRIALS = 10


def _filler_ledger(root: Path, lines: int) -> int:
    """A big ledger to start from (rows of older forms), so that each run's read and rewrite takes a while."""
    path = ledger_path(find_project(root))
    row = {"agency": "市编办", "item": "1.1", "status": "推进中", "date": None, "text": "进展" * 40, "problems": "",
           "contact": "", "reported": "2009-06-01", "file": "source/returns/x.xlsx", "sha256": "0" * 64,
           "sheet": "进度反馈", "row": 7, "collected_at": "2009-06-02T00:00:00", "sample": False}
    path.write_text("".join(json.dumps({**row, "sha256": f"{n:064x}"}, ensure_ascii=False) + "\n"
                            for n in range(lines)), encoding="utf-8")
    return lines


def test_concurrent_collect_runs_never_lose_a_row(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    model, _ = load_model(find_project(root))
    expected = _filler_ledger(root, 5000)
    agencies = [a for a in model.agencies if len(a.items) >= 6][:6]
    started = time.monotonic()
    for trial in range(TRIALS):
        runs = []
        for n in range(3):  # three collect processes at once, two forms each
            forms = []
            for agency in agencies[2 * n:2 * n + 2]:
                rows = {item: ("推进中", None, f"第{trial}轮 {agency.name}", "", "") for item in agency.items}
                forms.append(fill_form(root, agency.name, rows, out=tmp_path / f"{trial}-{agency.name}.xlsx"))
                expected += len(agency.items)
            runs.append(forms)
        procs = [subprocess.Popen([*CLI, "collect", "--source", str(root), *map(str, forms)], env=ENV,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for forms in runs]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
        lines = ledger_path(find_project(root)).read_text(encoding="utf-8").splitlines()
        assert len(lines) == expected, f"trial {trial}: {expected - len(lines)} row(s) lost"
    assert time.monotonic() - started < 300
    texts = {json.loads(line)["text"] for line in lines}
    assert {f"第{t}轮 {a.name}" for t in range(TRIALS) for a in agencies} <= texts


def test_a_held_lock_names_its_holder_and_a_dead_holders_lock_is_free(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    holder_proc = subprocess.Popen(
        [sys.executable, "-c", ("import time; from pathlib import Path; from pilot_docs.locks import exclusive\n"
                                f"with exclusive(Path({str(lock)!r}), 'x'):\n"
                                "    print('held', flush=True); time.sleep(60)")],
        env=ENV, stdout=subprocess.PIPE)
    try:
        assert holder_proc.stdout.readline() == b"held\n"
        assert holder(lock) == f"process {holder_proc.pid}"
        with pytest.raises(LockHeld, match=f"the thing is in use by process {holder_proc.pid};"), \
                exclusive(lock, "the thing", wait=False):
            pass
    finally:
        holder_proc.kill()  # kill -9: the kernel frees the lock with the process
        holder_proc.wait()
    with exclusive(lock, "the thing", wait=False):
        assert holder(lock) == f"process {os.getpid()}"


def test_a_second_build_waits_or_with_no_wait_names_the_holder(tmp_path: Path) -> None:
    root = seed_project(tmp_path)
    out = tmp_path / "out"
    (out / ".pilot-docs").mkdir(parents=True)
    build = [*CLI, "build", "--source", str(root), "--out", str(out), "--only", "annex", "--format", "html",
             "--quiet"]
    with exclusive(out / ".pilot-docs" / "lock", "the output folder"):  # this process plays the first build
        refused = subprocess.run([*build, "--no-wait"], env=ENV, capture_output=True, text=True, timeout=120, check=False)
        assert refused.returncode == 1
        assert refused.stderr.strip() == (f"{out}: the output folder is in use by process {os.getpid()};"
                                          " wait for it to finish, or run again without --no-wait to wait")
        assert not (out / "附件-任务责任分解表.html").exists()
        waiting = subprocess.Popen(build, env=ENV, stderr=subprocess.PIPE, text=True)
        line = waiting.stderr.readline()
        assert line.strip() == f"{out}: waiting for process {os.getpid()}, which is using the output "\
                               "folder …"
        time.sleep(0.5)
        assert waiting.poll() is None and not (out / "附件-任务责任分解表.html").exists()
    assert waiting.wait(timeout=120) == 0
    assert (out / "附件-任务责任分解表.html").is_file()


def test_stale_staging_of_dead_builds_only_is_removed(tmp_path: Path) -> None:
    from pilot_docs.build.output import OutputFolder

    out = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    (out / ".pilot-docs" / f"staging-{dead.stdout.strip()}" / "letters").mkdir(parents=True)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (out / ".pilot-docs" / f"staging-{alive.pid}").mkdir()
        folder = OutputFolder(out)
        folder.close()
        assert sorted(p.name for p in (out / ".pilot-docs").iterdir()) == ["lock", f"staging-{alive.pid}"]
    finally:
        alive.kill()
        alive.wait()
