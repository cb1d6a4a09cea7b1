"""Coverage-guided fuzzing (atheris) of the workbook reader: bytes → a file → load_model.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_reader.py --make-seeds              # (re)write fuzz/seeds/ from the corpus
    .venv/bin/python fuzz/fuzz_reader.py fuzz/work fuzz/seeds -max_total_time=600 -timeout=20 -rss_limit_mb=2048

An input is read in one of two ways. One that starts with PK (or anything else that is not the form below) is
written as it is and read as a workbook: that finds what the package checks miss. One that starts with
`PARTS\\n` is a list of parts, each `@@ name\\n` followed by its bytes, which the harness zips into a package
with correct checksums: mutations of the XML then reach openpyxl and the reader instead of stopping at a bad
CRC. Anything raised but SourceError (ValidationFailed included) is a crash, and so is a run past -timeout.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import atheris
from inputs import package, parts_of  # fuzz/inputs.py: what an input stands for (the tests use it too)

with atheris.instrument_imports(include=["pilot_docs", "openpyxl"]):
    from pilot_docs.errors import SourceError
    from pilot_docs.source.project import Project, load_model

FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-reader-"))
WORKBOOK = FOLDER / "source" / "任务分解表.xlsx"
WORKBOOK.parent.mkdir()


def test_one_input(data: bytes) -> None:
    """Read one input as the project's workbook; only our own errors may come out."""
    WORKBOOK.write_bytes(package(data))
    try:
        load_model(Project(root=FOLDER, workbook=WORKBOOK), 2009)
    except SourceError:
        pass


def make_seeds() -> None:
    """fuzz/seeds/: the corpus's accepted workbooks, raw and as PARTS inputs."""
    corpus = ROOT / "tests" / "corpus"
    seeds = Path(__file__).resolve().parent / "seeds"
    seeds.mkdir(exist_ok=True)
    names = ["project/source/任务分解表.xlsx", "workbooks/separators.xlsx", "workbooks/title-rows.xlsx",
             "workbooks/formula-cached.xlsx", "workbooks/excel-dates.xlsx", "workbooks/blank-rows.xlsx"]
    for n, name in enumerate(names):
        data = (corpus / name).read_bytes()
        (seeds / f"raw-{n}.xlsx").write_bytes(data)
        (seeds / f"parts-{n}.txt").write_bytes(parts_of(data))


if __name__ == "__main__":
    if sys.argv[1:] == ["--make-seeds"]:
        make_seeds()
    else:
        atheris.Setup(sys.argv, test_one_input)
        atheris.Fuzz()
