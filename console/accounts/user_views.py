"""``/users/`` for admins: list users, create one, and change one; every change audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from console.accounts import totp, users
from console.accounts.forms import NewUserForm, PasswordPairForm
from console.accounts.roles import MANAGE_USERS, RoleRequiredMixin, role_of
from console.audit.models import Kind
from console.audit.record import record

# Each change an admin can make on a user's page: POST field "action" -> audit kind.
ACTIONS = {
    "deactivate": Kind.USER_DEACTIVATED,
    "reactivate": Kind.USER_REACTIVATED,
    "unlock": Kind.USER_UNLOCKED,
    "reset_codes": Kind.CODES_RESET,
}


class UserListView(RoleRequiredMixin, TemplateView):
    """Every user with role, active and locked state, and sign-in codes."""

    permission_required = MANAGE_USERS
    template_name = "accounts/users.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the rows; audit the read."""
        context = super().get_context_data(**kwargs)
        record(self.request, Kind.USERS_VIEW)
        context["rows"] = users.user_rows()
        result: dict[str, Any] = context
        return result


class UserCreateView(RoleRequiredMixin, FormView):  # type: ignore[type-arg]
    """A new user: name, role, and a password the validators accept."""

    permission_required = MANAGE_USERS
    template_name = "accounts/user_new.html"
    form_class = NewUserForm

    def form_valid(self, form: NewUserForm) -> HttpResponse:
        """Create the user, audit it, and show their page."""
        data = form.cleaned_data
        user = users.create_user(data["username"], data["role"], data["password1"])
        record(
            self.request,
            Kind.USER_CREATED,
            target=f"user:{user.get_username()}",
            detail=data["role"],
        )
        messages.success(self.request, f"Created {data['role']} {user.get_username()}.")
        return HttpResponseRedirect(reverse("users:detail", args=[user.pk]))


class UserDetailView(RoleRequiredMixin, TemplateView):
    """One user: state, and the changes an admin can make."""

    permission_required = MANAGE_USERS
    template_name = "accounts/user.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the user, their state and the password form."""
        context = super().get_context_data(**kwargs)
        subject = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        context.update(user_context(subject, PasswordPairForm(user=subject)))
        result: dict[str, Any] = context
        return result


def user_context(subject: Any, password_form: PasswordPairForm) -> dict[str, Any]:
    """Return what a user's page shows: role, active, locked, codes, the password form."""
    return {
        "subject": subject,
        "role": role_of(subject),
        "locked": users.is_locked(subject.get_username()),
        "codes_on": totp.confirmed_device(subject) is not None,
        "password_form": password_form,
    }


class UserChangeView(RoleRequiredMixin, View):
    """Deactivate, reactivate, unlock or reset sign-in codes (POST only, CSRF-checked)."""

    permission_required = MANAGE_USERS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Make the change named by ``action``, audit it, and go back to the user."""
        subject = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        action = request.POST.get("action", "")
        back = HttpResponseRedirect(reverse("users:detail", args=[subject.pk]))
        name = subject.get_username()
        if action not in ACTIONS:
            messages.error(request, "Unknown change.")
            return back
        try:
            if action in ("deactivate", "reactivate"):
                users.set_active(subject, action == "reactivate", by=request.user)
                detail = ""
                done = f"{name} is now {'active' if subject.is_active else 'deactivated'}."
            elif action == "unlock":
                detail = f"{users.unlock(subject)} failed sign-in record(s) cleared"
                done = f"{name} can sign in again."
            else:
                detail = f"{users.reset_codes(subject)} device(s) removed"
                done = f"{name}'s sign-in codes are reset."
        except users.RefusedChange as refused:
            messages.error(request, f"Not changed: {refused}.")
            return back
        record(request, ACTIONS[action], target=f"user:{name}", detail=detail)
        messages.success(request, done)
        return back


class UserPasswordView(RoleRequiredMixin, View):
    """Give a user a new password (validated; POST only, CSRF-checked)."""

    permission_required = MANAGE_USERS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Set the password, or show the user's page again with the reasons."""
        subject = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        form = PasswordPairForm(request.POST, user=subject)
        if not form.is_valid():
            context = user_context(subject, form)
            return TemplateResponse(request, UserDetailView.template_name, context, status=400)
        users.set_password(subject, form.cleaned_data["password1"])
        record(request, Kind.PASSWORD_RESET, target=f"user:{subject.get_username()}")
        messages.success(request, f"{subject.get_username()} has a new password.")
        return HttpResponseRedirect(reverse("users:detail", args=[subject.pk]))
