"""``sohoa user …`` and ``sohoa audit verify``: accounts, roles, units, API tokens, the chain.

Only the database is needed (not S3 or Tesseract). Every change is itself written to the audit
log, as ``cli:<system user>``.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from api.settings import Settings
from ingest.errors import SohoaError
from storage import audit
from storage import auth as accounts
from storage.auth import PasswordHashing, Role
from storage.db import make_engine, make_session_factory, migrate

ROLES = [r.value for r in Role]


def add_user_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``user`` and ``audit`` to the ``sohoa`` parser."""
    user = commands.add_parser("user", help="người dùng, vai trò, đơn vị, mã truy cập API")
    actions = user.add_subparsers(required=True, metavar="ACTION")
    add = actions.add_parser("add", help="thêm người dùng")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    _unit_option(add, required=True)
    add.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin")
    add.set_defaults(handler=user_add)
    role = actions.add_parser("role", help="đổi vai trò và/hoặc đơn vị (thay toàn bộ)")
    role.add_argument("username")
    role.add_argument("role", nargs="?", choices=ROLES)
    _unit_option(role, required=False)
    role.set_defaults(handler=user_role)
    token = actions.add_parser("token", help="cấp mã truy cập API (in một lần)")
    token.add_argument("username")
    token.add_argument("--label", default="", help="dùng cho máy/ứng dụng nào")
    token.add_argument("--days", type=int, default=365, help="hiệu lực (ngày); 0 = không hạn")
    token.add_argument("--revoke", action="store_true", help="thu hồi mọi mã của người dùng")
    token.set_defaults(handler=user_token)
    password = actions.add_parser("password", help="đặt lại mật khẩu")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(handler=user_password)
    for name, text in (("disable", "khóa tài khoản"), ("enable", "mở lại tài khoản"),
                       ("unlock", "gỡ khóa do đăng nhập sai")):
        state = actions.add_parser(name, help=text)
        state.add_argument("username")
        state.set_defaults(handler=user_state, state=name)
    listing = actions.add_parser("list", help="liệt kê người dùng")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=user_list)
    audit_parser = commands.add_parser("audit", help="nhật ký truy cập")
    audit_actions = audit_parser.add_subparsers(required=True, metavar="ACTION")
    verify = audit_actions.add_parser("verify", help="kiểm tra chuỗi băm của nhật ký")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=audit_verify)


def _unit_option(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--unit", dest="units", action="extend", nargs="+", required=required,
                        metavar="UNIT", help="mã định danh đơn vị, ví dụ 000.00.15.H05 "
                                             "(nhiều đơn vị: lặp lại; * = mọi đơn vị)")


@contextmanager
def database(settings: Settings | None = None) -> Iterator[Session]:
    """One transaction on the configured database, migrated first."""
    engine = make_engine((settings or Settings()).resolved_database_url)
    try:
        migrate(engine)
        with make_session_factory(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def _record(session: Session, action: str, username: str, **detail: Any) -> None:
    audit.append(session, audit.AuditRecord(
        username=f"cli:{getpass.getuser()}", role="", action=action, target=f"user:{username}",
        address="local", detail=detail))


def read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu / password: ")
    if getpass.getpass("Nhập lại / again: ") != first:
        raise SohoaError("Hai lần nhập mật khẩu không khớp.", "The passwords do not match.",
                         code="invalid_request")
    return first


def user_add(args: argparse.Namespace) -> int:
    password = read_password(args.password_stdin)
    with database() as session:
        user = accounts.add_user(session, args.username, password, args.role, args.units,
                                 PasswordHashing())
        units = [u.unit for u in user.units]
        _record(session, "user_add", user.username, role=user.role, units=units)
    print(f"Đã thêm {user.username} ({user.role}; đơn vị: {', '.join(units)})")
    return 0


def user_role(args: argparse.Namespace) -> int:
    if args.role is None and args.units is None:
        raise SohoaError("Cho biết vai trò mới và/hoặc --unit.", "Give a new role and/or --unit.",
                         code="invalid_request")
    with database() as session:
        user = accounts.set_role(session, args.username, args.role, args.units)
        units = [u.unit for u in user.units]
        _record(session, "user_role", user.username, role=user.role, units=units)
    print(f"{user.username}: {user.role}; đơn vị: {', '.join(units)} (phiên cũ đã hết hiệu lực)")
    return 0


def user_token(args: argparse.Namespace) -> int:
    with database() as session:
        if args.revoke:
            count = accounts.revoke_tokens(session, args.username)
            _record(session, "token_revoke", args.username, revoked=count)
            print(f"Đã thu hồi {count} mã truy cập của {args.username}")
            return 0
        issued = accounts.issue_token(session, args.username, args.label, args.days or None)
        _record(session, "token_issue", args.username, prefix=issued.prefix, label=args.label)
    until = issued.expires_at.date().isoformat() if issued.expires_at else "không hạn"
    print(f"Mã truy cập (chỉ hiện một lần; hạn {until}):", file=sys.stderr)
    print(issued.token)
    return 0


def user_password(args: argparse.Namespace) -> int:
    password = read_password(args.password_stdin)
    with database() as session:
        user = accounts.set_password(session, args.username, password, PasswordHashing())
        _record(session, "user_password", user.username)
    print(f"Đã đặt lại mật khẩu của {user.username}")
    return 0


def user_state(args: argparse.Namespace) -> int:
    with database() as session:
        if args.state == "unlock":
            user = accounts.unlock(session, args.username)
        else:
            user = accounts.set_active(session, args.username, args.state == "enable")
        _record(session, f"user_{args.state}", user.username)
    print(f"{user.username}: {args.state} xong")
    return 0


def user_list(args: argparse.Namespace) -> int:
    with database() as session:
        users = [(u.username, u.role, [x.unit for x in u.units], u.active, u.locked_until)
                 for u in accounts.list_users(session)]
    if args.json:
        print(json.dumps([{"username": name, "role": role, "units": units, "active": active,
                           "locked_until": locked.isoformat() if locked else None}
                          for name, role, units, active, locked in users],
                         ensure_ascii=False, indent=2))
        return 0
    for name, role, units, active, _locked in users:
        print(f"{name:<24} {role:<9} {', '.join(units)}{'' if active else ' (đã khóa)'}")
    return 0


def audit_verify(args: argparse.Namespace) -> int:
    """Exit 0 if the chain is intact, 1 (and where it breaks) if not."""
    with database() as session:
        result = audit.verify_chain(session)
    if args.json:
        print(json.dumps({"ok": result.ok, "checked": result.checked,
                          "first_bad_id": result.first_bad_id, "reason": result.reason,
                          "head_hash": result.head_hash}))
    elif result.ok:
        print(f"Nhật ký nguyên vẹn: {result.checked} mục; băm cuối {result.head_hash}")
    else:
        print(f"NHẬT KÝ BỊ SỬA HOẶC XÓA tại mục {result.first_bad_id}: {result.reason} "
              f"({result.checked} mục đầu nguyên vẹn)")
    return 0 if result.ok else 1
