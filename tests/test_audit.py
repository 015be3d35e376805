"""The audit log: entries for every look, a hash chain that shows edits and deletions, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from api.services import Services
from storage import audit
from storage.audit import AuditEntry, AuditQuery, AuditRecord
from storage.db import make_engine, make_session_factory, migrate
from storage.tables import Base
from tests.test_auth import UNIT_A, UNIT_B, Stack, login, make_stack, run_cli

UNITS = (UNIT_A, UNIT_B)


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    migrate(engine)
    yield make_session_factory(engine)
    engine.dispose()


def write(factory: sessionmaker[Session], count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        with factory() as db, db.begin():
            audit.append(db, AuditRecord(
                username=f"user{i % 3}", role="auditor", action="view", target=f"dossier:d{i}",
                dossier_id=f"d{i}", dossier_code=f"{UNITS[i % 2]}-260101-{i:04d}",
                unit=UNITS[i % 2], address="127.0.0.1", status=200,
                detail={"lần": i, "ghi chú": "Nguyễn Thị Ánh\x00"}))


def verify(factory: sessionmaker[Session]) -> audit.VerifyResult:
    with factory() as db:
        return audit.verify_chain(db)


def tamper(factory: sessionmaker[Session], statement: str) -> None:
    """What someone with the database owner's rights can do: drop the guard, then edit."""
    with factory() as db, db.begin():
        if db.get_bind().dialect.name == "sqlite":
            db.execute(text("DROP TRIGGER audit_log_no_update"))
            db.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            db.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        db.execute(text(statement))


