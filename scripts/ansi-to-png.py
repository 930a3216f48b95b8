#!/usr/bin/env python3
"""Renders a terminal capture with colours (`tmux capture-pane -e -p`) as a PNG: each cell in
DejaVu Sans Mono on its SGR colours (16, 256 and 24-bit), bold, italic, underline and reverse.

    python3 scripts/ansi-to-png.py CAPTURE.txt OUT.png [COLUMNS]

Needs Pillow (Debian: python3-pil) and fonts-dejavu-core. Used by scripts/editor-screenshot."""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SIZE = 15
# xterm's 16 colours, then the 6×6×6 cube and the grey ramp.
BASE = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
CUBE = [0, 95, 135, 175, 215, 255]
PALETTE = BASE + [(CUBE[i // 36], CUBE[i // 6 % 6], CUBE[i % 6]) for i in range(216)] + [(8 + 10 * i,) * 3 for i in range(24)]
FG, BG = (229, 229, 229), (24, 24, 24)


def parse(text):
    """Rows of cells (char, fg, bg, bold, italic, underline)."""
    rows = []
    for line in text.split("\n"):
        cells, fg, bg, bold, italic, under, reverse = [], None, None, False, False, False, False
        for part in re.split(r"(\x1b\[[0-9;:]*m)", line):
            if part.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in re.split("[;:]", part[2:-1])] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0: fg, bg, bold, italic, under, reverse = None, None, False, False, False, False
                    elif c == 1: bold = True
                    elif c == 3: italic = True
                    elif c == 4: under = True
                    elif c == 7: reverse = True
                    elif c == 22: bold = False
                    elif c == 23: italic = False
                    elif c == 24: under = False
                    elif c == 27: reverse = False
                    elif 30 <= c <= 37: fg = PALETTE[c - 30]
                    elif 90 <= c <= 97: fg = PALETTE[c - 90 + 8]
                    elif 40 <= c <= 47: bg = PALETTE[c - 40]
                    elif 100 <= c <= 107: bg = PALETTE[c - 100 + 8]
                    elif c == 39: fg = None
                    elif c == 49: bg = None
                    elif c in (38, 48) and i + 1 < len(codes):
                        if codes[i + 1] == 5 and i + 2 < len(codes):
                            colour = PALETTE[codes[i + 2] % 256]; i += 2
                        elif codes[i + 1] == 2 and i + 4 < len(codes):
                            colour = tuple(codes[i + 2:i + 5]); i += 4
                        else:
                            colour = None
                        if c == 38: fg = colour
                        else: bg = colour
                    i += 1
                continue
            for ch in part:
                f, b = fg or FG, bg or BG
                if reverse: f, b = b, f
                cells.append((ch, f, b, bold, italic, under))
                if unicodedata.east_asian_width(ch) in "WF":
                    cells.append(("", f, b, bold, italic, under))
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def render(rows, columns):
    fonts = {(b, i): ImageFont.truetype(FONT_DIR + name, SIZE) for (b, i), name in {
        (False, False): "DejaVuSansMono.ttf", (True, False): "DejaVuSansMono-Bold.ttf",
        (False, True): "DejaVuSansMono-Oblique.ttf", (True, True): "DejaVuSansMono-BoldOblique.ttf"}.items()}
    cw, ch = round(fonts[(False, False)].getlength("M")), SIZE + 5
    image = Image.new("RGB", (columns * cw + 16, len(rows) * ch + 16), BG)
    draw = ImageDraw.Draw(image)
    for y, cells in enumerate(rows):
        for x, (c, f, b, bold, italic, under) in enumerate(cells[:columns]):
            px, py = 8 + x * cw, 8 + y * ch
            draw.rectangle([px, py, px + cw - 1, py + ch - 1], fill=b)
            if c.strip():
                draw.text((px, py + 2), c, font=fonts[(bold, italic)], fill=f)
            if under:
                draw.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=f)
    return image


if __name__ == "__main__":
    text = open(sys.argv[1], encoding="utf-8").read()
    rows = parse(text)
    columns = int(sys.argv[3]) if len(sys.argv) > 3 else max(len(r) for r in rows)
    render(rows, columns).save(sys.argv[2])
