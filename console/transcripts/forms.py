"""The forms of the transcripts: the conversation list's filters and the reviewed mark."""

from __future__ import annotations

from typing import Any

from django import forms

from console.annotations.forms import TagFilterField
from console.transcripts.events import NO_TIER, TIERS

ANY = ""
YES = "yes"
NO = "no"
TIER_CHOICES = [(ANY, "Any"), *((tier, "none" if tier == NO_TIER else tier) for tier in TIERS)]
FALLBACK_CHOICES = [(ANY, "Either"), (YES, "Yes"), (NO, "No")]
REVIEWED_CHOICES = [(ANY, "Either"), (YES, "Reviewed"), (NO, "Not reviewed")]
SEARCH_MAX_CHARS = 200


class DateInput(forms.DateInput):
    """A browser date picker (``YYYY-MM-DD``)."""

    input_type = "date"


class ConversationFilterForm(forms.Form):
    """What the conversation list can be narrowed by; every field is optional.

    The channel and intent choices are given when the form is made (the channels seen,
    the domain's intents), so a value from an old link that no longer exists is refused
    as a field error and that filter is left out.
    """

    q = forms.CharField(required=False, max_length=SEARCH_MAX_CHARS, label="Search messages")
    start = forms.DateField(required=False, widget=DateInput, label="Active from")
    end = forms.DateField(required=False, widget=DateInput, label="Active until")
    channel = forms.ChoiceField(required=False, label="Channel")
    tier = forms.ChoiceField(required=False, choices=TIER_CHOICES, label="Highest red-flag tier")
    intent = forms.ChoiceField(required=False, label="Intent (any message)")
    fallback = forms.ChoiceField(required=False, choices=FALLBACK_CHOICES, label="Fallback")
    reviewed = forms.ChoiceField(required=False, choices=REVIEWED_CHOICES, label="Reviewed")
    tag = TagFilterField(label="Tag")

    def __init__(
        self,
        *args: Any,
        channels: list[str] | None = None,
        intents: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(ANY, "Any"), *((name, name) for name in channels or [])]
        self.fields["intent"].choices = [(ANY, "Any"), *((name, name) for name in intents or [])]

    def clean(self) -> dict[str, Any]:
        """Refuse a date range that ends before it starts."""
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return data

    def chosen(self) -> dict[str, Any]:
        """Return the filters that were given and are valid (empty values left out)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if name not in self.errors and value not in (None, "")
        }


class ReviewForm(forms.Form):
    """Mark a conversation reviewed (``reviewed=yes``) or take the mark off (``no``)."""

    reviewed = forms.ChoiceField(choices=[(YES, "reviewed"), (NO, "not reviewed")])
