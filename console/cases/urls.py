"""The case queue's URLs."""

from __future__ import annotations

from django.urls import path

from console.cases.views import CaseDetailView, CaseListView, CaseRowsView, CaseStepView

app_name = "cases"
urlpatterns = [
    path("", CaseListView.as_view(), name="list"),
    path("rows/", CaseRowsView.as_view(), name="rows"),
    path("<int:alert_id>/", CaseDetailView.as_view(), name="detail"),
    path("<int:alert_id>/step/", CaseStepView.as_view(), name="step"),
]
