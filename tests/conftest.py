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
