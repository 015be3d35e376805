"""A tiny typesetter for the generated bench pages: A4 with official margins (TT 30/2020)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
A4_MM = (210.0, 297.0)
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
INK = (20, 20, 24)
SEAL_RED = (200, 30, 40)



@dataclass(frozen=True)
class Fonts:
    regular: ImageFont.FreeTypeFont
    bold: ImageFont.FreeTypeFont
    italic: ImageFont.FreeTypeFont
    small: ImageFont.FreeTypeFont
    small_bold: ImageFont.FreeTypeFont
    title: ImageFont.FreeTypeFont


def _font(name: str, size_pt: float, dpi: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / f"LiberationSerif-{name}.ttf"
    return ImageFont.truetype(str(path), round(size_pt * dpi / 72))


def _fonts(dpi: int) -> Fonts:
    return Fonts(_font("Regular", 13, dpi), _font("Bold", 13, dpi), _font("Italic", 13, dpi),
                 _font("Regular", 11, dpi), _font("Bold", 11, dpi), _font("Bold", 14, dpi))




class Sheet:
    """A tiny typesetter: a cursor going down an A4 page with official margins."""

    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.width = round(A4_MM[0] / 25.4 * dpi)
        self.height = round(A4_MM[1] / 25.4 * dpi)
        self.image = Image.new("RGB", (self.width, self.height), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.left = self.mm(30)
        self.right = self.width - self.mm(15)
        self.bottom = self.height - self.mm(20)
        self.y = self.mm(18)
        self.f = _fonts(dpi)
        self.line = round(13 * dpi / 72 * 1.25)

    def mm(self, value: float) -> int:
        return round(value / 25.4 * self.dpi)

    @property
    def room(self) -> int:
        return self.bottom - self.y

    def text(self, x: float, text: str, font: ImageFont.FreeTypeFont, anchor: str = "la",
             y: float | None = None) -> None:
        self.draw.text((x, self.y if y is None else y), text, font=font, fill=INK, anchor=anchor)

    def centred(self, text: str, font: ImageFont.FreeTypeFont, advance: float = 1.0) -> None:
        self.text((self.left + self.right) / 2, text, font, anchor="ma")
        self.y += round(self.line * advance)

    def header(self, issuer: Sequence[str], number: str | None, place_date: str | None) -> None:
        """The two-column official header: issuer and number left, motto and date right."""
        top = self.y
        left_centre = self.left + self.mm(35)
        right_centre = self.right - self.mm(50)
        for i, line in enumerate(issuer):
            self.text(left_centre, line, self.f.small_bold if i else self.f.small, "ma",
                      y=top + i * self.line)
        rule_y = top + len(issuer) * self.line + self.mm(1)
        self.draw.line((left_centre - self.mm(12), rule_y, left_centre + self.mm(12), rule_y),
                       fill=INK, width=max(1, self.dpi // 150))
        if number:
            self.text(left_centre, number, self.f.small, "ma", y=rule_y + self.mm(2))
        self.text(right_centre, MOTTO[0], self.f.small_bold, "ma", y=top)
        self.text(right_centre, MOTTO[1], self.f.bold, "ma", y=top + self.line)
        motto_width = self.f.bold.getlength(MOTTO[1])
        rule_y2 = top + 2 * self.line + self.mm(1)
        self.draw.line((right_centre - motto_width / 2, rule_y2, right_centre + motto_width / 2,
                        rule_y2), fill=INK, width=max(1, self.dpi // 150))
        if place_date:
            self.text(right_centre, place_date, self.f.italic, "ma", y=rule_y2 + self.mm(3))
        self.y = max(rule_y + self.mm(2) + self.line, rule_y2 + self.mm(3) + self.line)
        self.y += self.line

    def wrap(self, text: str, font: ImageFont.FreeTypeFont, width: float,
             first_indent: float = 0) -> list[list[str]]:
        lines: list[list[str]] = [[]]
        used = first_indent
        space = font.getlength(" ")
        for word in text.split():
            w = font.getlength(word)
            if lines[-1] and used + space + w > width:
                lines.append([])
                used = 0
            used += (space if lines[-1] else 0) + w
            lines[-1].append(word)
        return lines

    def paragraph(self, text: str, font: ImageFont.FreeTypeFont | None = None,
                  indent_mm: float = 10, justify: bool = True, left: float | None = None,
                  ) -> bool:
        """Set a justified paragraph; stop at the bottom margin. False when it did not fit."""
        font = font or self.f.regular
        x0 = self.left if left is None else left
        width = self.right - x0
        indent = self.mm(indent_mm)
        lines = self.wrap(text, font, width, indent)
        for i, words in enumerate(lines):
            if self.y + self.line > self.bottom:
                return False
            x = x0 + (indent if i == 0 else 0)
            avail = self.right - x
            widths = [font.getlength(w) for w in words]
            gaps = len(words) - 1
            last = i == len(lines) - 1
            gap = (avail - sum(widths)) / gaps if justify and gaps and not last else \
                font.getlength(" ")
            for word, w in zip(words, widths, strict=True):
                self.text(x, word, font)
                x += w + gap
            self.y += self.line
        self.y += round(self.line * 0.25)
        return True

    def dotted(self, label: str, value: str, left: float | None = None) -> None:
        """A form line: label, the filled-in value, dotted leaders to the margin."""
        x = self.left if left is None else left
        self.text(x, label, self.f.regular)
        x += self.f.regular.getlength(label + " ")
        self.text(x, value, self.f.italic)
        x += self.f.italic.getlength(value + " ")
        dot = self.f.regular.getlength(".")
        count = int((self.right - x) / dot)
        if count > 2:
            self.text(x, "." * count, self.f.regular)
        self.y += self.line

    def checkbox(self, x: float, checked: bool, label: str) -> float:
        size = self.mm(3.2)
        top = self.y + self.mm(1)
        self.draw.rectangle((x, top, x + size, top + size), outline=INK,
                            width=max(1, self.dpi // 150))
        if checked:
            self.draw.line((x, top, x + size, top + size), fill=INK, width=max(1, self.dpi // 100))
            self.draw.line((x, top + size, x + size, top), fill=INK, width=max(1, self.dpi // 100))
        self.text(x + size + self.mm(2), label, self.f.regular)
        return x + size + self.mm(4) + self.f.regular.getlength(label) + self.mm(6)

    def table(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]]) -> None:
        """A bordered table; column widths are fractions of the text width."""
        width = self.right - self.left
        xs = [self.left]
        for _, share in columns:
            xs.append(xs[-1] + round(share * width))
        pad = self.mm(1.5)
        thin = max(1, self.dpi // 150)
        row_h = self.line + self.mm(1.5)
        font = self.f.small

        def row(cells: Sequence[str], bold: bool) -> None:
            face = self.f.small_bold if bold else font
            wrapped = [self.wrap(c, face, xs[i + 1] - xs[i] - 2 * pad)
                       for i, c in enumerate(cells)]
            height = max(len(w) for w in wrapped) * round(self.line * 0.85) + self.mm(2)
            height = max(height, row_h)
            for i, lines in enumerate(wrapped):
                for j, words in enumerate(lines):
                    anchor_x = (xs[i] + xs[i + 1]) / 2 if bold or i == 0 else xs[i] + pad
                    self.text(anchor_x, " ".join(words), self.f.small_bold if bold else font,
                              "ma" if bold or i == 0 else "la",
                              y=self.y + self.mm(1) + j * round(self.line * 0.85))
            self.draw.rectangle((xs[0], self.y, xs[-1], self.y + height), outline=INK, width=thin)
            for x in xs[1:-1]:
                self.draw.line((x, self.y, x, self.y + height), fill=INK, width=thin)
            self.y += height

        row([c for c, _ in columns], bold=True)
        for cells in rows:
            if self.y + 2 * row_h > self.bottom - self.line * 3:
                break
            row(cells, bold=False)
        self.y += self.line

    def signature(self, role: str, name: str, note_left: Sequence[str] = (), seal: bool = False,
                  ) -> None:
        """Signature block on the right, optionally "Nơi nhận" on the left and a red seal."""
        if self.y + 6 * self.line > self.bottom:
            self.y = self.bottom - 6 * self.line
        top = self.y
        centre = self.right - self.mm(40)
        self.text(centre, role, self.f.bold, "ma", y=top)
        self.text(centre, "(Ký, ghi rõ họ tên và đóng dấu)", self.f.italic, "ma", y=top + self.line)
        self.text(centre, name, self.f.bold, "ma", y=top + 5 * self.line)
        for i, line in enumerate(note_left):
            self.text(self.left, line, self.f.small_bold if i == 0 else self.f.small,
                      y=top + i * round(self.line * 0.8))
        if seal:
            self.seal(centre - self.mm(14), top + 2.6 * self.line)
        self.y = top + 6 * self.line

    def seal(self, cx: float, cy: float) -> None:
        """A red round seal (con dấu) with a star, overprinted like a real stamp."""
        stamp = Image.new("L", self.image.size, 0)
        d = ImageDraw.Draw(stamp)
        r = self.mm(18)
        w = max(2, self.dpi // 60)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=w)
        d.ellipse((cx - r + 3 * w, cy - r + 3 * w, cx + r - 3 * w, cy + r - 3 * w), outline=255,
                  width=max(1, w // 2))
        star = [(cx + r * 0.3 * np.cos(np.pi / 2 + k * 4 * np.pi / 5),
                 cy - r * 0.3 * np.sin(np.pi / 2 + k * 4 * np.pi / 5)) for k in range(5)]
        d.polygon(star, fill=255)
        d.text((cx, cy + r * 0.4), "UBND", font=self.f.small_bold, fill=255, anchor="mm")
        red = Image.new("RGB", self.image.size, SEAL_RED)
        self.image = Image.composite(red, self.image, stamp.point(lambda v: v * 0.85))
        self.draw = ImageDraw.Draw(self.image)

