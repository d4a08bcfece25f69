"""The takeover's form: a clinician's message to the patient."""

from __future__ import annotations

from typing import Any

from django import forms

# About three texts (GSM-7) or five (with emoji or accents): SMS patients get all of it.
MAX_MESSAGE_CHARS = 1000


class MessageForm(forms.Form):
    """A message to the patient, and the id of the draft (a second POST of it is dropped)."""

    text = forms.CharField(
        label="Message to the patient",
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a message first."},
    )
    draft = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The browser's own limit is a little over the server's, so that a pasted long
        # message arrives whole and is refused with its length rather than cut unseen.
        self.fields["text"].widget.attrs["maxlength"] = str(MAX_MESSAGE_CHARS * 2)

    def clean_text(self) -> str:
        """Return the message, refusing one with nothing but spaces."""
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError("Write a message first.")
        return text
