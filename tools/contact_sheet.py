"""Pages of one or more PDFs side by side in one PNG, for looking at a document (or two renderings of it) at once.

    python tools/contact_sheet.py OUT.png A.pdf [B.pdf …] [--dpi 40] [--columns 8]

Each PDF is one row of page pictures (pdftoppm), labelled with its file name; rows are stacked.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


def pages(pdf: Path, dpi: int, folder: Path) -> list[Image.Image]:
    prefix = folder / pdf.stem.replace(" ", "_")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob(prefix.name + "-*.png"))]


def label_font() -> ImageFont.ImageFont:
    """A font that has Chinese, for the labels (file names)."""
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True,
                          check=False).stdout.strip()
    try:
        return ImageFont.truetype(path, 12)
    except OSError:
        return ImageFont.load_default()


def sheet(pdfs: list[Path], dpi: int = 40, columns: int = 8) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for n, pdf in enumerate(pdfs):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            images = pages(pdf, dpi, folder)
            width = max(i.width for i in images)
            height = max(i.height for i in images)
            lines = [images[k:k + columns] for k in range(0, len(images), columns)]
            row = Image.new("RGB", (columns * (width + 6), 16 + len(lines) * (height + 6)), "#d0d0d0")
            ImageDraw.Draw(row).text((4, 1), pdf.name, fill="black", font=label_font())
            for y, line in enumerate(lines):
                for x, image in enumerate(line):
                    row.paste(image, (x * (width + 6), 16 + y * (height + 6)))
            rows.append(row)
    out = Image.new("RGB", (max(r.width for r in rows), sum(r.height + 8 for r in rows)), "white")
    y = 0
    for row in rows:
        out.paste(row, (0, y))
        y += row.height + 8
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("pdfs", type=Path, nargs="+")
    parser.add_argument("--dpi", type=int, default=40)
    parser.add_argument("--columns", type=int, default=8)
    args = parser.parse_args(argv)
    sheet(args.pdfs, args.dpi, args.columns).quantize(64).save(args.out, optimize=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
