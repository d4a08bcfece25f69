"""Optional sign-in codes (TOTP, django-otp): enrolment, checking a code, what a user still owes.

A user sets up an authenticator app from their account page: :func:`start_enrolment`
makes an unconfirmed device whose secret is shown as text (and as an ``otpauth://``
URI), and :func:`confirm` turns it on once the app's code matches. From then on,
sign-in asks for a code after the password (:class:`SecondFactorMiddleware` in
:mod:`console.accounts.middleware` sends the user there). With
``BACKCARE_CONSOLE_REQUIRE_TOTP=1`` a user without a device is sent to set one up::

    second_factor_due(user, required=True)   # "code", "enrol" or "" (nothing owed)
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

# What a signed-in user still owes before using the console.
CODE = "code"  # has sign-in codes on, has not given one in this session
ENROL = "enrol"  # codes are required and the user has none set up
DEVICE_NAME = "authenticator app"


def confirmed_device(user: Any) -> TOTPDevice | None:
    """Return the user's sign-in code device, if they have set one up."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    )
    return device


def pending_device(user: Any) -> TOTPDevice | None:
    """Return the device the user has started to set up but not confirmed yet."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    )
    return device


def second_factor_due(user: Any, required: bool) -> str:
    """Return what ``user`` owes: :data:`CODE`, :data:`ENROL`, or an empty string."""
    if not getattr(user, "is_authenticated", False):
        return ""
    verified = getattr(user, "is_verified", None)
    if callable(verified) and verified():
        return ""
    if confirmed_device(user) is not None:
        return CODE
    return ENROL if required else ""


def start_enrolment(user: Any) -> TOTPDevice:
    """Return a new unconfirmed device for ``user`` (replacing one left half set up)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm(device: TOTPDevice, code: str) -> bool:
    """Turn ``device`` on if ``code`` is its current code; say whether it was."""
    if not check(device, code):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def check(device: TOTPDevice, code: str) -> bool:
    """Say whether ``code`` is the device's code now (each code works once; throttled)."""
    cleaned = "".join(code.split())
    if not cleaned.isdigit() or len(cleaned) != device.digits:
        device.throttle_increment(commit=True)
        return False
    return bool(device.verify_token(cleaned))


def reset(user: Any) -> int:
    """Remove every sign-in code device of ``user``; return how many there were."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    return int(removed)


def secret_text(device: TOTPDevice) -> str:
    """Return the device's secret as an app asks for it: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup_uri(device: TOTPDevice) -> str:
    """Return the ``otpauth://`` URI an authenticator app can import."""
    return str(device.config_url)
