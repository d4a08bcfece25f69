"""The transcripts' URLs: the list, saved filters, a conversation by key or case, its mark."""

from __future__ import annotations

from django.urls import path, re_path

from console.transcripts.filter_views import DeleteFilterView, SaveFilterView
from console.transcripts.views import (
    ConversationListView,
    ConversationView,
    ReviewView,
    TranscriptView,
)

# A conversation's key (console.transcripts.index.conversation_key), never its sender id.
KEY = r"(?P<key>P-[0-9a-f]{16})"

app_name = "transcripts"
urlpatterns = [
    path("", ConversationListView.as_view(), name="list"),
    path("filters/", SaveFilterView.as_view(), name="save_filter"),
    path("filters/<int:filter_id>/delete/", DeleteFilterView.as_view(), name="delete_filter"),
    path("<int:alert_id>/", TranscriptView.as_view(), name="conversation"),
    re_path(rf"^{KEY}/$", ConversationView.as_view(), name="detail"),
    re_path(rf"^{KEY}/review/$", ReviewView.as_view(), name="review"),
]
