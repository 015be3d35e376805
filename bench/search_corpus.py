"""The generated document corpus of the search benchmark, and its loaders (SQLite and PostgreSQL).

Documents are generated from the procedure catalogue and the document types (titles, form
phrases), Faker ``vi_VN`` surnames and middle names, 12-digit ID numbers, addresses and dates;
about 10% carry OCR-like tone-mark errors. They are loaded with the real index code (SQLite:
``SqliteBackend.insert``; PostgreSQL: COPY of the same tsvector literals).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from faker import Faker
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from classify.catalogue.loader import load_catalogue
from classify.doctypes import load_document_types
from ingest.text import nfc
from storage.db import make_engine, migrate
from storage.search.entries import Entry, Source, make_entry
from storage.search.index import free_key
from storage.search.sqlite import SqliteBackend
from storage.search.tokens import fold_tokens, tsvector_literal
from storage.tables import Document, Dossier, Job, UploadedFile

ICT = dt.timezone(dt.timedelta(hours=7))
GIVEN = ("An", "Anh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dung", "Duy", "Giang", "Hà",
         "Hải", "Hạnh", "Hằng", "Hiếu", "Hoa", "Hòa", "Hùng", "Huy", "Hương", "Khánh", "Lan",
         "Linh", "Loan", "Long", "Mai", "Minh", "My", "Nam", "Nga", "Ngọc", "Nhung", "Phong",
         "Phúc", "Phương", "Quang", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang",
         "Trung", "Tuấn", "Tùng", "Tuyết", "Uyên", "Vân", "Việt", "Vy", "Yến")
PROVINCES = ("001", "031", "036", "038", "040", "046", "048", "075", "079", "092")
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
SENTENCES = (
    "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định của pháp luật.",
    "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
    "pháp luật về cam đoan của mình.",
    "Thửa đất số {n}, tờ bản đồ số {m}, diện tích {n}{m} m2, mục đích sử dụng: đất trồng lúa.",
    "Hợp đồng chuyển nhượng quyền sử dụng đất được công chứng tại Văn phòng công chứng {ward}.",
    "Nguồn gốc sử dụng đất: nhận thừa kế từ cha mẹ, sử dụng ổn định, không tranh chấp.",
    "Người được ủy quyền có trách nhiệm thực hiện đúng nội dung ủy quyền.",
    "Nơi đăng ký tạm trú: {address}; thời hạn tạm trú đến ngày {date}.",
    "Quan hệ với người được khai sinh: mẹ đẻ; nơi sinh: Bệnh viện đa khoa tỉnh.",
    "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất "
    "số vào sổ CS {n}{m}.",
    "Ngành, nghề kinh doanh: bán lẻ lương thực, thực phẩm; vốn kinh doanh {n}0.000.000 đồng.",
    "Bản sao được chứng thực từ bản chính, số chứng thực {n}, quyển số {m}/SCT/BS.",
    "Lệ phí đã nộp theo biên lai số {n}{m}; hồ sơ gồm {m} thành phần.",
    "Tình trạng hôn nhân: chưa đăng ký kết hôn với ai tại Việt Nam và nước ngoài.",
    "Ý kiến của chủ hộ: đồng ý cho đăng ký thường trú vào chỗ ở hợp pháp.",
    "Nguyên nhân chết: bệnh; nơi chết: tại nhà riêng, {address}.",
)
TONE_ERRORS = str.maketrans({"ể": "ế", "ổ": "ố", "ả": "á", "ỏ": "ó", "ẩ": "ấ", "ở": "ớ"})


@dataclass(frozen=True)
class Probe:
    """Values taken from the generated data, for the look-up queries."""

    code: str
    person_id: str
    name: str
    unit: str


Batch = list[tuple[dict[str, Any], list[Source]]]


class Generator:
    """Deterministic dossiers and documents (seeded): ``dossiers(n_documents)``."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        faker = Faker("vi_VN")
        faker.seed_instance(seed)
        self.surnames = [faker.last_name() for _ in range(400)]
        self.middles = [faker.middle_name() for _ in range(400)]
        self.streets = [faker.street_address() for _ in range(2000)]
        self.wards = [f"phường {faker.street_name()}" for _ in range(300)]
        self.provinces = [faker.province() for _ in range(60)]
        self.units = [f"000.{a:02d}.{b:02d}.H{p:02d}" for p in (5, 29, 52) for a in (0, 1)
                      for b in range(10, 30)]
        catalogue, self.types = load_catalogue(), load_document_types()
        self.procedures = [(code, [c.doc_types[0] for c in p.versions[-1].components])
                           for code, p in sorted(catalogue.procedures.items())]
        self.sequence: dict[str, int] = {}
        self.taken: set[int] = set()
        self.probe: Probe | None = None

    def name(self) -> str:
        return f"{self.rng.choice(self.surnames)} {self.rng.choice(self.middles)} " \
               f"{self.rng.choice(GIVEN)}"

    def person_id(self, born: int) -> str:
        century = (0 if born < 2000 else 2) + self.rng.randint(0, 1)
        return f"{self.rng.choice(PROVINCES)}{century}{born % 100:02d}" \
               f"{self.rng.randint(0, 999_999):06d}"

    def address(self) -> str:
        return f"{self.rng.choice(self.streets)}, {self.rng.choice(self.wards)}, " \
               f"{self.rng.choice(self.provinces)}"

    def text(self, title: str, name: str, person_id: str, received: dt.datetime) -> str:
        r = self.rng
        lines = [MOTTO, title.upper(), f"Kính gửi: Ủy ban nhân dân {r.choice(self.wards)}",
                 f"Họ, chữ đệm, tên: {name}", f"Ngày, tháng, năm sinh: {r.randint(1, 28):02d}/"
                 f"{r.randint(1, 12):02d}/{r.randint(1950, 2005)}",
                 f"Số định danh cá nhân: {person_id}", f"Nơi cư trú: {self.address()}"]
        for sentence in r.sample(SENTENCES, r.randint(3, 7)):
            lines.append(sentence.format(n=r.randint(1, 99), m=r.randint(1, 9),
                                         ward=r.choice(self.wards), address=self.address(),
                                         date=f"{r.randint(1, 28)}/{r.randint(1, 12)}/2027"))
        lines += [f"{r.choice(self.provinces)}, ngày {received.day} tháng {received.month} "
                  f"năm {received.year}", "NGƯỜI YÊU CẦU", "(Ký, ghi rõ họ tên)", name]
        body = "\n".join(lines)
        noise = r.random()
        return body.translate(TONE_ERRORS) if noise < 0.08 else body

    def dossier(self) -> tuple[dict[str, Any], list[Source]]:
        r = self.rng
        code, doc_types = r.choice(self.procedures)
        unit = r.choice(self.units)
        received = dt.datetime(2016, 1, 1, 7, tzinfo=ICT) + dt.timedelta(
            seconds=r.randint(0, 3_950 * 86_400))
        prefix = f"{unit}-{received:%y%m%d}"
        self.sequence[prefix] = self.sequence.get(prefix, 0) + 1
        row: dict[str, Any] = {"id": str(uuid.UUID(int=r.getrandbits(128))), "code":
               f"{prefix}-{self.sequence[prefix]:04d}", "unit": unit, "procedure_code": code,
               "status": "archived" if r.random() < 0.7 else "open", "received_at": received}
        name, person_id = self.name(), self.person_id(r.randint(1950, 2005))
        if self.probe is None:
            self.probe = Probe(row["code"], person_id, name, unit)
        documents = [self.document(row, i + 1, t, name, person_id)
                     for i, t in enumerate(doc_types[:r.randint(2, 6)])]
        return row, documents

    def document(self, row: dict[str, Any], ordinal: int, doc_type: str, name: str,
                 person_id: str) -> Source:
        known = self.types.types.get(doc_type)
        title = known.titles[0] if known and known.titles else doc_type.replace("_", " ")
        type_name = known.name if known else title.capitalize()
        return Source(row["id"], row["code"], row["unit"], row["procedure_code"], row["status"],
                      row["received_at"], str(uuid.UUID(int=self.rng.getrandbits(128))),
                      ordinal, doc_type, type_name,
                      nfc(self.text(title, name, person_id, row["received_at"])),
                      {"ho_ten": name, "so_dinh_danh": person_id})

    def batches(self, documents: int, size: int = 2_000) -> Iterator[Batch]:
        made, batch = 0, []
        while made < documents:
            row, sources = self.dossier()
            sources = sources[:documents - made]
            made += len(sources)
            batch.append((row, sources))
            if len(batch) == size or made >= documents:
                yield batch
                batch = []

    def entries(self, sources: Sequence[Source]) -> list[Entry]:
        return [make_entry(free_key(s.received_at, s.dossier_id, s.ordinal, self.taken), s)
                for s in sources]


