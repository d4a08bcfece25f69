"""A conversation's takeover URLs, under ``/conversations/P-<key>/takeover/``."""

from __future__ import annotations

from django.urls import re_path

from console.takeover.views import (
    HandBackView,
    SendView,
    TakeoverLinesView,
    TakeoverPageView,
    TakeOverView,
)
from console.transcripts.urls import KEY

app_name = "takeover"
urlpatterns = [
    re_path(rf"^{KEY}/takeover/$", TakeoverPageView.as_view(), name="page"),
    re_path(rf"^{KEY}/takeover/lines/$", TakeoverLinesView.as_view(), name="lines"),
    re_path(rf"^{KEY}/takeover/start/$", TakeOverView.as_view(), name="start"),
    re_path(rf"^{KEY}/takeover/send/$", SendView.as_view(), name="send"),
    re_path(rf"^{KEY}/takeover/end/$", HandBackView.as_view(), name="end"),
]
