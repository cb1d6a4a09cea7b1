"""The Typst PDF engine (render/typst.py): text is data, never markup; the seed's documents have WeasyPrint's
pages; the engine is chosen in pilot-docs.toml or on the command line, and switching it rebuilds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilot_docs.build.pipeline import build
from pilot_docs.errors import SourceError
from pilot_docs.render import docx_repeated_headers, docx_text, normalize, pdf_text, render_docx
from pilot_docs.render.text import pdf_pages
from pilot_docs.render.typst import render_typst, string, typeset, typst_source
from pilot_docs.source.config import load_config
from tests.helpers import REPO, run_cli
from tests.render_fixtures import FIXTURES, chart_png, data_uri, default_fonts, pdf_outline

# Typst's markup characters, an HTML-escaped <, a Jinja-looking pair of braces, and a backslash at the end
HOSTILE = r'#set $x$ @ref <lab> ] [ \ * _ ` = - + / ~ {{ x }} "q" #import "a" \u{41} //c'
HTML_HOSTILE = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _every_field(text: str) -> str:
    t = text
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{t}</title></head>
<body class="letter">
<header class="masthead">甲{t}</header>
<p class="doc-number">号{t}</p>
<hr class="red-rule">
<h1 class="title">题{t}</h1>
<p class="recipient">主送{t}：</p>
<p>正文{t}<strong>粗{t}</strong><em>斜{t}</em><br>行{t}</p>
<h2>一、{t}</h2><h3>（一）{t}</h3><h4>1. {t}</h4>
<table><caption>表{t}</caption><colgroup><col style="width: 30%"><col></colgroup>
<thead><tr><th>头{t}</th><th>二{t}</th></tr></thead>
<tbody><tr><td rowspan="2">并{t}</td><td><p class="center">甲{t}</p></td></tr><tr><td>乙{t}</td></tr></tbody></table>
<figure class="chart"><img src="{data_uri(chart_png())}" alt="图{t}"><figcaption>图1　{t}</figcaption></figure>
<p class="attachment-note">附件：{t}</p>
<div class="signature"><p class="issuer">机关{t}</p><p class="date">日期{t}</p></div>
<section class="attachment landscape"><p class="attachment-label">附件</p><h1 class="title">附表{t}</h1>
<table class="small"><tr><td>格{t}</td></tr></table></section>
<footer class="colophon"><p class="cc">抄送：{t}。</p>
<p class="printed"><span class="printer">印发{t}</span><span class="print-date">{t}印发</span></p></footer>
</body></html>"""


def test_typst_markup_in_every_field_prints_as_text() -> None:
    html = _every_field(HTML_HOSTILE)
    pdf = render_typst(html, fonts=default_fonts(), source_name="t.html")
    docx = render_docx(html, source_name="t.html", fonts=default_fonts())
    words = normalize(pdf_text(pdf, docx_repeated_headers(docx)))
    assert words == normalize(docx_text(docx))
    assert words.count(normalize(HOSTILE)) == 26  # every field but the <title> and the alt text, printed as is
    titles = [t for t, _, _ in pdf_outline(pdf)]
    assert titles[0] == "题" + HOSTILE and "（一）" + HOSTILE in titles  # bookmarks too


def test_typst_markup_in_a_toc_prints_as_text() -> None:
    html = (f'<html lang="zh-CN"><head><title>t</title></head><body class="report"><table class="toc"><caption>目录'
            f'</caption><tr><td>一、{HTML_HOSTILE}</td><td>2</td></tr><tr><td class="toc-sub">{HTML_HOSTILE}</td>'
            f'<td></td></tr></table><section class="part"><h1>{HTML_HOSTILE}</h1></section></body></html>')
    pdf = render_typst(html, fonts=default_fonts(), source_name="t.html")
    assert normalize(pdf_text(pdf)).count(normalize(HOSTILE)) == 3


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_a_string_literal_holds_any_text_exactly(text: str) -> None:
    import typst

    assert json.loads(typst.Compiler().eval(string(text), format="json")) == text


def test_text_is_written_as_string_literals_only() -> None:
    source = typst_source(_every_field(HTML_HOSTILE), default_fonts(), "t.html")
    body = source.split("#let pd-leader", 1)[1]
    # the hostile text never appears outside a string literal: each occurrence is escaped as one
    assert HOSTILE not in body.replace(string(typeset(HOSTILE))[1:-1], "")


def test_invisible_marks_keep_brackets_full_width_and_add_no_break() -> None:
    assert typeset("局（推进中）、市") == "局\u200b\u2060（推进中）、市"  # no break before 、
    assert typeset("》印发") == "》\u200b印发"
    assert typeset("2009（") == "2009（"  # no break between a number and a bracket
    assert normalize("局\u200b\u2060（") == "局（"


