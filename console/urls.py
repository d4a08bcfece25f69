"""The console's URLs: sign-in, cases, conversations, takeover, outcomes, review, audit, users."""

from __future__ import annotations

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from console.accounts.views import HealthView

urlpatterns = [
    path("", include("console.accounts.urls")),
    path("cases/", include("console.cases.urls")),
    path("audit/", include("console.audit.urls")),
    path("users/", include("console.accounts.user_urls")),
    path("settings/", include("console.accounts.configuration_urls")),
    path("conversations/", include("console.transcripts.urls")),
    path("conversations/", include("console.retention.urls")),
    path("conversations/", include("console.review.verdict_urls")),
    path("conversations/", include("console.takeover.urls")),
    path("conversations/", include("console.annotations.urls")),
    path("conversations/", include("console.outcomes.urls")),
    path("review/", include("console.review.urls")),
    path("health/", HealthView.as_view(), name="health"),
    # One stylesheet, served by the console itself: nothing comes from a CDN.
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),
]
