"""The corpus of bad and awkward inputs (tests/corpus/): each is accepted with the right output, or refused in
one line naming file, sheet and cell (a template: file and line), exit status 1, no traceback, with build/, the
ledger and the archived returns byte for byte as they were. Bombs are refused within 2 s and 200 MB."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pilot_docs.errors import SourceError
from pilot_docs.returns.ledger import read_ledger
from pilot_docs.source.project import find_project, load_model
from pilot_docs.source.xlsx import Limits, check_package
from tests.corpus import make_corpus
from tests.corpus.make_corpus import BIG, CASES, Case

CORPUS = Path(__file__).resolve().parent / "corpus"
WORKBOOK = "source/任务分解表.xlsx"
LEDGER = "source/progress-ledger.jsonl"
EPOCH = "1246406400"  # 2009-07-01: SOURCE_DATE_EPOCH fixes collected_at
LONE = {"workbooks/no-year.xlsx"}  # read without the project's config, which names the year


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in a fresh interpreter, as a user runs it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "pilot_docs.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def snapshot(root: Path) -> dict[str, str]:
    """The sha256 of every file of build/, the ledger and the archived returns."""
    files = [*root.joinpath("build").rglob("*"), root / LEDGER, *root.joinpath("source", "returns").rglob("*")]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus project built (letters and forms, DOCX) with one return already collected."""
    root = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(CORPUS / "project", root)
    done = cli(root, "build", "--source", ".", "--only", "letter", "--only", "form", "--format", "docx", "--quiet")
    assert done.returncode == 0, done.stderr
    first = root / "incoming" / "earlier.xlsx"
    first.parent.mkdir()
    first.write_bytes(make_corpus.form({"1.2": ("推进中", None, "已起草", "", "李四")}))
    done = cli(root, "collect", "--source", ".", "incoming/earlier.xlsx")
    assert done.returncode == 0, done.stderr
    assert len(snapshot(root)) > 10 and (root / LEDGER).stat().st_size > 0
    return root


def place(case: Case, root: Path) -> tuple[str, ...]:
    """Put a case's file where it belongs in a copy of the project; the command that reads it."""
    data = (CORPUS / case.file).read_bytes()
    name = Path(case.file).name
    if case.kind == "workbook":
        (root / WORKBOOK).write_bytes(data)
        return ("build", "--source", ".", "--only", "letter", "--format", "docx", "--quiet")
    if case.kind == "form":
        (root / "incoming" / name).write_bytes(data)
        return ("collect", "--source", ".", f"incoming/{name}")
    if case.kind == "template":
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / "letter.html.j2").write_bytes(data)
        return ("build", "--source", ".", "--only", "letter", "--format", "docx", "--quiet")
    if case.kind == "config":
        (root / "pilot-docs.toml").write_bytes(data)
        return ("build", "--source", ".", "--only", "letter", "--format", "docx", "--quiet")
    assert case.kind == "ledger"
    (root / LEDGER).write_bytes(data)
    (root / "incoming" / "good.xlsx").write_bytes((CORPUS / "forms" / "good.xlsx").read_bytes())
    return ("collect", "--source", ".", "incoming/good.xlsx")


REFUSED = [c for c in CASES if not c.expected.startswith("accepted")]
ACCEPTED = [c for c in CASES if c.expected.startswith("accepted")]


def test_the_corpus_is_large_and_current() -> None:
    assert len(CASES) >= 30 and len({c.file for c in CASES}) == len(CASES)
    stored = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in CORPUS.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"}
    made = make_corpus.generate()
    stale = sorted(name for name in made if stored.get(name) != made[name])
    assert not stale, f"run `python tests/corpus/make_corpus.py`: stale or missing {stale}"
    assert not set(stored) - set(made), "files in tests/corpus/ that make_corpus.py does not make"


@pytest.mark.parametrize("case", REFUSED, ids=[c.file for c in REFUSED])
def test_refused(case: Case, built: Path, tmp_path: Path) -> None:
    if case.file in LONE:  # a workbook read on its own, with no config beside it
        root = tmp_path / "lone"
        (root / "source").mkdir(parents=True)
        shutil.copy(CORPUS / case.file, root / WORKBOOK)
        args: tuple[str, ...] = ("check", "--source", ".")
    else:
        root = tmp_path / "project"
        shutil.copytree(built, root)
        args = place(case, root)
    before = snapshot(root) if case.file not in LONE else {}
    done = cli(root, *args)
    expected = case.expected.format(wb=WORKBOOK, form=f"incoming/{Path(case.file).name}")
    lines = done.stderr.splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert lines and lines[0].startswith(expected), f"\n{lines[0] if lines else ''!r}\n{expected!r}"
    for line in lines:  # one line per problem, each naming where; then the count
        assert line.startswith(("source/", "incoming/", "templates/", "pilot-docs.toml", "template ")) or (
            " error(s) in " in line), line
    if case.file not in LONE:
        assert snapshot(root) == before, "a refused input changed build/, the ledger or the archived returns"


