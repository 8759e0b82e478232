"""API keys: how an organisation's own systems use the JSON API, as the person who made the key.

The format is `nl_live_` + 43 URL-safe base64 characters (256 bits from `secrets`) + 6 base62
characters of the CRC32 of everything before them. The fixed prefix lets secret scanners find a
leaked key; the checksum lets them (and the portal) tell a real key from a look-alike without a
database look-up. Only the key's SHA-256 is kept, with its last four characters so people can tell
their keys apart. A key is shown once, when it is made.
"""
from __future__ import annotations

import re
import secrets
import string
import zlib
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection

from portal.accounts.leaving import Departure
from portal.accounts.users import Role, User
from portal.audit import log as audit
from portal.security import hash_token, redact_email

PREFIX = "nl_live_"
RANDOM_CHARACTERS = 43                       # token_urlsafe(32): 256 bits
CHECKSUM_CHARACTERS = 6                      # 62**6 > 2**32: any CRC32 fits
KEY_PATTERN = re.compile(rf"^{PREFIX}[A-Za-z0-9_-]{{{RANDOM_CHARACTERS}}}[0-9A-Za-z]{{{CHECKSUM_CHARACTERS}}}$")
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase

# who may make keys: the people who do the work; guests only read
MAKERS = (Role.ADMIN, Role.PRODUCER)


def checksum(text: str) -> str:
    """CRC32 of `text`, as 6 base62 characters (most significant first, zero padded)."""
    value = zlib.crc32(text.encode("ascii"))
    digits = []
    for _ in range(CHECKSUM_CHARACTERS):
        value, digit = divmod(value, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits))


def new_key() -> str:
    body = PREFIX + secrets.token_urlsafe(32)
    return body + checksum(body)


def well_formed(key: str | None) -> bool:
    """The prefix, the length, the alphabet and the checksum are right: a key the portal could have made."""
    if not key or KEY_PATTERN.fullmatch(key) is None:
        return False
    return checksum(key[:-CHECKSUM_CHARACTERS]) == key[-CHECKSUM_CHARACTERS:]


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    last_four: str
    created_at: datetime
    last_used_at: datetime | None


_COLUMNS = "id, name, last_four, created_at, last_used_at"


def _key(row: dict) -> ApiKey:
    return ApiKey(id=row["id"], name=row["name"], last_four=row["last_four"], created_at=row["created_at"],
                  last_used_at=row["last_used_at"])


def create(conn: Connection, user: User, name: str) -> tuple[ApiKey, str] | None:
    """A new key for `user`, and the key itself (shown this once); None when they may not make keys."""
    if user.role not in MAKERS or not user.is_active:
        return None
    key = new_key()
    row = conn.execute(
        f"INSERT INTO api_keys (user_id, name, key_hash, last_four) VALUES (%s, %s, %s, %s) RETURNING {_COLUMNS}",
        (user.id, name, hash_token(key), key[-4:]),
    ).fetchone()
    audit.record(conn, "api_key.created", "succeeded", actor_label=redact_email(user.email), actor_user_id=user.id,
                 tenant_id=user.tenant_id, details={"api_key_id": row["id"]})
    return _key(row), key


def live_keys(conn: Connection, user: User) -> list[ApiKey]:
    """The person's keys that still work, newest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM api_keys WHERE user_id = %s AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
        (user.id,),
    ).fetchall()
    return [_key(r) for r in rows]


def revoke(conn: Connection, user: User, key_id: int) -> bool:
    """Revoke one of the person's own keys, at once; False when they have no such live key."""
    row = conn.execute(
        "UPDATE api_keys SET revoked_at = now(), revoked_by = %s, revoked_reason = 'revoked'"
        " WHERE id = %s AND user_id = %s AND revoked_at IS NULL RETURNING id",
        (user.id, key_id, user.id),
    ).fetchone()
    if row is None:
        return False
    audit.record(conn, "api_key.revoked", "succeeded", actor_label=redact_email(user.email), actor_user_id=user.id,
                 tenant_id=user.tenant_id, reason="revoked", details={"api_key_id": key_id})
    return True


@dataclass(frozen=True)
class Holder:
    """Who a key speaks for, and which key it was."""
    user: User
    key_id: int


def resolve(conn: Connection, key: str | None) -> Holder | None:
    """The active person behind a live key, or None; a use is recorded as the key's last use."""
    if not well_formed(key):
        return None
    row = conn.execute(
        "SELECT u.id, u.email, u.name, u.role, u.status, u.tenant_id, t.name AS tenant_name, t.kind AS tenant_kind,"
        "       k.id AS key_id"
        "  FROM api_keys k JOIN users u ON u.id = k.user_id JOIN tenants t ON t.id = u.tenant_id"
        " WHERE k.key_hash = %s AND k.revoked_at IS NULL AND u.status = 'active'",
        (hash_token(key),),
    ).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE api_keys SET last_used_at = now() WHERE id = %s", (row["key_id"],))
    return Holder(user=User.from_row(row), key_id=row["key_id"])


def revoke_keys_of(conn: Connection, departure: Departure) -> None:
    """A departure step: the person's keys stop now, for good (reinstating revives none)."""
    rows = conn.execute(
        "UPDATE api_keys SET revoked_at = now(), revoked_by = %s, revoked_reason = %s"
        " WHERE user_id = %s AND revoked_at IS NULL RETURNING id",
        (departure.by_user_id, f"owner_{departure.reason}", departure.user_id),
    ).fetchall()
    for row in rows:
        audit.record(conn, "api_key.revoked", "succeeded", actor_label="portal", actor_user_id=departure.by_user_id,
                     tenant_id=departure.tenant_id, reason=f"owner_{departure.reason}",
                     details={"api_key_id": row["id"], "owner_user_id": departure.user_id})
