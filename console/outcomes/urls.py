"""The outcomes page's URL: under a conversation's key, never its sender id."""

from __future__ import annotations

from django.urls import re_path

from console.outcomes.views import OutcomesView
from console.transcripts.urls import KEY

app_name = "outcomes"
urlpatterns = [
    re_path(rf"^{KEY}/outcomes/$", OutcomesView.as_view(), name="patient"),
]
