"""Idle expiry: sign a user out after ``CONSOLE_IDLE_SECONDS`` without a request of theirs.

The case queue reloads itself with ``?auto=1``; those reloads are not activity, so an
unattended screen still signs out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_ACTIVE = "console_last_active"
AUTO_REFRESH = "auto"


class IdleTimeoutMiddleware:
    """Sign out a session idle for longer than ``settings.CONSOLE_IDLE_SECONDS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Check the session's last activity, then handle the request."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVE)
            if last is not None and now - float(last) > settings.CONSOLE_IDLE_SECONDS:
                request.console_idle_logout = True  # type: ignore[attr-defined]
                logout(request)
            elif request.GET.get(AUTO_REFRESH) != "1" or last is None:
                request.session[LAST_ACTIVE] = now
        return self.get_response(request)
