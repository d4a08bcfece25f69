"""The retention URLs, under a conversation's address: its legal hold and its erasure."""

from __future__ import annotations

from django.urls import re_path

from console.retention.views import EraseView, HoldView
from console.transcripts.urls import KEY

app_name = "retention"
urlpatterns = [
    re_path(rf"^{KEY}/hold/$", HoldView.as_view(), name="hold"),
    re_path(rf"^{KEY}/erase/$", EraseView.as_view(), name="erase"),
]
