"""Shared fixtures: a real SeaweedFS process, real SQLite files, the real Tesseract."""

from __future__ import annotations

import secrets
import socket
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api.seaweed import EmbeddedS3
from api.services import Services, build_services
from api.settings import Settings
from storage.s3 import S3Config

pytest_plugins = ["tests.servers"]  # private PostgreSQL and Redis fixtures


def free_port_block(size: int = 5) -> int:
    """A base port such that base..base+size and their +10000 gRPC twins look free."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + size + 10000 >= 65000:
            continue
        ports = [base + i for i in range(size)] + [base + i + 10000 for i in range(size)]
        if all(_is_free(port) for port in ports):
            return base
    raise RuntimeError("no free port block")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Config]:
    """One real ``weed mini`` for the whole test session."""
    directory = tmp_path_factory.mktemp("seaweed")
    server = EmbeddedS3(directory, free_port_block(), "sohoa-test")
    config = server.start()
    yield config
    server.stop()


@pytest.fixture
def own_s3(tmp_path: Path) -> Iterator[EmbeddedS3]:
    """A SeaweedFS of the test's own, for tests that stop, restart or cut it off."""
    server = EmbeddedS3(tmp_path / "s3", free_port_block(), "own")
    server.start()
    yield server
    server.stop()


def make_settings(tmp_path: Path, s3: S3Config, **overrides: object) -> Settings:
    """Settings for one test: its own SQLite files and its own bucket on the shared S3."""
    values: dict[str, object] = {
        "var_dir": tmp_path / "var", "s3_endpoint": s3.endpoint, "s3_access_key": s3.access_key,
        "s3_secret_key": s3.secret_key, "s3_bucket": f"t-{uuid.uuid4().hex[:16]}",
        "ocr_dpi": 200,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, s3_server: S3Config) -> Settings:
    return make_settings(tmp_path, s3_server)


@pytest.fixture
def services(tmp_path: Path, s3_server: S3Config, database_url: str) -> Iterator[Services]:
    """Services on the real S3, once with SQLite and once with PostgreSQL."""
    built = build_services(make_settings(tmp_path, s3_server, database_url=database_url))
    yield built
    built.db.dispose()


def authorize(client: FlaskClient, services: Services, role: str = "admin",
              units: Sequence[str] = ("*",)) -> FlaskClient:
    """Sign ``client`` in for every request: a new user of ``role`` with a bearer token."""
    from storage import auth as accounts

    name = f"test-{role}-{uuid.uuid4().hex[:8]}"
    with services.session() as session:
        accounts.add_user(session, name, secrets.token_urlsafe(16), role, units,
                          accounts.PasswordHashing())
        token = accounts.issue_token(session, name, "tests").token
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client