HOLDER = "00000000-0000-0000-0000-000000000000"  # one dossier, file and job all documents cite


def _holder_rows(session: Session) -> None:
    session.add(Dossier(id=HOLDER, code="BENCH-000000-0000", unit="000.00.00.H00",
                        procedure_code="0.000000", procedure_decision="-", catalogue_version="-",
                        channel="truc_tiep", received_at=dt.datetime(2000, 1, 1, tzinfo=ICT),
                        answers={}, status="open"))
    session.flush()
    session.add(UploadedFile(id=HOLDER, dossier_id=HOLDER, filename="bench.pdf",
                             media_type="application/pdf", size=1, sha256="0" * 64, page_count=1,
                             s3_key="bench"))
    session.flush()
    session.add(Job(id=HOLDER, dossier_id=HOLDER, file_id=HOLDER, status="done", stage="done"))
    session.commit()


def _dossier_row(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"procedure_decision": "-", "catalogue_version": "bench", "channel": "truc_tiep",
                  "answers": {}, "completeness": None}


def _document_row(s: Source) -> dict[str, Any]:
    return {"id": s.document_id, "dossier_id": s.dossier_id, "job_id": HOLDER,
            "ordinal": s.ordinal, "doc_type": s.doc_type, "doc_type_name": s.doc_type_name,
            "confidence": 0.95, "needs_review": False, "reason": "bench", "pages": [0],
            "mean_confidence": 94.0, "text": s.text, "pdf_key": "-", "pdf_sha256": "-",
            "text_key": "-", "pdfa": True, "page_info": [], "fields": dict(s.fields or {})}


