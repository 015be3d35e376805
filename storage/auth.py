"""Users (người dùng), their units and roles, passwords, API tokens and lockout.

Passwords are hashed with argon2id; API tokens are long random strings stored only as their
SHA-256. A login that fails says nothing about why: unknown user, wrong password, disabled or
locked account all give the same answer after the same work (an unknown user's password is
checked against a dummy hash). A user sees only dossiers of their units (mã định danh đơn vị);
another unit's dossier is "not found", exactly as a missing one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from storage import repository as repo
from storage.roles import (
    ALL_UNITS,
    MAX_PASSWORD,
    MIN_PASSWORD,
    ROLE_PERMISSIONS,
    TOKEN_PREFIX,
    USERNAME,
    AuthenticationFailed,
    AuthenticationRequired,
    AuthError,
    Forbidden,
    InvalidUser,
    Permission,
    Role,
    UnknownUser,
    UserExists,
)
from storage.tables import Base, DateTime, Document, Dossier, Job, utcnow

__all__ = [  # names of storage.roles that callers import from here
    "ALL_UNITS",
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "ROLE_PERMISSIONS",
    "TOKEN_PREFIX",
    "USERNAME",
    "AuthError",
    "AuthenticationFailed",
    "AuthenticationRequired",
    "Forbidden",
    "InvalidUser",
    "Permission",
    "Role",
    "UnknownUser",
    "UserExists",
]



class User(Base):
    """An account: one role, one or more units."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)
    auth_epoch: Mapped[int] = mapped_column(Integer, default=0)  # bumped: old sessions end
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)
    units: Mapped[list[UserUnit]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                 order_by="UserUnit.unit")


class UserUnit(Base):
    __tablename__ = "user_units"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    unit: Mapped[str] = mapped_column(String(35), primary_key=True)


class ApiToken(Base):
    """A bearer token for a machine, stored as the SHA-256 of its text."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(), nullable=True)


@dataclass(frozen=True)
class Principal:
    """Who is acting in one request, detached from any database session."""

    user_id: str
    username: str
    role: Role
    units: frozenset[str]
    epoch: int = 0
    via: str = "session"  # session | token | cli

    def can(self, permission: Permission) -> bool:
        return permission is Permission.PUBLIC or permission in ROLE_PERMISSIONS[self.role]

    def sees_unit(self, unit: str) -> bool:
        return ALL_UNITS in self.units or unit in self.units


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int = 5  # consecutive failures …
    minutes: int = 15  # … lock the account this long


@dataclass
class PasswordHashing:
    """argon2id with the library's defaults (RFC 9106 low-memory profile)."""

    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    _dummy: str | None = field(default=None, repr=False)

    def hash(self, password: str) -> str:
        return self.hasher.hash(_nfc(password))

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, _nfc(password))
        except (VerificationError, InvalidHashError):
            return False

    def waste_time(self, password: str) -> None:
        """The same work as a real check, for a user that does not exist."""
        if self._dummy is None:
            self._dummy = self.hash(secrets.token_urlsafe(16))
        self.verify(self._dummy, password)

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, never stored
    prefix: str
    expires_at: dt.datetime | None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalize_username(username: str) -> str:
    return _nfc(username).strip().lower()


def principal_of(user: User, via: str = "session") -> Principal:
    return Principal(user_id=user.id, username=user.username, role=Role(user.role),
                     units=frozenset(u.unit for u in user.units), epoch=user.auth_epoch, via=via)


