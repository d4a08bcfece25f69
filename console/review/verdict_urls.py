"""A conversation's verdict URLs, under ``/conversations/P-<key>/``: give, withdraw."""

from __future__ import annotations

from django.urls import re_path

from console.review.views import VerdictView, WithdrawView
from console.transcripts.urls import KEY

app_name = "verdicts"
urlpatterns = [
    re_path(rf"^{KEY}/verdicts/$", VerdictView.as_view(), name="give"),
    re_path(
        rf"^{KEY}/verdicts/(?P<verdict_id>[0-9]+)/withdraw/$",
        WithdrawView.as_view(),
        name="withdraw",
    ),
]
