"""Templates: cell text is data, undefined names and syntax errors name the template and line, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilot_docs.documents.annex import annex
from pilot_docs.documents.kinds import Inputs, kind
from pilot_docs.errors import TemplateError
from pilot_docs.render.templating import environment, render_template
from pilot_docs.source.project import find_project, load_model
from tests.helpers import HEADER, REPO, write_workbook


def test_cell_text_is_data_not_code(tmp_path: Path) -> None:
    rows = [HEADER, [1, "{{ 7*7 }}", "<script>alert(1)</script>{% if 1 %}x{% endif %}", "市安监局", "10月"]]
    model, _ = load_model(find_project(write_workbook(tmp_path / "t.xlsx", {"S": rows})), 2009)
    env = environment(None)
    for doc in [d for k in ("annex", "letter") for d in kind(k).documents(Inputs(model, {}))]:
        html = render_template(env, doc.template, doc.context)
        assert "{{ 7*7 }}" in html and "49" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;{% if 1 %}x{% endif %}" in html
        assert "<script>" not in html


def test_sandbox_refuses_unsafe_attribute_access(tmp_path: Path) -> None:
    (tmp_path / "evil.html.j2").write_text("{{ x.__class__.__mro__ }}\n", encoding="utf-8")
    env = environment(tmp_path)
    with pytest.raises(TemplateError, match="evil.html.j2:1"):
        render_template(env, "evil.html.j2", {"x": ""})


def test_undefined_name_fails_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "letter.html.j2").write_text("<p>ok</p>\n<p>{{ plan.nonexistent }}</p>\n", encoding="utf-8")
    env = environment(tmp_path)
    with pytest.raises(TemplateError) as exc:
        render_template(env, "letter.html.j2", {"plan": {}})
    assert "letter.html.j2:2: UndefinedError" in exc.value.format_message()


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "annex.html.j2").write_text("<p>\n{% for x in %}\n</p>\n", encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        render_template(environment(tmp_path), "annex.html.j2", {})
    assert "annex.html.j2:2: template syntax error" in exc.value.format_message()


def test_project_templates_override_builtin(tmp_path: Path) -> None:
    (tmp_path / "annex.html.j2").write_text("<p>{{ plan.title }} — ours</p>\n", encoding="utf-8")
    model, _ = load_model(find_project(REPO))
    doc = annex(model)
    assert render_template(environment(tmp_path), doc.template, doc.context).endswith("— ours</p>\n")
    assert "— ours" not in render_template(environment(None), doc.template, doc.context)
