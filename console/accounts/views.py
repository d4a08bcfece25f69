"""Sign-in and sign-out pages (Django's own views, with the console's templates)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, JsonResponse
from django.views import View


class SignInView(auth_views.LoginView):
    """Django's sign-in form; lockout (django-axes) and the audit hook in via signals."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, with the CSRF token) and return to the sign-in page."""


class HealthView(View):
    """Answer the launcher's health check; no data, no database."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        """Return ``{"status": "ok"}``."""
        return JsonResponse({"status": "ok"})
