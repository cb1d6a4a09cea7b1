"""How LibreOffice paginates our DOCX against our PDF: page count and the first words of every page.

    python tools/pagination.py BUILD_DIR [--json OUT] [--words 8]

Converts every DOCX of a build (letters, annex, reports, reminders, summary, volume; not the return forms, which
are fill-in sheets) to PDF with ONE LibreOffice call, then compares each with our PDF of the same document, page by
page: the first `--words` characters of each page's text (white space and page numbers dropped). Prints a line per
document and the totals; exits 0 (it measures, it does not judge).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pilot_docs.build.jobs import project_fonts
from pilot_docs.render.pagination import compare
from pilot_docs.source.project import find_project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--project", type=Path, default=Path("."),
                        help="the project whose [fonts] and fonts/ the PDF used (default: here)")
    parser.add_argument("--system-fonts", action="store_true",
                        help="let LibreOffice substitute fonts itself instead of using the PDF's")
    parser.add_argument("--as-word-reads", action="store_true",
                        help="lay out as Word reads the DOCX: undo LibreOffice 7.4's misreadings of w:autoSpaceDE/DN and "
                        "w:overflowPunct (see as_word_reads)")
    parser.add_argument("--words", type=int, default=8, help="characters compared at the top of each page")
    args = parser.parse_args(argv)
    fonts = None if args.system_fonts else project_fonts(find_project(args.project))
    records = compare(args.build, args.words, args.as_word_reads, fonts)
    same_count = sum(r["pdf_pages"] == r["libreoffice_pages"] for r in records)
    exact = sum(r["pdf_pages"] == r["libreoffice_pages"] and not r["differ"] for r in records)
    for r in records:
        mark = "=" if r["pdf_pages"] == r["libreoffice_pages"] and not r["differ"] else "≠"
        first = r["first_difference"]
        print(f"{mark} {r['document']}: PDF {r['pdf_pages']} p., LibreOffice {r['libreoffice_pages']} p."
              + (f"; page {first['page']} begins {first['pdf']!r} / {first['libreoffice']!r}" if first else ""))
    print(f"{len(records)} documents: same page count {same_count}, same first words on every page {exact}")
    if args.json:
        args.json.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
