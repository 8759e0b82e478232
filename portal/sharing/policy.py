"""The rules of share links that need no database: expiry range, permissions, passwords, lockout."""
from __future__ import annotations

from enum import Enum

from portal.auth.rate_limit import Decision, decide

MIN_EXPIRY_HOURS = 1
DEFAULT_EXPIRY_HOURS = 7 * 24
MAX_EXPIRY_HOURS = 30 * 24

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128  # argon2 would hash megabytes happily; nobody types more than this

LOCKOUT_ATTEMPTS = 5
LOCKOUT_WINDOW_SECONDS = 15 * 60

UNLOCK_HOURS = 12  # how long a browser that entered the password may watch without entering it again


class Permission(str, Enum):
    """What a guest may do with a link: watch, or watch and download."""
    VIEW = "view"
    DOWNLOAD = "download"

    @property
    def allows_download(self) -> bool:
        return self is Permission.DOWNLOAD


def check_expiry_hours(hours: int) -> int:
    if not MIN_EXPIRY_HOURS <= hours <= MAX_EXPIRY_HOURS:
        raise ValueError(f"Choose an expiry between {MIN_EXPIRY_HOURS} hour and {MAX_EXPIRY_HOURS // 24} days "
                         f"({MIN_EXPIRY_HOURS} to {MAX_EXPIRY_HOURS} hours)")
    return hours


def password_attempt_allowed(failure_ages_seconds: list[float]) -> Decision:
    """May one more password attempt be checked, given the ages of the link's recent failures?

    After LOCKOUT_ATTEMPTS failures within the window every attempt is refused, the right
    password too, until the oldest of them has left the window; refused attempts are not
    counted, so the lockout ends when the window the failures opened ends.
    """
    return decide(failure_ages_seconds, LOCKOUT_ATTEMPTS, LOCKOUT_WINDOW_SECONDS)
