"""Search on SQLite (FTS5) and PostgreSQL (tsvector): the same assertions on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from storage import repository as repo
from storage.db import make_engine, make_session_factory, migrate
from storage.search import (
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    RESULT_WINDOW,
    InvalidQuery,
    SearchQuery,
    SearchResult,
    index_document,
    index_dossier,
    reindex_all,
    remove_document,
    remove_dossier,
    render,
    search,
)
from storage.search.tokens import fold_tokens, tokenize, tsvector_literal
from storage.tables import Document, Dossier

ICT = dt.timezone(dt.timedelta(hours=7))
U1, U2 = "000.00.15.H05", "000.00.16.H05"
BIRTH, LAND = "1.001193", "1.013978"
CORPUS: list[dict[str, Any]] = [
    {"unit": U1, "procedure": BIRTH, "received": dt.datetime(2026, 3, 2, 9, 0, tzinfo=ICT),
     "docs": [
         ("to_khai_dang_ky_khai_sinh", "Tờ khai đăng ký khai sinh",
          "TỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: Ủy ban nhân dân phường Bến Thành\n"
          "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Ánh Tuyết\n"
          "Số định danh cá nhân: 079185001234\n"
          "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây",
          {"ho_ten": {"value": "Nguyễn Thị Ánh Tuyết", "confidence": 0.9},
           "so_dinh_danh": "079185001234"}),
         ("giay_chung_sinh", "Giấy chứng sinh",
          "GIẤY CHỨNG SINH\nHọ và tên mẹ: Nguyễn Thị Ánh Tuyết\nĐã sinh con vào lúc 10 giờ",
          {})]},
    {"unit": U1, "procedure": LAND, "received": dt.datetime(2026, 3, 15, 14, 0, tzinfo=ICT),
     "docs": [
         ("don_dang_ky_dat_dai", "Đơn đăng ký đất đai",
          "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT\nThửa đất trồng lúa số 12, "
          "tờ bản đồ số 5\nNgười sử dụng đất: Trần Văn Bình", {"ho_ten": "Trần Văn Bình"}),
         ("giay_chung_nhan_qsdd", "Giấy chứng nhận quyền sử dụng đất",
          "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nSố vào sổ cấp GCN: CS 01234", {})]},
    {"unit": U2, "procedure": BIRTH, "received": dt.datetime(2026, 4, 10, 8, 0, tzinfo=ICT),
     "docs": [
         ("to_khai_dang_ky_khai_sinh", "Tờ khai đăng ký khai sinh",
          "Tờ khai đăng ký khai sinh. Biên bản ghi nhận hành vi lừa đảo khi khai báo.",
          {"ho_ten": "Nguyen Van An", "so_dinh_danh": "001090000111"})]},
    {"unit": U2, "procedure": LAND, "received": dt.datetime(2026, 5, 1, 10, 0, tzinfo=ICT),
     "docs": [
         ("don_dang_ky_dat_dai", "Đơn đăng ký đất đai",
          "DON DANG KY DAT DAI\nThua dat trong lua so 7\nNguoi su dung: Nguyễn Văn An",
          {"ho_ten": "Nguyễn Văn An"})]},
    {"unit": U1, "procedure": BIRTH, "received": dt.datetime(2026, 5, 20, 7, 30, tzinfo=ICT),
     "docs": []},
]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def load_corpus(sessions: sessionmaker[Session]) -> list[str]:
    """Create the dossiers and documents and index them as the application would; return codes."""
    codes = []
    for item in CORPUS:
        with sessions.begin() as session:
            dossier = repo.create_dossier(
                session, unit=item["unit"], procedure_code=item["procedure"],
                decision=f"{item['procedure']}.000.00.00.H05", catalogue_version="2026.11",
                channel="truc_tiep", received_at=item["received"])
            session.flush()
            index_dossier(session, dossier.id)
            codes.append(dossier.code)
            if item["docs"]:
                job = repo.add_file_with_job(session, dossier, filename="scan.pdf",
                                             media_type="application/pdf", size=1,
                                             sha256="0" * 64, page_count=1, s3_key="k")
                session.flush()
            for ordinal, (doc_type, name, body, fields) in enumerate(item["docs"], start=1):
                document = Document(
                    id=repo.new_id(), dossier_id=dossier.id, job_id=job.id, ordinal=ordinal,
                    doc_type=doc_type, doc_type_name=name, confidence=0.9, needs_review=False,
                    reason="", pages=[0], text=body, pdf_key="p", pdf_sha256="0" * 64,
                    text_key="t", fields=fields)
                session.add(document)
                session.flush()
                index_document(session, document.id)
    return codes


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    factory = make_session_factory(engine)
    load_corpus(factory)
    return factory


def run(sessions: sessionmaker[Session], **query: Any) -> SearchResult:
    with sessions() as session:
        return search(session, SearchQuery(**query))


def found(result: SearchResult) -> list[tuple[str, int | None, bool]]:
    """(dossier sequence number, document ordinal, exact) of each hit, in rank order."""
    return [(h.dossier_code[-4:], _ordinal(h.snippet, h.doc_type), h.exact) for h in result.hits]


def _ordinal(snippet: Any, doc_type: str | None) -> int | None:
    return None if doc_type is None else (2 if doc_type in ("giay_chung_sinh",
                                                            "giay_chung_nhan_qsdd") else 1)


def test_folding_finds_words_with_or_without_diacritics(sessions: sessionmaker[Session]) -> None:
    assert found(run(sessions, text="lua")) == [("0001", 1, True), ("0001", 1, True),
                                                ("0001", 1, True)]
    result = run(sessions, text="lua")
    assert [h.received_at.astimezone(ICT).month for h in result.hits] == [5, 4, 3]  # newest first
    assert run(sessions, text="LÚA").total == 3  # case and diacritics both folded for recall
    assert run(sessions, text="dat dai").total == 2
    assert run(sessions, text="Đất đai").total == 2  # đ→d


def test_matches_keeping_the_query_diacritics_rank_first(sessions: sessionmaker[Session]) -> None:
    result = run(sessions, text="lúa")
    months = [h.received_at.astimezone(ICT).month for h in result.hits]
    assert months == [3, 5, 4]  # "lúa" (March) before "lua" (May) and "lừa" (April)
    assert [h.exact for h in result.hits] == [True, False, False]
    assert [h.score for h in result.hits] == [2.0, 1.0, 1.0]
    lura = run(sessions, text="lừa")
    assert lura.hits[0].received_at.month == 4 and lura.hits[0].exact


def test_phrase_queries_need_the_words_in_order(sessions: sessionmaker[Session]) -> None:
    assert run(sessions, text='"khai sinh"').total == 2
    assert run(sessions, text='"sinh khai"').total == 0
    kept = run(sessions, text='"trồng lúa số"')  # the folded phrase matches both land forms,
    assert [h.exact for h in kept.hits] == [True, False]  # the one as typed first
    assert run(sessions, text='"trong lua so"').total == 2
    assert run(sessions, text='"lúa số 12"').total == 1
    assert run(sessions, text="sinh khai").total == 2  # words without quotes: any order


def test_facets_count_the_matches(sessions: sessionmaker[Session]) -> None:
    result = run(sessions, text="đăng ký")
    assert result.total == 4 and result.total_exact and result.facets_exact
    facets = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    assert facets["unit"] == {U1: 2, U2: 2}
    assert facets["procedure_code"] == {BIRTH: 2, LAND: 2}
    assert facets["doc_type"] == {"to_khai_dang_ky_khai_sinh": 2, "don_dang_ky_dat_dai": 2}
    assert facets["status"] == {"open": 4}
    assert facets["year"] == {"2026": 4}
    assert [f.value for f in result.facets["unit"]] == [U1, U2]  # ties by value


def test_filters_narrow_the_results(sessions: sessionmaker[Session]) -> None:
    assert run(sessions, text="lua", units=[U1]).total == 1
    assert run(sessions, text="lua", units=[U1, U2]).total == 3
    assert run(sessions, text="lua", units=[]).total == 0  # no unit allowed: nothing
    assert run(sessions, text="dang ky", procedure_codes=[LAND], units=[U2]).total == 1
    assert run(sessions, doc_types=["giay_chung_sinh"]).total == 1
    april = run(sessions, received_from=dt.date(2026, 4, 1), received_to=dt.date(2026, 4, 30))
    assert [h.received_at.astimezone(ICT).date() for h in april.hits] == [dt.date(2026, 4, 10)]
    day = run(sessions, received_from=dt.date(2026, 3, 2), received_to=dt.date(2026, 3, 2))
    assert day.total == 2  # both documents of the dossier received that day (Vietnam time)
    everything = run(sessions)
    assert everything.total == 7  # six documents and one dossier without documents
    assert everything.hits[0].document_id is None and everything.hits[0].snippet == ()


def test_status_changes_are_filterable_after_index_dossier(
        sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        dossier = session.query(Dossier).filter_by(unit=U2, procedure_code=LAND).one()
        dossier.status = "archived"
        index_dossier(session, dossier.id)
    assert run(sessions, statuses=["archived"]).total == 1
    assert run(sessions, text="lua", statuses=["open"]).total == 2


def test_exact_lookups_by_code_id_and_name(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        code = session.query(Dossier).filter_by(unit=U1, procedure_code=LAND).one().code
    by_code = run(sessions, text=f" {code.lower()} ")
    assert [h.dossier_code for h in by_code.hits] == [code, code]
    assert [h.doc_type for h in by_code.hits] == ["don_dang_ky_dat_dai", "giay_chung_nhan_qsdd"]
    assert run(sessions, dossier_code=code, text="chứng nhận").total == 1
    by_id = run(sessions, person_id="079 185 001 234")
    assert [h.doc_type for h in by_id.hits] == ["to_khai_dang_ky_khai_sinh"]
    assert run(sessions, text="079185001234").total == 1  # the number as free text
    by_name = run(sessions, person_name="nguyen thi anh tuyet")
    assert [h.doc_type for h in by_name.hits] == ["to_khai_dang_ky_khai_sinh"]
    assert run(sessions, person_name="Nguyễn Thị Ánh").total == 0  # the full name, not a part
    an = run(sessions, person_name="Nguyễn Văn An")
    assert [(h.unit, h.exact) for h in an.hits] == [(U2, True), (U2, False)]
    assert an.hits[0].received_at > an.hits[1].received_at


def test_snippets_mark_matches_as_plain_text(sessions: sessionmaker[Session]) -> None:
    hit = run(sessions, text="lúa").hits[0]
    assert [s.text for s in hit.snippet if s.match] == ["lúa"]
    joined = "".join(s.text for s in hit.snippet)
    assert "Thửa đất trồng lúa số 12" in joined and "\n" not in joined
    assert render(hit.snippet, lambda s: s.replace("<", "&lt;")).count("<mark>lúa</mark>") == 1
    loose = run(sessions, text="lúa").hits[2]
    assert [s.text for s in loose.snippet if s.match] == ["lừa"]


def test_ocr_text_is_never_turned_into_markup(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    CORPUS_HTML = "<script>alert('lúa')</script> lúa & <b>ngô</b>"
    with sessions.begin() as session:
        dossier = repo.create_dossier(session, unit=U1, procedure_code=BIRTH, decision="d",
                                      catalogue_version="v", channel="truc_tiep",
                                      received_at=dt.datetime(2026, 1, 1, tzinfo=ICT))
        job = repo.add_file_with_job(session, dossier, filename="a.pdf", media_type="x", size=1,
                                     sha256="0" * 64, page_count=1, s3_key="k")
        session.flush()
        session.add(Document(id="doc-html", dossier_id=dossier.id, job_id=job.id, ordinal=1,
                             doc_type="x", doc_type_name="x", confidence=1, reason="",
                             pages=[0], text=CORPUS_HTML, pdf_key="p", pdf_sha256="0",
                             text_key="t", fields={}))
        index_document(session, "doc-html")
    hit = run(sessions, text="lúa").hits[0]
    assert "".join(s.text for s in hit.snippet) == CORPUS_HTML
    shown = render(hit.snippet, lambda s: s.replace("&", "&amp;").replace("<", "&lt;"))
    assert "<script>" not in shown and shown.count("<mark>") == 2


@pytest.mark.parametrize("query", [
    {"text": 'khai "sinh'}, {"text": "!!! ???"}, {"text": "x" * (MAX_QUERY_CHARS + 1)},
    {"text": " ".join(f"w{i}" for i in range(40))}, {"page": 0}, {"page_size": 0},
    {"page": RESULT_WINDOW // 20 + 1}, {"person_id": "12345"}, {"dossier_code": "abc"},
    {"person_name": "..."}, {"received_from": dt.date(2026, 5, 1),
                             "received_to": dt.date(2026, 4, 1)},
])
def test_invalid_queries_are_refused_with_a_code(sessions: sessionmaker[Session],
                                                 query: dict[str, Any]) -> None:
    with pytest.raises(InvalidQuery) as raised:
        run(sessions, **query)
    assert raised.value.code == "invalid_query"
    assert raised.value.message_vi and raised.value.message_en
    assert raised.value.message_vi != raised.value.message_en


def test_long_queries_up_to_the_cap_and_syntax_characters_are_plain_words(
        sessions: sessionmaker[Session]) -> None:
    at_cap = run(sessions, text=("lúa " * 50)[:MAX_QUERY_CHARS])  # accepted at the cap
    assert at_cap.total == 3 and at_cap.hits[0].exact
    assert run(sessions, text="lúa AND NOT OR * ^ : -").total == 0  # operators are just words
    assert run(sessions, text="lúa) OR (khai").total == 0
    assert run(sessions, text="'; DROP TABLE search_entries; --").total == 0
    assert run(sessions, text="lua").total == 3


def test_pagination_is_capped_and_crosses_the_diacritics_tiers(
        sessions: sessionmaker[Session]) -> None:
    pages = [run(sessions, text="lúa", page=n, page_size=1) for n in (1, 2, 3, 4)]
    assert [[h.exact for h in p.hits] for p in pages] == [[True], [False], [False], []]
    assert [p.hits[0].received_at.month for p in pages[:3]] == [3, 5, 4]
    assert all(p.total == 3 for p in pages)
    big = run(sessions, page_size=10_000)
    assert big.page_size == MAX_PAGE_SIZE and len(big.hits) == 7


def test_totals_and_facets_count_within_the_result_window(
        sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        capped = search(session, SearchQuery(text="đăng ký", page_size=2), window=3)
        assert (capped.total, capped.total_exact, capped.facets_exact) == (3, False, False)
        assert sum(f.count for f in capped.facets["status"]) == 3  # the 3 most recent matches
        assert len(search(session, SearchQuery(text="đăng ký", page=2, page_size=2),
                          window=3).hits) == 1  # the window ends inside page 2
        with pytest.raises(InvalidQuery):
            search(session, SearchQuery(text="đăng ký", page=3, page_size=2), window=3)
        names = search(session, SearchQuery(person_name="Nguyen Van An"), window=1)
        assert (names.total, names.total_exact, len(names.hits)) == (1, False, 1)
        whole = search(session, SearchQuery(text="đăng ký"), window=4)
        assert (whole.total, whole.total_exact, whole.facets_exact) == (4, True, True)


def test_reindex_after_a_document_changes(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        document = session.query(Document).filter_by(text=CORPUS[3]["docs"][0][2]).one()
        document.text = "Thua dat trong ngô, khoai"
        document.fields = {}
        index_document(session, document.id)
    assert run(sessions, text="lua").total == 2
    assert run(sessions, text="ngo").total == 1
    assert run(sessions, person_name="Nguyễn Văn An").total == 1  # the old name is gone
    with sessions.begin() as session:
        assert reindex_all(session) == 7
    assert run(sessions, text="ngô").total == 1 and run(sessions, text="lua").total == 2


def test_removing_documents_keeps_the_dossier_findable(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        document = session.query(Document).filter_by(text=CORPUS[2]["docs"][0][2]).one()
        code = document.dossier.code
        session.delete(document)
        remove_document(session, document.id)
    assert run(sessions, text="lừa").total == 2
    stub = run(sessions, text=code)
    assert [(h.dossier_code, h.document_id) for h in stub.hits] == [(code, None)]


def test_removing_a_dossier_removes_its_entries(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        dossier = session.query(Dossier).filter_by(unit=U1, procedure_code=BIRTH,
                                                   ).order_by(Dossier.received_at).first()
        assert dossier is not None
        remove_dossier(session, dossier.id)
    assert run(sessions, text="khai sinh").total == 1
    assert run(sessions, person_id="079185001234").total == 0


QUERIES: list[dict[str, Any]] = [
    {"text": "lúa"}, {"text": "lua"}, {"text": "lừa"}, {"text": '"khai sinh"'},
    {"text": "đăng ký", "page_size": 2, "page": 2}, {"text": "dat", "units": [U2]},
    {"person_name": "nguyễn văn an"}, {"person_id": "001090000111"}, {"text": "tờ khai"},
    {"procedure_codes": [LAND]}, {"received_from": dt.date(2026, 3, 10)}, {},
    {"text": "nguyen", "doc_types": ["don_dang_ky_dat_dai"]}, {"text": "01234"},
]


def _canonical(result: SearchResult) -> tuple[Any, ...]:
    hits = [(h.dossier_code[-4:], h.unit, h.doc_type, h.exact, h.snippet) for h in result.hits]
    return result.total, result.total_exact, hits, dict(result.facets)


def test_sqlite_and_postgresql_give_the_same_answers(tmp_path: Any,
                                                     fresh_postgres_url: str) -> None:
    answers = []
    for url in (f"sqlite:///{tmp_path / 'same.db'}", fresh_postgres_url):
        engine = make_engine(url)
        try:
            migrate(engine)
            factory = make_session_factory(engine)
            load_corpus(factory)
            answers.append([_canonical(run(factory, **q)) for q in QUERIES])
        finally:
            engine.dispose()
    for query, on_sqlite, on_postgres in zip(QUERIES, *answers, strict=True):
        assert on_sqlite == on_postgres, query
    assert any(answer[0] for answer in answers[0])


def test_tsvector_literal_equals_to_tsvector_simple(fresh_postgres_url: str) -> None:
    engine = make_engine(fresh_postgres_url)
    samples = [item[2] for entry in CORPUS for item in entry["docs"]]
    samples += ["Số: 12/QĐ-UBND ngày 01/7/2025 — 000.00.15.H05-250703-0001 h05 1e5 ½ ﬁ x_y",
                "khai " * 300 + "sinh", "ĐƠN ĐĂNG KÝ đất đai Ǆ İstanbul straße 𝔘𝔫𝔦"]
    try:
        with engine.connect() as connection:
            for sample in samples:
                for tokens in (tokenize(sample), fold_tokens(tokenize(sample))):
                    same = connection.execute(
                        text("SELECT CAST(:literal AS tsvector) = "
                             "to_tsvector('simple', :joined)"),
                        {"literal": tsvector_literal(tokens), "joined": " ".join(tokens)})
                    assert same.scalar_one(), sample[:40]
    finally:
        engine.dispose()
