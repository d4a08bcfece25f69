"""The annotations' forms: tags typed on a conversation or a message, a note's text.

:class:`TagFilterField` is the tag filter of the conversation list and the review queue.
"""

from __future__ import annotations

from typing import Any

from django import forms

from console.annotations.models import TAG_MAX_CHARS
from console.annotations.tags import normalise_tag

# Several tags may be typed at once, separated by commas (each is checked on its own).
TAGS_INPUT_MAX_CHARS = 400


class TagFilterField(forms.CharField):
    """An optional tag to filter by, normalised as tags are stored, so any spelling matches."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        """Return the normalised tag (empty: no filter); refuse one too long to exist."""
        tag = normalise_tag(str(super().clean(value) or ""))
        if len(tag) > TAG_MAX_CHARS:
            raise forms.ValidationError(f"A tag is at most {TAG_MAX_CHARS} characters long.")
        return tag


class TagForm(forms.Form):
    """Tags to add: on the conversation, or on the message ``event``."""

    tags = forms.CharField(max_length=TAGS_INPUT_MAX_CHARS, strip=False)
    event = forms.IntegerField(required=False, min_value=1)


class NoteForm(forms.Form):
    """A note's text; :func:`console.annotations.notes.clean_text` trims and checks it."""

    # No length here: the logic refuses a long note and says what the limit is.
    text = forms.CharField(strip=False)