def find_user(session: Session, username: str) -> User | None:
    name = normalize_username(username)
    return session.scalars(select(User).where(User.username == name)).one_or_none()


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise UnknownUser(f"Không có người dùng {username!r}.", f"No user {username!r}.")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def check_password_rules(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidUser(f"Mật khẩu cần từ {MIN_PASSWORD} đến {MAX_PASSWORD} ký tự.",
                          f"A password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters.")


def parse_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InvalidUser(f"Vai trò không hợp lệ: {role!r} ({names}).",
                          f"Invalid role {role!r} ({names}).") from None


def parse_units(units: Iterable[str]) -> list[str]:
    parsed = sorted({u.strip() if u.strip() == ALL_UNITS else repo.validate_unit(u)
                     for u in units})
    if not parsed:
        raise InvalidUser("Người dùng cần thuộc ít nhất một đơn vị.",
                          "A user needs at least one unit.")
    return parsed


def add_user(session: Session, username: str, password: str, role: str, units: Iterable[str],
             hashing: PasswordHashing) -> User:
    name = normalize_username(username)
    if not USERNAME.match(name):
        raise InvalidUser(f"Tên đăng nhập không hợp lệ: {username!r} (a-z, 0-9, . _ -).",
                          f"Invalid username {username!r} (a-z, 0-9, . _ -).")
    if find_user(session, name) is not None:
        raise UserExists(f"Đã có người dùng {name}.", f"User {name} already exists.")
    check_password_rules(password)
    user = User(id=repo.new_id(), username=name, password_hash=hashing.hash(password),
                role=parse_role(role).value, active=True, failed_logins=0, auth_epoch=0,
                created_at=utcnow())
    user.units = [UserUnit(unit=u) for u in parse_units(units)]
    session.add(user)
    session.flush()
    return user


def set_role(session: Session, username: str, role: str | None = None,
             units: Iterable[str] | None = None) -> User:
    """Change the role and/or replace the units; sessions signed in before end."""
    user = get_user(session, username)
    if role is not None:
        user.role = parse_role(role).value
    if units is not None:
        wanted = parse_units(units)
        user.units = [u for u in user.units if u.unit in wanted] + [
            UserUnit(unit=u) for u in wanted if u not in {x.unit for x in user.units}]
    user.auth_epoch += 1
    return user


def set_password(session: Session, username: str, password: str,
                 hashing: PasswordHashing) -> User:
    check_password_rules(password)
    user = unlock(session, username)
    user.password_hash = hashing.hash(password)
    user.auth_epoch += 1
    return user


def set_active(session: Session, username: str, active: bool) -> User:
    user = unlock(session, username)
    user.active = active
    user.auth_epoch += 1
    return user


def authenticate_password(session: Session, username: str, password: str, *,
                          hashing: PasswordHashing, policy: LockoutPolicy,
                          now: dt.datetime | None = None) -> Principal | None:
    """The principal, or None for any failure (returned, so the failure count is committed)."""
    now = now or utcnow()
    name = normalize_username(username)[:64]
    user = session.scalars(select(User).where(User.username == name).with_for_update()
                           ).one_or_none()
    if user is None or len(password) > MAX_PASSWORD:
        hashing.waste_time(password[:MAX_PASSWORD])
        return None
    matches = hashing.verify(user.password_hash, password)
    if user.locked_until is not None and user.locked_until > now:
        return None  # locked: not counted, so a lock cannot be extended forever
    if not matches:
        _count_failure(user, policy, now)
        return None
    if not user.active:
        return None
    if hashing.needs_rehash(user.password_hash):
        user.password_hash = hashing.hash(password)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    return principal_of(user, via="session")


def _count_failure(user: User, policy: LockoutPolicy, now: dt.datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= policy.threshold:
        user.failed_logins = 0
        user.locked_until = now + dt.timedelta(minutes=policy.minutes)


def unlock(session: Session, username: str) -> User:
    user = get_user(session, username)
    user.failed_logins, user.locked_until = 0, None
    return user


def load_principal(session: Session, user_id: str, epoch: int) -> Principal | None:
    """The signed-in user of a session cookie, if the account still holds it."""
    user = session.get(User, user_id)
    if user is None or not user.active or user.auth_epoch != epoch:
        return None
    return principal_of(user, via="session")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue_token(session: Session, username: str, label: str = "",
                days: int | None = 365) -> IssuedToken:
    user = get_user(session, username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(days=days) if days else None
    session.add(ApiToken(id=repo.new_id(), user_id=user.id, token_sha256=token_digest(token),
                         prefix=token[:12], label=label[:100], created_at=utcnow(),
                         expires_at=expires))
    return IssuedToken(token=token, prefix=token[:12], expires_at=expires)


def authenticate_token(session: Session, token: str,
                       now: dt.datetime | None = None) -> Principal | None:
    now = now or utcnow()
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == token_digest(token))
                          ).one_or_none()
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=5):
        row.last_used_at = now  # at most one write per token every five minutes
    return principal_of(user, via="token")


def revoke_tokens(session: Session, username: str) -> int:
    user = get_user(session, username)
    rows = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                       ApiToken.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)


def visible_units(user: Principal) -> frozenset[str] | None:
    """The units whose dossiers ``user`` may see; None means every unit."""
    return None if ALL_UNITS in user.units else user.units


def ensure_visible(user: Principal, dossier_unit: str, dossier_ref: str = "") -> None:
    """Another unit's dossier is not found (404), word for word as a missing one."""
    if not user.sees_unit(dossier_unit):
        raise repo.NotFound(f"Không tìm thấy hồ sơ {dossier_ref}.",
                            f"Dossier {dossier_ref} not found.")


def visible_dossier(session: Session, user: Principal, dossier_id: str) -> Dossier:
    dossier = repo.get_dossier(session, dossier_id)
    ensure_visible(user, dossier.unit, dossier_id)
    return dossier


def visible_document(session: Session, user: Principal, document_id: str) -> Document:
    document = repo.get_document(session, document_id)
    if not user.sees_unit(document.dossier.unit):
        raise repo.NotFound(f"Không tìm thấy giấy tờ {document_id}.",
                            f"Document {document_id} not found.")
    return document


def visible_job(session: Session, user: Principal, job_id: str) -> Job:
    job = repo.get_job(session, job_id)
    if not user.sees_unit(job.dossier.unit):
        raise repo.NotFound(f"Không tìm thấy tác vụ {job_id}.", f"Job {job_id} not found.")
    return job
