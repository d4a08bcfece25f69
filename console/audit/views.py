"""The audit for admins: a filtered list and the same rows as CSV."""

from __future__ import annotations

import csv
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.generic import ListView, View

from console.accounts.roles import READ_AUDIT, RoleRequiredMixin
from console.audit.models import AuditEvent, Kind
from console.audit.record import record

CSV_COLUMNS = ("at", "username", "kind", "target", "detail", "ip_address")
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def filtered(request: HttpRequest) -> QuerySet[AuditEvent]:
    """Return the audit rows matching the request's ``user`` and ``kind`` filters."""
    rows = AuditEvent.objects.all()
    username = request.GET.get("user", "").strip()
    kind = request.GET.get("kind", "").strip()
    if username:
        rows = rows.filter(username=username)
    if kind in Kind.LABELS:
        rows = rows.filter(kind=kind)
    return rows


def csv_cell(value: object) -> str:
    """Return ``value`` as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return str(query.urlencode())


class AuditListView(RoleRequiredMixin, ListView):  # type: ignore[type-arg]
    """Every audit row, newest first, filterable by user and kind."""

    permission_required = READ_AUDIT
    template_name = "audit/list.html"
    context_object_name = "events"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[AuditEvent]:
        """Return the filtered rows, and audit this read."""
        record(self.request, Kind.AUDIT_VIEW, detail=self.request.GET.urlencode())
        return filtered(self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Add the filter choices and the current query string."""
        context = super().get_context_data(**kwargs)
        context.update(
            kinds=Kind.CHOICES,
            usernames=AuditEvent.objects.order_by("username")
            .values_list("username", flat=True)
            .distinct(),
            chosen_user=self.request.GET.get("user", ""),
            chosen_kind=self.request.GET.get("kind", ""),
            query=_without_page(self.request),
        )
        result: dict[str, Any] = context
        return result


class AuditExportView(RoleRequiredMixin, View):
    """The filtered audit as CSV (the export is itself audited)."""

    permission_required = READ_AUDIT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Return the CSV file."""
        record(request, Kind.AUDIT_EXPORT, detail=request.GET.urlencode())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="backcare-audit.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for event in filtered(request).iterator():
            writer.writerow(
                [event.at.isoformat()]
                + [csv_cell(getattr(event, column)) for column in CSV_COLUMNS[1:]]
            )
        return response
