"""Hand-filled header blanks: Tesseract alone against Tesseract + the second reader.

    .venv/bin/python -m bench.fillins [--pages 24] [--seed 7]

Generated official-document headers (organ, "Số: …/notation", motto, place-date, title) at
300 dpi. On every page the number, day and month are either *written*, with OpenCV's Hershey
script faces at a random size, slant and ink, or *printed* in Liberation Serif like the rest.
Half of the pages get the scanner look of ``bench.pages.scanned``. Each page is read once by the
service's own steps (analysis, Tesseract ``vie``, tone-mark correction), and its fields are
taken before and after ``classify.fields.fillins.read_fill_ins``. The report gives, per
condition, how often số ký hiệu and ngày ban hành are exact, and how many readings the stage
changed. A change to a printed page would be a false correction.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bench.pages import scanned
from classify.fields import ExtractedField, extract_fields
from classify.fields.fillins import read_fill_ins
from ingest.analysis import analyse_page
from ingest.analysis.measure import to_grey
from ingest.rasterize import PageImage
from ocr.bandreader import default_band_reader
from ocr.postcorrect import default_page_corrector
from ocr.tesseract import TesseractConfig, TesseractEngine

DPI = 300
WIDTH, HEIGHT = 2480, 1100  # A4 width, the top third
SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf"
HANDS = (cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, cv2.FONT_HERSHEY_SCRIPT_COMPLEX)
ORGANS = (("ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH", "UBND"), ("SỞ TƯ PHÁP", "TỈNH PHÚ THỌ", "STP"),
          ("BỘ TÀI CHÍNH", "CỤC THUẾ", "CT"), ("ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH", "UBND"))
KINDS = (("QUYẾT ĐỊNH", "QĐ-"), ("THÔNG BÁO", "TB-"), ("KẾ HOẠCH", "KH-"), ("", ""))
PLACES = ("Hà Nội", "Phú Thọ", "Ninh Bình", "Hòa Bình")


@dataclass(frozen=True)
class Truth:
    number: str
    issued: str
    written: bool
    scanned: bool


@dataclass(frozen=True)
class Reading:
    truth: Truth
    number_before: str
    number_after: str
    issued_before: str
    issued_after: str
    fill_ins: int
    stage_seconds: float


def header_page(index: int, seed: int) -> tuple[Image.Image, Truth]:
    rng = random.Random(seed * 1000 + index)
    written, look = index % 2 == 0, index % 4 in (2, 3)
    organ, unit, short = rng.choice(ORGANS)
    title, prefix = rng.choice(KINDS)
    number, day, month = str(rng.randint(1, 2999)), rng.randint(1, 28), rng.randint(1, 12)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    regular, bold = (ImageFont.truetype(SERIF.format(s), 54) for s in ("Regular", "Bold"))
    for y, text, font in ((150, organ, regular), (215, unit, bold)):
        draw.text((620, y), text, font=font, fill="black", anchor="ma")
    for y, text in ((150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                    (215, "Độc lập - Tự do - Hạnh phúc")):
        draw.text((1650, y), text, font=bold, fill="black", anchor="ma")
    hand: list[tuple[int, int, str, int, float, int]] = []  # x, baseline, digits, face…

    def blank(x: int, y: int, digits: str) -> int:
        if written:
            face, scale, thickness = rng.choice(HANDS), rng.uniform(2.2, 3.0), rng.randint(3, 5)
            (width, _), _ = cv2.getTextSize(digits, face, scale, thickness)
            hand.append((x + rng.randint(0, 20), y + 45 + rng.randint(-12, 8), digits, face,
                         scale, thickness))
            return x + width + 40
        draw.text((x, y), digits, font=regular, fill="black")
        return int(draw.textbbox((x, y), digits, font=regular)[2]) + 14

    draw.text((300, 330), "Số:", font=regular, fill="black")
    x = blank(400, 330, number)
    draw.text((x, 330), f"/{prefix}{short}" if prefix else f"/{short}-VP", font=regular,
              fill="black")
    place = f"{rng.choice(PLACES)}, ngày"
    draw.text((1120, 330), place, font=regular, fill="black")
    x = int(draw.textbbox((1120, 330), place, font=regular)[2]) + 14
    x = blank(x, 330, f"{day:02d}" if rng.random() < 0.5 else str(day))
    draw.text((x, 330), "tháng", font=regular, fill="black")
    x = blank(int(draw.textbbox((x, 330), "tháng", font=regular)[2]) + 14, 330, str(month))
    draw.text((x, 330), "năm 2026", font=regular, fill="black")
    if title:
        draw.text((WIDTH // 2, 560), title, font=bold, fill="black", anchor="ma")
    pixels = np.array(image)
    for hx, baseline, digits, face, scale, thickness in hand:
        cv2.putText(pixels, digits, (hx, baseline), face, scale,
                    rng.choice(((20, 20, 90), (30, 30, 30), (10, 40, 120))), thickness,
                    cv2.LINE_AA)
    page = Image.fromarray(pixels)
    page = scanned(page, rng) if look else page
    issued = f"2026-{month:02d}-{day:02d}"
    return page, Truth(f"{number}/{prefix}{short}" if prefix else f"{number}/{short}-VP",
                       issued, written, look)


def read_page(index: int, image: Image.Image, truth: Truth,
              engine: TesseractEngine) -> Reading:
    page = PageImage(index=index, image=image, dpi=DPI, has_text_layer=False)
    _, ocr_image = analyse_page(page, grey=to_grey(image))
    text = default_page_corrector().correct(engine.recognize(replace(page, image=ocr_image)))
    started = time.perf_counter()
    filled = read_fill_ins(text, ocr_image, default_band_reader)
    seconds = time.perf_counter() - started
    before, after = (extract_fields(t.text, t.words) for t in (text, filled))
    return Reading(truth, _value(before, "so_ky_hieu"), _value(after, "so_ky_hieu"),
                   _value(before, "ngay_ban_hanh"), _value(after, "ngay_ban_hanh"),
                   len(filled.fill_ins), seconds)


def _value(fields: dict[str, ExtractedField], name: str) -> str:
    found = fields.get(name)
    return found.value if found else "—"


COLUMNS = ("number digits", "số ký hiệu", "ngày ban hành")


def _scores(r: Reading) -> dict[str, tuple[bool, bool]]:
    """Per column: exact before the stage, exact after it."""
    digits = r.truth.number.split("/")[0]
    return {"number digits": (r.number_before.split("/")[0] == digits,
                              r.number_after.split("/")[0] == digits),
            "số ký hiệu": (r.number_before == r.truth.number, r.number_after == r.truth.number),
            "ngày ban hành": (r.issued_before == r.truth.issued,
                              r.issued_after == r.truth.issued)}


def _wrong_change(r: Reading) -> bool:
    """The stage changed a reading into something wrong (digits or date)."""
    digits = r.truth.number.split("/")[0]
    number = r.number_after != r.number_before and r.number_after.split("/")[0] != digits
    issued = r.issued_after != r.issued_before and r.issued_after != r.truth.issued
    return number or issued


def report(readings: list[Reading]) -> None:
    heads = " | ".join(f"{c}: Tesseract | + fill-ins" for c in COLUMNS)
    print(f"| condition | pages | {heads} | pages changed | wrong changes |")
    print("|---|---|" + "---|---|" * len(COLUMNS) + "---|---|")
    groups: dict[str, list[Reading]] = {}
    for r in readings:
        key = ("written" if r.truth.written else "printed") + (
            ", scanner look" if r.truth.scanned else ", clean")
        groups.setdefault(key, []).append(r)
    for key in sorted(groups):
        rows, n = groups[key], len(groups[key])
        cells = []
        for column in COLUMNS:
            before = sum(_scores(r)[column][0] for r in rows)
            after = sum(_scores(r)[column][1] for r in rows)
            cells.append(f"{before}/{n} | {after}/{n}")
        changed = sum((r.number_before, r.issued_before) != (r.number_after, r.issued_after)
                      for r in rows)
        print(f"| {key} | {n} | {' | '.join(cells)} | {changed} | "
              f"{sum(_wrong_change(r) for r in rows)} |")
    triggered = [r.stage_seconds for r in readings if r.fill_ins]
    idle = [r.stage_seconds for r in readings if not r.fill_ins]
    print(f"\nstage time: {np.mean(triggered) if triggered else 0:.3f} s on the "
          f"{len(triggered)} pages with a fill-in, {np.mean(idle) if idle else 0:.3f} s on the "
          f"{len(idle)} others")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="print every page's readings")
    args = parser.parse_args()
    engine = TesseractEngine(TesseractConfig())
    default_band_reader()  # loaded before timing, once
    readings = []
    for index in range(args.pages):
        image, truth = header_page(index, args.seed)
        readings.append(read_page(index, image, truth, engine))
        if args.show:
            r = readings[-1]
            print(index, truth, r.number_before, r.number_after, r.issued_before,
                  r.issued_after, flush=True)
    report(readings)


if __name__ == "__main__":
    main()