def test_bad_typst_is_a_template_error_naming_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from pilot_docs.errors import TemplateError
    from pilot_docs.render import typst as engine

    monkeypatch.setattr(engine, "preamble", lambda *a: "#let broken = (")
    with pytest.raises(TemplateError, match="t.html: Typst"):
        render_typst(_every_field("x"), fonts=default_fonts(), source_name="t.html")


def test_same_html_same_bytes_with_typst() -> None:
    html = (FIXTURES / "letter.html").read_text(encoding="utf-8")
    assert render_typst(html, fonts=default_fonts(), source_name="t") == render_typst(
        html, fonts=default_fonts(), source_name="t")


# -- the seed's documents: the same pages with either engine ------------------------------------------------------

@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("engines")
    kinds = ("annex", "letter", "progress", "reminder", "summary", "volume")
    weasy = build(REPO, root / "weasyprint", only=kinds, formats=("pdf", "docx"), pdf_engine="weasyprint")
    typst = build(REPO, root / "typst", only=kinds, formats=("pdf", "docx"), pdf_engine="typst")
    assert weasy.rendered and typst.rendered
    return root / "weasyprint", root / "typst"


def test_every_seed_pdf_has_the_same_pages_with_either_engine(both_builds: tuple[Path, Path]) -> None:
    weasy, typst = both_builds
    files = sorted(p.relative_to(weasy).as_posix() for p in weasy.rglob("*.pdf"))
    assert len(files) >= 45 and files == sorted(p.relative_to(typst).as_posix() for p in typst.rglob("*.pdf"))
    differ = []
    for name in files:
        a, b = (weasy / name).read_bytes(), (typst / name).read_bytes()
        pages_a, pages_b = pdf_pages(a), pdf_pages(b)
        assert len(pages_a) == len(pages_b), name  # the same page count, always
        numbered = [[f"—{n}—" in normalize(p) for n, p in enumerate(pages, 1)] for pages in (pages_a, pages_b)]
        assert numbered[0] == numbered[1], name  # the same pages carry a number (not a 版记's page of its own)
        first = [normalize(p)[:12] for p in pages_a] == [normalize(p)[:12] for p in pages_b]
        if not (first and normalize(pdf_text(a)) == normalize(pdf_text(b))):
            differ.append(name)
    assert differ == []


def test_the_docx_files_are_the_same_bytes_with_either_engine(both_builds: tuple[Path, Path]) -> None:
    # a DOCX follows its PDF's layout for the 版记's page, and the volume's DOCX 目录 shows its PDF's page numbers
    # until Word updates the field: the same with either engine
    weasy, typst = both_builds
    files = sorted(p.relative_to(weasy) for p in weasy.rglob("*.docx"))
    assert len(files) >= 44
    assert [str(f) for f in files if (weasy / f).read_bytes() != (typst / f).read_bytes()] == []


def test_the_annex_and_a_letter_have_the_same_outline(both_builds: tuple[Path, Path]) -> None:
    weasy, typst = both_builds
    for name in ("附件-任务责任分解表.pdf", "letters/交办通知-市安监局.pdf", "summary/年度总结汇编-2009.pdf"):
        assert pdf_outline((weasy / name).read_bytes()), name
        assert pdf_outline((weasy / name).read_bytes()) == pdf_outline((typst / name).read_bytes()), name


# -- choosing the engine --------------------------------------------------------------------------------------------

def test_the_engine_is_checked_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "pilot-docs.toml"
    path.write_text('[render]\npdf_engine = "typst"\n', encoding="utf-8")
    assert load_config(path, "pilot-docs.toml")["render"]["pdf_engine"] == "typst"
    path.write_text('[render]\npdf_engine = "prince"\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"^pilot-docs.toml:2: render.pdf_engine must be one of weasyprint, typst, "
                                          r"not 'prince'$"):
        load_config(path, "pilot-docs.toml")


ANNEX = "附件-任务责任分解表.pdf"


