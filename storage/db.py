"""Database engine, sessions and Alembic migrations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ingest.errors import SohoaError

MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseUnavailable(SohoaError):
    code = "database_unavailable"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json)


def _json(value: Any) -> str:
    # Keep Vietnamese readable in JSON columns: SQLite compares escaped keys as written.
    return json.dumps(value, ensure_ascii=False)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the worker's writes
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision; raise a clear error if the database is down."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        command.upgrade(alembic_config(engine), "heads")
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(
            f"Không kết nối hoặc nâng cấp được cơ sở dữ liệu: {exc}",
            f"Cannot connect to or migrate the database: {exc}",
        ) from exc
