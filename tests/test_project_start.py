"""A new office's project: `pilot-docs init`, a build with no config, no word of the example, the template
context documented, `pilot-docs templates`, and the config keys documented."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import jinja2.meta
import openpyxl
import pytest

from pilot_docs.build import build
from pilot_docs.build.jobs import project_fonts
from pilot_docs.documents.contexts import example_documents, templates_page
from pilot_docs.documents.kinds import KINDS
from pilot_docs.render.templating import BUILTIN_TEMPLATES, environment
from pilot_docs.source.config import every_key
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO, run_cli, write_workbook

SEED_WORDS = ("试点", "江门", "安全生产", "应急", "各市、区人民政府", "市直有关单位", "2009")


def fill_table(root: Path, rows: list[list]) -> None:
    path = root / "source" / "任务分解表.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["任务分解"]
    ws["A1"] = "2024年××县城乡环境整治重点工作任务分解表"
    for row in rows:
        ws.append(row)
    wb.save(path)


ROWS = [[1, "道路整治", "完成主干道路面修复", "县交通运输局", "县住建局", "2024年6月底前"],
        [None, None, "新建人行道5公里", "县住建局", None, "10月底前"],
        [2, "河道整治", "清理河道淤泥", "县水利局", "各乡镇人民政府", "年底前"]]


def test_init_scaffolds_a_project_that_builds(tmp_path: Path) -> None:
    root = tmp_path / "office"
    result = run_cli("init", str(root))
    assert result.exit_code == 0, result.output
    for name in ("source/任务分解表.xlsx", "pilot-docs.toml", "templates/README.md", ".gitignore"):
        assert (root / name).is_file(), name
    assert "build/" in (root / ".gitignore").read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(root / "source" / "任务分解表.xlsx")
    assert wb.sheetnames == ["任务分解", "单位名录", "单位分组"]
    assert [c.value for c in wb["任务分解"][2]] == ["序号", "工作任务", "工作内容", "牵头单位", "配合单位", "完成时间"]
    assert all(c.comment is not None for c in wb["任务分解"][2])  # each column explained
    assert str(wb["单位名录"]["A2"].value).startswith("示例：") and str(wb["单位分组"]["A2"].value).startswith("示例：")

    # the empty table: build says what to fill in, makes nothing, exits 0; check reports it
    result = run_cli("build", "--source", str(root))
    assert result.exit_code == 0 and "nothing to build yet" in result.output
    assert "no work items yet" in result.stderr and "任务分解!A3" in result.stderr
    assert not (root / "build").exists()
    assert run_cli("check", "--source", str(root)).exit_code == 1

    fill_table(root, ROWS)
    result = run_cli("check", "--source", str(root))
    assert result.exit_code == 0, result.output
    assert "2 tasks, 3 work items, 4 agencies" in result.output  # the example rows are not read
    result = run_cli("build", "--source", str(root), "--only", "letter", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert len(list((root / "build" / "letters").glob("*.pdf"))) == 4


def test_init_refuses_a_folder_that_is_not_empty_and_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 1 and "not empty" in result.stderr and "Traceback" not in result.output
    (tmp_path / "pilot-docs.toml").write_text("# my own\n", encoding="utf-8")
    result = run_cli("init", "--force", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / "pilot-docs.toml").read_text(encoding="utf-8") == "# my own\n"
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "source" / "任务分解表.xlsx").is_file()
    again = run_cli("init", "--force", str(tmp_path))
    assert again.exit_code == 0 and "nothing written" in again.output


def test_the_scaffold_is_deterministic_and_its_config_loads() -> None:
    from pilot_docs.source.config import load_config
    from pilot_docs.source.scaffold import workbook_bytes

    assert workbook_bytes() == workbook_bytes()
    path = BUILTIN_TEMPLATES.parent / "scaffold" / "pilot-docs.toml"
    assert load_config(path, "pilot-docs.toml") is not None


def test_every_config_key_is_documented_in_the_readme_and_the_scaffold() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    scaffold = (BUILTIN_TEMPLATES.parent / "scaffold" / "pilot-docs.toml").read_text(encoding="utf-8")
    for key in every_key():
        section, _, name = key.rpartition(".") if key.startswith("numbering.") else key.partition(".")
        name = name or section
        assert re.search(rf"^#? ?(\[\[plan\.)?{re.escape(name)}(\]\]| = )", scaffold, re.MULTILINE) or f"[{name}]" in scaffold, key
        assert f"`{key}`" in readme, f"README does not document {key}"


def another_office(tmp_path: Path) -> Path:
    rows = [["2024年××县城乡环境整治重点工作任务分解表"], ["序号", "工作任务", "工作内容", "责任单位", "完成时间"],
            [1, "道路整治", "完成主干道路面修复", "县交通运输局、县住建局", "2024年6月底前"],
            [2, "垃圾治理", "建成垃圾转运站2座", "县城管局", "2024年10月底前"],
            [3, "河道整治", "清理河道淤泥", "县水利局、各乡镇人民政府", "年底前"]]
    write_workbook(tmp_path / "source" / "任务分解表.xlsx", {"任务": rows})
    return tmp_path


def test_another_office_with_no_config_gets_no_word_of_the_example(tmp_path: Path) -> None:
    root = another_office(tmp_path)
    check = run_cli("check", "--source", str(root))
    assert check.exit_code == 0
    for key in ("[plan] issuer ", "[plan] issuer_mark", "[plan] doc_number", "[plan] date", "[report] doc_number"):
        assert key in check.stderr, key
    result = build(root, root / "build", only=("annex", "letter", "form", "progress"), formats=("pdf", "docx"),
                   as_of=__import__("datetime").date(2024, 7, 1))
    assert {w.message.split(" ")[1] for w in result.warnings} >= {"issuer", "issuer_mark", "doc_number", "date"}
    texts = []
    for path in sorted((root / "build").rglob("*")):
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            texts.append("".join(page.extract_text() for page in PdfReader(path).pages))
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                texts.append("".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))
    assert len(texts) == 1 + 5 * 2 + 5 + 1 + 1 + 1  # annex ×2, letters ×2, forms, the report ×2
    text = "\n".join(texts)
    for word in SEED_WORDS:
        assert word not in text, word
    letter = next(t for t in texts if "县城管局：" in t and "关于落实" in t)
    assert "××××××文件" in letter and "〔　〕号" in letter.replace(" ", "　") and "××××年××月××日" in letter
    assert "为做好2024年××县城乡环境整治重点工作，确保各项任务按时完成" in letter.replace("\n", "")
    report = next(t for t in texts if "进展情况的通报" in t and "%PDF" not in t)
    assert "县交通运输局、县住建局、县城管局、县水利局、各乡镇人民政府" in report.replace("\n", "")
    assert "2024-06-30" in text  # the forms' date example is of the plan's own year


def test_templates_md_is_what_the_templates_see() -> None:
    project = find_project(REPO)
    model, _ = load_model(project)
    documents = example_documents(project, model, project_fonts(project))
    page = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    assert page == templates_page(documents), "stale: python -m pilot_docs.documents.contexts > docs/templates.md"
    env = environment(None)
    for k in KINDS:
        if not k.rendered:
            continue
        assert f"## `{k.name}`" in page
        if k.name not in documents:
            continue
        source = (BUILTIN_TEMPLATES / k.template).read_text(encoding="utf-8")
        used = jinja2.meta.find_undeclared_variables(env.parse(source))
        assert used <= set(documents[k.name].context), (k.name, used - set(documents[k.name].context))
    letter = documents["letter"].context["agency"]
    assert {"full_name", "contact", "phone", "email", "aliases"} <= set(letter)


def test_templates_command_lists_shows_and_copies(tmp_path: Path) -> None:
    root = another_office(tmp_path)
    listed = run_cli("templates", "--source", str(root))
    assert listed.exit_code == 0 and "letter.html.j2 (letter): built-in" in listed.output
    copied = run_cli("templates", "--source", str(root), "--copy", "letter")
    assert copied.exit_code == 0 and (root / "templates" / "letter.html.j2").is_file()
    assert "letter.html.j2 (letter): overridden by" in run_cli("templates", "--source", str(root)).output
    again = run_cli("templates", "--source", str(root), "--copy", "letter")
    assert again.exit_code == 1 and "exists already" in again.stderr
    shown = run_cli("templates", "--source", str(root), "--show", "letter", "--agency", "县城管局")
    assert shown.exit_code == 0, shown.output
    context = json.loads(shown.stdout)
    assert context["agency"]["name"] == "县城管局" and context["count"] == 1
    # an override can use the registry's fields
    (root / "templates" / "letter.html.j2").write_text(
        (BUILTIN_TEMPLATES / "letter.html.j2").read_text(encoding="utf-8").replace(
            "</body>", "<p>联系人：{{ agency.contact or '无' }}</p>\n</body>"), encoding="utf-8")
    assert build(root, root / "build", only=("letter",), formats=("html",)).count("letter") == 5


@pytest.mark.parametrize("name", ["letter.html.j2", "static/gongwen.css", "mail.txt.j2"])
def test_built_in_templates_are_package_data(name: str) -> None:
    assert (BUILTIN_TEMPLATES / name).is_file()
    assert BUILTIN_TEMPLATES.parent.name == "pilot_docs"

