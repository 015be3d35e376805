"""Draw a :class:`~classify.model.templates.Draft` on an A4 page, the way Vietnamese official
papers are typeset (NĐ 30/2020 Phụ lục I): issuing body and số ký hiệu top left, the national
motto top right (centred on forms), the title in bold capitals in the middle, then the body and
the signature block at the right. Cards are drawn as a photocopy of the front and back of the
card on an A4 sheet; drawings get a frame, shapes and a title block.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from classify.model.templates import Draft

A4_INCHES = (8.27, 11.69)
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONTS: dict[str, tuple[Path, Path, Path]] = {  # regular, bold, italic
    "liberation_serif": (LIBERATION / "LiberationSerif-Regular.ttf",
                         LIBERATION / "LiberationSerif-Bold.ttf",
                         LIBERATION / "LiberationSerif-Italic.ttf"),
    "liberation_sans": (LIBERATION / "LiberationSans-Regular.ttf",
                        LIBERATION / "LiberationSans-Bold.ttf",
                        LIBERATION / "LiberationSans-Italic.ttf"),
    "dejavu_serif": (DEJAVU / "DejaVuSerif.ttf", DEJAVU / "DejaVuSerif-Bold.ttf",
                     DEJAVU / "DejaVuSerif.ttf"),
    "dejavu_sans": (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf",
                    DEJAVU / "DejaVuSans.ttf"),
}


@dataclass(frozen=True)
class Style:
    """Typesetting choices of one page."""

    font: str = "liberation_serif"
    size_pt: float = 13.0
    title_pt: float = 15.0
    spacing: float = 1.45
    margin_in: float = 0.85
    dpi: int = 200
    seed: int = 0


class _Pen:
    """Fonts at the page's dpi and a cursor moving down the page."""

    def __init__(self, page: Image.Image, style: Style) -> None:
        self.draw = ImageDraw.Draw(page)
        self.style = style
        self.width = page.width
        self.margin = round(style.margin_in * style.dpi)
        self.y: float = round(0.55 * style.dpi)
        self.rng = random.Random(style.seed)
        paths = FONTS[style.font]
        self.regular = self.font(paths[0], style.size_pt)
        self.bold = self.font(paths[1], style.size_pt)
        self.italic = self.font(paths[2], style.size_pt)
        self.small_bold = self.font(paths[1], style.size_pt - 1)
        self.title_font = self.font(paths[1], style.title_pt)
        self.line = round(style.size_pt * style.dpi / 72 * style.spacing)

    def font(self, path: Path, size_pt: float) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(path), max(6, round(size_pt * self.style.dpi / 72)))

    def text(self, x: float, text: str, font: ImageFont.FreeTypeFont, anchor: str = "la",
             y: float | None = None) -> None:
        self.draw.text((x, self.y if y is None else y), text, font=font, fill="black",
                       anchor=anchor)

    def wrapped(self, text: str, font: ImageFont.FreeTypeFont, indent: int = 0) -> None:
        """Left-aligned text wrapped at the right margin."""
        limit = self.width - 2 * self.margin - indent
        words, current = text.split(), ""
        for word in words:
            trial = f"{current} {word}".strip()
            if current and font.getlength(trial) > limit:
                self.text(self.margin + indent, current, font)
                self.y += self.line
                current = word
            else:
                current = trial
        if current:
            self.text(self.margin + indent, current, font)
            self.y += self.line


