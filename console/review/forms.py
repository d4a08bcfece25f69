"""The review's forms: the queue's reason and tag filter, a verdict on one message."""

from __future__ import annotations

from django import forms

from console.annotations.forms import TagFilterField
from console.review.models import VerdictKind
from console.review.queue import REASON_LABELS
from console.review.verdicts import MISSED_TIERS, NOTE_MAX_CHARS

ANY = ""
REASON_CHOICES = [(ANY, "Any reason"), *REASON_LABELS.items()]
TIER_CHOICES = [(tier, tier) for tier in MISSED_TIERS]


class ReasonFilterForm(forms.Form):
    """Narrow the queue to one reason and one tag (a bad value is refused and left out)."""

    reason = forms.ChoiceField(required=False, choices=REASON_CHOICES, label="Reason")
    tag = TagFilterField(label="Tag (conversation or message)")

    def chosen(self) -> str | None:
        """Return the reason asked for, or None for every reason."""
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("reason") or "") or None

    def chosen_tag(self) -> str:
        """Return the tag asked for (normalised), or an empty string for any."""
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("tag") or "")


class VerdictForm(forms.Form):
    """A verdict on one patient message: missed (with its tier) or false alarm."""

    event = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(choices=VerdictKind.CHOICES)
    tier = forms.ChoiceField(required=False, choices=[(ANY, ""), *TIER_CHOICES])
    note = forms.CharField(required=False, max_length=NOTE_MAX_CHARS)
