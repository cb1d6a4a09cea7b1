"""pilot-docs doctor: passes on a set-up machine, and names the fix for what is missing."""

from __future__ import annotations

from pilot_docs import doctor
from tests.helpers import run_cli


def test_doctor_passes_here() -> None:
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    assert "ok   HarfBuzz subsetting" in result.output
    assert "ok   CJK PDF: rendered with Noto-Serif-CJK-SC" in result.output


def test_missing_harfbuzz_subset_is_a_failure_with_its_fix(monkeypatch) -> None:
    monkeypatch.setattr(doctor, "harfbuzz_subset_available", lambda: False)
    result = run_cli("doctor")
    assert result.exit_code == 1
    assert "FAIL HarfBuzz subsetting" in result.output
    assert "fix: apt-get install -y libharfbuzz-subset0" in result.output


def test_missing_fonts_name_their_package(monkeypatch) -> None:
    monkeypatch.setattr(doctor, "installed_families", lambda: set())
    result = run_cli("doctor")
    assert result.exit_code == 1
    assert "FAIL font Noto Serif CJK SC: not installed" in result.output
    assert "fix: apt-get install -y fonts-noto-cjk" in result.output
