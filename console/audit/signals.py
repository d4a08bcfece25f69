"""Audit sign-ins, sign-outs, failed sign-ins and lockouts (Django's and axes' signals)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from console.audit.models import Kind
from console.audit.record import record


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Kind.SIGN_IN, user=user)


def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    idle = bool(getattr(request, "console_idle_logout", False))
    if user is not None:
        record(request, Kind.SIGN_OUT, detail="idle" if idle else "", user=user)


def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    record(request, Kind.SIGN_IN_FAILED, username=str(credentials.get("username", "")))


def _locked_out(sender: Any, request: Any, username: Any = None, **kwargs: Any) -> None:
    record(request, Kind.LOCKED_OUT, username=str(username or ""))


def connect() -> None:
    """Connect the handlers (once: Django calls ``ready`` once per process)."""
    user_logged_in.connect(_signed_in, dispatch_uid="console-audit-sign-in")
    user_logged_out.connect(_signed_out, dispatch_uid="console-audit-sign-out")
    user_login_failed.connect(_failed, dispatch_uid="console-audit-sign-in-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="console-audit-locked-out")
