"""Dense, realistic generated pages for the speed and latency benchmarks (no real personal data).

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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
A4_MM = (210.0, 297.0)
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
INK = (20, 20, 24)
SEAL_RED = (200, 30, 40)

# ---------------------------------------------------------------- vocabulary (made up)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Thu", "Ngọc", "Quốc", "Hữu", "Thanh", "Hoài", "Bảo")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khôi", "Lan", "Linh",
         "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Thảo", "Thắng", "Trang", "Tuấn", "Yến")
COMMUNES = ("Hòa Bình", "Tân Phong", "Quảng Phú", "Yên Lạc", "Đông Hưng", "Phước Thạnh",
            "Thạch Bàn", "Nghĩa Đô", "Cẩm Lệ", "Vĩnh Tường", "Tam Nông", "Hưng Đạo")
PROVINCES = ("Phú Thọ", "Thanh Hóa", "Nghệ An", "Quảng Ngãi", "Đồng Tháp", "Lâm Đồng",
             "Bắc Ninh", "Tuyên Quang", "Hà Tĩnh", "Gia Lai", "Khánh Hòa", "Cà Mau")
HAMLETS = ("Đông", "Đoài", "Thượng", "Hạ", "Trung", "Bến Đò", "Gò Mây", "Cầu Tre", "Phú Lợi")
FIELDS = ("Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Lao động, người có công",
          "Bảo trợ xã hội", "Giáo dục và Đào tạo", "Văn hóa, thể thao", "Nông nghiệp", "Y tế",
          "Tài nguyên nước", "Thi đua, khen thưởng", "Hộ kinh doanh", "Giao thông")
LAND_USES = ("Đất ở tại nông thôn", "Đất trồng lúa", "Đất trồng cây lâu năm",
             "Đất nuôi trồng thủy sản", "Đất ở tại đô thị", "Đất rừng sản xuất")

PREAMBLE = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;",
    "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;",
    "Căn cứ Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 năm 2015 của Chính phủ quy định chi tiết "
    "một số điều và biện pháp thi hành Luật Hộ tịch;",
    "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ "
    "tục hành chính trên môi trường điện tử;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế "
    "một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Căn cứ Thông tư số 01/2023/TT-VPCP ngày 05 tháng 4 năm 2023 của Văn phòng Chính phủ quy định "
    "một số nội dung và biện pháp thi hành trong số hóa hồ sơ, kết quả giải quyết thủ tục hành "
    "chính;",
)

SENTENCES = (
    "Bộ phận Một cửa có trách nhiệm tiếp nhận, kiểm tra tính đầy đủ của thành phần hồ sơ, số hóa "
    "hồ sơ và trả kết quả giải quyết thủ tục hành chính cho tổ chức, cá nhân theo đúng thời hạn "
    "quy định.",
    "Trường hợp hồ sơ chưa đầy đủ, chưa hợp lệ, cán bộ tiếp nhận hướng dẫn người nộp bổ sung, hoàn "
    "thiện một lần bằng Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ theo Mẫu số 02.",
    "Kết quả số hóa phải bảo đảm tính chính xác, đầy đủ, toàn vẹn so với bản giấy và được ký số "
    "bởi cơ quan, tổ chức có thẩm quyền.",
    "Ủy ban nhân dân xã {xa} giao công chức Tư pháp - Hộ tịch phối hợp với Văn phòng Hội đồng nhân "
    "dân và Ủy ban nhân dân xã tổ chức thực hiện nội dung này.",
    "Hồ sơ, tài liệu sau khi số hóa được lưu trữ trong Kho quản lý dữ liệu điện tử của tổ chức, "
    "cá nhân trên Cổng Dịch vụ công quốc gia và được sử dụng để giải quyết các thủ tục hành chính "
    "tiếp theo.",
    "Người yêu cầu đăng ký hộ tịch phải chịu trách nhiệm về tính chính xác của thông tin đã cung "
    "cấp; trường hợp cố ý khai báo không đúng sự thật thì bị xử lý theo quy định của pháp luật.",
    "Thời hạn giải quyết không quá {n} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ; trường hợp "
    "phải xác minh thì thời hạn được kéo dài thêm không quá {m} ngày làm việc.",
    "Chi phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các "
    "nguồn kinh phí hợp pháp khác theo quy định.",
    "Thửa đất số {thua}, tờ bản đồ số {to}, diện tích {dt} m², mục đích sử dụng đất ở tại nông "
    "thôn, thời hạn sử dụng lâu dài, nguồn gốc được Nhà nước công nhận quyền sử dụng đất.",
    "Văn phòng đăng ký đất đai có trách nhiệm kiểm tra hồ sơ, xác nhận nội dung biến động vào "
    "Giấy chứng nhận đã cấp và cập nhật, chỉnh lý hồ sơ địa chính, cơ sở dữ liệu đất đai.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh kịp thời "
    "về Văn phòng để tổng hợp, báo cáo Chủ tịch Ủy ban nhân dân xem xét, giải quyết.",
    "Việc tiếp nhận hồ sơ được thực hiện vào giờ hành chính các ngày làm việc trong tuần; buổi "
    "sáng từ 07 giờ 30 phút đến 11 giờ 30 phút, buổi chiều từ 13 giờ 30 phút đến 17 giờ 00 phút.",
    "Công chức tiếp nhận kiểm tra bản chính giấy tờ xuất trình, đối chiếu với bản sao và ký xác "
    "nhận vào bản sao; không yêu cầu người nộp hồ sơ nộp thêm giấy tờ ngoài danh mục đã công bố.",
    "Tổng số hồ sơ tiếp nhận trong kỳ là {total} hồ sơ, trong đó tiếp nhận trực tuyến {online} hồ "
    "sơ, tiếp nhận trực tiếp và qua dịch vụ bưu chính công ích {offline} hồ sơ.",
    "Tỷ lệ hồ sơ được số hóa đạt {p}%, tăng {q}% so với cùng kỳ năm trước; tỷ lệ hồ sơ giải quyết "
    "đúng hạn đạt {r}%.",
    "Ông (bà) {ten}, sinh ngày {ngay}, số định danh cá nhân {cccd}, nơi cư trú tại thôn {thon}, "
    "xã {xa}, tỉnh {tinh}.",
    "Bên chuyển nhượng cam kết thửa đất không có tranh chấp, không bị kê biên để bảo đảm thi hành "
    "án và không thuộc trường hợp đã có quyết định thu hồi đất của cơ quan có thẩm quyền.",
    "Giá trị chuyển nhượng do hai bên tự thỏa thuận là {tien} đồng; việc thanh toán được thực hiện "
    "một lần bằng chuyển khoản ngay sau khi hợp đồng được công chứng.",
    "Hai bên cam kết thực hiện đúng và đầy đủ các nội dung đã thỏa thuận; nếu bên nào vi phạm thì "
    "phải bồi thường thiệt hại cho bên kia theo quy định của Bộ luật Dân sự.",
    "Cơ quan tiếp nhận có trách nhiệm bảo mật thông tin cá nhân của người nộp hồ sơ, chỉ sử dụng "
    "thông tin vào mục đích giải quyết thủ tục hành chính và lưu trữ theo quy định.",
    "Đề nghị Ủy ban nhân dân các xã, phường chỉ đạo bộ phận chuyên môn rà soát, cập nhật đầy đủ "
    "dữ liệu hộ tịch điện tử, hoàn thành trước ngày {ngay}.",
    "Báo cáo gửi về Sở Tư pháp bằng văn bản và qua Hệ thống quản lý văn bản và điều hành để tổng "
    "hợp, báo cáo Ủy ban nhân dân tỉnh theo quy định.",
    "Giấy tờ do cơ quan có thẩm quyền của nước ngoài cấp phải được hợp pháp hóa lãnh sự và dịch "
    "sang tiếng Việt, bản dịch được chứng thực theo quy định của pháp luật, trừ trường hợp được "
    "miễn.",
    "Trường hợp trẻ em sinh ra tại cơ sở y tế thì Giấy chứng sinh do cơ sở y tế đó cấp là căn cứ "
    "xác định nơi sinh, ngày, giờ sinh và giới tính của trẻ.",
    "Nội dung khai sinh bao gồm họ, chữ đệm và tên; giới tính; ngày, tháng, năm sinh; nơi sinh; "
    "quê quán; dân tộc; quốc tịch và thông tin của cha, mẹ.",
    "Mọi hành vi vi phạm về đất đai phải được phát hiện, ngăn chặn và xử lý kịp thời, nghiêm minh "
    "theo đúng quy định của pháp luật.",
    "Các phòng, ban chuyên môn, Trưởng thôn {thon} và các cá nhân có liên quan chịu trách nhiệm "
    "thi hành nội dung này kể từ ngày ký.",
    "Sau khi nhận đủ giấy tờ, nếu thấy thông tin khai sinh đầy đủ và phù hợp, công chức Tư pháp - "
    "Hộ tịch ghi nội dung khai sinh vào Sổ hộ tịch và cập nhật vào Cơ sở dữ liệu hộ tịch điện tử.",
    "Người đi đăng ký xuất trình bản chính một trong các giấy tờ là hộ chiếu, thẻ căn cước hoặc "
    "giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử "
    "dụng.",
    "Hộ gia đình, cá nhân đang sử dụng đất ổn định, không vi phạm pháp luật về đất đai, nay đề "
    "nghị được đăng ký biến động do nhận chuyển nhượng quyền sử dụng đất.",
)

SUBJECTS = (
    "Về việc ban hành Quy chế tiếp nhận, số hóa và trả kết quả hồ sơ thủ tục hành chính",
    "Về việc công nhận kết quả rà soát dữ liệu hộ tịch điện tử năm 2025",
    "Về việc cho phép chuyển mục đích sử dụng đất của hộ gia đình, cá nhân",
    "Về việc kiện toàn Bộ phận Tiếp nhận và Trả kết quả giải quyết thủ tục hành chính",
)


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


class Filler:
    """Seeded values for the slots of the sentences: names, places, numbers, dates."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def name(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def date(self) -> str:
        r = self.rng
        return f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(1950, 2025)}"

    def person_id(self) -> str:
        return "0" + "".join(str(self.rng.randint(0, 9)) for _ in range(11))

    def slots(self) -> dict[str, object]:
        r = self.rng
        total = r.randint(800, 4000)
        online = r.randint(total // 3, total - 100)
        return dict(xa=r.choice(COMMUNES), tinh=r.choice(PROVINCES), thon=r.choice(HAMLETS),
                    ten=self.name(), ngay=self.date(), cccd=self.person_id(),
                    n=r.choice((3, 5, 7, 10, 15)), m=r.choice((3, 5, 10)),
                    thua=r.randint(10, 999), to=r.randint(1, 60),
                    dt=f"{r.randint(60, 2500)},{r.randint(0, 9)}",
                    total=f"{total:,}".replace(",", "."), online=f"{online:,}".replace(",", "."),
                    offline=f"{total - online:,}".replace(",", "."),
                    p=f"{r.randint(70, 99)},{r.randint(0, 9)}",
                    q=f"{r.randint(1, 25)},{r.randint(0, 9)}",
                    r=f"{r.randint(90, 99)},{r.randint(0, 9)}",
                    tien=f"{r.randint(150, 4800) * 1_000_000:,}".replace(",", "."))

    def paragraph(self, sentences: int) -> str:
        picked = self.rng.sample(SENTENCES, sentences)
        return " ".join(s.format(**self.slots()) for s in picked)


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


# ---------------------------------------------------------------- a counter dossier
def _titled(title: str, issuer: Sequence[str] | None, seed: int, dpi: int,
            body: Callable[[Sheet, Filler], None]) -> Image.Image:
    rng = random.Random(seed)
    sheet = Sheet(dpi)
    fill = Filler(rng)
    if issuer:
        sheet.header(issuer, f"Số: {rng.randint(10, 999)}/GCS", _place_date(rng))
    else:
        sheet.centred(MOTTO[0], sheet.f.bold)
        sheet.centred(MOTTO[1], sheet.f.bold, 1.8)
    sheet.centred(title, sheet.f.title, 1.6)
    body(sheet, fill)
    return sheet.image


def _continued(seed: int, dpi: int, closing: bool) -> Image.Image:
    rng = random.Random(seed)
    sheet = Sheet(dpi)
    fill = Filler(rng)
    sheet.y += sheet.line
    while sheet.room > sheet.line * (10 if closing else 2):
        if not sheet.paragraph(fill.paragraph(2)):
            break
    if closing:
        sheet.signature("NGƯỜI YÊU CẦU", fill.name())
    return sheet.image


def _form_body(sheet: Sheet, fill: Filler) -> None:
    sheet.text(sheet.left + sheet.mm(20), "Kính gửi: Ủy ban nhân dân xã Hòa Bình", sheet.f.regular)
    sheet.y += round(sheet.line * 1.4)
    for label, value in (("Họ, chữ đệm, tên người yêu cầu:", "Nguyễn Thị Lan"),
                         ("Nơi cư trú:", "thôn Đông, xã Hòa Bình, tỉnh Phú Thọ"),
                         ("Giấy tờ tùy thân:", "thẻ căn cước số 025190001234"),
                         ("Quan hệ với người được khai sinh:", "mẹ")):
        sheet.dotted(label, value)
    sheet.paragraph("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", indent_mm=0)
    for label, value in (("Họ, chữ đệm, tên:", "Trần Minh Khôi"), ("Ngày, tháng, năm sinh:",
                         "12/03/2026"), ("Giới tính:", "Nam"), ("Dân tộc:", "Kinh"),
                         ("Quốc tịch:", "Việt Nam"),
                         ("Nơi sinh:", "Bệnh viện đa khoa tỉnh Phú Thọ"),
                         ("Quê quán:", "xã Hòa Bình, tỉnh Phú Thọ")):
        sheet.dotted(label, value)
    _fill_paragraphs(sheet, fill)


def _plain_body(sheet: Sheet, fill: Filler) -> None:
    sheet.dotted("Họ và tên:", fill.name())
    sheet.dotted("Nơi cư trú:", "thôn Đông, xã Hòa Bình, tỉnh Phú Thọ")
    _fill_paragraphs(sheet, fill)


def dossier_pages(dpi: int = 300) -> list[Image.Image]:
    """A 6-page dossier for "Đăng ký khai sinh" (1.001193) as a citizen hands it in.

    Tờ khai (2 pages), Giấy chứng sinh, Văn bản ủy quyền (2 pages), Xác nhận thông tin về cư trú.
    """
    return [
        _titled("TỜ KHAI ĐĂNG KÝ KHAI SINH", None, 1, dpi, _form_body),
        _continued(7, dpi, closing=True),
        _titled("GIẤY CHỨNG SINH", ("SỞ Y TẾ TỈNH PHÚ THỌ", "BỆNH VIỆN ĐA KHOA TỈNH"), 3, dpi,
                _plain_body),
        _titled("VĂN BẢN ỦY QUYỀN", None, 4, dpi, _plain_body),
        _continued(15, dpi, closing=True),
        scanned(_titled("XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ",
                        ("CÔNG AN TỈNH PHÚ THỌ", "CÔNG AN XÃ HÒA BÌNH"), 6, dpi, _plain_body),
                random.Random(6)),
    ]


DOSSIER_PROCEDURE = "1.001193"
DOSSIER_DOC_TYPES = ("to_khai_dang_ky_khai_sinh", "giay_chung_sinh", "van_ban_uy_quyen",
                     "giay_to_chung_minh_cu_tru")


# ---------------------------------------------------------------- files
def scan_pdf(pages: Sequence[Image.Image], dpi: int = 300, quality: int = 88) -> bytes:
    """One PDF of JPEG page images, as a document scanner writes it."""
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=list(pages[1:]),
                  resolution=float(dpi), quality=quality)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--dossier", action="store_true", help="the 6-page counter dossier")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pages = dossier_pages(args.dpi) if args.dossier else list(dense_pages(args.count, args.dpi))
    for i, page in enumerate(pages):
        page.save(args.out / f"page{i:03d}.png", dpi=(args.dpi, args.dpi))
    (args.out / "pages.pdf").write_bytes(scan_pdf(pages, args.dpi))
    print(f"{len(pages)} pages in {args.out}")


if __name__ == "__main__":
    main()
