"""The command line: exit statuses, one line per problem, --json, --year, config errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import HEADER, REPO, registry_sheets, run_cli, write_workbook


def test_every_problem_on_its_own_line(tmp_path: Path) -> None:
    rows = [HEADER, [1, "任务", "内容", "市安检局", "10月"], [2, "任务二", "内容", "市公安居", "10月"]]
    path = write_workbook(tmp_path / "t.xlsx", {"任务分解": rows, **registry_sheets(["市安监局", "市公安局"])})
    result = run_cli("check", "--source", str(path), "--year", "2009")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith("t.xlsx!任务分解!D2: unknown unit '市安检局' (did you mean 市安监局?)")
    assert lines[1].endswith("t.xlsx!任务分解!D3: unknown unit '市公安居' (did you mean 市公安局?)")
    assert lines[2].startswith("2 error(s) in ")
    assert "Traceback" not in result.output


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "t.xlsx", {"S": [HEADER, [1, "任务", "内容", "市安监局", "尽快"]]})
    result = run_cli("check", "--source", str(path), "--year", "2009", "--json")
    assert result.exit_code == 0
    assert "warning: deadline '尽快' names no date" in result.stderr
    data = json.loads(result.stdout)
    assert data["tasks"][0]["items"][0]["deadline"] == {"text": "尽快", "date": None, "kind": "unknown"}
    assert data["agencies"] == [{"name": "市安监局", "full_name": "市安监局", "items": ["1.1"], "aliases": [],
                                 "groups": [], "email": None, "contact": None, "phone": None}]


def test_year_option_and_missing_source(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "t.xlsx", {"S": [HEADER, [1, "任务", "内容", "市安监局", "10月"]]})
    data = json.loads(run_cli("check", "--source", str(path), "--year", "2016", "--json").stdout)
    assert data["plan"]["year"] == 2016
    assert data["tasks"][0]["items"][0]["deadline"]["date"] == "2016-10-31"
    result = run_cli("check", "--source", str(tmp_path / "nope"))
    assert result.exit_code == 1 and "nope: no such file or folder" in result.stderr


def test_project_folder_with_several_workbooks(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx"):
        write_workbook(tmp_path / "source" / name, {"S": [HEADER]})
    result = run_cli("check", "--source", str(tmp_path))
    assert result.exit_code == 1
    assert "several workbooks (a.xlsx, b.xlsx): set [source] workbook in pilot-docs.toml" in result.stderr


def test_config_errors_name_file_and_line(tmp_path: Path) -> None:
    write_workbook(tmp_path / "source" / "t.xlsx", {"S": [HEADER, [1, "任务", "内容", "市安监局", "10月"]]})
    config = tmp_path / "pilot-docs.toml"
    config.write_text("[plan]\nyear = 2009\nissuer = \n", encoding="utf-8")
    result = run_cli("check", "--source", str(tmp_path))
    assert result.exit_code == 1 and "pilot-docs.toml:3: not valid TOML" in result.stderr
    config.write_text("[plan]\nyear = 2009\nyaer = 2010\n", encoding="utf-8")
    result = run_cli("check", "--source", str(tmp_path))
    assert "pilot-docs.toml:3: unknown key plan.yaer" in result.stderr
    config.write_text("[plan]\nyear = \"2009\"\n", encoding="utf-8")
    result = run_cli("check", "--source", str(tmp_path))
    assert "pilot-docs.toml:2: plan.year must be a whole number" in result.stderr
    config.write_text("[plan]\nyear = 2009\n[sourse]\n", encoding="utf-8")
    assert "pilot-docs.toml:3: unknown section [sourse]" in run_cli("check", "--source", str(tmp_path)).stderr


def test_internal_errors_hide_the_traceback_unless_verbose(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from pilot_docs import cli
    from pilot_docs.source import project

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(project, "load_model", boom)
    path = write_workbook(tmp_path / "t.xlsx", {"S": [HEADER]})
    result = CliRunner().invoke(cli.main, ["check", "--source", str(path)])
    assert result.exit_code == 1 and "internal error: RuntimeError: boom" in result.stderr
    result = CliRunner().invoke(cli.main, ["--verbose", "check", "--source", str(path)])
    assert isinstance(result.exception, RuntimeError)


def test_the_readme_and_build_help_name_every_kind() -> None:
    """The README's table of outputs and `build --help` are made from the kinds' registry."""
    from click.testing import CliRunner

    from pilot_docs import cli
    from pilot_docs.documents.kinds import KINDS, markdown_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "README's table is stale: python -m pilot_docs.documents.kinds"
    shown = CliRunner().invoke(cli.main, ["build", "--help"]).output
    assert len(KINDS) >= 8
    for k in KINDS:
        assert f"  {k.name}" in shown and k.paths()[0] in shown
        assert f"`{k.name}`" in readme
