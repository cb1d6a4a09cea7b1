"""Bar charts as PNG (Pillow), with Chinese labels in the documents' 黑体 font, for both PDF and DOCX.

One raster image serves both formats, so the two say the same thing; at 200 dpi it prints sharply at the
width of the type area (156 mm).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

DPI = 200
WIDTH_MM = 156
# The lights' colours (render/vocabulary.py LIGHT_COLORS: green 00803C, red C00000, amber BF8F00), and grey
COLORS = {"done": (0x00, 0x80, 0x3C), "overdue": (0xC0, 0x00, 0x00), "at_risk": (0xBF, 0x8F, 0x00),
          "open": (189, 189, 189)}
LEGEND = (("done", "已完成"), ("overdue", "逾期未完成"), ("at_risk", "临期未完成"), ("open", "其他未完成"))


@dataclass(frozen=True)
class Bar:
    """One bar: a label, and how many of its total are done, overdue and due soon (at risk)."""

    label: str
    total: int
    done: int
    overdue: int
    at_risk: int = 0


MAX_BARS = 45  # bars that fit the type area's 225 mm at the smaller row height: a chart stays within a page
MAX_PIXELS = (2000, 2000)  # no image the pipeline makes is larger (156 × 225 mm at 200 dpi is 1228 × 1772)


def bounded(bars: list[Bar], limit: int = MAX_BARS) -> tuple[list[Bar], int]:
    """At most `limit` bars: those with the most overdue, then the most open, in their own order, and the rest
    summed into one bar 其他N项; returns the bars and how many were summed (0 when all are shown)."""
    if len(bars) <= limit:
        return bars, 0
    ranked = sorted(range(len(bars)), key=lambda i: (-bars[i].overdue, -(bars[i].total - bars[i].done), i))
    shown = sorted(ranked[: limit - 1])
    rest = [bars[i] for i in ranked[limit - 1:]]
    other = Bar(f"其他{len(rest)}项", sum(b.total for b in rest), sum(b.done for b in rest),
                sum(b.overdue for b in rest), sum(b.at_risk for b in rest))
    return [bars[i] for i in shown] + [other], len(rest)


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def _pt(points: float) -> int:
    return round(points / 72 * DPI)


def bar_chart(bars: list[Bar], font_path: str, font_index: int = 0, font_pt: float = 10.5) -> bytes:
    """A horizontal stacked bar chart: done (green), overdue (red), due soon (amber) and other open (grey) shares
    of each bar, in the lights' colours, with counts."""
    # A label is one line: a task title typed over two lines in its cell is drawn on one (Pillow cannot measure
    # multiline text, and a bar has room for one line).
    bars = [Bar(" ".join(b.label.split()), b.total, b.done, b.overdue, b.at_risk) for b in bounded(bars)[0]]
    font = ImageFont.truetype(font_path, _pt(font_pt), index=font_index)
    small = ImageFont.truetype(font_path, _pt(font_pt - 1.5), index=font_index)
    width = _px(WIDTH_MM)
    row = _pt(font_pt * (1.9 if len(bars) <= 20 else 1.45))  # long charts still fit one page
    legend_h = _pt(font_pt * 2.2)
    height = legend_h + row * len(bars) + _pt(6)
    assert width <= MAX_PIXELS[0] and height <= MAX_PIXELS[1], (width, height)  # bounded() keeps it so
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    label_w = min(max((draw.textlength(b.label, font=font) for b in bars), default=0) + _pt(8), width * 0.42)
    value_w = draw.textlength("100%（99/99）", font=small) + _pt(6)
    bar_x0, bar_x1 = label_w, width - value_w
    legend_w = sum(_pt(34) + draw.textlength(text, font=small) for _, text in LEGEND) - _pt(16)
    x = max(0, min(bar_x0, width - legend_w))  # over the bars, moved left as far as it needs to fit
    for key, text in LEGEND:
        draw.rectangle([x, _pt(5), x + _pt(14), _pt(5) + _pt(9)], fill=COLORS[key])
        draw.text((x + _pt(18), _pt(3)), text, font=small, fill="black")
        x += _pt(18) + draw.textlength(text, font=small) + _pt(16)
    for n, bar in enumerate(bars):
        top = legend_h + n * row
        label = bar.label
        while draw.textlength(label, font=font) > label_w - _pt(8) and len(label) > 2:
            label = label[:-2] + "…"
        draw.text((label_w - _pt(6), top + row / 2), label, font=font, fill="black", anchor="rm")
        span = bar_x1 - bar_x0
        y0, y1 = top + row * 0.18, top + row * 0.82
        x = bar_x0
        shares = (("done", bar.done), ("overdue", bar.overdue), ("at_risk", bar.at_risk),
                  ("open", bar.total - bar.done - bar.overdue - bar.at_risk))
        for key, count in shares:
            if bar.total and count > 0:
                w = span * count / bar.total
                draw.rectangle([x, y0, x + w, y1], fill=COLORS[key])
                x += w
        rate = f"{round(100 * bar.done / bar.total) if bar.total else 0}%（{bar.done}/{bar.total}）"
        draw.text((bar_x1 + _pt(4), top + row / 2), rate, font=small, fill="black", anchor="lm")
    draw.line([bar_x0, legend_h, bar_x0, height - _pt(4)], fill="black", width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=False)
    return out.getvalue()