def test_typst_is_the_default_switching_engines_rebuilds_the_pdfs_and_the_option_overrides_the_config(
        tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(REPO / "source", project / "source")
    shutil.copy(REPO / "pilot-docs.toml", project / "pilot-docs.toml")
    assert "pdf_engine" not in (project / "pilot-docs.toml").read_text(encoding="utf-8")
    out = project / "build"
    first = build(project, out, only=("annex",), formats=("pdf",))
    assert first.rendered == [ANNEX]
    typst_pdf = (out / ANNEX).read_bytes()
    assert b"Typst" in typst_pdf  # the default engine (its /Producer)
    assert build(project, out, only=("annex",), formats=("pdf",)).rendered == []  # unchanged: reused
    again = run_cli("build", "--source", str(project), "--only", "annex", "--format", "pdf", "--pdf-engine",
                    "weasyprint", "--quiet")
    assert again.exit_code == 0, again.output
    weasy_pdf = (out / ANNEX).read_bytes()
    assert weasy_pdf != typst_pdf and b"Typst" not in weasy_pdf  # rebuilt by the other engine
    assert normalize(pdf_text(weasy_pdf)) == normalize(pdf_text(typst_pdf))
    with (project / "pilot-docs.toml").open("a", encoding="utf-8") as config:
        config.write('\n[render]\npdf_engine = "weasyprint"\n')
    assert build(project, out, only=("annex",), formats=("pdf",)).rendered == []  # the config's engine: reused
    assert build(project, out, only=("annex",), formats=("pdf",), pdf_engine="typst").rendered == [ANNEX]
    assert (out / ANNEX).read_bytes() == typst_pdf  # the option overrides the config


def test_a_project_stylesheet_under_typst_is_a_warning(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(REPO / "source", project / "source")
    shutil.copy(REPO / "pilot-docs.toml", project / "pilot-docs.toml")
    (project / "templates" / "static").mkdir(parents=True)
    (project / "templates" / "static" / "gongwen.css").write_text("p { color: black; }\n", encoding="utf-8")
    said = [str(w) for w in build(project, tmp_path / "out", only=("annex",), formats=("html",)).warnings]
    assert any("templates/static/gongwen.css: warning: the Typst PDF engine does not read a project's own "
               "stylesheet" in w and 'pdf_engine = "weasyprint"' in w for w in said), said
    said = [str(w) for w in build(project, tmp_path / "out", only=("annex",), formats=("html",),
                                  pdf_engine="weasyprint").warnings]
    assert not any("gongwen.css" in w for w in said)


# -- one compiler per process (render_typst's working folder) -----------------------------------------------------

def test_documents_rendered_one_after_another_are_each_what_they_are_alone() -> None:
    """One Typst compiler serves every layout of a process, main.typ and the pictures rewritten: a document made
    after others (a picture, a broken one) has the bytes it has first, and only main.typ stays between documents."""
    from pilot_docs.errors import TemplateError
    from pilot_docs.render import typst as engine

    letter = (FIXTURES / "letter.html").read_text(encoding="utf-8")
    first = render_typst(letter, fonts=default_fonts(), source_name="a")
    with_picture = render_typst(_every_field("x"), fonts=default_fonts(), source_name="b")
    with pytest.MonkeyPatch.context() as mp, pytest.raises(TemplateError, match="c: Typst"):
        mp.setattr(engine, "preamble", lambda *a: "#let broken = (")  # Typst fails on this one
        render_typst(letter, fonts=default_fonts(), source_name="c")
    assert render_typst(letter, fonts=default_fonts(), source_name="a") == first
    assert render_typst(_every_field("x"), fonts=default_fonts(), source_name="b") == with_picture != first
    folder, _ = engine._WORK[__import__("os").getpid()]
    assert [p.name for p in folder.iterdir()] == ["main.typ"]
    shutil.rmtree(folder)  # removed under the process (a /tmp cleaner): the next document makes another
    assert render_typst(letter, fonts=default_fonts(), source_name="a") == first
    assert engine._WORK[__import__("os").getpid()][0] != folder


def test_the_working_folder_goes_with_its_process() -> None:
    import subprocess
    import sys

    script = ("from tests.render_fixtures import FIXTURES, default_fonts\n"
              "from pilot_docs.render import typst\n"
              "typst.render_typst((FIXTURES / 'letter.html').read_text(encoding='utf-8'), fonts=default_fonts(),"
              " source_name='t')\n"
              "typst.evict_cache()\n"  # the empty document's folder, for letting the memo cache go
              "print(next(iter(typst._WORK.values()))[0])\n"
              "print(next(iter(typst._EMPTY.values()))[0])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    folders = [Path(line) for line in done.stdout.split()]
    assert len(folders) == 2
    assert all(f.name.startswith("pilot-docs-typst-") and not f.exists() for f in folders)


def test_the_text_of_a_typst_pdf_holds_no_invisible_marks() -> None:
    """The marks that keep brackets full-width stay in the layout, not in the text: a search for a document number
    finds it as written, in the text layer and in the ActualText of the page; the pages look the same."""
    import subprocess

    from pilot_docs.render.typst import without_marks

    html = (FIXTURES / "letter.html").read_text(encoding="utf-8").replace("</h1>", "</h1><p>依据江安委〔2009〕5号（试行）"
                                                                            "文件执行。</p>", 1)
    pdf = render_typst(html, fonts=default_fonts(), source_name="t")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "江安委〔2009〕5号（试行）文件执行" in text.replace("\n", "")
    assert "\u200b" not in text and "\u2060" not in text
    assert without_marks(pdf) == pdf  # nothing left to cut
    assert len(pdf_pages(pdf)) >= 1
    assert without_marks(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n") == b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
