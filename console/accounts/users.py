"""Admins' user management: the list, new users, deactivation, passwords, lockouts, codes.

Plain functions over Django's users, the role groups, django-axes' attempts and
django-otp's devices; the views (:mod:`console.accounts.user_views`) check the admin's
permission, audit each change and call these::

    rows = user_rows()                   # name, role, active, locked, codes on
    create_user("bob", "clinician", pw)  # the password is validated by the form
    unlock("bob")                        # forget bob's failed sign-ins
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from console.accounts import totp
from console.accounts.roles import ROLES, role_of


class RefusedChange(ValueError):
    """The change is not allowed; the message says why (shown to the admin)."""


@dataclass(frozen=True)
class UserRow:
    """What the users page shows of one user."""

    user: Any
    role: str
    active: bool
    locked: bool
    codes_on: bool
    last_login: datetime | None


def locked_names(moment: datetime | None = None) -> set[str]:
    """Return the user names locked out of sign-in now (from some address)."""
    now = moment or timezone.now()
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    )
    return {str(name) for name in attempts.values_list("username", flat=True) if name}


def is_locked(username: str) -> bool:
    """Say whether ``username`` is locked out of sign-in now."""
    return username in locked_names()


def user_rows() -> list[UserRow]:
    """Return every user, by name, with role, active and locked state."""
    locked = locked_names()
    users = get_user_model().objects.order_by("username").prefetch_related("groups")
    with_codes = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    return [
        UserRow(
            user=user,
            role=role_of(user),
            active=bool(user.is_active),
            locked=user.get_username() in locked,
            codes_on=user.pk in with_codes,
            last_login=user.last_login,
        )
        for user in users
    ]


def create_user(username: str, role: str, password: str) -> Any:
    """Create an active user with ``role`` (the password already validated)."""
    if role not in ROLES:
        raise RefusedChange(f"unknown role {role!r}")
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, password=password)
        user.groups.add(Group.objects.get(name=role))
    return user


def set_active(user: Any, active: bool, by: Any) -> None:
    """Deactivate (sign-in refused, sessions end) or reactivate ``user``."""
    if not active and user.pk == by.pk:
        raise RefusedChange("you cannot deactivate your own account")
    user.is_active = active
    user.save(update_fields=["is_active"])


def set_password(user: Any, password: str) -> None:
    """Give ``user`` a new password (validated already); their sessions end."""
    user.set_password(password)
    user.save(update_fields=["password"])


def unlock(user: Any) -> int:
    """Forget the user's failed sign-ins, ending a lockout; return how many were kept."""
    return int(axes_reset(username=user.get_username()))


def reset_codes(user: Any) -> int:
    """Remove the user's sign-in code devices; return how many there were."""
    return totp.reset(user)
