"""pilot-docs doctor: passes on a set-up machine, and names the fix for what is missing."""

from __future__ import annotations

from pilot_docs import doctor
from tests.helpers import run_cli


def test_doctor_passes_here() -> None:
    result = run_cli("doctor")
    assert result.exit_code == 0, result.output
    assert "ok   HarfBuzz subsetting" in result.output
    assert "ok   CJK PDF: rendered with Noto-Serif-CJK-SC" in result.output
    assert "ok   CJK PDF (Typst): rendered with NotoSerifCJKsc-Regular" in result.output  # the default engine


def test_typst_failing_to_lay_out_a_cjk_page_is_a_failure_with_its_fix(monkeypatch) -> None:
    from pilot_docs.errors import FontError
    from pilot_docs.render import typst

    def broken(*args, **kwargs):
        raise FontError("doctor: Typst: no font could be found")

    monkeypatch.setattr(typst, "render_typst", broken)
    result = run_cli("doctor")
    assert result.exit_code == 1
    assert "FAIL CJK PDF (Typst): doctor: Typst: no font could be found" in result.output
    assert "fix: apt-get install -y fonts-noto-cjk; pip install typst" in result.output


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


def test_font_working_copies_are_made_by_the_doctor_or_it_says_where_to_keep_them(monkeypatch, tmp_path) -> None:
    from pilot_docs.render.font_copies import working_copy

    monkeypatch.setenv("PILOT_DOCS_CACHE", str(tmp_path / "cache"))
    working_copy.cache_clear()
    try:
        check = doctor.check_font_copies()
        assert check.ok and str(tmp_path / "cache" / "fonts") in check.detail, check
        assert len(list((tmp_path / "cache" / "fonts").glob("*.font"))) >= 4
        (tmp_path / "blocked").write_text("")
        monkeypatch.setenv("PILOT_DOCS_CACHE", str(tmp_path / "blocked"))
        working_copy.cache_clear()
        check = doctor.check_font_copies()
        assert not check.ok and "PILOT_DOCS_CACHE" in check.fix and "blocked" in check.detail, check
    finally:
        working_copy.cache_clear()


def test_the_title_words_table_is_made_by_the_doctor_or_it_says_where_to_keep_it(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PILOT_DOCS_CACHE", str(tmp_path / "cache"))
    check = doctor.check_word_table()
    assert check.ok and str(tmp_path / "cache") in check.detail, check
    assert len(list((tmp_path / "cache").glob("jieba-*.sqlite"))) == 1
    (tmp_path / "blocked").write_text("")
    monkeypatch.setenv("PILOT_DOCS_CACHE", str(tmp_path / "blocked"))
    check = doctor.check_word_table()
    assert not check.ok and "PILOT_DOCS_CACHE" in check.fix, check
