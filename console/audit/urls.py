"""The audit's URLs (admins only)."""

from __future__ import annotations

from django.urls import path

from console.audit.views import AuditExportView, AuditListView

app_name = "audit"
urlpatterns = [
    path("", AuditListView.as_view(), name="list"),
    path("export.csv", AuditExportView.as_view(), name="export"),
]
