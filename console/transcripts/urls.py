"""The transcripts' URLs."""

from __future__ import annotations

from django.urls import path

from console.transcripts.views import TranscriptView

app_name = "transcripts"
urlpatterns = [
    path("<int:alert_id>/", TranscriptView.as_view(), name="conversation"),
]
