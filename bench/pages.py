"""Dense, realistic generated pages for the speed and memory benchmarks (no real personal data).

The forms of ``tests/synthetic.py`` carry five to ten lines each; Tesseract reads them in well
under a second, which flatters any pipeline overhead. The pages here look like what a one-stop
counter and an archive back-scan actually hold: a Quyết định with the two-column official
header, "Căn cứ" preamble and articles in justified paragraphs; continuation pages of legal text;
a bordered table; a declaration form with dotted leaders and check boxes; a Công văn with
"Nơi nhận" and a red seal; a Biên bản. About 2,000-3,500 characters a page, Liberation Serif
13 pt at 1.25 line spacing on A4 with official margins (TT 30/2020: left 30 mm, right 15 mm).

Every third page is given a scanner look (warm paper tone, slight skew, sensor noise), so the
page analysis of the pipeline has something to do. Everything is seeded: the same call gives
the same pixels.

    .venv/bin/python -m bench.pages --count 30 --out /tmp/pages   # PNGs + pages.pdf to look at
"""

from __future__ import annotations

import argparse
import io
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from bench.sheet import MOTTO, Sheet
from bench.vocabulary import (
    COMMUNES,
    FIELDS,
    HAMLETS,
    LAND_USES,
    PREAMBLE,
    PROVINCES,
    SUBJECTS,
    Filler,
)


# ---------------------------------------------------------------- page kinds
def _place_date(rng: random.Random) -> str:
    return (f"{rng.choice(COMMUNES)}, ngày {rng.randint(1, 28):02d} tháng {rng.randint(1, 12):02d} "
            f"năm {rng.choice((2024, 2025, 2026))}")


def _fill_paragraphs(sheet: Sheet, fill: Filler, prefix: Callable[[int], str] = lambda _: "",
                     ) -> None:
    i = 0
    while sheet.room > sheet.line * 2:
        if not sheet.paragraph(prefix(i) + fill.paragraph(fill.rng.randint(2, 3))):
            break
        i += 1


def decision(sheet: Sheet, fill: Filler) -> None:
    """Quyết định, page 1: header, title, preamble, articles."""
    r = fill.rng
    commune = r.choice(COMMUNES)
    sheet.header(("ỦY BAN NHÂN DÂN", f"XÃ {commune.upper()}"),
                 f"Số: {r.randint(10, 999)}/QĐ-UBND", _place_date(r))
    sheet.centred("QUYẾT ĐỊNH", sheet.f.title)
    width = sheet.right - sheet.left - sheet.mm(30)
    for words in sheet.wrap(r.choice(SUBJECTS), sheet.f.bold, width):
        sheet.centred(" ".join(words), sheet.f.bold)
    sheet.y += sheet.line // 2
    sheet.centred(f"CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ {commune.upper()}", sheet.f.bold, 1.5)
    for line in r.sample(PREAMBLE, 4):
        sheet.paragraph(line, sheet.f.italic)
    sheet.paragraph(f"Theo đề nghị của Trưởng phòng Văn hóa - Xã hội tại Tờ trình số "
                    f"{r.randint(10, 300)}/TTr-VHXH ngày {fill.date()}.", sheet.f.italic)
    sheet.centred("QUYẾT ĐỊNH:", sheet.f.bold, 1.3)
    _fill_paragraphs(sheet, fill, lambda i: f"Điều {i + 1}. ")


def continuation(sheet: Sheet, fill: Filler) -> None:
    """A middle page of a legal text: page number, an article heading, clauses and points."""
    r = fill.rng
    sheet.centred(str(r.randint(2, 9)), sheet.f.regular, 1.6)
    article = r.randint(3, 30)
    sheet.paragraph(f"Điều {article}. Trách nhiệm của cơ quan, tổ chức, cá nhân có liên quan",
                    sheet.f.bold, justify=False)
    clause = 1
    while sheet.room > sheet.line * 2:
        if not sheet.paragraph(f"{clause}. " + fill.paragraph(2)):
            break
        for point in "abc"[: r.randint(1, 3)]:
            if not sheet.paragraph(f"{point}) " + fill.paragraph(1)):
                return
        clause += 1


