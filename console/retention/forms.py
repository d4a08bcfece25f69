"""The retention forms: setting or clearing a legal hold, and confirming an erasure."""

from __future__ import annotations

from typing import Any

from django import forms

YES = "yes"
NO = "no"


class HoldForm(forms.Form):
    """Set a legal hold (``hold=yes``) or clear it (``no``)."""

    hold = forms.ChoiceField(choices=[(YES, "set"), (NO, "clear")])


class EraseForm(forms.Form):
    """An admin confirms an erasure by typing the patient's pseudonym.

    A conversation with open cases also needs ``include_open_cases`` ticked.
    """

    pseudonym = forms.CharField(max_length=32, label="Type the patient's pseudonym to confirm")
    include_open_cases = forms.BooleanField(
        required=False, label="Erase the open cases too (they leave the queue)"
    )

    def __init__(self, *args: Any, expected: str, open_cases: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected
        self.open_cases = open_cases

    def clean_pseudonym(self) -> str:
        """Refuse anything but the pseudonym shown on the page."""
        typed = str(self.cleaned_data["pseudonym"]).strip()
        if typed != self.expected:
            raise forms.ValidationError("That is not this patient's pseudonym; nothing was erased.")
        return typed

    def clean(self) -> dict[str, Any]:
        """Refuse to erase open cases unless that was ticked."""
        data: dict[str, Any] = super().clean() or {}
        if self.open_cases and not data.get("include_open_cases"):
            self.add_error(
                "include_open_cases",
                f"This patient has {self.open_cases} open case(s): tick the box to erase them.",
            )
        return data
