"""The review queue's URLs: the queue and the verdicts' export."""

from __future__ import annotations

from django.urls import path

from console.review.views import ExportView, ReviewQueueView

app_name = "review"
urlpatterns = [
    path("", ReviewQueueView.as_view(), name="queue"),
    path("export.yml", ExportView.as_view(), name="export"),
]
