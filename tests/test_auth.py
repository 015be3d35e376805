"""Users, roles and units over HTTP: login, lockout, CSRF, tokens, the route × role matrix.

The app is the real one (``create_app`` on real SQLite/PostgreSQL and S3) with a few sample
routes added, so the checks do not depend on which existing routes are decorated yet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Blueprint, Flask, Response, jsonify, request
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from werkzeug.test import TestResponse

from api.app import create_app
from api.auditing import audit_note
from api.auth import (
    AuthConfig,
    auth_config,
    dossier_units,
    install_auth,
    load_or_create_secret,
    permission,
    public,
    require,
    route_permissions,
    undeclared_routes,
    unit_for_new_dossier,
    visible_dossier,
)
from api.context import app_context
from api.routes import auth_routes
from api.services import Services
from api.usecases import create_dossier
from api.usercli import add_user_commands
from api.worker import make_queue
from storage import auth as accounts
from storage.auth import LockoutPolicy, PasswordHashing, Permission, Principal, Role
from storage.repository import InvalidUnit

UNIT_A, UNIT_B = "000.00.15.H05", "000.00.16.H05"
PASSWORD = "mật khẩu đủ dài 123"
CHEAP = PasswordHashing(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
ROLES = ("intake", "reviewer", "auditor", "admin")
PUBLIC_PATHS = {"/healthz", "/readyz", "/api/auth/login", "/dang-nhap", "/api/openapi.json"}


# The app and its sample routes ----------------------------------------------------------------

def sample_blueprint() -> Blueprint:
    bp = Blueprint("sample", __name__, url_prefix="/t")

    @bp.get("/dossiers/<dossier_id>")
    @permission(Permission.DOSSIER_READ)
    def view(dossier_id: str) -> ResponseReturnValue:
        with app_context().services.session() as db:
            dossier = visible_dossier(db, dossier_id)
            return jsonify(id=dossier.id, code=dossier.code)

    @bp.get("/dossiers/<dossier_id>/original")
    @permission(Permission.ORIGINAL_DOWNLOAD)
    def download(dossier_id: str) -> ResponseReturnValue:
        with app_context().services.session() as db:
            visible_dossier(db, dossier_id)
        return Response(b"%PDF-1.7 original", mimetype="application/pdf")

    @bp.post("/dossiers/<dossier_id>/archive")
    @permission(Permission.DOSSIER_ARCHIVE)
    def archive(dossier_id: str) -> ResponseReturnValue:
        reason = (request.get_json(silent=True) or {}).get("override_reason")
        if reason:
            require(Permission.ARCHIVE_OVERRIDE)
            audit_note("override", reason=reason)
        with app_context().services.session() as db:
            visible_dossier(db, dossier_id)
        return jsonify(archived=True)

    @bp.get("/search")
    @permission(Permission.SEARCH)
    def search() -> ResponseReturnValue:
        units = dossier_units()
        return jsonify(units=None if units is None else sorted(units))

    @bp.post("/review")
    @permission(Permission.REVIEW)
    def review() -> ResponseReturnValue:
        return jsonify(corrected=True)

    @bp.post("/dossiers")
    @permission(Permission.DOSSIER_CREATE)
    def new_dossier() -> ResponseReturnValue:
        requested = (request.get_json(silent=True) or {}).get("unit")
        return jsonify(unit=unit_for_new_dossier(requested, UNIT_A))

    @bp.get("/ping")
    @public
    def ping() -> ResponseReturnValue:
        return jsonify(pong=True)

    @bp.get("/undeclared")
    def undeclared() -> ResponseReturnValue:
        return jsonify(leaked=True)

    return bp


def build_app(services: Services, *, samples: bool = True) -> Flask:
    """The real app with auth installed (a no-op once ``create_app`` does it itself)."""
    app = create_app(services, make_queue(services.settings, lambda: services))
    install_auth(app, AuthConfig(secret_key="test-secret-key", hashing=CHEAP,
                                 lockout=LockoutPolicy(threshold=3, minutes=15)))
    if "auth" not in app.blueprints:
        app.register_blueprint(auth_routes.bp)
    if samples:
        app.register_blueprint(sample_blueprint())
    return app


def add_user(services: Services, name: str, role: str, units: list[str]) -> str:
    """Create a user; returns a bearer token for them."""
    with services.session() as db:
        accounts.add_user(db, name, PASSWORD, role, units, CHEAP)
        return accounts.issue_token(db, name, "test").token


@dataclass
class Stack:
    app: Flask
    services: Services
    tokens: dict[str, str]
    dossier_a: str
    dossier_b: str

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def as_(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def make_stack(services: Services) -> Stack:
    """The app, one user of each role in unit A, one intake officer in unit B, a provincial
    auditor of every unit, and a dossier in each unit."""
    app = build_app(services)
    tokens = {role: add_user(services, role, role, [UNIT_A]) for role in ROLES}
    tokens["other"] = add_user(services, "other", "intake", [UNIT_B])
    tokens["province"] = add_user(services, "province", "auditor", ["*"])
    a = create_dossier(services, "1.001193", UNIT_A).id
    b = create_dossier(services, "1.001193", UNIT_B).id
    return Stack(app, services, tokens, a, b)


@pytest.fixture
def stack(services: Services) -> Stack:
    return make_stack(services)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    return client.post("/api/auth/login", json={"username": username, "password": password})


# Login, lockout, enumeration --------------------------------------------------------------------

def test_login_sets_a_signed_http_only_session(stack: Stack) -> None:
    client = stack.client()
    response = login(client, "Reviewer")  # names are case-insensitive
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["user"]["username"] == "reviewer" and body["user"]["units"] == [UNIT_A]
    assert "review" in body["user"]["permissions"] and body["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("sohoa_session=") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and PASSWORD not in cookie
    me = client.get("/api/auth/me").get_json()
    assert me["user"]["role"] == "reviewer" and me["csrf_token"] == body["csrf_token"]
    assert client.post("/api/auth/logout",
                       headers={"X-CSRF-Token": body["csrf_token"]}).status_code == 204
    assert client.get("/api/auth/me").status_code == 401


def test_failures_do_not_tell_whether_the_user_exists(stack: Stack) -> None:
    client = stack.client()
    unknown = login(client, "nobody-here", "whatever-password")
    wrong = login(client, "intake", "wrong-password-1")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_json() == wrong.get_json()
    assert unknown.get_json()["code"] == "authentication_failed"
    assert unknown.mimetype == "application/problem+json"
    assert unknown.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"]
    assert "Set-Cookie" not in wrong.headers
    assert client.post("/api/auth/login", json={"username": 1}).status_code == 400
    assert login(client, "intake", "x" * 5000).status_code == 401  # over-long: same failure


def test_login_from_another_site_is_refused(stack: Stack) -> None:
    client = stack.client()
    form = {"username": "intake", "password": PASSWORD}
    forged = client.post("/api/auth/login", data=form, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403 and "Set-Cookie" not in forged.headers
    same = client.post("/api/auth/login", data=form, headers={"Origin": "http://localhost"})
    assert same.status_code == 200


def test_lockout_after_consecutive_failures(stack: Stack) -> None:
    client = stack.client()
    with stack.app.app_context():
        threshold = auth_config().lockout.threshold
    assert login(client, "intake", "wrong-password-1").status_code == 401
    assert login(client, "intake").status_code == 200  # success resets the count
    failures = [login(client, "intake", f"wrong-password-{i}") for i in range(threshold)]
    locked = login(client, "intake")  # right password, locked account
    assert locked.status_code == 401 and locked.get_json() == failures[0].get_json()
    assert login(client, "nobody-here").get_json() == locked.get_json()
    assert login(client, "reviewer").status_code == 200  # other accounts are not affected
    with stack.services.session() as db:
        user = accounts.get_user(db, "intake")
        assert user.locked_until is not None
        later = user.locked_until + dt.timedelta(seconds=1)
        policy = LockoutPolicy(threshold=threshold)
        assert accounts.authenticate_password(db, "intake", PASSWORD, hashing=CHEAP,
                                              policy=policy, now=later) is not None


# CSRF and tokens -------------------------------------------------------------------------------

def test_cookie_sessions_need_the_csrf_token(stack: Stack) -> None:
    client = stack.client()
    token = login(client, "reviewer").get_json()["csrf_token"]
    refused = client.post("/t/review")
    assert refused.status_code == 403 and refused.get_json()["code"] == "csrf_failed"
    assert client.post("/t/review", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post("/t/review", headers={"X-CSRF-Token": token}).status_code == 200
    assert client.post("/t/review", data={"csrf_token": token}).status_code == 200
    assert client.get("/t/search").status_code == 200  # reads need no token
    assert client.post("/api/auth/logout").status_code == 403  # logging out is a change too


def test_bearer_tokens_need_no_csrf(stack: Stack) -> None:
    client = stack.client()
    assert client.post("/t/review", headers=stack.as_("reviewer")).status_code == 200
    me = client.get("/api/auth/me", headers=stack.as_("reviewer")).get_json()
    assert me["user"]["via"] == "token" and me["csrf_token"] is None
    bad = client.get("/t/search", headers={"Authorization": "Bearer sohoa_not-a-token"})
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/t/search", headers={"Authorization": "Basic eDp5"}).status_code == 401
    with stack.services.session() as db:
        assert accounts.revoke_tokens(db, "reviewer") == 1
    assert client.post("/t/review", headers=stack.as_("reviewer")).status_code == 401


def test_sessions_end_when_the_role_changes(stack: Stack) -> None:
    client = stack.client()
    login(client, "intake")
    assert client.get("/api/auth/me").status_code == 200
    with stack.services.session() as db:
        accounts.set_role(db, "intake", "reviewer")
    assert client.get("/api/auth/me").status_code == 401


# Every route declares its permission; every role gets exactly its own ---------------------------

SAMPLE_MATRIX: list[tuple[str, str, dict[str, object] | None, set[str]]] = [
    ("GET", "/t/dossiers/{a}", None, {"intake", "reviewer", "auditor", "admin"}),
    ("GET", "/t/dossiers/{a}/original", None, {"intake", "reviewer", "admin"}),
    ("POST", "/t/dossiers/{a}/archive", {}, {"intake", "reviewer", "admin"}),
    ("POST", "/t/dossiers/{a}/archive", {"override_reason": "thiếu bản sao"},
     {"reviewer", "admin"}),
    ("GET", "/t/search", None, {"intake", "reviewer", "auditor", "admin"}),
    ("POST", "/t/review", {}, {"reviewer", "admin"}),
    ("GET", "/api/audit", None, {"auditor", "admin"}),
    ("GET", "/api/audit/export", None, {"auditor", "admin"}),
]


def test_role_route_matrix(stack: Stack) -> None:
    client = stack.client()
    for method, template, body, allowed in SAMPLE_MATRIX:
        path = template.format(a=stack.dossier_a)
        anonymous = client.open(path, method=method, json=body)
        assert anonymous.status_code == 401, (method, path)
        for role in ROLES:
            response = client.open(path, method=method, json=body, headers=stack.as_(role))
            expected = 200 if role in allowed else 403
            assert response.status_code == expected, (role, method, path, response.get_json())
    assert client.get("/t/ping").status_code == 200
    for headers in ({}, stack.as_("admin")):
        refused = client.get("/t/undeclared", headers=headers)
        assert refused.status_code == 403 and b"leaked" not in refused.data


def test_undeclared_routes_are_listed(stack: Stack) -> None:
    undeclared = undeclared_routes(stack.app)
    assert "GET /t/undeclared (sample.undeclared)" in undeclared
    assert not any("/t/ping" in line or "/api/auth/" in line or "/api/audit" in line
                   for line in undeclared)
    rules = {(r.rule, r.methods): r for r in route_permissions(stack.app)}
    assert rules["/t/ping", ("GET",)].permission is Permission.PUBLIC
    assert rules["/t/dossiers/<dossier_id>/original", ("GET",)].audit_action == "download"


def test_every_route_of_the_full_app_declares_a_permission(services: Services) -> None:
    app = build_app(services, samples=False)
    assert undeclared_routes(app) == []
    public_rules = {r.rule for r in route_permissions(app) if r.permission is Permission.PUBLIC}
    assert public_rules == PUBLIC_PATHS


def test_full_app_declared_routes_against_every_role(services: Services) -> None:
    """Each declared route of the real app: 401 anonymous, 403 exactly for the roles without."""
    app = build_app(services, samples=False)
    tokens = {role: add_user(services, role, role, [UNIT_A]) for role in ROLES}
    client = app.test_client()
    checked = 0
    for rule in route_permissions(app):
        if rule.permission is None or rule.permission is Permission.PUBLIC:
            continue
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int"
                      else "00000000-0000-0000-0000-000000000000", rule.rule)
        for method in rule.methods:
            assert client.open(path, method=method).status_code == 401, (method, path)
            for role in ROLES:
                status = client.open(path, method=method,
                                     headers={"Authorization": f"Bearer {tokens[role]}"}
                                     ).status_code
                allowed = Role(role) in roles_with(rule.permission)
                assert (status == 403) != allowed and status != 401, (role, method, path)
            checked += 1
    assert checked >= 4  # at least logout, me, the audit log and its export


def roles_with(needed: Permission) -> set[Role]:
    return {role for role in Role
            if Principal("", "", role, frozenset()).can(needed)}


# Units ------------------------------------------------------------------------------------------

def test_another_units_dossier_is_not_found(stack: Stack) -> None:
    client = stack.client()
    own = client.get(f"/t/dossiers/{stack.dossier_a}", headers=stack.as_("intake"))
    assert own.status_code == 200
    hidden = client.get(f"/t/dossiers/{stack.dossier_a}", headers=stack.as_("other"))
    missing_id = "11111111-1111-1111-1111-111111111111"
    missing = client.get(f"/t/dossiers/{missing_id}", headers=stack.as_("other"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json()["message_en"] == f"Dossier {stack.dossier_a} not found."
    assert (hidden.get_data(as_text=True).replace(stack.dossier_a, missing_id)
            == missing.get_data(as_text=True))
    download = client.get(f"/t/dossiers/{stack.dossier_a}/original", headers=stack.as_("other"))
    assert download.status_code == 404
    for name in ("province",):  # "*": every unit
        for dossier in (stack.dossier_a, stack.dossier_b):
            assert client.get(f"/t/dossiers/{dossier}", headers=stack.as_(name)).status_code == 200
    units = client.get("/t/search", headers=stack.as_("other")).get_json()["units"]
    assert units == [UNIT_B]
    assert client.get("/t/search", headers=stack.as_("province")).get_json()["units"] is None


def test_new_dossiers_go_to_the_users_own_unit(stack: Stack) -> None:
    client = stack.client()
    tokens = add_user(stack.services, "counter", "intake", [UNIT_B]), stack.tokens["province"]
    intake, province = ({"Authorization": f"Bearer {t}"} for t in tokens)
    assert client.post("/t/dossiers", json={}, headers=intake).get_json() == {"unit": UNIT_B}
    refused = client.post("/t/dossiers", json={"unit": UNIT_A}, headers=intake)
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"
    assert client.post("/t/dossiers", json={}, headers=stack.as_("admin")).status_code == 200
    assert client.post("/t/dossiers", json={"unit": UNIT_B},
                       headers=stack.as_("admin")).status_code == 403
    assert client.post("/t/dossiers", json={}, headers=province).status_code == 403  # auditor


def test_the_session_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    key = load_or_create_secret(tmp_path / "var")
    assert len(key) >= 48 and load_or_create_secret(tmp_path / "var") == key
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600


# The command line ------------------------------------------------------------------------------

def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sohoa")
    add_user_commands(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


def test_cli_user_add_role_and_token(database_url: str,
                                     monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOHOA_DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert run_cli(["user", "add", "Lan.Nguyen", "--role", "intake", "--unit", UNIT_A,
                    "--unit", UNIT_B]) == 0
    assert run_cli(["user", "role", "lan.nguyen", "reviewer", "--unit", UNIT_B]) == 0
    capsys.readouterr()
    assert run_cli(["user", "token", "lan.nguyen", "--label", "máy quét 1"]) == 0
    token = capsys.readouterr().out.strip()
    from storage.db import make_engine, make_session_factory

    engine = make_engine(database_url)
    with make_session_factory(engine)() as db:
        user = accounts.authenticate_token(db, token)
        assert user is not None and user.role is Role.REVIEWER and user.units == {UNIT_B}
        assert accounts.authenticate_password(db, "LAN.NGUYEN", PASSWORD, hashing=CHEAP,
                                              policy=LockoutPolicy()) is not None
    engine.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    with pytest.raises(accounts.UserExists):
        run_cli(["user", "add", "lan.nguyen", "--role", "admin", "--unit", UNIT_A])
    with pytest.raises(InvalidUnit):
        run_cli(["user", "role", "lan.nguyen", "--unit", "not-a-unit"])
    with pytest.raises(accounts.InvalidUser):
        accounts.parse_role("boss")
