"""The storage layer on both databases: the same assertions on SQLite and on a real PostgreSQL.

PostgreSQL is a private throw-away cluster (tests/servers.py) that ``make test`` installs; each test
gets a new empty database on it.
"""

from __future__ import annotations

import datetime as dt
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import StatementError

from storage import repository as repo
from storage.db import alembic_config, make_engine, make_session_factory, migrate
from storage.tables import Dossier

UNIT = "000.00.15.H05"
ICT = dt.timezone(dt.timedelta(hours=7), "ICT")  # giờ Việt Nam, UTC+7
VIETNAMESE: dict[str, Any] = {
    "ho_ten": "Nguyễn Thị Ánh Tuyết",
    "noi_cu_tru": "Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh",
    "ghi_chú": "Đã kiểm tra; thiếu bản sao Giấy khai sinh (ể ổ ả ữ ỹ ự)",
    "thanh_phan": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def new_dossier(received_at: dt.datetime, **fields: Any) -> Dossier:
    return Dossier(id=repo.new_id(), code=f"{UNIT}-261122-{fields.pop('seq', 1):04d}", unit=UNIT,
                   procedure_code="1.001193", procedure_decision="1.001193.000.00.00.H05",
                   catalogue_version="2026.11", channel="truc_tiep", received_at=received_at,
                   **fields)


def test_migrations_create_the_schema_and_are_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine)
        migrate(engine)  # a second start reuses the database
        tables = set(inspect(engine).get_table_names())
        assert {"dossier_sequences", "dossiers", "files", "jobs", "documents",
                "archive_objects", "alembic_version"} <= tables
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")
                                      ).scalars().all() == [head]
            if engine.dialect.name == "postgresql":
                assert connection.execute(text("SHOW server_encoding")).scalar() == "UTF8"
        if engine.dialect.name == "postgresql":  # timestamptz, not a local timestamp
            columns = {c["name"]: c["type"] for c in inspect(engine).get_columns("dossiers")}
            assert getattr(columns["received_at"], "timezone", None) is True
    finally:
        engine.dispose()


def test_dossier_codes_are_unique_and_sequential_under_concurrency(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    day = dt.date(2026, 11, 22)
    codes: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(5):
                with sessions.begin() as session:
                    codes.append(repo.next_dossier_code(session, UNIT, day))
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(codes) == [f"{UNIT}-261122-{n:04d}" for n in range(1, 41)]
    with sessions.begin() as session:  # another unit, another day: separate sequences
        assert repo.next_dossier_code(session, "000.00.16.H05", day) == "000.00.16.H05-261122-0001"
        assert repo.next_dossier_code(session, UNIT, day + dt.timedelta(days=1)
                                      ) == f"{UNIT}-261123-0001"


def test_aware_datetimes_round_trip_as_utc(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    received = dt.datetime(2026, 11, 22, 8, 30, 15, 123456, tzinfo=ICT)  # 01:30:15 UTC
    with sessions.begin() as session:
        dossier = repo.create_dossier(session, unit=UNIT, procedure_code="1.001193",
                                      decision="1.001193.000.00.00.H05",
                                      catalogue_version="2026.11", channel="truc_tiep",
                                      received_at=received)
        dossier_id = dossier.id
    assert dossier.code == f"{UNIT}-261122-0001"  # the day of the local date given
    with sessions() as session:
        loaded = session.get_one(Dossier, dossier_id)
        assert loaded.received_at == received
        assert loaded.received_at.utcoffset() == dt.timedelta(0)
        assert loaded.received_at.isoformat() == "2026-11-22T01:30:15.123456+00:00"
        same_instant = received.astimezone(dt.UTC)
        assert session.scalars(select(Dossier.id).where(Dossier.received_at == same_instant)
                               ).all() == [dossier_id]
        later = received + dt.timedelta(microseconds=1)
        assert session.scalars(select(Dossier.id).where(Dossier.received_at < later)
                               ).all() == [dossier_id]


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with pytest.raises(StatementError, match="naive datetime"), sessions.begin() as session:
        session.add(new_dossier(dt.datetime(2026, 11, 22, 8, 30), answers={}))
    with sessions() as session:
        assert session.scalars(select(Dossier)).all() == []  # nothing half-stored


def test_json_columns_keep_vietnamese_text_in_nfc(engine: Engine) -> None:
    assert all(unicodedata.is_normalized("NFC", key) for key in VIETNAMESE)
    sessions = make_session_factory(engine)
    received = dt.datetime(2026, 11, 22, 1, 30, tzinfo=dt.UTC)
    report = {"thiếu": ["Giấy chứng sinh"], "kết_luận": "Hồ sơ chưa đầy đủ"}
    with sessions.begin() as session:
        dossier = new_dossier(received, answers=VIETNAMESE, completeness=report)
        session.add(dossier)
    with sessions() as session:
        loaded = session.get_one(Dossier, dossier.id)
        assert loaded.answers == VIETNAMESE and loaded.completeness == report
        for value in (*_strings(loaded.answers), *_strings(loaded.completeness)):
            assert unicodedata.is_normalized("NFC", value), value
        # the database itself reads the JSON (->> on PostgreSQL, json_extract on SQLite)
        name = session.scalars(select(Dossier.answers["ho_ten"].as_string())).one()
        assert name == "Nguyễn Thị Ánh Tuyết" and unicodedata.is_normalized("NFC", name)
        places = session.scalars(select(Dossier.answers["noi_cu_tru"].as_string())).one()
        assert places.encode() == VIETNAMESE["noi_cu_tru"].encode()


def test_json_paths_find_vietnamese_keys(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        session.add(new_dossier(dt.datetime(2026, 11, 22, tzinfo=dt.UTC), answers=VIETNAMESE))
    with sessions() as session:
        note = session.scalars(select(Dossier.answers["ghi_chú"].as_string())).one()
    assert note == VIETNAMESE["ghi_chú"]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
