"""Link passwords: stored only as argon2id hashes (slow on purpose), checked in constant time.

The cost of a new hash is a setting (`portal.config.Settings.password_hash_*`); a stored hash
carries its own parameters, so hashes made at any cost keep verifying after the setting changes."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.config import Settings


_PRODUCTION_COST = (Settings.password_hash_time_cost, Settings.password_hash_memory_kib,
                    Settings.password_hash_parallelism)


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hash_password(password: str, cfg: Settings) -> str:
    return _hasher(cfg.password_hash_time_cost, cfg.password_hash_memory_kib, cfg.password_hash_parallelism).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        # verification reads the parameters from the hash itself, whatever the hasher's own
        return _hasher(*_PRODUCTION_COST).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