def _model(root: Path, case: Case, *args: str) -> dict:
    path = root / Path(case.file).name
    shutil.copy(CORPUS / case.file, path)
    done = cli(root, "check", "--json", "--source", path.name, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


def _items(model: dict) -> list[dict]:
    return [item for task in model["tasks"] for item in task["items"]]


def check_formula_cached(root: Path, case: Case) -> None:
    model = _model(root, case, "--year", "2009")
    assert model["tasks"][0]["no"] == 1 and _items(model)[0]["content"] == "成立安全生产工作领导小组"


def check_excel_dates(root: Path, case: Case) -> None:
    items = _items(_model(root, case))
    assert items[0]["deadline"] == {"text": "2009年6月30日", "date": "2009-06-30", "kind": "by"}
    assert items[4]["deadline"] == {"text": "2009/9/30", "date": "2009-09-30", "kind": "by"}


def check_title_rows(root: Path, case: Case) -> None:
    model = _model(root, case)
    assert model["plan"]["title"] == "2016年民生实事任务分解表" and model["plan"]["year"] == 2016
    assert [t["no"] for t in model["tasks"]] == [1, 2, 3] and len(_items(model)) == 5
    assert _items(model)[2]["deadline"]["date"] == "2016-10-31"


def check_second_sheet(root: Path, case: Case) -> None:
    model = _model(root, case, "--year", "2009")
    assert [i["cell"].split("!")[1] for i in _items(model)] == ["表二"] * 5


def check_blank_rows(root: Path, case: Case) -> None:
    items = _items(_model(root, case))
    assert [i["id"] for i in items] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert items[-1]["content"] == "开展联合执法检查"


def check_separators(root: Path, case: Case) -> None:
    items = _items(_model(root, case))
    assert items[0]["units"] == ["市安监局", "市公安局", "市财政局"]
    assert items[1]["units"] == ["市安监局", "市公安局", "市财政局", "各市、区人民政府"]
    assert items[2]["units"] == ["市司法局（普法办、法制办）", "市公安局"] and items[2]["lead"] == ["市公安局"]


def check_fullwidth_numbers(root: Path, case: Case) -> None:
    assert [t["no"] for t in _model(root, case)["tasks"]] == [1, 2, 3, 4]


def check_line_separators(root: Path, case: Case) -> None:
    assert _items(_model(root, case, "--year", "2009"))[0]["content"] == "成立领导小组\n明确职责分工"


def check_template_syntax(root: Path, case: Case) -> None:
    from docx import Document

    model = _model(root, case, "--year", "2009")
    assert _items(model)[0]["content"] == "{{ 7*7 }}{% for x in range(9) %}x{% endfor %}"
    project = _swap_into_project(root, case)
    done = cli(project, "build", "--source", ".", "--only", "annex", "--format", "docx", "--quiet")
    assert done.returncode == 0, done.stderr
    docx = next((project / "build").glob("*.docx"))
    text = "\n".join(cell.text for table in Document(str(docx)).tables for row in table.rows for cell in row.cells)
    assert "{{ 7*7 }}" in text and "<script>alert(1)</script><b>粗体</b> &amp; 5 < 6" in text
    assert "{{ plan.title }}" in text and "49" not in text


def check_agency_paths(root: Path, case: Case) -> None:
    model = _model(root, case)
    names = [a["name"] for a in model["agencies"]]
    assert names[:5] == ["../../etc/passwd", "C:\\Windows\\win.ini", "CON", "/tmp/evil", "."]
    project = _swap_into_project(root, case)
    (project / "pilot-docs.toml").write_text("[plan]\nyear = 2009\n", encoding="utf-8")  # no registry here
    before = set(root.parent.rglob("*"))
    done = cli(project, "build", "--source", ".", "--only", "letter", "--only", "form", "--format", "docx",
               "--quiet")
    assert done.returncode == 0, done.stderr
    build = project / "build"
    assert all(p == build or build in p.parents for p in set(root.parent.rglob("*")) - before)
    made = sorted(p.name for p in (project / "build").rglob("*") if p.suffix in (".docx", ".xlsx"))
    assert len(made) == 12 and all(len(n) < 120 and "/" not in n and "\\" not in n for n in made), made


def check_good_form(root: Path, case: Case, rows: int = 1) -> None:
    before = (root / LEDGER).read_bytes()
    done = cli(root, *place(case, root))
    assert done.returncode == 0, done.stderr
    assert f"collected {rows} row(s) from 1 file(s)" in done.stdout
    after = (root / LEDGER).read_bytes()
    assert after.startswith(before) and len(read_ledger(root / LEDGER)) == 1 + rows  # appended, readable


def _swap_into_project(root: Path, case: Case) -> Path:
    project = root / "as-project"
    (project / "source").mkdir(parents=True)
    shutil.copy(CORPUS / case.file, project / WORKBOOK)
    shutil.copy(CORPUS / "project" / "pilot-docs.toml", project)
    return project


CHECKS: dict[str, Callable[[Path, Case], None]] = {
    "workbooks/formula-cached.xlsx": check_formula_cached,
    "workbooks/excel-dates.xlsx": check_excel_dates,
    "workbooks/title-rows.xlsx": check_title_rows,
    "workbooks/table-on-second-sheet.xlsx": check_second_sheet,
    "workbooks/blank-rows.xlsx": check_blank_rows,
    "workbooks/separators.xlsx": check_separators,
    "workbooks/fullwidth-numbers.xlsx": check_fullwidth_numbers,
    "workbooks/line-separators.xlsx": check_line_separators,
    "workbooks/template-syntax-in-cells.xlsx": check_template_syntax,
    "workbooks/agency-paths.xlsx": check_agency_paths,
    "forms/good.xlsx": check_good_form,
    "forms/far-cell.xlsx": check_good_form,
    "forms/line-separator.xlsx": check_good_form,
}


@pytest.mark.parametrize("case", ACCEPTED, ids=[c.file for c in ACCEPTED])
def test_accepted(case: Case, built: Path, tmp_path: Path) -> None:
    assert set(CHECKS) == {c.file for c in ACCEPTED}
    if case.kind == "form":
        root = tmp_path / "project"
        shutil.copytree(built, root)
    else:
        root = tmp_path
    CHECKS[case.file](root, case)


# ---------------------------------------------------------------- big inputs, bombs and limits

MEASURE = """
import json, sys, time, tracemalloc
from pathlib import Path
from pilot_docs.errors import PilotDocsError
from pilot_docs.source.project import find_project, load_model

out = {}
for name in sys.argv[1:]:
    start = time.perf_counter()
    try:
        load_model(find_project(Path(name)), 2009)
        message = None
    except PilotDocsError as exc:
        message = exc.format_message()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        load_model(find_project(Path(name)), 2009)
    except PilotDocsError:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out[name] = {"message": message, "seconds": seconds, "peak": peak}
# VmHWM: the peak of this process's own memory (ru_maxrss would carry over the size of the pytest that forked it)
status = Path("/proc/self/status").read_text().splitlines()
out["maxrss"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) * 1024
print(json.dumps(out, ensure_ascii=False))
"""

BOMBS = ["workbooks/entity-bomb.xlsx", "workbooks/entity-bomb-late.xlsx", "workbooks/merge-bomb.xlsx",
         "workbooks/hyperlink-bomb.xlsx", "workbooks/far-cell.xlsx", "workbooks/utf7-part.xlsx"]


def test_bombs_are_refused_within_2_s_and_200_mb(tmp_path: Path) -> None:
    """A safety limit, not a speed target: each bomb is refused in under 2 s, the process stays under 200 MB."""
    folder = tmp_path / "source"
    folder.mkdir()
    paths = {}
    for what, make, expected in BIG:
        if not expected.startswith("accepted"):
            paths[what] = make(folder / f"{len(paths)}.xlsx")
    for name in BOMBS:
        paths[name] = shutil.copy(CORPUS / name, folder / f"{len(paths)}.xlsx")
    done = subprocess.run([sys.executable, "-c", MEASURE, *map(str, paths.values())], cwd=folder, capture_output=True,
                          text=True, timeout=300, check=True)
    results = json.loads(done.stdout)
    assert results["maxrss"] < 200 * 2**20, f"peak RSS {results['maxrss'] / 2**20:.0f} MB"
    expected = {what: exp for what, _, exp in BIG} | {c.file: c.expected for c in CASES}
    for what, path in paths.items():
        got = results[str(path)]
        want = expected[what].split("{wb}", 1)[-1]
        assert got["message"] is not None and want.split(" (compressed")[0] in got["message"], (what, got)
        assert got["seconds"] < 2, (what, got["seconds"])
        assert got["peak"] < 200 * 2**20, (what, got["peak"])


def test_5000_items_are_accepted(tmp_path: Path) -> None:
    path = make_corpus.big_items(tmp_path / "items.xlsx")
    done = cli(tmp_path, "check", "--json", "--source", path.name, "--year", "2009")
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)
    assert len(model["tasks"]) == 1000 and len(_items(model)) == 5000
    assert _items(model)[-1]["id"] == "1000.5"
    assert [a["name"] for a in model["agencies"]] == ["市安监局", "市公安局", "市财政局", "各区人民政府"]


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    """A named pipe would block forever: it is refused without being opened."""
    (tmp_path / "source").mkdir()
    fifo = tmp_path / "source" / "pipe.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="pipe.xlsx: not a regular file"):
        find_project(fifo)
    with pytest.raises(SourceError, match="pipe.xlsx: not a regular file"):
        load_model(find_project(tmp_path))


