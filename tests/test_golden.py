"""Golden tests: the HTML of the 市安监局 letter and of the annex, as reviewed. Set PILOT_DOCS_UPDATE_GOLDEN=1
to rewrite the golden files after an intended change, then review the diff before committing it."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from pilot_docs.documents.annex import annex
from pilot_docs.documents.letter import letter
from pilot_docs.render.templating import environment, render_template
from pilot_docs.source.project import find_project, load_model
from tests.helpers import REPO

GOLDEN = Path(__file__).parent / "golden"


def rendered(kind: str) -> str:
    model, _ = load_model(find_project(REPO))
    doc = annex(model) if kind == "annex" else letter(model, model.agency("市安监局"))
    return render_template(environment(None), doc.template, doc.context)


@pytest.mark.parametrize("kind,name", [("annex", "annex.html"), ("letter", "letter-市安监局.html")])
def test_golden_html(kind: str, name: str) -> None:
    html = rendered(kind)
    path = GOLDEN / name
    if os.environ.get("PILOT_DOCS_UPDATE_GOLDEN"):
        path.write_text(html, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), html.splitlines(), "golden", "now", lineterm=""))
    assert html == expected, f"{name} changed:\n{diff}"
