"""Made-up Vietnamese vocabulary for the generated bench pages, and a seeded filler for its slots.

Names, places and sentences of legal and form text; nothing here is real personal data.
"""

from __future__ import annotations

import random

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