def test_a_real_encrypted_workbook_and_a_real_xls(tmp_path: Path) -> None:
    """The handmade OLE2 files of the corpus are recognised as the real tools write them."""
    msoffcrypto = pytest.importorskip("msoffcrypto")
    xlwt = pytest.importorskip("xlwt")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    plain.write_bytes((CORPUS / "project" / WORKBOOK).read_bytes())
    encrypted = tmp_path / "encrypted.xlsx"
    with plain.open("rb") as src, encrypted.open("wb") as dst:
        OOXMLFile(src).encrypt("secret", dst)
    assert msoffcrypto.OfficeFile(encrypted.open("rb")).is_encrypted()
    with pytest.raises(SourceError, match="it is a password-protected workbook; remove the password"):
        check_package(encrypted, "encrypted.xlsx")
    book = xlwt.Workbook()
    book.add_sheet("任务分解").write(0, 0, "序号")
    book.save(str(tmp_path / "old.xls"))
    with pytest.raises(SourceError, match="it is an old Excel 97-2003 .xls workbook"):
        check_package(tmp_path / "old.xls", "old.xls")


@pytest.mark.parametrize("limits,message", [
    (Limits(file_bytes=1000), "file is 0 MB, more than the limit of 0 MB"),
    (Limits(parts=5), "the package holds 11 files, more than the limit of 5"),
    (Limits(markup=100), "the workbook's XML has more than 100 elements"),
    (Limits(elements=50), ": part xl/styles.xml has 94 XML elements besides its cells, more than the limit of 50"),
    (Limits(cells=20), "!任务分解: the sheet takes the workbook past the limit of 20 cells"),
    (Limits(rows=4), "!任务分解: the sheet has more than 4 rows (the limit)"),
    (Limits(columns=4), "!任务分解!E2: the sheet has a value in column E (5), past the limit of 4 columns"),
    (Limits(cell_chars=10), "!任务分解!A1: the cell holds 16 characters, more than the limit of 10"),
    (Limits(items=4), "!任务分解!C7: the table has 5 work items, more than the limit of 4"),
])
def test_each_limit_has_a_clear_message(tmp_path: Path, limits: Limits, message: str) -> None:
    path = shutil.copy(CORPUS / "project" / WORKBOOK, tmp_path / "t.xlsx")
    with pytest.raises(SourceError) as exc:
        load_model(find_project(path), 2009, limits)
    assert message in exc.value.format_message() and "\n" not in exc.value.format_message()


def test_a_big_cell_names_its_cell(tmp_path: Path) -> None:
    path = make_corpus.big_cell(tmp_path / "t.xlsx")
    with pytest.raises(SourceError) as exc:
        load_model(find_project(path))
    assert exc.value.format_message().endswith(
        "t.xlsx!任务分解!C3: the cell holds 100,000 characters, more than the limit of 32,767 (Excel's own)")


@pytest.mark.parametrize("crash", sorted((CORPUS.parent.parent / "fuzz" / "crashes").glob("*")),
                         ids=lambda p: p.name)
def test_what_the_fuzzer_found_stays_fixed(tmp_path: Path, crash: Path) -> None:
    """Each input that once crashed the reader (fuzz/crashes/) is now refused with our own one-line error."""
    sys.path.insert(0, str(crash.parent.parent))
    from inputs import package  # the harness turns a structured input into its workbook (no atheris needed)

    path = tmp_path / "source" / "任务分解表.xlsx"
    path.parent.mkdir()
    path.write_bytes(package(crash.read_bytes()))
    try:
        load_model(find_project(tmp_path), 2009)
    except SourceError as exc:
        assert str(exc).startswith(str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd())
                                   else str(path))
