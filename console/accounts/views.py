"""Sign-in (password, then a code when sign-in codes are on), sign-out, the account page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from console.accounts import totp
from console.accounts.forms import CodeForm
from console.accounts.roles import role_of
from console.audit.models import Kind
from console.audit.record import record


def safe_next(request: HttpRequest, fallback: str = "cases:list") -> str:
    """Return the request's ``next`` address if it is on this site, else ``fallback``'s."""
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse(fallback))


class SignInView(auth_views.LoginView):
    """Django's sign-in form; lockout (django-axes) and the audit hook in via signals."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, with the CSRF token) and return to the sign-in page."""


class SignInCodeView(LoginRequiredMixin, FormView):  # type: ignore[type-arg]
    """After the password, the code from the user's authenticator app."""

    template_name = "accounts/code.html"
    form_class = CodeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Send away a user who owes no code."""
        user = request.user
        if user.is_authenticated and totp.second_factor_due(user, False) != totp.CODE:
            return HttpResponseRedirect(safe_next(request))
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Add where to go next."""
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request)
        result: dict[str, Any] = context
        return result

    def form_valid(self, form: CodeForm) -> HttpResponse:
        """Accept a correct code for this session; refuse (and audit) a wrong one."""
        device = totp.confirmed_device(self.request.user)
        if device is None or not totp.check(device, form.cleaned_data["code"]):
            record(self.request, Kind.CODE_REFUSED)
            form.add_error(None, "That code did not match. Wait for the next one and try again.")
            response: HttpResponse = self.form_invalid(form)
            return response
        django_otp.login(self.request, device)
        record(self.request, Kind.CODE_ACCEPTED)
        return HttpResponseRedirect(safe_next(self.request))


class AccountView(LoginRequiredMixin, TemplateView):
    """The signed-in user's account: their role, and setting up sign-in codes."""

    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the user's role and sign-in code state (with the secret while setting up)."""
        context = super().get_context_data(**kwargs)
        user = self.request.user
        active = totp.confirmed_device(user)
        pending = None if active else totp.pending_device(user)
        context.update(
            role=role_of(user),
            codes_on=active is not None,
            pending=pending is not None,
            secret=totp.secret_text(pending) if pending else "",
            setup_uri=totp.setup_uri(pending) if pending else "",
            required=settings.CONSOLE_REQUIRE_TOTP,
            form=CodeForm(),
            next=self.request.GET.get("next", ""),
        )
        result: dict[str, Any] = context
        return result

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Start setting up sign-in codes, or confirm them with the app's first code."""
        if totp.confirmed_device(request.user) is not None:
            messages.error(request, "Sign-in codes are already on for your account.")
            return HttpResponseRedirect(reverse("account"))
        if request.POST.get("action") == "start":
            totp.start_enrolment(request.user)
            return HttpResponseRedirect(self._here(request))
        pending = totp.pending_device(request.user)
        form = CodeForm(request.POST)
        if pending is None or not form.is_valid():
            messages.error(request, "Start setting up sign-in codes first.")
            return HttpResponseRedirect(self._here(request))
        if not totp.confirm(pending, form.cleaned_data["code"]):
            record(request, Kind.CODE_REFUSED, detail="while setting up")
            messages.error(request, "That code did not match. Check the app and try again.")
            return HttpResponseRedirect(self._here(request))
        django_otp.login(request, pending)
        record(request, Kind.CODES_SET_UP)
        messages.success(request, "Sign-in codes are on: sign-in will ask for a code.")
        return HttpResponseRedirect(safe_next(request, fallback="account"))

    @staticmethod
    def _here(request: HttpRequest) -> str:
        """Return the account page, keeping where to go once codes are on."""
        here = str(reverse("account"))
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return f"{here}?{urlencode({'next': target})}"
        return here


class HealthView(View):
    """Answer the launcher's health check; no data, no database."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        """Return ``{"status": "ok"}``."""
        return JsonResponse({"status": "ok"})
