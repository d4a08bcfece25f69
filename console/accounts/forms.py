"""The accounts' forms: a sign-in code, and the admins' user forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation

from console.accounts.roles import ADMIN, CLINICIAN


class CodeForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordPairForm(forms.Form):
    """A new password typed twice, checked by Django's password validators."""

    password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def candidate(self) -> Any:
        """Return the user the password is for (validators compare it with their name)."""
        return self.user

    def clean(self) -> dict[str, Any]:
        """Check that both match and that the validators accept the password."""
        data: dict[str, Any] = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                password_validation.validate_password(first, self.candidate())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class NewUserForm(PasswordPairForm):
    """A new console user: name, role and first password."""

    field_order = ["username", "role", "password1", "password2"]
    username = forms.RegexField(
        label="User name",
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": "Use letters, digits and @ . + - _ only."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[
            (CLINICIAN, "clinician (works the case queue)"),
            (ADMIN, "admin (also users and audit)"),
        ],
    )

    def clean_username(self) -> str:
        """Refuse a name already taken (whatever its case)."""
        name = str(self.cleaned_data["username"]).strip()
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("A user with that name already exists.")
        return name

    def candidate(self) -> Any:
        """Return an unsaved user of the typed name, for the similarity validator."""
        return get_user_model()(username=self.data.get("username", ""))
