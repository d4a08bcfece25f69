"""A conversation's tags and notes, under ``/conversations/P-<key>/``: add, remove, edit."""

from __future__ import annotations

from django.urls import re_path

from console.annotations.views import (
    NoteDeleteView,
    NoteEditView,
    NoteView,
    TagView,
    UntagView,
)
from console.transcripts.urls import KEY

app_name = "annotations"
urlpatterns = [
    re_path(rf"^{KEY}/tags/$", TagView.as_view(), name="tag"),
    re_path(rf"^{KEY}/tags/(?P<tag_id>[0-9]+)/remove/$", UntagView.as_view(), name="untag"),
    re_path(rf"^{KEY}/notes/$", NoteView.as_view(), name="note"),
    re_path(rf"^{KEY}/notes/(?P<note_id>[0-9]+)/edit/$", NoteEditView.as_view(), name="edit_note"),
    re_path(
        rf"^{KEY}/notes/(?P<note_id>[0-9]+)/delete/$", NoteDeleteView.as_view(), name="delete_note"
    ),
]