def test_migration_0005_matches_the_models(sessions: sessionmaker[Session]) -> None:
    mine = {"users", "user_units", "api_tokens", "audit_log", "audit_head"}

    def ours(item: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        return (item.name if kind == "table" else item.table.name) in mine
    with sessions() as db:
        context = MigrationContext.configure(db.connection(), opts={
            "include_object": ours, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_chain_of_appended_entries_verifies(sessions: sessionmaker[Session]) -> None:
    assert verify(sessions) == audit.VerifyResult(True, 0)
    write(sessions, 5)
    result = verify(sessions)
    assert result.ok and result.checked == 5 and result.first_bad_id is None
    with sessions() as db:
        entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.id for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == audit.GENESIS and result.head_hash == entries[-1].hash
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[0].at.tzinfo is not None and entries[0].detail["ghi chú"].endswith("\ufffd")


def test_the_database_refuses_updates_and_deletes(sessions: sessionmaker[Session]) -> None:
    write(sessions, 2)
    for statement in ("UPDATE audit_log SET username = 'mallory' WHERE id = 1",
                      "DELETE FROM audit_log WHERE id = 2"):
        with pytest.raises(DBAPIError), sessions() as db, db.begin():
            db.execute(text(statement))
    assert verify(sessions).ok


def test_an_edited_entry_is_detected(sessions: sessionmaker[Session]) -> None:
    write(sessions, 5)
    tamper(sessions, "UPDATE audit_log SET username = 'someone_else' WHERE id = 3")
    result = verify(sessions)
    assert not result.ok and result.first_bad_id == 3 and result.checked == 2
    assert "altered" in result.reason


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(
        sessions: sessionmaker[Session]) -> None:
    write(sessions, 5)
    with sessions() as db:
        entry = db.get(AuditEntry, 3)
        assert entry is not None
        fields = audit.fields_of(entry)
    fields["outcome"] = "denied"
    tamper(sessions, f"UPDATE audit_log SET outcome = 'denied', "
                     f"hash = '{audit.entry_hash(fields)}' WHERE id = 3")
    result = verify(sessions)
    assert not result.ok and result.first_bad_id == 4 and "prev_hash" in result.reason


def test_a_deleted_entry_is_detected(sessions: sessionmaker[Session]) -> None:
    write(sessions, 5)
    tamper(sessions, "DELETE FROM audit_log WHERE id = 2")
    result = verify(sessions)
    assert not result.ok and result.first_bad_id == 3 and "missing" in result.reason


def test_a_deleted_last_entry_is_detected(sessions: sessionmaker[Session]) -> None:
    write(sessions, 5)
    tamper(sessions, "DELETE FROM audit_log WHERE id = 5")
    result = verify(sessions)
    assert not result.ok and result.first_bad_id == 5 and result.checked == 4
    assert "deleted" in result.reason


def test_concurrent_writers_keep_one_unbroken_chain(sessions: sessionmaker[Session]) -> None:
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            write(sessions, 10, start=offset * 10)
        except BaseException as exc:  # reported below
            errors.append(exc)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify(sessions)
    assert result.ok and result.checked == 40


def test_queries_by_user_dossier_period_and_unit(sessions: sessionmaker[Session]) -> None:
    write(sessions, 6)
    with sessions() as db, db.begin():
        audit.append(db, AuditRecord(username="lan", role="intake", action="login"),
                     at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    with sessions() as db:
        def found(**query: object) -> list[int]:
            return [e.id for e in audit.search(db, AuditQuery(**query))]  # type: ignore[arg-type]
        assert found(user="user1") == [5, 2]
        assert found(dossier="d3") == found(dossier=f"{UNIT_B}-260101-0003") == [4]
        assert found(end=dt.datetime(2021, 1, 1, tzinfo=dt.UTC)) == [7]
        assert found(start=dt.datetime(2021, 1, 1, tzinfo=dt.UTC), limit=2) == [6, 5]
        assert found(units=frozenset({UNIT_B})) == [7, 6, 4, 2]  # unit-less login shown
        assert found(action="login") == [7]


def test_csv_cells_never_start_a_formula() -> None:
    for dangerous in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert audit.csv_safe(dangerous) == "'" + dangerous
    assert audit.csv_safe("Nguyễn Văn A") == "Nguyễn Văn A" and audit.csv_safe(None) == ""
    assert audit.csv_safe({"q": "=1"}) == '{"q": "=1"}'


# Through the app ---------------------------------------------------------------------------------

@pytest.fixture
def stack(services: Services) -> Stack:
    return make_stack(services)


def entries(stack: Stack) -> list[AuditEntry]:
    with stack.services.session() as db:
        return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_views_and_downloads_are_logged_with_who_what_where(stack: Stack) -> None:
    client = stack.client()
    a = stack.dossier_a
    assert client.get(f"/t/dossiers/{a}", headers=stack.as_("auditor")).status_code == 200
    assert client.get(f"/t/dossiers/{a}/original", headers=stack.as_("intake"),
                      environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get(f"/t/dossiers/{a}/original",
                      headers=stack.as_("auditor")).status_code == 403
    assert client.get(f"/t/dossiers/{a}", headers=stack.as_("other")).status_code == 404
    assert client.get("/t/search?q=Nguyễn", headers=stack.as_("reviewer")).status_code == 200
    view, download, denied, hidden, search = entries(stack)[-5:]
    assert (view.username, view.role, view.action, view.outcome) == (
        "auditor", "auditor", "view", "success")
    assert view.target == f"dossier:{a}" and view.dossier_id == a and view.unit == UNIT_A
    assert view.dossier_code and view.dossier_code.startswith(UNIT_A)
    assert view.at.tzinfo is not None and view.status == 200
    assert (download.username, download.action, download.address) == (
        "intake", "download", "10.1.2.3")
    assert (denied.action, denied.outcome, denied.status) == ("download", "denied", 403)
    assert (hidden.username, hidden.outcome, hidden.dossier_id) == ("other", "not_found", a)
    assert hidden.unit is None  # nothing about the other unit's dossier leaks into the entry
    assert search.action == "search" and search.detail["query"] == {"q": "Nguyễn"}
    with stack.services.session() as db:
        assert audit.verify_chain(db).ok


def test_auditors_query_the_log(stack: Stack) -> None:
    client = stack.client()
    client.get(f"/t/dossiers/{stack.dossier_a}", headers=stack.as_("intake"))
    client.get(f"/t/dossiers/{stack.dossier_b}", headers=stack.as_("other"))
    query = client.get(f"/api/audit?user=intake&dossier={stack.dossier_a}&from=2020-01-01",
                       headers=stack.as_("auditor"))
    assert query.status_code == 200, query.get_json()
    [entry] = query.get_json()["entries"]
    assert entry["username"] == "intake" and entry["action"] == "view"
    dt.datetime.fromisoformat(entry["at"])
    mine = client.get("/api/audit?limit=500", headers=stack.as_("auditor")).get_json()
    assert stack.dossier_b not in {e["dossier_id"] for e in mine["entries"]}  # unit B's own
    everything = client.get("/api/audit?limit=500", headers=stack.as_("province")).get_json()
    assert stack.dossier_b in {e["dossier_id"] for e in everything["entries"]}
    future = client.get("/api/audit?from=2999-01-01", headers=stack.as_("auditor")).get_json()
    assert future["entries"] == []
    for bad in ("from=yesterday", "to=2026-13-01", "limit=0", "limit=100000", "offset=-1",
                "user=" + "x" * 65):
        response = client.get(f"/api/audit?{bad}", headers=stack.as_("auditor"))
        assert response.status_code == 400 and response.get_json()["code"] == "invalid_request"


def test_export_is_csv_with_formulas_defused(stack: Stack) -> None:
    client = stack.client()
    login(client, "=cmd|' /C calc'!A0", "whatever-password")
    login(client, "@SUM(1+1)", "whatever-password")
    response = client.get("/api/audit/export", headers=stack.as_("auditor"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == list(audit.CSV_COLUMNS)
    names = [row[2] for row in rows[1:]]
    assert "'=cmd|' /c calc'!a0" in names and "'@sum(1+1)" in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_cli_audit_verify(database_url: str, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOHOA_DATABASE_URL", database_url)
    engine = make_engine(database_url)
    migrate(engine)
    factory = make_session_factory(engine)
    write(factory, 3)
    assert run_cli(["audit", "verify"]) == 0
    assert "3 mục" in capsys.readouterr().out
    tamper(factory, "UPDATE audit_log SET address = '8.8.8.8' WHERE id = 2")
    assert run_cli(["audit", "verify", "--json"]) == 1
    assert '"first_bad_id": 2' in capsys.readouterr().out
    engine.dispose()