class SqliteTarget:
    """Rows through the real insert code (``SqliteBackend.insert``), committed per batch."""

    name = "sqlite"

    def __init__(self, engine: Engine) -> None:
        self.engine, self.backend = engine, SqliteBackend()
        self.session = Session(engine)

    def begin(self) -> None:
        _holder_rows(self.session)

    def write(self, batch: Batch, entries: Sequence[Entry]) -> None:
        self.session.execute(insert(Dossier), [_dossier_row(r) for r, _ in batch])
        self.session.execute(insert(Document), [_document_row(s) for _, g in batch for s in g])
        self.backend.insert(self.session, entries)
        self.session.commit()

    def finish(self) -> None:
        self.backend.optimize(self.session)  # what reindex_all does after a rebuild
        self.session.commit()
        self.session.close()


ENTRY_COLUMNS = ("id", "dossier_id", "document_id", "dossier_code", "unit", "procedure_code",
                 "doc_type", "status", "received_at", "exact_tsv", "folded_tsv")
JSON_COLUMNS = {"answers", "pages", "page_info", "fields"}


def _copy(cursor: Any, table: str, rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
          columns: Sequence[str] | None = None) -> None:
    if not rows:
        return
    names = list(columns or rows[0])
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            values = [row[c] for c in names] if isinstance(row, dict) else row
            copy.write_row([json.dumps(v, ensure_ascii=False) if c in JSON_COLUMNS else v
                            for c, v in zip(names, values, strict=True)])


class PostgresTarget:
    """COPY with the search indexes dropped, rebuilt afterwards from their own definitions."""

    name = "postgresql"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.raw = engine.raw_connection()
        self.connection: Any = self.raw.driver_connection
        self.indexes: list[tuple[str, str]] = []

    def begin(self) -> None:
        with Session(self.engine) as session:
            _holder_rows(session)
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                           "('search_entries', 'search_people') AND indexname NOT LIKE 'pk_%'")
            self.indexes = cursor.fetchall()
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        self.connection.commit()

    def write(self, batch: Batch, entries: Sequence[Entry]) -> None:
        now = dt.datetime.now(dt.UTC)
        with self.connection.cursor() as cursor:
            _copy(cursor, "dossiers", [_dossier_row(r) for r, _ in batch])
            _copy(cursor, "documents", [_document_row(s) | {"created_at": now}
                                        for _, group in batch for s in group])
            _copy(cursor, "search_entries", [
                [e.id, e.dossier_id, e.document_id, e.dossier_code, e.unit, e.procedure_code,
                 e.doc_type, e.status, e.received_at, tsvector_literal(e.tokens),
                 tsvector_literal(fold_tokens(e.tokens))] for e in entries], ENTRY_COLUMNS)
            _copy(cursor, "search_people", [[e.id, p.person_id, p.name_exact, p.name_folded]
                                            for e in entries for p in e.people],
                  ("entry_id", "person_id", "name_exact", "name_folded"))
        self.connection.commit()

    def finish(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _name, definition in self.indexes:
                cursor.execute(definition)
        self.connection.commit()
        self.connection.autocommit = True
        self.connection.execute("VACUUM ANALYZE")
        self.raw.close()


def load(targets: Sequence[SqliteTarget | PostgresTarget], generator: Generator,
         rows: int) -> dict[str, float]:
    """Generate once, write every batch to every target; seconds spent per target."""
    spent = {t.name: 0.0 for t in targets} | {"generate": 0.0}
    clock = time.perf_counter()
    for target in targets:
        target.begin()
    for batch in generator.batches(rows):
        entries = generator.entries([s for _, group in batch for s in group])
        spent["generate"] += time.perf_counter() - clock
        for target in targets:
            clock = time.perf_counter()
            target.write(batch, entries)
            spent[target.name] += time.perf_counter() - clock
        clock = time.perf_counter()
    for target in targets:
        clock = time.perf_counter()
        target.finish()
        spent[target.name] += time.perf_counter() - clock
    return spent



def load_one(name: str, url: str, rows: int) -> tuple[dict[str, float], Probe]:
    """Load one database in this process (both databases load at once, one process each)."""
    engine = make_engine(url)
    try:
        migrate(engine)
        generator = Generator()
        target = SqliteTarget(engine) if name == "sqlite" else PostgresTarget(engine)
        spent = load([target], generator, rows)
        assert generator.probe is not None
        return spent, generator.probe
    finally:
        engine.dispose()
