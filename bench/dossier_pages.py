"""The 6-page counter dossier of the latency benchmark: "Đăng ký khai sinh" (1.001193).

Each paper carries the text its real form carries (Tờ khai of TT 04/2020/TT-BTP, Giấy chứng
sinh of the health ministry, a Văn bản ủy quyền under the Civil Code, Mẫu CT07 of
TT 66/2023/TT-BCA), filled for one made-up family, so the fast path's provisional verdict and
the full reading's final one are judged on what a counter really receives, not on boilerplate.
The people agree across papers (mother, her ID number and birth date), as the consistency check
expects. No real personal data.

    .venv/bin/python -m bench.dossier_pages --out /tmp/dossier   # PNGs + pages.pdf to look at
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from bench.pages import save_pages, scanned
from bench.sheet import MOTTO, Sheet

DOSSIER_PROCEDURE = "1.001193"
DOSSIER_DOC_TYPES = ("to_khai_dang_ky_khai_sinh", "giay_chung_sinh", "van_ban_uy_quyen",
                     "giay_to_chung_minh_cu_tru")

MOTHER = ("Nguyễn Thị Lan", "14/07/1990", "025190001234")
FATHER = ("Trần Văn Hùng", "02/11/1988", "025088004567")
AUNT = ("Trần Thị Hạnh", "21/05/1985", "025185006789")
CHILD = ("Trần Minh Khôi", "12/03/2026")
HOME = "thôn Đông, xã Hòa Bình, tỉnh Phú Thọ"
SIGNED_AT = "Hòa Bình, ngày 20 tháng 03 năm 2026"


def _motto(sheet: Sheet, title: str) -> None:
    sheet.centred(MOTTO[0], sheet.f.bold)
    sheet.centred(MOTTO[1], sheet.f.bold, 1.8)
    sheet.centred(title, sheet.f.title, 1.6)


def _lines(sheet: Sheet, rows: Sequence[tuple[str, str]]) -> None:
    for label, value in rows:
        sheet.dotted(label, value)


def _birth_form(sheet: Sheet) -> None:
    _motto(sheet, "TỜ KHAI ĐĂNG KÝ KHAI SINH")
    sheet.text(sheet.left + sheet.mm(20), "Kính gửi: Ủy ban nhân dân xã Hòa Bình", sheet.f.regular)
    sheet.y += round(sheet.line * 1.4)
    _lines(sheet, (("Họ, chữ đệm, tên người yêu cầu:", MOTHER[0]),
                   ("Nơi cư trú:", HOME),
                   ("Giấy tờ tùy thân:", f"thẻ căn cước số {MOTHER[2]}"),
                   ("Quan hệ với người được khai sinh:", "mẹ")))
    sheet.paragraph("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:", indent_mm=0)
    _lines(sheet, (("Họ, chữ đệm, tên:", CHILD[0]),
                   ("Ngày, tháng, năm sinh:", CHILD[1]),
                   ("Ghi bằng chữ:",
                    "ngày mười hai tháng ba năm hai nghìn không trăm hai mươi sáu"),
                   ("Giới tính:", "Nam"), ("Dân tộc:", "Kinh"), ("Quốc tịch:", "Việt Nam"),
                   ("Nơi sinh:", "Bệnh viện đa khoa tỉnh Phú Thọ"),
                   ("Quê quán:", "xã Hòa Bình, tỉnh Phú Thọ"),
                   ("Số định danh cá nhân:", "chưa có")))
    for role, (name, born, pid) in (("mẹ", MOTHER), ("cha", FATHER)):
        _lines(sheet, ((f"Họ, chữ đệm, tên người {role}:", name),
                       ("Năm sinh:", born[-4:]), ("Dân tộc:", "Kinh"),
                       ("Quốc tịch:", "Việt Nam"), ("Nơi cư trú:", HOME),
                       ("Số định danh cá nhân:", pid)))


def _birth_form_closing(sheet: Sheet) -> None:
    sheet.paragraph("Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, "
                    "được sự thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.")
    sheet.paragraph("Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của "
                    "mình.")
    label = "Đề nghị cấp bản sao:"
    sheet.text(sheet.left, label, sheet.f.regular)
    x = sheet.left + sheet.f.regular.getlength(label) + sheet.mm(4)
    x = sheet.checkbox(x, True, "Có")
    sheet.checkbox(x, False, "Không")
    sheet.y += sheet.line
    sheet.dotted("Số lượng bản sao:", "02 bản")
    sheet.text(sheet.right - sheet.mm(40), f"Làm tại: {SIGNED_AT}", sheet.f.italic, "ma")
    sheet.y += sheet.line * 2
    sheet.signature("NGƯỜI YÊU CẦU", MOTHER[0])
    sheet.paragraph("Ghi chú: Trường hợp người yêu cầu đăng ký khai sinh không phải là cha, mẹ "
                    "của trẻ thì phải có văn bản ủy quyền theo quy định của pháp luật. Người đi "
                    "đăng ký khai sinh xuất trình bản chính giấy tờ tùy thân.", sheet.f.italic)


def _birth_certificate(sheet: Sheet) -> None:
    sheet.header(("SỞ Y TẾ TỈNH PHÚ THỌ", "BỆNH VIỆN ĐA KHOA TỈNH"), "Số: 1482/GCS", SIGNED_AT)
    sheet.centred("GIẤY CHỨNG SINH", sheet.f.title, 1.6)
    _lines(sheet, (("Quyển số:", "07"),
                   ("Họ và tên mẹ/Người nuôi dưỡng:", MOTHER[0]),
                   ("Năm sinh:", MOTHER[1][-4:]), ("Dân tộc:", "Kinh"),
                   ("Nơi đăng ký thường trú:", HOME),
                   ("Số định danh cá nhân:", MOTHER[2]),
                   ("Đã sinh con vào lúc:", f"08 giờ 35 phút, ngày {CHILD[1]}"),
                   ("Tại:", "Khoa Sản, Bệnh viện đa khoa tỉnh Phú Thọ"),
                   ("Số con trong lần sinh:", "01"), ("Giới tính của con:", "Nam"),
                   ("Cân nặng:", "3.200 gam"), ("Dự định đặt tên con:", CHILD[0]),
                   ("Ghi chú:", "sinh thường, mẹ và con khỏe mạnh")))
    sheet.y += sheet.line
    sheet.text(sheet.left + sheet.mm(30), "NGƯỜI ĐỠ ĐẺ", sheet.f.bold, "ma")
    sheet.text(sheet.left + sheet.mm(30), "(Ký, ghi rõ họ tên)", sheet.f.italic, "ma",
               y=sheet.y + sheet.line)
    sheet.text(sheet.left + sheet.mm(30), "Hoàng Thu Giang", sheet.f.bold, "ma",
               y=sheet.y + 5 * sheet.line)
    sheet.signature("GIÁM ĐỐC BỆNH VIỆN", "Phạm Quốc Bảo", seal=True)


def _proxy_parties(sheet: Sheet) -> None:
    _motto(sheet, "VĂN BẢN ỦY QUYỀN")
    for basis in ("Căn cứ Bộ luật Dân sự năm 2015;",
                  "Căn cứ Luật Hộ tịch năm 2014 và Nghị định số 123/2015/NĐ-CP quy định chi tiết "
                  "một số điều và biện pháp thi hành Luật Hộ tịch;"):
        sheet.paragraph(basis, sheet.f.italic)
    sheet.paragraph(f"Hôm nay, {SIGNED_AT.split(', ')[1]}, tại {HOME}, chúng tôi gồm:")
    for heading, (name, born, pid) in (("I. BÊN ỦY QUYỀN", MOTHER),
                                       ("II. BÊN ĐƯỢC ỦY QUYỀN", AUNT)):
        sheet.paragraph(heading, sheet.f.bold, indent_mm=0)
        _lines(sheet, (("Họ, chữ đệm, tên:", name), ("Ngày, tháng, năm sinh:", born),
                       ("Số định danh cá nhân:", pid), ("Nơi cư trú:", HOME)))
    sheet.paragraph("Quan hệ giữa bên ủy quyền và bên được ủy quyền: chị dâu và em chồng.",
                    indent_mm=0)
    sheet.paragraph("III. NỘI DUNG ỦY QUYỀN", sheet.f.bold, indent_mm=0)
    sheet.paragraph(f"Bên ủy quyền đồng ý ủy quyền cho bên được ủy quyền thay mặt mình thực hiện "
                    f"thủ tục đăng ký khai sinh cho cháu {CHILD[0]}, sinh ngày {CHILD[1]}, là con "
                    f"của bà {MOTHER[0]} và ông {FATHER[0]}, tại Ủy ban nhân dân xã Hòa Bình: "
                    "nộp hồ sơ, bổ sung giấy tờ theo yêu cầu của cơ quan đăng ký hộ tịch, ký vào "
                    "Sổ đăng ký khai sinh và nhận Giấy khai sinh cùng các bản sao.")


def _proxy_terms(sheet: Sheet) -> None:
    sheet.paragraph("IV. THỜI HẠN ỦY QUYỀN", sheet.f.bold, indent_mm=0)
    sheet.paragraph("Kể từ ngày ký văn bản này cho đến khi bên được ủy quyền nhận Giấy khai sinh "
                    "của cháu, nhưng không quá 30 ngày.")
    sheet.paragraph("V. CAM KẾT CỦA CÁC BÊN", sheet.f.bold, indent_mm=0)
    for promise in ("Bên ủy quyền chịu trách nhiệm trước pháp luật về mọi công việc do bên được "
                    "ủy quyền thực hiện trong phạm vi ủy quyền nêu trên.",
                    "Bên được ủy quyền thực hiện công việc đúng phạm vi ủy quyền, không ủy quyền "
                    "lại cho người khác và thông báo kết quả cho bên ủy quyền.",
                    "Văn bản ủy quyền được lập thành 02 bản, mỗi bên giữ 01 bản, có giá trị pháp "
                    "lý như nhau."):
        sheet.paragraph(promise)
    sheet.y += sheet.line
    top = sheet.y
    for centre, role, name in ((sheet.left + sheet.mm(35), "BÊN ĐƯỢC ỦY QUYỀN", AUNT[0]),
                               (sheet.right - sheet.mm(40), "BÊN ỦY QUYỀN", MOTHER[0])):
        sheet.text(centre, role, sheet.f.bold, "ma", y=top)
        sheet.text(centre, "(Ký, ghi rõ họ tên)", sheet.f.italic, "ma", y=top + sheet.line)
        sheet.text(centre, name, sheet.f.bold, "ma", y=top + 5 * sheet.line)


def _residence(sheet: Sheet) -> None:
    sheet.text(sheet.right, "Mẫu CT07 ban hành kèm theo Thông tư số 66/2023/TT-BCA",
               sheet.f.small, "ra", y=sheet.y - sheet.mm(8))
    sheet.header(("CÔNG AN TỈNH PHÚ THỌ", "CÔNG AN XÃ HÒA BÌNH"), "Số: 318/XN", SIGNED_AT)
    sheet.centred("XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ", sheet.f.title, 1.6)
    sheet.paragraph("Công an xã Hòa Bình xác nhận thông tin về cư trú của công dân như sau:")
    _lines(sheet, (("1. Họ, chữ đệm và tên:", MOTHER[0]),
                   ("2. Ngày, tháng, năm sinh:", MOTHER[1]), ("3. Giới tính:", "Nữ"),
                   ("4. Số định danh cá nhân:", MOTHER[2]), ("5. Dân tộc:", "Kinh"),
                   ("6. Nơi thường trú:", HOME), ("7. Nơi tạm trú:", "không"),
                   ("8. Nơi ở hiện tại:", HOME),
                   ("9. Họ, chữ đệm và tên chủ hộ:", FATHER[0]),
                   ("10. Quan hệ với chủ hộ:", "vợ")))
    sheet.paragraph("11. Thông tin về các thành viên khác trong hộ gia đình:", indent_mm=0)
    sheet.table((("TT", 0.08), ("Họ, chữ đệm và tên", 0.32), ("Ngày sinh", 0.18),
                 ("Số định danh cá nhân", 0.26), ("Quan hệ với chủ hộ", 0.16)),
                (("1", FATHER[0], FATHER[1], FATHER[2], "chủ hộ"),
                 ("2", MOTHER[0], MOTHER[1], MOTHER[2], "vợ")))
    sheet.paragraph("Xác nhận này có giá trị 30 ngày kể từ ngày cấp.", sheet.f.italic)
    sheet.signature("TRƯỞNG CÔNG AN XÃ", "Vũ Đức Dũng", seal=True)


def _page(body: Callable[[Sheet], None], dpi: int) -> Image.Image:
    sheet = Sheet(dpi)
    body(sheet)
    return sheet.image


def dossier_pages(dpi: int = 300) -> list[Image.Image]:
    """A 6-page dossier for "Đăng ký khai sinh" (1.001193) as a citizen hands it in.

    Tờ khai (2 pages), Giấy chứng sinh, Văn bản ủy quyền (2 pages), Xác nhận thông tin về cư trú
    (the last one as a scanned copy).
    """
    bodies = (_birth_form, _birth_form_closing, _birth_certificate, _proxy_parties,
              _proxy_terms)
    pages = [_page(body, dpi) for body in bodies]
    return [*pages, scanned(_page(_residence, dpi), random.Random(6))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    save_pages(dossier_pages(args.dpi), args.out, args.dpi)


if __name__ == "__main__":
    main()
