"""Private notes: written, edited and deleted by their author only; text checked."""

from __future__ import annotations

import pytest

from console.annotations.models import NOTE_MAX_CHARS, Note
from console.annotations.notes import (
    NoteError,
    NotTheAuthorError,
    add_note,
    clean_text,
    delete_note,
    edit_note,
    notes_of,
)

SENDER = "+447700900123"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Called her.  ", "Called her."),
        ("line one\r\nline two\rthree", "line one\nline two\nthree"),
        ("a\x00b", "ab"),
        ("x" * NOTE_MAX_CHARS, "x" * NOTE_MAX_CHARS),
    ],
)
def test_the_text_is_cleaned(typed, stored):
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [("", "Write something"), (" \n\x00 ", "Write something"), ("x" * 2001, "at most 2,000")],
)
def test_an_empty_or_long_note_is_refused(typed, says, clinician):
    with pytest.raises(NoteError, match=says):
        add_note(SENDER, typed, clinician)
    assert not Note.objects.exists()


def test_write_edit_delete(clinician):
    note = add_note(SENDER, "Called her: GP on Friday.", clinician)
    assert (note.sender_id, note.by, note.edited_at) == (SENDER, clinician, None)
    same, changed = edit_note(SENDER, note.pk, "  Called her: GP on Friday. ", clinician)
    assert not changed and same.edited_at is None
    edited, changed = edit_note(SENDER, note.pk, "Called her: GP on Thursday.", clinician)
    assert changed and edited.edited_at is not None
    assert Note.objects.get().text == "Called her: GP on Thursday."
    assert delete_note(SENDER, note.pk, clinician).pk == note.pk
    assert delete_note(SENDER, note.pk, clinician) is None
    with pytest.raises(NoteError, match="no longer there"):
        edit_note(SENDER, note.pk, "again", clinician)


def test_only_the_author_changes_a_note(clinician, admin_user):
    note = add_note(SENDER, "Mine.", clinician)
    with pytest.raises(NotTheAuthorError):
        edit_note(SENDER, note.pk, "Theirs now.", admin_user)
    with pytest.raises(NotTheAuthorError):
        delete_note(SENDER, note.pk, admin_user)
    assert Note.objects.get().text == "Mine."


def test_a_note_is_reached_through_its_own_conversation_only(clinician):
    note = add_note(SENDER, "Mine.", clinician)
    assert delete_note("web-other", note.pk, clinician) is None
    with pytest.raises(NoteError):
        edit_note("web-other", note.pk, "moved", clinician)
    assert Note.objects.filter(sender_id=SENDER).exists()


def test_notes_oldest_first(clinician, admin_user):
    add_note(SENDER, "first", clinician)
    add_note(SENDER, "second", admin_user)
    add_note("web-other", "elsewhere", clinician)
    assert [(n.text, n.by.get_username()) for n in notes_of(SENDER)] == [
        ("first", "dr_jones"),
        ("second", "admin_ali"),
    ]
