"""The review's forms: the queue's reason filter, a verdict on one message."""

from __future__ import annotations

from django import forms

from console.review.models import VerdictKind
from console.review.queue import REASON_LABELS
from console.review.verdicts import MISSED_TIERS, NOTE_MAX_CHARS

ANY = ""
REASON_CHOICES = [(ANY, "Any reason"), *REASON_LABELS.items()]
TIER_CHOICES = [(tier, tier) for tier in MISSED_TIERS]


class ReasonFilterForm(forms.Form):
    """Narrow the queue to one reason (an unknown value is refused and left out)."""

    reason = forms.ChoiceField(required=False, choices=REASON_CHOICES, label="Reason")

    def chosen(self) -> str | None:
        """Return the reason asked for, or None for every reason."""
        if not self.is_valid():
            return None
        return str(self.cleaned_data.get("reason") or "") or None


class VerdictForm(forms.Form):
    """A verdict on one patient message: missed (with its tier) or false alarm."""

    event = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(choices=VerdictKind.CHOICES)
    tier = forms.ChoiceField(required=False, choices=[(ANY, ""), *TIER_CHOICES])
    note = forms.CharField(required=False, max_length=NOTE_MAX_CHARS)
