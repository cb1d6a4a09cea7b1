"""Shared fixtures: small workbooks written by the tests, and the repository's own project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import REPO

__all__ = ["REPO"]


@pytest.fixture
def repo() -> Path:
    """The repository root, itself a working project with the 2009 Jiangmen data."""
    return REPO


@pytest.fixture(params=["weasyprint", "typst"])
def pdf_engine(request: pytest.FixtureRequest):
    """Run a test once per PDF engine (render/pdf.py, render/typst.py): tests.render_fixtures.render_pdf and the
    fixture PDFs follow it. A test marked `weasyprint_only` is about WeasyPrint itself (its stylesheet, its
    warnings, HarfBuzz) and is skipped under Typst, saying why."""
    from tests.render_fixtures import ENGINE

    marker = request.node.get_closest_marker("weasyprint_only")
    if marker is not None and request.param != "weasyprint":
        pytest.skip(f"WeasyPrint only: {marker.args[0] if marker.args else 'about WeasyPrint itself'}")
    ENGINE["name"] = request.param
    yield request.param
    ENGINE["name"] = "weasyprint"
