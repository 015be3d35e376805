"""Storage against the real SeaweedFS and real SQLite: objects, checksums, dossier codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading

import pytest
from sqlalchemy import select

from api.services import Services
from storage import repository as repo
from storage.s3 import ObjectMissing
from storage.tables import Dossier


def test_objects_round_trip_with_checksum_and_vietnamese_metadata(services: Services) -> None:
    data = "Giấy chứng sinh".encode() * 1000
    stored = services.store.put("tests/round-trip.txt", data, "text/plain",
                                {"title": "Giấy chứng sinh"})
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert services.store.get(stored.key) == data
    assert b"".join(services.store.stream(stored.key, chunk_size=1024)) == data
    meta = services.store.metadata(stored.key)
    assert meta["title"] == "Giấy chứng sinh" and meta["sha256"] == stored.sha256
    services.store.delete(stored.key)
    assert not services.store.exists(stored.key)
    with pytest.raises(ObjectMissing):
        services.store.get(stored.key)


def test_dossier_codes_are_unique_under_concurrency(services: Services) -> None:
    day = dt.date(2026, 11, 22)
    codes: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(5):
                with services.session() as session:
                    codes.append(repo.next_dossier_code(session, "000.00.15.H05", day))
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(codes) == [f"000.00.15.H05-261122-{n:04d}" for n in range(1, 41)]
    with services.session() as session:  # another unit, another day: separate sequences
        assert repo.next_dossier_code(session, "000.00.16.H05", day).endswith("-261122-0001")
        assert repo.next_dossier_code(session, "000.00.15.H05", day + dt.timedelta(days=1)
                                      ) == "000.00.15.H05-261123-0001"


def test_unit_identifier_is_validated() -> None:
    assert repo.validate_unit(" 000.00.15.H05 ") == "000.00.15.H05"
    assert repo.validate_unit("G15") == "G15"
    for bad in ("", "H5", "abc", "000.00.15.H05.X1", "1" * 40):
        with pytest.raises(repo.InvalidUnit):
            repo.validate_unit(bad)


def test_migrations_are_idempotent(services: Services) -> None:
    from storage.db import migrate

    migrate(services.db)  # a second start reuses the database
    with services.session() as session:
        assert session.scalars(select(Dossier)).all() is not None
    assert re.match(repo.DOSSIER_CODE, "000.00.15.H05-250703-0001")