def render_draft(draft: Draft, style: Style) -> Image.Image:
    width, height = round(A4_INCHES[0] * style.dpi), round(A4_INCHES[1] * style.dpi)
    page = Image.new("RGB", (width, height), "white")
    pen = _Pen(page, style)
    if draft.layout == "card":
        _card(pen, draft)
        return page
    if draft.continuation:
        pen.text(width // 2, draft.extras.get("page_number", "2"), pen.regular, "ma")
        pen.y += 2 * pen.line
    else:
        _top(pen, draft)
        _title(pen, draft)
    for line in draft.body:
        pen.wrapped(line, pen.regular, indent=round(0.3 * style.dpi) if pen.rng.random() < 0.2
                    else 0)
        if pen.y > height - 3 * pen.line:
            break
    if draft.layout == "drawing":
        _drawing(pen, height)
    _signature(pen, draft, height)
    return page


def _top(pen: _Pen, draft: Draft) -> None:
    width, start = pen.width, pen.y
    if draft.form_code:
        pen.text(width - pen.margin, draft.form_code, pen.italic, "ra")
        pen.y += pen.line
    column = (width - 2 * pen.margin) * 0.4
    centre_left = pen.margin + column / 2
    if draft.header:
        top = pen.y
        for line in draft.header:
            bold = not line.startswith(("Số", "V/v"))
            font = pen.small_bold if bold else pen.regular
            for part in _split_to_width(line, font, column * 1.15):
                pen.text(centre_left, part, font, "ma")
                pen.y += pen.line
        left_end, pen.y = pen.y, top
    if draft.motto:
        centre = width - pen.margin - (width - 2 * pen.margin) * 0.3 if draft.header \
            else width / 2
        pen.text(centre, MOTTO[0], pen.small_bold, "ma")
        pen.y += pen.line
        pen.text(centre, MOTTO[1], pen.bold, "ma")
        half = pen.bold.getlength(MOTTO[1]) / 2
        rule_y = pen.y + pen.line * 0.8
        pen.draw.line((centre - half, rule_y, centre + half, rule_y), fill="black",
                      width=max(1, pen.style.dpi // 100))
        pen.y += pen.line * 1.3
        if draft.place_date:
            pen.text(centre, draft.place_date, pen.italic, "ma")
            pen.y += pen.line
    if draft.header:
        pen.y = max(pen.y, left_end)
    pen.y = max(pen.y, start) + pen.line


def _split_to_width(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and font.getlength(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def _title(pen: _Pen, draft: Draft) -> None:
    for line in draft.title:
        pen.text(pen.width / 2, line, pen.title_font if line.isupper() else pen.bold, "ma")
        pen.y += round(pen.line * 1.2)
    for line in draft.subject:
        pen.text(pen.width / 2, line, pen.bold, "ma")
        pen.y += pen.line
    if draft.title or draft.subject:
        pen.y += pen.line // 2


def _signature(pen: _Pen, draft: Draft, height: int) -> None:
    if not draft.sign:
        return
    pen.y = min(pen.y + pen.line, height - (len(draft.sign) + 4) * pen.line)
    centre = pen.width - pen.margin - (pen.width - 2 * pen.margin) * 0.22
    for index, line in enumerate(draft.sign):
        last = index == len(draft.sign) - 1
        if last:
            pen.y += 2 * pen.line
        font = pen.italic if line.startswith("(") else pen.bold
        pen.text(centre, line, font, "ma")
        pen.y += pen.line


def _card(pen: _Pen, draft: Draft) -> None:
    """Front and back of an ID card, photocopied at about 1.6× on the top of an A4 sheet."""
    dpi = pen.style.dpi
    card_w, card_h = round(5.4 * dpi), round(3.4 * dpi)
    left = (pen.width - card_w) // 2
    small = pen.font(FONTS[pen.style.font][0], pen.style.size_pt - 4.5)
    small_bold = pen.font(FONTS[pen.style.font][1], pen.style.size_pt - 4)
    half = (len(draft.body) + 1) // 2
    for side, lines in enumerate((draft.body[:half], draft.body[half:])):
        top = round(0.6 * dpi) + side * (card_h + round(0.5 * dpi))
        pen.draw.rounded_rectangle((left, top, left + card_w, top + card_h), radius=dpi // 8,
                                   outline="black", width=max(2, dpi // 60))
        pen.y = top + dpi // 8
        if side == 0:
            if draft.motto:
                for text in MOTTO:
                    pen.text(left + card_w * 0.6, text, small_bold, "ma")
                    pen.y += round(pen.line * 0.7)
            for text in draft.title:
                pen.text(left + card_w * 0.6, text, pen.title_font, "ma")
                pen.y += pen.line
            pen.draw.rectangle((left + dpi // 8, pen.y, left + dpi // 8 + round(1.0 * dpi),
                                pen.y + round(1.3 * dpi)), outline="black", width=2)
        x = left + round(1.3 * dpi) if side == 0 else left + dpi // 6
        for text in lines:
            while len(text) > 10 and small.getlength(text) > left + card_w - x - dpi // 10:
                text = text.rsplit(" ", 1)[0]
            pen.text(x, text, small)
            pen.y += round(pen.line * 0.65)
            if pen.y > top + card_h - pen.line:
                break


def _drawing(pen: _Pen, height: int) -> None:
    """A site plan: a frame, a few parcels and dimension lines."""
    rng, dpi = pen.rng, pen.style.dpi
    top = int(min(pen.y + pen.line, height - round(4 * dpi)))
    box = (pen.margin, top, pen.width - pen.margin, top + round(3 * dpi))
    pen.draw.rectangle(box, outline="black", width=max(2, dpi // 75))
    for _ in range(rng.randrange(3, 7)):
        x0 = rng.randrange(box[0] + dpi // 4, box[2] - dpi)
        y0 = rng.randrange(box[1] + dpi // 4, box[3] - dpi)
        corners = [(x0, y0),
                   (x0 + rng.randrange(dpi // 3, dpi), y0 + rng.randrange(-30, 30)),
                   (x0 + rng.randrange(dpi // 3, dpi), y0 + rng.randrange(dpi // 3, dpi)),
                   (x0 + rng.randrange(-30, 30), y0 + rng.randrange(dpi // 3, dpi))]
        pen.draw.polygon(corners, outline="black", width=2)
        pen.text(x0 + dpi // 6, str(rng.randrange(1, 400)), pen.regular, y=y0 + dpi // 6)
    pen.y = box[3] + pen.line
