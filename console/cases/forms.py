"""The one form of a case: take its next step, with an optional (or required) note."""

from __future__ import annotations

from django import forms

from console.cases.models import State


class StepForm(forms.Form):
    """The next step of a case, from the state the clinician saw."""

    expected = forms.ChoiceField(choices=State.CHOICES, widget=forms.HiddenInput)
    note = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
