"""Private throw-away servers for the test session: PostgreSQL and Redis from Debian packages.

No system service is used or touched. Each server runs from its own temporary directory on a free
loopback port and is stopped and deleted on exit. PostgreSQL refuses to run as root, so under root
its commands run as the ``postgres`` system user (created by the Debian package); otherwise as the
current user.

``SOHOA_TEST_POSTGRES_URL`` and ``SOHOA_TEST_REDIS_URL`` point the tests at an existing server
instead: a PostgreSQL role that may create databases, a Redis database the tests may empty.

``make test`` installs the packages (``tools/ensure-test-services.sh``). Where they are missing the
fixtures skip with the reason, or fail when ``SOHOA_TEST_SERVERS=require``.

PYTEST_DONT_REWRITE: test modules import this before registering it as a plugin.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_BIN_DIRS = ("/usr/lib/postgresql/*/bin",)
INSTALL_HINT = "run make test, which installs {package} (tools/ensure-test-services.sh)"


class ServerNotInstalled(RuntimeError):
    """The server's programs are not on this machine: a fixture skips with this message."""


class ServerFailed(RuntimeError):
    """The server was found but did not come up; the message carries the end of its log."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _version_key(bindir: str) -> tuple[int, ...]:
    version = Path(bindir).parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def find_postgres(patterns: Sequence[str] = POSTGRES_BIN_DIRS) -> Path:
    """The newest directory holding initdb, pg_ctl and postgres (Debian's layout, then PATH)."""
    candidates = sorted((d for p in patterns for d in glob.glob(p)), key=_version_key,
                        reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        bindir = Path(candidate)
        if all(os.access(bindir / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return bindir
    raise ServerNotInstalled(
        f"PostgreSQL not installed (no initdb/pg_ctl in {', '.join(patterns)} or on PATH): "
        + INSTALL_HINT.format(package="postgresql"))


def _run_as_postgres_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """Command prefix and account to run PostgreSQL programs: ``postgres`` under root."""
    if os.geteuid() != 0:
        return [], None
    try:
        account = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise ServerNotInstalled("PostgreSQL cannot run as root and there is no 'postgres' "
                                 "user: " + INSTALL_HINT.format(package="postgresql")) from exc
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"], account
    return ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}",
            "--clear-groups"], account


class PrivatePostgres:
    """A throw-away PostgreSQL cluster: ``with PrivatePostgres() as pg: use(pg.url)``.

    ``url`` is a SQLAlchemy URL (psycopg 3) of the database ``sohoa_test``; ``fresh_database()``
    makes a new empty database for one test and drops it afterwards.
    """

    def __init__(self, database: str = "sohoa_test", *, external_url: str | None = None,
                 bin_patterns: Sequence[str] = POSTGRES_BIN_DIRS) -> None:
        self.database = database
        self.external_url = external_url
        self.bin_patterns = bin_patterns
        self.directory: Path | None = None
        self.port = 0
        self.url = ""
        self._prefix: list[str] = []
        self._bindir = Path()

    @classmethod
    def from_environment(cls) -> PrivatePostgres:
        return cls(external_url=os.environ.get("SOHOA_TEST_POSTGRES_URL") or None)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    @property
    def data_dir(self) -> Path:
        assert self.directory is not None, "server not started"
        return self.directory / "data"

    def start(self) -> str:
        if self.external_url:
            self.url = _with_psycopg(self.external_url)
            return self.url
        self._bindir = find_postgres(self.bin_patterns)
        self._prefix, account = _run_as_postgres_user()
        self.directory = Path(tempfile.mkdtemp(prefix="sohoa-pg-"))
        try:
            (self.directory / "socket").mkdir()
            if account is not None:
                for path in (self.directory, self.directory / "socket"):
                    os.chown(path, account.pw_uid, account.pw_gid)
            self._initdb()
            self._start_server()
            self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.database}"
            self.create_database(self.database)
        except BaseException:
            self.stop()
            raise
        return self.url

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        assert self.directory is not None
        return subprocess.run([*self._prefix, str(self._bindir / program), *args],
                              cwd=self.directory, capture_output=True, text=True, timeout=120,
                              check=False)

    def _initdb(self) -> None:
        done = self._run("initdb", "-D", str(self.data_dir), "-U", "postgres",
                         "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        if done.returncode != 0:
            raise ServerFailed(f"initdb failed: {done.stderr.strip()}")
        socket_dir = self.data_dir.parent / "socket"
        with (self.data_dir / "postgresql.conf").open("a") as conf:  # throw-away: speed first
            conf.write(f"listen_addresses = '127.0.0.1'\nunix_socket_directories = '{socket_dir}'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")

    def _start_server(self) -> None:
        log = self.data_dir.parent / "postgres.log"
        for _ in range(3):  # another process may take the free port before the server binds it
            self.port = free_port()
            done = self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(log), "-w",
                             "-t", "60", "-o", f"-p {self.port}", "start")
            if done.returncode == 0:
                return
            if "could not bind" not in _log_tail(log, 50):
                break
        raise ServerFailed(f"PostgreSQL did not start:\n{done.stderr.strip()}\n{_log_tail(log)}")

    def stop(self) -> None:
        if self.directory is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w",
                      "-t", "30", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None

    def _admin_url(self) -> str:
        if self.external_url:
            return _with_psycopg(self.external_url)
        return make_url(self.url).set(database="postgres").render_as_string(hide_password=False)

    def create_database(self, name: str) -> str:
        """Create an empty UTF-8 database on this server and return its URL."""
        engine = create_engine(self._admin_url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(
                    f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        finally:
            engine.dispose()
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, name: str) -> None:
        engine = create_engine(self._admin_url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            engine.dispose()

    @contextlib.contextmanager
    def fresh_database(self) -> Iterator[str]:
        name = f"sohoa_t_{uuid.uuid4().hex[:12]}"
        url = self.create_database(name)
        try:
            yield url
        finally:
            self.drop_database(name)


def _with_psycopg(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class PrivateRedis:
    """A throw-away ``redis-server`` on 127.0.0.1, without persistence: ``url`` is redis://."""

    def __init__(self, *, external_url: str | None = None, binary: str = "redis-server") -> None:
        self.external_url = external_url
        self.binary = binary
        self.directory: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.url = ""

    @classmethod
    def from_environment(cls) -> PrivateRedis:
        return cls(external_url=os.environ.get("SOHOA_TEST_REDIS_URL") or None)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def start(self) -> str:
        if self.external_url:
            self.url = self.external_url
            return self.url
        binary = shutil.which(self.binary)
        if binary is None:
            raise ServerNotInstalled(f"Redis not installed (no {self.binary} on PATH): "
                                     + INSTALL_HINT.format(package="redis-server"))
        self.directory = Path(tempfile.mkdtemp(prefix="sohoa-redis-"))
        log = self.directory / "redis.log"
        try:
            for _ in range(3):  # the free port may be taken before redis binds it
                self.port = free_port()
                self.process = subprocess.Popen(
                    [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                     "--appendonly", "no", "--dir", str(self.directory), "--logfile", str(log),
                     "--daemonize", "no"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
                if _wait_for_pong(self.port, self.process, timeout=15):
                    self.url = f"redis://127.0.0.1:{self.port}/0"
                    return self.url
                if "Address already in use" not in _log_tail(log, 50):
                    break
            raise ServerFailed(f"redis-server did not start:\n{_log_tail(log)}")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None


def _wait_for_pong(port: int, process: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port),
                                                                    timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            if conn.recv(16).startswith(b"+PONG"):
                return True
        time.sleep(0.02)
    process.kill()
    process.wait()
    return False


# Pytest fixtures: register with ``pytest_plugins = ["tests.servers"]`` in tests/conftest.py.

def server_unavailable(reason: str) -> NoReturn:
    """Skip (or, under SOHOA_TEST_SERVERS=require, fail) a test that needs a missing server."""
    if os.environ.get("SOHOA_TEST_SERVERS") == "require":
        pytest.fail(f"{reason} (SOHOA_TEST_SERVERS=require)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PrivatePostgres]:
    """One PostgreSQL for the session (private cluster, or SOHOA_TEST_POSTGRES_URL)."""
    server = PrivatePostgres.from_environment()
    try:
        server.start()
    except ServerNotInstalled as exc:
        server_unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PrivatePostgres) -> str:
    """SQLAlchemy URL of the session's ``sohoa_test`` database (shared by every test)."""
    return postgres_server.url


@pytest.fixture
def fresh_postgres_url(postgres_server: PrivatePostgres) -> Iterator[str]:
    """A new empty PostgreSQL database for one test, dropped afterwards."""
    with postgres_server.fresh_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for one test, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sohoa.db'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url


@pytest.fixture(scope="session")
def redis_server() -> Iterator[PrivateRedis]:
    """One Redis for the session (private redis-server, or SOHOA_TEST_REDIS_URL)."""
    server = PrivateRedis.from_environment()
    try:
        server.start()
    except ServerNotInstalled as exc:
        server_unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: PrivateRedis) -> str:
    """URL of the session's Redis, emptied (FLUSHDB) for this test."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    try:
        client.flushdb()
    finally:
        client.close()
    return redis_server.url
