"""``/settings/`` for admins: the console's effective configuration, read-only, audited."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from console.accounts import configuration
from console.accounts.roles import READ_SETTINGS, RoleRequiredMixin
from console.audit.models import Kind
from console.audit.record import record


class SettingsView(RoleRequiredMixin, TemplateView):
    """Every setting with its value, its default and the variable that changes it."""

    permission_required = READ_SETTINGS
    template_name = "accounts/settings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the rows; audit the read."""
        context = super().get_context_data(**kwargs)
        record(self.request, Kind.SETTINGS_VIEW)
        context["rows"] = configuration.effective_settings()
        result: dict[str, Any] = context
        return result
