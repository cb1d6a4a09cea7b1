"""Incremental, deterministic and atomic builds."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pilot_docs.build import output
from pilot_docs.build.pipeline import build
from tests.progress_helpers import seed_project

KINDS = ("annex", "letter", "form")


def consistent(out: Path) -> list[dict]:
    """Every file the manifest lists is there with the listed sha256; returns the entries."""
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    for entry in entries:
        assert hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"], entry["path"]
    return entries


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return seed_project(tmp_path)


def test_nothing_changed_renders_nothing_and_one_row_renders_its_dependants(project: Path) -> None:
    out = project / "build"
    first = build(project, out, only=KINDS)
    assert len(first.rendered) == 125 and not first.reused
    second = build(project, out, only=KINDS)
    assert second.rendered == [] and len(second.reused) == 125
    wb = load_workbook(project / "source" / "任务分解表.xlsx")
    wb["任务分解"]["C6"] = "搜集、汇编安全生产应急管理规章及规范性文件（修订）。"  # item 2.1
    wb.save(project / "source" / "任务分解表.xlsx")
    third = build(project, out, only=KINDS)
    expected = {"附件-任务责任分解表.docx", "附件-任务责任分解表.pdf"}
    for agency in ("市安监局", "市法制局", "市司法局"):
        expected |= {f"letters/交办通知-{agency}.docx", f"letters/交办通知-{agency}.pdf",
                     f"forms/进度反馈表-{agency}.xlsx"}
    assert set(third.rendered) == expected
    consistent(out)


def test_template_and_config_changes_rerender_what_uses_them(project: Path) -> None:
    out = project / "build"
    build(project, out, only=KINDS)
    (project / "templates").mkdir()
    annex = (Path(__file__).parent.parent / "pilot_docs" / "templates" / "annex.html.j2").read_text(encoding="utf-8")
    (project / "templates" / "annex.html.j2").write_text(annex.replace("附件</p>", "附件 </p>"), encoding="utf-8")
    assert set(build(project, out, only=KINDS).rendered) == {"附件-任务责任分解表.docx", "附件-任务责任分解表.pdf"}
    config = (project / "pilot-docs.toml").read_text(encoding="utf-8")
    assert "start = 5\n" in config  # [numbering.letter]: the letters' number, 江安委〔2009〕5号
    (project / "pilot-docs.toml").write_text(config.replace("start = 5\n", "start = 6\n"), encoding="utf-8")
    rendered = build(project, out, only=KINDS).rendered
    assert len([p for p in rendered if p.startswith("letters/")]) == 82  # the number is in every letter
    assert not any(p.startswith("forms/") for p in rendered)


def test_two_clean_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    a = build(project, tmp_path / "a")
    b = build(project, tmp_path / "b")
    assert sorted((o.path, o.sha256) for o in a.outputs) == sorted((o.path, o.sha256) for o in b.outputs)
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()
    # documents, forms, report, reminders as of 2009-07-01 (no returns here: item 1.1's three agencies are
    # overdue), summary, bundles, index, the styles template, the volume's DOCX (issue 15 item 5)
    assert len(a.outputs) == 42 * 2 + 41 + 2 + 3 * 2 + 3 + 41 * 7 + 1 + 1 + 1
    assert (tmp_path / "a" / "公文样式.dotx").is_file()


def test_stale_outputs_are_removed_by_a_full_build(project: Path) -> None:
    out = project / "build"
    build(project, out, only=("letter",), formats=("docx",))
    wb = load_workbook(project / "source" / "任务分解表.xlsx")
    wb["任务分解"]["D3"] = "市安监局、市财政局"  # 市编办 loses its only item
    wb.save(project / "source" / "任务分解表.xlsx")
    result = build(project, out, only=("letter",), formats=("docx",))
    assert result.removed == ["letters/交办通知-市编办.docx"]
    assert not (out / "letters" / "交办通知-市编办.docx").exists()
    assert len(consistent(out)) == 40


def test_killed_build_leaves_previous_outputs_consistent(project: Path) -> None:
    out = project / "build"
    build(project, out, only=KINDS)
    before = (out / "manifest.json").read_bytes()
    (project / "pilot-docs.toml").write_text((project / "pilot-docs.toml").read_text(encoding="utf-8")
                                             .replace("2009-05-20", "2009-05-21"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pilot_docs.cli", "build", "--source", str(project), "--quiet"],
                            start_new_session=True)
    deadline = time.monotonic() + 60
    staging = out / ".pilot-docs"
    while time.monotonic() < deadline:
        if any(p.is_file() for p in staging.glob("staging-*/**/*")):
            break
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (out / "manifest.json").read_bytes() == before  # killed while rendering: nothing committed
    consistent(out)
    result = build(project, out, only=KINDS)  # the next build completes the job
    assert len(result.rendered) == 125 and not list(staging.glob("staging-*"))  # the date is in every file
    consistent(out)


def test_crash_while_committing_leaves_the_manifest_true(project: Path, monkeypatch) -> None:
    out = project / "build"
    build(project, out, only=KINDS)
    (project / "pilot-docs.toml").write_text((project / "pilot-docs.toml").read_text(encoding="utf-8")
                                             .replace("2009-05-20", "2009-05-21"), encoding="utf-8")
    real_replace = os.replace
    calls = {"n": 0}

    def crashing_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 20:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", crashing_replace)
    with pytest.raises(KeyboardInterrupt):
        build(project, out, only=KINDS)
    monkeypatch.setattr(output.os, "replace", real_replace)
    entries = consistent(out)
    assert 0 < len(entries) < 125
    result = build(project, out, only=KINDS)
    assert len(consistent(out)) == 125 and len(result.rendered) < 125  # what was committed is reused


def test_atomic_writes_give_files_the_usual_permissions(tmp_path: Path) -> None:
    """A temporary file is 0600; the file that replaces another keeps its mode, a new one gets 0666 less the umask
    (a ledger or manifest readable only by whoever ran the last build would lock colleagues out)."""
    new = tmp_path / "manifest.json"
    output.atomic_write(new, b"{}")
    assert new.stat().st_mode & 0o777 == 0o666 & ~output._UMASK
    kept = tmp_path / "progress-ledger.jsonl"
    kept.write_bytes(b"")
    kept.chmod(0o640)
    output.atomic_write(kept, b"line\n")
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_bytes() == b"line\n"
