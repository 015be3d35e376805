"""Generated Vietnamese scan pages for tests and benchmarks (no real personal data).

Pages are A4 at the requested dpi, typeset in Liberation Serif (Times-like, with Vietnamese
glyphs; Debian fonts-liberation2), with the official two-column header, a capitalised title and
a body, like the one-stop forms of DOMAIN.md §5.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
A4_INCHES = (8.27, 11.69)
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class PageSpec:
    """What goes on one page: optional header and title, then body lines."""

    title: str | None
    body: tuple[str, ...]
    issuer: str | None = None
    header: bool = True


def font(size_pt: float, dpi: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), round(size_pt * dpi / 72))


def render_page(spec: PageSpec, dpi: int = 300) -> Image.Image:
    width, height = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    margin = round(0.8 * dpi)
    y = round(0.6 * dpi)
    regular, bold = font(13, dpi), font(13, dpi, bold=True)
    line_height = round(13 * dpi / 72 * 1.5)
    if spec.header:
        if spec.issuer:
            draw.text((margin, y), spec.issuer, font=bold, fill="black")
        draw.text((width - margin, y), MOTTO[0], font=bold, fill="black", anchor="ra")
        draw.text((width - margin - round(0.45 * dpi), y + line_height), MOTTO[1], font=bold,
                  fill="black", anchor="ra")
        y += 3 * line_height
    if spec.title:
        draw.text((width // 2, y), spec.title, font=font(15, dpi, bold=True), fill="black",
                  anchor="ma")
        y += 2 * line_height
    for line in spec.body:
        draw.text((margin, y), line, font=regular, fill="black")
        y += line_height
    return page


def to_pdf(pages: Sequence[Image.Image], dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=list(pages[1:]),
                  resolution=float(dpi))
    return buffer.getvalue()


def to_png(page: Image.Image, dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def to_tiff(pages: Sequence[Image.Image], dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=list(pages[1:]),
                  dpi=(dpi, dpi), compression="tiff_lzw")
    return buffer.getvalue()


BIRTH_FORM = PageSpec(
    title="TỜ KHAI ĐĂNG KÝ KHAI SINH",
    body=(
        "Kính gửi: Ủy ban nhân dân xã Hòa Bình",
        "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Lan",
        "Nơi cư trú: thôn Đông, xã Hòa Bình, tỉnh Phú Thọ",
        "Quan hệ với người được khai sinh: mẹ",
        "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
        "Họ, chữ đệm, tên: Trần Minh Khôi",
        "Ngày, tháng, năm sinh: 12/03/2026",
    ),
)
BIRTH_FORM_CONTINUED = PageSpec(
    title=None, header=False,
    body=(
        "Nơi sinh: Bệnh viện đa khoa tỉnh Phú Thọ",
        "Dân tộc: Kinh. Quốc tịch: Việt Nam",
        "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật",
        "và chịu trách nhiệm trước pháp luật về cam đoan của mình.",
    ),
)
BIRTH_CERTIFICATE = PageSpec(
    title="GIẤY CHỨNG SINH", issuer="BỆNH VIỆN ĐA KHOA TỈNH",
    body=(
        "Họ và tên mẹ: Nguyễn Thị Lan",
        "Nơi đăng ký thường trú: thôn Đông, xã Hòa Bình",
        "Đã sinh con vào lúc 08 giờ 30 phút, ngày 12 tháng 3 năm 2026",
        "Số con trong lần sinh: 01. Giới tính của con: Nam",
        "Cân nặng: 3200 gam. Dự định đặt tên con: Trần Minh Khôi",
    ),
)
DEATH_FORM = PageSpec(
    title="TỜ KHAI ĐĂNG KÝ KHAI TỬ",
    body=(
        "Kính gửi: Ủy ban nhân dân phường Đống Đa",
        "Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:",
        "Nguyên nhân chết: bệnh già",
    ),
)
LAND_TRANSFER_FORM = PageSpec(
    title="ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
    body=("Kính gửi: Văn phòng đăng ký đất đai tỉnh", "Thửa đất số 120, tờ bản đồ số 15"),
)
