"""Fake but well-formed personal and administrative data for the generated corpus (no real
person): Faker ``vi_VN`` names, places and companies, and identifiers valid per DOMAIN.md §6
(12-digit số định danh consistent with the birth date, 9-digit CMND, passport, MST, GCN serial,
số ký hiệu). Everything is drawn from one seeded :class:`random.Random`, so a document seed always
yields the same values.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from faker import Faker
from faker.providers.address.vi_VN import Provider as Places
from faker.providers.person.vi_VN import Provider as People

from classify.fields.identifiers import PROVINCE_CODES

ETHNIC_GROUPS = ("Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông")
RELATIONS = ("mẹ", "cha", "ông nội", "bà ngoại", "anh ruột", "chị ruột", "con", "vợ", "chồng")
COMMUNE_KINDS = ("xã", "xã", "phường", "phường", "đặc khu")
ISSUER_PARENTS = ("BỘ TÀI CHÍNH", "BỘ TƯ PHÁP", "BỘ XÂY DỰNG", "BỘ Y TẾ", "BỘ CÔNG AN",
                  "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BỘ QUỐC PHÒNG", "BỘ NỘI VỤ")
ISSUER_BODIES = ("CỤC THUẾ", "VỤ PHÁP CHẾ", "CỤC QUẢN LÝ HOẠT ĐỘNG XÂY DỰNG", "VĂN PHÒNG BỘ",
                 "CỤC HỘ TỊCH, QUỐC TỊCH, CHỨNG THỰC", "CỤC ĐĂNG KÝ VÀ DỮ LIỆU THÔNG TIN ĐẤT ĐAI",
                 "THANH TRA BỘ", "CỤC KẾ HOẠCH - TÀI CHÍNH")
ISSUER_ABBREVIATIONS = ("UBND", "STP", "SXD", "VP", "CT", "BTC", "TTHC", "VPĐK", "BCĐ", "HĐND")
_TWO_LETTERS = "ABCDEGHKLMNPQRSTVXY"


_FAKER: list[Faker] = []


def _faker() -> Faker:
    """One Faker per process (building one takes milliseconds; seeding is per document)."""
    if not _FAKER:
        _FAKER.append(Faker("vi_VN"))
    return _FAKER[0]


class FakeData:
    """Values for one document; the same ``seed`` gives the same values."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.faker = _faker()
        self.faker.seed_instance(seed)
        self._cache: dict[str, str] = {}
        self.birth = self._birth_date()

    # ------------------------------------------------------------------ people
    def person_name(self, female: bool | None = None) -> str:
        if female is None:
            female = self.rng.random() < 0.5
        first = self.rng.choice(People.first_names_female if female else People.first_names_male)
        middle = "Thị" if female and self.rng.random() < 0.5 \
            else self.rng.choice(People.middle_names)
        return f"{self.rng.choice(People.last_names)} {middle} {first}"

    def _birth_date(self) -> date:
        return date(1950, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 55))

    def personal_id(self, birth: date) -> str:
        """12 digits: province, sex-and-century, two digits of the year, six random digits."""
        province = self.rng.choice(sorted(PROVINCE_CODES))
        century = (birth.year - 1900) // 100
        sex = self.rng.randrange(2)
        return f"{province}{2 * century + sex}{birth.year % 100:02d}{self.rng.randrange(10**6):06d}"

    def cmnd(self) -> str:
        return f"{self.rng.randrange(10**8, 4 * 10**8)}"

    def passport(self) -> str:
        return f"{self.rng.choice('BCN')}{self.rng.randrange(10**7):07d}"

    def tax_code(self) -> str:
        return f"{self.rng.randrange(10**9, 10**10)}"

    # ------------------------------------------------------------------ places and bodies
    def commune(self) -> str:
        name = self.rng.choice(Places.communes)
        return f"{self.rng.choice(COMMUNE_KINDS)} {name}"

    def province(self) -> str:
        name = self.rng.choice(Places.provinces)
        return f"thành phố {name}" if name in ("Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ") \
            else f"tỉnh {name}"

    def address(self) -> str:
        return (f"số {self.rng.randrange(1, 300)} {self.faker.street_name()}, {self.commune()}, "
                f"{self.province()}")

    def company(self) -> str:
        kind = self.rng.choice(("Công ty TNHH", "Công ty cổ phần", "Công ty TNHH một thành viên"))
        return (f"{kind} {self.rng.choice(People.last_names)} "
                f"{self.rng.choice(People.first_names_male)}")

    # ------------------------------------------------------------------ dates, numbers
    def recent_date(self) -> date:
        return date(2024, 1, 1) + timedelta(days=self.rng.randrange(0, 900))

    def long_date(self, day: date) -> str:
        return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

    def money(self) -> str:
        return f"{self.rng.randrange(1, 900) * 50_000:,}".replace(",", ".") + " đồng"

    def gcn_serial(self) -> str:
        return f"{self.rng.choice(_TWO_LETTERS)}{self.rng.choice(_TWO_LETTERS)} " \
               f"{self.rng.randrange(10**6):06d}"

    def number_notation(self, abbreviation: str) -> str:
        issuer = self.rng.choice(ISSUER_ABBREVIATIONS)
        year = f"{self.rng.choice((2024, 2025, 2026))}/" if self.rng.random() < 0.15 else ""
        return f"{self.rng.randrange(1, 3000)}/{year}{abbreviation}-{issuer}"

    def sentence(self) -> str:
        return str(self.faker.sentence(nb_words=self.rng.randrange(8, 16)))

    # ------------------------------------------------------------------ placeholders
    def value(self, key: str) -> str:
        """The value of a ``{key}`` placeholder; keys without a digit suffix are shared by the
        whole document ("{name}" is one person), "{name2}" is another."""
        if key not in self._cache:
            self._cache[key] = self._fresh(key.rstrip("0123456789"))
        return self._cache[key]

    def _fresh(self, kind: str) -> str:
        makers: dict[str, Callable[[], str]] = {
            "name": self.person_name, "female": lambda: self.person_name(True),
            "male": lambda: self.person_name(False),
            "dob": lambda: self.birth.strftime("%d/%m/%Y"),
            "cccd": lambda: self.personal_id(self.birth),
            "otherid": lambda: self.personal_id(self._birth_date()),
            "cmnd": self.cmnd, "passport": self.passport, "mst": self.tax_code,
            "phone": lambda: f"0{self.rng.choice('389')}{self.rng.randrange(10**8):08d}",
            "address": self.address, "commune": self.commune, "province": self.province,
            "company": self.company, "date": lambda: self.recent_date().strftime("%d/%m/%Y"),
            "longdate": lambda: self.long_date(self.recent_date()),
            "year": lambda: str(self.rng.randrange(2015, 2027)), "money": self.money,
            "num": lambda: str(self.rng.randrange(1, 500)), "serial": self.gcn_serial,
            "area": lambda: f"{self.rng.randrange(30, 900)},{self.rng.randrange(10)} m²",
            "ethnic": lambda: self.rng.choice(ETHNIC_GROUPS),
            "sex": lambda: self.rng.choice(("Nam", "Nữ")),
            "relation": lambda: self.rng.choice(RELATIONS), "job": self.faker.job,
            "street": self.faker.street_name, "sentence": self.sentence,
            "time": lambda: f"{self.rng.randrange(24):02d} giờ {self.rng.randrange(60):02d} phút",
        }
        maker = makers.get(kind)
        if maker is None:
            raise KeyError(f"unknown placeholder {{{kind}}}")
        return maker()
