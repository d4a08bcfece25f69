"""Authenticator-app codes for the tests, computed as an app would (RFC 6238: HOTP of the step).

A code works once: a device refuses a code of a time step it has already accepted. So
``code_after(key, used)`` gives the code of the current step, or of the next one when
the current step's code was already used (a device accepts one step either side).
"""

from __future__ import annotations

import time
from base64 import b32decode

from django_otp.oath import hotp

STEP = 30


def key_from_secret(secret: str) -> bytes:
    """Return the key of a base32 secret as the account page shows it (spaces allowed)."""
    return b32decode("".join(secret.split()).upper())


def current_step() -> int:
    return int(time.time() // STEP)


def code_at(key: bytes, step: int) -> str:
    """Return the six-digit code of time step ``step``."""
    return f"{hotp(key, step):06d}"


def code_after(key: bytes, used: int | None = None) -> tuple[str, int]:
    """Return a code the device accepts now, and its step (past ``used``, the last step used)."""
    step = current_step() if used is None else max(current_step(), used + 1)
    return code_at(key, step), step
