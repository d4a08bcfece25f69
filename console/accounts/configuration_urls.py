"""The admins' settings page (``/settings/``)."""

from __future__ import annotations

from django.urls import path

from console.accounts.configuration_views import SettingsView

app_name = "configuration"
urlpatterns = [path("", SettingsView.as_view(), name="show")]
