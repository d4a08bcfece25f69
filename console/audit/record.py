"""Write audit rows: ``record(request, Kind.CASE_VIEW, target="case 12")``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from console.audit.models import AuditEvent


def client_address(request: HttpRequest | None) -> str | None:
    """Return the address the request came from (the proxy's, behind one)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request: HttpRequest | None,
    kind: str,
    target: str = "",
    detail: str = "",
    user: Any = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one audit row for ``request``'s user (or the one given)."""
    who = user if user is not None else getattr(request, "user", None)
    known = who if who is not None and who.is_authenticated else None
    name = username if username is not None else (known.get_username() if known else "")
    event: AuditEvent = AuditEvent.objects.create(
        user=known,
        username=name[:150],
        kind=kind,
        target=target[:255],
        detail=detail,
        ip_address=client_address(request),
    )
    return event