def table(sheet: Sheet, fill: Filler) -> None:
    """A report page: header, title, an introduction and a bordered statistics table."""
    r = fill.rng
    sheet.header(("ỦY BAN NHÂN DÂN TỈNH", f"{r.choice(PROVINCES).upper()}"),
                 f"Số: {r.randint(10, 999)}/BC-UBND", _place_date(r))
    sheet.centred("BÁO CÁO", sheet.f.title)
    sheet.centred("Kết quả tiếp nhận, số hóa và giải quyết thủ tục hành chính quý III năm 2025",
                  sheet.f.bold, 1.5)
    sheet.paragraph(fill.paragraph(2))
    rows = []
    for i, name in enumerate(r.sample(FIELDS, len(FIELDS)), start=1):
        got = r.randint(20, 900)
        done = r.randint(got // 2, got)
        rows.append((str(i), name, str(got), str(done), str(r.randint(done * 9 // 10, done)),
                     f"{r.randint(60, 100)},{r.randint(0, 9)}"))
    sheet.table((("STT", 0.07), ("Lĩnh vực", 0.33), ("Tiếp nhận", 0.14), ("Đã giải quyết", 0.16),
                 ("Đúng hạn", 0.14), ("Tỷ lệ số hóa (%)", 0.16)), rows)
    _fill_paragraphs(sheet, fill)


def land_table(sheet: Sheet, fill: Filler) -> None:
    """A land register extract: title, a list of parcels with owners, notes."""
    r = fill.rng
    sheet.header(("VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI", f"CHI NHÁNH {r.choice(COMMUNES).upper()}"),
                 f"Số: {r.randint(10, 999)}/TB-VPĐK", _place_date(r))
    sheet.centred("DANH SÁCH THỬA ĐẤT ĐỦ ĐIỀU KIỆN ĐĂNG KÝ BIẾN ĐỘNG", sheet.f.title, 1.5)
    rows = [(str(i), str(r.randint(10, 999)), str(r.randint(1, 60)),
             f"{r.randint(60, 2500)},{r.randint(0, 9)}", r.choice(LAND_USES), fill.name())
            for i in range(1, 40)]
    sheet.table((("STT", 0.07), ("Số thửa", 0.11), ("Tờ bản đồ", 0.12), ("Diện tích (m²)", 0.15),
                 ("Mục đích sử dụng", 0.27), ("Người sử dụng đất", 0.28)), rows)
    _fill_paragraphs(sheet, fill)


def declaration(sheet: Sheet, fill: Filler, title: str = "TỜ KHAI ĐĂNG KÝ BIẾN ĐỘNG") -> None:
    """A citizen's declaration form: dotted leaders, check boxes, commitment, signature."""
    r = fill.rng
    sheet.centred(MOTTO[0], sheet.f.bold)
    sheet.centred(MOTTO[1], sheet.f.bold, 1.8)
    sheet.centred(title, sheet.f.title, 1.6)
    sheet.text(sheet.left + sheet.mm(20), f"Kính gửi: Ủy ban nhân dân xã {r.choice(COMMUNES)}",
               sheet.f.regular)
    sheet.y += round(sheet.line * 1.4)
    person = fill.slots()
    for label, value in (("Họ, chữ đệm, tên người yêu cầu:", fill.name()),
                         ("Ngày, tháng, năm sinh:", fill.date()),
                         ("Số định danh cá nhân:", fill.person_id()),
                         ("Nơi cư trú:", f"thôn {person['thon']}, xã {person['xa']}, "
                                         f"tỉnh {person['tinh']}"),
                         ("Quan hệ với người được đăng ký:", r.choice(("cha", "mẹ", "ông", "bà"))),
                         ("Số điện thoại liên hệ:", "09" + fill.person_id()[4:])):
        sheet.dotted(label, value)
    sheet.y += sheet.line // 2
    sheet.paragraph("Đề nghị cơ quan giải quyết cho người có tên dưới đây:", indent_mm=0)
    for label, value in (("Họ, chữ đệm, tên:", fill.name()),
                         ("Giới tính:", r.choice(("Nam", "Nữ"))),
                         ("Ngày, tháng, năm sinh:", fill.date()),
                         ("Nơi sinh:", f"Trạm y tế xã {r.choice(COMMUNES)}"),
                         ("Dân tộc:", "Kinh"), ("Quốc tịch:", "Việt Nam"),
                         ("Quê quán:", f"xã {r.choice(COMMUNES)}, tỉnh {r.choice(PROVINCES)}")):
        sheet.dotted(label, value)
    x: float = sheet.left
    sheet.text(x, "Hình thức nhận kết quả:", sheet.f.regular)
    x += sheet.f.regular.getlength("Hình thức nhận kết quả: ")
    for label in ("Trực tiếp", "Bưu chính", "Trực tuyến"):
        x = sheet.checkbox(x, r.random() < 0.4, label)
    sheet.y += round(sheet.line * 1.4)
    sheet.paragraph(fill.paragraph(2))
    sheet.paragraph("Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật và chịu trách nhiệm "
                    "trước pháp luật về cam đoan của mình.")
    sheet.signature("NGƯỜI YÊU CẦU", fill.name())


def letter(sheet: Sheet, fill: Filler) -> None:
    """Công văn: header with V/v, Kính gửi, paragraphs, dashes, Nơi nhận and a seal."""
    r = fill.rng
    sheet.header(("ỦY BAN NHÂN DÂN", f"XÃ {r.choice(COMMUNES).upper()}"),
                 f"Số: {r.randint(10, 999)}/UBND-VP", _place_date(r))
    sheet.text(sheet.left + sheet.mm(35), "V/v đôn đốc số hóa hồ sơ, kết quả giải quyết TTHC",
               sheet.f.small, "ma", y=sheet.y - sheet.line)
    sheet.y += sheet.line // 2
    sheet.text(sheet.left + sheet.mm(45), "Kính gửi:", sheet.f.regular)
    for line in ("- Các phòng, ban chuyên môn thuộc Ủy ban nhân dân xã;",
                 "- Bộ phận Tiếp nhận và Trả kết quả;", "- Trưởng các thôn, tổ dân phố."):
        sheet.text(sheet.left + sheet.mm(65), line, sheet.f.regular)
        sheet.y += sheet.line
    sheet.y += sheet.line // 2
    for _ in range(2):
        sheet.paragraph(fill.paragraph(3))
    for _ in range(4):
        sheet.paragraph("- " + fill.paragraph(1))
    while sheet.room > sheet.line * 9:
        sheet.paragraph(fill.paragraph(2))
    sheet.signature("TM. ỦY BAN NHÂN DÂN", fill.name(),
                    ("Nơi nhận:", "- Như trên;", "- Chủ tịch, các PCT UBND xã;",
                     "- Lưu: VT, VP."), seal=True)


def minutes(sheet: Sheet, fill: Filler) -> None:
    """Biên bản: header, sections with Roman numerals, a participant list."""
    r = fill.rng
    sheet.header(("ỦY BAN NHÂN DÂN", f"XÃ {r.choice(COMMUNES).upper()}"),
                 f"Số: {r.randint(10, 999)}/BB-UBND", _place_date(r))
    sheet.centred("BIÊN BẢN", sheet.f.title)
    sheet.centred("Kiểm tra, xác minh hiện trạng sử dụng đất", sheet.f.bold, 1.5)
    sheet.paragraph(f"Hôm nay, vào lúc {r.randint(7, 16):02d} giờ {r.randint(0, 59):02d} phút, "
                    f"ngày {fill.date()}, tại thôn {r.choice(HAMLETS)}, xã {r.choice(COMMUNES)}, "
                    "chúng tôi gồm có:")
    sheet.paragraph("I. THÀNH PHẦN", sheet.f.bold, indent_mm=0)
    roles = ("công chức Địa chính", "Phó Chủ tịch UBND xã", "Trưởng thôn",
             "cán bộ Văn phòng đăng ký đất đai")
    for i in range(1, 5):
        sheet.paragraph(f"{i}. Ông (bà) {fill.name()}, chức vụ: {r.choice(roles)};",
                        justify=False)
    sheet.paragraph("II. NỘI DUNG", sheet.f.bold, indent_mm=0)
    _fill_paragraphs(sheet, fill)


KINDS: tuple[Callable[[Sheet, Filler], None], ...] = (
    decision, continuation, table, declaration, letter, continuation, minutes, land_table,
)


# ---------------------------------------------------------------- scanner look
def scanned(image: Image.Image, rng: random.Random) -> Image.Image:
    """Warm paper tone, a slight skew and sensor noise, as a flatbed scanner gives."""
    angle = rng.choice((-1, 1)) * rng.uniform(0.5, 1.3)
    turned = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor="white")
    soft = turned.filter(ImageFilter.GaussianBlur(0.6))
    pixels = np.asarray(soft).astype(np.float32)
    paper = np.array([246.0, 242.0, 232.0], dtype=np.float32)
    toned = pixels / 255.0 * paper
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 3.5, pixels.shape[:2])
    toned += noise[..., None]
    return Image.fromarray(np.clip(toned, 0, 255).astype(np.uint8))


def dense_page(index: int, dpi: int = 300, seed: int = 20260) -> Image.Image:
    """Page ``index`` of the benchmark set; kinds rotate, every third page looks scanned."""
    rng = random.Random(seed * 1000 + index)
    sheet = Sheet(dpi)
    KINDS[index % len(KINDS)](sheet, Filler(rng))
    return scanned(sheet.image, rng) if index % 3 == 2 else sheet.image


def dense_pages(count: int, dpi: int = 300, seed: int = 20260) -> Iterator[Image.Image]:
    for index in range(count):
        yield dense_page(index, dpi, seed)


# ---------------------------------------------------------------- files
def scan_pdf(pages: Sequence[Image.Image], dpi: int = 300, quality: int = 88) -> bytes:
    """One PDF of JPEG page images, as a document scanner writes it."""
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=list(pages[1:]),
                  resolution=float(dpi), quality=quality)
    return buffer.getvalue()


def save_pages(pages: Sequence[Image.Image], out: Path, dpi: int) -> None:
    """PNGs and one scanned-look PDF, to look at what a bench feeds the pipeline."""
    out.mkdir(parents=True, exist_ok=True)
    for i, page in enumerate(pages):
        page.save(out / f"page{i:03d}.png", dpi=(dpi, dpi))
    (out / "pages.pdf").write_bytes(scan_pdf(pages, dpi))
    print(f"{len(pages)} pages in {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    save_pages(list(dense_pages(args.count, args.dpi)), args.out, args.dpi)


if __name__ == "__main__":
    main()
