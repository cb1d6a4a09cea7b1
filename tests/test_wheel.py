"""A real install: the wheel, installed by pip into a fresh virtual environment outside the repository, runs
`init` then `build` in an empty folder (the built-in templates and stylesheet are package data)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tests.helpers import REPO

FILL = """
import openpyxl
wb = openpyxl.load_workbook("source/任务分解表.xlsx")
ws = wb["任务分解"]
ws["A1"] = "2024年××县城乡环境整治重点工作任务分解表"
ws.append([1, "道路整治", "完成主干道路面修复", "县交通运输局", "县住建局", "2024年6月底前"])
wb.save("source/任务分解表.xlsx")
"""


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_a_wheel_installed_outside_the_repository_inits_and_builds(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    wheels = tmp_path / "wheels"
    tree = tmp_path / "tree"  # a copy: setuptools writes build/ into the tree it builds, our output folder
    shutil.copytree(REPO / "pilot_docs", tree / "pilot_docs", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tree / name)
    made = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(tree)], tmp_path, env)
    assert made.returncode == 0, made.stderr
    wheel = next(wheels.glob("pilot_docs-*.whl"))
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=True)
    pip = run([str(fresh / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
               str(wheel)], tmp_path, env)
    assert pip.returncode == 0, pip.stderr
    office = tmp_path / "office"
    office.mkdir()
    tool = str(fresh / "bin" / "pilot-docs")
    init = run([tool, "init"], office, env)
    assert init.returncode == 0, init.stderr
    empty = run([tool, "build"], office, env)
    assert empty.returncode == 0 and "nothing to build yet" in empty.stdout, empty.stderr
    assert run([str(fresh / "bin" / "python"), "-c", FILL], office, env).returncode == 0
    built = run([tool, "build", "--only", "annex", "--only", "letter"], office, env)
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr and "not found" not in built.stderr
    assert (office / "build" / "附件-任务责任分解表.pdf").stat().st_size > 10_000
    assert sorted(p.name for p in (office / "build" / "letters").iterdir()) == [
        "交办通知-县交通运输局.docx", "交办通知-县交通运输局.pdf", "交办通知-县住建局.docx", "交办通知-县住建局.pdf"]
    listed = run([tool, "templates"], office, env)
    assert "site-packages" not in listed.stdout and "letter.html.j2 (letter): built-in" in listed.stdout
