"""Tags and private notes on a conversation's page: every change a POST, CSRF-checked, audited.

- ``/conversations/P-<key>/tags/``: add tags to the conversation, or to one message
  (``event``).
- ``/conversations/P-<key>/tags/<id>/remove/``: remove one tag.
- ``/conversations/P-<key>/notes/``: write a private note.
- ``/conversations/P-<key>/notes/<id>/edit/`` and ``.../delete/``: the author only.

Each needs :data:`console.accounts.roles.ANNOTATE` (clinicians and admins). The audit
names the conversation by its key and the tags and notes by their ids, with lengths
and counts: never a tag's or a note's words, which may be about the patient.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import View

from console.accounts.roles import ANNOTATE, RoleRequiredMixin
from console.annotations.forms import NoteForm, TagForm
from console.annotations.notes import (
    NoteError,
    NotTheAuthorError,
    add_note,
    delete_note,
    edit_note,
)
from console.annotations.tags import TagError, add_tags, remove_tag
from console.audit.models import Kind
from console.audit.record import record
from console.transcripts.views import indexed

TAGS_ANCHOR = "tags"
NOTES_ANCHOR = "notes"


def back_to(request: HttpRequest, key: str, anchor: str) -> str:
    """Return where to go after a change: the page posted from (this site only), at ``anchor``."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = (back or reverse("transcripts:detail", args=[key])).split("#", 1)[0]
    return f"{back}#{anchor}"


def _place(event_id: int | None) -> str:
    return f"message {event_id}" if event_id is not None else "the conversation"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class AnnotateView(RoleRequiredMixin, View):
    """A POST that changes a conversation's tags or notes (subclasses say how)."""

    permission_required = ANNOTATE
    http_method_names = ["post"]


class TagView(AnnotateView):
    """Add tags to a conversation or one of its messages."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Add the tags typed, then go back to where they show."""
        conversation = indexed(str(kwargs["key"]))
        form = TagForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The tags could not be read; please try again.")
            return HttpResponseRedirect(back_to(request, conversation.key, TAGS_ANCHOR))
        event_id = form.cleaned_data.get("event")
        anchor = f"message-{event_id}" if event_id else TAGS_ANCHOR
        try:
            added = add_tags(
                conversation.sender_id, str(form.cleaned_data["tags"]), request.user, event_id
            )
        except TagError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(back_to(request, conversation.key, anchor))
        if not added:
            messages.info(request, f"{_place(event_id).capitalize()} already has those tags.")
            return HttpResponseRedirect(back_to(request, conversation.key, anchor))
        record(
            request,
            Kind.TAG,
            target=f"conversation:{conversation.key}",
            detail=f"added {_plural(len(added), 'tag')} on {_place(event_id)}: ids "
            + ",".join(str(tag.pk) for tag in added),
        )
        names = ", ".join(f"\u201c{tag.tag}\u201d" for tag in added)
        messages.success(request, f"Tagged {_place(event_id)} {names}.")
        return HttpResponseRedirect(back_to(request, conversation.key, anchor))


class UntagView(AnnotateView):
    """Remove one tag."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Remove the tag, then go back to where it showed."""
        conversation = indexed(str(kwargs["key"]))
        tag = remove_tag(conversation.sender_id, int(kwargs["tag_id"]))
        if tag is None:
            messages.info(request, "That tag was already removed.")
            return HttpResponseRedirect(back_to(request, conversation.key, TAGS_ANCHOR))
        record(
            request,
            Kind.TAG,
            target=f"conversation:{conversation.key}",
            detail=f"removed tag {kwargs['tag_id']} from {_place(tag.event_id)}; "
            f"added by {tag.by.get_username()}",
        )
        messages.success(
            request, f"Removed the tag \u201c{tag.tag}\u201d from {_place(tag.event_id)}."
        )
        anchor = f"message-{tag.event_id}" if tag.event_id is not None else TAGS_ANCHOR
        return HttpResponseRedirect(back_to(request, conversation.key, anchor))


class NoteView(AnnotateView):
    """Write a private note on a conversation."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Store the note, then go back to the notes."""
        conversation = indexed(str(kwargs["key"]))
        form = NoteForm(request.POST)
        back = back_to(request, conversation.key, NOTES_ANCHOR)
        if not form.is_valid():
            messages.error(request, "Write something in the note first.")
            return HttpResponseRedirect(back)
        try:
            note = add_note(conversation.sender_id, str(form.cleaned_data["text"]), request.user)
        except NoteError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(back)
        record(
            request,
            Kind.NOTE,
            target=f"conversation:{conversation.key}",
            detail=f"wrote note {note.pk} ({_plural(len(note.text), 'character')})",
        )
        messages.success(request, "Your note is saved. Only the care team sees it.")
        return HttpResponseRedirect(back)


class NoteEditView(AnnotateView):
    """Change the text of one's own note."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Store the new text, then go back to the notes."""
        conversation = indexed(str(kwargs["key"]))
        note_id = int(kwargs["note_id"])
        form = NoteForm(request.POST)
        back = back_to(request, conversation.key, NOTES_ANCHOR)
        if not form.is_valid():
            messages.error(request, "A note cannot be empty: delete it instead.")
            return HttpResponseRedirect(back)
        try:
            note, changed = edit_note(
                conversation.sender_id, note_id, str(form.cleaned_data["text"]), request.user
            )
        except NotTheAuthorError as error:
            raise PermissionDenied(str(error)) from None
        except NoteError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(back)
        if not changed:
            messages.info(request, "The note is unchanged.")
            return HttpResponseRedirect(back)
        record(
            request,
            Kind.NOTE,
            target=f"conversation:{conversation.key}",
            detail=f"edited note {note.pk} (now {_plural(len(note.text), 'character')})",
        )
        messages.success(request, "Your note is updated.")
        return HttpResponseRedirect(back)


class NoteDeleteView(AnnotateView):
    """Delete one's own note."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Delete the note, then go back to the notes."""
        conversation = indexed(str(kwargs["key"]))
        note_id = int(kwargs["note_id"])
        back = back_to(request, conversation.key, NOTES_ANCHOR)
        try:
            note = delete_note(conversation.sender_id, note_id, request.user)
        except NotTheAuthorError as error:
            raise PermissionDenied(str(error)) from None
        if note is None:
            messages.info(request, "That note was already deleted.")
            return HttpResponseRedirect(back)
        record(
            request,
            Kind.NOTE,
            target=f"conversation:{conversation.key}",
            detail=f"deleted note {note_id} (written {note.at:%Y-%m-%d %H:%M} UTC, "
            f"{_plural(len(note.text), 'character')})",
        )
        messages.success(request, "Your note is deleted.")
        return HttpResponseRedirect(back)
