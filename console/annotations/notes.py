"""Clinicians' private notes on a conversation: written, edited and deleted by their author.

A note is for the care team only: the console shows it on the conversation's page and
nowhere else, and nothing sends it to a patient or any other system. Its author (and
no one else, an admin included) edits or deletes it; each change is audited by the view
with the note's id and lengths, never its words::

    note = add_note(sender_id, "Called her: she is seeing her GP on Friday.", user)
    note, changed = edit_note(sender_id, note.pk, "Called her: GP on Thursday.", user)
    deleted = delete_note(sender_id, note.pk, user)     # the deleted note, or None
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from console.annotations.models import NOTE_MAX_CHARS, Note


class NoteError(ValueError):
    """Raised when a note cannot be written; the message says why, for the clinician."""


class NotTheAuthorError(PermissionError):
    """Raised when someone other than a note's author edits or deletes it."""


def clean_text(text: str) -> str:
    """Return the note's text as stored: NUL removed, ends trimmed, line ends unified.

    Raises:
        NoteError: nothing is left, or it is longer than the limit.
    """
    cleaned = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise NoteError("Write something in the note first.")
    if len(cleaned) > NOTE_MAX_CHARS:
        raise NoteError(f"A note is at most {NOTE_MAX_CHARS:,} characters long.")
    return cleaned


def notes_of(sender_id: str) -> list[Note]:
    """Return the conversation's notes, oldest first, with their authors."""
    return list(Note.objects.filter(sender_id=sender_id).select_related("by"))


def add_note(sender_id: str, text: str, user: Any) -> Note:
    """Write a new note on the conversation by ``user``.

    Raises:
        NoteError: the text is empty or too long.
    """
    note: Note = Note.objects.create(sender_id=sender_id, text=clean_text(text), by=user)
    return note


def _own_note(sender_id: str, note_id: int, user: Any) -> Note | None:
    note: Note | None = Note.objects.filter(pk=note_id, sender_id=sender_id).first()
    if note is not None and note.by_id != user.pk:
        raise NotTheAuthorError("Only the note's author can change it.")
    return note


def edit_note(sender_id: str, note_id: int, text: str, user: Any) -> tuple[Note, bool]:
    """Replace the text of ``user``'s note ``note_id``; say whether it changed.

    Raises:
        NoteError: no such note on the conversation, or the text is empty or too long.
        NotTheAuthorError: ``user`` did not write it.
    """
    note = _own_note(sender_id, note_id, user)
    if note is None:
        raise NoteError("That note is no longer there.")
    cleaned = clean_text(text)
    if cleaned == note.text:
        return note, False
    note.text = cleaned
    note.edited_at = timezone.now()
    note.save(update_fields=["text", "edited_at"])
    return note, True


def delete_note(sender_id: str, note_id: int, user: Any) -> Note | None:
    """Delete ``user``'s note ``note_id``; return it (None: it was already gone).

    Raises:
        NotTheAuthorError: ``user`` did not write it.
    """
    note = _own_note(sender_id, note_id, user)
    if note is None:
        return None
    deleted, _ = Note.objects.filter(pk=note.pk).delete()
    return note if deleted else None
