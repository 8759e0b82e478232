"""The API access driver: API keys, what a system holding one can do, and the JSON API's budget."""
from __future__ import annotations

import base64
import re
import string
import zlib

from support.evidence import attachments
from support.harness import clock
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient

KEYS = "/me/api-keys"
# the documented format (README, "API keys"): recognisable by secret scanners, checked offline
KEY_FORMAT = re.compile(r"^nl_live_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$")
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def checksum(text: str) -> str:
    """The key's last 6 characters as the README documents them: CRC32 of the rest, in base62."""
    value, digits = zlib.crc32(text.encode("ascii")), []
    for _ in range(6):
        value, digit = divmod(value, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits))


def in_key_format(key: str) -> bool:
    return bool(KEY_FORMAT.fullmatch(key)) and checksum(key[:-6]) == key[-6:]


def random_bits(key: str) -> int:
    body = key[len("nl_live_"):-6]
    return len(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) * 8


def never_issued_key() -> str:
    import secrets

    body = "nl_live_" + secrets.token_urlsafe(32)
    return body + checksum(body)


# -- keys ----------------------------------------------------------------------------------------------

def attempt_make_key(client: PortalClient, name: str) -> Exchange:
    return client.post(KEYS, json={"name": name})


def list_keys(client: PortalClient) -> Exchange:
    return client.get(KEYS)


def attempt_revoke(client: PortalClient, key_id: int) -> Exchange:
    return client.request("DELETE", f"{KEYS}/{key_id}")


def make_key(world, actor, name: str) -> tuple[str, int]:
    made = answered(world, attempt_make_key(actor.client, name), 201, meaning=f"{actor.name} to make an API key").json()
    world.remember_secret(made["key"])
    return made["key"], made["id"]


def keys_listed(world, actor) -> list[dict]:
    return answered(world, list_keys(actor.client), 200, meaning=f"{actor.name}'s API keys").json()["api_keys"]


def stored_key_rows(world, actor) -> list[dict]:
    rows = world.db.execute("SELECT id, name, key_hash, last_four, revoked_at FROM api_keys WHERE user_id = %s",
                            (actor.user_id,)).fetchall()
    attachments.attach_rows(world, f"{actor.name}'s API keys as stored", "api_keys", rows)
    return rows


# -- a system holding a key ----------------------------------------------------------------------------

def system(world, owner_name: str, key: str | None, scheme: str = "Bearer") -> PortalClient:
    """A system of its own (no cookies), sending `Authorization: <scheme> <key>` with every request."""
    client = world.client(f"{owner_name}'s system")
    if key is not None:
        client.http.headers["Authorization"] = f"{scheme} {key}".rstrip()
    return client


def list_projects(client: PortalClient) -> Exchange:
    return client.get("/projects")


# -- the JSON API's budget -----------------------------------------------------------------------------

def burst(client: PortalClient, count: int, path: str = "/projects") -> list[Exchange]:
    return [client.get(path) for _ in range(count)]


def move_windows_back(world, seconds: float) -> None:
    """Every rate window of this scenario's callers opened `seconds` earlier (the portal decides by the database clock)."""
    moved = clock.move_back(world, "api_rate_windows", ("window_start",), seconds / 60, "window_start >= %s",
                            (world.started_at,))
    assert moved, "no caller of this scenario has a rate window to move back in time"


def rate_fields(exchange: Exchange) -> dict[str, str]:
    """The IETF RateLimit fields of an answer: {"policy": ..., "limit": ...}."""
    return {"policy": exchange.header("RateLimit-Policy") or "", "limit": exchange.header("RateLimit") or ""}


# -- keys a system holds that the portal refuses, and how they came to be -------------------------------

def _made_by_theo(world) -> tuple[str, int]:
    from support.drivers.sessions import ensure_signed_in

    return make_key(world, ensure_signed_in(world, "Theo"), "Asset manager")


def _nothing(world):
    return "", "Bearer"


def _other_scheme(scheme: str):
    """The key under another HTTP authentication scheme: Basic sorts before Bearer, Token after it
    (a refusal that compared schemes by order rather than by name would let one of them through)."""
    def held(world):
        return _made_by_theo(world)[0], scheme
    return held


def _wrong_checksum(world):
    key = _made_by_theo(world)[0]
    return key[:-1] + ("A" if key[-1] != "A" else "B"), "Bearer"


def _cut_short(world):
    return _made_by_theo(world)[0][:-7], "Bearer"


def _revoked(world):
    key, key_id = _made_by_theo(world)
    answered(world, attempt_revoke(world.actor("Theo").client, key_id), 204, meaning="Theo to revoke the key")
    return key, "Bearer"


def _of_suspended(world):
    from support.drivers.people import suspend
    from support.drivers.sessions import ensure_signed_in

    key = _made_by_theo(world)[0]
    answered(world, suspend(ensure_signed_in(world, "Bea").client, world.actor("Theo").user_id), 200,
             meaning="Bea to suspend Theo")
    return key, "Bearer"


HELD_KEYS = {
    "no key after the word Bearer": _nothing,
    "a key under the scheme Basic instead of Bearer": _other_scheme("Basic"),
    "a key under the scheme Token instead of Bearer": _other_scheme("Token"),
    "a key with a wrong checksum": _wrong_checksum,
    "a key cut short": _cut_short,
    "a key Theo revoked": _revoked,
    "a key of Theo's, who has since been suspended": _of_suspended,
}


# -- callers of the JSON API, each with a budget of its own ---------------------------------------------

def _theos_system(world) -> PortalClient:
    from support.drivers.sessions import ensure_signed_in

    key, _ = make_key(world, ensure_signed_in(world, "Theo"), "Asset manager")
    world.api_access.key = key
    return system(world, "Theo", key)


def _theos_browser(world) -> PortalClient:
    from support.drivers.sessions import ensure_signed_in

    return ensure_signed_in(world, "Theo").client


def _umas_browser(world) -> PortalClient:
    return world.actor("Uma").client


CALLERS = {"Theo's system": _theos_system, "Theo's browser": _theos_browser, "Uma's browser": _umas_browser}


def windows(world) -> dict[str, int]:
    """Every open rate window: bucket -> requests counted."""
    return {r["bucket"]: r["hits"] for r in world.db.execute("SELECT bucket, hits FROM api_rate_windows").fetchall()}


def burst_counted(world, client: PortalClient, count: int, path: str = "/projects") -> str:
    """`count` requests, none of which may be refused as too many (an anonymous caller's are answered
    `404`, as anything gated is); returns the rate window they were counted in."""
    before = windows(world)
    for answer in burst(client, count, path):
        if answer.status == 429:
            raise AssertionError(f"a request within the budget was refused: {answer.summary(world.secrets)}")
    after = windows(world)
    grown = [b for b, hits in after.items() if hits - before.get(b, 0) == count]
    assert len(grown) == 1, f"{count} requests of {client.actor} were counted in {len(grown)} windows, not one"
    return grown[0]


def open_window_at(world, bucket: str, seconds_ago: float) -> None:
    """The caller's rate window opened exactly `seconds_ago` by the database clock."""
    moved = world.db.execute("UPDATE api_rate_windows SET window_start = now() - make_interval(secs => %s)"
                             " WHERE bucket = %s", (seconds_ago, bucket)).rowcount
    assert moved, "the caller has no rate window to move back in time"


def window_count(world) -> int:
    return world.db.execute("SELECT count(*) AS n FROM api_rate_windows").fetchone()["n"]
