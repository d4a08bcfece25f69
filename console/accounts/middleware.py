"""Idle expiry, and the second factor a signed-in user may still owe.

Idle expiry signs a user out after ``CONSOLE_IDLE_SECONDS`` without a request of theirs.
The case queue refreshes itself with ``?auto=1``; those refreshes are not activity, so
an unattended screen still signs out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

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


# Pages a user who still owes a second factor may open (by URL name).
OPEN_WHILE_CODE_DUE = frozenset({"login", "logout", "health", "login_code"})
OPEN_WHILE_ENROLMENT_DUE = frozenset({"login", "logout", "health", "account"})


class SecondFactorMiddleware:
    """Send a signed-in user who still owes a sign-in code to give one (or to set one up).

    After the password, a user with sign-in codes on must give a code before any other
    page; with ``settings.CONSOLE_REQUIRE_TOTP`` a user without a device is sent to
    their account page to set one up. Installed after django-otp's ``OTPMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Redirect when a second factor is owed and the page is not one allowed meanwhile."""
        from console.accounts.totp import CODE, second_factor_due

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        due = second_factor_due(user, settings.CONSOLE_REQUIRE_TOTP)
        if not due:
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name or ""
        except Resolver404:
            name = ""
        allowed = OPEN_WHILE_CODE_DUE if due == CODE else OPEN_WHILE_ENROLMENT_DUE
        if name in allowed:
            return self.get_response(request)
        target = reverse("login_code" if due == CODE else "account")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
